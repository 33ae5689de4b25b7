#!/usr/bin/env bash
# tests/run.sh entry point for the gateway's end-to-end tests: runs
# tests/gateway/run.sh against the build directory of $AKGATE.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(dirname "${AKGATE:?AKGATE must name the akgate binary (tests/run.sh sets it)}")"
exec bash "$here/run.sh" "$build_dir"
