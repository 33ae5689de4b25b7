#!/usr/bin/env bash
# Throughput side by side (issue 12): `akgate scan` with the default rules and
# ripgrep with two Alibaba Cloud regexes, on the same files, in one run.
#
#   bash bench/scan_vs_rg.sh [--akgate PATH] [--before PATH] [--runs N] [--keep] [DIR]
#
#   --akgate PATH  the binary (default build/akgate; build: bash install/build.sh)
#   --before PATH  another akgate binary (say, a build before a change), measured
#                  the same way in the same rounds
#   --runs N       timed runs of each command, interleaved (default 3); one
#                  untimed warm-up of each comes first (page cache, rules cache)
#   --keep         keep the copy of /usr/include (its path is printed)
#   DIR            scan DIR itself instead of a fresh copy of /usr/include
#
# Commands, each under /usr/bin/time -f '%e %U %S %M':
#   akgate scan --format json DIR            (its default threads: one per core)
#   akgate scan --format json -j 1 DIR       (one thread)
#   rg -j1 -c --no-ignore -e 'LTAI[A-Za-z0-9]{12,20}' -e '(?i)access_?key_?secret' DIR
# Reports go to /dev/null. akgate exits 0 (nothing blocking) or 1 (a blocking
# finding); rg 0 (a match) or 1 (none); anything else stops the benchmark.
# MB = 10^6 bytes of the regular files under DIR (symlinks not followed: akgate
# skips them, rg without -L too). Each command's akgate scan may use several
# threads, so compare MB per CPU-second (user + sys), not per wall second.
# Prints one line per run, then the medians as a markdown table.
set -euo pipefail

die() { echo "bench/scan_vs_rg.sh: $*" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
runs=3
keep=0
dir=""
before=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="${2:?--akgate needs a path}"; shift 2 ;;
    --before) before="${2:?--before needs a path}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [[ -z "$dir" ]] || die "one directory only"; dir="$1"; shift ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number"
[[ -x "$akgate" ]] || die "no akgate binary at $akgate; build it: bash install/build.sh"
command -v rg >/dev/null 2>&1 || die "'rg' not found; run: bash install/deps.sh bench"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found; run: bash install/deps.sh bench"

work="$(mktemp -d /tmp/akgate-scan-vs-rg.XXXXXX)"
cleanup() {
  if [[ "$keep" == 1 ]]; then echo "bench/scan_vs_rg.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
if [[ -z "$dir" ]]; then
  cp -a /usr/include "$work/include"
  dir="$work/include"
fi
[[ -d "$dir" ]] || die "$dir is not a directory"

bytes="$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')"
files="$(find "$dir" -type f | wc -l)"
mb="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')"

cmd_akgate=("$akgate" scan --format json "$dir")
cmd_akgate1=("$akgate" scan --format json -j 1 "$dir")
cmd_rg=(rg -j1 -c --no-ignore -e 'LTAI[A-Za-z0-9]{12,20}' -e '(?i)access_?key_?secret' "$dir")
names=(akgate akgate-j1 rg)
if [[ -n "$before" ]]; then
  [[ -x "$before" ]] || die "no akgate binary at $before"
  names+=(before before-j1)
fi

# run NAME OK_CODES CMD...: one run; appends "wall user sys rss_kib" to $work/NAME.times.
run() {
  local name="$1" ok="$2" rc=0
  shift 2
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || rc=$?
  if [[ " $ok " != *" $rc "* ]]; then
    head -n 20 "$work/stderr.txt" >&2
    die "$name exited $rc: $*"
  fi
  tail -n 1 "$work/time.txt" >>"$work/$name.times"
}
one_round() {
  run akgate "0 1" "${cmd_akgate[@]}"
  run akgate-j1 "0 1" "${cmd_akgate1[@]}"
  run rg "0 1" "${cmd_rg[@]}"
  if [[ -n "$before" ]]; then
    run before "0 1" "$before" scan --format json "$dir"
    run before-j1 "0 1" "$before" scan --format json -j 1 "$dir"
  fi
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
one_round  # warm-up: page cache, akgate's compiled-rules cache
rm -f "$work"/*.times
for ((i = 1; i <= runs; i++)); do one_round; done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

akgate_result="$("${cmd_akgate[@]}" 2>/dev/null | python3 -c 'import json, sys
f = json.load(sys.stdin)["summary"].get("findings", {})
print(f.get("block", 0), "block,", f.get("warn", 0), "warn")' || true)"
rg_result="$( { "${cmd_rg[@]}" || true; } | wc -l) files with a match"

echo "# bench/scan_vs_rg.sh on $(hostname), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p), nproc $(nproc);" \
  "$("$akgate" --version 2>&1 | sed -n 1p); $(rg --version | sed -n 1p)"
echo "# corpus: $dir, $files files, $mb MB; load average $load_start at the start, $load_end at the end"
echo "# runs (wall s, user s, sys s, peak RSS KiB):"
for n in "${names[@]}"; do
  while read -r line; do echo "#   $n $line"; done <"$work/$n.times"
done
echo
echo "| command | MB | CPU user+sys (s) | MB per CPU-second | wall (s) | peak RSS (MiB) | result |"
echo "|---|---:|---:|---:|---:|---:|---|"
for n in "${names[@]}"; do
  case "$n" in
    akgate) shown="akgate scan --format json DIR"; result="$akgate_result" ;;
    akgate-j1) shown="akgate scan --format json -j 1 DIR"; result="$akgate_result" ;;
    before) shown="BEFORE scan --format json DIR"; result="" ;;
    before-j1) shown="BEFORE scan --format json -j 1 DIR"; result="" ;;
    rg) shown="rg -j1 -c --no-ignore -e 'LTAI[A-Za-z0-9]{12,20}' -e '(?i)access_?key_?secret' DIR"; result="$rg_result" ;;
  esac
  # medians of each column over the runs; RSS: the largest
  awk -v mb="$mb" -v shown="$shown" -v result="$result" '
    { wall[NR] = $1; cpu[NR] = $2 + $3; user[NR] = $2; sys[NR] = $3; if ($4 > rss) rss = $4 }
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
      c = median(cpu, NR); u = median(user, NR); s = median(sys, NR); w = median(wall, NR)
      printf "| `%s` | %s | %.2f (%.2f + %.2f) | **%.0f** | %.2f | %.1f | %s |\n", shown, mb, c, u, s, mb / c, w, rss / 1024, result
    }' "$work/$n.times"
done
echo
echo "Medians of $runs runs each (interleaved, after one warm-up of each); peak RSS is the largest of the runs." \
  "CPU user+sys columns are medians taken separately."
