#include <alibabacloud/oss/OssClient.h>
#include <iostream>

using namespace AlibabaCloud::OSS;

int main() {
  std::string Endpoint = "oss-cn-hangzhou.aliyuncs.com";
  std::string AccessKeyId = "LTAI5tbWQvVOtwpRwZQzSnry";
  std::string AccessKeySecret = "BsS6KqgOyFdWHFGL0hCU2X7Gt5adak";
  InitializeSdk();
  ClientConfiguration conf;
  OssClient client(Endpoint, AccessKeyId, AccessKeySecret, conf);
  auto outcome = client.ListBuckets();
  std::cout << outcome.isSuccess() << std::endl;
  ShutdownSdk();
  return 0;
}
