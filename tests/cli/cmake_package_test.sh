#!/usr/bin/env bash
# The engine as a CMake package: `cmake --install` puts akgate, akgate-gateway,
# the engine's library and headers and akgate's package config in a prefix, and
# a program of someone else's (examples/link-engine) finds it with
# find_package(akgate), links akgate::engine and finds a key with it.
#
#   AKGATE=build/akgate bash tests/cli/cmake_package_test.sh   (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="$(dirname "$AKGATE")"
prefix="$TEST_TMP/prefix"

run cmake --install "$build_dir" --prefix "$prefix"
expect_rc "cmake --install into a fresh prefix" 0
check "akgate and akgate-gateway are installed in bin/" \
  test -x "$prefix/bin/akgate" -a -x "$prefix/bin/akgate-gateway"
check "the engine's public headers are installed under include/akgate/engine" \
  test -f "$prefix/include/akgate/engine/scanner.h" -a -f "$prefix/include/akgate/engine/status.h"
check "the engine's internals are not" test ! -e "$prefix/include/akgate/engine/confirm.h"
check "the package config and its version file are installed" \
  test -f "$prefix/lib/cmake/akgate/akgateConfig.cmake" -a -f "$prefix/lib/cmake/akgate/akgateConfigVersion.cmake"

run "$prefix/bin/akgate" --version
check "the installed akgate runs" grep -q "akgate" <<<"$out$err"

consumer="$TEST_TMP/consumer"
run cmake -S "$root/examples/link-engine" -B "$consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER_LAUNCHER=
expect_rc "a consumer project configures with find_package(akgate)" 0
run cmake --build "$consumer"
expect_rc "it builds and links akgate::engine" 0

# An Alibaba Cloud pair, made at run time so no key sits in this file.
id="LTAI5t$(printf 'Hq3WnZ8xYbCd2F')"
secret="$(printf 'k9Lm2Qz8Rt6Vw4Xy7Bn3Cd5Fg1Hj0P')"
printf 'access_key_id = "%s"\naccess_key_secret = "%s"\n' "$id" "$secret" >"$TEST_TMP/config.ini"
run_stdin "$TEST_TMP/config.ini" "$consumer/count_findings"
expect_rc "the linked engine finds the pair (exit 1)" 1
check "it names the Alibaba Cloud rule" grep -q "alibaba" <<<"$out"
check "and never prints the secret" bash -c '! grep -qF "$1" <<<"$2"' _ "$secret" "$out"

printf 'nothing = "here"\n' >"$TEST_TMP/clean.ini"
run_stdin "$TEST_TMP/clean.ini" "$consumer/count_findings"
expect_rc "clean input: exit 0" 0

finish
