#!/usr/bin/env bash
# Notifications that survive faults, over real pushes: seven targets at once
# (DingTalk and Feishu signed, WeCom, Slack, Teams, a generic webhook and a
# command) against local fake receivers (tests/hook/robots.py) that verify
# each vendor's documented signature, and that answer, fail (HTTP 500),
# answer slowly, or are not there at all; then `akgate outbox flush` once
# they are back. Counts what was delivered, duplicated and lost (the goal:
# nothing lost), and checks that a push never waits for a dead receiver.
#
#   AKGATE=build/akgate bash tests/hook/notify_outbox_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
ding_secret="SEC$(random_alnum 40)"
feishu_secret="$(random_alnum 22)"
mode="$TEST_TMP/robots.mode"
log="$TEST_TMP/robots.log"
echo up >"$mode"

python3 "$here/robots.py" "$log" "$TEST_TMP/robots.port" "$mode" "$ding_secret" "$feishu_secret" &
robots=$!
trap 'kill $robots 2>/dev/null; chmod -R u+rwX "$TEST_TMP" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
for _ in $(seq 50); do [[ -s "$TEST_TMP/robots.port" ]] && break; sleep 0.1; done
port="$(cat "$TEST_TMP/robots.port")"
base="http://127.0.0.1:$port"

# policy FOLLOW [extra TOML...]: the seven targets; the detached drainer
# follows a push's deliveries for FOLLOW seconds.
policy() {
  local follow="$1"; shift
  cat >"$AKGATE_POLICY" <<TOML
[audit]
log = "$AUDIT_LOG"
[limits]
time_budget = 20
[outbox]
file = "$OUTBOX"
retry_base = 0.3
follow = $follow
$(printf '%s\n' "$@")
[notify]
console_url = "https://console.example.com"
[[notify.target]]
name = "ding"
kind = "dingtalk"
url = "$base/dingtalk?access_token=t0ken"
secret = "$ding_secret"
timeout = 1
[[notify.target]]
name = "lark"
kind = "feishu"
url = "$base/feishu"
secret = "$feishu_secret"
timeout = 1
[[notify.target]]
name = "wx"
kind = "wecom"
url = "$base/wecom?key=k3y"
timeout = 1
[[notify.target]]
name = "sl"
kind = "slack"
url = "$base/slack"
timeout = 1
[[notify.target]]
name = "ms"
kind = "teams"
url = "$base/teams"
timeout = 1
[[notify.target]]
name = "hook"
kind = "webhook"
url = "$base/webhook"
timeout = 1
[[notify.target]]
name = "cmd"
kind = "command"
command = ["/bin/sh", "-c", "cat >> '$TEST_TMP/command.log'; echo >> '$TEST_TMP/command.log'"]
[[notify.target]]
name = "only-bypass"
kind = "slack"
url = "$base/slack-never"
events = ["bypass"]
TOML
}

# The events pushed (event_id from each audit line that has one).
events=()
push_key() {  # push_key NAME: a commit with a fresh key, pushed; the event id kept
  commit_file "$work" "$1.ini" "$(alibaba_pair)" "Key $1"
  local start; start=$(date +%s%N)
  push "$work" origin main
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  git -C "$work" reset -q --hard HEAD~1
  local id; id="$(audit_field 'a.get("event_id", "")')"
  [[ -n "$id" ]] && events+=("$id")
}

# --- all up: every target gets the push at once, signatures verified ---------------
policy 2
push_key up
expect_rc "receivers up: the push is rejected" 1
check "receivers up: audited as notified (${elapsed_ms} ms)" test "$(audit_field 'a["notified"], a.get("notify_queued", 0)')" = "True 0"
check "receivers up: each of the six HTTP targets got one valid message" python3 - "$log" "${events[0]}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
mine = [r for r in rows if r["event_id"] == sys.argv[2]]
kinds = sorted(r["kind"] for r in mine)
assert kinds == ["dingtalk", "feishu", "slack", "teams", "webhook", "wecom"], kinds
bad = [r for r in mine if not r["valid"]]
assert not bad, bad
assert not any(r.get("text_has_secret") for r in rows)
PY
check "receivers up: the filtered target (bypass only) got nothing" lacks "$(cat "$log")" '"kind": "slack-never"'
check "receivers up: the command got the event" grep -q "${events[0]}" "$TEST_TMP/command.log"
check "no secret reaches any receiver" lacks "$(cat "$log" "$TEST_TMP/command.log")" "$(sed -n 's/access_key_secret = //p' "$work/up.ini" 2>/dev/null || echo none)"
run "$AKGATE" outbox status
check "outbox status: 7 delivered, nothing pending" contains "$out" "0 pending, 7 delivered, 0 dead"

# A wrong signature is refused by the fake robots (so their check is real);
# with max_attempts = 2 it is soon dead, and reported.
policy 2 'max_attempts = 2'
sed -i "s/^secret = \"$ding_secret\"/secret = \"SECwrong\"/; s|dingtalk?access_token=t0ken\"|dingtalk?access_token=t0ken\&robot=2\"|" "$AKGATE_POLICY"
push_key wrongsig
check "a wrong DingTalk secret: the robot refuses it, the audit says so" \
  test "$(audit_field '"dingtalk ding" in " ".join(a.get("notify_errors", [])) and "310000" in " ".join(a["notify_errors"])')" = True
unset 'events[-1]'
wait_drainers() {  # this test's detached drainers have all exited (at most 30 s)
  for _ in $(seq 300); do pgrep -f -- "outbox flush --detached --outbox $OUTBOX" >/dev/null || return 0; sleep 0.1; done
  return 1
}
check "the push's drainer retried, then gave up on it: exited by itself" wait_drainers
run "$AKGATE" outbox status
check "a wrong secret: dead after its 2 attempts, with the robot's refusal" contains "$out" "dead     dingtalk ding"
check "a wrong secret: the error is the robot's" contains "$out" "errcode 310000"

# --- receivers fail (HTTP 500), then answer slowly, then are gone --------------------
policy 2
echo fail >"$mode"
push_key fail
expect_rc "receivers failing: still rejected" 1
check "receivers failing: the push is not held (${elapsed_ms} ms)" test "$elapsed_ms" -lt 6000
check "receivers failing: queued in the outbox and audited" test "$(audit_field 'a["notified"], a["notify_queued"]')" = "False 6"

echo slow >"$mode"
push_key slow
check "receivers slow (3 s, timeout 1 s): the push ends within its budget (${elapsed_ms} ms)" test "$elapsed_ms" -lt 6000
check "receivers slow: queued" test "$(audit_field 'a["notify_queued"]')" = 6

kill "$robots" 2>/dev/null; wait "$robots" 2>/dev/null
# A dead endpoint, and a detached drainer that follows it for 10 s: the push
# must not wait for that drainer (it closes every inherited descriptor).
policy 10
push_key dead
check "receivers gone, drainer following for 10 s: the push returns promptly (${elapsed_ms} ms)" test "$elapsed_ms" -lt 6000
check "receivers gone: the detached drainer is running on its own" pgrep -f -- "outbox flush --detached --outbox $OUTBOX" >/dev/null
check "receivers gone: the drainer holds none of the hook's descriptors" python3 - "$OUTBOX" <<'PY'
import os, sys
pids = [p for p in os.listdir("/proc") if p.isdigit()]
for p in pids:
    try:
        cmd = open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")
    except OSError:
        continue
    if b"--detached" in cmd and sys.argv[1].encode() in cmd:
        fds = os.listdir(f"/proc/{p}/fd")
        targets = [os.readlink(f"/proc/{p}/fd/{f}") for f in fds]
        assert all(not t.startswith("pipe:") for t in targets), targets
        assert os.getsid(int(p)) != os.getsid(0), "in the test's session"
        sys.exit(0)
sys.exit(1)
PY
run "$AKGATE" outbox status
check "outbox status: the failed ones pending (3 pushes x 6)" contains "$out" "18 pending"

# --- back: one flush delivers everything ----------------------------------------------
check "the drainers exit by themselves once their time is up" wait_drainers
echo up >"$mode"
rm -f "$TEST_TMP/robots.port"
python3 "$here/robots.py" "$log" "$TEST_TMP/robots.port" "$mode" "$ding_secret" "$feishu_secret" "$port" &
robots=$!
for _ in $(seq 50); do [[ -s "$TEST_TMP/robots.port" ]] && break; sleep 0.1; done
# --wait: DingTalk's robot has had more than its 20 sends this minute (the
# retries), so its last deliveries wait for the window to move.
start=$(date +%s)
run "$AKGATE" outbox flush --now --wait --timeout 120
check "flush --now --wait once the receivers are back: all delivered ($(( $(date +%s) - start )) s)" contains "$out" "now 0 pending, 1 dead"
check "flush: exit 1 while something is dead (the wrong secret)" test "$rc" = 1

# --- count: delivered, duplicated, lost -----------------------------------------------
check "every event reached every target with a valid signature: nothing lost" python3 - "$log" "${events[@]}" <<'PY'
import collections, json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
events = sys.argv[2:]
kinds = ["dingtalk", "feishu", "wecom", "slack", "teams", "webhook"]
got = collections.Counter((r["event_id"], r["kind"]) for r in rows if r["valid"])
lost = [(e, k) for e in events for k in kinds if got[(e, k)] == 0]
dup = sum(n - 1 for n in got.values() if n > 1)
keys = collections.Counter(r["key"] for r in rows if r["kind"] == "webhook" and r["valid"])
print(f"events {len(events)}, targets {len(kinds)}: delivered {sum(1 for e in events for k in kinds if got[(e, k)])}, "
      f"duplicated {dup} (at-least-once: a slow answer after the timeout), lost {len(lost)}; "
      f"webhook idempotency keys {len(keys)} distinct for {sum(keys.values())} posts")
assert len(events) == 4, events
assert not lost, lost
assert all(k and k.startswith(e) for e in events for k in [next((r["key"] for r in rows if r["kind"] == "webhook" and r["event_id"] == e), None)])
PY
check "the command target got every event too" python3 - "$TEST_TMP/command.log" "${events[@]}" <<'PY'
import sys
text = open(sys.argv[1]).read()
assert all(e in text for e in sys.argv[2:])
PY

# --- given up on: dead, reported, never dropped -----------------------------------------
policy 0 'max_attempts = 1'
sed -i "s|url = \"$base/webhook\"|url = \"http://127.0.0.1:9/nothing\"|" "$AKGATE_POLICY"
push_key given-up
run "$AKGATE" outbox status
check "a delivery past max_attempts is dead and reported: status exits 1" test "$rc" = 1
check "dead: named with its error" contains "$out" "dead     webhook hook"
run "$AKGATE" outbox status --format json
check "status --format json: the dead delivery's target" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert j["dead"] == 2 and "webhook hook" in [d["target"] for d in j["dead_deliveries"]], j' "$out"

# --- an outbox that is not one: the push still notifies, and says so --------------------
wait_drainers
printf 'not a database %.0s' $(seq 500) >"$OUTBOX"
rm -f "$OUTBOX-wal" "$OUTBOX-shm"
policy 0
push_key corrupt
expect_rc "corrupt outbox: the decision is unchanged" 1
check "corrupt outbox: the receivers still got the push directly" test "$(audit_field 'a["notified"]')" = True
run "$AKGATE" outbox status
check "corrupt outbox: status fails with a clear error naming the file" test "$rc" = 2
check "corrupt outbox: the error says why" contains "$err" "$OUTBOX: cannot read: file is not a database (not a usable outbox"

finish
