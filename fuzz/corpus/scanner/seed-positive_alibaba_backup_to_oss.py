positive/alibaba/backup_to_oss.py
import oss2

auth = oss2.Auth('LTAIOkoCl9LrdreO', 'QAdwI7vEDW4rIM1YzR0hGcwmK6ywa5')
bucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', 'nightly-backups')

def upload(path):
    with open(path, 'rb') as f:
        bucket.put_object(path.rsplit('/', 1)[-1], f)
