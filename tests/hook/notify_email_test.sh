#!/usr/bin/env bash
# Email notifications over a real push: SMTP with STARTTLS (the server's
# certificate verified against the test CA) and AUTH PLAIN, against a local
# fake server (tests/hook/smtp_server.py) that refuses mail in the clear.
#
#   AKGATE=build/akgate bash tests/hook/notify_email_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v openssl >/dev/null; then
  skip "email notifications" "no openssl command"
  finish
  exit
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=akgate test" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$TEST_TMP/tls.key" -out "$TEST_TMP/tls.crt" >/dev/null 2>&1
password="$(random_alnum 20)"
python3 "$here/smtp_server.py" "$TEST_TMP/mail.log" "$TEST_TMP/smtp.port" "$TEST_TMP/tls.crt" "$TEST_TMP/tls.key" \
  akgate "$password" &
smtp=$!
trap 'kill $smtp 2>/dev/null; chmod -R u+rwX "$TEST_TMP" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 50); do [[ -s "$TEST_TMP/smtp.port" ]] && break; sleep 0.1; done
port="$(cat "$TEST_TMP/smtp.port")"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
email_policy() {  # email_policy PASSWORD [CA_FILE]
  write_policy '[notify]' 'console_url = "https://console.example.com"' '[[notify.target]]' 'name = "security"' \
    'kind = "email"' "url = \"smtp://127.0.0.1:$port\"" 'from = "akgate@example.com"' \
    'to = ["sec@example.com", "oncall@example.com"]' 'username = "akgate"' "password = \"$1\"" \
    "ca_file = \"${2:-}\"" 'timeout = 5'
}

email_policy "$password" "$TEST_TMP/tls.crt"
commit_file "$work" mail.ini "$(alibaba_pair)" "Key for the email"
push "$work" origin main
expect_rc "email: the push is rejected" 1
check "email: delivered (audited)" test "$(audit_field 'a["notified"]')" = True
check "email: sent after STARTTLS, from and to as configured" python3 - "$TEST_TMP/mail.log" <<'PY'
import json, sys
m = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert m["tls"] and m["from"] == "akgate@example.com" and m["rcpt"] == ["sec@example.com", "oncall@example.com"], m
assert m["headers"]["Subject"].startswith("=?UTF-8?B?"), m["headers"]
PY
event="$(audit_field 'a["event_id"]')"
check "email: the message says what, where, the redacted key and the console link" python3 - "$TEST_TMP/mail.log" "$event" <<'PY'
import json, sys
t = json.loads(open(sys.argv[1]).read().splitlines()[-1])["text"]
for want in ("push blocked", "Repository: ", "alibaba", "mail.ini", "…", "https://console.example.com/leaks/", sys.argv[2]):
    assert want in t, (want, t)
PY
check "email: no secret in the message" lacks "$(cat "$TEST_TMP/mail.log")" "$(sed -n 's/access_key_secret = //p' "$work/mail.ini")"

email_policy "wrong-$password" "$TEST_TMP/tls.crt"
push "$work" origin main
check "email: wrong credentials are a failure naming AUTH, and queued" \
  test "$(audit_field '"AUTH PLAIN" in a["notify_errors"][0], a["notify_queued"]')" = "True 1"

email_policy "$password"
push "$work" origin main
check "email: a server certificate from an unknown CA is refused" \
  test "$(audit_field '"TLS handshake" in a["notify_errors"][0]')" = True

finish
