positive/alibaba/credentials.rs
use std::env;

pub struct AliyunCredentials {
    pub access_key_id: String,
    pub access_key_secret: String,
}

impl Default for AliyunCredentials {
    fn default() -> Self {
        AliyunCredentials {
            access_key_id: "LTAI5tto1VBIR3MKlI2BJqaU".to_string(),
            access_key_secret: String::from("SKq7Vp8Ug4L5EiPRPhoRz0n8A5wO2o"),
        }
    }
}

pub fn region() -> String {
    env::var("ALIBABA_CLOUD_REGION_ID").unwrap_or_else(|_| "cn-hangzhou".into())
}
