"""Settings for order-sync, read from the environment (the right way)."""
import os

REGION_ID = os.getenv("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
ACCESS_KEY_ID = os.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
ACCESS_KEY_SECRET = os.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
OSS_BUCKET = os.getenv("OSS_BUCKET", "order-sync")
OSS_ENDPOINT = os.getenv("OSS_ENDPOINT", "https://oss-cn-hangzhou.aliyuncs.com")
BATCH_SIZE = int(os.getenv("BATCH_SIZE", "500"))
