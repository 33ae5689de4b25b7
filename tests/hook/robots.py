# Fake notification receivers for tests/hook/notify_outbox_test.sh: one
# loopback HTTP server playing DingTalk, Feishu, WeCom, Slack, Teams and a
# generic webhook. Each checks what its vendor checks, the two signatures
# exactly as the vendors' documentation computes them (their published
# Python, below), and logs every request as one JSON line.
#
#   python3 robots.py LOG PORT_FILE MODE_FILE DINGTALK_SECRET FEISHU_SECRET [PORT]
#
# PORT: listen there (the receivers coming back where they were); else any.
# MODE_FILE holds how to answer: "up", "fail" (HTTP 500) or "slow" (answer
# after 3 s). Each log line: {"kind", "event_id", "valid", "why", "key",
# "answered"}.
import base64, hashlib, hmac, http.server, json, re, socketserver, sys, time, urllib.parse

log_path, port_file, mode_file, ding_secret, feishu_secret = sys.argv[1:6]


def dingtalk_sign(timestamp, secret):
    # open.dingtalk.com, custom robot, "加签" (Python 3.8 sample)
    secret_enc = secret.encode('utf-8')
    string_to_sign = '{}\n{}'.format(timestamp, secret)
    string_to_sign_enc = string_to_sign.encode('utf-8')
    hmac_code = hmac.new(secret_enc, string_to_sign_enc, digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(hmac_code))


def feishu_sign(timestamp, secret):
    # open.feishu.cn, custom bot guide, "签名校验" (gen_sign)
    string_to_sign = '{}\n{}'.format(timestamp, secret)
    hmac_code = hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
    return base64.b64encode(hmac_code).decode('utf-8')


def event_id_in(text):
    m = re.search(r"event ([0-9a-f]{32})", text)
    return m.group(1) if m else None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body, kind, record):
        record["answered"] = status
        with open(log_path, "a") as f:
            f.write(json.dumps(record) + "\n")
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        try:
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting (the slow mode): it got no answer

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        url = urllib.parse.urlsplit(self.path)
        kind = url.path.strip("/")
        query = urllib.parse.parse_qs(url.query)
        try:
            mode = open(mode_file).read().strip()
        except OSError:
            mode = "up"
        rec = {"kind": kind, "event_id": None, "valid": False, "why": "", "key": None}
        try:
            body = json.loads(raw)
        except ValueError:
            return self.answer(400, "{}", kind, dict(rec, why="not JSON"))
        ok_body, why = "{}", ""
        if kind == "dingtalk":
            ts = query.get("timestamp", [""])[0]
            sign = urllib.parse.quote_plus(query.get("sign", [""])[0])
            if query.get("access_token") != ["t0ken"]:
                why = "no access_token"
            elif not ts or abs(int(ts) - time.time() * 1000) > 3600 * 1000:
                why = "timestamp missing or more than an hour off"
            elif sign != dingtalk_sign(ts, ding_secret):
                why = "sign not match"
            elif body.get("msgtype") != "markdown":
                why = "msgtype"
            text = body.get("markdown", {}).get("text", "")
            ok_body = '{"errcode":0,"errmsg":"ok"}' if not why else '{"errcode":310000,"errmsg":"%s"}' % why
        elif kind == "feishu":
            ts = body.get("timestamp", "")
            if not isinstance(ts, str) or not ts.isdigit() or abs(int(ts) - time.time()) > 3600:
                why = "timestamp is not within one hour (seconds, as a string)"
            elif body.get("sign") != feishu_sign(ts, feishu_secret):
                why = "sign match fail"
            elif body.get("msg_type") != "text":
                why = "msg_type"
            text = body.get("content", {}).get("text", "")
            ok_body = '{"code":0,"msg":"success"}' if not why else '{"code":19021,"msg":"%s"}' % why
        elif kind == "wecom":
            if query.get("key") != ["k3y"] or body.get("msgtype") != "markdown":
                why = "key or msgtype"
            text = body.get("markdown", {}).get("content", "")
            ok_body = '{"errcode":0,"errmsg":"ok"}' if not why else '{"errcode":93000,"errmsg":"%s"}' % why
        elif kind == "slack":
            if not body.get("text") or not isinstance(body.get("blocks"), list):
                why = "text and blocks"
            text = json.dumps(body["blocks"]) if "blocks" in body else ""
            ok_body = "ok"
        elif kind == "teams":
            att = (body.get("attachments") or [{}])[0]
            if body.get("type") != "message" or att.get("contentType") != "application/vnd.microsoft.card.adaptive" \
                    or att.get("content", {}).get("type") != "AdaptiveCard":
                why = "not an Adaptive Card message"
            text = json.dumps(body)
        elif kind == "webhook":
            rec["key"] = self.headers.get("Idempotency-Key")
            if not rec["key"]:
                why = "no Idempotency-Key"
            text = "event " + str(body.get("event_id"))
        else:
            return self.answer(404, "{}", kind, dict(rec, why="unknown path"))
        rec["event_id"] = event_id_in(text)
        rec["valid"] = not why and rec["event_id"] is not None
        rec["why"] = why or ("" if rec["event_id"] else "no event id in the message")
        rec["text_has_secret"] = "SECRET-NEVER-SHOWN" in raw.decode("utf-8", "replace")
        if mode == "fail":
            return self.answer(500, '{"error":"down"}', kind, dict(rec, valid=False, why="answered 500"))
        if mode == "slow":
            time.sleep(3)
            rec["slow"] = True
        status = 202 if kind == "teams" else 200
        # A refusal comes as 200 with an error code, as the robots do.
        self.answer(status, ok_body, kind, rec)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", int(sys.argv[6]) if len(sys.argv) > 6 else 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
