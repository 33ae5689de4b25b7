#!/usr/bin/env bash
# `akgate verify` against fake STS endpoints of Alibaba Cloud, AWS and
# Tencent Cloud (fake_providers.py) over HTTPS with a test CA. The fakes check
# every signature on their own (the vendors' documented sample code; botocore
# for SigV4) and answer like the real APIs: a pair is reported live only when
# its request was accepted as correctly signed, and the fake's log must say
# so. Covered: root key, user, STS session, wrong secret, unknown and
# disabled keys, expired token, throttling, an answer slower than the
# timeout, a dead endpoint, an untrusted certificate, JSON output, the cache,
# and that the secret is in no request, no output and no cache file.
#
#   AKGATE=build/akgate bash tests/verify/verify_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
# shellcheck source=tests/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/servers.sh"

T="$TEST_TMP"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in openssl python3; do
  command -v "$tool" >/dev/null || { fail "$tool is installed (bash install/deps.sh test)"; finish; exit 1; }
done
python3 -c 'import botocore.auth' 2>/dev/null ||
  { fail "python3-botocore is installed (bash install/deps.sh test)"; finish; exit 1; }

# --- test CA, the fakes' certificate --------------------------------------------
mkdir -p "$T/tls"
(
  cd "$T/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=akgate verify test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf
) >"$T/tls/log" 2>&1 || { fail "test CA created" "$(cat "$T/tls/log")"; finish; exit 1; }

# --- fake keys (random, made here) ------------------------------------------------
# One python3 for all of them (each start costs about a second on a loaded machine).
eval "$(python3 - <<'PY'
import secrets, string
A, U = string.ascii_letters + string.digits, string.ascii_uppercase + string.digits
r = lambda n, alphabet=A: "".join(secrets.choice(alphabet) for _ in range(n))
keys = {
    "ALI_ROOT": "LTAI" + r(20), "ALI_USER": "LTAI" + r(20), "ALI_STS": "STS." + r(24), "ALI_OLD": "STS." + r(24),
    "ALI_OFF": "LTAI" + r(20), "ALI_BUSY": "LTAI" + r(20), "ALI_SLOW": "LTAI" + r(20),
    "AWS_ROOT": "AKIA" + r(16, U), "AWS_USER": "AKIA" + r(16, U), "AWS_STS": "ASIA" + r(16, U),
    "AWS_OLD": "ASIA" + r(16, U), "AWS_BUSY": "AKIA" + r(16, U),
    "TC_ROOT": "AKID" + r(32), "TC_USER": "AKID" + r(32), "TC_STS": "AKID" + r(32), "TC_OLD": "AKID" + r(32),
    "TC_BUSY": "AKID" + r(32),
}
for name, value in list(keys.items()):
    length = 30 if name.startswith("ALI") else 32 if name.startswith("TC") else 40
    keys[name + "_S"] = r(length)
keys["AWS_ROOT_S"] = r(18) + "/+" + r(20)  # SigV4 secrets hold / and +
keys.update(ALI_TOKEN="CAIS" + r(60), ALI_OLD_TOKEN="CAIS" + r(60), AWS_TOKEN="IQoJb3JpZ2luX2Vj" + r(80) + "/+==",
            AWS_OLD_TOKEN="IQoJb3JpZ2luX2Vj" + r(80), TC_TOKEN=r(64), TC_OLD_TOKEN=r(64),
            WRONG_30=r(30), WRONG_30B=r(30), WRONG_40=r(40), WRONG_32=r(32),
            NEW_ALI="LTAI" + r(20), NEW_AWS="AKIA" + r(16, U), NEW_TC="AKID" + r(32))
for name, value in keys.items():
    print(f"{name}='{value}'")
PY
)"
cat >"$T/keys.json" <<JSON
{
  "alibaba": {
    "$ALI_ROOT": {"secret": "$ALI_ROOT_S", "type": "Account", "account": "1234567890123456"},
    "$ALI_USER": {"secret": "$ALI_USER_S", "type": "RAMUser", "account": "1234567890123456", "user": "alice", "principal": "276000000000001"},
    "$ALI_STS": {"secret": "$ALI_STS_S", "type": "AssumedRoleUser", "account": "1234567890123456", "user": "ci-deploy/session-7", "token": "$ALI_TOKEN"},
    "$ALI_OLD": {"secret": "$ALI_OLD_S", "type": "AssumedRoleUser", "account": "1234567890123456", "user": "ci-deploy/old", "token": "$ALI_OLD_TOKEN", "expired": true},
    "$ALI_OFF": {"secret": "$ALI_OFF_S", "type": "RAMUser", "account": "1234567890123456", "user": "bob", "behaviour": "inactive"},
    "$ALI_BUSY": {"secret": "$ALI_BUSY_S", "type": "RAMUser", "account": "1234567890123456", "user": "carol", "behaviour": "throttle"},
    "$ALI_SLOW": {"secret": "$ALI_SLOW_S", "type": "RAMUser", "account": "1234567890123456", "user": "dave", "behaviour": "slow"}
  },
  "aws": {
    "$AWS_ROOT": {"secret": "$AWS_ROOT_S", "type": "root", "account": "111122223333"},
    "$AWS_USER": {"secret": "$AWS_USER_S", "type": "user", "account": "111122223333", "user": "deploy-bot"},
    "$AWS_STS": {"secret": "$AWS_STS_S", "type": "assumed-role", "account": "111122223333", "user": "Admin/jane", "token": "$AWS_TOKEN"},
    "$AWS_OLD": {"secret": "$AWS_OLD_S", "type": "assumed-role", "account": "111122223333", "user": "Admin/old", "token": "$AWS_OLD_TOKEN", "expired": true},
    "$AWS_BUSY": {"secret": "$AWS_BUSY_S", "type": "user", "account": "111122223333", "user": "busy", "behaviour": "throttle"}
  },
  "tencent": {
    "$TC_ROOT": {"secret": "$TC_ROOT_S", "type": "CAMUser", "account": "100000000001"},
    "$TC_USER": {"secret": "$TC_USER_S", "type": "CAMUser", "account": "100000000001", "user": "100000000011"},
    "$TC_STS": {"secret": "$TC_STS_S", "type": "AssumedRole", "account": "100000000001", "user": "4611686018427397920:build", "token": "$TC_TOKEN"},
    "$TC_OLD": {"secret": "$TC_OLD_S", "type": "AssumedRole", "account": "100000000001", "user": "4611686018427397920:old", "token": "$TC_OLD_TOKEN", "expired": true},
    "$TC_BUSY": {"secret": "$TC_BUSY_S", "type": "CAMUser", "account": "100000000001", "user": "100000000012", "behaviour": "throttle"}
  }
}
JSON

# --- the fakes ---------------------------------------------------------------------
LOG="$T/requests.jsonl"
: >"$LOG"
python3 "$HERE/fake_providers.py" "$T/keys.json" "$T/tls/server.pem" "$T/tls/server.key" "$T/ports.json" "$LOG" \
  >"$T/fake.log" 2>&1 &
FAKE_PID=$!
trap 'kill "$FAKE_PID" 2>/dev/null; chmod -R u+rwX "$TEST_TMP" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 1 100); do [[ -s "$T/ports.json" ]] && break; sleep 0.1; done
[[ -s "$T/ports.json" ]] || { fail "the fake endpoints started" "$(cat "$T/fake.log")"; finish; exit 1; }
port() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/ports.json" "$1"; }
ALI_EP="https://127.0.0.1:$(port alibaba)"
AWS_EP="https://127.0.0.1:$(port aws)"
TC_EP="https://127.0.0.1:$(port tencent)"

export AKGATE_FINGERPRINT_KEY="$T/fingerprint.key"
(umask 077 && openssl rand -hex 32 >"$AKGATE_FINGERPRINT_KEY")

# ask PROVIDER ENDPOINT ID SECRET [args...]: the secret on stdin, no cache,
# a timeout of $ASK_TIMEOUT seconds (5).
ask() {
  local provider="$1" endpoint="$2" id="$3" secret="$4"; shift 4
  printf '%s\n' "$secret" >"$T/secret"
  run_stdin "$T/secret" "$AKGATE" verify --provider "$provider" --id "$id" --endpoint "$endpoint" \
    --ca-file "$T/tls/ca.pem" --timeout "${ASK_TIMEOUT:-5}" --no-cache "$@"
  rm -f "$T/secret"
}
# verdict ID: what the fake decided of the last request signed with ID (its
# log is json.dumps' lines: "key_id": "ID", "verdict": "V").
verdict() {
  local line
  line="$(grep -F "\"key_id\": \"$1\"," "$LOG" | tail -n 1)"
  [[ -n "$line" ]] || { echo no-request; return; }
  sed -E 's/.*"verdict": "([^"]*)".*/\1/' <<<"$line"
}
requests_with() { grep -cF "\"key_id\": \"$1\"," "$LOG" || true; }
no_secret_out() { lacks "$out$err" "$1"; }

# --- Alibaba Cloud -------------------------------------------------------------------
ask alibaba "$ALI_EP" "$ALI_ROOT" "$ALI_ROOT_S"
expect_rc "alibaba root key: exit 1 (live)" 1
check "alibaba root key: the fake accepted the ACS3 signature" [ "$(verdict "$ALI_ROOT")" = signature-ok ]
check "alibaba root key: 'live: root key of account 1234…; disable it now'" \
  contains "$out" "live: root key of account 1234…; disable it now"
check "alibaba root key: the account ID is redacted, the secret printed nowhere" \
  eval 'lacks "$out" 1234567890123456 && no_secret_out "$ALI_ROOT_S"'

ask alibaba "$ALI_EP" "$ALI_USER" "$ALI_USER_S"
expect_rc "alibaba RAM user: exit 1 (live)" 1
check "alibaba RAM user: signature accepted, named" \
  eval '[ "$(verdict "$ALI_USER")" = signature-ok ] && contains "$out" "live: RAM user alice of account 1234…"'

export ALI_TOKEN_VAR="$ALI_TOKEN"
ask alibaba "$ALI_EP" "$ALI_STS" "$ALI_STS_S" --token-env ALI_TOKEN_VAR
expect_rc "alibaba STS session: exit 1 (live)" 1
check "alibaba STS session: token signed and accepted; a temporary credential, its role and session" \
  eval '[ "$(verdict "$ALI_STS")" = signature-ok ] && contains "$out" "live: temporary credential (ci-deploy/session-7) of account 1234…"'

ask alibaba "$ALI_EP" "$ALI_ROOT" "$WRONG_30"
expect_rc "alibaba wrong secret: exit 0 (not live)" 0
check "alibaba wrong secret: the fake refused the signature; reported as signature mismatch" \
  eval '[ "$(verdict "$ALI_ROOT")" = signature-mismatch ] && contains "$out" "not live: SignatureDoesNotMatch"'

ask alibaba "$ALI_EP" "$NEW_ALI" "$WRONG_30"
expect_rc "alibaba unknown key: exit 0" 0
check "alibaba unknown key: InvalidAccessKeyId.NotFound" contains "$out" "not live: InvalidAccessKeyId.NotFound"

ask alibaba "$ALI_EP" "$ALI_OFF" "$ALI_OFF_S"
check "alibaba disabled key: not live, InvalidAccessKeyId.Inactive" \
  eval '[ "$rc" = 0 ] && contains "$out" "not live: InvalidAccessKeyId.Inactive: the key is disabled"'

export ALI_OLD_TOKEN_VAR="$ALI_OLD_TOKEN"
ask alibaba "$ALI_EP" "$ALI_OLD" "$ALI_OLD_S" --token-env ALI_OLD_TOKEN_VAR
check "alibaba expired STS token: signature accepted, then not live: InvalidSecurityToken.Expired" \
  eval '[ "$rc" = 0 ] && [ "$(verdict "$ALI_OLD")" = expired-token ] && contains "$out" "not live: InvalidSecurityToken.Expired"'

ask alibaba "$ALI_EP" "$ALI_BUSY" "$ALI_BUSY_S"
check "alibaba throttled: exit 3, unknown: Throttling.User" \
  eval '[ "$rc" = 3 ] && contains "$out" "unknown: Throttling.User"'

start=$(date +%s%N)
ASK_TIMEOUT=1 ask alibaba "$ALI_EP" "$ALI_SLOW" "$ALI_SLOW_S"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "alibaba answer slower than --timeout 1: unknown: timeout, exit 3" \
  eval '[ "$rc" = 3 ] && contains "$out" "unknown: timeout"'
check "alibaba slow answer: returned within the bound (${elapsed_ms} ms, at least 1000, under 2500)" \
  eval '[ "$elapsed_ms" -ge 1000 ] && [ "$elapsed_ms" -lt 2500 ]'

dead="$(free_port)"
ask alibaba "https://127.0.0.1:$dead" "$ALI_ROOT" "$ALI_ROOT_S"
check "a dead endpoint: unknown: network, exit 3" eval '[ "$rc" = 3 ] && contains "$out" "unknown: network"'

printf '%s\n' "$ALI_USER_S" >"$T/secret"
before="$(requests_with "$ALI_USER")"
run_stdin "$T/secret" "$AKGATE" verify --provider alibaba --id "$ALI_USER" --endpoint "$ALI_EP" --no-cache --timeout 5
check "a certificate no trusted CA signed: unknown (TLS refused), no request sent" \
  eval '[ "$rc" = 3 ] && contains "$out" "unknown: network" && [ "$(requests_with "$ALI_USER")" = "$before" ]'

ask aws "$ALI_EP" "$AWS_USER" "$AWS_USER_S"
check "a SigV4 request at the Alibaba endpoint is refused, not live or unknown (the fakes are strict)" \
  eval '[ "$rc" != 1 ] && [ "$(verdict "$AWS_USER")" = malformed ]'

ask alibaba "$ALI_EP" "$ALI_ROOT" "$ALI_ROOT_S" --format json
check "JSON: status, identity type, redacted IDs, summary" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["status"] == "live" and r["identity_type"] == "root", r
assert r["account_id"] == "1234\u2026" and "1234567890123456" not in json.dumps(r), r
assert r["key_id"] != sys.argv[2] and r["key_id"].startswith(sys.argv[2][:4]), r["key_id"]
assert r["summary"].startswith("live: root key of account"), r
assert r["cached"] is False and r["provider"] == "alibaba"
' "$out" "$ALI_ROOT"
check "JSON: the sample in docs/verify.md is this answer (all but the key ID and the time)" python3 -c '
import json, re, sys
doc = json.loads(re.search(r"```json\n(.*?)```", open(sys.argv[2]).read(), re.S).group(1))
r = json.loads(sys.argv[1])
assert set(doc) == set(r), (sorted(doc), sorted(r))
for k in doc:
    if k not in ("key_id", "checked_at"):
        assert doc[k] == r[k], (k, doc[k], r[k])
' "$out" "$HERE/../../docs/verify.md"

# --- AWS -------------------------------------------------------------------------------
ask aws "$AWS_EP" "$AWS_ROOT" "$AWS_ROOT_S"
check "aws root user: botocore accepted the SigV4 signature; live root key, exit 1" \
  eval '[ "$rc" = 1 ] && [ "$(verdict "$AWS_ROOT")" = signature-ok ] && contains "$out" "live: root key of account 1111…; disable it now"'
ask aws "$AWS_EP" "$AWS_USER" "$AWS_USER_S"
check "aws IAM user: live, named" \
  eval '[ "$rc" = 1 ] && [ "$(verdict "$AWS_USER")" = signature-ok ] && contains "$out" "live: IAM user deploy-bot of account 1111…"'
export AWS_TOKEN_VAR="$AWS_TOKEN"
ask aws "$AWS_EP" "$AWS_STS" "$AWS_STS_S" --token-env AWS_TOKEN_VAR
check "aws assumed role: X-Amz-Security-Token signed; live temporary credential" \
  eval '[ "$rc" = 1 ] && [ "$(verdict "$AWS_STS")" = signature-ok ] && contains "$out" "live: temporary credential (Admin/jane)"'
ask aws "$AWS_EP" "$AWS_USER" "$WRONG_40"
check "aws wrong secret: botocore's signature differs; not live: SignatureDoesNotMatch" \
  eval '[ "$rc" = 0 ] && [ "$(verdict "$AWS_USER")" = signature-mismatch ] && contains "$out" "not live: SignatureDoesNotMatch"'
ask aws "$AWS_EP" "$NEW_AWS" "$WRONG_40"
check "aws unknown key: not live: InvalidClientTokenId" eval '[ "$rc" = 0 ] && contains "$out" "not live: InvalidClientTokenId"'
export AWS_OLD_TOKEN_VAR="$AWS_OLD_TOKEN"
ask aws "$AWS_EP" "$AWS_OLD" "$AWS_OLD_S" --token-env AWS_OLD_TOKEN_VAR
check "aws expired token: not live: ExpiredToken" \
  eval '[ "$rc" = 0 ] && [ "$(verdict "$AWS_OLD")" = expired-token ] && contains "$out" "not live: ExpiredToken"'
ask aws "$AWS_EP" "$AWS_BUSY" "$AWS_BUSY_S"
check "aws throttled: unknown: Throttling, exit 3" eval '[ "$rc" = 3 ] && contains "$out" "unknown: Throttling"'

# --- Tencent Cloud -----------------------------------------------------------------------
ask tencent "$TC_EP" "$TC_ROOT" "$TC_ROOT_S"
check "tencent account's own key: the TC3 signature accepted; live root key, exit 1" \
  eval '[ "$rc" = 1 ] && [ "$(verdict "$TC_ROOT")" = signature-ok ] && contains "$out" "live: root key of account 1000…; disable it now"'
ask tencent "$TC_EP" "$TC_USER" "$TC_USER_S"
check "tencent CAM user: live, its UIN" \
  eval '[ "$rc" = 1 ] && [ "$(verdict "$TC_USER")" = signature-ok ] && contains "$out" "live: CAM user 100000000011 of account 1000…"'
export TC_TOKEN_VAR="$TC_TOKEN"
ask tencent "$TC_EP" "$TC_STS" "$TC_STS_S" --token-env TC_TOKEN_VAR
check "tencent role credential: X-TC-Token accepted; live temporary credential" \
  eval '[ "$rc" = 1 ] && [ "$(verdict "$TC_STS")" = signature-ok ] && contains "$out" "live: temporary credential"'
ask tencent "$TC_EP" "$TC_USER" "$WRONG_32"
check "tencent wrong secret: not live: AuthFailure.SignatureFailure" \
  eval '[ "$rc" = 0 ] && [ "$(verdict "$TC_USER")" = signature-mismatch ] && contains "$out" "not live: AuthFailure.SignatureFailure"'
ask tencent "$TC_EP" "$NEW_TC" "$WRONG_32"
check "tencent unknown key: not live: AuthFailure.SecretIdNotFound" \
  eval '[ "$rc" = 0 ] && contains "$out" "not live: AuthFailure.SecretIdNotFound"'
export TC_OLD_TOKEN_VAR="$TC_OLD_TOKEN"
ask tencent "$TC_EP" "$TC_OLD" "$TC_OLD_S" --token-env TC_OLD_TOKEN_VAR
check "tencent expired token: not live: AuthFailure.TokenFailure" \
  eval '[ "$rc" = 0 ] && contains "$out" "not live: AuthFailure.TokenFailure"'
ask tencent "$TC_EP" "$TC_BUSY" "$TC_BUSY_S"
check "tencent throttled: unknown: RequestLimitExceeded, exit 3" \
  eval '[ "$rc" = 3 ] && contains "$out" "unknown: RequestLimitExceeded"'

# --- the cache -------------------------------------------------------------------------------
CACHE="$T/cache/verify.sqlite"
cached_ask() {
  printf '%s\n' "$4" >"$T/secret"
  run_stdin "$T/secret" "$AKGATE" verify --provider "$1" --id "$3" --endpoint "$2" --ca-file "$T/tls/ca.pem" \
    --cache "$CACHE" "${@:5}"
  rm -f "$T/secret"
}
n0="$(requests_with "$ALI_USER")"
cached_ask alibaba "$ALI_EP" "$ALI_USER" "$ALI_USER_S"
n1="$(requests_with "$ALI_USER")"
cached_ask alibaba "$ALI_EP" "$ALI_USER" "$ALI_USER_S"
n2="$(requests_with "$ALI_USER")"
check "cache: the first call asks the provider, the second answers from the cache" \
  eval '[ "$n1" = $((n0 + 1)) ] && [ "$n2" = "$n1" ] && contains "$out" "live: RAM user alice" && contains "$out" "(cached answer)"'
cached_ask alibaba "$ALI_EP" "$ALI_USER" "$WRONG_30B"
check "cache: another secret for the same ID is asked, not answered from the cache" \
  eval '[ "$(requests_with "$ALI_USER")" = $((n2 + 1)) ] && contains "$out" "not live: SignatureDoesNotMatch"'
cached_ask alibaba "$ALI_EP" "$ALI_BUSY" "$ALI_BUSY_S"
cached_ask alibaba "$ALI_EP" "$ALI_BUSY" "$ALI_BUSY_S"
check "cache: an unknown answer (throttled) is not kept" eval '[ "$(requests_with "$ALI_BUSY")" = 3 ] && lacks "$out" cached'
cached_ask alibaba "$ALI_EP" "$ALI_USER" "$ALI_USER_S" --cache-ttl 0
sleep 1.1
cached_ask alibaba "$ALI_EP" "$ALI_USER" "$ALI_USER_S" --cache-ttl 0
check "cache: past its TTL an answer is asked again" eval 'lacks "$out" "(cached answer)"'
check "cache: the file is private (0600) and holds neither the secrets nor the key IDs" \
  eval '[ "$(stat -c %a "$CACHE")" = 600 ] && ! grep -aqF -e "$ALI_USER_S" -e "$ALI_USER" -e "$ALI_BUSY" "$CACHE"'

# --- the secret: never on the command line, never sent, never printed -------------------------
run "$AKGATE" verify --provider alibaba --id "$ALI_ROOT" --secret "$ALI_ROOT_S" --no-cache
check "there is no --secret option (argv is visible in ps): usage error" eval '[ "$rc" = 2 ] && no_secret_out "$ALI_ROOT_S"'
run "$AKGATE" verify --provider alibaba --id "$ALI_ROOT" --no-cache </dev/null
check "no secret on stdin: exit 2, says how to give it" eval '[ "$rc" = 2 ] && contains "$err" "no secret on standard input"'
export ALI_SECRET_VAR="$ALI_ROOT_S"
run "$AKGATE" verify --provider alibaba --id "$ALI_ROOT" --secret-env ALI_SECRET_VAR --endpoint "$ALI_EP" \
  --ca-file "$T/tls/ca.pem" --no-cache
check "--secret-env: the secret from the environment; live" eval '[ "$rc" = 1 ] && contains "$out" "live: root key"'
run_stdin /dev/null "$AKGATE" verify --provider gcp --id x --no-cache
check "an unknown provider: exit 2, names the choices" eval '[ "$rc" = 2 ] && contains "$err" "alibaba, aws or tencent"'
check "no request carried a secret, in any header, the query or the body" \
  python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert r and not any(e["secret_in_request"] for e in r)' "$LOG"
check "no fake crashed on any request" eval '! grep -q fake-crashed "$LOG"'

finish
