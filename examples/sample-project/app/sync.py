"""Copies new orders into OSS, one JSON file per order."""
import json
import logging

import oss2
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest

from app import settings

log = logging.getLogger("order-sync")

# TODO: move back to settings before merging -- hard-coded while debugging the ECS call.
client = AcsClient("LTAI5tV0ZXYnW6Ehtl5ir9s3", "8r2j3bOGkSLj086P1dtledp04rHlcU", "cn-hangzhou")


def shop_instances():
    request = DescribeInstancesRequest()
    request.set_PageSize(10)
    response = json.loads(client.do_action_with_exception(request))
    return [i["InstanceId"] for i in response["Instances"]["Instance"]]


def upload_orders(orders):
    auth = oss2.Auth(settings.ACCESS_KEY_ID, settings.ACCESS_KEY_SECRET)
    bucket = oss2.Bucket(auth, settings.OSS_ENDPOINT, settings.OSS_BUCKET)
    for order in orders:
        key = f"orders/{order['id']}.json"
        bucket.put_object(key, json.dumps(order).encode("utf-8"))
        log.info("uploaded %s", key)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    log.info("shop instances: %s", shop_instances())
