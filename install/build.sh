#!/usr/bin/env bash
# Configures and builds akgate with CMake and Ninja.
#
#   bash install/build.sh              -> build/akgate
#   bash install/build.sh --sanitize   -> build-asan/akgate (ASan + UBSan)
#
# Environment: AKGATE_JOBS (parallel jobs; default: the number of cores),
# AKGATE_BUILD_TYPE (CMake build type; default: the project's RelWithDebInfo),
# AKGATE_BUILD_DIR (build directory instead of build/; not with --sanitize),
# AKGATE_WERROR=1 (warnings are errors: CI's release build; not with --sanitize).
# Dependencies come from install/deps.sh (`build`; the tests also need `test`:
# without doctest the programs are built and the tests left out).
set -euo pipefail

die() { echo "install/build.sh: $*" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${AKGATE_BUILD_DIR:-$root/build}"
cmake_args=()

for arg in "$@"; do
  case "$arg" in
    --sanitize) build_dir="$root/build-asan"; cmake_args+=(-DAKGATE_SANITIZE=ON) ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg' (options: --sanitize)" ;;
  esac
done

for tool in cmake ninja g++ pkg-config; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "'$tool' not found; run: bash install/deps.sh build"
done

[[ -z "${AKGATE_BUILD_TYPE:-}" ]] || cmake_args+=(-DCMAKE_BUILD_TYPE="$AKGATE_BUILD_TYPE")
# Warnings as errors where asked (CI's release build; a build directory keeps
# the setting). Not the sanitizer build: its instrumentation brings warnings of
# its own from library headers.
if [[ -n "${AKGATE_WERROR:-}" && "$build_dir" != "$root/build-asan" ]]; then
  [[ "$AKGATE_WERROR" == 0 ]] && cmake_args+=(-DAKGATE_WERROR=OFF) || cmake_args+=(-DAKGATE_WERROR=ON)
fi

# A build directory configured earlier keeps its generator; a new one uses Ninja.
generator=()
[[ -f "$build_dir/CMakeCache.txt" ]] || generator=(-G Ninja)

echo "install/build.sh: configuring $build_dir"
cmake -S "$root" -B "$build_dir" "${generator[@]}" "${cmake_args[@]}" ||
  die "cmake configure failed (see above; for a missing package run: bash install/deps.sh build)"

echo "install/build.sh: building with ${AKGATE_JOBS:-$(nproc)} jobs"
cmake --build "$build_dir" --parallel "${AKGATE_JOBS:-$(nproc)}" || die "build failed"

[[ -x "$build_dir/akgate" ]] || die "build finished but $build_dir/akgate is missing"
echo "install/build.sh: built $build_dir/akgate"
