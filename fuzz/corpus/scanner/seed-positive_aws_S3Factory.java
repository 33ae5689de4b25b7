positive/aws/S3Factory.java
package com.acme.storage;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;

class S3Factory {
    static Object client() {
        BasicAWSCredentials creds = new BasicAWSCredentials("AKIAZ42E3VYTDLZLG7JO", "aUlyXbT9UBIstdr3xt9hbvFhERNNV3ZfVoh3yT1o");
        return AmazonS3ClientBuilder.standard().withCredentials(new AWSStaticCredentialsProvider(creds)).build();
    }
}
