#!/usr/bin/env bash
# Runs every end-to-end test of the pre-receive hook against a built binary.
#
#   bash tests/hook/run.sh build/akgate
#
# Each script prints one line per check and closes with "N passed, N failed";
# this prints the sum the same way and exits non-zero when anything failed.
# (tests/run.sh also picks these scripts up, with the rest of the suite.)
set -uo pipefail

if [[ $# -ne 1 || ! -x "$1" ]]; then
  echo "usage: tests/hook/run.sh PATH/TO/akgate" >&2
  exit 2
fi
export AKGATE="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

passed=0 failed=0
for script in "$here"/*_test.sh; do
  echo "==> $(basename "$script")"
  log="$(mktemp)"
  bash "$script" 2>&1 | tee "$log"
  line="$(tail -n 1 "$log")"
  rm -f "$log"
  if [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
  else
    echo "$(basename "$script") stopped before its closing line"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
