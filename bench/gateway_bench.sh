#!/usr/bin/env bash
# Gateway benchmark: the time of a push through akgate-gateway vs the same
# push straight to the upstream, for a small and a large push, in one run on
# one machine, plus the gateway's peak memory during the large push (the
# pack is spooled to disk and indexed from there, never held in memory), and
# the cost of an edit to a file that already holds a secret (the gateway
# fetches the file's earlier version from the upstream).
#
#   bash bench/gateway_bench.sh [BUILD_DIR] [--runs N] [--large-mb MB]
#
#   BUILD_DIR     where akgate-gateway is (default build/)
#   --runs N      small pushes timed per path, median reported (default 15)
#   --large-mb MB size of the large push's content (default 200; text from
#                 /usr/include and /usr/share, so it compresses like code)
#
# Upstream: git-http-backend behind nginx + fcgiwrap with basic auth, the
# test setup of tests/gateway (install/deps.sh test bench). Both paths use
# plain HTTP on 127.0.0.1, so the ratio is the gateway's own cost: spooling,
# indexing, inspection, an extra hop. Each push goes to its own fresh
# upstream repository so both paths do the same work.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$root/build"
runs=15
large_mb=200
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --large-mb) large_mb="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) build_dir="$1"; shift ;;
  esac
done
build_dir="$(cd "$build_dir" && pwd)"
GATEWAY="$build_dir/akgate-gateway"
[[ -x "$GATEWAY" ]] || { echo "gateway_bench: $GATEWAY not found (bash install/build.sh)" >&2; exit 2; }

passed=0 failed=0
pass() { :; }
fail() { echo "gateway_bench: setup failed: $1" >&2; [[ -z "${2:-}" ]] || echo "$2" >&2; }
finish() { :; }
export GW_MAX_PUSH_BYTES=$((8 << 30))
source "$root/tests/gateway/env.sh"

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
UP="http://alice:s3cret-pass@127.0.0.1:$UP_HTTP/git"

# --- small push: one commit, a few files -----------------------------------------
small="$T/small"
git init -q "$small"
for f in app.py settings.py README.md; do head -c 2000 /usr/include/stdio.h >"$small/$f"; done
git -C "$small" add . && git -C "$small" commit -qm "base"
time_push() {  # URL REPO-NAME: seed the upstream with base, then time pushing one new commit
  new_upstream_repo "$2"
  git -C "$small" push -q "$T/repos/$2.git" main 2>/dev/null
  git -C "$small" checkout -q -B "work-$2" main
  echo "change $2 $RANDOM" >>"$small/app.py"
  git -C "$small" commit -qam "small change"
  local t0 t1
  t0="$(now)"
  git -C "$small" push -q "$1/$2.git" "HEAD:main" 2>"$T/push.err" || { cat "$T/push.err" >&2; echo fail; return; }
  t1="$(now)"
  calc "$t1 - $t0"
}
: >"$T/small_direct"; : >"$T/small_gw"
for i in $(seq 1 "$runs"); do
  time_push "$UP" "sd$i" >>"$T/small_direct"
  time_push "$H" "sg$i" >>"$T/small_gw"
done
sd="$(median <"$T/small_direct")"
sg="$(median <"$T/small_gw")"

# --- large push: a whole history into an empty repository -------------------------
large="$T/large"
git init -q "$large"
src_files="$(find /usr/include /usr/share/doc /usr/share/perl* -type f -size -1000k 2>/dev/null | sort)"
budget=$((large_mb * 1000000))
commits=0
size=0
batch=()
while IFS= read -r f; do
  rel="${f#/}"
  mkdir -p "$large/$(dirname "$rel")"
  cp "$f" "$large/$rel" 2>/dev/null || continue
  size=$((size + $(stat -c %s "$f")))
  batch+=("$rel")
  if [[ ${#batch[@]} -ge 400 ]]; then
    git -C "$large" add -- "${batch[@]}" && git -C "$large" commit -qm "snapshot $commits"
    commits=$((commits + 1)); batch=()
  fi
  [[ $size -ge $budget ]] && break
done <<<"$src_files"
[[ ${#batch[@]} -gt 0 ]] && git -C "$large" add -- "${batch[@]}" && git -C "$large" commit -qm "snapshot $commits" && commits=$((commits + 1))
files="$(git -C "$large" ls-files | wc -l)"
pack_bytes="$(git -C "$large" pack-objects --all --stdout </dev/null 2>/dev/null | wc -c)"

new_upstream_repo ld
new_upstream_repo lg
t0="$(now)"; git -C "$large" push -q "$UP/ld.git" main 2>"$T/ld.err" || cat "$T/ld.err" >&2; t1="$(now)"
ld="$(calc "$t1 - $t0")"
rss_before="$(rss_kb "$GW_PID")"
hwm_before="$(hwm_kb "$GW_PID")"
t0="$(now)"; git -C "$large" push -q "$H/lg.git" main 2>"$T/lg.err" || cat "$T/lg.err" >&2; t1="$(now)"
lg="$(calc "$t1 - $t0")"
hwm_after="$(hwm_kb "$GW_PID")"
ok_large=no
[[ "$(upstream_rev lg main)" == "$(git -C "$large" rev-parse main)" ]] && ok_large=yes
scan_line="$(grep 'push id=.*repo=/h/lg.git' "$T/gw/gateway.log" | tail -n 1)"

# --- an edit of a file that already holds a secret, in the large repository ------
# The pack does not carry the file's earlier version: the gateway fetches it
# from the upstream (trees of the parent commit, then the blob) before it can
# tell the secret is not new. Both upstreams allow filtered fetches, as GitHub
# and GitLab do.
for r in ld lg; do git -C "$T/repos/$r.git" config uploadpack.allowFilter true; done
mkdir -p "$large/usr/include/akgate-bench"
add_key_file "$large" "usr/include/akgate-bench/settings.py"
git -C "$large" add usr/include/akgate-bench && git -C "$large" commit -qm "settings with a key (before akgate)"
for r in ld lg; do git -C "$large" push -q "$T/repos/$r.git" main; done
: >"$T/pre_direct"; : >"$T/pre_gw"
pre_ok=yes
for i in $(seq 1 "$runs"); do
  echo "TIMEOUT_$i = $i" >>"$large/usr/include/akgate-bench/settings.py"
  git -C "$large" commit -qam "settings: edit $i"
  t0="$(now)"; git -C "$large" push -q "$UP/ld.git" main 2>"$T/pre.err" || cat "$T/pre.err" >&2; t1="$(now)"
  calc "$t1 - $t0" >>"$T/pre_direct"
  t0="$(now)"; git -C "$large" push -q "$H/lg.git" main 2>"$T/pre.err" || { cat "$T/pre.err" >&2; pre_ok=no; }; t1="$(now)"
  calc "$t1 - $t0" >>"$T/pre_gw"
done
[[ "$(upstream_rev lg main)" == "$(git -C "$large" rev-parse main)" ]] || pre_ok=no
pd="$(median <"$T/pre_direct")"
pg="$(median <"$T/pre_gw")"
fetch_lines="$(grep 'fetch_previous' "$T/gw/gateway.log" | tail -n 2)"

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "akgate-gateway benchmark ($(date -u +%Y-%m-%d), $(nproc) cores: $cpu; git $(git --version | cut -d' ' -f3))"
echo "upstream: git-http-backend behind nginx + fcgiwrap, basic auth, HTTP on 127.0.0.1"
echo
printf 'small push (1 commit, 3 files), median of %d:\n' "$runs"
printf '  direct   %.3f s\n  gateway  %.3f s\n  ratio    %.2f (gateway / direct), added %.0f ms\n' \
  "$sd" "$sg" "$(calc "$sg / $sd")" "$(calc "($sg - $sd) * 1000")"
echo
printf 'large push (%d commits, %d files, %.0f MB of content, pack %.1f MB) into an empty repository:\n' \
  "$commits" "$files" "$(calc "$size / 1000000")" "$(calc "$pack_bytes / 1000000")"
printf '  direct   %.2f s\n  gateway  %.2f s\n  ratio    %.2f (gateway / direct)\n' "$ld" "$lg" "$(calc "$lg / $ld")"
echo "  accepted through the gateway and complete upstream: $ok_large"
echo "  gateway: ${scan_line#*level=info }"
echo
printf 'gateway memory: RSS %.1f MB before the large push; peak RSS %.1f MB before it, %.1f MB after it\n' \
  "$(calc "$rss_before / 1024")" "$(calc "$hwm_before / 1024")" "$(calc "$hwm_after / 1024")"
printf '  (pack %.1f MB; the request body goes to disk, libgit2 maps the pack file and the inspection reads blobs)\n' \
  "$(calc "$pack_bytes / 1000000")"
echo
printf 'edit of a file holding a pre-existing secret, in the large repository (%d files), median of %d:\n' \
  "$files" "$runs"
printf '  direct   %.3f s\n  gateway  %.3f s\n  ratio    %.2f (gateway / direct), added %.0f ms\n' \
  "$pd" "$pg" "$(calc "$pg / $pd")" "$(calc "($pg - $pd) * 1000")"
echo "  accepted through the gateway (the secret is pre-existing): $pre_ok"
echo "  the last push's fetches of the earlier version:"
while IFS= read -r l; do echo "    ${l#*level=info }"; done <<<"$fetch_lines"
