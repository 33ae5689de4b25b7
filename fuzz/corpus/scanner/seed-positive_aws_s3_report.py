positive/aws/s3_report.py
import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIAWWHFV2PFOGNTMKK4",
    aws_secret_access_key="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",
    region_name="us-east-1",
)
print(s3.list_buckets()["Buckets"])
