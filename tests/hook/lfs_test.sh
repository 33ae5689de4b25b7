#!/usr/bin/env bash
# Git LFS through the hook: a push of an LFS-tracked file carries only a
# pointer, and git-lfs has put the object in the server's LFS store before
# the push (over file://, in <repo>/lfs/objects). The hook scans that object
# and reports its findings at the pointer's path; a pointer whose object is
# in no store fails the check by default ([lfs] missing = "block") or is
# named as skipped ("warn"); GitLab's storage layout is read from
# [lfs] gitlab_storage; an object that does not hash to its pointer's oid is
# never trusted.
#
#   AKGATE=build/akgate bash tests/hook/lfs_test.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v git-lfs >/dev/null; then
  skip "Git LFS pushes" "git-lfs is not installed (install/deps.sh test)"
  finish
  exit $?
fi
git lfs install --skip-repo >/dev/null

lfs_clone() {  # lfs_clone SERVER NAME: a clone tracking *.env with LFS
  local work
  work="$(new_clone "$1" "$2")"
  git -C "$work" lfs track '*.env' >/dev/null
  git -C "$work" add .gitattributes
  git -C "$work" commit -q -m "Track .env files with LFS"
  without_hook "$1" git -C "$work" push -q origin main
  printf '%s\n' "$work"
}

# 1. The object is in the server's lfs/objects: scanned, reported at the pointer's path.
server="$(new_server plain.git)"
work="$(lfs_clone "$server" plain)"
commit_file "$work" config/prod.env "$(alibaba_pair)" "Add prod settings"
check "git stored a pointer, not the file" grep -q "^version https://git-lfs.github.com/spec/v1" \
  <(git -C "$work" cat-file -p HEAD:config/prod.env)
push "$work" origin main
expect_rc "a pair in an LFS-tracked file is rejected" 1
check "the report names the pointer's path and line" grep -q "config/prod.env:1 " <<<"$err"
check "the object went to the server's LFS store before the push" test -n "$(find "$server/lfs/objects" -type f)"
check "the audit line records the finding at that path" test "$(audit_field 'a["findings"][0]["path"]')" = "config/prod.env"

# 2. A clean LFS file passes.
git -C "$work" reset -q --hard HEAD~1
commit_file "$work" config/dev.env "LOG_LEVEL=debug
" "Add dev settings"
push "$work" origin main
expect_rc "a clean LFS file is accepted" 0

# 3. The object is not on the server (GIT_LFS_SKIP_PUSH: git-lfs uploads nothing).
oid_of() { git -C "$1" cat-file -p "HEAD:$2" | sed -n 's/^oid sha256://p'; }
commit_file "$work" config/stage.env "$(alibaba_pair)" "Add stage settings"
GIT_LFS_SKIP_PUSH=1 push "$work" origin main
expect_rc "by default a pointer whose object is missing is refused" 1
check "... saying which file could not be checked" contains_all "$err" "the Git LFS object of config/stage.env" "LFS store"
write_policy '[lfs]' 'missing = "warn"'
GIT_LFS_SKIP_PUSH=1 push "$work" origin main
expect_rc 'with missing = "warn" it is accepted' 0
check "... and named as skipped, never silently" grep -q "config/stage.env.*lfs-missing\|lfs-missing.*config/stage.env" <<<"$err"
write_policy

# 4. GitLab's storage layout: <storage>/aa/bb/<oid without its first four digits>.
server="$(new_server gitlab.git)"
work="$(lfs_clone "$server" gitlab)"
commit_file "$work" deploy.env "$(alibaba_pair)" "Add deploy settings"
oid="$(oid_of "$work" deploy.env)"
storage="$TEST_TMP/gitlab-lfs-objects"
mkdir -p "$storage/${oid:0:2}/${oid:2:2}"
cp "$work/deploy.env" "$storage/${oid:0:2}/${oid:2:2}/${oid:4}"
write_policy '[lfs]' "gitlab_storage = \"$storage\""
GIT_LFS_SKIP_PUSH=1 push "$work" origin main
expect_rc "a pair in GitLab's LFS storage is rejected" 1
check "... reported at the pointer's path" grep -q "deploy.env:1 " <<<"$err"

# 5. An object that is not what its pointer names is not trusted.
printf 'LOG_LEVEL=info\n' >"$storage/${oid:0:2}/${oid:2:2}/${oid:4}"
truncate -s "$(stat -c %s "$work/deploy.env")" "$storage/${oid:0:2}/${oid:2:2}/${oid:4}"
GIT_LFS_SKIP_PUSH=1 push "$work" origin main
expect_rc "an object that does not hash to its oid fails the check" 1
check "... and the message says so" contains "$err" "does not hash to the oid its pointer names"
write_policy

finish
