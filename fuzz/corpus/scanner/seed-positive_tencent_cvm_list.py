positive/tencent/cvm_list.py
from tencentcloud.common import credential
from tencentcloud.cvm.v20170312 import cvm_client, models

cred = credential.Credential("AKIDCIF7agp7bIHrUtK0FeO8EkNH1IwSvoCV", "QnBTOmQRZDljCJYZDYEETPL9LjR4VuIw")
client = cvm_client.CvmClient(cred, "ap-guangzhou")
print(client.DescribeInstances(models.DescribeInstancesRequest()).to_json_string())
