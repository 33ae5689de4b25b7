#!/usr/bin/env bash
# The hook over real pushes, against what used to pass it quietly: rule files
# that cannot block (a title only, a zero-byte file, only warn rules) or hold
# a misspelt key, a pair in a UTF-16 .env (PowerShell 5.1's `>`), and pairs
# inside compressed files and archives, including archives that cannot be
# opened (encrypted, corrupt, nested too deep, a bomb).
#
#   AKGATE=build/akgate bash tests/hook/content_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
containers="$(dirname "${BASH_SOURCE[0]}")/../lib/containers.py"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
base="$(git -C "$work" rev-parse HEAD)"

# push_file PATH KIND: commits PATH holding a fresh Alibaba pair (as KIND,
# tests/lib/containers.py; "plain": as it is) and pushes it.
push_file() {
  local path="$1" kind="$2"
  alibaba_pair >"$TEST_TMP/pair.env"
  mkdir -p "$(dirname "$work/$path")"
  if [[ "$kind" == plain ]]; then cp "$TEST_TMP/pair.env" "$work/$path"
  else python3 "$containers" "$kind" "$work/$path" "$TEST_TMP/pair.env"; fi
  git -C "$work" add -- "$path"
  git -C "$work" commit -q -m "Add $path"
  push "$work" origin main
}
reset_work() { git -C "$work" reset -q --hard "$base"; }
# What the hook printed, as one line (the report wraps long messages).
flat() { sed 's/^remote: *//; s/ *$//' <<<"$err" | tr '\n' ' ' | tr -s ' '; }

# --- rule files that cannot block: a configuration error, on_error decides -------------
: >"$TEST_TMP/empty.toml"
printf 'title = "only a title"\n' >"$TEST_TMP/title.toml"
printf '[[rules]]\nid = "mine"\nregex = %s\n' "'''tok_[0-9]{8}'''" >"$TEST_TMP/warn-only.toml"
for f in empty title warn-only; do
  write_policy '[rules]' "files = [\"$TEST_TMP/$f.toml\"]"
  push_file "conf/$f.ini" plain
  expect_rc "rules in $f.toml cannot block: the push with a pair is refused (on_error = block)" 1
  check "$f.toml: the pusher is told the rules cannot block" grep -q "cannot block lets every secret through" <<<"$(flat)"
  check "$f.toml: audited as an error" test "$(audit_field 'a["cause"]')" = error
  reset_work
done
write_policy '[rules]' "files = [\"$TEST_TMP/warn-only.toml\"]" '[rules.actions]' 'mine = "block"'
push_file conf/clean.txt plain
check "the policy's [rules.actions] can make such a file able to block" test "$rc" = 0
reset_work
git -C "$server" update-ref refs/heads/main "$base"

printf '[extend]\nuseDefault = true\n[[rules]]\nid = "mine"\nregex = %s\nactoin = "block"\n' "'''tok_[0-9]{8}'''" \
  >"$TEST_TMP/typo.toml"
write_policy '[rules]' "files = [\"$TEST_TMP/typo.toml\"]"
push_file conf/typo.ini plain
expect_rc "a misspelt rule key: the push is refused" 1
check "the misspelt key is named with its file and line" grep -qF "$TEST_TMP/typo.toml:6: rules[0] (rule 'mine'): unknown key 'actoin'" <<<"$(flat)"
reset_work
write_policy

# --- UTF-16 text -----------------------------------------------------------------------
push_file .env utf16le-bom
expect_rc "a pair in a UTF-16LE .env with BOM (PowerShell 5.1) is refused" 1
check "UTF-16LE: located at .env line 2" grep -q 'remote: *\.env:2 ' <<<"$(remote_lines)"
check "UTF-16LE: the encoding is named" grep -q 'utf-16le-encoded' <<<"$(remote_lines)"
reset_work
push_file config/.env utf16le
expect_rc "a pair in a UTF-16LE .env without BOM is refused" 1
reset_work

# --- compressed files and archives --------------------------------------------------------
for kind in zip gz tar.gz; do
  name="k.$kind"; [[ "$kind" == gz ]] && name="k.env.gz"
  push_file "$name" "$kind"
  expect_rc "a pair in $name is refused (was skipped as an allowlisted path)" 1
  member="conf/.env"; [[ "$kind" == gz ]] && member="k.env"
  check "$name: the finding is named $name!$member:2" grep -qF "$name!$member:2" <<<"$(remote_lines)"
  check "$name: audited with its member path" test "$(audit_field 'a["findings"][0]["path"]')" = "$name!$member"
  reset_work
done

for kind in zip-encrypted corrupt-zip nested-zip bomb-gz; do
  push_file "blobs/k.$kind" "$kind"
  expect_rc "$kind: content that cannot be scanned is refused" 1
  check "$kind: the pusher is told it could not be scanned" grep -q "could not be scanned" <<<"$err"
  reset_work
done
check "the reason is in the audit's skip counts" test "$(audit_field 'a["skipped"]')" = "{'compression-ratio': 1}"

write_policy '[limits]' 'unscannable = "warn"'
push_file blobs/k.zip-encrypted zip-encrypted
expect_rc "policy unscannable = \"warn\": an encrypted archive goes in, reported" 0
check "unscannable = warn: the pusher sees the warning" grep -q "could not be scanned (encrypted)" <<<"$err"
write_policy

# --- a pair split across two files of one push -----------------------------------------
reset_work
alibaba_pair >"$TEST_TMP/split.env"
commit_file "$work" conf/id.ini "$(sed -n 1p "$TEST_TMP/split.env")"$'\n' "Add the key ID"
commit_file "$work" deploy/secret.ini "$(sed -n 2p "$TEST_TMP/split.env")"$'\n' "Add the secret"
push "$work" origin HEAD:refs/heads/split
expect_rc "an ID in one file and its secret in another, one push: refused" 1
check "the report names the other half of the split pair" \
  grep -q "the other half of this pair (alibaba-accesskey-pair) is in deploy/secret.ini:1" <<<"$(flat)"
check "the audit record says where the other half is" \
  python3 -c 'import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert any(f.get("paired_with", {}).get("pair") == "alibaba-accesskey-pair" for f in r["findings"]), r["findings"]' "$AUDIT_LOG"
reset_work
commit_file "$work" conf/id.ini "$(sed -n 1p "$TEST_TMP/split.env")"$'\n' "Only the key ID"
push "$work" origin HEAD:refs/heads/id-only
expect_rc "the ID alone: accepted with a warning" 0
reset_work

finish
