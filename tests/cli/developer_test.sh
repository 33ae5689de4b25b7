#!/usr/bin/env bash
# The developer's side (docs/developer.md), with real git in temporary
# repositories: `akgate scan --staged` (the index, not the work tree; a staged
# file deleted from the work tree), commit ranges, repository-aware file
# scans (an ignored .env), the client hooks refusing a real `git commit` and
# `git push` (chaining an existing hook, idempotent, uninstalled; akgate not
# found), the pre-commit framework, and baselines (a broken one, another key,
# stale entries). Every key is random per run and never printed in full.
#
#   AKGATE=build/akgate bash tests/cli/developer_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

T="$TEST_TMP"
export XDG_CONFIG_HOME="$T/config" AKGATE_CACHE_DIR="$T/cache"
unset AKGATE_FINGERPRINT_KEY GIT_INDEX_FILE
# shellcheck source=tests/lib/hermetic_git.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"
hermetic_git "$T/home" Dev dev@example.com

ID="LTAI5t$(random_alnum 18)"
SECRET="$(random_alnum 30)"
pair() { printf '[prod]\naccess_key_id = "%s"\naccess_key_secret = "%s"\n' "$ID" "$SECRET"; }
never_in_full() { lacks "$out$err" "$SECRET" && lacks "$out$err" "$ID"; }

W="$T/app"
git init -q "$W"
cd "$W"
printf 'hello\n' >README && git add README && git commit -qm start

# --- --staged: the index, line numbers of the staged content ------------------
run "$AKGATE" scan --staged --no-color
expect_rc "nothing staged: exit 0" 0
mkdir conf && { printf '# settings\n'; pair; } >conf/app.ini && git add conf/app.ini
# The work tree moves on after `git add`: the staged version is what counts.
{ printf '\n\n\n\n\n'; cat conf/app.ini; } >conf/app.tmp && mv conf/app.tmp conf/app.ini
run "$AKGATE" scan --staged --no-color
expect_rc "a staged pair: exit 1" 1
check "the staged file and the staged line (3, not the work tree's 8)" contains "$out" "conf/app.ini:3"
check "it names the pair" contains "$out" "Alibaba Cloud AccessKey pair"
check "--staged never prints the secret" never_in_full
run "$AKGATE" scan --staged --format json
check "--staged JSON: one blocking finding" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert [f["action"] for f in j["findings"]] == ["block"], j["findings"]
assert j["findings"][0]["path"] == "conf/app.ini" and j["findings"][0]["line"] == 3, j["findings"][0]
' "$out"
rm conf/app.ini
run "$AKGATE" scan --staged --no-color
expect_rc "a staged file deleted from the work tree is still checked: exit 1" 1
check "... and named" contains "$out" "conf/app.ini:3"
git checkout -q -- conf/app.ini 2>/dev/null || git show :conf/app.ini >conf/app.ini

# A mark passes locally, and says the server may not agree.
git reset -q
printf 'key = "%s"  # akgate:allow\nsecret = "%s" # akgate:allow\n' "$ID" "$SECRET" >marked.py && git add marked.py
run "$AKGATE" scan --staged --no-color
expect_rc "an akgate:allow line passes locally: exit 0" 0
check "... said to pass here only, the server may refuse" contains "$err" "passes here only because of an akgate:allow mark; the server may refuse"
git reset -q && rm marked.py

# Already committed: not what this commit introduces.
git add conf/app.ini && git commit -qm "add config" && printf 'more\n' >>README && git add README
run "$AKGATE" scan --staged --no-color
expect_rc "a secret already in HEAD is not this commit's: exit 0" 0
git commit -qm "readme"

# --- ranges: what a push would send, reported as the hook reports it ---------
run "$AKGATE" scan --no-color HEAD~2..HEAD
expect_rc "A..B with the pair: exit 1" 1
check "the hook's report: push REJECTED, the commit, the path" \
  contains_all "$out" "push REJECTED" "add config" "conf/app.ini:3"
check "the range never prints the secret" never_in_full
check "... and says its fingerprints are this machine's, not the server's" contains "$err" "made with this machine's key"
run "$AKGATE" scan --no-color --since HEAD~1
expect_rc "--since HEAD~1 (only the readme commit): exit 0" 0
check "... and says what it checked" contains "$out" "push accepted"
run "$AKGATE" scan --no-color HEAD~2...HEAD
expect_rc "A...B is refused: exit 2" 2
check "... saying why" contains "$err" "A...B is not what a push sends"
run "$AKGATE" scan --no-color --since no-such-rev
expect_rc "an unknown revision: exit 2" 2
check "... named" contains "$err" "no-such-rev"
run "$AKGATE" scan --since HEAD~2 --format json
check "range JSON: the audit record's form, decision reject" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert j["decision"] == "reject" and j["findings"][0]["path"] == "conf/app.ini", j
' "$out"

# --- repository-aware file scans -----------------------------------------------
git rm -q --cached conf/app.ini && printf 'conf/\n.env\n' >.gitignore && git add .gitignore && git commit -qm ignore
pair >.env
run "$AKGATE" scan --no-color .
expect_rc "ignored .env and conf/: not scanned, exit 0" 0
check "... not named" lacks "$out" ".env"
run "$AKGATE" scan --no-color --all-files .
expect_rc "--all-files scans the ignored files: exit 1" 1
check "... and names .env" contains "$out" ".env:2"
run "$AKGATE" scan --no-color .env
expect_rc "an ignored file named on the command line is scanned: exit 1" 1
pair >untracked.ini
run "$AKGATE" scan --no-color .
expect_rc "an untracked file that is not ignored is scanned: exit 1" 1
check "... named" contains "$out" "untracked.ini:2"
rm untracked.ini
# git cannot list (here a damaged index): every file is scanned, and said.
git init -q "$T/damaged" && pair >"$T/damaged/.env" && printf '.env\n' >"$T/damaged/.gitignore" &&
  printf 'garbage' >"$T/damaged/.git/index"
run "$AKGATE" scan --no-color "$T/damaged"
expect_rc "git cannot list the directory: every file scanned, exit 1" 1
check "... said on stderr" contains "$err" "is scanned"

# --- baseline --------------------------------------------------------------------
run "$AKGATE" baseline --all-files -o "$T/baseline.json" .
expect_rc "akgate baseline: exit 0" 0
check "the baseline holds fingerprints, rules, paths, no secret" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["akgate_baseline"] == 1 and len(j["fingerprint_key"]) == 16, j
paths = sorted(f["path"] for f in j["findings"])
assert paths == [".env", "conf/app.ini"], paths
assert all(len(f["fingerprint"]) == 16 and f["rule"] == "alibaba-accesskey-pair" for f in j["findings"]), j
assert sys.argv[2] not in open(sys.argv[1]).read() and sys.argv[3] not in open(sys.argv[1]).read()
' "$T/baseline.json" "$SECRET" "$ID"
run "$AKGATE" scan --no-color --all-files --baseline "$T/baseline.json" .
expect_rc "everything in the baseline: exit 0" 0
check "... said to pass here only" contains "$err" "2 findings pass here only because of the baseline"
pair >copy.ini
run "$AKGATE" scan --no-color --all-files --baseline "$T/baseline.json" .
expect_rc "the same secret in a new file is new: exit 1" 1
check "... only it is reported" contains "$out" "copy.ini"
check "... not the baselined ones" lacks "$out" ".env:2"
rm copy.ini .env
run "$AKGATE" scan --no-color --all-files --baseline "$T/baseline.json" .
check "a fixed finding: its entry is listed as stale" contains_all "$err" "no longer found" ".env"
printf '{"akgate_baseline": 1, "findings": [' >"$T/broken.json"
run "$AKGATE" scan --baseline "$T/broken.json" .
expect_rc "a broken baseline: exit 2" 2
check "... named, and what is wrong" contains "$err" "baseline $T/broken.json: not valid JSON"
printf '{"akgate_baseline": 1, "fingerprint_key": "0123456789abcdef", "findings": []}' >"$T/other-key.json"
run "$AKGATE" scan --baseline "$T/other-key.json" .
expect_rc "a baseline made with another key: exit 2" 2
check "... says so" contains "$err" "made with another fingerprint key"
truncate -s 65M "$T/huge.json"
run "$AKGATE" scan --baseline "$T/huge.json" .
expect_rc "a 65 MiB baseline: exit 2, not read into memory" 2
check "... said" contains "$err" "larger than 64 MiB"
run "$AKGATE" scan --staged --baseline "$T/missing.json"
expect_rc "a missing baseline: exit 2" 2

# --- client hooks: a real commit and push ---------------------------------------
cd "$T" && git init -q clone && cd clone
printf 'x\n' >README && git add README && git commit -qm start
printf '#!/bin/sh\necho ran >>"%s/old-hook.log"\n' "$T" >.git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
run "$AKGATE" install --client
expect_rc "install --client: exit 0" 0
check "... keeps the existing pre-commit hook" contains "$out" "kept as"
run "$AKGATE" install --client .
expect_rc "install --client again: exit 0" 0
check "... the chained hook is still the original" grep -q old-hook.log .git/hooks/pre-commit.akgate-chained
pair >prod.ini && git add prod.ini
run git commit -qm "add prod"
check "git commit with a staged secret is refused" test "$rc" -ne 0
check "... by akgate, naming the file" contains "$out$err" "prod.ini:2"
check "... and the chained hook did not run" test ! -e "$T/old-hook.log"
git reset -q && rm prod.ini && printf 'ok\n' >ok.txt && git add ok.txt
run git commit -qm "clean"
expect_rc "a clean commit goes through" 0
check "... and the chained hook ran" test -s "$T/old-hook.log"

git init -q --bare "$T/remote.git" && git remote add origin "$T/remote.git"
run git push -q origin main
expect_rc "a clean push goes through" 0
pair >prod.ini && git add prod.ini && git commit -q --no-verify -m "prod keys"
run git push origin main
check "git push of a commit with a secret is refused by pre-push" test "$rc" -ne 0
check "... with the hook's report" contains_all "$out$err" "push REJECTED" "prod.ini:2"
check "... and the remote did not get it" test "$(git -C "$T/remote.git" rev-parse main)" = "$(git rev-parse HEAD~1)"
check "the hooks never print the secret" never_in_full

# git commit -a gives the hook its own index ($GIT_INDEX_FILE): what it commits is checked.
git reset -q --hard HEAD~1 && pair >>ok.txt
run git commit -qam "commit -a"
check "git commit -a with a secret in a tracked file is refused" test "$rc" -ne 0
check "... naming it" contains "$out$err" "ok.txt:"
git checkout -q -- ok.txt
# A pair split across two staged files blocks, as on the server.
printf 'access_key_id = "%s"\n' "$ID" >id.ini && printf 'access_key_secret = "%s"\n' "$SECRET" >secret.ini
git add id.ini secret.ini
run "$AKGATE" scan --staged --no-color
expect_rc "a pair split across two staged files: exit 1" 1
git reset -q && rm id.ini secret.ini

run "$AKGATE" uninstall --client
expect_rc "uninstall --client: exit 0" 0
check "... puts the original pre-commit hook back" grep -q old-hook.log .git/hooks/pre-commit
check "... and removes pre-push" test ! -e .git/hooks/pre-push

# A hook whose akgate is gone: the commit is refused, and says why.
run "$AKGATE" install --client --akgate /nonexistent/akgate
printf 'y\n' >>ok.txt && git add ok.txt
PATH=/usr/bin:/bin run git commit -qm "no akgate"
check "akgate not found: the commit is refused" test "$rc" -ne 0
check "... saying where it looked and what to do" contains_all "$err" "akgate is not at" "--no-verify"
"$AKGATE" uninstall --client >/dev/null

# --- the pre-commit framework (language: system, no network) --------------------
if command -v pre-commit >/dev/null 2>&1; then
  export PRE_COMMIT_HOME="$T/pre-commit-home"
  hooks_repo="$T/hooks-repo"
  git init -q "$hooks_repo" && cp "$ROOT/.pre-commit-hooks.yaml" "$hooks_repo/" &&
    git -C "$hooks_repo" add .pre-commit-hooks.yaml && git -C "$hooks_repo" commit -qm hooks
  cd "$T" && git init -q fw && cd fw && printf 'x\n' >README && git add README && git commit -qm start
  pair >leak.ini && git add leak.ini
  PATH="$(dirname "$AKGATE"):$PATH" run pre-commit try-repo "$hooks_repo" akgate
  check "pre-commit try-repo: a staged secret fails the akgate hook" test "$rc" -ne 0
  check "... with akgate's report" contains "$out" "leak.ini:2"
  git rm -q --cached leak.ini && rm leak.ini && printf 'fine\n' >fine.txt && git add fine.txt
  PATH="$(dirname "$AKGATE"):$PATH" run pre-commit try-repo "$hooks_repo" akgate
  expect_rc "pre-commit try-repo: clean staged changes pass" 0
  git commit -qm fine && pair >leak.ini && git add leak.ini && git commit -qm "leak" && printf 'z\n' >z && git add z &&
    git commit -qm after
  PATH="$(dirname "$AKGATE"):$PATH" run pre-commit try-repo "$hooks_repo" akgate-push --hook-stage push \
    --from-ref HEAD~2 --to-ref HEAD
  check "pre-commit try-repo, push stage: a pushed secret fails akgate-push" test "$rc" -ne 0
  check "... with the hook's report" contains_all "$out" "push REJECTED" "leak.ini:2"
  PATH="$(dirname "$AKGATE"):$PATH" run pre-commit try-repo "$hooks_repo" akgate-push --hook-stage push \
    --from-ref HEAD~1 --to-ref HEAD
  expect_rc "pre-commit try-repo, push stage: a clean range passes" 0
else
  skip "the pre-commit framework" "pre-commit is not installed (bash install/deps.sh test)"
fi

# --- hostile input on the pre-push path ------------------------------------------
cd "$W"
printf 'refs/heads/main not-an-id refs/heads/main 0000\n' >"$T/bad-pre-push"
run_stdin "$T/bad-pre-push" "$AKGATE" scan --pre-push origin
expect_rc "malformed pre-push lines: exit 2" 2
check "... naming the line and what is wrong" contains "$err" "pre-push input line 1: object ids must be 40"
printf 'refs/heads/main %s refs/heads/main %s\n' "$(git rev-parse HEAD)" "$(printf '0%.0s' {1..40})" >"$T/new-branch"
run_stdin "$T/new-branch" "$AKGATE" scan --no-color --pre-push nowhere
expect_rc "a new branch to a remote with nothing: the whole history, which holds the pair: exit 1" 1

# --- --global: a core.hooksPath for every repository -----------------------------
cd "$T" && git init -q gclone && cd gclone && printf 'x\n' >README && git add README && git commit -qm start
printf '#!/bin/sh\necho own >>"%s/own-hook.log"\n' "$T" >.git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
run "$AKGATE" install --client --global
expect_rc "install --client --global: exit 0" 0
check "... sets core.hooksPath in ~/.gitconfig" test "$(git config --global core.hooksPath)" = "$XDG_CONFIG_HOME/akgate/hooks"
pair >g.ini && git add g.ini
run git commit -qm "global"
check "the global pre-commit hook refuses a staged secret" test "$rc" -ne 0
check "... naming it" contains "$out$err" "g.ini:2"
git rm -q --cached g.ini && printf 'y\n' >>README && git add README
run git commit -qm "clean"
expect_rc "a clean commit goes through the global hook" 0
check "... which also ran the repository's own hook" test -s "$T/own-hook.log"
run "$AKGATE" install --client
expect_rc "a clone under a core.hooksPath: install --client refuses" 2
check "... and says why" contains "$err" "core.hooksPath is set"
run "$AKGATE" uninstall --client --global
expect_rc "uninstall --client --global: exit 0" 0
check "... unsets core.hooksPath" test -z "$(git config --global core.hooksPath || true)"

finish
