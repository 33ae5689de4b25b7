# shellcheck shell=bash
# The checks of tests/gateway/run.sh (sourced by it, after the upstream and
# the gateway are up). Each check prints one PASS or FAIL line.

# --- fetch and clone --------------------------------------------------------------
seed_upstream_repo app
for v in 0 2; do
  out="$(git -c protocol.version=$v clone -q "$H/app.git" "$T/clone-v$v" 2>&1)"
  detail="$out"
  check "clone over HTTP, protocol v$v" test -f "$T/clone-v$v/README.md"
done
if grep -q 'Git-Protocol\|version=2' "$T/nginx/access.log" 2>/dev/null || true; then :; fi
# A new upstream commit, then fetch through the gateway.
w="$T/seed-app"
echo "more" >>"$w/README.md" && git -C "$w" commit -qam "upstream change" && git -C "$w" push -q "$T/repos/app.git" main
for v in 0 2; do
  out="$(git -C "$T/clone-v$v" -c protocol.version=$v fetch -q origin 2>&1)"
  detail="$out"
  check "fetch over HTTP, protocol v$v" test "$(git -C "$T/clone-v$v" rev-parse origin/main)" = "$(upstream_rev app main)"
done
out="$(git -c protocol.version=2 clone -q "$S/app.git" "$T/clone-tls" 2>&1)"
detail="$out"
check "clone over HTTPS (gateway and upstream TLS, test CA)" test -f "$T/clone-tls/README.md"
out="$(GIT_TRACE_PACKET=1 git -c protocol.version=2 ls-remote "$H/app.git" 2>&1)"
detail="$out"
check "protocol v2 reaches the upstream (Git-Protocol passed through)" grep -q "git< version 2" <<<"$out"

# --- push: clean, dirty --------------------------------------------------------------
c="$T/clone-v0"
git -C "$c" merge -q --ff-only origin/main
echo "print('hello')" >"$c/hello.py"
git -C "$c" add hello.py && git -C "$c" commit -qm "add hello"
out="$(git -C "$c" push origin main 2>&1)"; rc=$?
detail="$out"
check "clean push accepted" test "$rc" -eq 0
check "clean push visible upstream" test "$(upstream_rev app main)" = "$(git -C "$c" rev-parse HEAD)"

before="$(upstream_rev app main)"
add_key_file "$c" "deploy.py"
git -C "$c" add deploy.py && git -C "$c" commit -qm "add deploy script"
out="$(git -C "$c" push origin main 2>&1)"; rc=$?
detail="$out"
check "push with an AccessKey pair rejected" test "$rc" -ne 0
check "git push shows the rejection per ref" grep -q "\[remote rejected\] main -> main" <<<"$out"
check "git push shows the report on remote: lines" grep -q "^remote: .*Alibaba Cloud" <<<"$out"
check "the report names the file and line" grep -q "deploy.py:3" <<<"$out"
check "the report never shows the secret" bash -c "! grep -q '$AK_SECRET' <<<\"\$1\"" _ "$out"
check "the dirty commit is absent upstream" test "$(upstream_rev app main)" = "$before"
check "the dirty object never reached the upstream" bash -c "! git --git-dir='$T/repos/app.git' cat-file -e $(git -C "$c" rev-parse HEAD) 2>/dev/null"
git -C "$c" reset -q --hard HEAD~1

# --- push-option advice follows the upstream's advertisement (issue 11) -------------
# git refuses `git push -o` when the server does not advertise push-options, so
# the report offers it only when the upstream does, and always offers a way
# that needs no option (the allowlist lines for an administrator).
seed_upstream_repo noopts
git -C "$T/repos/noopts.git" config receive.advertisePushOptions false
no="$T/noopts"
git clone -q "$H/noopts.git" "$no" 2>/dev/null
add_key_file "$no" "key.py" && git -C "$no" add key.py && git -C "$no" commit -qm "a key"
out="$(git -C "$no" push origin main 2>&1)"; rc=$?
detail="$out"
check "upstream without push-options: push rejected" test "$rc" -ne 0
check "upstream without push-options: the report advises no git push -o" bash -c '! grep -q "git push -o akgate" <<<"$1"' _ "$out"
check "upstream without push-options: the report offers the allowlist lines (no option needed)" \
  bash -c 'grep -q "^remote: .*ask the akgate administrators" <<<"$1" && grep -q "^remote: .*\[allowlist\] fingerprints" <<<"$1"' _ "$out"
git -C "$T/repos/noopts.git" config receive.advertisePushOptions true
out="$(git -C "$no" push origin main 2>&1)"; rc=$?
detail="$out"
check "upstream with push-options: the report offers git push -o akgate.allow" \
  bash -c '[[ $2 -ne 0 ]] && grep -q "^remote: .*git push -o akgate.allow=" <<<"$1"' _ "$out" "$rc"
check "upstream with push-options: and still the way without an option" grep -q "^remote: .*ask the akgate administrators" <<<"$out"

# --- push: empty repository, large (chunked, probe), over the limit ---------------
new_upstream_repo fresh
f="$T/fresh"
git init -q "$f" && echo "first" >"$f/README.md" && git -C "$f" add . && git -C "$f" commit -qm "first commit"
git -C "$f" remote add origin "$H/fresh.git"
out="$(git -C "$f" push origin main 2>&1)"; rc=$?
detail="$out"
check "first push to an empty repository" test "$rc" -eq 0 -a "$(upstream_rev fresh main)" = "$(git -C "$f" rev-parse HEAD)"

head -c 3000000 /dev/urandom | base64 >"$c/big.txt"   # ~4 MB, hardly compressible
git -C "$c" add big.txt && git -C "$c" commit -qm "large file"
probes_before="$(grep -c 'path=/h/app.git/git-receive-pack .*bytes_in=4 ' "$T/gw/gateway.log")"
out="$(git -C "$c" -c http.postBuffer=65536 push origin main 2>&1)"; rc=$?
detail="$out"
check "push over 1 MB (chunked) accepted" test "$rc" -eq 0 -a "$(upstream_rev app main)" = "$(git -C "$c" rev-parse HEAD)"
probes_after="$(grep -c 'path=/h/app.git/git-receive-pack .*bytes_in=4 ' "$T/gw/gateway.log")"
detail="$(grep git-receive-pack "$T/gw/gateway.log" | tail -n 3)"
check "the probe request (0000) was forwarded before the chunked push" test "$probes_after" -gt "$probes_before"

before="$(upstream_rev app main)"
head -c 9000000 /dev/urandom >"$c/huge.bin"
git -C "$c" add huge.bin && git -C "$c" commit -qm "huge file"
out="$(git -C "$c" -c http.postBuffer=65536 push origin main 2>&1)"; rc=$?
detail="$out"
check "push over limits.max_push_bytes refused" test "$rc" -ne 0 -a "$(upstream_rev app main)" = "$before"
check "the refusal says why" grep -q "larger than this gateway accepts" <<<"$out"
git -C "$c" reset -q --hard HEAD~1

# --- delete-only, several refs, atomic ---------------------------------------------
git -C "$c" push -q origin main:refs/heads/tmp 2>/dev/null
out="$(git -C "$c" push origin --delete tmp 2>&1)"; rc=$?
detail="$out"
check "delete-only push accepted" test "$rc" -eq 0 -a -z "$(upstream_rev app refs/heads/tmp)"

git -C "$c" branch -q b1 && git -C "$c" branch -q b2 && git -C "$c" tag -a v1.0 -m "release 1.0"
out="$(git -C "$c" push origin b1 b2 v1.0 2>&1)"; rc=$?
detail="$out"
check "several refs in one push accepted" test "$rc" -eq 0 -a -n "$(upstream_rev app b1)" -a -n "$(upstream_rev app b2)" -a -n "$(upstream_rev app v1.0)"

git -C "$c" checkout -q -b b3 main && echo "x = 1" >"$c/x.py" && git -C "$c" add x.py && git -C "$c" commit -qm "clean b3"
git -C "$c" checkout -q -b b4 main && add_key_file "$c" "k.py" && git -C "$c" add k.py && git -C "$c" commit -qm "dirty b4"
out="$(git -C "$c" push origin b3 b4 2>&1)"; rc=$?
detail="$out"
check "several refs with one dirty: every ref rejected" test "$rc" -ne 0 -a -z "$(upstream_rev app b3)" -a -z "$(upstream_rev app b4)"
check "each ref is named in the rejection" bash -c 'grep -q "\[remote rejected\] b3 -> b3" <<<"$1" && grep -q "\[remote rejected\] b4 -> b4" <<<"$1"' _ "$out"
check "several refs: rejected for the secret (the report is shown)" grep -q "^remote: .*Alibaba Cloud" <<<"$out"

git -C "$c" checkout -q main
git -C "$c" branch -q a1 && git -C "$c" branch -q a2
out="$(git -C "$c" push --atomic origin a1 a2 2>&1)"; rc=$?
detail="$out"
check "atomic push accepted" test "$rc" -eq 0 -a -n "$(upstream_rev app a1)" -a -n "$(upstream_rev app a2)"
out="$(git -C "$c" push --atomic origin b3 b4 2>&1)"; rc=$?
detail="$out"
check "atomic push with a secret: nothing updated" test "$rc" -ne 0 -a -z "$(upstream_rev app b3)" -a -z "$(upstream_rev app b4)"
check "atomic push: rejected for the secret (the report is shown)" grep -q "^remote: .*Alibaba Cloud" <<<"$out"

# --- push options: the report's language, as the hook does it --------------------
out="$(git -C "$c" push -o akgate.lang=zh-CN origin b4 2>&1)"; rc=$?
detail="$out"
check "-o akgate.lang=zh-CN: rejected, nothing updated" test "$rc" -ne 0 -a -z "$(upstream_rev app b4)"
check "-o akgate.lang=zh-CN: the report is in Chinese" \
  grep -q "^remote: akgate: 推送被拒绝：在您推送的提交中发现 [0-9]* 个密钥。 *$" <<<"$out"
check "-o akgate.lang=zh-CN: the audit stays English" bash -c '! grep -q "推送" "$1"' _ "$T/audit.log"

# --- push options: bypass, as the hook does it ------------------------------------
# Bypass rights go by name, and the gateway believes a name only from an
# identity source (env.sh: the X-Akgate-User header from 127.0.0.1, playing an
# authenticating proxy); the Basic user name proves nothing.
git -C "$c" config http.extraHeader "X-Akgate-User: alice"
out="$(git -C "$c" push -o 'akgate.bypass=test fixture, not a real key' origin b4 2>&1)"; rc=$?
detail="$out"
check "bypass allowed by the policy: push accepted" test "$rc" -eq 0 -a "$(upstream_rev app b4)" = "$(git -C "$c" rev-parse b4)"
check "the bypass is reported to the pusher" grep -qi "^remote: .*bypass" <<<"$out"
detail="$(tail -n 3 "$T/audit.log" 2>&1)"
check "the bypass is audited with its reason" grep -q "test fixture, not a real key" "$T/audit.log"
b="$T/bob"
git clone -q "http://bob:bobs-pass@127.0.0.1:$GW_HTTP/h/app.git" "$b" 2>/dev/null
git -C "$b" config http.extraHeader "X-Akgate-User: bob"
git -C "$b" checkout -q -b bob1 && add_key_file "$b" "bob.py" && git -C "$b" add bob.py && git -C "$b" commit -qm "bob's key"
out="$(git -C "$b" push -o 'akgate.bypass=please' origin bob1 2>&1)"; rc=$?
detail="$out"
check "bypass by a pusher the policy does not list: rejected" test "$rc" -ne 0 -a -z "$(upstream_rev app bob1)"
# A route with a policy of its own ([[route]] policy): there bob may bypass, alice may not.
out="$(git -C "$b" push -o 'akgate.bypass=fixture for the route policy' \
  "http://bob:bobs-pass@127.0.0.1:$GW_HTTP/p/app.git" bob1 2>&1)"; rc=$?
detail="$out"
check "route policy: bob may bypass through /p/" test "$rc" -eq 0 -a "$(upstream_rev app bob1)" = "$(git -C "$b" rev-parse bob1)"
git -C "$c" checkout -q -b via-p main && add_key_file "$c" "via_p.py" && git -C "$c" add via_p.py &&
  git -C "$c" commit -qm "a key pushed through /p/"
out="$(git -C "$c" push -o 'akgate.bypass=test fixture' "http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/p/app.git" via-p 2>&1)"; rc=$?
detail="$out"
check "route policy: alice may not bypass through /p/" test "$rc" -ne 0 -a -z "$(upstream_rev app via-p)"
check "route policy: alice is told why" grep -q "^remote: .*does not let alice bypass" <<<"$out"
git -C "$c" checkout -q main

# --- monitor mode ([gate] mode = "monitor" in the /m/ route's policy) --------------
git -C "$c" checkout -q -b via-m main && add_key_file "$c" "via_m.py" && git -C "$c" add via_m.py &&
  git -C "$c" commit -qm "a key pushed in monitor mode"
out="$(git -C "$c" push "http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/m/app.git" via-m 2>&1)"; rc=$?
detail="$out"
check "monitor mode: a push with a key is let through to the upstream" test "$rc" -eq 0 -a "$(upstream_rev app via-m)" = "$(git -C "$c" rev-parse via-m)"
check "monitor mode: the pusher is told it would have been rejected" grep -q "^remote: akgate: push ACCEPTED IN MONITOR MODE; it would have been REJECTED" <<<"$out"
detail="$(tail -n 1 "$T/audit.log" 2>&1)"
check "monitor mode: audited as decision monitor, cause findings" python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert a["decision"] == "monitor" and a["cause"] == "findings" and a["blocking"] >= 1, a
assert any(f["path"] == "via_m.py" and f["disposition"] == "block" for f in a["findings"]), a' "$T/audit.log"
git -C "$c" checkout -q main

# --- a secret already upstream: fetched and compared, as the hook does --------------
# The pushed pack does not carry the earlier version of a file it modifies; the
# gateway fetches it from the upstream (protocol v2, filter blob:none, the
# pusher's credentials) so a secret that was already there does not block.
for r in prev prevnf; do
  seed_upstream_repo "$r"
  add_key_file "$T/seed-$r" "settings.py"
  git -C "$T/seed-$r" add settings.py && git -C "$T/seed-$r" commit -qm "settings (before akgate)"
  git -C "$T/seed-$r" push -q "$T/repos/$r.git" main
done
git -C "$T/repos/prev.git" config uploadpack.allowFilter true   # prevnf: git's default, no filters
pv="$T/prev"
git clone -q "$H/prev.git" "$pv" 2>/dev/null
printf 'TIMEOUT = 30\n' >>"$pv/settings.py"
git -C "$pv" commit -qam "settings: a timeout"
log_lines="$(wc -l <"$T/gw/gateway.log")"
out="$(git -C "$pv" push -o akgate.verbose origin main 2>&1)"; rc=$?
fetches="$(tail -n +"$((log_lines + 1))" "$T/gw/gateway.log" | grep fetch_previous)"
detail="$out"$'\n'"$fetches"
check "pre-existing secret in an edited file: accepted through the gateway" \
  test "$rc" -eq 0 -a "$(upstream_rev prev main)" = "$(git -C "$pv" rev-parse HEAD)"
check "pre-existing secret: listed as already present (-o akgate.verbose)" grep -q "Already present before this push" <<<"$out"
check "pre-existing secret: the parent's trees, then the earlier blob, came from the upstream" \
  bash -c 'grep -q "commits=1 trees=0 blobs=0 .*result=\"ok\"" <<<"$1" && grep -q "commits=0 trees=0 blobs=1 .*result=\"ok\"" <<<"$1"' _ "$fetches"
check "pre-existing secret: the fetch never logs credentials" bash -c "! grep -q 's3cret-pass' '$T/gw/gateway.log'"

git clone -q "$S/prev.git" "$T/prev-tls" 2>/dev/null
# A new pair (another key) appended to the file that already holds one.
AK_ID_OLD="$AK_ID"; AK_SECRET_OLD="$AK_SECRET"
AK_ID="LTAI5t$(random_alnum 18)"; AK_SECRET="$(random_alnum 30)"
add_key_file "$T/prev-tls" "other.py"
AK_ID="$AK_ID_OLD"; AK_SECRET="$AK_SECRET_OLD"
cat "$T/prev-tls/other.py" >>"$T/prev-tls/settings.py" && rm -f "$T/prev-tls/other.py"
before="$(upstream_rev prev main)"
git -C "$T/prev-tls" commit -qam "settings: a second key"
out="$(git -C "$T/prev-tls" push origin main 2>&1)"; rc=$?
detail="$out"
check "a new pair next to a pre-existing one still blocks (HTTPS upstream)" \
  test "$rc" -ne 0 -a "$(upstream_rev prev main)" = "$before"
check "only the new pair is counted" grep -q "^remote: akgate: push REJECTED: 1 secret found" <<<"$out"

pnf="$T/prevnf"
git clone -q "$H/prevnf.git" "$pnf" 2>/dev/null
printf 'TIMEOUT = 30\n' >>"$pnf/settings.py"
git -C "$pnf" commit -qam "settings: a timeout"
before="$(upstream_rev prevnf main)"
out="$(git -C "$pnf" push origin main 2>&1)"; rc=$?
detail="$out"
check "upstream without filters: the earlier version is unknown and the push blocks (fail closed)" \
  test "$rc" -ne 0 -a "$(upstream_rev prevnf main)" = "$before"
check "upstream without filters: the report says the earlier version could not be read" \
  grep -q "could not be read from the" <<<"$out"
detail="$(tail -n 1 "$T/audit.log")"
check "upstream without filters: the audit line says why" \
  grep -q '"previous_unavailable":"the upstream does not allow filtered fetches' "$T/audit.log"

# --- HTTPS push -----------------------------------------------------------------------
s="$T/clone-tls"
echo "tls = True" >"$s/tls.py" && git -C "$s" add tls.py && git -C "$s" commit -qm "over tls"
git -C "$s" pull -q --rebase origin main 2>/dev/null
out="$(git -C "$s" push origin HEAD:refs/heads/tls 2>&1)"; rc=$?
detail="$out"
check "clean push over HTTPS accepted" test "$rc" -eq 0 -a "$(upstream_rev app tls)" = "$(git -C "$s" rev-parse HEAD)"
add_key_file "$s" "tlskey.py" && git -C "$s" add tlskey.py && git -C "$s" commit -qm "key over tls"
out="$(git -C "$s" push origin HEAD:refs/heads/tls 2>&1)"; rc=$?
detail="$out"
check "push with a key over HTTPS rejected with the report" bash -c '[[ $1 -ne 0 ]] && grep -q "^remote: .*Alibaba Cloud" <<<"$2"' _ "$rc" "$out"

# --- 20 concurrent pushes from separate clients ---------------------------------------
seed_upstream_repo busy
for i in $(seq 1 20); do
  git clone -q "$H/busy.git" "$T/busy-$i" 2>/dev/null
  git -C "$T/busy-$i" checkout -q -b "c$i"
  echo "client $i" >"$T/busy-$i/client.txt"
  git -C "$T/busy-$i" add client.txt && git -C "$T/busy-$i" commit -qm "client $i"
done
for i in $(seq 1 20); do
  (git -C "$T/busy-$i" push -q origin "c$i" >"$T/busy-$i.log" 2>&1; echo $? >"$T/busy-$i.rc") &
done
wait_pids=0
for _ in $(seq 1 600); do
  n=0; for i in $(seq 1 20); do [[ -f "$T/busy-$i.rc" ]] && n=$((n + 1)); done
  [[ $n -eq 20 ]] && break
  sleep 0.1
done
ok=0
for i in $(seq 1 20); do
  [[ "$(cat "$T/busy-$i.rc" 2>/dev/null)" == 0 && "$(upstream_rev busy "c$i")" == "$(git -C "$T/busy-$i" rev-parse HEAD)" ]] && ok=$((ok + 1))
done
detail="$(cat "$T"/busy-*.log | head -n 20)"
check "20 concurrent pushes all accepted ($ok/20)" test "$ok" -eq 20

# --- malformed and hostile requests -------------------------------------------------
G="http://127.0.0.1:$GW_HTTP"
post() {  # BODY-FILE: POST it as a receive-pack request; sets code and body
  code="$(curl -s -o "$T/resp" -w '%{http_code}' -u alice:s3cret-pass \
    -H 'Content-Type: application/x-git-receive-pack-request' --data-binary "@$1" "$G/h/app.git/git-receive-pack")"
  body="$(cat "$T/resp" 2>/dev/null | tr -d '\0')"
}
printf 'zzzz%s' "not a pkt-line" >"$T/bad1"
post "$T/bad1"
detail="$code $body"
check "bad pkt-line length: 400 with a clear message" bash -c '[[ $1 == 400 ]] && grep -q "bad pkt-line length" <<<"$2"' _ "$code" "$body"
head="$(git -C "$c" rev-parse main)"
python3 - "$head" >"$T/bad2" <<'PY'
import sys
old = sys.argv[1]; new = "1" * 40
line = f"{old} {new} refs/heads/garbage\0report-status side-band-64k\n".encode()
sys.stdout.buffer.write(b"%04x" % (len(line) + 4) + line + b"0000" + b"PACK\0\0\0\2\0\0\0\5" + b"garbage" * 40)
PY
post "$T/bad2"
detail="$code $body"
check "garbage pack: report-status with the unpack error (HTTP 200)" bash -c '[[ $1 == 200 ]] && grep -q "unpack .*pack" <<<"$2"' _ "$code" "$body"
check "garbage pack never reached the upstream" test -z "$(upstream_rev app refs/heads/garbage)"
code="$(curl -s -o "$T/resp" -w '%{http_code}' -H "X-Filler: $(head -c 12000 /dev/zero | tr '\0' a)" "$G/h/app.git/info/refs?service=git-upload-pack")"
detail="$code $(cat "$T/resp")"
check "oversize request header: 431" test "$code" = 431
printf 'GARBAGE / HTTP/9.9\r\n\r\n' | python3 -c "
import socket,sys
s=socket.create_connection(('127.0.0.1',$GW_HTTP)); s.sendall(sys.stdin.buffer.read()); s.settimeout(5)
print(s.recv(4096).decode(errors='replace').split('\r\n')[0])" >"$T/resp" 2>&1
detail="$(cat "$T/resp")"
check "malformed HTTP: 400" grep -q " 400 " "$T/resp"
code="$(curl -s -o "$T/resp" -w '%{http_code}' "$G/h/../../etc/passwd" --path-as-is)"
check "dot segments refused: 400" test "$code" = 400
code="$(curl -s -o "$T/resp" -w '%{http_code}' "$G/nowhere/repo.git/info/refs?service=git-upload-pack")"
detail="$(cat "$T/resp")"
check "outside every route: 404" test "$code" = 404
code="$(curl -s -D "$T/hdrs" -o "$T/resp" -w '%{http_code}' "$G/h/app.git/info/refs?service=git-receive-pack")"
detail="$(cat "$T/hdrs")"
check "401 challenge from the upstream passes through" bash -c '[[ $1 == 401 ]] && grep -qi "^WWW-Authenticate: Basic" "$2"' _ "$code" "$T/hdrs"
printf '0000' >"$T/probe"
code="$(curl -s -o "$T/resp" -w '%{http_code}' -u alice:s3cret-pass -H 'Expect: 100-continue' \
  -H 'Content-Type: application/x-git-receive-pack-request' --data-binary "@$T/probe" "$G/h/app.git/git-receive-pack")"
check "probe POST with Expect: 100-continue answered by the upstream" test "$code" = 200
code="$(curl -s -o "$T/resp" -w '%{http_code}' "$G/healthz")"
check "the gateway is still up (/healthz)" test "$code" = 200

# --- a client that disconnects mid-body: nothing left behind -----------------------
python3 - "$GW_HTTP" "$head" <<'PY'
import socket, sys, time, base64
port, old = int(sys.argv[1]), sys.argv[2]
line = f"{old} {'2' * 40} refs/heads/abort\0report-status\n".encode()
body = b"%04x" % (len(line) + 4) + line + b"0000" + b"PACK\0\0\0\2\0\0\0\3" + b"x" * 200000
auth = base64.b64encode(b"alice:s3cret-pass").decode()
s = socket.create_connection(("127.0.0.1", port))
s.sendall((f"POST /h/app.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n"
           "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: 5000000\r\n\r\n").encode())
s.sendall(body)
time.sleep(0.5)
s.close()
PY
sleep 1
leftover="$(ls -A "$T/gw/tmp" 2>/dev/null)"
detail="left: $leftover"
check "client gone mid-body: no temporary files left" test -z "$leftover"

# --- timeouts: a client that stalls, one that trickles ---------------------------
# limits.idle_timeout_s (5 s here) closes a connection on which nothing moves:
# in the middle of a request header (slow loris) and in the middle of a push's
# body. Both clients run at once; each reports how long the gateway took to
# close the connection.
cat >"$T/stall.py" <<'PY'
import base64, socket, sys, threading, time
port, mode, old = int(sys.argv[1]), sys.argv[2], sys.argv[3]
auth = base64.b64encode(b"alice:s3cret-pass").decode()
head = (f"POST /h/app.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n"
        "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: 5000000\r\n\r\n").encode()
line = f"{old} {'3' * 40} refs/heads/stall\0report-status\n".encode()
body = b"%04x" % (len(line) + 4) + line + b"0000" + b"PACK\0\0\0\2\0\0\0\3" + b"y" * 1000
results = {}
def client(name, first, trickle):
    s = socket.create_connection(("127.0.0.1", port))
    start = time.time()
    s.sendall(first)
    s.settimeout(0.5)
    while time.time() - start < 60:
        try:
            if s.recv(65536) == b"":
                break
        except socket.timeout:
            if trickle:
                try:
                    s.sendall(b"z")
                except OSError:
                    break
        except OSError:
            break
    results[name] = time.time() - start
    s.close()
if mode == "stall":
    ts = [threading.Thread(target=client, args=("header", head[:40], False)),
          threading.Thread(target=client, args=("body", head + body, False))]
else:
    ts = [threading.Thread(target=client, args=("trickle", head + body, True))]
for t in ts: t.start()
for t in ts: t.join()
for k, v in sorted(results.items()): print(k, "%.1f" % v)
PY
python3 "$T/stall.py" "$GW_HTTP" stall "$head" >"$T/stall.out" 2>&1
detail="$(cat "$T/stall.out")"
closed_in() {  # NAME MIN MAX: the client NAME was closed between MIN and MAX seconds
  awk -v n="$1" -v lo="$2" -v hi="$3" '$1 == n { found = 1; ok = ($2 >= lo && $2 <= hi) } END { exit !(found && ok) }' "$T/stall.out"
}
check "idle timeout: a half-sent request header is closed after limits.idle_timeout_s" closed_in header 4 20
check "idle timeout: a push whose body stalls is closed after limits.idle_timeout_s" closed_in body 4 20
sleep 0.5
leftover="$(ls -A "$T/gw/tmp" 2>/dev/null)"
detail="left: $leftover"
check "idle timeout: the stalled push left no temporary files" test -z "$leftover"

# limits.request_timeout_s bounds a whole request, however steadily it
# trickles: a third gateway with 3 s for a request and 60 s of idle time.
mkdir -p "$T/gw3/tmp"
GW_REQUEST_TIMEOUT_S=3 GW_IDLE_TIMEOUT_S=60 write_gateway_config "$T/gw3"
gw_main_pid="$GW_PID" gw_main_http="$GW_HTTP"
if start_gateway "$T/gw3"; then
  python3 "$T/stall.py" "$GW_HTTP" trickle "$head" >"$T/stall.out" 2>&1
  detail="$(cat "$T/stall.out")"
  check "request timeout: a push trickling one byte every 0.5 s is closed after limits.request_timeout_s" \
    closed_in trickle 2 20
  detail="$(tail -n 3 "$T/gw3/gateway.log")"
  check "request timeout: the gateway's log says why" grep -q 'client stopped sending' "$T/gw3/gateway.log"
  sleep 0.5
  leftover="$(ls -A "$T/gw3/tmp" 2>/dev/null)"
  detail="left: $leftover"
  check "request timeout: no temporary files left" test -z "$leftover"
  kill "$GW_PID" 2>/dev/null
else
  fail "third gateway starts" "$(cat "$T/gw3/stderr")"
fi
GW_PID="$gw_main_pid" GW_HTTP="$gw_main_http"

# --- upstream down ------------------------------------------------------------------------
code="$(curl -s -o "$T/resp" -w '%{http_code}' -u alice:x "$G/down/app.git/info/refs?service=git-upload-pack")"
detail="$code $(cat "$T/resp")"
check "upstream down: 502 with a clear message" bash -c '[[ $1 == 502 ]] && grep -q "cannot connect" "$2"' _ "$code" "$T/resp"
out="$(git clone -q "http://alice:x@127.0.0.1:$GW_HTTP/down/app.git" "$T/down-clone" 2>&1)"
detail="$out"
check "git shows the 502 for an upstream that is down" grep -q "502" <<<"$out"

# --- metrics ----------------------------------------------------------------------------
curl -s "$G/metrics" >"$T/metrics"
detail="$(cat "$T/metrics")"
check "/metrics counts blocked pushes" grep -Eq '^akgate_gateway_pushes_blocked_total [1-9]' "$T/metrics"
check "/metrics counts pushes let through in monitor mode" grep -Eq '^akgate_gateway_pushes_monitored_total 1$' "$T/metrics"
check "/metrics counts upstream errors" grep -Eq '^akgate_gateway_upstream_errors_total [1-9]' "$T/metrics"
check "/metrics counts scanned pushes and scan time" bash -c 'grep -Eq "^akgate_gateway_pushes_scanned_total [1-9]" "$1" && grep -q "^akgate_gateway_scan_seconds_total" "$1"' _ "$T/metrics"
detail="$(grep -i -E 'authorization|s3cret' "$T/gw/gateway.log" | head -n 3)"
check "credentials never appear in the gateway's log" bash -c '! grep -q -E "s3cret|bobs-pass|Basic " "$1"' _ "$T/gw/gateway.log"

# --- two gateway instances behind nginx ------------------------------------------------
write_gateway_config "$T/gw2"
gw1_pid="$GW_PID"; gw1_http="$GW_HTTP"
if start_gateway "$T/gw2"; then
  gw2_pid="$GW_PID"; gw2_http="$GW_HTTP"
  LB="$(free_port)"
  mkdir -p "$T/lb"
  cat >"$T/lb/nginx.conf" <<NGX
$nginx_user_line
worker_processes 1;
pid $T/lb/nginx.pid;
error_log $T/lb/error.log warn;
events { worker_connections 256; }
http {
  access_log $T/lb/access.log;
  client_body_temp_path $T/lb/body;
  proxy_temp_path $T/lb/proxy;
  fastcgi_temp_path $T/lb/fastcgi;
  uwsgi_temp_path $T/lb/uwsgi;
  scgi_temp_path $T/lb/scgi;
  upstream akgate_gateways {
    server 127.0.0.1:$gw1_http;
    server 127.0.0.1:$gw2_http;
  }
  server {
    listen 127.0.0.1:$LB;
    client_max_body_size 0;
    location / {
      proxy_pass http://akgate_gateways;
      proxy_http_version 1.1;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_read_timeout 300s;
    }
  }
}
NGX
  start_nginx "$T/lb"
  wait_for_port "$LB"
  L="http://alice:s3cret-pass@127.0.0.1:$LB/h"
  out="$(git clone -q "$L/app.git" "$T/lb-clone" 2>&1)"
  detail="$out"
  check "clone through nginx in front of two gateways" test -f "$T/lb-clone/README.md"
  lc="$T/lb-clone"
  echo "lb = 1" >"$lc/lb.py" && git -C "$lc" add lb.py && git -C "$lc" commit -qm "via lb"
  out="$(git -C "$lc" push origin HEAD:refs/heads/lb 2>&1)"; rc=$?
  detail="$out"
  check "clean push through the load balancer accepted" test "$rc" -eq 0 -a "$(upstream_rev app lb)" = "$(git -C "$lc" rev-parse HEAD)"
  add_key_file "$lc" "lbkey.py" && git -C "$lc" add lbkey.py && git -C "$lc" commit -qm "key via lb"
  out="$(git -C "$lc" push origin HEAD:refs/heads/lb 2>&1)"; rc=$?
  detail="$out"
  check "push with a key through the load balancer rejected with the report" bash -c '[[ $1 -ne 0 ]] && grep -q "^remote: .*Alibaba Cloud" <<<"$2"' _ "$rc" "$out"
  n1="$(grep -c 'request id=' "$T/gw/gateway.log")"; n2="$(grep -c 'request id=' "$T/gw2/gateway.log")"
  detail="gateway 1: $n1 requests, gateway 2: $n2"
  check "both instances served requests" test "$n2" -gt 0
  git -C "$lc" reset -q --hard HEAD~1

  # --- SIGTERM: an in-flight push finishes, then the process exits ------------------
  python3 - "$gw2_http" "$(git -C "$c" rev-parse main)" "$gw2_pid" >"$T/term.out" 2>&1 <<'PY'
import socket, sys, time, base64, os, signal
port, old, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
line = f"{old} {'0' * 40} refs/heads/does-not-exist\0report-status\n".encode()
body = b"%04x" % (len(line) + 4) + line + b"0000"
auth = base64.b64encode(b"alice:s3cret-pass").decode()
s = socket.create_connection(("127.0.0.1", port))
s.sendall((f"POST /h/app.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n"
           f"Content-Type: application/x-git-receive-pack-request\r\nContent-Length: {len(body)}\r\n\r\n").encode())
s.sendall(body[:20])
time.sleep(0.5)
os.kill(pid, signal.SIGTERM)
time.sleep(0.5)
s.sendall(body[20:])
s.settimeout(20)
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
print(data.split(b"\r\n")[0].decode())
PY
  exited=no
  for _ in $(seq 1 100); do kill -0 "$gw2_pid" 2>/dev/null || { exited=yes; break; }; sleep 0.1; done
  detail="$(cat "$T/term.out"; tail -n 5 "$T/gw2/gateway.log")"
  check "SIGTERM: the in-flight push still gets the upstream's answer" grep -q "HTTP/1.1 200" "$T/term.out"
  check "SIGTERM: the gateway exits once it is done" test "$exited" = yes
else
  fail "second gateway starts" "$(cat "$T/gw2/stderr")"
fi
# The checks that follow (hardening_cases.sh) talk to the first gateway again.
GW_PID="$gw1_pid" GW_HTTP="$gw1_http"

leftover="$(ls -A "$T/gw/tmp" "$T/gw2/tmp" 2>/dev/null | grep -v '^/\|^$' || true)"
detail="left: $leftover"
check "no temporary files left after all the pushes" test -z "$leftover"
