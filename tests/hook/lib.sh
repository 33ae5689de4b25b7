# shellcheck shell=bash
# Helpers for the pre-receive end-to-end tests (tests/hook/*_test.sh): real
# bare repositories, the real git client over file://, the hook installed as
# hooks/pre-receive (a two-line wrapper exec'ing the built binary). Sourced.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # also sources ../lib/check.sh
#   server="$(new_server main)"                      # bare repo with the hook
#   work="$(new_clone "$server" work)"
#   commit_file "$work" app.ini "$(alibaba_pair)" "Add config"
#   push "$work" origin main                         # $out $err $rc, like run
#   expect_rc "a key is rejected" 1
#
# Hermetic: HOME, git config and the policy live in the test's temp dir;
# every key is random; only loopback is used.

# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# shellcheck source=tests/lib/hermetic_git.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"
hermetic_git "$TEST_TMP/home" "Test Pusher" pusher@example.com

# The server-wide policy every test hook reads (tests rewrite it as needed).
export AKGATE_POLICY="$TEST_TMP/policy.toml"
AUDIT_LOG="$TEST_TMP/audit.log"
OUTBOX="$TEST_TMP/outbox.db"   # the notification outbox, not the host's /var/lib/akgate
write_policy() {  # write_policy [extra TOML...]: the audit log and outbox plus what is given
  { printf '[audit]\nlog = "%s"\n[outbox]\nfile = "%s"\nfollow = 3\n' "$AUDIT_LOG" "$OUTBOX"; printf '%s\n' "$@"; } >"$AKGATE_POLICY"
}
write_policy
# The installation's fingerprint key, where the hook looks for it: next to
# the policy (engine/fingerprint.h). Random, as a real one is.
(umask 077 && openssl rand -hex 32 >"$TEST_TMP/fingerprint.key")

# new_server NAME [DIR]: a bare repository with the hook and push options on;
# prints its path.
new_server() {
  local path="${2:-$TEST_TMP}/$1"
  git init -q --bare "$path"
  git -C "$path" config receive.advertisePushOptions true
  install_hook "$path"
  printf '%s\n' "$path"
}

install_hook() {
  printf '#!/bin/sh\nexec "%s" pre-receive\n' "$AKGATE" >"$1/hooks/pre-receive"
  chmod +x "$1/hooks/pre-receive"
}

# without_hook SERVER COMMAND...: runs COMMAND with the server's hook removed
# (to seed history that predates akgate).
without_hook() {
  local server="$1"; shift
  mv "$server/hooks/pre-receive" "$server/hooks/pre-receive.off"
  "$@" >/dev/null 2>&1
  local status=$?
  mv "$server/hooks/pre-receive.off" "$server/hooks/pre-receive"
  return $status
}

# new_clone SERVER NAME: a working clone at $TEST_TMP/NAME with one commit
# pushed (without the hook) when the server is empty; prints its path.
new_clone() {
  local server="$1" path="$TEST_TMP/$2"
  git clone -q "file://$server" "$path" 2>/dev/null
  if ! git -C "$path" rev-parse -q --verify HEAD >/dev/null; then
    printf '# demo\n' >"$path/README.md"
    git -C "$path" add README.md
    git -C "$path" commit -q -m "Initial commit"
    without_hook "$server" git -C "$path" push -q origin main
  fi
  printf '%s\n' "$path"
}

# commit_file WORK PATH CONTENT MESSAGE: writes, adds and commits one file.
commit_file() {
  local work="$1" file="$2" content="$3" message="$4"
  mkdir -p "$(dirname "$work/$file")"
  printf '%s' "$content" >"$work/$file"
  git -C "$work" add -- "$file"
  git -C "$work" commit -q -m "$message"
}

# push WORK ARGS...: git push from WORK; $out, $err, $rc as with run.
push() {
  local work="$1"; shift
  run git -C "$work" push "$@"
}

# The server's value of a ref, or "none".
server_ref() { git -C "$1" rev-parse -q --verify "$2" 2>/dev/null || echo none; }

# The last audit line's fields: a Python expression on `a` (the parsed line);
# a tuple prints space-separated.
audit_field() {
  python3 -c 'import json,sys
lines=[l for l in open(sys.argv[1]) if l.strip()]
a=json.loads(lines[-1])
v=eval(sys.argv[2])
print(" ".join(map(str, v)) if isinstance(v, tuple) else v)' "$AUDIT_LOG" "$1"
}
audit_lines() { [[ -f "$AUDIT_LOG" ]] && grep -c . "$AUDIT_LOG" || echo 0; }

# --- random keys, one shape per default provider (rules/default.toml) --------
random_from() {  # random_from N ALPHABET
  python3 -c 'import secrets,sys
print("".join(secrets.choice(sys.argv[2]) for _ in range(int(sys.argv[1]))))' "$1" "$2"
}
AN=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789
alibaba_pair() {
  printf 'access_key_id = LTAI5t%s\naccess_key_secret = %s\n' "$(random_alnum 18)" "$(random_alnum 30)"
}
# A legacy ID is 16 mixed-case alphanumerics. Lower case, a digit and a capital
# up front keep a random one clear of the global allowlist's shapes (all
# lower case and digits, capital hex, camelCase words): a random 16 drawn from
# narrower alphabets was all lower case and digits about once in a hundred.
alibaba_legacy_pair() {
  printf 'ALIBABA_CLOUD_ACCESS_KEY_ID=%s\nALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n' \
    "$(random_from 4 abcdefghijklmnopqrstuvwxyz)$(random_from 1 0123456789)$(random_from 1 ABCDEFGHIJKLMNOPQRSTUVWXYZ)$(random_alnum 10)" \
    "$(random_alnum 30)"
}
alibaba_sts() {
  printf 'access_key_id: STS.%s\naccess_key_secret: %s\nsecurity_token: CAIS%s\n' \
    "$(random_alnum 25)" "$(random_alnum 44)" "$(random_from 200 "${AN}+/")"
}
aws_pair() {
  printf '[default]\naws_access_key_id = AKIA%s\naws_secret_access_key = %s\n' \
    "$(random_from 16 ABCDEFGHIJKLMNOPQRSTUVWXYZ234567)" "$(random_from 40 "${AN}/+")"
}
tencent_pair() { printf 'SecretId: AKID%s\nSecretKey: %s\n' "$(random_alnum 32)" "$(random_alnum 32)"; }
huawei_pair() {
  printf 'CLOUD_SDK_AK=%s\nCLOUD_SDK_SK=%s\n' "$(random_from 16 ABCDEFGHIJKLMNOPQRSTUVWXYZ)$(random_from 4 0123456789)" \
    "$(random_alnum 40)"
}
volcengine_pair() { printf 'VOLC_ACCESSKEY=AKLT%s\nVOLC_SECRETKEY=%s==\n' "$(random_alnum 40)" "$(random_alnum 58)"; }
# A key file as Google issues it: its private_key_id (40 hex digits) is what
# tells it from a hand-written fixture (docs/rules.md, "Private keys").
gcp_service_account() {
  printf '{\n  "type": "service_account",\n  "project_id": "demo",\n  "private_key_id": "%s",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n%s\\n%s\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "demo@demo.iam.gserviceaccount.com"\n}\n' \
    "$(random_from 40 0123456789abcdef)" "$(random_from 64 "${AN}+/")" "$(random_from 64 "${AN}+/")"
}
stripe_key() { printf 'STRIPE_KEY=sk_live_%s\n' "$(random_alnum 32)"; }

# The pusher-visible lines: git's "remote: " prefix kept, its trailing
# padding (it clears progress output) removed.
remote_lines() { sed -n 's/ *$//; /^remote: /p' <<<"$err"; }

# The fingerprint the hook printed for the first finding.
first_fingerprint() { sed -n 's/.*fingerprint \([0-9a-f]\{16\}\).*/\1/p' <<<"$err" | head -n 1; }
