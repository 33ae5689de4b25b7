#!/usr/bin/env bash
# akgate-gateway under load and faults, bounded (a few minutes on 2 cores):
# concurrent real `git push`es (clean and with secrets), `git fetch`es and
# `git clone`s through the gateway, while tests/lib/fault_proxy.py, between
# the gateway and the real upstream (nginx + git-http-backend), stalls, resets,
# closes or trickles, and clients trickle, vanish or are killed mid-push
# (tests/gateway/faults_lib.sh; bench/gateway_faults.sh is the large version).
#
#   AKGATE=build/akgate bash tests/gateway/faults_test.sh   (tests/run.sh runs it)
#   FAULTS_ONLY="load clients" ...                           (only those scenarios)
#
# After every scenario: no secret reached the upstream (neither its ref nor its
# blob), no clean push was reported done without landing nor landed partially,
# git fsck passes upstream, every client got an answer in time, the gateway
# settles, is alive, answers /healthz and takes a clean push, its temp_dir is
# empty, it holds no more descriptors than before and its peak RSS stays
# under a generous bound. Ends with "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/check.sh"   # AKGATE, pass/fail/skip/finish, TEST_TMP
GATEWAY="$(dirname "$AKGATE")/akgate-gateway"
[[ -x "$GATEWAY" ]] || { fail "akgate-gateway built" "$GATEWAY is not an executable"; finish; exit 1; }
for tool in nginx fcgiwrap htpasswd openssl curl python3 git; do
  if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x "/usr/sbin/$tool" ]]; then
    fail "test dependencies present" "'$tool' not found (bash install/deps.sh test)"
    finish
    exit 1
  fi
done

# Larger pushes than the other suites (the slow-reader case sends 12 MB).
export GW_MAX_PUSH_BYTES=$((64 << 20))
source "$here/faults_lib.sh"
source "$here/env.sh"
trap 'cleanup; rm -rf "$TEST_TMP"' EXIT   # env.sh's and check.sh's
FAULTS_BIG_KB=12288 faults_start 12 6 1 4 || { fail "the fault proxy starts" "$(cat "$T/fault.stderr")"; finish; exit 1; }
FAULTS_OP_TIMEOUT=60

# Peak RSS bound: generous (tens of MB are expected); a sanitizer build keeps
# freed memory in quarantine.
rss_bound_mb=300
ldd "$GATEWAY" 2>/dev/null | grep -q 'libasan' && rss_bound_mb=1500

# What a failed check shows: the scenario's summary, the clients' last lines,
# the gateway's warnings.
scenario_detail() {
  echo "summary: $S_SUMMARY"
  echo "settled=$S_SETTLED healthz=$S_HEALTHZ control=$S_CONTROL fsck=$S_FSCK fds=$S_FDS_BEFORE/$S_FDS_AFTER temp_left=$S_SPOOL_LEFT"
  "$PY" -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print("  %s %s rc=%s %.1fs upstream=%s: %s" % (r["kind"], r.get("ref", ""), r["rc"], r["seconds"],
          (r.get("upstream_ref") or "-")[:10], r["tail"][:200]))' "$T/results-$S_NAME.jsonl" 2>/dev/null | head -n 20
  grep -E 'level=(warning|error|critical)' "$T/gw/gateway.log" | tail -n 5
  ls -la "$T/gw/tmp" 2>/dev/null | tail -n +4 | head -n 5
}
# scheck NAME COMMAND...: a check whose failure shows the scenario.
scheck() {
  local name="$1"; shift
  if "$@"; then pass "$name"; else fail "$name" "$(scenario_detail)"; fi
}

# dcheck NAME COMMAND...: a check whose failure shows $detail.
dcheck() {
  local name="$1"; shift
  if "$@"; then pass "$name"; else fail "$name" "${detail:-}"; fi
}

# run_scenario NAME FAULT OPS [JOBS]: runs it, then the checks every scenario
# must pass.
run_scenario() {
  S_NAME="$1"
  scenario "$@"
  local n="$S_NAME"
  echo "# $n: $S_TIMES"
  scheck "$n: no push carrying a secret reached the upstream (neither its ref nor its blob)" \
    test "$S_secrets_landed" = 0
  scheck "$n: no clean push was reported done without landing, none landed as another commit" \
    test "$S_lost_clean" = 0 -a "$S_wrong_ref" = 0
  scheck "$n: the upstream repository is intact (git fsck)" test "$S_FSCK" = ok
  scheck "$n: every client got its answer or its connection closed within ${FAULTS_OP_TIMEOUT}s (no hang)" \
    test "$S_timeouts" = 0
  scheck "$n: the gateway settles afterwards (no push in flight, no connection open)" test "$S_SETTLED" = yes
  scheck "$n: the gateway is alive and healthy afterwards (/healthz ok, a clean push lands)" \
    bash -c 'kill -0 "$1" && [[ $2 == ok && $3 == ok ]]' _ "$GW_PID" "$S_HEALTHZ" "$S_CONTROL"
  scheck "$n: no temporary file is left in the gateway's temp_dir" test "$S_SPOOL_LEFT" = 0
  scheck "$n: no descriptor leaked ($S_FDS_BEFORE open before, $S_FDS_AFTER after)" \
    test "$S_FDS_AFTER" -le "$S_FDS_BEFORE"
  scheck "$n: peak RSS $((S_HWM_KB / 1024)) MB stays under $rss_bound_mb MB" test "$((S_HWM_KB / 1024))" -lt "$rss_bound_mb"
  if [[ "$2" != "mode=pass" ]]; then
    scheck "$n: the fault was applied (to $S_APPLIED upstream connection(s))" test "$S_APPLIED" -gt 0
  fi
}

receive='match=^POST.*/git-receive-pack'   # the forwarded push, not the credential check
want() { [[ -z "${FAULTS_ONLY:-}" || " $FAULTS_ONLY " == *" $1 "* ]]; }

# --- load with no fault ------------------------------------------------------------
if want load; then
  run_scenario load "mode=pass" "push:6 tls:2 secret:4 edit-pre:2 edit-new:2 fetch:3 clone:3" 8
  scheck "load: every clean push (HTTP and HTTPS) landed and was reported done ($S_landed of 10)" \
    test "$S_landed" = 10 -a "$S_failed_clean" = 0
  scheck "load: every push with a secret was refused with the report ($S_refused of 6)" test "$S_refused" = 6
  scheck "load: an edit of a file whose secret is upstream already is accepted (the earlier version fetched)" \
    test "$(upstream_rev fx-load editpre-1)" = "$(git -C "$L" rev-parse editpre-1)"
  scheck "load: every fetch and clone got the upstream's commit ($S_fetches_ok of 6)" test "$S_fetches_ok" = 6
fi

# --- the upstream fails while a push is forwarded --------------------------------------
# Mid-body: the upstream never has the whole push, nothing can land.
for f in stall reset close; do
  want "upstream-$f-midbody" || continue
  run_scenario "upstream-$f-midbody" "mode=$f where=request after=20000 $receive" "push:4 secret:2" 6
  scheck "upstream-$f-midbody: every clean push failed visibly and none landed" \
    test "$S_failed_clean" = 4 -a "$S_landed" = 0
  scheck "upstream-$f-midbody: every push with a secret was refused before the upstream" test "$S_refused" = 2
done
# In the answer: the push may have landed; the client must not be told it did
# unless it did (checked above), and here it cannot be told at all.
for f in stall reset close; do
  want "upstream-$f-answer" || continue
  run_scenario "upstream-$f-answer" "mode=$f where=response after=100 $receive" "push:4 secret:2" 6
  scheck "upstream-$f-answer: every client whose answer was cut saw a failure" test "$S_failed_clean" = 4
done

# --- the upstream fails elsewhere ------------------------------------------------------
if want upstream-reset-credcheck; then
  run_scenario upstream-reset-credcheck "mode=reset where=response after=0 match=service=git-receive-pack" "push:3 secret:2" 5
  scheck "upstream-reset-credcheck: the credential check failing refuses every push (502), nothing lands" \
    test "$S_errors" = 5 -a "$S_landed" = 0
fi
if want upstream-stall-credcheck; then
  run_scenario upstream-stall-credcheck "mode=stall where=response after=0 match=service=git-receive-pack" "push:2 secret:1" 3
  scheck "upstream-stall-credcheck: a silent credential check ends in an error, nothing lands" \
    test "$S_errors" = 3 -a "$S_landed" = 0
fi
if want upstream-stall-clone; then
  run_scenario upstream-stall-clone "mode=stall where=response after=2000 match=git-upload-pack" "fetch:2 clone:2 push:2" 6
  scheck "upstream-stall-clone: stalled fetches and clones fail ($S_fetches_ok of 4 got through), pushes still land" \
    test "$S_fetches_ok" = 0 -a "$S_landed" = 2
fi
if want upstream-reset-previous; then
  run_scenario upstream-reset-previous "mode=reset where=response after=500 match=git-upload-pack" "edit-pre:2 edit-new:2" 4
  scheck "upstream-reset-previous: findings whose earlier version cannot be fetched are refused (fail closed)" \
    test "$S_refused" = 4
fi
if want upstream-slow; then
  run_scenario upstream-slow "mode=slow where=response chunk=512 delay_ms=5" "push:3 secret:1 fetch:2 clone:1" 7
  scheck "upstream-slow: a slow upstream slows but fails nothing ($S_landed of 3 landed, $S_fetches_ok of 3 fetched)" \
    test "$S_landed" = 3 -a "$S_failed_clean" = 0 -a "$S_refused" = 1 -a "$S_fetches_ok" = 3
fi

if want upstream-slow-reader; then
  # A 12 MB push the upstream reads steadily (2 MB/s for its first 8 MB, never
  # silent for a second) but for longer in all than [upstream] timeout_s.
  run_scenario upstream-slow-reader "mode=slow where=request chunk=65536 delay_ms=32 limit=8000000 $receive" "big:1" 1
  scheck "upstream-slow-reader: a push the upstream reads slowly but steadily lands (timeout_s bounds silence, not the whole send)" \
    test "$S_landed" = 1 -a "$S_failed_clean" = 0
fi

if want upstream-slow-advertisement; then
  # The receive-pack advertisement (the client's, and the credential check's)
  # trickled 16 bytes every 100 ms: never silent, longer in all than timeout_s.
  run_scenario upstream-slow-advertisement "mode=slow where=response chunk=16 delay_ms=100 match=service=git-receive-pack" \
    "push:2 secret:1" 3
  scheck "upstream-slow-advertisement: pushes whose advertisement comes slowly but steadily go through ($S_landed of 2 landed, $S_refused of 1 refused)" \
    test "$S_landed" = 2 -a "$S_refused" = 1
fi

# --- many clients ask for a large advertisement at once ----------------------------------
# The gateway holds each receive-pack advertisement whole while it adds
# no-thin: 32 requests at once for a 10 MB one (150000 refs) must not cost 32
# times its size. A gateway of its own, whose max_concurrent_pushes is 2.
if want advertisements; then
  mkdir -p "$T/gw-adv/tmp"
  GW_MAX_CONCURRENT_PUSHES=2 write_gateway_config "$T/gw-adv"
  main_pid="$GW_PID" main_http="$GW_HTTP" main_https="$GW_HTTPS"
  if start_gateway "$T/gw-adv"; then
    seed_upstream_repo adv
    many_refs adv 150000
    adv_url="http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/h/adv.git/info/refs?service=git-receive-pack"
    direct_size="$(curl -s "http://alice:s3cret-pass@127.0.0.1:$UP_HTTP/git/adv.git/info/refs?service=git-receive-pack" | wc -c)"
    gw_settle 10
    adv_fds="$(gw_fds)"
    adv_rss="$(gw_status_kb VmRSS)"
    curl_pids=()
    for i in $(seq 1 32); do
      curl -s -m 60 -D "$T/adv-$i.headers" -o "$T/adv-$i.body" "$adv_url" &
      curl_pids+=($!)
    done
    wait "${curl_pids[@]}"
    adv_hwm="$(gw_status_kb VmHWM)"
    ok=0 busy=0 other=""
    for i in $(seq 1 32); do
      code="$(head -n 1 "$T/adv-$i.headers" | awk '{ print $2 }')"
      if [[ $code == 200 && "$(wc -c <"$T/adv-$i.body")" -eq $((direct_size + 8)) ]] && grep -q 'no-thin' "$T/adv-$i.body"; then
        ok=$((ok + 1))
      elif [[ $code == 503 ]] && grep -qi '^Retry-After:' "$T/adv-$i.headers"; then
        busy=$((busy + 1))
      else
        other+=" #$i:${code:-none}"
      fi
    done
    detail="$ok whole with no-thin, $busy busy (503), other:${other:- none}; direct size $direct_size"
    dcheck "advertisements: 32 at once each get the whole advertisement with no-thin, or 503 with Retry-After ($ok + $busy)" \
      test -z "$other" -a "$ok" -gt 0
    dcheck "advertisements: the gateway's peak RSS stays bounded ($((adv_rss / 1024)) MB before, peak $((adv_hwm / 1024)) MB; 32 x 10 MB asked; bound $((rss_bound_mb / 2)) MB)" \
      test "$((adv_hwm / 1024))" -lt "$((rss_bound_mb / 2))"
    gw_settle 10
    dcheck "advertisements: no descriptor leaked ($adv_fds before, $(gw_fds) after), temp_dir empty, /healthz ok" \
      bash -c '[[ $1 -le $2 && $3 == 0 && $4 == ok ]]' _ "$(gw_fds)" "$adv_fds" "$(spool_left "$T/gw-adv/tmp")" \
      "$(curl -s -m 5 "http://127.0.0.1:$GW_HTTP/healthz")"
    kill "$GW_PID" 2>/dev/null
  else
    fail "gateway (advertisements) starts" "$(cat "$T/gw-adv/stderr")"
  fi
  GW_PID="$main_pid" GW_HTTP="$main_http" GW_HTTPS="$main_https"
fi

# --- a gateway killed mid-push, restarted ----------------------------------------------
# Two gateways share a temp_dir, each forwarding a push the upstream never
# answers. One is SIGKILLed (its spool stays: nothing ran to remove it) and
# restarted: it removes what the dead process left, not what the live one
# is using.
if want killed-gateway; then
  main_pid="$GW_PID" main_http="$GW_HTTP" main_https="$GW_HTTPS"
  mkdir -p "$T/gw-a" "$T/gw-b" "$T/shared-tmp"
  write_gateway_config "$T/gw-a"
  write_gateway_config "$T/gw-b"
  sed -i "s|^temp_dir = .*|temp_dir = \"$T/shared-tmp\"|" "$T/gw-a/gateway.toml" "$T/gw-b/gateway.toml"
  if start_gateway "$T/gw-a" && a_pid="$GW_PID" a_http="$GW_HTTP" && start_gateway "$T/gw-b"; then
    b_pid="$GW_PID" b_http="$GW_HTTP"
    new_upstream_repo killed
    git -C "$L" push -q "$T/repos/killed.git" ahead:refs/heads/main
    set_fault "mode=stall where=response after=0 $receive"
    spools() { find "$T/shared-tmp" -mindepth 2 -maxdepth 2 -name body | wc -l; }
    i=0
    for port in "$a_http" "$b_http"; do
      timeout 60 git -C "$L" push -q "http://alice:s3cret-pass@127.0.0.1:$port/f/killed.git" \
        "clean-$i:refs/heads/k-$i" >/dev/null 2>&1 &
      i=$((i + 1))
    done
    for _ in $(seq 1 100); do
      [[ "$(grep -c ' push id=' "$T/gw-a/gateway.log" "$T/gw-b/gateway.log" | awk -F: '{ s += $2 } END { print s }')" -ge 2 ]] && break
      sleep 0.1
    done
    kill -KILL "$a_pid"
    wait "$a_pid" 2>/dev/null
    left="$(spools)"
    detail="$(ls -la "$T/shared-tmp")"
    dcheck "killed-gateway: the SIGKILLed gateway's spool is still there (2 in flight, $left spool(s) left)" test "$left" = 2
    start_gateway "$T/gw-a"
    a_pid="$GW_PID"
    sleep 0.5
    left="$(spools)"
    detail="$(ls -la "$T/shared-tmp"; grep -i 'temp_dir\|spool' "$T/gw-a/gateway.log" | tail -n 3)"
    dcheck "killed-gateway: restarted, it removes the dead process's spool and not the live gateway's ($left left, 1 expected)" \
      test "$left" = 1
    set_fault "mode=pass"
    for _ in $(seq 1 100); do [[ "$(spools)" == 0 ]] && break; sleep 0.1; done
    detail="$(ls -la "$T/shared-tmp"; tail -n 3 "$T/gw-b/gateway.log")"
    dcheck "killed-gateway: once the live gateway's push has run its course, temp_dir holds no spool" test "$(spools)" = 0
    kill "$a_pid" "$b_pid" 2>/dev/null
  else
    fail "gateways sharing a temp_dir start" "$(cat "$T/gw-a/stderr" "$T/gw-b/stderr")"
  fi
  GW_PID="$main_pid" GW_HTTP="$main_http" GW_HTTPS="$main_https"
fi

# --- clients that misbehave -------------------------------------------------------------
if want clients; then
  run_scenario clients "mode=pass" "slow:2 vanish-close:2 vanish-reset:2 vanish-stall:2 killed:2 push:2 secret:1" 13
  scheck "clients: a push body trickled in 2 KiB steps lands" \
    bash -c 'for i in 0 1; do [[ -n $(git --git-dir="$1" rev-parse -q --verify refs/heads/clean-$i) ]] || exit 1; done' \
    _ "$T/repos/fx-clients.git"
  scheck "clients: pushes that vanish half-way (FIN, RST, silence) land nothing" \
    bash -c 'for i in 2 3 4 5 6 7; do [[ -z $(git --git-dir="$1" rev-parse -q --verify refs/heads/clean-$i) ]] || exit 1; done' \
    _ "$T/repos/fx-clients.git"
  closed="$(grep -o 'closed after [0-9.]* s' "$T/results-clients.jsonl" | awk '{ print $3 }' | sort -g | tail -n 1)"
  scheck "clients: a client silent half-way through its push is cut off by idle_timeout_s ($GW_IDLE_TIMEOUT_S s; took ${closed:-?} s)" \
    awk -v t="${closed:-999}" -v b="$GW_IDLE_TIMEOUT_S" 'BEGIN { exit !(t >= b - 1 && t < b * 3) }'
fi

finish
