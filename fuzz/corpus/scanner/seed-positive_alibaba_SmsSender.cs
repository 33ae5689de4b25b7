positive/alibaba/SmsSender.cs
using AlibabaCloud.SDK.Dysmsapi20170525;
using AlibabaCloud.SDK.Dysmsapi20170525.Models;

namespace Acme.Notify
{
    public static class SmsSender
    {
        public static Client Create()
        {
            var config = new AlibabaCloud.OpenApiClient.Models.Config
            {
                AccessKeyId = "LTAI5tZpp373ZDaQmCCUrS8f",
                AccessKeySecret = "iMdNLLuVjnfsQBuDmYB4FhHsDloRUE",
                Endpoint = "dysmsapi.aliyuncs.com",
            };
            return new Client(config);
        }
    }
}
