import hashlib, hmac, base64, time, urllib.parse, requests

WEBHOOK = "https://oapi.dingtalk.com/robot/send?access_token=2a521f3a3cab2d378158cc69880db14a554fffbf81708c384641fef2f06b26c6"
SECRET = "SECf3e454fcca123a275712b2eb5c70957a43ca367e53acaabd902c7533e3f560f9"

def send(text):
    ts = str(round(time.time() * 1000))
    sign = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest())
    requests.post(f"{WEBHOOK}&timestamp={ts}&sign={urllib.parse.quote_plus(sign)}", json={"msgtype": "text", "text": {"content": text}})
