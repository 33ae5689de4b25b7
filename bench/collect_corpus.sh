#!/usr/bin/env bash
# Builds the benchmark corpus: real text that no one here wrote.
#
#   bash bench/collect_corpus.sh [--out DIR] [--pairs N] [--seed S]
#                                [--max-file-bytes N] [--fresh]
#
# DIR (default /tmp/akgate-bench) receives:
#   plain/        a copy of every text file under /usr/include and /usr/share
#                 (regular files only: symlinks are skipped; a file is binary,
#                 and skipped, when its first 8000 bytes hold a NUL byte;
#                 .git directories are skipped, as akgate skips them; files
#                 over --max-file-bytes, default 50 MiB, akgate's default
#                 oversize limit, are left out so both akgate and rg read
#                 every byte counted)
#   sample/       every 10th file of plain/ (hard links): a tenth of the corpus
#                 for slow reference tools (rg runs the rules' multiline
#                 regexes at a few MB/s)
#   planted/      the same tree with N fake Alibaba Cloud AccessKey pairs
#                 (default 300) inserted, one per file, in five common forms;
#                 unchanged files are hard links into plain/
#   plain.files   the list of files, relative to plain/
#   planted.tsv   path, line and form of every planted pair (values not listed)
#   corpus.env    files=, bytes=, sample_files=, sample_bytes=, planted_pairs=,
#                 planted_bytes_added=, seed=, max_file_bytes=
#
# The corpus is reused when corpus.env exists and its parameters match;
# --fresh rebuilds it. The pairs are random but reproducible from --seed.
set -euo pipefail

die() { echo "bench/collect_corpus.sh: $*" >&2; exit 1; }

out="/tmp/akgate-bench"
pairs=300
seed=1
max_file_bytes=$((50 << 20))
fresh=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --pairs) pairs="${2:?--pairs needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --max-file-bytes) max_file_bytes="${2:?--max-file-bytes needs a number}"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[[ "$pairs" =~ ^[0-9]+$ && "$seed" =~ ^[0-9]+$ && "$max_file_bytes" =~ ^[0-9]+$ ]] ||
  die "--pairs, --seed and --max-file-bytes take numbers"
command -v python3 >/dev/null 2>&1 || die "python3 not found; run: bash install/deps.sh bench"

if [[ "$fresh" -eq 0 && -f "$out/corpus.env" ]] &&
   grep -qx "planted_pairs=$pairs" "$out/corpus.env" && grep -qx "seed=$seed" "$out/corpus.env" &&
   grep -qx "max_file_bytes=$max_file_bytes" "$out/corpus.env" &&
   grep -q "^sample_bytes=" "$out/corpus.env"; then
  echo "bench/collect_corpus.sh: reusing $out ($(tr '\n' ' ' <"$out/corpus.env"))"
  exit 0
fi

# Never delete anything but a corpus this script made.
if [[ -e "$out" ]]; then
  [[ -f "$out/corpus.env" || -z "$(ls -A "$out")" ]] ||
    die "$out exists and is not a corpus made by this script; choose another --out"
  rm -rf "$out"
fi
mkdir -p "$out"

echo "bench/collect_corpus.sh: copying text files from /usr/include and /usr/share into $out/plain"
python3 - "$out" "$max_file_bytes" <<'PY'
import os, shutil, stat, sys

out, max_file_bytes = sys.argv[1], int(sys.argv[2])
plain = os.path.join(out, "plain")
files = bytes_total = skipped_binary = skipped_big = skipped_other = 0
listing = []
for top in ("/usr/include", "/usr/share"):
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            src = os.path.join(dirpath, name)
            try:
                st = os.lstat(src)
                if not stat.S_ISREG(st.st_mode):      # symlinks, devices, sockets
                    skipped_other += 1
                    continue
                if st.st_size > max_file_bytes:
                    skipped_big += 1
                    continue
                with open(src, "rb") as f:
                    if b"\0" in f.read(8000):
                        skipped_binary += 1
                        continue
                dst = os.path.join(plain, src.lstrip("/"))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
            except OSError:
                skipped_other += 1
                continue
            files += 1
            bytes_total += st.st_size
            listing.append(src.lstrip("/"))
with open(os.path.join(out, "plain.files"), "w") as f:
    f.write("\n".join(listing) + "\n")
with open(os.path.join(out, "corpus.env.partial"), "w") as f:
    f.write(f"files={files}\nbytes={bytes_total}\nmax_file_bytes={max_file_bytes}\n")
print(f"  {files} text files, {bytes_total} bytes; skipped {skipped_binary} binary, "
      f"{skipped_big} over {max_file_bytes} bytes, {skipped_other} symlinks/special/unreadable")
PY

echo "bench/collect_corpus.sh: linking every 10th file into $out/sample"
python3 - "$out" <<'PY'
import os, sys
out = sys.argv[1]
listing = open(os.path.join(out, "plain.files")).read().split("\n")[:-1]
files = total = 0
for rel in listing[::10]:
    src, dst = os.path.join(out, "plain", rel), os.path.join(out, "sample", rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    os.link(src, dst)
    files += 1
    total += os.path.getsize(src)
with open(os.path.join(out, "corpus.env.partial"), "a") as f:
    f.write(f"sample_files={files}\nsample_bytes={total}\n")
print(f"  {files} files, {total} bytes")
PY

echo "bench/collect_corpus.sh: planting $pairs fake AccessKey pairs into $out/planted (seed $seed)"
cp -al "$out/plain" "$out/planted"
python3 - "$out" "$pairs" "$seed" <<'PY'
import os, random, string, sys

out, n_pairs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
alnum = string.ascii_letters + string.digits

def rand(n):
    return "".join(rng.choice(alnum) for _ in range(n))

# Where leaked pairs are usually found (see shared/design/accesskey-formats.md).
FORMS = {
    "env":    "ALIBABA_CLOUD_ACCESS_KEY_ID={id}\nALIBABA_CLOUD_ACCESS_KEY_SECRET={secret}\n",
    "python": 'client = AcsClient("{id}", "{secret}", "cn-hangzhou")\n',
    "json":   '  "access_key_id": "{id}",\n  "access_key_secret": "{secret}",\n',
    "spring": "alibaba.cloud.access-key={id}\nalibaba.cloud.secret-key={secret}\n",
    "ossutil": "[Credentials]\naccessKeyID={id}\naccessKeySecret={secret}\n",
}

listing = open(os.path.join(out, "plain.files")).read().split("\n")[:-1]
# Files a scanner is meant to read as ordinary text: not minified or lock
# files, not huge, with ordinary line lengths.
def eligible(rel):
    base = os.path.basename(rel).lower()
    if base.endswith((".js", ".css", ".map", ".lock", ".min.js")) or "lock" in base:
        return False
    path = os.path.join(out, "plain", rel)
    size = os.path.getsize(path)
    if not 200 <= size <= 1_000_000:
        return False
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    return max(len(l) for l in lines) <= 500

candidates = [rel for rel in listing if not any(c.isspace() for c in rel)]
rng.shuffle(candidates)
chosen = []
for rel in candidates:
    if len(chosen) == n_pairs:
        break
    if eligible(rel):
        chosen.append(rel)
if len(chosen) < n_pairs:
    sys.exit(f"only {len(chosen)} files eligible for planting, {n_pairs} asked")

added = 0
rows = []
form_names = sorted(FORMS)
for i, rel in enumerate(sorted(chosen)):
    form = form_names[i % len(form_names)]
    text = FORMS[form].format(id="LTAI5t" + rand(18), secret=rand(30)).encode()
    path = os.path.join(out, "planted", rel)
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    at = rng.randrange(0, len(lines))
    new = b"\n".join(lines[:at]) + (b"\n" if at else b"") + text + b"\n".join(lines[at:])
    os.unlink(path)            # break the hard link: plain/ stays untouched
    with open(path, "wb") as f:
        f.write(new)
    added += len(new) - len(data)
    rows.append(f"{rel}\t{at + 1}\t{form}")

with open(os.path.join(out, "planted.tsv"), "w") as f:
    f.write("path\tline\tform\n" + "\n".join(rows) + "\n")
with open(os.path.join(out, "corpus.env.partial"), "a") as f:
    f.write(f"planted_pairs={n_pairs}\nplanted_bytes_added={added}\nseed={seed}\n")
print(f"  planted {n_pairs} pairs ({', '.join(form_names)}), {added} bytes added")
PY
mv "$out/corpus.env.partial" "$out/corpus.env"
echo "bench/collect_corpus.sh: done: $(tr '\n' ' ' <"$out/corpus.env")"
