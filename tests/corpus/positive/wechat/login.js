const APPID = "wx7c9a2df1cc679bdc";
const SECRET = "6d7129bb77307d33d02052a354889033";
const url = `https://api.weixin.qq.com/sns/jscode2session?appid=${APPID}&secret=${SECRET}&js_code=${code}&grant_type=authorization_code`;
