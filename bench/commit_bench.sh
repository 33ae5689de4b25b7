#!/usr/bin/env bash
# Commit-check benchmark: what the client pre-commit hook costs a typical
# commit (docs/developer.md), process start included, with hyperfine.
#
#   bash bench/commit_bench.sh [--akgate PATH] [--out DIR] [--runs N] [--files N]
#
#   --akgate PATH   the binary (default build/akgate)
#   --out DIR       the repository and results (default /tmp/akgate-commit-bench; emptied)
#   --runs N        timed runs per command (default 40)
#   --files N       files in the repository (default 2000, text from /usr/include)
#
# A repository of N files in one commit (packed, as a clone is), then 3 files
# staged (2 edited, 1 added), and timed, warm (the compiled rules cached, as
# after the first commit):
#   1. `akgate scan --staged`, what the pre-commit hook runs;
#   2. `akgate --version`: akgate's own start, for comparison;
#   3. `git commit` with the hook installed (`akgate install --client`) and
#      without it: what the developer waits for (each run commits, then
#      `git reset --soft HEAD~1` outside the timing puts the index back).
# Needs hyperfine (install/deps.sh bench). Prints a markdown fragment for
# docs/benchmarks.md ("Commit check") and keeps it in DIR/results.md.
set -euo pipefail

die() { echo "bench/commit_bench.sh: $*" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
out="/tmp/akgate-commit-bench"
runs=40
files=2000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'" ;;
  esac
done
command -v hyperfine >/dev/null || die "needs hyperfine: bash install/deps.sh bench"
[[ -x "$akgate" ]] || die "no akgate at $akgate: bash install/build.sh"
akgate="$(cd "$(dirname "$akgate")" && pwd)/$(basename "$akgate")"

rm -rf "$out" && mkdir -p "$out"
export HOME="$out/home" XDG_CONFIG_HOME="$out/config" AKGATE_CACHE_DIR="$out/cache" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name Bench && git config --global user.email bench@example.com
git config --global init.defaultBranch main

repo="$out/repo"
git init -q "$repo"
(cd /usr && find include -type f -name '*.h' -size -64k 2>/dev/null | sort >"$out/all-files") || true
head -n "$files" "$out/all-files" >"$out/files"
tar -C /usr -cf - -T "$out/files" | tar -C "$repo" -xf -
cd "$repo"
git add -A && git commit -qm base && git gc -q
listed="$(git ls-files | wc -l)"
mapfile -t some < <(git ls-files | sed -n '10p;20p')
printf '\n/* edited */\n' >>"${some[0]}"
printf '\n/* edited */\n' >>"${some[1]}"
printf 'int added(void);\n' >added.h
git add -A
"$akgate" scan --staged >/dev/null  # warms the compiled-rules cache

hyperfine -N --warmup 5 --runs "$runs" --export-json "$out/scan.json" \
  "$akgate scan --staged" "$akgate --version" >"$out/hyperfine.txt"
hyperfine --warmup 3 --runs "$runs" --export-json "$out/commit.json" \
  --prepare 'git reset -q --soft HEAD~1 2>/dev/null; true' \
  -n "git commit, no hook" "git commit -q -m bench" >>"$out/hyperfine.txt" 2>&1
"$akgate" install --client "$repo" >/dev/null
hyperfine --warmup 3 --runs "$runs" --export-json "$out/commit-hook.json" \
  --prepare 'git reset -q --soft HEAD~1 2>/dev/null; true' \
  -n "git commit, akgate hook" "git commit -q -m bench" >>"$out/hyperfine.txt" 2>&1

python3 - "$out" "$listed" "$runs" <<'PY' | tee "$out/results.md"
import json, sys, statistics, platform, subprocess, os, datetime
out, listed, runs = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
for name in ("scan.json", "commit.json", "commit-hook.json"):
    for r in json.load(open(os.path.join(out, name)))["results"]:
        t = [x * 1000 for x in r["times"]]
        rows.append((r["command"], statistics.median(t), min(t), sorted(t)[int(len(t) * 0.9) - 1],
                     (r["user"] + r["system"]) * 1000))
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
print(f"Measured with `bash bench/commit_bench.sh --runs {runs}` on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC: "
      f"{cpu}, {os.cpu_count()} cores; load average {open('/proc/loadavg').read().split()[:3]}. "
      f"A repository of {listed} files (packed), 3 files staged (2 edited, 1 added).\n")
print("| what | wall, median | min | p90 | CPU (user+sys), mean |")
print("|---|---|---|---|---|")
for c, med, mn, p90, cpu_ms in rows:
    c = c.replace(os.environ.get("HOME", "~"), "~")
    print(f"| `{c}` | **{med:.1f} ms** | {mn:.1f} ms | {p90:.1f} ms | {cpu_ms:.1f} ms |")
PY
