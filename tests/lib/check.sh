# shellcheck shell=bash
# Helpers for script-level tests (tests/*/*_test.sh), sourced, not run.
#
#   source "$(dirname "$0")/../lib/check.sh"
#   run "$AKGATE" scan "$dir"         # captures $out, $err and $rc; never exits
#   expect_rc "clean directory exits 0" 0
#   check "report names the file" grep -q '.env' <<<"$out"
#   finish                            # prints "N passed, N failed[, N skipped]";
#                                     # returns non-zero if any failed
#
# Each check prints PASS or FAIL with its name; a FAIL shows what the command
# printed. tests/run.sh adds up every script's closing line.

AKGATE="${AKGATE:?AKGATE must name the akgate binary (tests/run.sh sets it)}"
[[ -x "$AKGATE" ]] || { echo "check.sh: $AKGATE is not an executable" >&2; exit 2; }
AKGATE="$(cd "$(dirname "$AKGATE")" && pwd)/$(basename "$AKGATE")"

checks_passed=0
checks_failed=0
checks_skipped=0
out="" err="" rc=0

# A scratch directory removed on exit.
TEST_TMP="$(mktemp -d "${TMPDIR:-/tmp}/akgate-test.XXXXXX")"
trap 'chmod -R u+rwX "$TEST_TMP" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT

# Runs a command, keeping its stdout in $out, stderr in $err, exit code in $rc.
run() {
  rc=0
  "$@" >"$TEST_TMP/.out" 2>"$TEST_TMP/.err" || rc=$?
  out="$(cat "$TEST_TMP/.out")"
  err="$(cat "$TEST_TMP/.err")"
}

# Same, with standard input from a file.
run_stdin() {
  local input="$1"; shift
  rc=0
  "$@" <"$input" >"$TEST_TMP/.out" 2>"$TEST_TMP/.err" || rc=$?
  out="$(cat "$TEST_TMP/.out")"
  err="$(cat "$TEST_TMP/.err")"
}

pass() { checks_passed=$((checks_passed + 1)); echo "PASS: $1"; }

fail() {
  checks_failed=$((checks_failed + 1))
  echo "FAIL: $1"
  [[ -z "${2:-}" ]] || echo "      $2"
  echo "      the last command run exited $rc"
  if [[ -n "$out" ]]; then
    echo "      its stdout (first 20 lines):"
    head -n 20 <<<"$out" | sed 's/^/      | /'
  fi
  if [[ -n "$err" ]]; then
    echo "      its stderr (first 20 lines):"
    head -n 20 <<<"$err" | sed 's/^/      | /'
  fi
}

skip() { checks_skipped=$((checks_skipped + 1)); echo "SKIP: $1 ($2)"; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
  local name="$1"; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# expect_rc NAME WANT: passes when the last run exited WANT.
expect_rc() {
  if [[ "$rc" == "$2" ]]; then pass "$1"; else fail "$1" "expected exit code $2, got $rc"; fi
}

# contains TEXT NEEDLE / lacks TEXT NEEDLE (fixed strings).
contains() { [[ "$1" == *"$2"* ]]; }
lacks() { [[ "$1" != *"$2"* ]]; }
# contains_all TEXT NEEDLE...: every NEEDLE is in TEXT.
contains_all() {
  local text="$1" needle; shift
  for needle in "$@"; do [[ "$text" == *"$needle"* ]] || return 1; done
}

# A random string of N letters and digits (every test key is random).
random_alnum() {
  python3 -c 'import secrets, string, sys
a = string.ascii_letters + string.digits
print("".join(secrets.choice(a) for _ in range(int(sys.argv[1]))))' "$1"
}

finish() {
  local skipped=""
  [[ "$checks_skipped" -eq 0 ]] || skipped=", $checks_skipped skipped"
  echo "$checks_passed passed, $checks_failed failed$skipped"
  [[ "$checks_failed" -eq 0 ]]
}
