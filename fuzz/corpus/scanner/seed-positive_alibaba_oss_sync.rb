positive/alibaba/oss_sync.rb
require 'aliyun/oss'

client = Aliyun::OSS::Client.new(
  endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
  access_key_id: 'LTAI5tHfAGusVeCQMo0DieJ7',
  access_key_secret: 'BsaYZj4aS9Jg4enn1RmotvOPVCyaVv'
)

bucket = client.get_bucket('site-assets')
Dir['public/**/*'].each { |f| bucket.put_object(f, file: f) if File.file?(f) }
