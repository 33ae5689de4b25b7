# shellcheck shell=bash
# The world the gateway tests and benchmark run in, sourced (not run):
# a test CA, an upstream (git-http-backend behind nginx + fcgiwrap, basic auth:
# alice / s3cret-pass, bob / bobs-pass) and akgate-gateway itself, all on
# 127.0.0.1 with free ports, in a temporary directory $T removed on exit.
#
# Before sourcing: GATEWAY (the binary), and pass/fail/finish functions.
# After: $T, $H (HTTP gateway URL with credentials, route /h/), $S (HTTPS,
# route /s/), route /p/ (same upstream, $T/route-policy.toml over the policy), $UP_HTTP/$UP_HTTPS (upstream ports), GW_PID, GW_HTTP, GW_HTTPS,
# helpers new_upstream_repo, seed_upstream_repo, upstream_rev, add_key_file,
# write_gateway_config, start_gateway. GW_MAX_PUSH_BYTES, GW_IDLE_TIMEOUT_S, GW_SCAN_THREADS,
# GW_POLICY, GW_IDENTITY (the [identity] section; empty: none),
# GW_REQUEST_TIMEOUT_S, GW_UPSTREAM_TIMEOUT_S and GW_MAX_CONCURRENT_PUSHES set
# those limits in the configuration written; GW_EXTRA_ROUTES is appended to
# its [[route]]s.

# shellcheck source=tests/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/servers.sh"  # free_port, wait_for_port, start_git_http
# shellcheck source=tests/lib/hermetic_git.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"

T="$(mktemp -d "${TMPDIR:-/tmp}/akgate-gw-test.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  stop_servers
  wait 2>/dev/null
  if [[ -n "${AKGATE_KEEP_TEST_DIR:-}" ]]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

random_alnum() {
  python3 -c 'import secrets, string, sys
a = string.ascii_letters + string.digits
print("".join(secrets.choice(a) for _ in range(int(sys.argv[1]))))' "$1"
}

# --- test CA and certificates ---------------------------------------------------
mkdir -p "$T/tls"
(
  cd "$T/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=akgate test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf
  # A client certificate for alice (identity from a verified certificate).
  openssl req -newkey rsa:2048 -nodes -keyout alice.key -out alice.csr -subj "/CN=alice"
  printf 'extendedKeyUsage=clientAuth\n' >client.cnf
  openssl x509 -req -in alice.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out alice.pem -days 2 -extfile client.cnf
) >"$T/tls/log" 2>&1 || { fail "test CA created" "$(cat "$T/tls/log")"; finish; exit 1; }

# --- upstream: nginx + fcgiwrap + git-http-backend, basic auth ------------------
mkdir -p "$T/repos" "$T/nginx" "$T/home"
hermetic_git "$T/home" "Test Dev" dev@example.com
htpasswd -bc "$T/nginx/htpasswd" alice s3cret-pass >/dev/null 2>&1
htpasswd -b "$T/nginx/htpasswd" bob bobs-pass >/dev/null 2>&1

UP_HTTP="$(free_port)"
UP_HTTPS="$(free_port)"
start_git_http "$T/nginx" "$T/repos" "$UP_HTTP" "$UP_HTTPS" "$T/tls/server.pem" "$T/tls/server.key" ||
  { fail "upstream nginx starts" "$(cat "$T/nginx/start.log" "$T/nginx/error.log" 2>/dev/null)"; finish; exit 1; }

new_upstream_repo() {  # NAME: an empty bare repository upstream
  git init -q --bare "$T/repos/$1.git"
  git -C "$T/repos/$1.git" config receive.advertisePushOptions true
  git -C "$T/repos/$1.git" config http.receivepack true
}
seed_upstream_repo() {  # NAME: a bare repository with one commit on main
  new_upstream_repo "$1"
  local w="$T/seed-$1"
  git init -q "$w"
  echo "# $1" >"$w/README.md"
  printf 'def main():\n    return 0\n' >"$w/app.py"
  git -C "$w" add . && git -C "$w" commit -qm "initial"
  git -C "$w" push -q "$T/repos/$1.git" main
}
upstream_rev() { git --git-dir="$T/repos/$1.git" rev-parse --verify -q "$2" 2>/dev/null; }

# --- the gateway ----------------------------------------------------------------
DOWN_PORT="$(free_port)"   # nothing listens there
mkdir -p "$T/gw/tmp" "$T/gw2/tmp"
# The fingerprint key next to the policy, where the gateway looks by default.
(umask 077 && openssl rand -hex 32 >"$T/fingerprint.key")
cat >"$T/policy.toml" <<EOF
[bypass]
who = ["alice"]
require_reason = true
[audit]
log = "$T/audit.log"
EOF
# The route /p/ reaches the same upstream under a policy of its own, laid
# over the server-wide one: there bob may bypass and alice may not.
cat >"$T/route-policy.toml" <<EOF
[bypass]
who = ["bob"]
EOF
# The route /m/ reaches it in monitor mode: nothing refused, all recorded.
cat >"$T/monitor-policy.toml" <<EOF
[gate]
mode = "monitor"
EOF
# Who pushes (identity.h): here the git client itself plays the authenticating
# proxy, sending X-Akgate-User from 127.0.0.1 (git -c http.extraHeader=...);
# HTTPS clients may show alice's certificate instead.
GW_IDENTITY_DEFAULT="[identity]
header = \"X-Akgate-User\"
trusted_proxies = [\"127.0.0.1/32\"]
client_certificate = true"
write_gateway_config() {  # DIR
  cat >"$1/gateway.toml" <<EOF
[server]
threads = 2
scan_threads = ${GW_SCAN_THREADS:-2}
temp_dir = "$1/tmp"
[[server.listen]]
address = "127.0.0.1"
port = 0
[[server.listen]]
address = "127.0.0.1"
port = 0
tls_cert = "$T/tls/server.pem"
tls_key = "$T/tls/server.key"
client_ca = "$T/tls/ca.pem"
[limits]
max_header_bytes = 8192
max_push_bytes = ${GW_MAX_PUSH_BYTES:-8388608}
max_concurrent_pushes = ${GW_MAX_CONCURRENT_PUSHES:-32}
idle_timeout_s = ${GW_IDLE_TIMEOUT_S:-5}
request_timeout_s = ${GW_REQUEST_TIMEOUT_S:-120}
shutdown_grace_s = 30
[upstream]
connect_timeout_s = 5
timeout_s = ${GW_UPSTREAM_TIMEOUT_S:-300}
[[route]]
prefix = "/h/"
upstream = "http://127.0.0.1:$UP_HTTP/git/"
[[route]]
prefix = "/s/"
upstream = "https://localhost:$UP_HTTPS/git/"
ca_file = "$T/tls/ca.pem"
[[route]]
prefix = "/p/"
upstream = "http://127.0.0.1:$UP_HTTP/git/"
policy = "$T/route-policy.toml"
[[route]]
prefix = "/m/"
upstream = "http://127.0.0.1:$UP_HTTP/git/"
policy = "$T/monitor-policy.toml"
[[route]]
prefix = "/down/"
upstream = "http://127.0.0.1:$DOWN_PORT/git/"
${GW_EXTRA_ROUTES:-}
${GW_IDENTITY-$GW_IDENTITY_DEFAULT}
[inspect]
policy = "${GW_POLICY:-$T/policy.toml}"
[log]
level = "info"
file = "$1/gateway.log"
EOF
}
start_gateway() {  # DIR: starts it, sets GW_PID, GW_HTTP, GW_HTTPS
  rm -f "$1/ports"
  "$GATEWAY" --config "$1/gateway.toml" --ports-file "$1/ports" >"$1/stdout" 2>"$1/stderr" &
  GW_PID=$!
  pids+=("$GW_PID")
  for _ in $(seq 1 100); do [[ -s "$1/ports" ]] && break; sleep 0.1; done
  [[ -s "$1/ports" ]] || return 1
  GW_HTTP="$(sed -n 1p "$1/ports")"
  GW_HTTPS="$(sed -n 2p "$1/ports")"
}
write_gateway_config "$T/gw"
if ! start_gateway "$T/gw"; then
  fail "gateway starts" "$(cat "$T/gw/stderr" "$T/gw/gateway.log" 2>/dev/null)"
  finish
  exit 1
fi
pass "gateway starts (http :$GW_HTTP, https :$GW_HTTPS)"
H="http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/h"
S="https://alice:s3cret-pass@localhost:$GW_HTTPS/s"
export GIT_SSL_CAINFO="$T/tls/ca.pem"

# A fake Alibaba Cloud AccessKey pair, random each run.
AK_ID="LTAI5t$(random_alnum 18)"
AK_SECRET="$(random_alnum 30)"
add_key_file() {  # WORKTREE FILE
  cat >"$1/$2" <<EOF
from aliyunsdkcore.client import AcsClient

client = AcsClient("$AK_ID", "$AK_SECRET", "cn-hangzhou")
EOF
}

