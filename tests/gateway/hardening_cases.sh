# shellcheck shell=bash
# Ways past or around the gateway (issue 10), replayed as raw requests against
# the gateway in front of the real upstream (sourced by tests/gateway/run.sh
# after env.sh; needs nothing from cases.sh).

# raw_request PORT FILE: sends FILE (a whole HTTP request) on one connection and
# prints the status line, the WWW-Authenticate header (or an empty line), the
# body, then "closed_after=<seconds>" (how long
# the gateway took to close the connection once the request was sent; at most 30).
cat >"$T/raw_request.py" <<'PY'
import socket, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
data = open(path, "rb").read()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(data)
start = time.time()
s.settimeout(30)
got = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
except socket.timeout:
    pass
except OSError:
    pass
closed = time.time() - start
head, _, body = got.partition(b"\r\n\r\n")
lines = head.split(b"\r\n")
print(lines[0].decode(errors="replace"))
print(" ".join(l.decode(errors="replace") for l in lines[1:] if l.lower().startswith(b"www-authenticate:")))
print(body.replace(b"\0", b"").decode(errors="replace"))
print("closed_after=%.2f" % closed)
PY
AUTH_ALICE="Authorization: Basic $(printf 'alice:s3cret-pass' | base64)"

# push_body REPO_DIR OLD NEW REF OUT: a receive-pack request body (report-status,
# side-band-64k) updating REF from OLD to NEW, with the pack of NEW --not OLD.
push_body() {
  local repo="$1" old="$2" new="$3" ref="$4" out="$5"
  local revs="$new"
  [[ "$old" =~ ^0+$ ]] || revs="$new"$'\n'"^$old"
  git -C "$repo" pack-objects --stdout --revs -q <<<"$revs" >"$out.pack"
  python3 - "$old" "$new" "$ref" "$out.pack" >"$out" <<'PY'
import sys
old, new, ref, pack = sys.argv[1:5]
line = f"{old} {new} {ref}\0report-status side-band-64k\n".encode()
sys.stdout.buffer.write(b"%04x" % (len(line) + 4) + line + b"0000" + open(pack, "rb").read())
PY
}

# post_raw PATH BODY-FILE [EXTRA-HEADER]: POSTs BODY-FILE to the gateway at the
# raw, unnormalised PATH (as alice, or with the header $AUTH); sets status,
# challenge, resp (body) and closed_after.
post_raw() {
  {
    printf 'POST %s HTTP/1.1\r\nHost: gw\r\n%s\r\nContent-Type: application/x-git-receive-pack-request\r\n' "$1" "${AUTH:-$AUTH_ALICE}"
    [[ -z "${3:-}" ]] || printf '%s\r\n' "$3"
    printf 'Content-Length: %s\r\nConnection: close\r\n\r\n' "$(stat -c %s "$2")"
    cat "$2"
  } >"$T/raw.req"
  python3 "$T/raw_request.py" "$GW_HTTP" "$T/raw.req" >"$T/raw.out" 2>&1
  status="$(sed -n 1p "$T/raw.out")"
  challenge="$(sed -n 2p "$T/raw.out")"
  resp="$(sed '1,2d;$d' "$T/raw.out")"
  closed_after="$(tail -n 1 "$T/raw.out" | sed 's/closed_after=//')"
}
get_raw() {  # PATH [EXTRA-HEADER]: a GET; sets status, resp and closed_after
  {
    printf 'GET %s HTTP/1.1\r\nHost: gw\r\n%s\r\n' "$1" "$AUTH_ALICE"
    [[ -z "${2:-}" ]] || printf '%s\r\n' "$2"
    printf '\r\n'
  } >"$T/raw.req"
  python3 "$T/raw_request.py" "$GW_HTTP" "$T/raw.req" >"$T/raw.out" 2>&1
  status="$(sed -n 1p "$T/raw.out")"
  challenge="$(sed -n 2p "$T/raw.out")"
  resp="$(sed '1,2d;$d' "$T/raw.out")"
  closed_after="$(tail -n 1 "$T/raw.out" | sed 's/closed_after=//')"
}

# --- routing on the decoded path: no encoding of git-receive-pack goes unchecked ------
seed_upstream_repo enc
e="$T/enc"
git clone -q "$H/enc.git" "$e" 2>/dev/null
add_key_file "$e" "enc.py" && git -C "$e" add enc.py && git -C "$e" commit -qm "a key behind an encoded path"
enc_old="$(git -C "$e" rev-parse HEAD~1)" enc_new="$(git -C "$e" rev-parse HEAD)"
i=0
for p in /h/enc.git/git-receive%2Dpack /h/enc.git/git-receive%2dpack /h/enc.git/%67it-receive-pack \
  /h/enc.git/%67%69%74%2d%72%65%63%65%69%76%65%2d%70%61%63%6b /h/enc%2Egit/git-receive-pack \
  /%68/enc.git/git-receive-pack /h/enc.git/git-receive-pack?x=1; do
  i=$((i + 1))
  push_body "$e" "$enc_old" "$enc_new" "refs/heads/enc$i" "$T/enc-body"
  post_raw "$p" "$T/enc-body"
  detail="$p: $status"$'\n'"$resp"
  check "encoded push path $p: inspected and rejected, never relayed" \
    bash -c '[[ $1 == *" 200 "* ]] && grep -q "ng refs/heads/enc$3 " <<<"$2" && grep -q "Alibaba Cloud" <<<"$2" && [[ -z $4 ]]' \
    _ "$status" "$resp" "$i" "$(upstream_rev enc "refs/heads/enc$i")"
done
for p in /h/enc.git/git-receive%252Dpack /h/enc.git/%2567it-receive-pack /h/enc.git/git-receive-pack/ \
  /h/enc.git/git-receive-pack%2F /h/enc.git/GIT-RECEIVE-PACK /h/enc.git/Git-Receive-%50ack \
  /h/enc.git%2Fgit-receive-pack /h/enc.git%2fgit-receive-pack /h//enc.git/git-receive-pack \
  /h/enc.git//git-receive-pack '/h/enc.git/git-receive-pack;v=1' /h/enc.git/git-receive-pack%3B \
  /h/x/%2E%2E/enc.git/git-receive-pack /h/x/../enc.git/git-receive-pack /h/./enc.git/git-receive-pack \
  /h/enc.git%5Cgit-receive-pack /h/enc.git/git-receive-pack%00 /h/enc.git/git-receive-pack%; do
  i=$((i + 1))
  push_body "$e" "$enc_old" "$enc_new" "refs/heads/enc$i" "$T/enc-body"
  post_raw "$p" "$T/enc-body"
  detail="$p: $status"$'\n'"$resp"
  check "ambiguous push path $p: 400 naming what is wrong, nothing relayed" \
    bash -c '[[ $1 == *" 400 "* ]] && grep -q "akgate-gateway: request refused: " <<<"$2" && [[ -z $3 ]]' \
    _ "$status" "$resp" "$(upstream_rev enc "refs/heads/enc$i")"
done
detail="$(grep 'git-receive-pack%3B\|status=400' "$T/gw/gateway.log" | tail -n 2)"
check "a refused path is logged with the reason" grep -q 'status=400 .*note="the request path holds' "$T/gw/gateway.log"
for q in 'service=git%2Dreceive-pack' 'service=git%2dreceive%2dpack' '%73ervice=git-receive-pack' \
  'x=1&service=%67it-receive-pack'; do
  get_raw "/h/enc.git/info/refs?$q"
  detail="$q: $status"$'\n'"$resp"
  check "encoded service=: the receive-pack advertisement gets no-thin ($q)" \
    bash -c '[[ $1 == *" 200 "* ]] && grep -q "no-thin" <<<"$2"' _ "$status" "$resp"
done
for q in 'service=git%252Dreceive-pack' 'service=GIT-RECEIVE-PACK' 'SERVICE=git-receive-pack' \
  'service=git-upload-pack&service=git-receive-pack'; do
  get_raw "/h/enc.git/info/refs?$q"
  detail="$q: $status"$'\n'"$resp"
  check "ambiguous service= refused with 400 ($q)" \
    bash -c '[[ $1 == *" 400 "* ]] && grep -q "request refused" <<<"$2"' _ "$status" "$resp"
done
get_raw "/h/enc.git/git-receive-pack"
detail="$status $resp"
check "GET of git-receive-pack: 405" bash -c '[[ $1 == *" 405 "* ]]' _ "$status"
out="$(git -C "$e" push origin HEAD:refs/heads/plain 2>&1)"; rc=$?
detail="$out"
check "the ordinary push path still inspects and rejects" test "$rc" -ne 0 -a -z "$(upstream_rev enc refs/heads/plain)"
git -C "$e" reset -q --hard HEAD~1

# --- a compressed push body is limited by what it decodes to ---------------------------
# A pack with one blob stored (deflate level 0): gzip makes it a thousand times
# smaller. 42 MB decoded against limits.max_push_bytes (8 MiB here).
bomb() {  # MB OUT [random]: zeros (a bomb), or base64 of random bytes (hardly compressible)
  python3 - "$1" "$2" "${3:-}" <<'PY'
import base64, gzip, hashlib, os, struct, sys, zlib
mb, out, kind = int(sys.argv[1]), sys.argv[2], sys.argv[3]
size = mb << 20
content = base64.b64encode(os.urandom(size * 3 // 4))[:size] if kind else b"\0" * size
hdr, n, first = b"", size >> 4, (3 << 4) | (size & 15)
parts = []
while True:
    if n:
        parts.append(first | 0x80); first = n & 0x7F; n >>= 7
    else:
        parts.append(first); break
pack = b"PACK" + struct.pack(">II", 2, 1) + bytes(parts) + zlib.compress(content, 0)
pack += hashlib.sha1(pack).digest()
line = ("0" * 40 + " " + "1" * 40 + " refs/heads/bomb\0report-status\n").encode()
body = b"%04x" % (len(line) + 4) + line + b"0000" + pack
open(out, "wb").write(gzip.compress(body, 9))
PY
}
bomb 42 "$T/bomb42.gz"
post_raw /h/enc.git/git-receive-pack "$T/bomb42.gz" "Content-Encoding: gzip"
detail="$(stat -c %s "$T/bomb42.gz") bytes gzip: $status"$'\n'"$resp"
check "gzip bomb (42 MB in $(($(stat -c %s "$T/bomb42.gz") / 1024)) KB): 413 naming the limit" \
  bash -c '[[ $1 == *" 413 "* ]] && grep -q "limits.max_decompression_ratio" <<<"$2"' _ "$status" "$resp"
decoded="$(grep 'push_refused' "$T/gw/gateway.log" | tail -n 1 | sed -n 's/.*decoded=\([0-9]*\).*/\1/p')"
detail="$(grep 'push_refused' "$T/gw/gateway.log" | tail -n 1)"
check "gzip bomb: decoding stopped at the limit (decoded ${decoded:-?} bytes)" \
  test "${decoded:-999999999}" -le $((8388608 + 65536 * 20))
# Barely compressible, under max_push_bytes as received, over it decoded.
bomb 10 "$T/b64.gz" random
post_raw /h/enc.git/git-receive-pack "$T/b64.gz" "Content-Encoding: gzip"
detail="$(stat -c %s "$T/b64.gz") bytes gzip: $status"$'\n'"$resp"
check "gzip body of $(($(stat -c %s "$T/b64.gz") / 1048576)) MiB decoding to 10 MiB (limit 8 MiB): 413 naming limits.max_push_bytes" \
  bash -c '[[ $1 == *" 413 "* ]] && grep -q "decompresses to more than .*limits.max_push_bytes" <<<"$2"' _ "$status" "$resp"
bomb 4 "$T/bomb4.gz"
post_raw /h/enc.git/git-receive-pack "$T/bomb4.gz" "Content-Encoding: gzip"
detail="$status"$'\n'"$resp"
check "gzip bomb under the size limit: 413 for the expansion ratio" \
  bash -c '[[ $1 == *" 413 "* ]] && grep -q "limits.max_decompression_ratio" <<<"$2"' _ "$status" "$resp"
sleep 0.3
leftover="$(ls -A "$T/gw/tmp" 2>/dev/null)"
detail="left: $leftover"
check "gzip bombs left no temporary files" test -z "$leftover"

# --- Connection: close is honoured on the gateway's own answers ------------------------
# Before, a health check or a 404 kept the connection until limits.idle_timeout_s.
for p in /healthz /nowhere/x.git/info/refs /metrics; do
  printf 'GET %s HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n' "$p" >"$T/raw.req"
  python3 "$T/raw_request.py" "$GW_HTTP" "$T/raw.req" >"$T/raw.out" 2>&1
  detail="$(cat "$T/raw.out")"
  check "Connection: close on $p: closed right after the response" \
    awk -F= '/^closed_after=/ { exit !($2 < 2.5) }' "$T/raw.out"
done
printf 'GET /healthz HTTP/1.0\r\n\r\n' >"$T/raw.req"
python3 "$T/raw_request.py" "$GW_HTTP" "$T/raw.req" >"$T/raw.out" 2>&1
detail="$(cat "$T/raw.out")"
check "HTTP/1.0 without keep-alive: closed right after the response" awk -F= '/^closed_after=/ { exit !($2 < 2.5) }' "$T/raw.out"

# --- credentials before work: the upstream judges them before anything is spooled ------
git -C "$e" checkout -q -b big
head -c 5000000 /dev/urandom >"$e/big.bin"
git -C "$e" add big.bin && git -C "$e" commit -qm "a large file"
push_body "$e" "$enc_old" "$(git -C "$e" rev-parse HEAD)" refs/heads/unauth "$T/big-body"
# As git and curl send a large body: Expect: 100-continue, so the refusal
# comes before the body (a client that sends it regardless is cut off after
# 1 MiB, unread).
for who in none wrong; do
  creds=()
  [[ $who == wrong ]] && creds=(-u alice:not-her-password)
  log_lines="$(wc -l <"$T/gw/gateway.log")"
  status="$(curl -s "${creds[@]}" -D "$T/unauth.hdrs" -o "$T/unauth.body" -w '%{http_code}' -H 'Expect: 100-continue' \
    -H 'Content-Type: application/x-git-receive-pack-request' --data-binary "@$T/big-body" \
    "http://127.0.0.1:$GW_HTTP/h/enc.git/git-receive-pack")"
  status=" $status "
  challenge="$(grep -i '^WWW-Authenticate:' "$T/unauth.hdrs" | tr -d '\r')"
  resp="$(cat "$T/unauth.body")"
  new_log="$(tail -n +"$((log_lines + 1))" "$T/gw/gateway.log")"
  detail="$status $challenge"$'\n'"$resp"$'\n'"$new_log"
  check "push of $(($(stat -c %s "$T/big-body") / 1000000)) MB with credentials $who: 401 with the upstream's challenge" \
    bash -c '[[ $1 == *" 401 "* && $2 == *"Basic realm="* ]]' _ "$status" "$challenge"
  check "push with credentials $who: refused before spooling or scanning (log)" \
    bash -c 'grep -q "push_unauthorized .*upstream_status=401" <<<"$1" && ! grep -q "^.* push id=" <<<"$1" && ! grep -q "spool" <<<"$1"' _ "$new_log"
  check "push with credentials $who: nothing reached the upstream" test -z "$(upstream_rev enc refs/heads/unauth)"
done
curl -s "http://127.0.0.1:$GW_HTTP/metrics" >"$T/metrics"
detail="$(grep unauthorized "$T/metrics")"
check "/metrics counts pushes refused for credentials" grep -Eq '^akgate_gateway_pushes_unauthorized_total [2-9]' "$T/metrics"
out="$(git -C "$e" push origin HEAD:refs/heads/authed 2>&1)"; rc=$?
detail="$out"
check "the same large push with alice's credentials: accepted" \
  test "$rc" -eq 0 -a "$(upstream_rev enc refs/heads/authed)" = "$(git -C "$e" rev-parse HEAD)"
git -C "$e" checkout -q main

# --- identity: name-based rights only from a verified source ---------------------------
# env.sh's gateway believes X-Akgate-User from 127.0.0.1 and alice's client
# certificate on HTTPS; the Basic user name alone is no identity.
git -C "$e" checkout -q -b idk main
add_key_file "$e" "idk.py" && git -C "$e" add idk.py && git -C "$e" commit -qm "a key, bypass by name"
out="$(git -C "$e" push -o 'akgate.bypass=fixture, claimed by the Basic name only' origin idk 2>&1)"; rc=$?
detail="$out"
check "bypass with only a Basic user name: refused" test "$rc" -ne 0 -a -z "$(upstream_rev enc idk)"
check "bypass with only a Basic user name: the pusher is told why" \
  grep -q "^remote: akgate-gateway: rights granted by name .*need a verified identity.*no X-Akgate-User header from a trusted proxy" <<<"$out"
detail="$(grep pusher_unverified "$T/gw/gateway.log" | tail -n 1)"
check "bypass with only a Basic user name: logged with the claimed name" \
  grep -q 'pusher_unverified id=.* claimed_user=alice problem=' "$T/gw/gateway.log"
git clone -q "$S/enc.git" "$T/enc-tls" 2>/dev/null
git -C "$T/enc-tls" fetch -q "$e" idk:idk 2>/dev/null
out="$(git -C "$T/enc-tls" -c http.sslCert="$T/tls/alice.pem" -c http.sslKey="$T/tls/alice.key" \
  push -o 'akgate.bypass=fixture, alice by her client certificate' origin idk 2>&1)"; rc=$?
detail="$out"$'\n'"$(grep ' push id=' "$T/gw/gateway.log" | tail -n 1)"
check "bypass by alice's verified client certificate (HTTPS): accepted" \
  test "$rc" -eq 0 -a "$(upstream_rev enc idk)" = "$(git -C "$e" rev-parse idk)"
check "the push line names the identity's source" grep -q ' push id=.* pusher=alice pusher_source=client-certificate' "$T/gw/gateway.log"

# A gateway with no identity source, and one that trusts another network.
id_case() {  # NAME IDENTITY-SECTION EXPECTED-PROBLEM
  mkdir -p "$T/gw-$1/tmp"
  GW_IDENTITY="$2" write_gateway_config "$T/gw-$1"
  local main_pid="$GW_PID" main_http="$GW_HTTP" main_https="$GW_HTTPS"
  if start_gateway "$T/gw-$1"; then
    git -C "$e" checkout -q -b "id-$1" main
    add_key_file "$e" "id-$1.py" && git -C "$e" add "id-$1.py" && git -C "$e" commit -qm "a key ($1)"
    out="$(git -C "$e" -c http.extraHeader="X-Akgate-User: alice" push -o 'akgate.bypass=fixture' \
      "http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/h/enc.git" "id-$1" 2>&1)"; rc=$?
    detail="$out"
    check "identity $1: bypass refused, the header notwithstanding" test "$rc" -ne 0 -a -z "$(upstream_rev enc "id-$1")"
    check "identity $1: the pusher is told why" grep -q "^remote: akgate-gateway: .*$3" <<<"$out"
    kill "$GW_PID" 2>/dev/null
    git -C "$e" checkout -q main
  else
    fail "gateway ($1) starts" "$(cat "$T/gw-$1/stderr")"
  fi
  GW_PID="$main_pid" GW_HTTP="$main_http" GW_HTTPS="$main_https"
}
id_case none "" "no identity source configured"
id_case other-net '[identity]
header = "X-Akgate-User"
trusted_proxies = ["10.0.0.0/8"]' "which is not a trusted proxy"
GW_IDENTITY="" write_gateway_config "$T/gw-none"
out="$("$GATEWAY" --check --config "$T/gw-none/gateway.toml" 2>&1)"; rc=$?
detail="$out"
check "--check warns of rights by name without an identity source" \
  bash -c '[[ $1 -eq 0 ]] && grep -q "warning: the policy grants rights by name (\[bypass\] who = alice; route /m/: \[bypass\] who = alice; route /p/: \[bypass\] who = bob)" <<<"$2"' _ "$rc" "$out"

# --- the time budget bounds the wait for a scan thread and the indexing too -------------
# One scan thread, a 2 s budget. A large push (40000 commits, 200000 objects,
# tens of MB to index) is refused once its budget is spent, not when its work
# is done; a small clean push that arrives while it is indexed waits for the
# scan thread only until the large one's budget ends, never for all its work.
cat >"$T/budget-policy.toml" <<POL
[limits]
time_budget = 2
[audit]
log = "$T/audit-budget.log"
POL
mkdir -p "$T/gw-budget/tmp"
GW_SCAN_THREADS=1 GW_POLICY="$T/budget-policy.toml" GW_MAX_PUSH_BYTES=536870912 write_gateway_config "$T/gw-budget"
main_pid="$GW_PID" main_http="$GW_HTTP" main_https="$GW_HTTPS"
if start_gateway "$T/gw-budget"; then
  seed_upstream_repo budget
  git clone -q "$H/budget.git" "$T/budget-clean" 2>/dev/null
  echo "clean = 1" >"$T/budget-clean/clean.py"
  git -C "$T/budget-clean" add clean.py && git -C "$T/budget-clean" commit -qm "a small clean change"
  git init -q "$T/budget-big"
  python3 - <<'PY' | git -C "$T/budget-big" fast-import --quiet
import sys
lines = [f"line {i} of a file that changes in every commit\n" for i in range(200)]
for i in range(40000):
    lines[i % 200] = f"line {i % 200} changed in commit {i}\n"
    data = "".join(lines)
    sys.stdout.write(f"commit refs/heads/main\ncommitter T <t@example.com> {1600000000 + i} +0000\ndata 9\ncommit {i % 10}\n")
    sys.stdout.write(f"M 644 inline f.txt\ndata {len(data)}\n{data}\n")
    sys.stdout.write(f"M 644 inline d/{i % 500}.txt\ndata {len(str(i))}\n{i}\n")
PY
  push_body "$T/budget-big" "$(printf '0%.0s' {1..40})" "$(git -C "$T/budget-big" rev-parse main)" refs/heads/huge "$T/huge-body"
  {
    printf 'POST /h/budget.git/git-receive-pack HTTP/1.1\r\nHost: gw\r\n%s\r\n' "$AUTH_ALICE"
    printf 'Content-Type: application/x-git-receive-pack-request\r\nContent-Length: %s\r\n\r\n' "$(stat -c %s "$T/huge-body")"
    cat "$T/huge-body"
  } >"$T/huge.req"
  python3 "$T/raw_request.py" "$GW_HTTP" "$T/huge.req" >"$T/huge.out" 2>&1 &
  huge_pid=$!
  # The clean push starts once the large one is being indexed (its body is in).
  for _ in $(seq 1 300); do grep -q 'push_received id=.*refs=1 ' "$T/gw-budget/gateway.log" && break; sleep 0.05; done
  sleep 1
  clean_start="$(date +%s.%N)"
  out="$(git -C "$T/budget-clean" push "http://alice:s3cret-pass@127.0.0.1:$GW_HTTP/p/budget.git" HEAD:refs/heads/clean 2>&1)"; rc=$?
  clean_s="$(awk -v a="$clean_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  wait "$huge_pid"
  huge_s="$(tail -n 1 "$T/huge.out" | sed 's/closed_after=//')"
  detail="clean push ${clean_s}s: $out"$'\n'"$(grep -E ' push id=|push_received' "$T/gw-budget/gateway.log")"
  check "budget: a clean push behind a large one on the only scan thread is accepted in ${clean_s} s (bound 8 s)" \
    bash -c '[[ $1 -eq 0 ]] && awk -v t="$2" "BEGIN { exit !(t < 8) }" && [[ -n $3 ]]' _ "$rc" "$clean_s" "$(upstream_rev budget clean)"
  detail="large push answered after ${huge_s}s: $(head -c 600 "$T/huge.out")"$'\n'"$(grep -E ' push id=' "$T/gw-budget/gateway.log")"
  check "budget: the large push is refused for its 2 s budget within ${huge_s} s of sending its body (bound 15 s)" \
    bash -c 'grep -q "ng refs/heads/huge" "$1" && grep -q "longer than its time budget of 2 s" "$1" && awk -v t="$2" "BEGIN { exit !(t < 15) }"' \
    _ "$T/huge.out" "$huge_s"
  check "budget: the large push never reached the upstream" test -z "$(upstream_rev budget huge)"
  detail="$(cat "$T/audit-budget.log" 2>&1 | head -c 600)"
  check "budget: the timeout is audited" grep -q '"cause":"timeout"' "$T/audit-budget.log"
  kill "$GW_PID" 2>/dev/null
else
  fail "gateway (budget) starts" "$(cat "$T/gw-budget/stderr")"
fi
GW_PID="$main_pid" GW_HTTP="$main_http" GW_HTTPS="$main_https"
