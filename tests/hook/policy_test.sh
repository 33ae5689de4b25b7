#!/usr/bin/env bash
# The hook's policy over real pushes: bypass (allowed and refused), allowing
# one finding, broken configuration and the fail mode, bad input, the time
# budget, rule overrides, notifications (webhook up and down, command) and
# the audit line.
#
#   AKGATE=build/akgate bash tests/hook/policy_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
base="$(git -C "$work" rev-parse HEAD)"
me="$(id -un)"

# --- bypass -------------------------------------------------------------------------
commit_file "$work" conf/app.ini "$(alibaba_pair)" "Add config"
push "$work" -o 'akgate.bypass=test fixture, not a real key' origin main
expect_rc "bypass refused when the policy lets nobody bypass" 1
check "bypass refused: the pusher is told why" grep -q "Bypass refused: the policy does not let $me bypass akgate" <<<"$err"
check "bypass refused: audited" test "$(audit_field 'a["decision"], a["bypass_requested"]')" = "reject True"

write_policy '[bypass]' 'who = ["someone-else"]'
push "$work" -o 'akgate.bypass=test fixture' origin main
expect_rc "bypass refused for a pusher not listed" 1

write_policy '[bypass]' "who = [\"$me\"]"
push "$work" -o akgate.bypass origin main
expect_rc "bypass refused without a reason" 1
check "bypass without a reason: told a reason is required" grep -q "a reason is required" <<<"$err"

export GL_USERNAME=release-bot
write_policy '[bypass]' 'who = ["release-bot"]'
push "$work" -o 'akgate.bypass=test fixture, not a real key' origin main
expect_rc "bypass allowed for a listed pusher (GL_USERNAME) with a reason" 0
check "bypass: the report says who bypassed and why" grep -q "bypassed by release-bot" <<<"$err"
check "bypass: audited with the reason" test "$(audit_field 'a["decision"], a["pusher"], a["bypass_reason"]')" = "bypass release-bot test fixture, not a real key"
check "bypass: the ref was updated" test "$(server_ref "$server" main)" = "$(git -C "$work" rev-parse HEAD)"
unset GL_USERNAME
base="$(git -C "$work" rev-parse HEAD)"
write_policy

# --- allowing one finding by fingerprint --------------------------------------------
commit_file "$work" samples/fixture.ini "$(alibaba_pair)" "Test fixture"
push "$work" origin main
fp="$(first_fingerprint)"
expect_rc "a fixture key is rejected first" 1
check "the report shows how to allow it, with a reason" grep -q 'akgate.reason="why it is not a secret"' <<<"$err"
push "$work" -o "akgate.allow=$fp" origin main
expect_rc "-o akgate.allow without a reason is refused (the default)" 1
check "allow without a reason: told how to give one" grep -q "a reason is required: git push -o" <<<"$err"
push "$work" -o "akgate.allow=$fp" -o "akgate.reason=test fixture, fake key" origin main
expect_rc "-o akgate.allow=<fingerprint> with a reason lets that finding through" 0
check "allow: listed as allowed" grep -q "by -o akgate.allow" <<<"$err"
check "allow: audited with the finding, who and why" test "$(audit_field 'a["allowed_fingerprints"][0], a["findings"][0]["disposition"], a["findings"][0]["path"], a["pusher"], a["allow_reason"]')" = "$fp allowed-by-push-option samples/fixture.ini $me test fixture, fake key"
check "allow: the audit's cause is not clean" test "$(audit_field 'a["cause"], a["decision"]')" = "allowed accept"
base="$(git -C "$work" rev-parse HEAD)"

commit_file "$work" samples/two.ini "$(alibaba_pair)" "Two keys"
commit_file "$work" samples/three.ini "$(alibaba_pair)" "Three keys"
push "$work" origin main
fp2="$(first_fingerprint)"
push "$work" -o "akgate.allow=$fp2" -o "akgate.reason=fixture" origin main
expect_rc "-o akgate.allow allows one finding, not the others" 1
push "$work" -o akgate.allow=nothex origin main
check "a malformed -o akgate.allow is explained" grep -q "akgate.allow=nothex is not a fingerprint" <<<"$err"

git -C "$server" config receive.advertisePushOptions false
push "$work" origin main
check "push options off on the server: the report does not suggest git push -o" lacks "$err" "git push -o akgate.allow="
check "push options off on the server: offers the allowlist lines for an administrator" grep -q "\[allowlist\] fingerprints" <<<"$err"
git -C "$server" config receive.advertisePushOptions true

write_policy '[bypass]' 'allow_who = ["nobody"]'
push "$work" -o "akgate.allow=$fp2" -o "akgate.reason=fixture" origin main
check "-o akgate.allow refused when the policy does not permit it" grep -q "akgate.allow ignored" <<<"$err"
write_policy '[allowlist]' "fingerprints = [\"$fp2\"]"
push "$work" origin main
expect_rc "the policy's fingerprint allowlist allows one finding, not the other" 1
git -C "$work" reset -q --hard "$base"
write_policy

# --- fingerprints of akgate before 0.2 in the allowlist: still allow, reported ----------
joined() { remote_lines | sed 's/^remote: *//' | tr '\n' ' ' | tr -s ' '; }  # the report, unwrapped
id="LTAI5t$(random_alnum 18)" secret="$(random_alnum 30)"
commit_file "$work" samples/old.ini "$(printf 'access_key_id = %s\naccess_key_secret = %s\n' "$id" "$secret")" "Old fixture"
push "$work" origin main
new_fp="$(first_fingerprint)"
# The old form: the first 64 bits of SHA-256(rule id NUL secret NUL secret), unkeyed.
old_fp="$(python3 -c 'import hashlib,sys; print(hashlib.sha256("\0".join(sys.argv[1:]).encode()).hexdigest()[:16])' \
  alibaba-accesskey-pair "$id" "$secret")"
write_policy '[allowlist]' "fingerprints = [\"$old_fp\"]"
push "$work" origin main
expect_rc "a pre-0.2 fingerprint in [allowlist] still allows its finding" 0
check "the pusher's report names the old entry and the fingerprint to replace it with" \
  grep -q "\"$old_fp\" is in the form of akgate before 0.2; replace it with \"$new_fp\"" <<<"$(joined)"
check "audited: allowlist_migration maps the old entry to the new fingerprint" \
  test "$(audit_field 'a["allowlist_migration"][0]["entry"], a["allowlist_migration"][0]["fingerprint"], a["findings"][0]["disposition"]')" = "$old_fp $new_fp allowed-by-policy"
check "the old fingerprint is never shown as a finding's" \
  test "$(audit_field 'a["findings"][0]["fingerprint"]')" = "$new_fp"
base="$(git -C "$work" rev-parse HEAD)"  # it was accepted
write_policy

# --- the fingerprint key: no key, no check -------------------------------------------
commit_file "$work" samples/nokey.ini "$(alibaba_pair)" "Key fixture"
mv "$TEST_TMP/fingerprint.key" "$TEST_TMP/fingerprint.key.off"
push "$work" origin main
expect_rc "a missing fingerprint key: the push is refused (fail closed)" 1
check "the pusher is told which key file is missing" grep -qF "fingerprint key $TEST_TMP/fingerprint.key: no such file" <<<"$(joined)"
check "audited as an error" test "$(audit_field 'a["cause"]')" = "error"
mv "$TEST_TMP/fingerprint.key.off" "$TEST_TMP/fingerprint.key"
chmod 644 "$TEST_TMP/fingerprint.key"
push "$work" origin main
expect_rc "a fingerprint key others can read: refused" 1
check "the pusher is told the key's mode is wrong" grep -q "lets other users read or change it" <<<"$(joined)"
chmod 600 "$TEST_TMP/fingerprint.key"
(umask 077 && openssl rand -hex 32 >"$TEST_TMP/other.key")
AKGATE_FINGERPRINT_KEY="$TEST_TMP/other.key" push "$work" origin main
other_fp="$(first_fingerprint)"
push "$work" origin main
check "\$AKGATE_FINGERPRINT_KEY picks another key: another fingerprint for the same key" test "$other_fp" != "$(first_fingerprint)"
git -C "$work" reset -q --hard "$base"

# --- akgate:allow in pushed content: never silent ------------------------------------
marked="$(alibaba_pair | sed '1s/$/  # akgate:allow/')"
commit_file "$work" conf/marked.ini "$marked" "A key marked akgate:allow"
push "$work" origin main
expect_rc "an akgate:allow line does not let a key in by default" 1
check "akgate:allow not honoured: the pusher is told why" grep -q "on a line marked akgate:allow or gitleaks:allow" <<<"$err"
check "akgate:allow not honoured: audited as a block" test "$(audit_field 'a["findings"][0]["disposition"], a["findings"][0]["path"]')" = "block conf/marked.ini"
write_policy '[allowlist]' 'inline = "allow"'
push "$work" origin main
expect_rc "[allowlist] inline = \"allow\": the marked key is let in" 0
check "inline allow: shown to the pusher" grep -q "by an akgate:allow line" <<<"$err"
check "inline allow: not \"clean\" in the audit, counted" test "$(audit_field 'a["cause"], a["allowed"], a["allowed_inline"]')" = "allowed 1 1"
check "inline allow: audited with the finding (path, line, commit, fingerprint, redacted)" python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).read().splitlines()[-1])
f = a["findings"][0]
assert f["disposition"] == "allowed-inline" and f["path"] == "conf/marked.ini" and f["line"] == 1, f
assert f["commit"] == sys.argv[2] and len(f["fingerprint"]) == 16 and "…" in f["redacted"][0], f' "$AUDIT_LOG" "$(git -C "$work" rev-parse HEAD)"
base="$(git -C "$work" rev-parse HEAD)"
write_policy

# --- rule overrides and the per-repository file --------------------------------------
commit_file "$work" aws.ini "$(aws_pair)" "AWS key"
printf '[rules.actions]\naws-accesskey-pair = "warn"\n' >"$server/akgate.toml"
push "$work" origin main
expect_rc "per-repository policy turns a rule into a warning: accepted" 0
check "warning shown on the accepted push" grep -q "push accepted with 1 warning" <<<"$err"
rm "$server/akgate.toml"
base="$(git -C "$work" rev-parse HEAD)"

# --- broken configuration: a clear message, and a broken policy always blocks ----------
commit_file "$work" clean.txt "clean $(random_alnum 8)" "Clean change"
printf '[limits]\ntime_budget = "soon"\n' >"$AKGATE_POLICY"
push "$work" origin main
expect_rc "broken policy: fail closed by default" 1
check "broken policy: the message names the file, line and key" grep -q "policy $AKGATE_POLICY:2: limits: 'time_budget' must be" <<<"$err"
check "broken policy: the pusher is told a broken policy blocks" grep -q "A policy that cannot be read is never trusted" <<<"$err"
printf '[audit]\nlog = "%s"\n[limits]\non_error = "allow"\n[[[ not toml\n' "$AUDIT_LOG" >"$AKGATE_POLICY"
push "$work" origin main
expect_rc "broken policy with on_error = \"allow\": still fails closed (nothing of it is trusted)" 1
check "broken policy: its file and line are named" grep -q "policy $AKGATE_POLICY:5:" <<<"$err"
check "broken policy: the pusher is told it is never trusted" grep -q "A policy that cannot be read is never trusted" <<<"$err"
write_policy '[limits]' 'on_error = "allow"'
printf '[limits]\non_error = "allow"\n[bypass]\nwho = ["*"]\n[limits\n' >"$server/akgate.toml"
push "$work" -o "akgate.bypass=the repository file says anyone may" origin main
expect_rc "broken per-repository policy with on_error = \"allow\": fail closed, its bypass list unused" 1
check "broken per-repository policy: that file and line are named" grep -q "policy $server/akgate.toml:5" <<<"$err"
check "broken per-repository policy: the server policy is not blamed" lacks "$err" "The server's policy says"
check "broken per-repository policy: audited as an unreadable policy" test "$(audit_field 'a["cause"], a["fail_mode"], a["policy_unreadable"]')" = "error block True"
rm "$server/akgate.toml"
write_policy
push "$work" origin main
expect_rc "the clean change goes in once the policy is fixed" 0
base="$(git -C "$work" rev-parse HEAD)"
commit_file "$work" clean2.txt "clean $(random_alnum 8)" "Clean change"
write_policy '[rules]' 'files = ["/nonexistent/rules.toml"]'
push "$work" origin main
expect_rc "missing rule file: fail closed" 1
check "missing rule file: named" grep -q "/nonexistent/rules.toml" <<<"$err"
write_policy

# --- bad input on stdin, the time budget (hook run directly) -------------------------
run_stdin /dev/null env GIT_DIR="$server" "$AKGATE" pre-receive
expect_rc "no ref updates: accepted" 0
printf 'this is not a ref update\n' >"$TEST_TMP/bad-stdin"
run_stdin "$TEST_TMP/bad-stdin" env GIT_DIR="$server" "$AKGATE" pre-receive
expect_rc "malformed stdin: fail closed" 1
check "malformed stdin: the line and the problem are named" grep -q "ref update line 1: \"this\" is not an object id" <<<"$err"
write_policy '[limits]' 'time_budget = 1' 'on_timeout = "block"'
start=$(date +%s%N)
run_stdin <(sleep 5) env GIT_DIR="$server" "$AKGATE" pre-receive   # stdin that never ends in time
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "time budget: a check that cannot finish is blocked (on_timeout = block)" 1
check "time budget: the pusher is told" grep -q "the check did not finish in time" <<<"$err"
check "time budget: audited as a timeout" test "$(audit_field 'a["cause"], a["decision"]')" = "timeout reject"
check "time budget: enforced (exited before stdin closed: ${elapsed_ms} ms)" test "$elapsed_ms" -lt 4000
write_policy '[limits]' 'time_budget = 0.5' 'on_timeout = "allow"'
run_stdin <(sleep 3) env GIT_DIR="$server" "$AKGATE" pre-receive
expect_rc "time budget: on_timeout = allow lets it through" 0
write_policy

# --- notifications -------------------------------------------------------------------
cat >"$TEST_TMP/receiver.py" <<'PY'
import http.server, sys
out, port_file = sys.argv[1], sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out, "ab") as f:
            f.write(self.path.encode() + b" " + self.headers.get("Content-Type", "").encode() + b" " + body + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
PY
python3 "$TEST_TMP/receiver.py" "$TEST_TMP/posted" "$TEST_TMP/port" &
receiver=$!
for _ in $(seq 50); do [[ -s "$TEST_TMP/port" ]] && break; sleep 0.1; done
port="$(cat "$TEST_TMP/port" 2>/dev/null)"

write_policy '[notify]' "webhook = \"http://127.0.0.1:$port/akgate?token=t\"" \
  "command = [\"/bin/sh\", \"-c\", \"cat > '$TEST_TMP/command.json'\"]"
commit_file "$work" notify.ini "$(alibaba_pair)" "Key for the webhook"
push "$work" origin main
expect_rc "webhook up: the push is still rejected" 1
check "webhook: one POST received" test "$(grep -c . "$TEST_TMP/posted" 2>/dev/null)" = 1
posted="$(sed 's/^[^{]*//' "$TEST_TMP/posted" 2>/dev/null)"
check "webhook: JSON to the configured path" grep -q "^/akgate?token=t application/json {" "$TEST_TMP/posted"
check "webhook: the JSON says block, with the finding redacted" python3 -c '
import json, sys
e = json.loads(sys.argv[1])
assert e["event"] == "block" and e["decision"] == "reject", e
f = e["findings"][0]
assert f["path"] == "notify.ini" and len(f["fingerprint"]) == 16 and "…" in f["redacted"][0], f' "$posted"
check "webhook: no secret in the notification" lacks "$posted" "$(sed -n 's/access_key_secret = //p' "$work/notify.ini")"
check "command: got the same event on stdin" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["event"] == "block"' "$TEST_TMP/command.json"
check "audit: notification recorded as delivered" test "$(audit_field 'a.get("notified")')" = True

export REMOTE_USER=alice
write_policy '[bypass]' 'who = ["alice"]' '[notify]' "webhook = \"http://127.0.0.1:$port/akgate\""
push "$work" -o "akgate.bypass=false positive: sample data" origin main
expect_rc "bypass via REMOTE_USER: accepted" 0
check "webhook: bypass notified with the reason" python3 -c '
import json, sys
e = json.loads(open(sys.argv[1]).read().splitlines()[-1].split(" ", 2)[2])
assert e["event"] == "bypass" and e["bypass_reason"] == "false positive: sample data" and e["pusher"] == "alice", e' "$TEST_TMP/posted"
unset REMOTE_USER
base="$(git -C "$work" rev-parse HEAD)"

# https: a local receiver with a certificate from a test CA. Verified with
# the CA given (webhook_ca_file), refused without it.
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=akgate test" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$TEST_TMP/tls.key" -out "$TEST_TMP/tls.crt" >/dev/null 2>&1
  cat >"$TEST_TMP/tls-receiver.py" <<'PY'
import http.server, ssl, sys
out, port_file, cert, key = sys.argv[1:5]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out, "ab") as f:
            f.write(body + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(port_file, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
PY
  python3 "$TEST_TMP/tls-receiver.py" "$TEST_TMP/tls-posted" "$TEST_TMP/tls-port" "$TEST_TMP/tls.crt" "$TEST_TMP/tls.key" &
  tls_receiver=$!
  for _ in $(seq 50); do [[ -s "$TEST_TMP/tls-port" ]] && break; sleep 0.1; done
  tls_port="$(cat "$TEST_TMP/tls-port" 2>/dev/null)"
  commit_file "$work" tls.ini "$(alibaba_pair)" "Key for the https webhook"
  write_policy '[notify]' "webhook = \"https://127.0.0.1:$tls_port/hook\"" "webhook_ca_file = \"$TEST_TMP/tls.crt\""
  push "$work" origin main
  check "https webhook with the receiver's CA: delivered" test "$(audit_field 'a.get("notified")')" = True
  check "https webhook: the receiver got the event" grep -q '"event":"block"' "$TEST_TMP/tls-posted"
  write_policy '[notify]' "webhook = \"https://127.0.0.1:$tls_port/hook\""
  push "$work" origin main
  check "https webhook with an unknown CA: refused (peer verified)" test "$(audit_field 'a["notified"], "webhook" in a["notify_errors"][0]')" = "False True"
  expect_rc "https webhook refused: the decision is unchanged" 1
  kill "$tls_receiver" 2>/dev/null
  wait "$tls_receiver" 2>/dev/null
  git -C "$work" reset -q --hard "$base"
else
  skip "https webhook" "no openssl command"
fi

kill "$receiver" 2>/dev/null
wait "$receiver" 2>/dev/null
write_policy '[notify]' "webhook = \"http://127.0.0.1:$port/akgate\"" 'webhook_timeout = 2'
commit_file "$work" down.ini "$(alibaba_pair)" "Key while the receiver is down"
start=$(date +%s%N)
push "$work" origin main
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "webhook receiver down: the decision is unchanged (rejected)" 1
check "webhook receiver down: no delay beyond its timeout (${elapsed_ms} ms)" test "$elapsed_ms" -lt 3000
check "webhook receiver down: the failure is audited" test "$(audit_field 'a["notified"], "webhook" in a["notify_errors"][0]')" = "False True"
write_policy '[notify]' 'webhook = "http://192.0.2.1:9/unreachable"' 'webhook_timeout = 1'
start=$(date +%s%N)
push "$work" origin main
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc "webhook unreachable: still rejected" 1
check "webhook unreachable: bounded by webhook_timeout (${elapsed_ms} ms)" test "$elapsed_ms" -lt 2500
write_policy

# --- monitor mode: decided as when enforcing, let through, recorded ----------------
# (the clone may hold rejected commits from above: both ends are put back after)
server_before="$(server_ref "$server" main)"
work_before="$(git -C "$work" rev-parse HEAD)"
write_policy '[gate]' 'mode = "monitor"'
commit_file "$work" monitor.ini "$(alibaba_pair)" "Key in monitor mode"
push "$work" origin main
expect_rc "monitor mode: a push that would be rejected is let through" 0
check "monitor mode: the pusher is told it would have been rejected" grep -q "push ACCEPTED IN MONITOR MODE; it would have been REJECTED: [0-9]* secrets\\? found" <<<"$err"
check "monitor mode: the finding is listed with its fingerprint" grep -q "fingerprint [0-9a-f]\{16\}" <<<"$err"
check "monitor mode: the ref was updated" test "$(server_ref "$server" main)" = "$(git -C "$work" rev-parse HEAD)"
check "monitor mode: audited as monitor, with the cause and the blocking finding" test "$(audit_field 'a["decision"], a["cause"], a["blocking"] > 0, [f["disposition"] for f in a["findings"] if f["path"] == "monitor.ini"]')" = "monitor findings True ['block']"
printf '[gate]\nmode = "enforce"\n' >"$server/akgate.toml"
commit_file "$work" monitor2.ini "$(alibaba_pair)" "Another key"
push "$work" origin main
expect_rc "monitor mode: a repository's akgate.toml can enforce where the server monitors" 1
rm "$server/akgate.toml"
printf '[gate]\nmode = "monitor"\n[audit]\nlog = "/proc/akgate-nowhere/audit.log"\n' >"$AKGATE_POLICY"
push "$work" origin main
expect_rc "monitor mode: a push that cannot be recorded is refused, like a bypass" 1
check "monitor mode unrecorded: says why" grep -q "this push would be let through in monitor mode" <<<"$err"
printf '[gate]\nmode = "monitor"\n[limits]\ntime_budget = "soon"\n' >"$AKGATE_POLICY"
push "$work" origin main
expect_rc "monitor mode: a policy that did not load still blocks" 1
write_policy
push "$work" origin main
expect_rc "enforcing again: the same kind of push is rejected" 1
git -C "$server" update-ref refs/heads/main "$server_before"
git -C "$work" reset -q --hard "$work_before"

# --- the audit log cannot be written: the decision stands, the pusher is told -------
write_policy
printf '[audit]\nlog = "/proc/akgate-nowhere/audit.log"\n' >"$AKGATE_POLICY"
push "$work" origin main
fp_down="$(first_fingerprint)"
expect_rc "audit log unwritable: decision unchanged" 1
check "audit log unwritable: the pusher is told" grep -q "this decision was not recorded" <<<"$err"
printf '[audit]\nlog = "/proc/akgate-nowhere/audit.log"\n[bypass]\nwho = ["%s"]\n' "$me" >"$AKGATE_POLICY"
push "$work" -o "akgate.bypass=release now" origin main
expect_rc "audit log unwritable: a bypass is refused" 1
check "unrecordable bypass: the pusher is told why" grep -q "push REJECTED: it could not be recorded" <<<"$err"
check "unrecordable bypass: names the log" grep -q "/proc/akgate-nowhere/audit.log" <<<"$err"
check "unrecordable bypass: the ref is unchanged" test "$(server_ref "$server" main)" = "$base"
printf '[audit]\nlog = ""\n' >"$AKGATE_POLICY"
push "$work" -o "akgate.allow=$fp_down" -o "akgate.reason=fixture" origin main
expect_rc "no audit log configured: an allow is refused" 1
check "unrecordable allow: says no audit log is configured" grep -q "no audit log is configured" <<<"$err"
write_policy

finish
