# shellcheck shell=bash
# The gateway under load and faults: what tests/gateway/faults_test.sh (small,
# bounded, asserted) and bench/gateway_faults.sh (large, a table) share.
# Sourced, not run, in two steps:
#
#   source tests/gateway/faults_lib.sh   # before env.sh: the route /f/ through
#                                        # the fault proxy, short timeouts
#   source tests/gateway/env.sh          # upstream, gateway (tests/gateway)
#   faults_start N_CLEAN N_SECRET [N_BIG N_EDIT]  # the proxy, the pusher's repository
#   scenario NAME "FAULT" "OPS" [JOBS]   # one run; sets the S_* results
#
# The world: git client ──> akgate-gateway ──/f/──> tests/lib/fault_proxy.py ──>
# nginx + git-http-backend. FAULT is a fault_proxy.py control line ("mode=pass",
# "mode=reset where=request after=20000 match=^POST.*/git-receive-pack" ...).
# OPS counts operations, run JOBS at a time by tests/gateway/load_client.py:
#   push:N secret:N      real `git push`es of clean / secret commits
#   tls:N                real `git push`es of clean commits over HTTPS (the test CA)
#   big:N                real `git push`es of a large clean file (faults_start's N_BIG)
#   edit-pre:N           an edit of a file whose secret is upstream already (the
#                        gateway fetches its earlier version: accepted, or refused
#                        when that cannot be read; never a secret that is new)
#   edit-new:N           a new secret in a file the upstream has (refused)
#   fetch:N clone:N      real `git fetch` (of a commit the client lacks) / `git clone`
#   slow:N               a push body trickled (2 KiB every 50 ms)
#   vanish-close:N vanish-reset:N vanish-stall:N
#                        half a push body, then FIN / RST / silence
#   killed:N             `git push` SIGKILLed after 0.3 s
# Each scenario pushes to an upstream repository of its own.

faults_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/lib/servers.sh
source "$faults_here/../lib/servers.sh"  # free_port, wait_for_port
FAULT_PORT="$(free_port)"
GW_EXTRA_ROUTES="[[route]]
prefix = \"/f/\"
upstream = \"http://127.0.0.1:$FAULT_PORT/git/\""
export GW_UPSTREAM_TIMEOUT_S="${GW_UPSTREAM_TIMEOUT_S:-3}"
export GW_IDLE_TIMEOUT_S="${GW_IDLE_TIMEOUT_S:-5}"
LOAD_CLIENT="$faults_here/load_client.py"
# The interpreter itself, not a version manager's shim (which can take a
# second to start): the scenarios start python often.
PY="$(python3 -c 'import sys; print(sys.executable)')"

gw_fds() { find "/proc/$GW_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
gw_status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$GW_PID/status"; }
gw_alive() { kill -0 "$GW_PID" 2>/dev/null; }
spool_left() { find "${1:-$T/gw/tmp}" -mindepth 1 2>/dev/null | wc -l; }
# Waits (at most $1 s) until no push is in flight and no connection is open
# but the one asking.
gw_settle() {
  local i m
  for ((i = 0; i < ${1:-30} * 5; i++)); do
    m="$(curl -s -m 5 "http://127.0.0.1:$GW_HTTP/metrics")"
    awk '$1 == "akgate_gateway_pushes_in_flight" && $2 == 0 { p = 1 }
         $1 == "akgate_gateway_connections" && $2 <= 1 { c = 1 } END { exit !(p && c) }' <<<"$m" && return 0
    sleep 0.2
  done
  return 1
}
set_fault() { echo "$1" >"$T/fault.control"; }

faults_start() {  # N_CLEAN N_SECRET [N_BIG [N_EDIT]]
  set_fault "mode=pass"
  : >"$T/fault.log"
  "$PY" "$faults_here/../lib/fault_proxy.py" --listen "$FAULT_PORT" --upstream "127.0.0.1:$UP_HTTP" \
    --control "$T/fault.control" --log "$T/fault.log" >"$T/fault.stderr" 2>&1 &
  FAULT_PID=$!
  pids+=("$FAULT_PID")
  wait_for_port "$FAULT_PORT" || return 1
  # The pusher's repository: main, a commit upstream has and it lacks (for
  # fetches), and the commits to push.
  L="$T/load"
  git init -q "$L"
  echo "# load" >"$L/README.md"
  add_key_file "$L" config.py   # a secret the upstream has before the gateway
  git -C "$L" add . && git -C "$L" commit -qm "base"
  git -C "$L" checkout -q -b ahead
  head -c 150000 /dev/urandom | base64 >"$L/ahead.txt"
  git -C "$L" add . && git -C "$L" commit -qm "a commit the fetchers lack"
  git -C "$L" checkout -q main
  AHEAD="$(git -C "$L" rev-parse ahead)"
  "$PY" "$LOAD_CLIENT" prepare --repo "$L" --clean "$1" --secret "$2" --big "${3:-0}" --big-kb "${FAULTS_BIG_KB:-4096}" \
    --edit-pre "${4:-0}" --edit-new "${4:-0}"
  declare -gA n_commits=([clean]="$1" [secret]="$2" [big]="${3:-0}" [editpre]="${4:-0}" [editnew]="${4:-0}")
  # A clean commit for the control push after each scenario.
  git -C "$L" checkout -q -b control main
}

# A clean push through the gateway and the proxy (its fault switched off):
# the gateway still works.
control_push() {  # REPO
  echo "control $RANDOM$RANDOM" >"$L/control.txt"
  git -C "$L" add control.txt && git -C "$L" commit -qm "control" >/dev/null
  local sha
  sha="$(git -C "$L" rev-parse HEAD)"
  timeout 60 git -C "$L" push -q "http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/f/$1.git" HEAD:refs/heads/control \
    >/dev/null 2>&1 && [[ "$(upstream_rev "$1" control)" == "$sha" ]]
}

# many_refs REPO N: N more tags in the upstream repository REPO, for a large
# advertisement (written as packed-refs: so many loose refs take minutes).
many_refs() {
  local r="$T/repos/$1.git"
  git --git-dir="$r" pack-refs --all
  awk -v n="$2" -v sha="$(git --git-dir="$r" rev-parse main)" \
    'BEGIN { for (i = 0; i < n; i++) printf "%s refs/tags/many-%07d\n", sha, i }' >>"$r/packed-refs"
  { head -n 1 "$r/packed-refs"; tail -n +2 "$r/packed-refs" | LC_ALL=C sort -k2; } >"$T/packed-refs.tmp" &&
    mv "$T/packed-refs.tmp" "$r/packed-refs"
}

# scenario NAME FAULT OPS [JOBS]: runs OPS under FAULT against a fresh
# upstream repository fx-NAME, then lets the gateway settle and measures.
# Sets S_SUMMARY (load_client.py's JSON), S_<field> for its fields, S_HWM_KB
# (peak RSS during the scenario), S_RSS_KB, S_FDS_BEFORE, S_FDS_AFTER,
# S_SPOOL_LEFT, S_SETTLED, S_HEALTHZ, S_CONTROL (ok/failed), S_FSCK (ok or its
# complaint), S_APPLIED (connections the fault was applied to), S_ROW.
scenario() {
  local name="$1" fault="$2" spec="$3" jobs="${4:-8}"
  local repo="fx-$name" ops="$T/ops-$name.jsonl" word kind count i started=$SECONDS t_ops t_run
  declare -gA next_of=()
  new_upstream_repo "$repo"
  git -C "$T/repos/$repo.git" config uploadpack.allowFilter true   # fetch_previous, as GitHub serves it
  git -C "$L" push -q "$T/repos/$repo.git" ahead:refs/heads/main 2>/dev/null
  local url="http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/f/$repo.git"
  local raw="\"port\": $GW_HTTP, \"path\": \"/f/$repo.git/git-receive-pack\", \"auth\": \"alice:s3cret-pass\", \"repo\": \"$L\""
  : >"$ops"
  next_commit() {  # KIND: the next commit of that kind (faults_start made them; wraps around)
    local n="${next_of[$1]:-0}"
    next_of[$1]=$((n + 1))
    c_ref="refs/heads/$1-$((n % n_commits[$1]))"
    c_sha="$(git -C "$L" rev-parse "$c_ref")"
  }
  for word in $spec; do
    kind="${word%%:*}" count="${word#*:}"
    for ((i = 0; i < count; i++)); do
      case "$kind" in
        push|secret|killed|big|edit-pre|edit-new|tls)
          local secret=false ck=clean op=push extra="" u="$url"
          case "$kind" in
            tls) u="https://alice:s3cret-pass@localhost:$GW_HTTPS/f/$repo.git" ;;
            secret) secret=true ck=secret ;;
            killed) op=killed-push extra=', "after_s": 0.3' ;;
            big) ck=big ;;
            edit-pre) ck=editpre ;;
            edit-new) secret=true ck=editnew ;;
          esac
          next_commit "$ck"
          printf '{"kind": "%s", "repo": "%s", "url": "%s", "commit": "%s", "ref": "%s", "secret": %s%s}\n' \
            "$op" "$L" "$u" "$c_sha" "$c_ref" "$secret" "$extra" >>"$ops" ;;
        fetch)
          # Only main: the fetch has the commit ahead to get (no local clone sharing objects).
          git clone -q --bare --no-local --single-branch --branch main "$L" "$T/fetch-$name-$i" 2>/dev/null
          printf '{"kind": "fetch", "repo": "%s", "url": "%s", "want": "%s"}\n' "$T/fetch-$name-$i" "$url" "$AHEAD" >>"$ops" ;;
        clone)
          printf '{"kind": "clone", "dir": "%s", "url": "%s", "want": "%s"}\n' "$T/clone-$name-$i" "$url" "$AHEAD" >>"$ops" ;;
        slow)
          next_commit clean
          printf '{"kind": "slow-push", %s, "commit": "%s", "ref": "%s", "secret": false, "chunk": 2048, "delay_ms": 50}\n' \
            "$raw" "$c_sha" "$c_ref" >>"$ops" ;;
        vanish-*)
          next_commit clean
          printf '{"kind": "vanish-push", %s, "commit": "%s", "ref": "%s", "secret": false, "fraction": 0.5, "how": "%s"}\n' \
            "$raw" "$c_sha" "$c_ref" "${kind#vanish-}" >>"$ops" ;;
        *) echo "scenario: unknown operation $kind" >&2; return 2 ;;
      esac
    done
  done
  gw_settle 30
  t_ops=$SECONDS
  S_FDS_BEFORE="$(gw_fds)"
  echo 5 >"/proc/$GW_PID/clear_refs" 2>/dev/null   # peak RSS from here
  local log_before
  log_before="$(wc -l <"$T/fault.log")"
  set_fault "$fault"
  S_SUMMARY="$("$PY" "$LOAD_CLIENT" run --ops "$ops" --jobs "$jobs" --timeout "${FAULTS_OP_TIMEOUT:-90}" \
    --upstream-repo "$T/repos/$repo.git" --results "$T/results-$name.jsonl")"
  set_fault "mode=pass"
  t_run=$SECONDS
  S_APPLIED="$(tail -n +"$((log_before + 1))" "$T/fault.log" | grep -c 'applied=1')"
  S_SETTLED=no
  gw_settle "${FAULTS_SETTLE_S:-30}" && S_SETTLED=yes
  S_HWM_KB="$(gw_status_kb VmHWM)"
  S_RSS_KB="$(gw_status_kb VmRSS)"
  S_FDS_AFTER="$(gw_fds)"
  S_SPOOL_LEFT="$(spool_left)"
  S_HEALTHZ="$(curl -s -m 5 "http://127.0.0.1:$GW_HTTP/healthz")"
  S_CONTROL=failed
  control_push "$repo" && S_CONTROL=ok
  S_FSCK="$(git --git-dir="$T/repos/$repo.git" fsck --no-progress 2>&1 | grep -v '^dangling' | head -n 3)"
  [[ -z "$S_FSCK" ]] && S_FSCK=ok
  S_TIMES="setup $((t_ops - started)) s, run $((t_run - t_ops)) s, checks $((SECONDS - t_run)) s"
  local k
  for k in ops pushes landed refused refused_clean failed_clean errors secrets_landed lost_clean wrong_ref landed_after_error \
    fetches fetches_ok timeouts p50_s p95_s max_s; do
    printf -v "S_$k" '%s' "?"
  done
  # S_<field>=<number> for each field of the summary.
  eval "$("$PY" -c 'import json, sys
for k, v in json.loads(sys.argv[1]).items():
    print("S_%s=%s" % (k, float(v) if isinstance(v, float) else int(v)))' "${S_SUMMARY:-{\}}" 2>/dev/null)"
  printf -v S_ROW '%-24s %6s %6s %7s %6s %7s %5s %7s %8s %6s %9s %12s' "$name" "$S_pushes" "$S_landed" "$S_refused" \
    "$S_errors" "$S_secrets_landed" "$S_lost_clean" "$S_fetches_ok/$S_fetches" \
    "$(awk -v k="$S_HWM_KB" 'BEGIN { printf "%.0f", k / 1024 }')" "$S_SPOOL_LEFT" "$S_FDS_BEFORE/$S_FDS_AFTER" \
    "$S_p50_s/$S_p95_s"
}
SCENARIO_HEADER="$(printf '%-24s %6s %6s %7s %6s %7s %5s %7s %8s %6s %9s %12s' scenario pushes landed refused \
  errors secrets lost fetches peakRSS_MB temp fds p50/p95_s)"
