positive/alibaba/DescribeRegions.java
package com.acme.ops;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.ecs.model.v20140526.DescribeRegionsRequest;
import com.aliyuncs.profile.DefaultProfile;

public class DescribeRegions {
    public static void main(String[] args) throws Exception {
        DefaultProfile profile = DefaultProfile.getProfile("cn-hangzhou",
                "LTAI5tlEChLjXJ2hGWl8l87U",
                "Kz0f1EHLQJwPWWqsJeU2irQAckaOWg");
        IAcsClient client = new DefaultAcsClient(profile);
        System.out.println(client.getAcsResponse(new DescribeRegionsRequest()).getRegions().size());
    }
}
