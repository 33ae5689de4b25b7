#!/usr/bin/env bash
# The gateway under load and faults, the large version of
# tests/gateway/faults_test.sh: many concurrent real `git push`es (clean and
# with secrets), `git fetch`es and `git clone`s through akgate-gateway, while
# tests/lib/fault_proxy.py between the gateway and the upstream stalls, resets,
# closes or trickles, and clients trickle, vanish or are killed mid-push.
# Prints one row per scenario:
#
#   pushes    pushes made (git push, or raw receive-pack requests)
#   landed    pushes whose ref holds their commit upstream afterwards
#   refused   pushes refused with akgate's report ([remote rejected])
#   errors    pushes and fetches that failed otherwise (502, cut connection, ...)
#   secrets   pushes carrying a secret whose ref or secret blob is upstream (must be 0)
#   lost      clean pushes git reported as done that are not upstream (must be 0)
#   fetches   fetches and clones that got the right commit / made
#   peakRSS   the gateway's peak RSS during the scenario (VmHWM, reset before it)
#   temp      entries left in the gateway's temp_dir once it settled (must be 0)
#   fds       the gateway's open descriptors before / after (settled)
#   p50/p95   seconds per push, fetch or clone (vanishing clients excluded)
#   other     the scenario's seconds; landed_after_error: pushes that landed
#             although their client saw a failure (the upstream's answer was
#             lost after it took the push); refused_clean: clean pushes refused
#             with a report (fail closed); anything that must not happen, in capitals
#
# and after it: whether the gateway stayed alive, /healthz, a control push
# after each scenario, and git fsck of each upstream repository.
#
#   bash bench/gateway_faults.sh [BUILD_DIR] [--pushes N] [--jobs J]
#
#   BUILD_DIR   where akgate-gateway is (default build/)
#   --pushes N  pushes per load scenario, a quarter of them with a secret
#               (default 120); fetches and clones: N/2
#   --jobs J    operations at once (default 50)
#
# Needs what tests/gateway needs (install/deps.sh test). Everything runs on
# 127.0.0.1 and is removed on exit. About 15 minutes on 2 cores (the stalls
# wait out [upstream] timeout_s, 60 s here).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$root/build"
pushes=120
jobs=50
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pushes) pushes="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) build_dir="$1"; shift ;;
  esac
done
build_dir="$(cd "$build_dir" && pwd)"
GATEWAY="$build_dir/akgate-gateway"
[[ -x "$GATEWAY" ]] || { echo "gateway_faults: $GATEWAY not found (bash install/build.sh)" >&2; exit 2; }

pass() { :; }
fail() { echo "gateway_faults: setup failed: $1" >&2; [[ -z "${2:-}" ]] || echo "$2" >&2; }
finish() { :; }
# Room for the load: the limit itself is not what is measured here. An
# upstream timeout the loaded upstream stays within (fcgiwrap runs 8
# git-http-backends at once; at 50 operations on 2 cores its first byte took
# up to 20 s), so a stall is what times out, not the queue.
export GW_MAX_CONCURRENT_PUSHES=$((jobs * 2 + 16))
export GW_UPSTREAM_TIMEOUT_S="${GW_UPSTREAM_TIMEOUT_S:-60}"
export GW_MAX_PUSH_BYTES=$((64 << 20))
source "$root/tests/gateway/faults_lib.sh"
source "$root/tests/gateway/env.sh"
secret=$((pushes / 4))
clean=$((pushes - secret))
fetches=$((pushes / 2))
faults_start "$clean" "$secret" 8 8 || { echo "gateway_faults: the fault proxy did not start" >&2; exit 1; }
FAULTS_OP_TIMEOUT=180

few=$((pushes / 4))
few_secret=$((few / 4))
few_clean=$((few - few_secret))
mix="push:$((clean - clean / 5)) tls:$((clean / 5)) secret:$secret fetch:$((fetches / 2)) clone:$((fetches - fetches / 2))"
# Each clean commit adds a 64 KiB file: a fault "after 20000 bytes" cuts a body.
pmix="push:$few_clean secret:$few_secret"
receive='match=^POST.*/git-receive-pack'
scenarios=(
  "load|mode=pass|$mix"
  "upstream-stall-answer|mode=stall where=response after=0 $receive|$pmix"
  "upstream-stall-midbody|mode=stall where=request after=20000 $receive|$pmix"
  "upstream-reset-midbody|mode=reset where=request after=20000 $receive|$pmix"
  "upstream-reset-answer|mode=reset where=response after=100 $receive|$pmix"
  "upstream-close-midbody|mode=close where=request after=20000 $receive|$pmix"
  "upstream-close-answer|mode=close where=response after=300 $receive|$pmix"
  "upstream-reset-credcheck|mode=reset where=response after=0 match=service=git-receive-pack|$pmix"
  "upstream-stall-clone|mode=stall where=response after=2000 match=git-upload-pack|fetch:$few clone:$few $pmix"
  "upstream-slow|mode=slow where=response chunk=1024 delay_ms=10|$pmix fetch:$((few / 2)) clone:$((few / 2))"
  "upstream-reset-previous|mode=reset where=response after=500 match=git-upload-pack|edit-pre:8 edit-new:8"
  "large-pushes|mode=pass|big:8 edit-pre:8 edit-new:8 $pmix"
  "load-under-resets|mode=reset where=request after=30000 $receive|$mix"
  "clients-misbehave|mode=pass|slow:$((few / 2)) vanish-close:$((few / 2)) vanish-reset:$((few / 2)) vanish-stall:$((few / 2)) killed:$((few / 2)) $pmix"
)

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "akgate-gateway under load and faults ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores: $cpu; git $(git --version | cut -d' ' -f3); load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "gateway: threads=2 scan_threads=2 max_concurrent_pushes=$GW_MAX_CONCURRENT_PUSHES upstream timeout_s=$GW_UPSTREAM_TIMEOUT_S idle_timeout_s=$GW_IDLE_TIMEOUT_S"
echo "upstream: git-http-backend behind nginx + fcgiwrap, through tests/lib/fault_proxy.py; $jobs operations at once"
echo "each clean commit adds a 64 KiB file (random text; big: 4 MiB); each secret commit a file with a fake AccessKey pair;"
echo "edit-pre: an edit of a file whose secret is upstream already (accepted once its earlier version is fetched);"
echo "edit-new: a new secret in a file upstream has (refused)"
echo
echo "$SCENARIO_HEADER  other"
problems=0
for s in "${scenarios[@]}"; do
  IFS='|' read -r name fault spec <<<"$s"
  started=$SECONDS
  scenario "$name" "$fault" "$spec" "$jobs"
  other="$((SECONDS - started))s"
  [[ "$S_landed_after_error" == 0 ]] || other+=" landed_after_error=$S_landed_after_error"
  [[ "$S_refused_clean" == 0 ]] || other+=" refused_clean=$S_refused_clean"
  [[ "$S_timeouts" == 0 ]] || other+=" client_timeouts=$S_timeouts"
  [[ "$S_wrong_ref" == 0 ]] || other+=" WRONG_REF=$S_wrong_ref"
  [[ "$S_SETTLED" == yes ]] || other+=" NOT_SETTLED"
  [[ "$S_HEALTHZ" == ok ]] || other+=" HEALTHZ=${S_HEALTHZ:-none}"
  [[ "$S_CONTROL" == ok ]] || other+=" CONTROL_PUSH_FAILED"
  [[ "$S_FSCK" == ok ]] || other+=" FSCK: $S_FSCK"
  gw_alive || other+=" GATEWAY_DIED"
  echo "$S_ROW  $other"
  if [[ "$S_secrets_landed" != 0 || "$S_lost_clean" != 0 || "$S_wrong_ref" != 0 || "$S_SPOOL_LEFT" != 0 ||
        "$S_HEALTHZ" != ok || "$S_CONTROL" != ok || "$S_FSCK" != ok ]] || ! gw_alive; then
    problems=$((problems + 1))
  fi
  gw_alive || break
done
echo
printf 'gateway at the end: RSS %.1f MB, %s descriptors, %s entries in temp_dir; %s scenario(s) with a problem\n' \
  "$(awk -v k="$(gw_status_kb VmRSS)" 'BEGIN { print k / 1024 }')" "$(gw_fds)" "$(spool_left)" "$problems"
echo "gateway log: $(grep -c 'level=error' "$T/gw/gateway.log") error lines, $(grep -c 'level=warning' "$T/gw/gateway.log") warnings"
grep -E 'level=(error|critical)' "$T/gw/gateway.log" | sed -E 's/^[^ ]+ //; s/id=[0-9]+ //' | sort | uniq -c | sort -rn | head -n 5
[[ "$problems" -eq 0 ]]
