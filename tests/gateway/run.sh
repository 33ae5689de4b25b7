#!/usr/bin/env bash
# akgate-gateway end to end: the real git client, through the gateway, to a
# real upstream (git-http-backend behind nginx + fcgiwrap, basic auth
# required), over HTTP and HTTPS (a test CA made here), all on 127.0.0.1 with
# free ports.
#
#   bash tests/gateway/run.sh BUILD_DIR
#
# Needs nginx, fcgiwrap, htpasswd (apache2-utils), openssl, curl, python3
# (install/deps.sh test). Prints one line per check and "N passed, N failed";
# exits non-zero when a check failed. Everything started is stopped on exit.
set -uo pipefail

build_dir="${1:?usage: tests/gateway/run.sh BUILD_DIR}"
build_dir="$(cd "$build_dir" && pwd)"
GATEWAY="$build_dir/akgate-gateway"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $1"
  [[ -z "${2:-}" ]] || sed 's/^/      | /' <<<"$2" | head -n 30
}
# check NAME COMMAND...: passes when COMMAND succeeds.
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name" "${detail:-}"; fi; }
finish() {
  echo "$passed passed, $failed failed"
  [[ "$failed" -eq 0 ]]
}

for tool in nginx fcgiwrap htpasswd openssl curl python3 git; do
  if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x "/usr/sbin/$tool" ]]; then
    echo "tests/gateway/run.sh: '$tool' not found (bash install/deps.sh test)"
    fail "test dependencies present"
    finish
    exit 1
  fi
done
[[ -x "$GATEWAY" ]] || { fail "akgate-gateway built" "$GATEWAY is not an executable"; finish; exit 1; }
source "$here/env.sh"
source "$here/cases.sh"
source "$here/hardening_cases.sh"
source "$here/held_cases.sh"

finish
