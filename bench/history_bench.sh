#!/usr/bin/env bash
# The history scan side by side, in one run, on the same refs of a real
# repository: the cost of merely reading every object (git cat-file
# --batch-all-objects), `akgate scan --history`, and git-secrets'
# --scan-history (the one peer packaged for Debian), each timed with
# /usr/bin/time (wall, user, sys, peak RSS).
#
#   bash bench/history_bench.sh [--akgate PATH] [--runs N] [--peer-timeout S] SRC_GIT_DIR
#
# SRC_GIT_DIR: a git directory, e.g. the snapshot of https://github.com/git/git
# (the search tool's fetch). The scans read a scratch repository that
# borrows SRC's objects (objects/info/alternates) and holds only its
# branches and tags, so every tool sees the same refs and none trips on
# refs whose objects a snapshot lacks (refs/pull/*). git-secrets gets
# the rg comparison's two patterns (docs/benchmarks.md). Runs: N of
# cat-file and akgate (default 3), one of git-secrets, stopped after S
# seconds (default 900). Needs: git, git-secrets, /usr/bin/time
# (install/deps.sh bench).
set -euo pipefail

die() { echo "bench/history_bench.sh: $*" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
runs=3
peer_timeout=900
src=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --peer-timeout) peer_timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) src="$1"; shift ;;
  esac
done
[[ -n "$src" ]] || die "name the source git directory"
[[ -x "$akgate" ]] || die "no akgate at $akgate (build: bash install/build.sh)"
[[ -x /usr/bin/time ]] || die "needs /usr/bin/time (bash install/deps.sh bench)"
src="$(cd "$src" && git rev-parse --absolute-git-dir 2>/dev/null)" || die "$src is not a git directory"

work="$(mktemp -d "${TMPDIR:-/tmp}/akgate-history-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 XDG_CONFIG_HOME="$work/config"
mkdir -p "$HOME"
# A work tree with nothing checked out: git-secrets runs only in one.
git init -q "$work/repo"
repo="$work/repo/.git"
echo "$src/objects" >"$repo/objects/info/alternates"
git -C "$src" for-each-ref --format='create %(refname) %(objectname)' refs/heads refs/tags |
  git -C "$repo" update-ref --stdin
git -C "$repo" config --add secrets.patterns 'LTAI[A-Za-z0-9]{12,20}'
git -C "$repo" config --add secrets.patterns '[Aa][Cc][Cc][Ee][Ss][Ss]_?[Kk][Ee][Yy]_?[Ss][Ee][Cc][Rr][Ee][Tt]'

echo "history scan benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "source: $src ($(git -C "$repo" for-each-ref refs/heads | wc -l) branches, $(git -C "$repo" for-each-ref refs/tags | wc -l) tags)"
echo "akgate: $("$akgate" --version)"
printf '%-34s %9s %9s %9s %10s\n' "run" "wall s" "user s" "sys s" "peak MB"

measure() {  # NAME COMMAND...: one timed run, one table row
  local name="$1"; shift
  local rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || rc=$?
  read -r wall user sys kb < <(tail -n 1 "$work/time") || true
  printf '%-34s %9s %9s %9s %10s\n' "$name" "$wall" "$user" "$sys" "$((kb / 1024))"
  return $rc
}

for i in $(seq "$runs"); do
  measure "cat-file --batch-all-objects #$i" \
    git -C "$repo" cat-file --batch-all-objects --batch --unordered || die "cat-file failed"
done
for i in $(seq "$runs"); do
  rc=0
  measure "akgate scan --history #$i" "$akgate" scan --history --no-progress -f json -o "$work/akgate.json" "$repo" ||
    rc=$?
  [[ "$rc" -le 1 ]] || { cat "$work/stderr" >&2; die "akgate failed (exit $rc)"; }
done
python3 - "$work/akgate.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["repositories"][0]
s = r["summary"]
print(f"  akgate read {s['commits']} commits, {s['blobs_scanned']} blobs, {s['bytes'] / 2**30:.2f} GiB; "
      f"findings: {s['findings']['block']} block, {s['findings']['warn']} warn; skipped {s['skipped']}")
EOF
rc=0
(cd "$work/repo" && measure "git secrets --scan-history" timeout "$peer_timeout" git secrets --scan-history) || rc=$?
# git-secrets prints what it finds on stdout, which measure drops: only its cost is compared.
case "$rc" in
  0|1) ;;
  124) echo "  git-secrets: stopped after ${peer_timeout} s (--peer-timeout)" ;;
  *) echo "  git-secrets: exit $rc: $(head -c 300 "$work/stderr")" ;;
esac
