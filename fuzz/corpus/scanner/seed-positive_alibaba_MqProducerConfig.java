positive/alibaba/MqProducerConfig.java
package com.acme.mq;

import com.aliyun.openservices.ons.api.ONSFactory;
import com.aliyun.openservices.ons.api.Producer;
import com.aliyun.openservices.ons.api.PropertyKeyConst;
import java.util.Properties;

public final class MqProducerConfig {
    public static Producer producer() {
        Properties properties = new Properties();
        properties.put(PropertyKeyConst.AccessKey, "LTAI5tPRChmbUWHSh2iHXmqw");
        properties.put(PropertyKeyConst.SecretKey, "1Rrd498XjHb3lYf3fmYFExSBf2gO1M");
        properties.put(PropertyKeyConst.NAMESRV_ADDR, "http://MQ_INST_1234_BXhq.mq-internet-access.mq-internet.aliyuncs.com:80");
        return ONSFactory.createProducer(properties);
    }
}
