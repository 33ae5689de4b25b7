#!/usr/bin/env bash
# `akgate pre-receive` behind a real git push over file://: what is scanned
# (exactly what the push introduces) and what the pusher sees.
#
#   AKGATE=build/akgate bash tests/hook/pre_receive_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
base="$(git -C "$work" rev-parse HEAD)"

# --- each default provider's pair blocks ---------------------------------------
check_blocks() {  # check_blocks NAME FILE CONTENT TITLE
  local name="$1" file="$2" content="$3" title="$4"
  commit_file "$work" "$file" "$content" "Add $file"
  push "$work" origin main
  if [[ "$rc" != 0 ]] && contains "$err" "$title" && contains "$err" "pre-receive hook declined" &&
     [[ "$(server_ref "$server" main)" == "$base" ]]; then
    pass "$name blocks"
  else
    fail "$name blocks" "expected a rejection naming \"$title\""
  fi
  # Back to the base on both sides, so that one miss stays one failure.
  git -C "$server" update-ref refs/heads/main "$base"
  git -C "$work" reset -q --hard "$base"
}
check_blocks "Alibaba Cloud AccessKey pair" conf/app.ini "$(alibaba_pair)" "Alibaba Cloud AccessKey pair"
check_blocks "Alibaba Cloud legacy pair" .env "$(alibaba_legacy_pair)" "Alibaba Cloud AccessKey pair (legacy"
check_blocks "Alibaba Cloud STS credentials" sts.yml "$(alibaba_sts)" "Alibaba Cloud STS credentials"
check_blocks "AWS access key pair" aws/credentials "$(aws_pair)" "AWS access key pair"
check_blocks "Tencent Cloud key pair" tc.yml "$(tencent_pair)" "Tencent Cloud API key pair"
check_blocks "Huawei Cloud key pair" hw.env "$(huawei_pair)" "Huawei Cloud access key pair"
check_blocks "Volcengine key pair" volc.env "$(volcengine_pair)" "Volcengine AccessKey pair"
check_blocks "Google Cloud service account key" sa.json "$(gcp_service_account)" "Google Cloud service account key"
check_blocks "Stripe live key" stripe.env "$(stripe_key)" "Stripe live"

# --- the report reads like a push-protection report -----------------------------
commit_file "$work" config/prod.ini "$(alibaba_pair)" "Add production config"
bad="$(git -C "$work" rev-parse --short=10 HEAD)"
push "$work" origin main
check "report: verdict line" grep -q "remote: akgate: push REJECTED: 1 secret found" <<<"$err"
check "report: commit, author and subject" grep -q "commit $bad by Test Pusher <pusher@example.com>: \"Add production config\"" <<<"$err"
check "report: path:line of each part, redacted" grep -qE "config/prod.ini:2 +AccessKey secret +[A-Za-z0-9]{4}…" <<<"$err"
check "report: the secret never in full" lacks "$err" "$(sed -n 's/access_key_secret = //p' "$work/config/prod.ini")"
check "report: how to remove it" grep -q "git commit --amend" <<<"$err"
check "report: rotate at the RAM console" grep -q "RAM console" <<<"$err"
check "report: how to push a false positive" grep -q "git push -o akgate.allow=$(first_fingerprint)" <<<"$err"
check "report: lines under 100 characters, remote: included" awk 'length($0) >= 100 { exit 1 }' <<<"$(remote_lines)"
check "audit: one line for the rejection" test "$(audit_field 'a["decision"], a["findings"][0]["path"], a["commits"]')" = "reject config/prod.ini 1"
check "audit: no secret in the log" lacks "$(cat "$AUDIT_LOG")" "$(sed -n 's/access_key_secret = //p' "$work/config/prod.ini")"
git -C "$work" reset -q --hard "$base"

# --- a clean push is accepted ----------------------------------------------------
commit_file "$work" src/app.py 'import os
key_id = os.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
' "Read keys from the environment"
push "$work" origin main
expect_rc "clean push accepted" 0
check "clean push: one summary line" grep -q "remote: akgate: push accepted: checked 1 new commit, 1 file" <<<"$err"
check "clean push: ref updated" test "$(server_ref "$server" main)" = "$(git -C "$work" rev-parse HEAD)"
base="$(git -C "$work" rev-parse HEAD)"

# --- history: new branch from an old base, force push, deletion ------------------
# A secret already in the server's history (pushed before akgate was installed).
commit_file "$work" legacy/old.ini "$(alibaba_pair)" "Old secret, before akgate"
without_hook "$server" git -C "$work" push -q origin main
old_secret="$(git -C "$work" rev-parse HEAD)"
commit_file "$work" docs/a.md "hello" "Docs"
without_hook "$server" git -C "$work" push -q origin main

git -C "$work" checkout -q -b feature "$old_secret"
commit_file "$work" feature.txt "feature work" "Feature"
push "$work" origin feature
expect_rc "new branch from an old base: accepted" 0
check "new branch from an old base: only its own commit scanned" grep -q "checked 1 new commit, 1 file" <<<"$err"

git -C "$work" checkout -q main
git -C "$work" reset -q --hard "$base"
commit_file "$work" rewritten.txt "rewritten" "Rewrite history"
push "$work" --force origin main
expect_rc "force push: accepted" 0
check "force push: overwritten commits not scanned" grep -q "checked 1 new commit, 1 file" <<<"$err"

push "$work" origin :feature
expect_rc "deletion: accepted" 0
check "deletion: branch gone" test "$(server_ref "$server" refs/heads/feature)" = none
check "deletion: audited" test "$(audit_field 'a["refs"][0]["new"]')" = "0000000000000000000000000000000000000000"
base="$(git -C "$work" rev-parse HEAD)"

# --- tags -------------------------------------------------------------------------
git -C "$work" tag light "$base"
push "$work" origin light
expect_rc "lightweight tag at an existing commit: accepted" 0
check "lightweight tag: nothing new to scan" grep -q "checked 0 new commits" <<<"$err"

git -C "$work" tag -a v1.0 -m "Release 1.0
$(alibaba_pair)" "$base"
push "$work" origin v1.0
expect_rc "annotated tag with a key in its message: rejected" 1
check "annotated tag: the report names the tag message" grep -q "in the message of tag refs/tags/v1.0" <<<"$err"
check "annotated tag: tag not created" test "$(server_ref "$server" refs/tags/v1.0)" = none
git -C "$work" tag -d v1.0 >/dev/null
git -C "$work" tag -a v1.1 -m "Release 1.1" "$base"
push "$work" origin v1.1
expect_rc "annotated tag with a clean message: accepted" 0

git -C "$work" checkout -q -b tagged "$base"
commit_file "$work" secret.ini "$(aws_pair)" "Tagged secret"
git -C "$work" tag light-secret
git -C "$work" checkout -q main
push "$work" origin light-secret
expect_rc "lightweight tag at a new commit with a key: rejected" 1

# --- merges -----------------------------------------------------------------------
git -C "$work" checkout -q -b side "$base"
commit_file "$work" side/key.ini "$(alibaba_pair)" "Side adds a key"
side_commit="$(git -C "$work" rev-parse --short=10 HEAD)"
git -C "$work" checkout -q main
commit_file "$work" main.txt "main work" "Main work"
git -C "$work" merge -q --no-edit side
push "$work" origin main
expect_rc "merge with a key only on one side: rejected" 1
check "merge: the key is reported at the side's commit" grep -q "commit $side_commit" <<<"$err"
check "merge: reported once" grep -q "1 secret found" <<<"$err"
git -C "$work" reset -q --hard "$base"

# --- added then removed in the same push ------------------------------------------
commit_file "$work" oops.ini "$(alibaba_pair)" "Oops"
oops="$(git -C "$work" rev-parse --short=10 HEAD)"
git -C "$work" rm -q oops.ini
git -C "$work" commit -q -m "Remove the key again"
push "$work" origin main
expect_rc "secret added then removed in the same push: rejected" 1
check "added then removed: names the commit and the rebase to fix it" grep -q "git rebase -i $oops^" <<<"$err"
git -C "$work" reset -q --hard "$base"

# --- pre-existing secrets do not block --------------------------------------------
git -C "$work" checkout -q main
commit_file "$work" conf/existing.ini "$(alibaba_pair)" "Existing secret"
without_hook "$server" git -C "$work" push -q origin main
printf '# a comment\n%s\nmore = 1\n' "$(cat "$work/conf/existing.ini")" >"$work/conf/existing.ini"
git -C "$work" commit -q -am "Edit a file that already had a key"
push "$work" origin main
expect_rc "pre-existing secret in an edited file: accepted" 0
check "pre-existing: mentioned, not counted" grep -q "1 secret was already in these files" <<<"$err"
printf 'extra = 2\n' >>"$work/conf/existing.ini"
git -C "$work" commit -q -am "Edit again"
push "$work" -o akgate.verbose origin main
check "pre-existing: listed with -o akgate.verbose" grep -q "Already present before this push" <<<"$err"
base="$(git -C "$work" rev-parse HEAD)"

# --- several refs in one push, one dirty: all rejected ----------------------------
git -C "$work" checkout -q -b clean-branch "$base"
commit_file "$work" clean.txt "clean" "Clean"
git -C "$work" checkout -q -b dirty-branch "$base"
commit_file "$work" dirty.ini "$(tencent_pair)" "Dirty"
git -C "$work" checkout -q main
push "$work" origin clean-branch dirty-branch
expect_rc "several refs, one dirty: push rejected" 1
check "several refs: the clean one is rejected too" test "$(server_ref "$server" refs/heads/clean-branch)" = none
check "several refs: both reported as declined" test "$(grep -c 'pre-receive hook declined' <<<"$err")" = 2
check "several refs: audited together" test "$(audit_field 'len(a["refs"])')" = 2

# --- loose and packed quarantine ---------------------------------------------------
for limit in 10000 1; do
  kind=$([[ "$limit" == 1 ]] && echo packed || echo loose)
  q="$(new_server "quarantine-$kind.git")"
  git -C "$q" config receive.unpackLimit "$limit"
  # Record what the quarantine holds, then run the hook.
  printf '#!/bin/sh\n(cd "$GIT_QUARANTINE_PATH" && find . -type f) >"%s/q-%s.txt"\nexec "%s" pre-receive\n' \
    "$TEST_TMP" "$kind" "$AKGATE" >"$q/hooks/pre-receive"
  qw="$(new_clone "$q" "qwork-$kind")"
  for i in 1 2 3; do commit_file "$qw" "f$i.txt" "file $i $(random_alnum 20)" "Commit $i"; done
  commit_file "$qw" "keys/$kind.ini" "$(alibaba_pair)" "Key"
  push "$qw" origin main
  expect_rc "$kind quarantine: key found and rejected" 1
  if [[ "$kind" == packed ]]; then
    check "packed quarantine: objects arrived as a pack" grep -q '^./pack/pack-.*\.pack$' "$TEST_TMP/q-$kind.txt"
  else
    check "loose quarantine: objects arrived loose" grep -qE '^\./[0-9a-f]{2}/[0-9a-f]{38}$' "$TEST_TMP/q-$kind.txt"
  fi
  git -C "$qw" reset -q --hard HEAD~1
  push "$qw" origin main
  expect_rc "$kind quarantine: clean commits accepted" 0
done

# --- binary and huge blobs are skipped and counted ---------------------------------
write_policy '[limits]' 'max_file_size = "64 KiB"'
{ printf '\x89PNG\r\n\x1a\n\0\0\0'; alibaba_pair; } >"$work/record.raw"
{ alibaba_pair; head -c 200000 /dev/zero | tr '\0' 'a'; } >"$work/dump.sql"
git -C "$work" add record.raw dump.sql
git -C "$work" commit -q -m "Binary and huge files"
push "$work" origin main
expect_rc "binary and oversize files: not scanned (engine policy), push accepted" 0
check "skipped files are counted in the report" grep -q "Not scanned: 2 files (binary 1, oversize 1)" <<<"$err"
check "skipped files are named" grep -q "dump.sql (oversize" <<<"$err"
check "skipped files are audited" test "$(audit_field 'a["skipped"]["binary"], a["skipped"]["oversize"]')" = "1 1"
write_policy

# --- repository paths with spaces and ':' ------------------------------------------
odd_dir="$TEST_TMP/dir with space"
mkdir -p "$odd_dir"
odd="$(new_server "odd:name repo.git" "$odd_dir")"
ow="$(new_clone "$odd" odd-work)"
commit_file "$ow" creds.ini "$(alibaba_pair)" "Key in an odd path"
push "$ow" origin main
expect_rc "path with spaces and ':': key found and rejected" 1
check "path with spaces and ':': report shown" grep -q "push REJECTED" <<<"$err"
check "path with spaces and ':': audited with its path" test "$(audit_field 'a["repo"]')" = "$odd"
git -C "$ow" reset -q --hard HEAD~1
commit_file "$ow" ok.txt "fine" "Clean"
push "$ow" origin main
expect_rc "path with spaces and ':': clean push accepted" 0

finish
