#!/usr/bin/env bash
# Every sample output in the docs, made again by the real program and compared,
# so that a doc cannot drift from what akgate prints. A sample is the fenced
# block right after a line `<!-- sample: NAME -->` in README.md, docs/*.md or
# install/README.md; NAME is one of the generators below, which make the same
# input every time (the files of examples/sample-project, fixed commit dates,
# so fixed commit ids).
#
#   AKGATE=build/akgate bash tests/cli/docs_samples_test.sh   (tests/run.sh does this)
#
# Compared after normalising only what changes from run to run: durations
# ("in 8 ms", "用时 8 ms", "duration_ms"). A doc line that is only "..." (after the same
# prefix as its neighbours, e.g. "remote:        ...") stands for any number
# of lines. On a difference the check prints both.
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sample_project="$root/examples/sample-project"
T="$TEST_TMP"

# Hermetic git, and commits whose ids do not depend on the clock.
# shellcheck source=tests/lib/hermetic_git.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"
hermetic_git "$T/home"
export GIT_AUTHOR_DATE="2026-11-28T15:46:00Z" GIT_COMMITTER_DATE="2026-11-28T15:46:00Z"
printf '[audit]\nlog = "%s/audit.log"\n' "$T" >"$T/policy.toml"
# Fingerprints are keyed per installation (engine/fingerprint.h); the samples'
# come from this fixed key, next to the policy (where install and the hook
# look) and given to akgate scan. A real installation's key is random.
(umask 077 && printf '%s\n' "$(printf '5a%.0s' {1..32})" >"$T/fingerprint.key")
export AKGATE_FINGERPRINT_KEY="$T/fingerprint.key"

# new_push NAME AUTHOR EMAIL [POLICY]: a bare repository with the hook as
# install/demo.sh installs it (with $T/policy.toml unless POLICY is given),
# and a clone of it in $T/NAME-work.
new_push() {
  git init -q --bare "$T/$1.git"
  "$AKGATE" install --repo "$T/$1.git" --policy "${4:-$T/policy.toml}" >/dev/null
  git clone -q "$T/$1.git" "$T/$1-work" 2>/dev/null
  git -C "$T/$1-work" config user.name "$2"
  git -C "$T/$1-work" config user.email "$3"
}
# What the pusher sees of a push: git's remote: lines and the ref's status.
push_lines() { git -C "$1" push origin main 2>&1 | grep -E '^(remote:| ! |   [0-9a-f]+\.\.)' || true; }
# push_env NAME POLICY: sample_hook_push_rejected's push (the sample
# project's .env, committed by Tester) into a new repository under POLICY;
# prints all git says.
push_env() {
  new_push "$1" Tester t@example.com "$2"
  cp "$sample_project/.env" "$T/$1-work/.env"
  git -C "$T/$1-work" add .env
  git -C "$T/$1-work" commit -q -m "Add config"
  git -C "$T/$1-work" push origin main 2>&1
}

# --- generators: one per sample name --------------------------------------------------

# README.md: the demo's push of examples/sample-project, refused.
sample_demo_push_rejected() {
  new_push demo "Demo Developer" dev@example.com
  cp -R "$sample_project/." "$T/demo-work/"
  git -C "$T/demo-work" add -A
  git -C "$T/demo-work" commit -q -m "Add the order sync service"
  push_lines "$T/demo-work"
}
# README.md: the demo's fixed push, accepted (after the sample above).
sample_demo_push_accepted() {
  (
    cd "$T/demo-work"
    sed -i 's|AcsClient("LTAI[^"]*", "[^"]*",|AcsClient(settings.ACCESS_KEY_ID, settings.ACCESS_KEY_SECRET,|' app/sync.py
    git rm -q --cached .env
    echo ".env" >>.gitignore
    git add -A
    git commit -q --amend -m "Add the order sync service"
  )
  push_lines "$T/demo-work" | grep '^remote: akgate'
}
# docs/hook.md: one pair in one file, refused.
sample_hook_push_rejected() { push_env hook "$T/policy.toml" | grep -E '^(remote:| ! )' || true; }
# docs/hook.md: the same push as sample_hook_push_rejected, asking for the
# report in Chinese with -o akgate.lang=zh-CN.
sample_hook_push_rejected_zh() {
  new_push hook-zh Tester t@example.com
  cp "$sample_project/.env" "$T/hook-zh-work/.env"
  git -C "$T/hook-zh-work" add .env
  git -C "$T/hook-zh-work" commit -q -m "Add config"
  git -C "$T/hook-zh-work" push -o akgate.lang=zh-CN origin main 2>&1 | grep -E '^(remote:| ! )' || true
}
# docs/hook.md: the push of sample_hook_push_rejected under a policy that
# allows it by its fingerprint of akgate before 0.2 (SHA-256 of the rule id
# and the secrets, unkeyed): accepted, with the fingerprint to replace it.
sample_hook_legacy_allowlist() {
  local old
  old="$(python3 - "$sample_project/.env" <<'PY'
import hashlib, re, sys
text = open(sys.argv[1]).read()
key_id = re.search(r"ACCESS_KEY_ID=(\S+)", text).group(1)
secret = re.search(r"ACCESS_KEY_SECRET=(\S+)", text).group(1)
print(hashlib.sha256("\0".join(["alibaba-accesskey-pair", key_id, secret]).encode()).hexdigest()[:16])
PY
)"
  printf '[audit]\nlog = "%s/legacy-audit.log"\n[allowlist]\nfingerprints = ["%s"]\n' "$T" "$old" >"$T/legacy-policy.toml"
  push_env legacy "$T/legacy-policy.toml" | grep -E '^(remote:| ! |   [0-9a-f]+\.\.)' || true
}
# docs/hook.md: the push of sample_hook_push_rejected under a policy in
# monitor mode: let through, saying it would have been rejected.
sample_hook_push_monitor() {
  printf '[gate]\nmode = "monitor"\n[audit]\nlog = "%s/monitor-audit.log"\n' "$T" >"$T/monitor-policy.toml"
  push_env monitor "$T/monitor-policy.toml" | grep -E '^(remote:| \* )' || true
}
# docs/output.md: the three report formats on one file.
# docs/developer.md: the client pre-commit hook refusing a commit of the
# sample project's app/sync.py.
sample_developer_commit_refused() {
  git init -q "$T/dev-work"
  "$AKGATE" install --client "$T/dev-work" >/dev/null
  mkdir -p "$T/dev-work/app" && cp "$sample_project/app/sync.py" "$T/dev-work/app/"
  git -C "$T/dev-work" add app/sync.py
  (cd "$T/dev-work" && git commit -q -m "Add the order sync service" 2>&1) || true
}
sample_scan_text() { (cd "$sample_project" && "$AKGATE" scan --no-color app/sync.py || true); }
sample_scan_text_zh() { (cd "$sample_project" && "$AKGATE" scan --no-color --lang zh-CN app/sync.py || true); }
sample_scan_json() { (cd "$sample_project" && "$AKGATE" scan --format json app/sync.py || true); }
# docs/history.md: the history scan of a repository where the sample project's
# keys went in with the first commit and .env was removed by the second.
sample_history_scan() {
  local w="$T/history-work"
  git init -q "$w"
  cp -R "$sample_project/." "$w/"
  git -C "$w" add -A
  git -C "$w" -c user.name="Demo Developer" -c user.email=dev@example.com commit -q -m "Add the order sync service"
  git -C "$w" rm -q --cached .env
  echo ".env" >"$w/.gitignore"
  git -C "$w" add .gitignore
  git -C "$w" -c user.name="Demo Developer" -c user.email=dev@example.com commit -q -m "Stop tracking .env"
  (cd "$w" && "$AKGATE" scan --history --no-color || true)
}
# docs/rules.md: a misspelt rule key, as `akgate rules check` reports it.
sample_rules_check_typo() {
  mkdir -p "$T/rules-check"
  cat >"$T/rules-check/mine.toml" <<'TOML'
[extend]
useDefault = true

[[rules]]
id = "mine"
actoin = "block"
regex = '''mine_[0-9a-f]{32}'''
TOML
  (
    cd "$T/rules-check"
    echo '$ cat mine.toml'
    cat mine.toml
    echo '$ akgate rules check mine.toml'
    "$AKGATE" rules check mine.toml 2>&1 || true
  )
}

# --- comparison -------------------------------------------------------------------------

# compare DOC_BLOCK_FILE ACTUAL_FILE: exit 0 when they match (see the header).
compare() {
  python3 - "$1" "$2" <<'PY'
import difflib, re, sys
def norm(line):
    line = re.sub(r"\bin \d+(\.\d+)? ms\b", "in N ms", line)
    line = re.sub(r"用时 \d+(\.\d+)? ms", "用时 N ms", line)
    line = re.sub(r'"duration_ms": [0-9.e+-]+', '"duration_ms": N', line)
    return line.rstrip()
doc = [norm(l) for l in open(sys.argv[1], encoding="utf-8").read().splitlines()]
actual = [norm(l) for l in open(sys.argv[2], encoding="utf-8", errors="replace").read().splitlines()]
pattern = ""
for line in doc:
    if re.fullmatch(r"(remote:)?\s*\.\.\.", line):
        pattern += r"(?:[^\n]*\n)*?"
    else:
        pattern += re.escape(line) + r"\n"
if re.fullmatch(pattern, "".join(l + "\n" for l in actual)):
    sys.exit(0)
print("\n".join(difflib.unified_diff(doc, actual, "the doc", "the program", lineterm="")))
sys.exit(1)
PY
}

# Every marked block of every doc, in order (the demo's two pushes depend on it).
found=0
for doc in "$root/README.md" "$root"/docs/*.md "$root/install/README.md"; do
  rel="${doc#"$root"/}"
  while IFS=$'\t' read -r name start; do
    found=$((found + 1))
    fn="sample_${name//-/_}"
    if ! declare -F "$fn" >/dev/null; then
      fail "$rel:$start: sample '$name' has a generator" "no function $fn in $0"
      continue
    fi
    awk -v s="$start" 'NR > s && /^```/ { if (open) exit; open = 1; next } open' "$doc" >"$T/doc.txt"
    rc=0
    "$fn" >"$T/actual.txt" 2>&1 </dev/null || rc=$?  # stdin is the list of samples: not theirs
    out="" err=""
    if diff_text="$(compare "$T/doc.txt" "$T/actual.txt")"; then
      pass "$rel:$start: sample '$name' is what the program prints"
    else
      fail "$rel:$start: sample '$name' is what the program prints" "$diff_text"
    fi
  done < <(grep -n '<!-- sample: [a-z0-9-]* -->' "$doc" | sed -E 's/^([0-9]+):.*<!-- sample: ([a-z0-9-]+) -->.*/\2\t\1/')
done
check "the docs mark their samples" test "$found" -ge 2

finish
