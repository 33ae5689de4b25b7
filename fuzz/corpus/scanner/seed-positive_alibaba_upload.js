positive/alibaba/upload.js
const OSS = require('ali-oss');

const client = new OSS({
  region: 'oss-cn-hangzhou',
  accessKeyId: 'LTAI5t1XlQIJRSz8RtT142gd',
  accessKeySecret: 'W2MKjg8xFEhx6wSBto2Z3jdSELtsPl',
  bucket: 'frontend-assets',
});

async function put(name, file) {
  return client.put(name, file);
}

module.exports = { put };
