#!/usr/bin/env bash
# False positives on a real history: pushes every branch and tag of a git
# repository into an empty bare repository whose pre-receive hook is
# `akgate pre-receive`, in one push, with a bypass (the policy lets anyone
# bypass, so the push lands and nothing is refused), and lists every finding
# the hook audited for it: rule, disposition, path, commit (secrets redacted,
# as the audit log has them).
#
#   bash bench/history_findings.sh [--akgate PATH] [--out DIR] SRC_GIT_DIR
#
# SRC_GIT_DIR: a git directory (bare or .git), e.g. the snapshot of
# https://github.com/git/git. Pushed: refs/heads/* and refs/tags/* (not
# refs/pull/*, refs/notes/*). Output in DIR (default /tmp/akgate-history):
# audit.log (the hook's JSON line), findings.tsv (one finding a line),
# hook.time (/usr/bin/time -v of the hook), and on stdout a summary table by
# rule and disposition. Hermetic git (HOME in DIR, no system config).
# Needs: git, python3, /usr/bin/time (install/deps.sh bench).
set -euo pipefail

die() { echo "bench/history_findings.sh: $*" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
out=/tmp/akgate-history
src=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) src="$1"; shift ;;
  esac
done
[[ -n "$src" ]] || die "name the source git directory"
[[ -x "$akgate" ]] || die "no akgate at $akgate (build: bash install/build.sh)"
src="$(cd "$src" && pwd)"
git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1 || die "$src is not a git directory"
case "$out" in /|/tmp|/usr|/home) die "refusing to empty $out" ;; esac
rm -rf "$out"
mkdir -p "$out/home"
out="$(cd "$out" && pwd)"

export HOME="$out/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 LC_ALL=C
unset GIT_DIR GIT_WORK_TREE AKGATE_POLICY
git config --global protocol.file.allow always

cat >"$out/policy.toml" <<EOF
[bypass]
who = ["*"]
[limits]
time_budget = 86400
[audit]
log = "$out/audit.log"
EOF

# The installation's fingerprint key, beside the policy (as `akgate install`
# makes it): without one the hook fails closed and scans nothing.
(umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' >"$out/fingerprint.key")

git init -q --bare "$out/server.git"
git -C "$out/server.git" config receive.advertisePushOptions true
printf '#!/bin/sh\nexec /usr/bin/time -v -o %s %s pre-receive --policy %s\n' \
  "$out/hook.time" "$akgate" "$out/policy.toml" >"$out/server.git/hooks/pre-receive"
chmod +x "$out/server.git/hooks/pre-receive"

heads="$(git --git-dir="$src" for-each-ref refs/heads | wc -l)"
tags="$(git --git-dir="$src" for-each-ref refs/tags | wc -l)"
commits="$(git --git-dir="$src" rev-list --branches --tags --count)"
echo "pushing $heads branches, $tags tags, $commits commits of $src; $("$akgate" --version), $(git --version), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +'%Y-%m-%d %H:%M UTC')" >&2
t0=$(date +%s)
git --git-dir="$src" push -q -o akgate.bypass=false-positive-measurement "file://$out/server.git" \
  'refs/heads/*:refs/heads/*' 'refs/tags/*:refs/tags/*' 2>"$out/push.err" ||
  die "the push failed: $(tail -n 20 "$out/push.err")"
echo "push took $(( $(date +%s) - t0 )) s" >&2

python3 - "$out" <<'PY'
import json, re, sys
from collections import Counter
out = sys.argv[1]
lines = [json.loads(l) for l in open(out + "/audit.log") if l.strip()]
rec = lines[-1]
t = open(out + "/hook.time").read()
user = float(re.search(r"User time \(seconds\): ([0-9.]+)", t).group(1))
sys_ = float(re.search(r"System time \(seconds\): ([0-9.]+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1)
rss = int(re.search(r"Maximum resident set size \(kbytes\): ([0-9]+)", t).group(1)) // 1024
fs = rec.get("findings", [])
with open(out + "/findings.tsv", "w") as f:
    f.write("rule\tdisposition\tsource\tpath\tline\tcommit\tredacted\n")
    for x in fs:
        f.write("\t".join(str(v) for v in [x.get("rule"), x.get("disposition"), x.get("source"), x.get("path"),
                                            x.get("line"), (x.get("commit") or "")[:12], " ".join(x.get("redacted") or [])]) + "\n")
print("decision %s (cause %s); commits %s, tags %s, blobs %s (scanned %s, %.1f MiB), messages %s; skipped %s"
      % (rec["decision"], rec["cause"], rec.get("commits"), rec.get("tags"), rec.get("blobs"), rec.get("blobs_scanned"),
         rec.get("bytes_scanned", 0) / 1048576, rec.get("messages_scanned"), json.dumps(rec.get("skipped"))))
print("hook: wall %s, CPU %.1f s, peak RSS %d MiB; blocking %s, warnings %s, pre-existing %s, omitted %s"
      % (wall, user + sys_, rss, rec.get("blocking"), rec.get("warnings"), rec.get("pre_existing"), rec.get("findings_omitted", 0)))
print()
print("| rule | disposition | findings | distinct paths |")
print("|---|---|---:|---:|")
groups = Counter((x.get("rule"), x.get("disposition")) for x in fs)
for (rule, disp), n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])):
    paths = {x.get("path") for x in fs if x.get("rule") == rule and x.get("disposition") == disp}
    print("| `%s` | %s | %d | %d |" % (rule, disp, n, len(paths)))
PY
echo "every finding: $out/findings.tsv" >&2
