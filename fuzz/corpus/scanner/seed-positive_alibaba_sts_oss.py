positive/alibaba/sts_oss.py
import oss2

auth = oss2.StsAuth('STS.NUAKiyUlKGEvqxsldl33UVse',
                    'xfGr9qFrlXaOm06PkWWDuck2jCrY7pyVKopiIGqXMP48',
                    'CAIS6t7Zsz4p/N4bpGBpd8Yu9MWZIfU65H734E52jSLHgU0yI/PG3pPhOijvB5IRSYnTduE3jspGcy77bfPQaABrvbCxMh1b47qRkC7OaKLHjt8IAgmV6tazh3oQW8ITQWWDaBT5ImO6toaZeRulNr6muNJZp9PY9+9SESqe7RJpedQCIhC+lDo5c3Q9V3w47DUwdrR8H/malthdKrsmN8rC8c/EnJz+iIrFALnqODHxW6bD16i8XZqDI2sk6L5hGMfmyeJ5EHXMTX/eP/MvjoapOvloylVHKxDGDb1eI4ZTeHTzAx/A2LPjOxou71kAQVM5pJ4PO1NWa1iGVB9I9ninZfixyhuU+51zOV7exbjnofqU0M3FYsxUNmRPERhueeOCbQo60daJOrsNXGUgKP+vFnbwqkkc4JN8EQTkok4InkknGnf9TKmIDHU2GTDkwZl/JixeBFhtMFCaQ6qp9jGJfD6D2HcuYL/KSZ3SMAiYaJ5UtZ+w4vqfAn2c8eoDvw8yEz7wiXl5=')
bucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', 'tmp-share')
