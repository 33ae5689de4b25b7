#!/usr/bin/env bash
# Defence in depth: a pushed object that cannot be read as what it claims to
# be is a failure to check (on_error), never skipped as "binary" and never
# accepted. git checks every object on arrival, so only corruption on disk
# makes one: here a loose blob holding a pair is rewritten with a header
# declaring 20 more bytes than it holds (libgit2 1.5 read it padded with
# NULs, and the hook skipped it as binary and accepted the push), then with
# one byte changed, and `akgate pre-receive` runs on the repository.
#
#   AKGATE=build/akgate bash tests/hook/corrupt_object_test.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
commit_file "$work" app.ini "$(alibaba_pair)" "Add config"
without_hook "$server" git -C "$work" push -q origin main:refs/heads/staging
old="$(git -C "$server" rev-parse main)"
new="$(git -C "$server" rev-parse staging)"
blob="$(git -C "$server" rev-parse staging:app.ini)"
git -C "$server" update-ref -d refs/heads/staging
printf '%s %s refs/heads/main\n' "$old" "$new" >"$TEST_TMP/stdin"
loose="$server/objects/${blob:0:2}/${blob:2}"
check "the pushed blob is a loose object" test -f "$loose"

rewrite() {  # rewrite EXTRA_DECLARED FIRST_BYTE: the blob's loose file re-deflated
  python3 - "$loose" "$1" "$2" <<'PY'
import os, sys, zlib
path, extra, first = sys.argv[1], int(sys.argv[2]), sys.argv[3]
raw = zlib.decompress(open(path, "rb").read())
body = raw[raw.index(b"\0") + 1:]
if first: body = first.encode() + body[1:]
os.chmod(path, 0o644)
open(path, "wb").write(zlib.compress(b"blob %d\0" % (len(body) + extra) + body))
PY
}
hook() { run_stdin "$TEST_TMP/stdin" env GIT_DIR="$server" "$AKGATE" pre-receive; }

hook
expect_rc "intact, the pair is rejected" 1

rewrite 20 ""
hook
expect_rc "a blob declaring more than it holds: the push is refused" 1
check "... as a failure to check, naming the object" \
  contains_all "$err" "could not be checked" "$blob" "declares a blob of"
check "... never as a skipped binary file" lacks "$err" "binary"
check "... audited as an error" test "$(audit_field 'a["cause"]')" = "error"

rewrite 0 "#"
hook
expect_rc "a blob whose content does not hash to its name: refused" 1
check "... saying so" contains "$err" "does not hash to its name"

write_policy '[limits]' 'on_error = "allow"'
hook
expect_rc 'with on_error = "allow" it is let in, as that policy says' 0
check "... and says it was not checked" contains "$err" "WITHOUT A COMPLETE CHECK"
write_policy

finish
