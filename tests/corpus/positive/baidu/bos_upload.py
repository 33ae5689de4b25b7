from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.services.bos.bos_client import BosClient

config = BceClientConfiguration(credentials=BceCredentials("cbf3b1ebccb0cd6af3dcc4559013d6dc", "1beb4ffe78bccfb914aa35812f5a1246"),
                                endpoint="https://bj.bcebos.com")
client = BosClient(config)
