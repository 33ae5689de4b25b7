positive/alibaba/snapshot_cleanup.py
#!/usr/bin/env python3
"""Delete ECS snapshots older than 30 days."""
import json
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeSnapshotsRequest import DescribeSnapshotsRequest

client = AcsClient('LTAI5tMf16DK7Onu1bzmTT4X', 'ZNsB7cX8zQj0JsgnDhN9BxsL4jOIXB', 'cn-shanghai')


def main():
    req = DescribeSnapshotsRequest()
    req.set_PageSize(100)
    print(json.loads(client.do_action_with_exception(req)))


if __name__ == "__main__":
    main()
