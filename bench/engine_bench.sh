#!/usr/bin/env bash
# Engine benchmark: how fast `akgate scan` reads real text on one core, how
# much memory it takes, and the same for ripgrep with the same regexes.
#
#   bash bench/engine_bench.sh [--akgate PATH] [--out DIR] [--runs N] [--rg-runs N]
#                              [--rules FILE] [--big-size BYTES]
#                              [--rg-full] [--no-rg] [--no-big]
#
#   --akgate PATH     the binary (default build/akgate; build: bash install/build.sh)
#   --out DIR         corpus and results (default /tmp/akgate-bench)
#   --runs N          timed runs of akgate, median reported (default 3)
#   --rg-runs N       timed runs of rg, median reported (default 1: it is slow)
#   --rules FILE      rule file given to akgate (--config) and to rg (default:
#                     akgate's built-in rules; rg reads rules/default.toml)
#   --big-size BYTES  size of the single-line memory check (default 1073741824)
#   --rg-full         run rg over the whole corpus too, not only the sample
#                     (slow: about ten times the sample's time, per corpus)
#   --no-rg           skip the ripgrep reference
#   --no-big          skip the single-line memory check
#
# What it measures:
#   1. corpus (bench/collect_corpus.sh): every text file under /usr/include
#      and /usr/share, a copy with 300 fake Alibaba Cloud pairs planted, and a
#      sample of every 10th file;
#   2. `akgate scan --format json DIR` pinned to one core (taskset -c 0, and
#      --threads 1 where the CLI has it), one warm-up run (page cache) then N
#      timed runs: wall time, MB/s per core (corpus bytes / wall time, MB =
#      10^6 bytes), peak RSS (/usr/bin/time -v), findings, and for the planted
#      copy how many planted pairs were blocked;
#   3. `rg -j1 -U -c -f PATTERNS` on the sample (and with --rg-full the whole
#      corpus), PATTERNS being the regexes of rules/default.toml that ripgrep
#      accepts (single thread, same core); akgate is measured on the sample too;
#   4. single-line files generated into DIR (a 1 GiB prose line, a 1 GiB line
#      dense with rule keywords, and a 48 MiB keyword line that is under the
#      default oversize limit and so really scanned), as a file and on stdin:
#      peak RSS and wall time; removed afterwards.
# Prints a markdown fragment for docs/benchmarks.md and keeps it in DIR/results.md.
set -euo pipefail

die() { echo "bench/engine_bench.sh: $*" >&2; exit 1; }
note() { echo "bench/engine_bench.sh: $*" >&2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
out="/tmp/akgate-bench"
runs=3
rg_runs=1
big_size=$((1 << 30))
rules=""
do_rg=1
rg_full=0
do_big=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="${2:?--akgate needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --rg-runs) rg_runs="${2:?--rg-runs needs a number}"; shift 2 ;;
    --big-size) big_size="${2:?--big-size needs a number of bytes}"; shift 2 ;;
    --rules) rules="${2:?--rules needs a file}"; shift 2 ;;
    --rg-full) rg_full=1; shift ;;
    --no-rg) do_rg=0; shift ;;
    --no-big) do_big=0; shift ;;
    -h|--help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ && "$rg_runs" =~ ^[1-9][0-9]*$ ]] ||
  die "--runs and --rg-runs take a positive number"
[[ "$big_size" =~ ^[1-9][0-9]*$ ]] || die "--big-size takes a number of bytes"
[[ -x "$akgate" ]] || die "no akgate binary at $akgate; build it: bash install/build.sh"
akgate="$(cd "$(dirname "$akgate")" && pwd)/$(basename "$akgate")"
scan=("$akgate" scan --format json)
# One worker thread: the measurement is per core.
if "$akgate" scan --help 2>&1 | grep -q -- '--threads'; then scan+=(--threads 1); fi
rules_file="$root/rules/default.toml"
if [[ -n "$rules" ]]; then
  [[ -r "$rules" ]] || die "cannot read rule file $rules"
  rules_file="$rules"
  scan+=(--config "$rules")
fi

bash "$root/install/deps.sh" bench >&2
for tool in taskset python3 rg; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found; run: bash install/deps.sh bench"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found; run: bash install/deps.sh bench"

bash "$root/bench/collect_corpus.sh" --out "$out" >&2
corpus_value() { sed -n "s/^$1=//p" "$out/corpus.env"; }
files="$(corpus_value files)"
bytes="$(corpus_value bytes)"
planted_pairs="$(corpus_value planted_pairs)"
planted_bytes=$((bytes + $(corpus_value planted_bytes_added)))
sample_files="$(corpus_value sample_files)"
sample_bytes="$(corpus_value sample_bytes)"
corpus_bytes() {
  case "$1" in
    plain) echo "$bytes" ;;
    planted) echo "$planted_bytes" ;;
    sample) echo "$sample_bytes" ;;
  esac
}

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
work="$out/run"
rm -rf "$work"
mkdir -p "$work"
big_files=()
trap 'rm -f "${big_files[@]}"' EXIT

# --- measuring ------------------------------------------------------------------

# timed STDOUT_FILE STDIN_FILE CMD...: one run pinned to core 0. Sets wall_ns,
# cpu_ms (user + system), rss_kib and cmd_rc; the command's stderr is kept in
# $work/stderr.txt.
timed() {
  local stdout_file="$1" stdin_file="$2" t0 t1
  shift 2
  cmd_rc=0
  t0="$(date +%s%N)"
  /usr/bin/time -v -o "$work/time.txt" taskset -c 0 "$@" \
    <"$stdin_file" >"$stdout_file" 2>"$work/stderr.txt" || cmd_rc=$?
  t1="$(date +%s%N)"
  wall_ns=$((t1 - t0))
  rss_kib="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time.txt")"
  cpu_ms="$(awk -F': ' '/(User|System) time \(seconds\)/ { t += $2 } END { printf "%d", t * 1000 }' "$work/time.txt")"
}

# measure NAME OK_CODES WARMUPS N CMD...: WARMUPS untimed runs, then N timed
# runs. Sets median_ns, median_cpu_ms and max_rss_kib; the last run's stdout
# is $work/NAME.out.
measure() {
  local name="$1" ok_codes="$2" warmups="$3" n="$4" i walls=() cpus=()
  shift 4
  max_rss_kib=0
  for ((i = 0; i < warmups + n; i++)); do
    timed "$work/$name.out" /dev/null "$@"
    if [[ " $ok_codes " != *" $cmd_rc "* ]]; then
      head -n 20 "$work/stderr.txt" >&2
      die "$name: '$*' exited $cmd_rc"
    fi
    [[ "$i" -lt "$warmups" ]] && continue
    walls+=("$wall_ns")
    cpus+=("$cpu_ms")
    (( rss_kib > max_rss_kib )) && max_rss_kib="$rss_kib"
  done
  median_ns="$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")"
  median_cpu_ms="$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")"
}

seconds() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1e9:.2f}")' "$1"; }
mb_per_s() {
  python3 -c 'import sys
r = int(sys.argv[1]) / (int(sys.argv[2]) / 1e9) / 1e6
print(f"{r:.0f}" if r >= 10 else f"{r:.1f}")' "$1" "$2"
}
mib() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1024:.0f}")' "$1"; }
mb() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1e6:.1f}")' "$1"; }

# Describes an akgate JSON report in one table cell; with a planted.tsv, also
# how many planted pairs were blocked (by file), per form.
describe_report() {
  python3 - "$@" <<'PY'
import collections, json, sys
doc = json.load(open(sys.argv[1]))
s = doc.get("summary", {})
f = s.get("findings", {})
cell = f"{f.get('block', '?')} block, {f.get('warn', '?')} warn"
skipped = {k: v for k, v in (s.get("skipped") or {}).items() if v}
if skipped:
    cell += "; skipped " + ", ".join(f"{v} {k}" for k, v in sorted(skipped.items()))
if len(sys.argv) > 2:
    planted = {}
    for row in open(sys.argv[2]).read().splitlines()[1:]:
        path, _, form = row.split("\t")
        planted[path] = form
    blocked = set()
    elsewhere = 0
    for finding in doc.get("findings", []):
        if finding.get("action") != "block":
            continue
        path = finding.get("path", "")
        hit = next((p for p in planted if path.endswith("/" + p)), None)
        if hit:
            blocked.add(hit)
        else:
            elsewhere += 1
    per_form = collections.Counter(planted.values())
    found = collections.Counter(planted[p] for p in blocked)
    cell += (f"; planted pairs blocked: {len(blocked)}/{len(planted)} ("
             + ", ".join(f"{k} {found[k]}/{n}" for k, n in sorted(per_form.items()))
             + f"); other block findings: {elsewhere}")
print(cell)
PY
}

rows=()
# row CELL...: one markdown table row.
row() {
  local line="|" cell
  for cell in "$@"; do line+=" $cell |"; done
  rows+=("$line")
}

# --- 1. akgate over the corpus --------------------------------------------------------

akgate_variants=(plain planted)
[[ "$do_rg" -eq 0 ]] || akgate_variants+=(sample)
for variant in "${akgate_variants[@]}"; do
  n_bytes="$(corpus_bytes "$variant")"
  note "akgate scan $variant/ ($runs runs after a warm-up)"
  measure "akgate-$variant" "0 1" 1 "$runs" "${scan[@]}" "$out/$variant"
  expected=()
  [[ "$variant" != planted ]] || expected=("$out/planted.tsv")
  result="$(describe_report "$work/akgate-$variant.out" "${expected[@]}")"
  row "$variant" "akgate scan --format json" "$(seconds "$median_ns")" \
    "$(seconds "${median_cpu_ms}000000")" "$(mb_per_s "$n_bytes" "$median_ns")" \
    "$(mib "$max_rss_kib")" "exit $cmd_rc: $result"
done

# --- 2. ripgrep with the same regexes -----------------------------------------------------

rg_patterns="$work/patterns.txt"
rg_note="ripgrep skipped (--no-rg)"
if [[ "$do_rg" -eq 1 && ! -f "$rules_file" ]]; then
  rg_note="ripgrep skipped: $rules_file not found"
elif [[ "$do_rg" -eq 1 ]]; then
  # Every regex of an enabled rule that ripgrep compiles (RE2 and Rust regex
  # syntax mostly agree; the rest is counted, not guessed at). Rule regexes
  # may span lines (a key name, a newline, the value), so rg runs with -U.
  python3 - "$rules_file" "$work/all-patterns.txt" <<'PY'
import sys, tomllib
doc = tomllib.load(open(sys.argv[1], "rb"))
patterns = [r["regex"] for r in doc.get("rules", [])
            if r.get("regex") and r.get("action", "warn") != "off"]
with open(sys.argv[2], "w") as f:
    for p in patterns:
        if "\n" not in p:
            f.write(p + "\n")
PY
  : >"$rg_patterns"
  total=0 rejected=0
  while IFS= read -r pattern; do
    total=$((total + 1))
    rc=0
    printf '' | rg --no-config -U -e "$pattern" >/dev/null 2>&1 || rc=$?
    if [[ "$rc" -le 1 ]]; then printf '%s\n' "$pattern" >>"$rg_patterns"; else rejected=$((rejected + 1)); fi
  done <"$work/all-patterns.txt"
  accepted=$((total - rejected))
  rg_note="$(rg --version | sed -n 1p) runs the $accepted of $total rule regexes it compiles ($rejected rejected) in multiline mode (-U; the rules match across newlines) everywhere, with no keyword gating"
  rg_variants=(sample)
  [[ "$rg_full" -eq 0 ]] || rg_variants+=(plain planted)
  for variant in "${rg_variants[@]}"; do
    n_bytes="$(corpus_bytes "$variant")"
    note "rg -j1 over $variant/ ($rg_runs run(s); akgate's runs warmed the page cache)"
    measure "rg-$variant" "0 1" 0 "$rg_runs" rg --no-config -j1 -U --no-ignore --hidden -c -f "$rg_patterns" "$out/$variant"
    lines="$(awk -F: '{ n += $NF } END { print n + 0 }' "$work/rg-$variant.out")"
    row "$variant" "rg -j1 -U -c ($accepted regexes)" "$(seconds "$median_ns")" \
      "$(seconds "${median_cpu_ms}000000")" "$(mb_per_s "$n_bytes" "$median_ns")" \
      "$(mib "$max_rss_kib")" "$lines matching lines"
  done
fi

# --- 3. single-line files: memory stays bounded ------------------------------------------

big_rows=()
if [[ "$do_big" -eq 1 ]]; then
  prose='The quick brown fox jumps over the lazy dog while the committee reviews the quarterly report. '
  keywords='ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI ALIBABA_CLOUD_ACCESS_KEY_SECRET= accessKeySecret aws_secret_access_key=AKIA SecretId=AKID ghp_ glpat- xoxb- sk_live_ -----BEGIN PRIVATE KEY----- password token '
  for spec in "prose:$big_size:$prose" "keywords:$big_size:$keywords" "keywords:$((48 << 20)):$keywords"; do
    kind="${spec%%:*}"; rest="${spec#*:}"; size="${rest%%:*}"; text="${rest#*:}"
    file="$work/one-line-$kind-$size.txt"
    big_files+=("$file")
    note "generating a $size-byte single line ($kind) in $file"
    ( set +o pipefail; yes "$text" | tr -d '\n' | head -c "$size" >"$file" )
    [[ "$(stat -c %s "$file")" -eq "$size" ]] || die "could not write $size bytes to $file"
    for how in file stdin; do
      note "akgate scan of the $kind line ($how)"
      if [[ "$how" == file ]]; then
        timed "$work/big.out" /dev/null timeout 600 "${scan[@]}" "$file"
      else
        timed "$work/big.out" "$file" timeout 600 "${scan[@]}" -
      fi
      if [[ "$cmd_rc" -eq 124 ]]; then
        result="timed out after 600 s"
      elif [[ "$cmd_rc" -le 1 ]]; then
        result="exit $cmd_rc: $(describe_report "$work/big.out")"
      else
        result="exit $cmd_rc: $(head -c 200 "$work/stderr.txt" | tr '\n' ' ')"
      fi
      big_rows+=("| $(mib $((size / 1024))) MiB, $kind | $how | $(seconds "$wall_ns") | $(seconds "${cpu_ms}000000") | $(mib "$rss_kib") | $result |")
    done
    rm -f "$file"
  done
fi

# --- report -----------------------------------------------------------------------------

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "no commit")"
[[ -z "$(git -C "$root" status --porcelain 2>/dev/null)" ]] || commit="$commit + local changes"
{
  echo "### Engine throughput, one core ($(date -u +%Y-%m-%d))"
  echo
  echo "- Machine: ${cpu:-unknown CPU}, $(nproc) cores, measured pinned to one (\`taskset -c 0\`);"
  echo "  $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release), $(g++ --version | sed -n 1p);"
  echo "  \`$akgate\`, source tree at $commit${rules:+, rules from $rules}."
  echo "- Corpus: every text file under /usr/include and /usr/share on that machine:"
  echo "  $files files, $(mb "$bytes") MB (symlinks, binary files and files over 50 MiB left out;"
  echo "  \`bench/collect_corpus.sh\`). *planted*: the same plus $planted_pairs fake Alibaba Cloud"
  echo "  AccessKey pairs, one per file, in five forms (.env, Python SDK call, JSON, Spring, ossutil)."
  echo "  *sample*: every 10th file of *plain*, $sample_files files, $(mb "$sample_bytes") MB."
  echo "- Wall time: median of $runs run(s) of akgate after one warm-up run (page cache warm)$(
    [[ "$do_rg" -eq 0 ]] || echo ", of $rg_runs run(s) of rg")."
  echo "  MB/s = corpus bytes / wall time, MB = 10^6 bytes. CPU: user + system time (median);"
  echo "  wall time well above CPU time means the core was shared with other work."
  echo "  Peak RSS: the largest over the runs (\`/usr/bin/time -v\`). Load average at the start: $load_at_start."
  echo "- Reference: $rg_note."
  echo
  echo "| corpus | command | wall (s) | CPU (s) | MB/s per core | peak RSS (MiB) | result |"
  echo "|---|---|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  if [[ ${#big_rows[@]} -gt 0 ]]; then
    echo
    echo "Single-line files (no newline anywhere), one run each, \`akgate scan --format json\`:"
    echo
    echo "| input | read as | wall (s) | CPU (s) | peak RSS (MiB) | result |"
    echo "|---|---|---:|---:|---:|---|"
    printf '%s\n' "${big_rows[@]}"
  fi
} >"$out/results.md"
cat "$out/results.md"
note "results kept in $out/results.md; corpus in $out (remove with: rm -rf '$out')"
