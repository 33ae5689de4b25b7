# shellcheck shell=bash
# Gateway-held mode (issue 10), sourced by tests/gateway/run.sh after env.sh:
# developers sign in to the gateway with a token from its users file, and the
# gateway pushes and fetches with the route's own upstream credential. The
# upstream here is a second nginx over the same repositories that knows only
# the gateway's bot account, as an administrator closes direct pushes.

HELD_PASS="held-$(random_alnum 24)"   # the bot's upstream password: the held credential
UP_HELD="$(free_port)"
mkdir -p "$T/nginx-held" "$T/held/tmp"
htpasswd -bc "$T/nginx-held/htpasswd" akgate-bot "$HELD_PASS" >/dev/null 2>&1
start_git_http "$T/nginx-held" "$T/repos" "$UP_HELD" ||
  fail "held upstream starts" "$(cat "$T/nginx-held/start.log" "$T/nginx-held/error.log" 2>/dev/null)"
printf '# the akgate-gateway bot on the upstream\nakgate-bot:%s\n' "$HELD_PASS" >"$T/held/bot.cred"
chmod 600 "$T/held/bot.cred"

# held_log_has PATTERN [FROM-LINE]: waits (10 s at most) until the gateway's log,
# from FROM-LINE on, has a line matching PATTERN. A request's log line is
# written once its answer is out, so the client may finish first.
held_log_has() {
  for _ in $(seq 100); do
    tail -n +"${2:-1}" "$T/held/gateway.log" | grep -q -- "$1" && return 0
    sleep 0.1
  done
  return 0
}

write_held_config() {  # DIR CREDENTIAL-FILE (empty: none) USERS-FILE
  local cred_line=""
  [[ -z "$2" ]] || cred_line="upstream_credential_file = \"$2\""
  cat >"$1/gateway.toml" <<CONF
[server]
temp_dir = "$1/tmp"
[[server.listen]]
address = "127.0.0.1"
port = 0
[limits]
max_push_bytes = 8388608
idle_timeout_s = 5
[[route]]
prefix = "/held/"
upstream = "http://127.0.0.1:$UP_HELD/git/"
$cred_line
[identity]
mode = "gateway-held"
users_file = "$3"
[inspect]
policy = "$T/policy.toml"
[log]
level = "info"
file = "$1/gateway.log"
CONF
}

# --- add-user: the token printed once, its hash stored ---------------------------------
out="$("$GATEWAY" add-user --users-file "$T/held/users" alice 2>&1)"; rc=$?
ALICE_TOKEN="$(grep -m1 '^akgate_' <<<"$out")"
detail="$out"
check "add-user: prints a new token once" test "$rc" -eq 0 -a "${#ALICE_TOKEN}" -eq 50
BOB_TOKEN="$("$GATEWAY" add-user --users-file "$T/held/users" bob 2>&1 | grep -m1 '^akgate_')"
detail="$(cat "$T/held/users")"
check "add-user: the users file holds hashes, never a token, mode 0600" \
  bash -c '! grep -q -e "$2" -e "$3" "$1" && grep -q "^alice:sha256:[0-9a-f]\{64\}$" "$1" && [[ $(stat -c %a "$1") == 600 ]]' \
  _ "$T/held/users" "$ALICE_TOKEN" "$BOB_TOKEN"
out="$("$GATEWAY" add-user --users-file "$T/held/users" alice 2>&1)"; rc=$?
detail="$out"
check "add-user: a name already there is refused (--replace to rotate)" \
  bash -c '[[ $1 -eq 2 ]] && grep -q "alice is already in .* (--replace gives them a new token" <<<"$2"' _ "$rc" "$out"

# --- --check: what would fail at a push is refused at start ----------------------------
held_check() {  # CREDENTIAL-FILE USERS-FILE: runs --check, sets out and rc
  mkdir -p "$T/held-check"
  write_held_config "$T/held-check" "$1" "$2"
  out="$("$GATEWAY" --check --config "$T/held-check/gateway.toml" 2>&1)"; rc=$?
  detail="$out"
}
held_check "$T/held/bot.cred" "$T/held/users"
check "--check: a gateway-held configuration is valid" \
  bash -c '[[ $1 -eq 0 ]] && grep -q "is valid (1 listener(s), 1 route(s); gateway-held: 2 user(s), a credential for every route)" <<<"$2"' _ "$rc" "$out"
held_check "$T/held/absent.cred" "$T/held/users"
check "--check: a missing credential file is named" \
  bash -c '[[ $1 -eq 2 ]] && grep -q "cannot read the upstream credential file (route /held/) .*/held/absent.cred: No such file" <<<"$2"' _ "$rc" "$out"
cp "$T/held/bot.cred" "$T/held/loose.cred" && chmod 644 "$T/held/loose.cred"
held_check "$T/held/loose.cred" "$T/held/users"
check "--check: a credential file others can read is refused, with the fix" \
  bash -c '[[ $1 -eq 2 ]] && grep -q "loose.cred has mode 0644: it must not be readable or writable by group or others (chmod 0600" <<<"$2"' _ "$rc" "$out"
check "--check: the held credential is never printed" bash -c '! grep -q "$2" <<<"$1"' _ "$out" "$HELD_PASS"
held_check "" "$T/held/users"
check "--check: a route without a held credential is refused" \
  bash -c '[[ $1 -eq 2 ]] && grep -q "route /held/: upstream_credential_file is required with \[identity\] mode = \"gateway-held\"" <<<"$2"' _ "$rc" "$out"
{ cat "$T/held/users"; echo "carol:her-token-in-clear"; } >"$T/held/users-bad" && chmod 600 "$T/held/users-bad"
held_check "$T/held/bot.cred" "$T/held/users-bad"
check "--check: a bad users-file line is named by file and line" \
  bash -c '[[ $1 -eq 2 ]] && grep -q "users-bad:3: the hash of carol must start with sha256:" <<<"$2"' _ "$rc" "$out"
cp "$T/held/users" "$T/held/users-loose" && chmod 664 "$T/held/users-loose"
held_check "$T/held/bot.cred" "$T/held/users-loose"
check "--check: a users file others can change is refused" \
  bash -c '[[ $1 -eq 2 ]] && grep -q "users-loose has mode 0664: it must not be writable by group or others" <<<"$2"' _ "$rc" "$out"

# --- the gateway-held gateway ----------------------------------------------------------
write_held_config "$T/held" "$T/held/bot.cred" "$T/held/users"
main_pid="$GW_PID" main_http="$GW_HTTP" main_https="$GW_HTTPS"
if start_gateway "$T/held"; then
  HG="http://127.0.0.1:$GW_HTTP/held"
  seed_upstream_repo held
  hc="$T/held-clone"
  out="$(git clone -q "http://alice:$ALICE_TOKEN@127.0.0.1:$GW_HTTP/held/held.git" "$hc" 2>&1)"
  detail="$out"
  check "held: alice clones with her gateway token" test -f "$hc/README.md"
  echo "held = 1" >"$hc/held.py" && git -C "$hc" add held.py && git -C "$hc" commit -qm "clean, through the held gateway"
  out="$(git -C "$hc" push origin main 2>&1)"; rc=$?
  detail="$out"
  check "held: alice's clean push accepted" test "$rc" -eq 0 -a "$(upstream_rev held main)" = "$(git -C "$hc" rev-parse HEAD)"
  detail="$(grep 'held.git' "$T/nginx-held/access.log" | tail -n 5)"
  check "held: the upstream received the push with the held credential (akgate-bot)" \
    grep -q ' - akgate-bot \[.*"POST /git/held.git/git-receive-pack' "$T/nginx-held/access.log"
  check "held: the upstream never saw alice's name or token" bash -c '! grep -q -e " - alice \[" -e "$2" "$1"' \
    _ "$T/nginx-held/access.log" "$ALICE_TOKEN"
  held_log_has 'request id=.* user=alice method=POST path=/held/held.git/git-receive-pack'
  detail="$(grep 'request id=' "$T/held/gateway.log" | tail -n 3)"
  check "held: the request log names the signed-in user" grep -q 'request id=.* user=alice method=POST path=/held/held.git/git-receive-pack' "$T/held/gateway.log"

  # Name-based rights follow the signed-in name (policy: [bypass] who = ["alice"]).
  git -C "$hc" checkout -q -b hk main && add_key_file "$hc" "hk.py" && git -C "$hc" add hk.py && git -C "$hc" commit -qm "a key"
  out="$(git -C "$hc" push origin hk 2>&1)"; rc=$?
  detail="$out"
  printf '%s\n' "$out" >>"$T/held/reports"
  check "held: a push with a key is rejected with the report" \
    bash -c '[[ $1 -ne 0 ]] && grep -q "^remote: .*Alibaba Cloud" <<<"$2" && [[ -z $3 ]]' _ "$rc" "$out" "$(upstream_rev held hk)"
  check "held: the advertisement, read with the held credential, lets the report offer push options" \
    grep -q "^remote: .*git push -o akgate.allow=" <<<"$out"
  out="$(git -C "$hc" push -o 'akgate.bypass=fixture, alice signed in' origin hk 2>&1)"; rc=$?
  printf '%s\n' "$out" >>"$T/held/reports"
  held_log_has ' push id=.* pusher=alice'
  detail="$out"$'\n'"$(grep ' push id=' "$T/held/gateway.log" | tail -n 1)"
  check "held: alice (signed in) may bypass" test "$rc" -eq 0 -a "$(upstream_rev held hk)" = "$(git -C "$hc" rev-parse hk)"
  check "held: the push line names alice, signed in with the users file" \
    grep -q ' push id=.* pusher=alice pusher_source=users-file ' "$T/held/gateway.log"
  detail="$(tail -n 1 "$T/audit.log")"
  check "held: the bypass is audited under alice's name" bash -c 'tail -n 1 "$1" | grep -q "\"pusher\":\"alice\""' _ "$T/audit.log"
  git -C "$hc" checkout -q -b hb main && add_key_file "$hc" "hb.py" && git -C "$hc" add hb.py && git -C "$hc" commit -qm "bob's key"
  out="$(git -C "$hc" push -o 'akgate.bypass=bob tries' "http://bob:$BOB_TOKEN@127.0.0.1:$GW_HTTP/held/held.git" hb 2>&1)"; rc=$?
  printf '%s\n' "$out" >>"$T/held/reports"
  detail="$out"
  check "held: bob (signed in, not listed) may not bypass" \
    bash -c '[[ $1 -ne 0 ]] && grep -q "does not let bob bypass" <<<"$2" && [[ -z $3 ]]' _ "$rc" "$out" "$(upstream_rev held hb)"
  out="$(git -C "$hc" push -o 'akgate.bypass=bob as alice' "http://alice:$BOB_TOKEN@127.0.0.1:$GW_HTTP/held/held.git" hb 2>&1)"; rc=$?
  detail="$out"
  check "held: bob's token under alice's name does not sign in" \
    bash -c '[[ $1 -ne 0 ]] && grep -qi "authentication failed\|401" <<<"$2" && [[ -z $3 ]]' _ "$rc" "$out" "$(upstream_rev held hb)"

  # A bad or missing token: 401 before anything else, nothing spooled.
  git -C "$hc" checkout -q -b hbig main
  head -c 3000000 /dev/urandom >"$hc/big.bin" && git -C "$hc" add big.bin && git -C "$hc" commit -qm "large"
  git -C "$hc" pack-objects --stdout --revs -q <<<"$(git -C "$hc" rev-parse HEAD)"$'\n'"^$(git -C "$hc" rev-parse main)" >"$T/held/big.pack"
  python3 - "$(git -C "$hc" rev-parse main)" "$(git -C "$hc" rev-parse HEAD)" "$T/held/big.pack" >"$T/held/big-body" <<'PY'
import sys
old, new, pack = sys.argv[1:4]
line = f"{old} {new} refs/heads/hbig\0report-status\n".encode()
sys.stdout.buffer.write(b"%04x" % (len(line) + 4) + line + b"0000" + open(pack, "rb").read())
PY
  for who in none wrong unknown; do
    creds=()
    [[ $who == wrong ]] && creds=(-u "alice:akgate_not-her-token")
    [[ $who == unknown ]] && creds=(-u "mallory:$ALICE_TOKEN")
    for expect in '100-continue' ''; do
      log_lines="$(wc -l <"$T/held/gateway.log")"
      code="$(curl -s "${creds[@]}" -D "$T/held/hdrs" -o "$T/held/resp" -w '%{http_code}' -H "Expect: $expect" \
        -H 'Content-Type: application/x-git-receive-pack-request' --data-binary "@$T/held/big-body" "$HG/held.git/git-receive-pack")"
      held_log_has "request id=.* status=" "$((log_lines + 1))"
      new_log="$(tail -n +"$((log_lines + 1))" "$T/held/gateway.log")"
      detail="$code $(cat "$T/held/hdrs")"$'\n'"$new_log"
      check "held: push with token $who (Expect: ${expect:-none}): 401 with the gateway's challenge" \
        bash -c '[[ $1 == 401 ]] && grep -qi "^WWW-Authenticate: Basic realm=\"akgate\"" "$2"' _ "$code" "$T/held/hdrs"
      check "held: push with token $who (Expect: ${expect:-none}): nothing read, spooled or scanned" \
        bash -c 'grep -q "request id=.* status=401 bytes_in=0 .*note=\"not signed in" <<<"$1" && ! grep -q -e push_received -e " push id=" -e spool <<<"$1"' _ "$new_log"
    done
  done
  check "held: a failed sign-in is logged with the name and address, never the token" \
    bash -c 'grep -q "auth_failed id=.* client=127.0.0.1 route=/held/ user=alice reason=\"wrong token\"" "$1" &&
             grep -q "auth_failed id=.* user=mallory reason=\"not in the users file\"" "$1" &&
             grep -q "auth_failed id=.* user=- reason=\"no credentials\"" "$1"' _ "$T/held/gateway.log"
  check "held: nothing of the refused pushes reached the upstream" test -z "$(upstream_rev held hbig)"
  code="$(curl -s -o /dev/null -w '%{http_code}' "$HG/held.git/info/refs?service=git-upload-pack")"
  check "held: a fetch without a token gets 401 too" test "$code" = 401
  out="$(git clone -q "http://127.0.0.1:$GW_HTTP/held/held.git" "$T/held-anon" 2>&1)"; rc=$?
  detail="$out"
  check "held: git without a token cannot clone" test "$rc" -ne 0 -a ! -e "$T/held-anon/README.md"
  curl -s "http://127.0.0.1:$GW_HTTP/metrics" >"$T/held/metrics"
  detail="$(grep auth_failures "$T/held/metrics")"
  check "held: /metrics counts failed sign-ins" grep -Eq '^akgate_gateway_auth_failures_total ([7-9]|[1-9][0-9])' "$T/held/metrics"
  leftover="$(ls -A "$T/held/tmp" 2>/dev/null)"
  detail="left: $leftover"
  check "held: no temporary files left" test -z "$leftover"
  check "held: the held credential never appears in the gateway's log, output or the pushers' reports" \
    bash -c '[[ -s $1/reports ]] && ! cat "$1"/gateway.log "$1"/stdout "$1"/stderr "$1"/reports "$3" |
             grep -q -e "$2" -e "$(printf "akgate-bot:%s" "$2" | base64)"' _ "$T/held" "$HELD_PASS" "$T/audit.log"
  check "held: developers' tokens never appear in the gateway's log" \
    bash -c '! grep -q -e "$2" -e "$3" "$1"' _ "$T/held/gateway.log" "$ALICE_TOKEN" "$BOB_TOKEN"
  kill "$GW_PID" 2>/dev/null
else
  fail "gateway-held gateway starts" "$(cat "$T/held/stderr" "$T/held/gateway.log" 2>/dev/null)"
fi
GW_PID="$main_pid" GW_HTTP="$main_http" GW_HTTPS="$main_https"

# --- direct pushes: the upstream that knows only the bot refuses them ------------------
git -C "$hc" checkout -q main
echo "direct = 1" >"$hc/direct.py" && git -C "$hc" add direct.py && git -C "$hc" commit -qm "around the gateway"
out="$(git -C "$hc" push "http://alice:s3cret-pass@127.0.0.1:$UP_HELD/git/held.git" HEAD:refs/heads/direct 2>&1)"; rc=$?
detail="$out"
check "held: a direct push to the upstream with a developer's own credentials is refused" \
  bash -c '[[ $1 -ne 0 ]] && [[ -z $2 ]]' _ "$rc" "$(upstream_rev held direct)"
out="$(git -C "$hc" push "http://127.0.0.1:$UP_HELD/git/held.git" HEAD:refs/heads/direct 2>&1)"; rc=$?
detail="$out"
check "held: a direct push without credentials is refused" bash -c '[[ $1 -ne 0 ]] && [[ -z $2 ]]' _ "$rc" "$(upstream_rev held direct)"
