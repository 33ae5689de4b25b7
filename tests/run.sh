#!/usr/bin/env bash
# The one test command: installs missing dependencies, builds, runs the unit
# tests (CTest) and every script-level test (tests/*/*_test.sh). That covers
# the suites with a run.sh of their own: tests/hook/*_test.sh are the scripts
# tests/hook/run.sh runs, and tests/transport/transport_test.sh (like
# tests/gateway/gateway_test.sh) runs its run.sh on this build directory.
#
#   bash tests/run.sh              release build in build/
#   bash tests/run.sh --sanitize   ASan + UBSan build in build-asan/
#
# Closes with "N passed, N failed", counting each CTest test (each doctest
# test case) and each script check, and exits non-zero when anything failed.
# AKGATE_BUILD_DIR: build directory instead of build/, as for install/build.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build_args=()
build_dir="${AKGATE_BUILD_DIR:-$root/build}"   # as install/build.sh
for arg in "$@"; do
  case "$arg" in
    --sanitize) build_args+=(--sanitize); build_dir="$root/build-asan" ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tests/run.sh: unknown option '$arg' (options: --sanitize)" >&2; exit 2 ;;
  esac
done

# Sanitizer reports fail the run; UBSan shows where.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Leaks in libraries that are not akgate's are listed, with why, in tests/lsan.supp.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"

passed=0
failed=0
failures=()
log_dir="$(mktemp -d "${TMPDIR:-/tmp}/akgate-tests.XXXXXX")"
trap 'rm -rf "$log_dir"' EXIT

closing_line() {
  echo "$passed passed, $failed failed"
  [[ "$failed" -eq 0 ]]
}

# --- build ----------------------------------------------------------------------
bash install/deps.sh build test
if ! bash install/build.sh "${build_args[@]}"; then
  echo "tests/run.sh: the build failed; no test ran"
  failed=1
  closing_line
  exit 1
fi

# --- unit tests (CTest): one CTest test per doctest case ------------------------
echo
echo "==> ctest ($build_dir)"
ctest_rc=0
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error 2>&1 |
  tee "$log_dir/ctest.log" || ctest_rc=$?
# "100% tests passed, 0 tests failed out of 3"
if read -r t_failed t_total < <(sed -nE 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$log_dir/ctest.log" | tail -n 1) &&
   [[ -n "$t_total" ]]; then
  passed=$((passed + t_total - t_failed))
  failed=$((failed + t_failed))
  [[ "$t_failed" -eq 0 ]] || failures+=("ctest: $t_failed of $t_total failed")
fi
if [[ "$ctest_rc" -ne 0 && ${#failures[@]} -eq 0 ]]; then
  failed=$((failed + 1))
  failures+=("ctest exited $ctest_rc")
fi

# --- script tests ---------------------------------------------------------------
export AKGATE="$build_dir/akgate"
shopt -s nullglob
for script in tests/*/*_test.sh; do
  echo
  echo "==> $script"
  log="$log_dir/$(basename "$script").log"
  script_rc=0
  bash "$script" 2>&1 | tee "$log" || script_rc=$?
  line="$(tail -n 1 "$log")"
  if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ [0-9]+\ skipped)?$ ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
    [[ "${BASH_REMATCH[2]}" -eq 0 ]] || failures+=("$script: ${BASH_REMATCH[2]} failed")
    if [[ "$script_rc" -ne 0 && "${BASH_REMATCH[2]}" -eq 0 ]]; then
      failed=$((failed + 1)); failures+=("$script exited $script_rc")
    fi
  else
    # The script stopped before its closing line: count that as one failure.
    failed=$((failed + 1))
    failures+=("$script stopped early (exit $script_rc)")
  fi
done

echo
for f in "${failures[@]}"; do echo "failed: $f"; done
closing_line
