#!/usr/bin/env python3
"""Fake identity endpoints of Alibaba Cloud STS, AWS STS and Tencent Cloud STS,
over HTTPS on 127.0.0.1, for tests/verify/verify_test.sh.

Each checks a request's signature on its own, written from the providers'
documents and not from akgate's C++:
  - Alibaba ACS3-HMAC-SHA256: the Python sample of "Request syntax and
    signature method V3" (alibabacloud.com/help/en/sdk/product-overview/
    v3-request-structure-and-signature): the query sorted and quote_plus'd
    with + * %7E fixed, the x-acs-*, host and content-type headers;
  - AWS SigV4: botocore's own SigV4Auth (python3-botocore) recomputes the
    canonical request, string to sign and signature;
  - Tencent TC3-HMAC-SHA256: the Python demo of "Signature v3"
    (tencentcloud.com/document/product/382/40467).
A request whose signature the fake computes differently is refused with the
provider's own error, so a client that signs wrongly cannot pass a test
that expects "live".

Answers follow the real APIs: Alibaba JSON (IdentityType, AccountId, ...,
or Code/Message), AWS XML (GetCallerIdentityResponse or ErrorResponse),
Tencent JSON under "Response" (errors with HTTP 200, as the real one).

The keys: a JSON file {"alibaba": {ID: {...}}, "aws": {...}, "tencent": {...}},
each key with "secret", "account", "type" (the provider's identity type),
optional "user", "token", "expired" (its token), "behaviour" ("throttle",
"slow", "inactive"). Every request is logged as one JSON line: provider,
key ID, verdict, and whether any key's secret appeared anywhere in what was
sent (it never may).

  fake_providers.py KEYS.json CERT KEY PORTS.json LOG.jsonl
writes {"alibaba": port, "aws": port, "tencent": port} to PORTS.json when
listening, and serves until killed.
"""
import datetime
import hashlib
import hmac
import json
import re
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEYS = {}
LOG_LOCK = threading.Lock()
LOG_FILE = None
SLOW_SECONDS = 6


def log(entry):
    with LOG_LOCK, open(LOG_FILE, "a") as f:
        f.write(json.dumps(entry) + "\n")


def secret_leaked(raw):
    for provider in KEYS.values():
        for k in provider.values():
            if k["secret"] and k["secret"].encode() in raw:
                return True
    return False


# --- Alibaba Cloud: the V3 document's Python sample ------------------------

def acs3_percent_code(encoded_str):
    return encoded_str.replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def acs3_expected(method, path, query, headers, body, secret):
    query_param = dict(sorted(query))
    canonical_query_string = "&".join(
        f"{acs3_percent_code(quote_plus(k))}={acs3_percent_code(quote_plus(str(v)))}"
        for k, v in query_param.items())
    hashed_request_payload = hashlib.sha256(body).hexdigest()
    filtered = {}
    for k, v in sorted((k.lower(), v) for k, v in headers.items()):
        if k.startswith("x-acs-") or k in ["host", "content-type"]:
            filtered[k] = v.strip()
    canonical_headers = "\n".join(f"{k}:{v}" for k, v in filtered.items()) + "\n"
    signed_headers = ";".join(filtered.keys())
    canonical_request = (f"{method}\n{path}\n{canonical_query_string}\n"
                         f"{canonical_headers}\n{signed_headers}\n{hashed_request_payload}")
    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode()).hexdigest()
    signature = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    return signed_headers, signature


def alibaba(handler, body):
    rid = str(uuid.uuid4()).upper()
    host = handler.headers.get("host", "")

    def error(status, code, message):
        return status, "application/json", json.dumps(
            {"RequestId": rid, "HostId": host, "Code": code, "Message": message,
             "Recommend": "https://api.aliyun.com/troubleshoot?q=" + code})

    auth = handler.headers.get("authorization", "")
    m = re.fullmatch(r"ACS3-HMAC-SHA256 Credential=([^,]*),SignedHeaders=([^,]*),Signature=([0-9a-f]{64})", auth)
    if not m:
        return "malformed", error(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
    key_id, claimed_headers, claimed_sig = m.groups()
    if handler.headers.get("x-acs-action") != "GetCallerIdentity" or handler.headers.get("x-acs-version") != "2015-04-01":
        return "bad-action", error(400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    try:
        sent = datetime.datetime.strptime(handler.headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return "bad-date", error(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
    if abs((datetime.datetime.utcnow() - sent).total_seconds()) > 900:
        return "stale", error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    if not handler.headers.get("x-acs-signature-nonce"):
        return "no-nonce", error(400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
    key = KEYS.get("alibaba", {}).get(key_id)
    if key is None:
        return "unknown-key", error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    if key.get("behaviour") == "inactive":
        return "inactive", error(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.")
    url = urlsplit(handler.path)
    signed, signature = acs3_expected(handler.command, url.path, parse_qsl(url.query, keep_blank_values=True),
                                      handler.headers, body, key["secret"])
    if signed != claimed_headers or not hmac.compare_digest(signature, claimed_sig):
        return "signature-mismatch", error(400, "SignatureDoesNotMatch",
                                           "Specified signature does not match our calculation.")
    if key.get("token"):
        if handler.headers.get("x-acs-security-token") != key["token"]:
            return "bad-token", error(400, "InvalidSecurityToken.MismatchWithAccessKey",
                                      "Specified SecurityToken mismatch with the AccessKey.")
        if key.get("expired"):
            return "expired-token", error(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
    if key.get("behaviour") == "throttle":
        return "throttled", error(400, "Throttling.User", "Request was denied due to user flow control.")
    if key.get("behaviour") == "slow":
        time.sleep(SLOW_SECONDS)
    account = key["account"]
    arn = {"Account": f"acs:ram::{account}:root",
           "RAMUser": f"acs:ram::{account}:user/{key.get('user', '')}",
           "AssumedRoleUser": f"acs:ram::{account}:assumed-role/{key.get('user', '')}"}[key["type"]]
    answer = {"RequestId": rid, "IdentityType": key["type"], "AccountId": account,
              "PrincipalId": key.get("principal", account), "UserId": key.get("principal", account),
              "Arn": arn, "RoleId": "" if key["type"] != "AssumedRoleUser" else "3000000000000000"}
    return "signature-ok", (200, "application/json", json.dumps(answer))


# --- AWS: botocore's SigV4Auth ------------------------------------------------

def aws(handler, body):
    rid = str(uuid.uuid4())

    def error(status, code, message, kind="Sender"):
        return status, "text/xml", (
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
            f"  <Error>\n    <Type>{kind}</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n"
            f"  </Error>\n  <RequestId>{rid}</RequestId>\n</ErrorResponse>\n")

    auth = handler.headers.get("authorization", "")
    m = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/,]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                     r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})", auth)
    if not m:
        return "malformed", error(400, "IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    key_id, date, region, service, signed_headers, claimed_sig = m.groups()
    if region != "us-east-1" or service != "sts":
        return "bad-scope", error(403, "SignatureDoesNotMatch", f"Credential should be scoped to a valid region, not '{region}'.")
    amz_date = handler.headers.get("x-amz-date", "")
    if not amz_date.startswith(date):
        return "bad-date", error(403, "SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP")
    names = signed_headers.split(";")
    if "host" not in names or "x-amz-date" not in names or (handler.headers.get("x-amz-security-token") and "x-amz-security-token" not in names):
        return "unsigned-header", error(403, "SignatureDoesNotMatch", "Host, X-Amz-Date and X-Amz-Security-Token must be signed.")
    form = dict(parse_qsl(body.decode("utf-8", "replace")))
    if form.get("Action") != "GetCallerIdentity" or form.get("Version") != "2011-06-15":
        return "bad-action", error(400, "InvalidAction", "Could not find operation")
    key = KEYS.get("aws", {}).get(key_id)
    if key is None or key.get("behaviour") == "inactive":
        return "unknown-key", error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
    request = AWSRequest(method=handler.command, url="https://" + handler.headers["host"] + handler.path,
                         data=body, headers={n: handler.headers.get(n, "") for n in names})
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(key_id, key["secret"], key.get("token")), "sts", "us-east-1")
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(signature, claimed_sig):
        return "signature-mismatch", error(403, "SignatureDoesNotMatch",
                                           "The request signature we calculated does not match the signature you provided. "
                                           "Check your AWS Secret Access Key and signing method.")
    if key.get("token"):
        if handler.headers.get("x-amz-security-token") != key["token"]:
            return "bad-token", error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        if key.get("expired"):
            return "expired-token", error(400, "ExpiredToken", "The security token included in the request is expired")
    if key.get("behaviour") == "throttle":
        return "throttled", error(400, "Throttling", "Rate exceeded")
    if key.get("behaviour") == "slow":
        time.sleep(SLOW_SECONDS)
    account = key["account"]
    arn = {"root": f"arn:aws:iam::{account}:root", "user": f"arn:aws:iam::{account}:user/{key.get('user', '')}",
           "assumed-role": f"arn:aws:sts::{account}:assumed-role/{key.get('user', '')}"}[key["type"]]
    user_id = account if key["type"] == "root" else "AIDAEXAMPLEUSERID0001"
    return "signature-ok", (200, "text/xml", (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
        f"  <GetCallerIdentityResult>\n    <Arn>{arn}</Arn>\n    <UserId>{user_id}</UserId>\n"
        f"    <Account>{account}</Account>\n  </GetCallerIdentityResult>\n"
        f"  <ResponseMetadata>\n    <RequestId>{rid}</RequestId>\n  </ResponseMetadata>\n"
        "</GetCallerIdentityResponse>\n"))


# --- Tencent Cloud: the Signature v3 document's Python demo -----------------

def tc3_sign(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tencent(handler, body):
    rid = str(uuid.uuid4())

    def error(code, message):  # API 3.0 answers errors with HTTP 200
        return 200, "application/json", json.dumps({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}})

    auth = handler.headers.get("authorization", "")
    m = re.fullmatch(r"TC3-HMAC-SHA256 Credential=([^/,]+)/(\d{4}-\d\d-\d\d)/([a-z]+)/tc3_request, "
                     r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})", auth)
    if not m:
        return "malformed", error("AuthFailure.InvalidAuthorization", "Authorization header is not valid.")
    secret_id, date, service, signed_headers, claimed_sig = m.groups()
    if handler.headers.get("x-tc-action") != "GetCallerIdentity" or handler.headers.get("x-tc-version") != "2018-08-13":
        return "bad-action", error("InvalidAction", "The API does not exist.")
    if not handler.headers.get("x-tc-region"):
        return "no-region", error("MissingParameter", "The Region parameter is missing.")
    try:
        timestamp = int(handler.headers.get("x-tc-timestamp", ""))
    except ValueError:
        return "bad-timestamp", error("InvalidParameter", "X-TC-Timestamp is not a number.")
    if abs(time.time() - timestamp) > 300:
        return "stale", error("AuthFailure.SignatureExpire", "Signature expired.")
    key = KEYS.get("tencent", {}).get(secret_id)
    if key is None:
        return "unknown-key", error("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
    names = signed_headers.split(";")
    if "content-type" not in names or "host" not in names or service != "sts" or \
            date != datetime.datetime.utcfromtimestamp(timestamp).strftime("%Y-%m-%d"):
        return "signature-mismatch", error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
    # Step 1: the canonical request (names and values in lower case, trimmed).
    canonical_headers = "".join(f"{n}:{handler.headers.get(n, '').strip().lower()}\n" for n in names)
    hashed_request_payload = hashlib.sha256(body).hexdigest()
    canonical_request = (handler.command + "\n" + "/" + "\n" + urlsplit(handler.path).query + "\n" +
                         canonical_headers + "\n" + signed_headers + "\n" + hashed_request_payload)
    # Step 2: the string to sign.
    credential_scope = date + "/" + service + "/" + "tc3_request"
    string_to_sign = ("TC3-HMAC-SHA256" + "\n" + str(timestamp) + "\n" + credential_scope + "\n" +
                      hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())
    # Step 3: the signature.
    secret_date = tc3_sign(("TC3" + key["secret"]).encode("utf-8"), date)
    secret_service = tc3_sign(secret_date, service)
    secret_signing = tc3_sign(secret_service, "tc3_request")
    signature = hmac.new(secret_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, claimed_sig):
        return "signature-mismatch", error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
    if key.get("token") and (handler.headers.get("x-tc-token") != key["token"] or key.get("expired")):
        return "expired-token", error("AuthFailure.TokenFailure", "Token verification failed.")
    if key.get("behaviour") == "throttle":
        return "throttled", error("RequestLimitExceeded", "Your current request times equals to 20 in a second.")
    if key.get("behaviour") == "slow":
        time.sleep(SLOW_SECONDS)
    account, user = key["account"], key.get("user", key["account"])
    if key["type"] == "AssumedRole":
        arn = f"qcs::sts:{account}:assumed-role/4611686018427397920/{user}"
    else:
        arn = f"qcs::cam::uin/{account}:uin/{user}"
    return "signature-ok", (200, "application/json", json.dumps({"Response": {
        "Arn": arn, "AccountId": account, "UserId": user, "PrincipalId": user, "Type": key["type"], "RequestId": rid}}))


# --- the servers ---------------------------------------------------------------

def make_handler(provider, check):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("content-length", "0") or 0)
            body = self.rfile.read(length) if length else b""
            raw = (self.requestline + "\n" + str(self.headers)).encode() + body
            auth = self.headers.get("authorization", "")
            key_id = re.search(r"Credential=([^/,]*)", auth)
            try:
                verdict, (status, ctype, text) = check(self, body)
            except Exception as e:  # a fake that crashes must fail the test, visibly
                verdict, (status, ctype, text) = "fake-crashed: " + repr(e), (500, "text/plain", "fake crashed")
            log({"provider": provider, "key_id": key_id.group(1) if key_id else None, "verdict": verdict,
                 "secret_in_request": secret_leaked(raw), "host": self.headers.get("host")})
            data = text.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # the client gave up (its timeout)

        do_GET = do_POST

    return Handler


def main():
    global KEYS, LOG_FILE
    keys_file, cert, key, ports_file, LOG_FILE = sys.argv[1:6]
    with open(keys_file) as f:
        KEYS = json.load(f)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ports = {}
    for provider, check in (("alibaba", alibaba), ("aws", aws), ("tencent", tencent)):
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(provider, check))
        server.daemon_threads = True
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        ports[provider] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(ports_file + ".tmp", "w") as f:
        json.dump(ports, f)
    import os
    os.rename(ports_file + ".tmp", ports_file)
    threading.Event().wait()


if __name__ == "__main__":
    main()
