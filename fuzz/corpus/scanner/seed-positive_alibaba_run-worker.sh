positive/alibaba/run-worker.sh
#!/bin/sh
set -eu
exec java -Xmx2g \
  -Dalibabacloud.accessKeyId=LTAI5tGAdsbZPMVbuspbTSry \
  -Dalibabacloud.accessKeySecret=giltQPWJ0jaGntJxQXoBPvUvWUFtts \
  -jar /opt/worker/worker.jar "$@"
