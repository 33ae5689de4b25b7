#!/usr/bin/env bash
# Writes the fuzz targets' seed inputs (fuzz/corpus/<target>/seed-*) from
# real material: pushes captured from a real `git push`, packs made by
# `git pack-objects`, deltas git chose, the project's rule and policy files,
# the test corpus. Run once by hand when the input formats change; the seeds
# are committed (fuzz/run.sh replays them). Deterministic: fixed dates and
# names, so the same git writes the same bytes.
#
#   bash fuzz/make_corpus.sh
#
# Crash reproducers (crash-*) in the same folders are kept: they are not
# seeds, they are the regression inputs of bugs fixed (docs/fuzzing.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$root/fuzz/corpus"
work="$(mktemp -d "${TMPDIR:-/tmp}/akgate-corpus.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for d in "$corpus"/*/; do [[ -d "$d" ]] && find "$d" -name 'seed-*' -delete; done
mkdir -p "$corpus"/{pkt_line,push_request,report_status,request_target,body_decoder,pack_reader,pack_indexer,delta,quoted_path,decode,rule_loader,policy,scanner}

export GIT_AUTHOR_NAME=Fuzz GIT_AUTHOR_EMAIL=fuzz@example.com GIT_COMMITTER_NAME=Fuzz GIT_COMMITTER_EMAIL=fuzz@example.com
export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
git config --global init.defaultBranch main
git config --global protocol.file.allow always

# --- pushes: the bytes git sends to receive-pack ------------------------------
# receive-pack is wrapped so that what the client writes is kept: the same
# request a gateway reads as an HTTP body.
git init -q --bare "$work/server.git"
git -C "$work/server.git" config receive.advertisePushOptions true
git init -q "$work/client"
cd "$work/client"
capture() {  # NAME, then the push arguments
  local name="$1"; shift
  git push -q --receive-pack="f() { tee '$work/$name.body' | git-receive-pack \"\$@\"; }; f" "$@" >/dev/null 2>&1 || true
}
mkdir -p app
printf 'import os\n\nREGION = "cn-hangzhou"\n' > app/config.py
printf '# Sample\n\nA small app.\n' > README.md
git add -A && git commit -q -m first
capture create "$work/server.git" main
printf 'line %s of a file that changes a little each time\n' $(seq 1 60) > app/data.txt
git add -A && git commit -q -m data
git push -q "$work/server.git" main
for i in 1 2 3; do
  sed -i "s/^line $((i * 7)) .*/line $((i * 7)) changed in commit $i/" app/data.txt
  git add -A && git commit -q -m "change $i"
done
sed -i 's/cn-hangzhou/cn-shanghai/' app/config.py
git add -A && git commit -q -m second
capture update "$work/server.git" main   # a thin pack: deltas against what the server has
git checkout -q -b topic && echo topic > topic.txt && git add -A && git commit -q -m topic
capture options -o ci.skip -o "akgate.reason=a test fixture" "$work/server.git" topic
git tag -a v1 -m "release 1"
capture tag "$work/server.git" v1
capture delete "$work/server.git" :topic
for n in create update options tag delete; do
  cp "$work/$n.body" "$corpus/push_request/seed-$n"
  cp "$work/$n.body" "$corpus/pkt_line/seed-$n"
done
printf '0000' > "$corpus/push_request/seed-probe"
# The same lines with git's HTTP client's closing flushes, and as side-band.
printf '0000' | cat "$work/update.body" - > "$corpus/push_request/seed-update-flush"
printf '001b\002remote: scanning...\n0000' > "$corpus/pkt_line/seed-sideband"
printf '0001000200000014command=ls-refs\n0000' > "$corpus/pkt_line/seed-v2-delim"

# --- packs: git pack-objects, with deltas ------------------------------------
git repack -q -a -d --window=10 --depth=5
pack="$(ls .git/objects/pack/*.pack | head -1)"
cp "$pack" "$corpus/pack_reader/seed-repo" && chmod 644 "$corpus/pack_reader/seed-repo"
printf 'main\n^main~2\n' | git pack-objects -q --revs --thin --stdout > "$work/thin.pack"
printf 'main\n' | git pack-objects -q --revs --stdout > "$work/all.pack"
cp "$work/all.pack" "$corpus/pack_reader/seed-all"
cp "$work/thin.pack" "$corpus/pack_reader/seed-thin"
# The indexer target appends the trailer itself.
head -c -20 "$work/all.pack" > "$corpus/pack_indexer/seed-all"
head -c -20 "$pack" > "$corpus/pack_indexer/seed-repo"
printf 'PACK\0\0\0\2\0\0\0\0' > "$corpus/pack_indexer/seed-empty"

# --- deltas: the ones git chose, as <u16 base length><base><delta> ----------
python3 - "$pack" "$corpus/delta" <<'PY'
import struct, sys, zlib
pack = open(sys.argv[1], 'rb').read()
out = sys.argv[2]
n = struct.unpack('>I', pack[8:12])[0]
pos, objs, written = 12, {}, 0
for _ in range(n):
    start = pos
    c = pack[pos]; pos += 1
    t = (c >> 4) & 7
    while c & 0x80:
        c = pack[pos]; pos += 1
    base = None
    if t == 6:
        c = pack[pos]; pos += 1
        rel = c & 127
        while c & 0x80:
            c = pack[pos]; pos += 1
            rel = ((rel + 1) << 7) | (c & 127)
        base = start - rel
    elif t == 7:
        pos += 20
    d = zlib.decompressobj()
    data = d.decompress(pack[pos:])
    pos = len(pack) - len(d.unused_data)
    objs[start] = (t, data, base)
for start, (t, data, base) in objs.items():
    if t == 6 and base in objs and objs[base][0] != 6 and len(objs[base][1]) < 65536:
        b = objs[base][1]
        open(f'{out}/seed-git-{written}', 'wb').write(struct.pack('<H', len(b)) + b + data)
        written += 1
# Hand-made: a copy, an insert, a copy of 0x10000 bytes (length 0).
base = b'The quick brown fox jumps over the lazy dog\n'
def varint(v):
    b = bytearray()
    while True:
        c = v & 127; v >>= 7
        b.append(c | (0x80 if v else 0))
        if not v: return bytes(b)
delta = varint(len(base)) + varint(len(base) + 6) + bytes([0x91, 4, 16]) + bytes([6]) + b'cat!!\n' + bytes([0x91, 20, len(base) - 20])
open(f'{out}/seed-copy-insert', 'wb').write(struct.pack('<H', len(base)) + base + delta)
big = bytes(range(256)) * 256
delta = varint(len(big)) + varint(len(big)) + bytes([0x80])
open(f'{out}/seed-copy-64k', 'wb').write(struct.pack('<H', 0) + delta)
print(f'{written} deltas from git')
PY

# --- report-status: <caps byte> unpack NUL reason NUL report NUL refs... -------
printf '\005ok\0secrets found\0akgate: push blocked\n  app/config.py:3 AccessKey ID\n\0refs/heads/main\0refs/tags/v1' > "$corpus/report_status/seed-sideband"
printf '\001index-pack failed\0\0\0refs/heads/main' > "$corpus/report_status/seed-plain"
printf '\006ok\0rejected\0line one\nline two\n\0refs/heads/feature/x' > "$corpus/report_status/seed-v2"

# --- request targets --------------------------------------------------------
i=0
for t in "/h/app.git/info/refs?service=git-receive-pack" "/h/app.git/git-receive-pack" \
         "/h/app.git/git-receive%2Dpack" "/h/app.git/info/refs?service=git%2dreceive%2dpack&x=1" \
         "/h/app.git/git-upload-pack" "/group/sub/app.git/info/refs?service=git-upload-pack" \
         "/h/app.git/objects/info/packs" "/healthz"; do
  printf '%s' "$t" > "$corpus/request_target/seed-$i"; i=$((i + 1))
done

# --- request bodies: <control byte><body> -------------------------------------
{ printf '\000'; cat "$work/update.body"; } > "$corpus/body_decoder/seed-identity"
{ printf '\001'; gzip -9nc < "$work/update.body"; } > "$corpus/body_decoder/seed-gzip"
{ printf '\002'; python3 -c 'import sys,zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1],"rb").read()))' "$work/create.body"; } > "$corpus/body_decoder/seed-deflate"
{ printf '\011'; cat "$work/create.body"; } > "$corpus/body_decoder/seed-roundtrip"
{ printf '\005'; gzip -9nc < "$work/update.body"; } > "$corpus/body_decoder/seed-gzip-limit"

# --- C-quoted paths (GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES) ---
printf '"/srv/git/a\\"b:c.git/objects"' > "$corpus/quoted_path/seed-quote-colon"
printf '"/srv/git/caf\\303\\251.git/objects"' > "$corpus/quoted_path/seed-octal"
printf '"tab\\there\\nnewline\\\\"' > "$corpus/quoted_path/seed-escapes"
printf '/srv/git/plain.git/objects' > "$corpus/quoted_path/seed-plain"

# --- base64 around triggers ---------------------------------------------------
# Fake keys in the shape of the real ones (never real credentials).
id="LTAI5tFakeFuzzSeed0Xyz12"
secret="FakeFuzzSeedSecretValue0123456789"
b64() { printf '%s' "$1" | base64 -w0; }
printf 'apiVersion: v1\nkind: Secret\ndata:\n  ALIBABA_CLOUD_ACCESS_KEY_ID: %s\n  ALIBABA_CLOUD_ACCESS_KEY_SECRET: %s\n' \
  "$(b64 "$id")" "$(b64 "$secret")" > "$corpus/decode/seed-k8s-secret"
printf 'config: %s\n' "$(b64 "$(printf 'access_key_id = %s\naccess_key_secret = %s\n' "$id" "$secret")")" > "$corpus/decode/seed-encoded-file"
printf 'token=%s\n' "$(printf '%s' "$id" | base64 -w0 | tr '+/' '-_' | tr -d =)" > "$corpus/decode/seed-url-safe"
cp "$corpus/decode/seed-k8s-secret" "$corpus/scanner/seed-k8s-secret"
sed -i '1i deploy/secret.yaml' "$corpus/scanner/seed-k8s-secret"

# --- rule and policy files --------------------------------------------------
cp "$root/rules/default.toml" "$corpus/rule_loader/seed-default"
python3 - "$root" "$corpus" <<'PY'
import pathlib, re, sys
root, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for doc in ['docs/rules.md', 'docs/hook.md', 'docs/gateway.md', 'docs/false-positives.md', 'README.md']:
    text = (root / doc).read_text()
    for block in re.findall(r'```toml\n(.*?)```', text, re.S):
        kind = 'policy' if re.search(r'^\[(limits|bypass|report|notify|audit|lfs|allowlist)\]', block, re.M) and '[[rules]]' not in block else 'rule_loader'
        (corpus / kind / f'seed-doc-{n}').write_text(block)
        n += 1
print(f'{n} TOML blocks from the docs')
PY
cp "$root/install/policy.example.toml" "$corpus/policy/seed-example"
cat > "$corpus/policy/seed-repository" <<'TOML'
# A repository's akgate.toml laid over the server's policy.
[rules]
files = ["rules/extra.toml", "/etc/akgate/team.toml"]
[rules.actions]
generic-api-key = "off"
alibaba-access-key-pair = "block"
[allowlist]
paths = ['^test/fixtures/', '\.md$']
fingerprints = ["0123456789abcdef"]
inline = "allow"
[limits]
max_file_size = "10 MiB"
time_budget = 45.5
on_timeout = "allow"
on_error = "block"
unscannable = "warn"
[report]
max_findings = 10
show_pre_existing = true
language = "zh-CN"
TOML
cat > "$corpus/policy/seed-server" <<'TOML'
[bypass]
who = ["alice", "release-bot"]
require_reason = true
allow_who = ["*"]
allow_require_reason = false
[audit]
log = "/var/log/akgate/audit.log"
[notify]
webhook = "https://hooks.example.com/akgate"
webhook_timeout = 3
webhook_ca_file = "/etc/akgate/ca.pem"
command = ["/usr/local/bin/notify", "--json"]
command_timeout = 5
[lfs]
missing = "warn"
gitlab_storage = ["/var/opt/gitlab/gitlab-rails/shared/lfs-objects"]
[limits]
max_file_size = 1048576
TOML

# --- content for the scanner: the test corpus, "<path>\n<content>" ------------
cd "$root/tests/corpus"
find positive traps -type f ! -name '*.expect' -size -16k | sort | while read -r f; do
  name="$(echo "$f" | tr '/' '_')"
  { printf '%s\n' "$f"; cat "$f"; } > "$corpus/scanner/seed-$name"
done
du -sh "$corpus"
