#!/usr/bin/env python3
"""Writes a labelled detection corpus: fake credentials generated from each
provider's *documented format* (prefix, length, alphabet, checksum), put where
people put them, plus look-alikes that must not be reported.

    python3 bench/detection_corpus.py --out DIR [--seed 20261203]

Every case is one file, DIR/<label>/<nnnn>-<provider>-<setting>/<file name>,
and DIR/manifest.json lists them all:
  {"cases": [{"path", "label", "provider", "setting", "note"}, ...],
   "seed", "providers": {label: [provider, ...]}}
Labels:
  block  a complete credential (a whole token, or both halves of a pair) in a
         realistic setting: the scanner must block it;
  warn   a lone half, a generic password, a database URL to a local host or with
         a weak password, a private key, a short-lived or public-by-design key:
         the scanner must report it and must not block it (akgate's policy,
         docs/rules.md);
  pass   placeholders, masks, vendor documentation examples, hashes, UUIDs,
         base64 blobs, references, fixtures told by content: nothing to report.

The generators are written from the formats (vendor documentation and blog
posts describing the token formats), not from akgate's rule regexes. Keys are
random (a fixed seed makes the same corpus every time) and fake; write the
corpus to a temporary directory and never commit it: the values are
key-shaped and block a push like real ones. Python 3 standard library only.
"""
import argparse
import base64
import binascii
import hashlib
import json
import os
import random
import string
import sys
import uuid

UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
DIGITS = string.digits
ALNUM = UPPER + LOWER + DIGITS
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32 = UPPER + "234567"
B62 = DIGITS + UPPER + LOWER  # GitHub's base62 order: digits, upper, lower


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def s(self, n, alphabet=ALNUM):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def hexs(self, n):
        return self.s(n, HEX)

    def uuid4(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def digits(self, n):
        return str(self.r.randint(1, 9)) + self.s(n - 1, DIGITS)

    def raw(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def b64(self, nbytes):
        return base64.b64encode(self.raw(nbytes)).decode()

    def b64url(self, nbytes):
        return base64.urlsafe_b64encode(self.raw(nbytes)).decode().rstrip("=")

    def password(self, n=16):
        # a generated strong password: letters, digits, a few symbols that
        # survive URLs without escaping
        alphabet = ALNUM + "-_.~!"
        while True:
            p = self.s(n, alphabet)
            if any(c.isdigit() for c in p) and any(c.isupper() for c in p):
                return p

    def choice(self, seq):
        return self.r.choice(seq)

    # --- documented formats -------------------------------------------------

    def base62_crc32(self, body):
        """GitHub's (and npm's) 6-character checksum: CRC32 of the 30 random
        characters, in base62 (0-9A-Za-z), left-padded with 0."""
        crc = binascii.crc32(body.encode()) & 0xFFFFFFFF
        out = ""
        while crc:
            crc, d = divmod(crc, 62)
            out = B62[d] + out
        return out.rjust(6, "0")

    def github(self, prefix="ghp_"):
        body = self.s(30, B62)
        return prefix + body + self.base62_crc32(body)

    def github_bad_checksum(self):
        body = self.s(30, B62)
        good = self.base62_crc32(body)
        while True:
            bad = self.s(6, B62)
            if bad != good:
                return "ghp_" + body + bad

    def npm(self):
        body = self.s(30, B62)
        return "npm_" + body + self.base62_crc32(body)

    def github_fine_grained(self):
        return "github_pat_" + self.s(22, ALNUM) + "_" + self.s(59, ALNUM)

    def age_secret_key(self):
        # BIP 173 bech32, hrp "age-secret-key-", 32 bytes of key, upper case
        charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
        data = self.raw(32)
        acc, bits, five = 0, 0, []
        for b in data:
            acc = (acc << 8) | b
            bits += 8
            while bits >= 5:
                bits -= 5
                five.append((acc >> bits) & 31)
        if bits:
            five.append((acc << (5 - bits)) & 31)
        hrp = "age-secret-key-"

        def polymod(values):
            gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
            chk = 1
            for v in values:
                top = chk >> 25
                chk = (chk & 0x1FFFFFF) << 5 ^ v
                for i in range(5):
                    chk ^= gen[i] if ((top >> i) & 1) else 0
            return chk

        expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
        pm = polymod(expanded + five + [0] * 6) ^ 1
        checksum = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
        return (hrp + "1" + "".join(charset[d] for d in five + checksum)).upper()

    def jwt(self, payload):
        def enc(obj):
            return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")
        return enc({"alg": "HS256", "typ": "JWT"}) + "." + enc(payload) + "." + self.b64url(32)

    def pem_body(self, nbytes=1190):
        b = base64.b64encode(self.raw(nbytes)).decode()
        return [b[i:i + 64] for i in range(0, len(b), 64)]

    def pem(self, kind="RSA PRIVATE KEY", nbytes=1190):
        return "\n".join(["-----BEGIN %s-----" % kind] + self.pem_body(nbytes) + ["-----END %s-----" % kind]) + "\n"

    def aws_id(self, prefix="AKIA"):
        return prefix + self.s(16, BASE32)

    def aws_secret(self):
        return self.s(40, B64)


class Corpus:
    def __init__(self, out):
        self.out = out
        self.cases = []

    def add_bytes(self, label, provider, setting, name, data, note=""):
        n = len(self.cases) + 1
        d = os.path.join(label, "%04d-%s-%s" % (n, slug(provider), slug(setting)))
        os.makedirs(os.path.join(self.out, d), exist_ok=True)
        path = os.path.join(d, name)
        with open(os.path.join(self.out, path), "wb") as f:
            f.write(data)
        self.cases.append({"path": path, "label": label, "provider": provider,
                           "setting": setting, "note": note})

    def add(self, label, provider, setting, name, text, note=""):
        n = len(self.cases) + 1
        d = os.path.join(label, "%04d-%s-%s" % (n, slug(provider), slug(setting)))
        os.makedirs(os.path.join(self.out, d), exist_ok=True)
        path = os.path.join(d, name)
        with open(os.path.join(self.out, path), "w", encoding="utf-8") as f:
            f.write(text)
        self.cases.append({"path": path, "label": label, "provider": provider,
                           "setting": setting, "note": note})


def slug(s):
    return "".join(c if c.isalnum() else "-" for c in s.lower()).strip("-")[:40]


# --- settings: where a whole token is written ---------------------------------

ALL_SETTINGS = ("env", "yaml", "json", "python", "shell", "docker", "js", "properties")
_ROTATION = 0

def token_settings(c, g, provider, env, value, settings=("env", "yaml", "python")):
    """A single-string credential under its provider's documented variable."""
    lower = env.lower()
    # one more setting per credential, in turn from all of them, so every
    # token is seen in more than the obvious place
    global _ROTATION
    extra = [x for x in ALL_SETTINGS if x not in settings]
    if extra:
        settings = tuple(settings) + (extra[_ROTATION % len(extra)],)
        _ROTATION += 1
    for st in settings:
        if st == "env":
            c.add("block", provider, "env", ".env",
                  "# deployment settings\nAPP_ENV=production\n%s=%s\nLOG_LEVEL=info\n" % (env, value))
        elif st == "yaml":
            c.add("block", provider, "yaml", "config.yml",
                  "service:\n  name: billing\n  env:\n    %s: \"%s\"\n  replicas: 2\n" % (env, value))
        elif st == "json":
            c.add("block", provider, "json", "settings.json",
                  json.dumps({"name": "worker", "env": {env: value}, "timeout": 30}, indent=2) + "\n")
        elif st == "python":
            c.add("block", provider, "python", "client.py",
                  "import os\n\n%s = \"%s\"\n\n\ndef headers():\n    return {\"Authorization\": \"Bearer \" + %s}\n"
                  % (env, value, env))
        elif st == "shell":
            c.add("block", provider, "shell", "deploy.sh",
                  "#!/bin/sh\nset -e\nexport %s=\"%s\"\n./bin/release --prod\n" % (env, value))
        elif st == "docker":
            c.add("block", provider, "dockerfile", "Dockerfile",
                  "FROM python:3.12-slim\nWORKDIR /app\nENV %s=%s\nCOPY . .\nCMD [\"python\", \"main.py\"]\n"
                  % (env, value))
        elif st == "js":
            c.add("block", provider, "js", "config.js",
                  "module.exports = {\n  port: 8080,\n  %s: '%s',\n};\n" % (lower, value))
        elif st == "properties":
            c.add("block", provider, "properties", "application.properties",
                  "server.port=8080\n%s=%s\n" % (lower.replace("_", "."), value))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit("detection_corpus.py: %s is not empty" % args.out)
    os.makedirs(args.out, exist_ok=True)
    g = Gen(args.seed)
    c = Corpus(args.out)
    block_cases(c, g)
    harder_block_cases(c, g)
    warn_cases(c, g)
    pass_cases(c, g)
    providers = {}
    for case in c.cases:
        providers.setdefault(case["label"], set()).add(case["provider"])
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": c.cases,
                   "providers": {k: sorted(v) for k, v in providers.items()}}, f, indent=1)
    counts = {}
    for case in c.cases:
        counts[case["label"]] = counts.get(case["label"], 0) + 1
    print("detection_corpus.py: %d cases (%s), %d providers, seed %d, in %s" % (
        len(c.cases), ", ".join("%s %d" % kv for kv in sorted(counts.items())),
        len(set(x["provider"] for x in c.cases) - {"(none)"}), args.seed, args.out), file=sys.stderr)


# --- must block ---------------------------------------------------------------

def block_cases(c, g):
    # Alibaba Cloud: AccessKey ID "LTAI" + 20 (LTAI5t... since 2020, LTAI4... before),
    # AccessKey secret 30 alphanumerics.
    for i in range(4):
        aid = "LTAI5t" + g.s(18) if i % 2 == 0 else "LTAI4" + g.s(19)
        sec = g.s(30)
        form = i
        if form == 0:
            c.add("block", "Alibaba Cloud", "env", ".env",
                  "ALIBABA_CLOUD_ACCESS_KEY_ID=%s\nALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\nREGION=cn-hangzhou\n" % (aid, sec))
        elif form == 1:
            c.add("block", "Alibaba Cloud", "python-positional", "sync.py",
                  "from aliyunsdkcore.client import AcsClient\n\nclient = AcsClient(\"%s\", \"%s\", \"cn-shanghai\")\n" % (aid, sec))
        elif form == 2:
            c.add("block", "Alibaba Cloud", "java-positional", "OssConfig.java",
                  "public class OssConfig {\n    public OSS client() {\n        return new OSSClientBuilder().build(\"https://oss-cn-beijing.aliyuncs.com\",\n"
                  "            \"%s\", \"%s\");\n    }\n}\n" % (aid, sec))
        else:
            c.add("block", "Alibaba Cloud", "yaml-spring", "application.yml",
                  "spring:\n  cloud:\n    alicloud:\n      access-key: %s\n      secret-key: %s\n      oss:\n        endpoint: oss-cn-hangzhou.aliyuncs.com\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "go-positional", "main.go",
          "package main\n\nfunc newClient() (*oss.Client, error) {\n\treturn oss.New(\"oss-cn-hangzhou.aliyuncs.com\", \"%s\", \"%s\")\n}\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "js-object", "upload.js",
          "const OSS = require('ali-oss');\nconst client = new OSS({\n  region: 'oss-cn-hangzhou',\n  accessKeyId: '%s',\n  accessKeySecret: '%s',\n  bucket: 'assets',\n});\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "ini", "credentials",
          "[default]\nenable = true\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n" % (aid, sec))
    sts_id, sts_sec = "STS." + g.s(g.choice([21, 25, 28])), g.s(44)
    token = "CAIS" + g.b64(240)
    c.add("block", "Alibaba Cloud", "sts-json", "sts.json",
          json.dumps({"AccessKeyId": sts_id, "AccessKeySecret": sts_sec, "SecurityToken": token,
                      "Expiration": "2026-12-03T12:00:00Z"}, indent=2) + "\n", "STS triple as AssumeRole returns it")

    # AWS: ID (AKIA|ASIA) + 16 of base32 [A-Z2-7]; secret 40 base64 characters.
    forms = ["ini", "env", "boto3", "java", "go", "js", "docker", "csv", "terraform"]
    for form in forms:
        aid, sec = g.aws_id(), g.aws_secret()
        if form == "ini":
            c.add("block", "AWS", "ini", "credentials",
                  "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-east-1\n" % (aid, sec))
        elif form == "env":
            c.add("block", "AWS", "env", ".env",
                  "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nAWS_DEFAULT_REGION=eu-west-1\n" % (aid, sec))
        elif form == "boto3":
            c.add("block", "AWS", "python-kwargs", "s3sync.py",
                  "import boto3\n\ns3 = boto3.client(\n    \"s3\",\n    aws_access_key_id=\"%s\",\n    aws_secret_access_key=\"%s\",\n)\n" % (aid, sec))
        elif form == "java":
            c.add("block", "AWS", "java-positional", "S3Factory.java",
                  "class S3Factory {\n  AmazonS3 build() {\n    BasicAWSCredentials creds = new BasicAWSCredentials(\"%s\", \"%s\");\n"
                  "    return AmazonS3ClientBuilder.standard().withCredentials(new AWSStaticCredentialsProvider(creds)).build();\n  }\n}\n" % (aid, sec))
        elif form == "go":
            c.add("block", "AWS", "go-positional", "s3.go",
                  "package store\n\nvar creds = credentials.NewStaticCredentials(\"%s\", \"%s\", \"\")\n" % (aid, sec))
        elif form == "js":
            c.add("block", "AWS", "js-object", "aws.js",
                  "import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client({\n  region: 'us-west-2',\n  credentials: {\n    accessKeyId: '%s',\n    secretAccessKey: '%s',\n  },\n});\n" % (aid, sec))
        elif form == "docker":
            c.add("block", "AWS", "dockerfile", "Dockerfile",
                  "FROM amazon/aws-cli:2.15.0\nENV AWS_ACCESS_KEY_ID=%s \\\n    AWS_SECRET_ACCESS_KEY=%s\nENTRYPOINT [\"aws\", \"s3\", \"sync\"]\n" % (aid, sec))
        elif form == "csv":
            c.add("block", "AWS", "credentials-csv", "deploy_accessKeys.csv",
                  "Access key ID,Secret access key\n%s,%s\n" % (aid, sec), "the console's download")
        else:
            c.add("block", "AWS", "terraform", "provider.tf",
                  "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"%s\"\n  secret_key = \"%s\"\n}\n" % (aid, sec))

    # Tencent Cloud: SecretId "AKID" + 32 alphanumerics, SecretKey 32 alphanumerics.
    for form in ["env", "python", "yaml"]:
        sid, skey = "AKID" + g.s(32), g.s(32)
        if form == "env":
            c.add("block", "Tencent Cloud", "env", ".env",
                  "TENCENTCLOUD_SECRET_ID=%s\nTENCENTCLOUD_SECRET_KEY=%s\n" % (sid, skey))
        elif form == "python":
            c.add("block", "Tencent Cloud", "python-positional", "cvm.py",
                  "from tencentcloud.common import credential\n\ncred = credential.Credential(\"%s\", \"%s\")\n" % (sid, skey))
        else:
            c.add("block", "Tencent Cloud", "yaml", "cos.yml",
                  "cos:\n  secretId: %s\n  secretKey: %s\n  region: ap-guangzhou\n" % (sid, skey))

    # Huawei Cloud: AK 20 upper-case alphanumerics, SK 40 alphanumerics.
    for form in ["env", "go"]:
        ak, sk = g.s(20, UPPER + DIGITS), g.s(40)
        if form == "env":
            c.add("block", "Huawei Cloud", "env", ".env",
                  "HUAWEICLOUD_SDK_AK=%s\nHUAWEICLOUD_SDK_SK=%s\nHUAWEICLOUD_SDK_PROJECT_ID=%s\n" % (ak, sk, g.hexs(32)))
        else:
            c.add("block", "Huawei Cloud", "go-builder", "ecs.go",
                  "package main\n\nfunc auth() *basic.Credentials {\n\treturn basic.NewCredentialsBuilder().\n\t\tWithAk(\"%s\").\n\t\tWithSk(\"%s\").\n\t\tBuild()\n}\n" % (ak, sk))

    # Volcengine: AK "AKLT" + base64-ish; SK base64 of a base64 string.
    for form in ["env", "yaml"]:
        ak = "AKLT" + g.s(43)
        sk = base64.b64encode(base64.b64encode(g.raw(30))).decode()
        if form == "env":
            c.add("block", "Volcengine", "env", ".env", "VOLCENGINE_ACCESS_KEY=%s\nVOLCENGINE_SECRET_KEY=%s\n" % (ak, sk))
        else:
            c.add("block", "Volcengine", "yaml", "volc.yml", "volcengine:\n  access_key: %s\n  secret_key: %s\n  region: cn-beijing\n" % (ak, sk))

    # Google service-account key file (JSON as downloaded: 40-hex key id, PKCS#8 key).
    key = g.pem("PRIVATE KEY", 1218).replace("\n", "\\n")
    proj = "billing-" + g.s(6, LOWER + DIGITS)
    c.add("block", "Google Cloud", "service-account-json", "sa-key.json",
          "{\n  \"type\": \"service_account\",\n  \"project_id\": \"%s\",\n  \"private_key_id\": \"%s\",\n"
          "  \"private_key\": \"%s\",\n  \"client_email\": \"deployer@%s.iam.gserviceaccount.com\",\n"
          "  \"client_id\": \"%s\",\n  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n"
          % (proj, g.hexs(40), key, proj, g.digits(21)))
    # Google API key: "AIza" + 35 of [A-Za-z0-9_-].
    token_settings(c, g, "Google Cloud", "GOOGLE_API_KEY", "AIza" + g.s(35, B64URL), ("env", "js"))
    c.add("block", "Google Cloud", "oauth-client-secret", "client_secret.json",
          json.dumps({"installed": {"client_id": g.digits(12) + "-" + g.s(32, LOWER + DIGITS) + ".apps.googleusercontent.com",
                                    "client_secret": "GOCSPX-" + g.s(28, B64URL),
                                    "redirect_uris": ["http://localhost"]}}, indent=2) + "\n")

    # Azure Storage connection string: AccountKey = base64 of 64 bytes (88 chars, "==").
    for form in ["connstr", "json"]:
        acct = "prod" + g.s(8, LOWER + DIGITS)
        cs = "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net" % (acct, g.b64(64))
        if form == "connstr":
            c.add("block", "Azure", "env", ".env", "AZURE_STORAGE_CONNECTION_STRING=\"%s\"\n" % cs)
        else:
            c.add("block", "Azure", "appsettings-json", "appsettings.json",
                  json.dumps({"ConnectionStrings": {"Blob": cs}, "Logging": {"LogLevel": {"Default": "Information"}}}, indent=2) + "\n")
    c.add("block", "Azure", "sas-url", "download.sh",
          "curl -o data.csv 'https://prod%s.blob.core.windows.net/exports/data.csv?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2027-01-01T00:00:00Z&st=2026-12-01T00:00:00Z&spr=https&sig=%s'\n"
          % (g.s(6, LOWER), g.b64(32).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")))
    c.add("block", "Azure", "servicebus-connstr", "appsettings.json",
          json.dumps({"ServiceBus": "Endpoint=sb://orders-%s.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=%s"
                      % (g.s(5, LOWER), g.b64(32))}, indent=2) + "\n")
    # Entra ID client secret: 3 chars, "8Q~", 34 chars of [A-Za-z0-9_.~-].
    c.add("block", "Azure", "client-secret", ".env",
          "AZURE_TENANT_ID=%s\nAZURE_CLIENT_ID=%s\nAZURE_CLIENT_SECRET=%s\n"
          % (g.uuid4(), g.uuid4(), g.s(3, ALNUM) + "8Q~" + g.s(34, ALNUM + "_.~-")))

    # GitHub: classic tokens with their CRC32, fine-grained PATs.
    for prefix, st in [("ghp_", "env"), ("gho_", "json"), ("ghs_", "shell"), ("ghu_", "yaml"), ("ghr_", "python")]:
        token_settings(c, g, "GitHub", "GITHUB_TOKEN", g.github(prefix), (st,))
    c.add("block", "GitHub", "git-url", "sync.sh",
          "git clone https://x-access-token:%s@github.com/acme/infra.git\n" % g.github("ghs_"))
    token_settings(c, g, "GitHub", "GH_PAT", g.github_fine_grained(), ("env", "docker"))
    # GitLab: glpat- + 20 of [A-Za-z0-9_-].
    token_settings(c, g, "GitLab", "GITLAB_TOKEN", "glpat-" + g.s(20, B64URL), ("env", "yaml", "shell"))
    token_settings(c, g, "GitLab", "CI_DEPLOY_PASSWORD", "gldt-" + g.s(20, B64URL), ("env",))
    token_settings(c, g, "GitLab", "RUNNER_TOKEN", "glrt-" + g.s(20, B64URL), ("yaml",))
    token_settings(c, g, "GitLab", "TRIGGER_TOKEN", "glptt-" + g.hexs(40), ("shell",))

    # Slack: bot/user tokens with numeric team and user fields; webhooks; app tokens.
    token_settings(c, g, "Slack", "SLACK_BOT_TOKEN", "xoxb-%s-%s-%s" % (g.digits(12), g.digits(13), g.s(24)), ("env", "yaml", "python"))
    token_settings(c, g, "Slack", "SLACK_USER_TOKEN", "xoxp-%s-%s-%s-%s" % (g.digits(12), g.digits(12), g.digits(13), g.hexs(32)), ("env",))
    token_settings(c, g, "Slack", "SLACK_WEBHOOK_URL",
                   "https://hooks.slack.com/services/T%s/B%s/%s" % (g.s(10, UPPER + DIGITS), g.s(10, UPPER + DIGITS), g.s(24)), ("env", "json"))
    token_settings(c, g, "Slack", "SLACK_APP_TOKEN",
                   "xapp-1-A%s-%s-%s" % (g.s(10, UPPER + DIGITS), g.digits(13), g.hexs(64)), ("env",))

    # Stripe: sk_live_ / rk_live_ + 99 alphanumerics (24 in older keys); webhook whsec_ + 32.
    token_settings(c, g, "Stripe", "STRIPE_SECRET_KEY", "sk_live_" + g.s(99), ("env", "python", "js"))
    token_settings(c, g, "Stripe", "STRIPE_SECRET_KEY", "sk_live_" + g.s(24), ("yaml",))
    token_settings(c, g, "Stripe", "STRIPE_RESTRICTED_KEY", "rk_live_" + g.s(99), ("env",))
    token_settings(c, g, "Stripe", "STRIPE_WEBHOOK_SECRET", "whsec_" + g.s(32), ("env",))

    # OpenAI: project keys sk-proj-, service accounts sk-svcacct-, admin sk-admin-,
    # legacy sk- + 20 + "T3BlbkFJ" (base64 "OpenAI") + 20.
    for prefix, env, st in [("sk-proj-", "OPENAI_API_KEY", "env"), ("sk-proj-", "OPENAI_API_KEY", "python"),
                            ("sk-svcacct-", "OPENAI_API_KEY", "yaml"), ("sk-admin-", "OPENAI_ADMIN_KEY", "env")]:
        token_settings(c, g, "OpenAI", env, prefix + g.s(74, B64URL) + "T3BlbkFJ" + g.s(74, B64URL), (st,))
    token_settings(c, g, "OpenAI", "OPENAI_API_KEY", "sk-" + g.s(20) + "T3BlbkFJ" + g.s(20), ("js",))
    # Anthropic: sk-ant-api03- + 93 of [A-Za-z0-9_-] + "AA"; admin sk-ant-admin01-.
    token_settings(c, g, "Anthropic", "ANTHROPIC_API_KEY", "sk-ant-api03-" + g.s(93, B64URL) + "AA", ("env", "python"))
    token_settings(c, g, "Anthropic", "ANTHROPIC_ADMIN_KEY", "sk-ant-admin01-" + g.s(93, B64URL) + "AA", ("env",))
    # Hugging Face: hf_ + 34 letters; organization api_org_ + 34.
    token_settings(c, g, "Hugging Face", "HF_TOKEN", "hf_" + g.s(34, UPPER + LOWER), ("env", "python"))
    token_settings(c, g, "Replicate", "REPLICATE_API_TOKEN", "r8_" + g.s(37), ("env",))
    token_settings(c, g, "Groq", "GROQ_API_KEY", "gsk_" + g.s(52), ("env",))
    token_settings(c, g, "Perplexity", "PERPLEXITY_API_KEY", "pplx-" + g.s(48), ("env",))
    token_settings(c, g, "xAI", "XAI_API_KEY", "xai-" + g.s(80), ("env",))
    token_settings(c, g, "OpenRouter", "OPENROUTER_API_KEY", "sk-or-v1-" + g.hexs(64), ("env",))
    token_settings(c, g, "LangChain", "LANGSMITH_API_KEY", "lsv2_pt_" + g.hexs(32) + "_" + g.hexs(10), ("env",))
    token_settings(c, g, "Tavily", "TAVILY_API_KEY", "tvly-" + g.s(32), ("env",))
    token_settings(c, g, "NVIDIA", "NVIDIA_API_KEY", "nvapi-" + g.s(64, B64URL), ("env",))
    token_settings(c, g, "DeepSeek", "DEEPSEEK_API_KEY", "sk-" + g.hexs(32), ("env",))
    token_settings(c, g, "Alibaba Cloud", "DASHSCOPE_API_KEY", "sk-" + g.hexs(32), ("env",))
    token_settings(c, g, "Moonshot AI", "MOONSHOT_API_KEY", "sk-" + g.s(48), ("env",))
    token_settings(c, g, "Zhipu AI", "ZHIPUAI_API_KEY", g.hexs(32) + "." + g.s(16), ("env",))
    token_settings(c, g, "Mistral AI", "MISTRAL_API_KEY", g.s(32), ("env",))
    token_settings(c, g, "Cohere", "COHERE_API_KEY", g.s(40), ("env",))
    token_settings(c, g, "ElevenLabs", "ELEVENLABS_API_KEY", "sk_" + g.hexs(48), ("env",))
    token_settings(c, g, "Weights & Biases", "WANDB_API_KEY", g.hexs(40), ("env",))
    token_settings(c, g, "Langfuse", "LANGFUSE_SECRET_KEY", "sk-lf-" + g.uuid4(), ("env",))

    # Code hosting, CI, infrastructure tokens with vendor prefixes.
    token_settings(c, g, "npm", "NPM_TOKEN", g.npm(), ("env", "shell"))
    c.add("block", "npm", "npmrc", ".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=%s\n" % g.npm())
    c.add("block", "PyPI", "pypirc", ".pypirc",
          "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc%s\n" % g.b64url(110))
    token_settings(c, g, "RubyGems", "GEM_HOST_API_KEY", "rubygems_" + g.hexs(48), ("env",))
    token_settings(c, g, "NuGet", "NUGET_API_KEY", "oy2" + g.s(43, LOWER + DIGITS), ("env",))
    token_settings(c, g, "crates.io", "CARGO_REGISTRY_TOKEN", "cio" + g.s(32), ("env",))
    token_settings(c, g, "Clojars", "CLOJARS_TOKEN", "CLOJARS_" + g.hexs(60), ("env",))
    token_settings(c, g, "Docker", "DOCKERHUB_TOKEN", "dckr_pat_" + g.s(27, B64URL), ("env", "shell"))
    auth = base64.b64encode(("deploy:" + g.password(20)).encode()).decode()
    c.add("block", "Docker", "docker-config", "config.json",
          json.dumps({"auths": {"registry.gitlab.com": {"auth": auth}}}, indent="\t") + "\n")
    token_settings(c, g, "DigitalOcean", "DIGITALOCEAN_TOKEN", "dop_v1_" + g.hexs(64), ("env", "yaml"))
    token_settings(c, g, "HashiCorp", "VAULT_TOKEN", "hvs." + g.s(90, B64URL), ("env",))
    token_settings(c, g, "HashiCorp", "TFE_TOKEN", g.s(14) + ".atlasv1." + g.s(67), ("env",))
    token_settings(c, g, "Pulumi", "PULUMI_ACCESS_TOKEN", "pul-" + g.hexs(40), ("env",))
    token_settings(c, g, "Doppler", "DOPPLER_TOKEN", "dp.st.prd." + g.s(40), ("env",))
    token_settings(c, g, "Postman", "POSTMAN_API_KEY", "PMAK-" + g.hexs(24) + "-" + g.hexs(34), ("env",))
    token_settings(c, g, "Linear", "LINEAR_API_KEY", "lin_api_" + g.s(40), ("env",))
    token_settings(c, g, "Notion", "NOTION_TOKEN", "ntn_" + g.digits(11) + g.s(35), ("env",))
    token_settings(c, g, "Notion", "NOTION_TOKEN", "secret_" + g.s(43), ("yaml",))
    token_settings(c, g, "Figma", "FIGMA_TOKEN", "figd_" + g.s(40, B64URL), ("env",))
    token_settings(c, g, "Shopify", "SHOPIFY_ACCESS_TOKEN", "shpat_" + g.hexs(32), ("env",))
    token_settings(c, g, "Shopify", "SHOPIFY_API_SECRET", "shpss_" + g.hexs(32), ("env",))
    token_settings(c, g, "Square", "SQUARE_ACCESS_TOKEN", "EAAA" + g.s(60, B64URL), ("env",))
    token_settings(c, g, "Twilio SendGrid", "SENDGRID_API_KEY", "SG." + g.s(22, B64URL) + "." + g.s(43, B64URL), ("env", "python"))
    token_settings(c, g, "Mailgun", "MAILGUN_API_KEY", "key-" + g.hexs(32), ("env",))
    token_settings(c, g, "Mailchimp", "MAILCHIMP_API_KEY", g.hexs(32) + "-us" + str(g.r.randint(1, 21)), ("env",))
    token_settings(c, g, "Brevo", "BREVO_API_KEY", "xkeysib-" + g.hexs(64) + "-" + g.s(16), ("env",))
    token_settings(c, g, "Dynatrace", "DT_API_TOKEN", "dt0c01." + g.s(24, UPPER + DIGITS) + "." + g.s(64, UPPER + DIGITS), ("env",))
    token_settings(c, g, "Grafana Labs", "GRAFANA_TOKEN", "glsa_" + g.s(32) + "_" + g.hexs(8), ("env",))
    token_settings(c, g, "Sentry", "SENTRY_AUTH_TOKEN", "sntryu_" + g.hexs(64), ("env",))
    token_settings(c, g, "New Relic", "NEW_RELIC_API_KEY", "NRAK-" + g.s(27, UPPER + DIGITS), ("env",))
    token_settings(c, g, "Datadog", "DD_API_KEY", g.hexs(32), ("env", "yaml"))
    token_settings(c, g, "1Password", "OP_SERVICE_ACCOUNT_TOKEN",
                   "ops_" + base64.b64encode(json.dumps({"signInAddress": "acme.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000, "salt": g.b64url(16)}, "email": g.s(12, LOWER) + "@" + g.s(8, LOWER) + ".1passwordserviceaccounts.com", "srpX": g.hexs(64), "muk": {"alg": "A256GCM", "ext": True, "k": g.b64url(32), "key_ops": ["encrypt", "decrypt"], "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + g.s(6, UPPER + DIGITS), "throttleSecret": {"seed": g.hexs(64), "deviceUuid": g.s(26, LOWER + DIGITS)}, "deviceUuid": g.s(26, LOWER + DIGITS)}).encode()).decode().rstrip("="), ("env",))
    token_settings(c, g, "Tailscale", "TS_AUTHKEY", "tskey-auth-k" + g.s(10) + "CNTRL-" + g.s(33), ("env",))
    token_settings(c, g, "Supabase", "SUPABASE_ACCESS_TOKEN", "sbp_" + g.hexs(40), ("env",))
    token_settings(c, g, "Supabase", "SUPABASE_SERVICE_ROLE_KEY",
                   g.jwt({"iss": "supabase", "ref": g.s(20, LOWER), "role": "service_role", "iat": 1733000000, "exp": 2048576000}), ("env",))
    token_settings(c, g, "PlanetScale", "PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_" + g.s(43, B64URL), ("env",))
    token_settings(c, g, "Atlassian", "JIRA_API_TOKEN", "ATATT3xFfGF0" + g.s(170, B64URL) + "=" + g.hexs(8).upper(), ("env",))
    token_settings(c, g, "Buildkite", "BUILDKITE_API_TOKEN", "bkua_" + g.hexs(40), ("env",))
    token_settings(c, g, "Cloudflare", "CLOUDFLARE_API_TOKEN", g.s(40, B64URL), ("env",))
    token_settings(c, g, "Flutterwave", "FLW_SECRET_KEY", "FLWSECK-" + g.hexs(32) + "-X", ("env",))
    token_settings(c, g, "Telegram", "TELEGRAM_BOT_TOKEN", g.digits(10) + ":AA" + g.s(33, B64URL), ("env", "python"))
    token_settings(c, g, "Discord", "DISCORD_WEBHOOK_URL",
                   "https://discord.com/api/webhooks/%s/%s" % (g.digits(19), g.s(68, B64URL)), ("env",))
    token_settings(c, g, "DingTalk", "DINGTALK_WEBHOOK",
                   "https://oapi.dingtalk.com/robot/send?access_token=" + g.hexs(64), ("env", "yaml"))
    token_settings(c, g, "Feishu / Lark", "FEISHU_WEBHOOK",
                   "https://open.feishu.cn/open-apis/bot/v2/hook/" + g.uuid4(), ("env",))
    token_settings(c, g, "WeCom", "WECOM_WEBHOOK",
                   "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + g.uuid4(), ("env",))
    token_settings(c, g, "Microsoft", "TEAMS_WEBHOOK_URL",
                   "https://acme.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/%s/%s" % (g.uuid4(), g.uuid4(), g.hexs(32), g.uuid4()), ("env",))
    token_settings(c, g, "Google", "GOOGLE_CHAT_WEBHOOK",
                   "https://chat.googleapis.com/v1/spaces/AAAA%s/messages?key=AIza%s&token=%s"
                   % (g.s(7, B64URL), g.s(35, B64URL), g.b64url(32)), ("env",))

    # App-credential pairs (ID + secret under the provider's names).
    c.add("block", "WeChat", "yaml", "application.yml",
          "wechat:\n  mp:\n    app-id: wx%s\n    secret: %s\n    token: mytoken\n" % (g.hexs(16), g.hexs(32)))
    c.add("block", "DingTalk", "env", ".env", "DINGTALK_APP_KEY=ding%s\nDINGTALK_APP_SECRET=%s\n" % (g.s(16, LOWER + DIGITS), g.s(64, ALNUM + "_-")))
    c.add("block", "Feishu / Lark", "env", ".env", "FEISHU_APP_ID=cli_%s\nFEISHU_APP_SECRET=%s\n" % (g.hexs(16), g.s(32)))
    c.add("block", "PayPal", "env", ".env", "PAYPAL_CLIENT_ID=A%s\nPAYPAL_CLIENT_SECRET=E%s\n" % (g.s(79, B64URL), g.s(79, B64URL)))
    c.add("block", "Razorpay", "env", ".env", "RAZORPAY_KEY_ID=rzp_live_%s\nRAZORPAY_KEY_SECRET=%s\n" % (g.s(14), g.s(24)))
    c.add("block", "Mailjet", "env", ".env", "MJ_APIKEY_PUBLIC=%s\nMJ_APIKEY_PRIVATE=%s\n" % (g.hexs(32), g.hexs(32)))
    c.add("block", "Qiniu", "env", ".env", "QINIU_ACCESS_KEY=%s\nQINIU_SECRET_KEY=%s\n" % (g.s(40, B64URL), g.s(40, B64URL)))
    c.add("block", "Baidu AI Cloud", "env", ".env", "BCE_ACCESS_KEY_ID=%s\nBCE_SECRET_ACCESS_KEY=%s\n" % (g.hexs(32), g.hexs(32)))
    # B2: key ID = "00" + cluster digit + 12-hex account ID + 10-digit key number (25);
    # application key = "K00" + cluster digit + 27 base64 characters (31).
    cl = str(g.r.randint(1, 5))
    c.add("block", "Backblaze", "env", ".env", "B2_APPLICATION_KEY_ID=%s\nB2_APPLICATION_KEY=%s\n"
          % ("00" + cl + g.hexs(12) + "%010d" % g.r.randint(1, 40), "K00" + cl + g.s(27, B64)))
    c.add("block", "DigitalOcean", "env", ".env", "SPACES_ACCESS_KEY_ID=DO00%s\nSPACES_SECRET_ACCESS_KEY=%s\n" % (g.s(16, UPPER + DIGITS), g.s(43, B64)))

    # Database URLs: a real host and a strong password.
    host = lambda: "%s.%s.rds.amazonaws.com" % (g.s(8, LOWER), g.s(12, LOWER + DIGITS))
    c.add("block", "(any)", "postgres-url-env", ".env", "DATABASE_URL=postgres://app:%s@%s:5432/orders\n" % (g.password(), host()))
    c.add("block", "(any)", "mysql-url-yaml", "docker-compose.yml",
          "services:\n  api:\n    image: acme/api:1.4\n    environment:\n      DB_URL: mysql://api:%s@db1.acme-corp.net:3306/api\n" % g.password())
    c.add("block", "(any)", "mongodb-srv-python", "db.py",
          "from pymongo import MongoClient\n\nclient = MongoClient(\"mongodb+srv://svc:%s@cluster0.%s.mongodb.net/?retryWrites=true\")\n"
          % (g.password(), g.s(5, LOWER + DIGITS)))
    c.add("block", "(any)", "redis-url-js", "cache.js",
          "const redis = createClient({ url: 'rediss://default:%s@redis-%s.c1.us-east-1-2.ec2.cloud.redislabs.com:16379' });\n"
          % (g.password(24), g.digits(5)))
    c.add("block", "(any)", "amqp-url-properties", "application.properties",
          "spring.rabbitmq.addresses=amqps://orders:%s@b-%s.mq.eu-west-1.amazonaws.com:5671\n" % (g.password(), g.uuid4()))
    c.add("block", "(any)", "jdbc-properties", "db.properties",
          "jdbc.url=jdbc:postgresql://pg.prod.acme-corp.net:5432/shop?user=shop&password=%s\n" % g.password())
    c.add("block", "(any)", "connection-string-json", "appsettings.json",
          json.dumps({"ConnectionStrings": {"Default": "Server=tcp:sql-%s.database.windows.net,1433;Database=shop;User ID=shop;Password=%s;Encrypt=True;"
                                            % (g.s(6, LOWER), g.password())}}, indent=2) + "\n")
    c.add("block", "(any)", "http-basic-auth", "fetch.sh",
          "curl -H 'Authorization: Basic %s' https://ci.acme-corp.net/api/json\n"
          % base64.b64encode(("ci-bot:" + g.password(18)).encode()).decode())


def harder_block_cases(c, g):
    """Pairs and tokens in the less obvious places they are pushed from."""
    import gzip
    import io
    import tarfile
    aid, sec = g.aws_id(), g.aws_secret()
    nb = {"cells": [{"cell_type": "code", "source": ["import boto3\n", "session = boto3.Session(\n",
                                                      "    aws_access_key_id=\"%s\",\n" % aid,
                                                      "    aws_secret_access_key=\"%s\")\n" % sec]}],
          "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    c.add("block", "AWS", "jupyter", "explore.ipynb", json.dumps(nb, indent=1) + "\n")
    aid, sec = g.aws_id(), g.aws_secret()
    c.add("block", "AWS", "yaml-far-apart", "values.yaml",
          "backup:\n  s3:\n    accessKeyId: %s\n    bucket: nightly-backups\n    region: eu-central-1\n    prefix: db/\n"
          "    storageClass: STANDARD_IA\n    retentionDays: 30\n    encryption: AES256\n    secretAccessKey: %s\n" % (aid, sec),
          "ID and secret 7 lines apart in one YAML mapping")
    aid, sec = g.aws_id(), g.aws_secret()
    c.add("block", "AWS", "csharp-positional", "Storage.cs",
          "var credentials = new BasicAWSCredentials(\"%s\", \"%s\");\nvar client = new AmazonS3Client(credentials, RegionEndpoint.USEast1);\n" % (aid, sec))
    aid, sec = g.aws_id(), g.aws_secret()
    c.add("block", "AWS", "go-v2-positional", "cfg.go",
          "package cfg\n\nvar provider = credentials.NewStaticCredentialsProvider(\"%s\", \"%s\", \"\")\n" % (aid, sec))
    aid, sec = g.aws_id(), g.aws_secret()
    c.add("block", "AWS", "powershell", "deploy.ps1",
          "$env:AWS_ACCESS_KEY_ID = \"%s\"\n$env:AWS_SECRET_ACCESS_KEY = \"%s\"\nWrite-S3Object -BucketName site -Folder .\\dist\n" % (aid, sec))
    aid, sec = g.aws_id(), g.aws_secret()
    c.add("block", "AWS", "windows-batch", "deploy.bat",
          "@echo off\nset AWS_ACCESS_KEY_ID=%s\nset AWS_SECRET_ACCESS_KEY=%s\naws s3 sync dist s3://site\n" % (aid, sec))
    aid, sec = g.aws_id(), g.aws_secret()
    c.add("block", "AWS", "github-actions", "deploy.yml",
          "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: %s\n      AWS_SECRET_ACCESS_KEY: %s\n    steps:\n      - run: aws s3 sync dist s3://site\n" % (aid, sec))
    aid, sec = g.aws_id(), g.aws_secret()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        data = ("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (aid, sec)).encode()
        info = tarfile.TarInfo(".aws/credentials")
        info.size, info.mtime = len(data), 1764000000
        tf.addfile(info, io.BytesIO(data))
    c.add_bytes("block", "AWS", "tar-gz-backup", "home-backup.tar.gz", buf.getvalue(), "credentials inside a compressed archive")
    aid, sec = g.aws_id(), g.aws_secret()
    c.add_bytes("block", "AWS", "utf16-powershell-output", "env-dump.txt",
                b"\xff\xfe" + ("AWS_ACCESS_KEY_ID=%s\r\nAWS_SECRET_ACCESS_KEY=%s\r\n" % (aid, sec)).encode("utf-16-le"),
                "PowerShell 5.1 `>` writes UTF-16LE")

    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "k8s-secret-base64", "secret.yaml",
          "apiVersion: v1\nkind: Secret\nmetadata:\n  name: oss\ntype: Opaque\ndata:\n  ALIBABA_CLOUD_ACCESS_KEY_ID: %s\n  ALIBABA_CLOUD_ACCESS_KEY_SECRET: %s\n"
          % (base64.b64encode(aid.encode()).decode(), base64.b64encode(sec.encode()).decode()))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "k8s-env-list", "deployment.yaml",
          "spec:\n  containers:\n    - name: app\n      env:\n        - name: ALIBABA_CLOUD_ACCESS_KEY_ID\n          value: %s\n"
          "        - name: ALIBABA_CLOUD_ACCESS_KEY_SECRET\n          value: %s\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "php-positional", "oss.php",
          "<?php\nAlibabaCloud::accessKeyClient('%s', '%s')->regionId('cn-hangzhou')->asDefaultClient();\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "tfvars", "terraform.tfvars",
          "alicloud_access_key = \"%s\"\nalicloud_secret_key = \"%s\"\nregion = \"cn-shanghai\"\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "hadoop-xml", "core-site.xml",
          "<configuration>\n  <property>\n    <name>fs.oss.accessKeyId</name>\n    <value>%s</value>\n  </property>\n"
          "  <property>\n    <name>fs.oss.accessKeySecret</name>\n    <value>%s</value>\n  </property>\n</configuration>\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "properties", "application.properties",
          "aliyun.oss.endpoint=oss-cn-hangzhou.aliyuncs.com\naliyun.oss.accessKeyId=%s\naliyun.oss.accessKeySecret=%s\n" % (aid, sec))
    aid, sec = "LTAI5t" + g.s(18), g.s(30)
    c.add("block", "Alibaba Cloud", "ossutil-config", ".ossutilconfig",
          "[Credentials]\nlanguage=EN\nendpoint=oss-cn-hangzhou.aliyuncs.com\naccessKeyID=%s\naccessKeySecret=%s\n" % (aid, sec))
    sid, skey = "AKID" + g.s(32), g.s(32)
    c.add("block", "Tencent Cloud", "go-positional", "cvm.go",
          "package main\n\nvar credential = common.NewCredential(\"%s\", \"%s\")\n" % (sid, skey))
    ak, sk = g.s(20, UPPER + DIGITS), g.s(40)
    c.add("block", "Huawei Cloud", "java-builder", "Obs.java",
          "ICredential auth = new BasicCredentials()\n    .withAk(\"%s\")\n    .withSk(\"%s\");\n" % (ak, sk))
    c.add("block", "GitHub", "git-credentials", ".git-credentials",
          "https://deploy-bot:%s@github.com\n" % g.github("ghp_"))
    c.add("block", "Docker", "docker-config-multi", "config.json",
          json.dumps({"auths": {"https://index.docker.io/v1/": {"auth": base64.b64encode(("acmeci:" + g.password(22)).encode()).decode()},
                                "ghcr.io": {"auth": base64.b64encode(("acme-bot:" + g.github("ghp_")).encode()).decode()}},
                      "credsStore": ""}, indent="\t") + "\n")
    key = g.pem("RSA PRIVATE KEY", 1190)
    c.add("block", "Oracle Cloud", "terraform-oci", "provider.tf",
          "provider \"oci\" {\n  tenancy_ocid = \"ocid1.tenancy.oc1..aaaaaaaa%s\"\n  user_ocid    = \"ocid1.user.oc1..aaaaaaaa%s\"\n"
          "  fingerprint  = \"%s\"\n  region       = \"us-ashburn-1\"\n  private_key  = <<EOT\n%sEOT\n}\n"
          % (g.s(52, LOWER + DIGITS), g.s(52, LOWER + DIGITS), ":".join(g.hexs(2) for _ in range(16)), key))


# --- must warn ------------------------------------------------------------------

def warn_cases(c, g):
    c.add("warn", "Alibaba Cloud", "lone-id-log", "deploy.log",
          "2026-11-30 10:02:11 INFO using AccessKeyId=%s for bucket assets\n" % ("LTAI5t" + g.s(18)))
    c.add("warn", "Alibaba Cloud", "lone-secret", ".env", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n" % g.s(30))
    c.add("warn", "AWS", "lone-id", "README.md",
          "Ask ops to rotate the key `%s` used by the nightly job.\n" % g.aws_id())
    c.add("warn", "AWS", "lone-secret", "settings.py", "AWS_SECRET_ACCESS_KEY = \"%s\"\n" % g.aws_secret())
    c.add("warn", "AWS", "session-token", ".env",
          "AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjE%s\n" % g.s(300, B64))
    c.add("warn", "Tencent Cloud", "lone-id", "notes.txt", "SecretId: %s\n" % ("AKID" + g.s(32)))
    c.add("warn", "Huawei Cloud", "lone-ak", ".env", "HUAWEICLOUD_SDK_AK=%s\n" % g.s(20, UPPER + DIGITS))
    c.add("warn", "Volcengine", "lone-ak", "config.yml", "volc:\n  access_key_id: %s\n" % ("AKLT" + g.s(43)))
    # private keys (docs/rules.md: they warn unless deployment context makes them a pair)
    c.add("warn", "(any)", "pem-rsa", "server.key", g.pem("RSA PRIVATE KEY"))
    c.add("warn", "(any)", "pem-ec", "ec.pem", g.pem("EC PRIVATE KEY", 121))
    c.add("warn", "(any)", "openssh", "id_ed25519", g.pem("OPENSSH PRIVATE KEY", 300))
    c.add("warn", "(any)", "pem-in-python", "tls.py", "KEY = \"\"\"%s\"\"\"\n" % g.pem("PRIVATE KEY", 1218))
    c.add("warn", "(any)", "age-key", "key.txt",
          "# created: 2026-11-20T10:00:00Z\n# public key: age1%s\n%s\n" % (g.s(58, "qpzry9x8gf2tvdw0s3jn54khce6mua7l"), g.age_secret_key()))
    fixture_key = g.pem("PRIVATE KEY", 1218).replace("\n", "\\n")
    c.add("warn", "Google Cloud", "service-account-fixture", "service_account.json",
          json.dumps({"type": "service_account", "project_id": "test-project", "private_key_id": "1",
                      "private_key": "@@KEY@@", "client_email": "svc@test-project.iam.gserviceaccount.com"},
                     indent=2).replace("@@KEY@@", fixture_key) + "\n",
          "hand-written fixture (key id \"1\"): the key warns, the pair does not form")
    # generic passwords and keys
    c.add("warn", "(any)", "generic-password-env", ".env", "SMTP_PASSWORD=%s\n" % g.password())
    c.add("warn", "(any)", "generic-password-yaml", "values.yaml", "redis:\n  auth:\n    password: \"%s\"\n" % g.password())
    c.add("warn", "(any)", "generic-password-json", "mail.json", json.dumps({"smtpHost": "smtp.acme-corp.net", "smtpPassword": g.password()}, indent=2) + "\n")
    c.add("warn", "(any)", "generic-api-key", "settings.ini", "[geo]\napi_key = %s\n" % g.s(32))
    c.add("warn", "(any)", "bearer", "call.sh", "curl -H \"Authorization: Bearer %s\" https://api.acme-corp.net/v1/orders\n" % g.s(40, B64URL))
    c.add("warn", "(any)", "netrc", ".netrc", "machine ci.acme-corp.net login deploy password %s\n" % g.password())
    # database URLs to a local host, or with a weak password
    c.add("warn", "(any)", "postgres-localhost", ".env", "DATABASE_URL=postgres://app:%s@localhost:5432/app\n" % g.password())
    c.add("warn", "(any)", "mysql-compose-service", "docker-compose.yml",
          "services:\n  web:\n    environment:\n      DATABASE_URL: mysql://web:%s@db:3306/web\n" % g.password())
    c.add("warn", "(any)", "postgres-weak-password", "config.py",
          "SQLALCHEMY_DATABASE_URI = \"postgresql://report:passw0rd@pg.acme-corp.net/reports\"\n")
    c.add("warn", "(any)", "redis-local", "settings.py", "CACHE_URL = \"redis://:%s@127.0.0.1:6379/0\"\n" % g.password())
    # short-lived or public-by-design
    c.add("warn", "Google Cloud", "oauth-access-token", "token.txt", "access_token: ya29.a0%s\n" % g.s(160, B64URL))
    c.add("warn", "HashiCorp", "vault-batch-token", ".env", "VAULT_TOKEN=hvb.%s\n" % g.s(120, B64URL))
    c.add("warn", "Sentry", "dsn", "sentry.js",
          "Sentry.init({ dsn: 'https://%s@o%s.ingest.sentry.io/%s' });\n" % (g.hexs(32), g.digits(6), g.digits(7)))
    c.add("warn", "New Relic", "browser-key", "newrelic.js", "window.NREUM.info = { licenseKey: 'NRJS-%s' };\n" % g.hexs(19))
    c.add("warn", "PyPI", "testpypi", ".pypirc",
          "[testpypi]\nrepository = https://test.pypi.org/legacy/\nusername = __token__\npassword = pypi-AgENdGVzdC5weXBpLm9yZw%s\n" % g.b64url(110))
    c.add("warn", "GitLab", "ci-job-token", "job.sh", "curl --header \"JOB-TOKEN: glcbt-%s\" https://gitlab.acme-corp.net/api/v4/jobs\n" % g.s(20, B64URL))
    c.add("warn", "DingTalk", "lone-app-key", ".env", "DINGTALK_APP_KEY=ding%s\n" % g.s(16, LOWER + DIGITS))
    c.add("warn", "Mailjet", "lone-api-key", ".env", "MJ_APIKEY_PUBLIC=%s\n" % g.hexs(32))
    c.add("warn", "(any)", "putty-key", "deploy.ppk",
          "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n%s\n%s\nPrivate-Lines: 1\n%s\nPrivate-MAC: %s\n"
          % (g.s(64, B64), g.s(4, B64), g.s(44, B64), g.hexs(64)))
    c.add("warn", "(any)", "spring-datasource-password", "application.properties",
          "spring.datasource.url=jdbc:mysql://${DB_HOST}/shop\nspring.datasource.username=shop\nspring.datasource.password=%s\n" % g.password())
    c.add("warn", "(any)", "compose-root-password", "docker-compose.yml",
          "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: %s\n" % g.password(20))
    c.add("warn", "(any)", "generic-api-key-json", "integrations.json",
          json.dumps({"weather": {"apiKey": g.s(32), "units": "metric"}}, indent=2) + "\n")
    c.add("warn", "(any)", "mongodb-localhost", "config.js",
          "module.exports = { mongo: 'mongodb://app:%s@localhost:27017/app' };\n" % g.password())
    c.add("warn", "AWS", "lone-id-terraform", "main.tf",
          "resource \"aws_iam_access_key\" \"ci\" {\n  user = \"ci\"\n}\n# imported: %s\n" % g.aws_id())


# --- must pass ------------------------------------------------------------------

def pass_cases(c, g):
    p = lambda setting, name, text, note="": c.add("pass", "(none)", setting, name, text, note)
    p("aws-doc-example", "credentials",
      "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
      "AWS documentation's example pair")
    p("alibaba-placeholder", ".env.example",
      "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tXXXXXXXXXXXXXXXXXX\nALIBABA_CLOUD_ACCESS_KEY_SECRET=<your-access-key-secret>\n")
    p("alibaba-masked", "README.md",
      "The console shows the key as `LTAI5t%s********`; the secret is shown once, as `%s****`.\n" % (g.s(10), g.s(4)))
    p("env-references", "docker-compose.yml",
      "services:\n  app:\n    environment:\n      AWS_ACCESS_KEY_ID: ${AWS_ACCESS_KEY_ID}\n      AWS_SECRET_ACCESS_KEY: ${AWS_SECRET_ACCESS_KEY}\n"
      "      DATABASE_URL: postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app\n      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n")
    p("code-references", "settings.py",
      "import os\n\nAWS_SECRET_ACCESS_KEY = os.getenv(\"AWS_SECRET_ACCESS_KEY\")\nSTRIPE_SECRET_KEY = os.environ[\"STRIPE_SECRET_KEY\"]\n"
      "DB_PASSWORD = get_secret(\"db-password\")\napi_key = settings.API_KEY\n")
    p("helm-template", "secret.yaml",
      "apiVersion: v1\nkind: Secret\nstringData:\n  password: {{ .Values.db.password | quote }}\n  api_key: {{ .Values.apiKey }}\n")
    p("github-bad-checksum", "notes.md",
      "A made-up token for the slides: `%s`\n" % g.github_bad_checksum(),
      "ghp_ + 36 random characters: the CRC32 does not match")
    p("stripe-test-key", ".env.test", "STRIPE_SECRET_KEY=sk_test_%s\n" % g.s(99), "test mode: reaches no money")
    p("azurite-key", "local.settings.json",
      json.dumps({"Values": {"AzureWebJobsStorage": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"}}, indent=2) + "\n",
      "the published Azurite emulator key")
    p("db-doc-urls", "README.md",
      "Set `DATABASE_URL`, e.g. `postgres://user:password@localhost:5432/mydb` or\n"
      "`postgres://postgres:postgres@localhost/app`, or `mysql://app:%s@db.example.com/app`.\n" % g.password())
    p("placeholders", "config.yml",
      "openai:\n  api_key: sk-...\ngithub:\n  token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nslack:\n  bot_token: xoxb-your-bot-token\n"
      "stripe:\n  secret_key: sk_live_**************************\naws:\n  secret_access_key: <YOUR_SECRET_ACCESS_KEY>\n")
    p("masked-keys", "audit.log",
      "key rotated: old=AKIA****************, new=AKIA%s...\nopenai key sk-proj-****%s\ntoken ghp_************************************%s\n"
      % (g.s(4, BASE32), g.s(4), g.s(4)))
    p("identifiers", "Handlers.go",
      "package sts\n\nconst action = \"STS.AssumeRoleWithServiceIdentity\"\n\ntype LTAIKeyRotationHandler struct{}\n\n"
      "var AccessKeySecretPropertyName = \"accessKeySecret\"\n")
    p("hashes", "SHA256SUMS",
      "".join("%s  dist/pkg-%d.tar.gz\n" % (hashlib.sha256(g.raw(16)).hexdigest(), i) for i in range(12)))
    p("git-shas", "CHANGELOG.md",
      "".join("- %s fix: %s\n" % (hashlib.sha1(g.raw(8)).hexdigest(), w) for w in ["retry on 503", "parse empty body", "secret rotation docs", "token refresh"]))
    p("uuids-json", "requests.json",
      json.dumps([{"requestId": g.uuid4(), "traceId": g.hexs(32), "sessionToken": None, "status": 200} for _ in range(5)], indent=2) + "\n")
    lock = {"name": "web", "lockfileVersion": 3, "packages": {}}
    for name in ["react", "lodash", "axios", "zod", "vite"]:
        lock["packages"]["node_modules/" + name] = {
            "version": "1.%d.0" % g.r.randint(0, 20),
            "resolved": "https://registry.npmjs.org/%s/-/%s-1.0.0.tgz" % (name, name),
            "integrity": "sha512-" + g.b64(64)}
    p("package-lock", "package-lock.json", json.dumps(lock, indent=2) + "\n")
    p("yarn-lock", "yarn.lock",
      "".join("%s@^1.0.0:\n  version \"1.0.%d\"\n  resolved \"https://registry.yarnpkg.com/%s/-/%s-1.0.%d.tgz#%s\"\n  integrity sha512-%s\n\n"
              % (n, i, n, n, i, g.hexs(40), g.b64(64)) for i, n in enumerate(["chalk", "debug", "ms", "semver"])))
    p("go-sum", "go.sum",
      "".join("github.com/acme/%s v1.%d.0 h1:%s\n" % (n, i, g.b64(32)) for i, n in enumerate(["log", "cfg", "db", "queue"])))
    # minified JS: long lines with base64 blobs and random identifiers
    blob = ";".join("var %s=\"%s\"" % (g.s(2, LOWER), g.b64(48)) for _ in range(60))
    p("minified-js", "app.min.js", "!function(){%s}();\n" % blob)
    p("bundle-js", "vendor.bundle.js", ("(()=>{%s})();" % blob) * 3 + "\n", "long lines, not named .min.js")
    p("data-uri", "style.css", ".logo{background:url(data:image/png;base64,%s)}\n" % g.b64(900))
    p("base64-blob", "fixture.json", json.dumps({"image": g.b64(600), "checksum": hashlib.md5(g.raw(8)).hexdigest()}, indent=2) + "\n")
    p("dna", "primers.fasta", ">primer_set_1\n%s\n%s\n" % (g.s(60, "ACGT"), "ACCA" + g.s(56, "ACGT")))
    p("pem-header-only", "README.md",
      "Put your key in `key.pem`; it starts with `-----BEGIN RSA PRIVATE KEY-----` and ends with\n`-----END RSA PRIVATE KEY-----`.\n")
    p("service-account-fixture-redacted", "service_account.json",
      json.dumps({"type": "service_account", "project_id": "demo", "private_key_id": "1",
                  "private_key": "-----BEGIN PRIVATE KEY-----\\nREDACTED\\n-----END PRIVATE KEY-----\\n",
                  "client_email": "svc@demo.iam.gserviceaccount.com"}, indent=2) + "\n",
      "fixture told by content: no key material, key id \"1\"")
    p("password-code", "login.py",
      "password = getpass.getpass(\"Password: \")\nif not check_password(user, password):\n    raise PermissionError(\"bad password\")\n")
    p("password-types", "auth.pas", "type\n  TAuth = record\n    UserName: PWideChar;\n    Password: PWideChar;\n  end;\n")
    p("password-hash", "users.yml", "admin:\n  password_hash: \"$2b$12$%s\"\n" % g.s(53, ALNUM + "./"))
    p("kubernetes-ref", "deployment.yaml",
      "env:\n  - name: AWS_SECRET_ACCESS_KEY\n    valueFrom:\n      secretKeyRef:\n        name: aws\n        key: secret\n")
    p("terraform-vars", "main.tf",
      "provider \"alicloud\" {\n  access_key = var.alicloud_access_key\n  secret_key = var.alicloud_secret_key\n  region     = \"cn-hangzhou\"\n}\n")
    p("openssl-cmd", "make-cert.sh",
      "openssl req -x509 -newkey rsa:4096 -keyout key.pem -out cert.pem -days 365 -nodes -subj \"/CN=localhost\"\n")
    p("public-key", "id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s deploy@ci\n" % g.s(43, B64))
    p("certificate", "ca.crt", g.pem("CERTIFICATE", 900))
    p("openapi-scheme", "openapi.yaml",
      "components:\n  securitySchemes:\n    api_key:\n      type: apiKey\n      name: X-API-Key\n      in: header\n")
    p("i18n", "messages.properties",
      "login.password=Password\nlogin.password.hint=Enter your password\nreset.token.expired=Your reset token has expired\n")
    p("regex-docs", "CONTRIBUTING.md",
      "Keys look like `AKIA[0-9A-Z]{16}` or `LTAI[0-9A-Za-z]{20}`; tokens like `ghp_[A-Za-z0-9]{36}`.\n")
    p("cargo-lock", "Cargo.lock",
      "".join("[[package]]\nname = \"%s\"\nversion = \"0.%d.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%s\"\n\n"
              % (n, i, g.hexs(64)) for i, n in enumerate(["serde", "tokio", "regex"])))
    p("sri-html", "index.html",
      "<script src=\"https://cdn.jsdelivr.net/npm/lib@1.0.0/dist/lib.js\" integrity=\"sha384-%s\" crossorigin=\"anonymous\"></script>\n" % g.b64(48))
    p("jwt-io-example", "auth.md",
      "A JWT looks like `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`.\n")
    p("etags", "cache.json",
      json.dumps({"entries": [{"url": "/static/app.%s.js" % g.hexs(8), "etag": "W/\"%s\"" % g.hexs(32), "integrity": "sha256-" + g.b64(32)} for _ in range(4)]}, indent=2) + "\n")
    p("ci-secret-refs", "ci.yml",
      "env:\n  AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
      "  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}\n")
    p("aws-arn-and-ids", "outputs.json",
      json.dumps({"RoleArn": "arn:aws:iam::%s:role/deploy" % g.digits(12), "InstanceId": "i-" + g.hexs(17),
                  "VpcId": "vpc-" + g.hexs(17), "KmsKeyId": g.uuid4()}, indent=2) + "\n")


if __name__ == "__main__":
    main()
