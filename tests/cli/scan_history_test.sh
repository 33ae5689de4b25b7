#!/usr/bin/env bash
# `akgate scan --history` on repositories made by real git: what leaked, where
# it entered and where it still is; a server's directory of bare
# repositories with a broken one among them; a partial (blob:none) and a
# shallow clone; objects no ref reaches; the three report formats; hostile
# commit subjects; the secret never printed. Every key is random per run.
#
#   AKGATE=build/akgate bash tests/cli/scan_history_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

T="$TEST_TMP"
export XDG_CONFIG_HOME="$T/config"
unset AKGATE_FINGERPRINT_KEY
# shellcheck source=tests/lib/hermetic_git.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"
hermetic_git "$T/home" Alice alice@example.com

ID="LTAI5t$(random_alnum 18)"
SECRET="$(random_alnum 30)"
pair() { printf '[prod]\naccess_key_id = "%s"\n\n\n\n\n\n\n\naccess_key_secret = "%s"\n' "$ID" "$SECRET"; }

# --- a work tree: the key added, edited, removed on main, kept on a branch ---
W="$T/app"
git init -q "$W"
(
  cd "$W"
  printf 'hello\n' >README && git add README && GIT_AUTHOR_DATE='2024-03-01T10:00:00+08:00' git commit -qm "start"
  mkdir conf && pair >conf/app.ini && git add conf &&
    GIT_AUTHOR_DATE='2024-03-02T10:00:00+08:00' git commit -qm "Add OSS upload config"
  printf '# edited\n' >>conf/app.ini && git commit -qam "tune"
  git checkout -qb release && git checkout -q main
  git rm -q conf/app.ini && git commit -qm "remove the key"
  git tag -a v1 -m "first release" release
)
first="$(git -C "$W" rev-parse main~2)"

run "$AKGATE" scan --history --no-color "$W"
expect_rc "a leaked pair in history: exit 1" 1
check "it names the pair" contains "$out" "Alibaba Cloud AccessKey pair"
check "the commit that introduced it, its author, date and subject" \
  contains_all "$out" "introduced 2024-03-02 in commit ${first:0:10} by Alice <alice@example.com>" "Add OSS upload"
check "the path and lines of both halves" contains_all "$out" "conf/app.ini:2:" "conf/app.ini:10:"
check "its spread and the refs that reach it" contains "$out" "in 2 blobs, 2 commits, 1 path; reachable from main, release, v1"
check "the branch whose tip still holds it" contains "$out" "still in conf/app.ini on release"
check "the advice: rotate" contains "$out" "rotate it at the provider"
check "the summary counts commits and blobs" contains "$out" "Scanned 1 repository: 4 commits"
check "the secret never in full" lacks "$out$err" "$SECRET"
check "the ID never in full" lacks "$out$err" "$ID"
check "no progress line when stderr is not a terminal" test -z "$err"

# Run from inside the work tree, with no path: the current repository.
(cd "$W/conf" 2>/dev/null || cd "$W"; "$AKGATE" scan --history --no-color >"$T/cwd.out" 2>&1) && rc=0 || rc=$?
check "no path: the repository of the current directory" grep -q "Alibaba Cloud AccessKey pair" "$T/cwd.out"

run "$AKGATE" scan --history --lang zh-CN --no-color "$W"
check "the report in Chinese" contains_all "$out" "引入于" "仍在 release 的 conf/app.ini 中"

# --- JSON and SARIF ---
run "$AKGATE" scan --history -f json "$W"
expect_rc "JSON: exit 1" 1
check "JSON: parses, one finding with its commit, spread, refs and tips" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
r = j["repositories"][0]
f = r["findings"][0]
assert r["error"] is None
assert f["rule"] == "alibaba-accesskey-pair", f["rule"]
assert f["commit"]["id"] == sys.argv[2]
assert f["commit"]["date"] == "2024-03-02T10:00:00+08:00", f["commit"]["date"]
assert f["occurrences"] == {"blobs": 2, "commits": 2, "paths": 1}, f["occurrences"]
assert f["reachable_from"] == ["refs/heads/main", "refs/heads/release", "refs/tags/v1"], f["reachable_from"]
assert f["in_tips"] == [{"ref": "refs/heads/release", "path": "conf/app.ini"}], f["in_tips"]
assert f["in_history_only"] is False
assert j["summary"]["findings"]["block"] == 1
' "$out" "$first"
check "JSON: the secret never in full" lacks "$out" "$SECRET"

run "$AKGATE" scan --history -f sarif "$W"
check "SARIF: one run per repository, the result with its commit and provenance" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert j["version"] == "2.1.0"
run = j["runs"][0]
res = run["results"][0]
assert res["level"] == "error"
assert res["properties"]["commit"] == sys.argv[2]
assert res["properties"]["reachableFrom"]
assert run["versionControlProvenance"][0]["repositoryUri"].startswith("file://")
assert run["invocations"][0]["executionSuccessful"] is True
' "$out" "$first"

# --- a server's directory: bare repositories, one broken, one clean ---
S="$T/srv/git"
mkdir -p "$S/team" "$S/@hashed/ab/cd"
git clone -q --bare "$W" "$S/team/app.git"
git init -q --bare "$S/@hashed/ab/cd/clean.git"
git -C "$S/team/app.git" push -q "$S/@hashed/ab/cd/clean.git" "$(git -C "$W" rev-parse main~3):refs/heads/old"
git init -q --bare "$S/team/empty.git"
git init -q --bare "$S/team/broken.git"
printf 'garbage\n' >"$S/team/broken.git/HEAD"  # git and libgit2 refuse it
mkdir -p "$S/team/notes" && printf 'just a directory\n' >"$S/team/notes/README"

run "$AKGATE" scan --history --no-color "$S"
expect_rc "a directory with a broken repository: exit 2 (an error), after scanning the rest" 2
check "every repository below is reported, in path order" contains_all "$out" \
  "Repository $S/@hashed/ab/cd/clean.git" "Repository $S/team/app.git" "Repository $S/team/broken.git" \
  "Repository $S/team/empty.git"
check "the broken one has a clear error naming it" contains "$err" "cannot scan the history of $S/team/broken.git"
check "the leak in app.git is still reported" contains "$out" "Alibaba Cloud AccessKey pair"
check "the summary counts the repositories" contains "$out" "Scanned 4 repositories"

run "$AKGATE" scan --history -f json "$S"
check "JSON: the broken repository carries its error, the others none" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
errors = {r["path"].split("/")[-1]: r["error"] for r in j["repositories"]}
assert errors["broken.git"], errors
assert errors["app.git"] is None and errors["empty.git"] is None, errors
assert j["summary"]["repositories"] == 4 and j["summary"]["failed"] == 1, j["summary"]
' "$out"

run "$AKGATE" scan --history "$T/nowhere"
expect_rc "a path that does not exist: exit 2" 2
check "it says so" contains "$err" "$T/nowhere"
mkdir -p "$T/plain"
run "$AKGATE" scan --history "$T/plain"
expect_rc "a directory with no repository: exit 2" 2
check "it says no repository is there" contains "$err" "no git repository here or below"

# --- a partial clone (blob:none) and a shallow clone ---
git -C "$S/team/app.git" config uploadpack.allowFilter true
git clone -q --bare --filter=blob:none "file://$S/team/app.git" "$T/partial.git" 2>/dev/null
run "$AKGATE" scan --history --no-color "$T/partial.git"
expect_rc "a partial clone without blobs: no error, nothing found in what is there" 0
check "the absent blobs are counted as skipped" contains "$out" "Not in the object database (a partial or shallow clone), skipped"
check "a partial clone is not called damaged" lacks "$out" "may be damaged"

git clone -q --bare --depth 1 --branch release "file://$S/team/app.git" "$T/shallow.git" 2>/dev/null
run "$AKGATE" scan --history --no-color "$T/shallow.git"
expect_rc "a shallow clone: what it holds is scanned (the key is in its one commit)" 1
check "the shallow commit is where it was introduced" contains "$out" "Alibaba Cloud AccessKey pair"

# A full clone that lost an object is damaged, and says so.
git clone -q --bare --no-local "$S/team/app.git" "$T/damaged.git"  # one pack
lost="$(git -C "$T/damaged.git" rev-parse "$first:conf/app.ini")"
mkdir -p "$T/unpacked"
mv "$T"/damaged.git/objects/pack/* "$T/unpacked/"
git -C "$T/damaged.git" unpack-objects -q <"$(ls "$T"/unpacked/*.pack)"
rm "$T/damaged.git/objects/${lost:0:2}/${lost:2}"
run "$AKGATE" scan --history --no-color "$T/damaged.git"
check "a full clone with an absent object: the scan goes on and calls it damaged" \
  contains_all "$out" "Not in the object database" "may be damaged (run git fsck there)"

# --- an object no ref reaches: --all-objects ---
D="$T/dropped"
git init -q "$D"
(
  cd "$D"
  printf 'x\n' >README && git add README && git commit -qm start
  git checkout -qb wip && pair >secret.ini && git add secret.ini && git commit -qm "wip" && git checkout -q main
  git branch -qD wip && git reflog expire --expire=now --all
)
run "$AKGATE" scan --history --no-color "$D"
expect_rc "a deleted branch's key: not in any ref's history" 0
run "$AKGATE" scan --history --all-objects --no-color "$D"
expect_rc "--all-objects finds it" 1
check "and says no ref reaches it" contains "$out" "which no ref reaches"
run "$AKGATE" scan --all-objects "$D"
expect_rc "--all-objects without --history is an error" 2

# --- a hostile commit subject cannot drive the terminal ---
H="$T/hostile"
git init -q "$H"
(
  cd "$H"
  pair >k.ini && git add k.ini && git commit -qm "$(printf 'evil \033]0;owned\007\033[2J subject')"
)
run "$AKGATE" scan --history --no-color "$H"
check "control characters in a subject are shown as ?" bash -c '! grep -q $'"'"'\033'"'"' <<<"$1" && grep -q "evil ?]0;owned?" <<<"$1"' _ "$out"

finish
