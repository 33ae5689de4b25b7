#!/usr/bin/env bash
# Builds and runs akgate's libFuzzer targets (docs/fuzzing.md).
#
#   bash fuzz/run.sh --ci               build build-fuzz/, then for every target:
#                                       replay its committed corpus (fuzz/corpus/<target>/),
#                                       then fuzz briefly with a fixed seed (-seed=1);
#                                       non-zero exit on any crash, naming the target
#                                       and the reproducer
#   bash fuzz/run.sh TARGET [SECONDS]   an exploratory session (default 300 s): random
#                                       seed, new inputs kept in build-fuzz/fuzz-work/TARGET/
#                                       (never in the committed corpus), crashes there too
#   bash fuzz/run.sh --list             the targets
#
# Environment: AKGATE_JOBS (parallel build jobs and targets run at once;
# default: the number of cores). Needs `bash install/deps.sh build fuzz`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
work="$build/fuzz-work"
jobs="${AKGATE_JOBS:-$(nproc)}"

die() { echo "fuzz/run.sh: $*" >&2; exit 2; }

# Fixed-seed runs per target in --ci: about 10 s each at the speed measured
# on a 2-core machine (docs/fuzzing.md has the figures); the time cap only
# stops a run that is far slower than that.
declare -A CI_RUNS=(
  [pkt_line]=60000 [push_request]=70000 [report_status]=40000 [request_target]=100000
  [body_decoder]=40000 [pack_reader]=3000 [pack_indexer]=10000 [delta]=4000
  [quoted_path]=80000 [decode]=25000 [rule_loader]=4000 [policy]=20000 [scanner]=6000
)
CI_MAX_SECONDS=30

build_targets() {
  for tool in cmake ninja clang-14 clang++-14; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found; run: bash install/deps.sh build fuzz"
  done
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DAKGATE_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null ||
      die "cmake failed"
  fi
  nice -n 10 ninja -C "$build" -j "$jobs" akgate_fuzzers || die "the build failed"
}

targets() { cat "$build/fuzz/targets.txt"; }

# Options every run shares: a hang is an input that takes over 10 s; UBSan
# and ASan stop at the first report.
common_options() {
  local t="$1" opts=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
  [[ -f "$root/fuzz/$t.dict" ]] && opts+=(-dict="$root/fuzz/$t.dict")
  printf '%s\n' "${opts[@]}"
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# One target in --ci: the corpus replayed, then a fixed-seed run. The log
# goes to $work/<target>/ci.log; the last line says what happened.
ci_target() {
  local t="$1" dir="$work/$t" bin="$build/fuzz/${t}_fuzzer"
  local corpus="$root/fuzz/corpus/$t"
  rm -rf "$dir" && mkdir -p "$dir/new" "$dir/run"
  mapfile -t opts < <(common_options "$t")
  local start=$SECONDS rc=0
  # The run's working directory is empty: a rule file's [extend] path is read
  # relative to it.
  ( cd "$dir/run" && "$bin" "${opts[@]}" -runs=0 -artifact_prefix="$dir/" "$corpus" ) >"$dir/ci.log" 2>&1 || rc=$?
  if [[ $rc -eq 0 ]]; then
    ( cd "$dir/run" && "$bin" "${opts[@]}" -seed=1 -runs="${CI_RUNS[$t]:-20000}" -max_total_time="$CI_MAX_SECONDS" \
        -artifact_prefix="$dir/" "$dir/new" "$corpus" ) >>"$dir/ci.log" 2>&1 || rc=$?
  fi
  local stats
  stats="$(grep -E '^(#[0-9]+\s+DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$dir/ci.log" | tail -3 | tr '\n' ' ')"
  if [[ $rc -ne 0 ]]; then
    local repro
    repro="$(grep -oE "Test unit written to \S+" "$dir/ci.log" | tail -1 | cut -d' ' -f5)"
    echo "FAIL $t (exit $rc, $((SECONDS - start)) s): reproducer ${repro:-none written}; log $dir/ci.log" >>"$dir/ci.log"
  else
    echo "ok   $t ($((SECONDS - start)) s) $stats" >>"$dir/ci.log"
  fi
  tail -n 1 "$dir/ci.log"
  echo "$rc" >"$dir/rc"
}

ci() {
  local start=$SECONDS
  echo "=== fuzz/run.sh: building $build"
  build_targets
  local built=$SECONDS
  mapfile -t all < <(targets)
  echo "=== fuzz/run.sh: ${#all[@]} targets, corpus replay then -seed=1, $jobs at a time"
  local failed=()
  for t in "${all[@]}"; do
    while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n || true; done
    ci_target "$t" &
  done
  wait || true
  for t in "${all[@]}"; do
    [[ "$(cat "$work/$t/rc" 2>/dev/null)" == 0 ]] || failed+=("$t")
  done
  echo "=== fuzz/run.sh: build $((built - start)) s, fuzzing $((SECONDS - built)) s"
  if [[ ${#failed[@]} -gt 0 ]]; then
    for t in "${failed[@]}"; do
      echo "--- $t: end of $work/$t/ci.log"
      grep -v '^#' "$work/$t/ci.log" | tail -n 40
    done
    echo "fuzz/run.sh: FAILED: ${failed[*]} (reproducers above; docs/fuzzing.md says how to turn one into a test)"
    exit 1
  fi
  echo "fuzz/run.sh: ${#all[@]} targets, no crash"
}

explore() {
  local t="$1" seconds="${2:-300}"
  build_targets
  grep -qx "$t" <(targets) || die "unknown target '$t' (targets: $(targets | tr '\n' ' '))"
  local dir="$work/$t"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/run"
  mapfile -t opts < <(common_options "$t")
  echo "fuzz/run.sh: $t for $seconds s; new inputs in $dir/corpus, crashes in $dir/artifacts"
  # New inputs go to the first directory only: the committed corpus is read.
  cd "$dir/run"
  "$build/fuzz/${t}_fuzzer" "${opts[@]}" -max_total_time="$seconds" -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" "$root/fuzz/corpus/$t"
}

case "${1:-}" in
  --ci) ci ;;
  --list) build_targets >/dev/null; targets ;;
  ""|-h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  -*) die "unknown option '$1'" ;;
  *) explore "$1" "${2:-300}" ;;
esac
