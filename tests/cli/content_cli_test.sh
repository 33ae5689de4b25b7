#!/usr/bin/env bash
# What `akgate scan` and `akgate rules check` make of rule files that would
# let secrets through quietly (no rule able to block, a misspelt key, a
# gitleaks key akgate does not apply), and of content that is not plain
# UTF-8 text: UTF-16 files, compressed files and archives, and archives that
# cannot be opened. Every key is random per run.
#
#   AKGATE=build/akgate bash tests/cli/content_cli_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
containers="$(dirname "${BASH_SOURCE[0]}")/../lib/containers.py"

T="$TEST_TMP"
export XDG_CONFIG_HOME="$T/config"  # the scan's fingerprint key, created here
printf 'APP_ENV=production\nALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5t%s\nALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n' \
  "$(random_alnum 18)" "$(random_alnum 30)" >"$T/pair.env"
mkdir -p "$T/leak" && cp "$T/pair.env" "$T/leak/.env"

# --- rule files that cannot block ---------------------------------------------------
: >"$T/empty.toml"
printf 'title = "only a title"\n' >"$T/title.toml"
printf '[[rules]]\nid = "mine"\nregex = %s\n' "'''tok_[0-9]{8}'''" >"$T/warn-only.toml"
for f in empty title warn-only; do
  run "$AKGATE" rules check "$T/$f.toml"
  expect_rc "rules check: $f.toml cannot block, an error" 2
  check "rules check: $f.toml: says why" grep -q "cannot block lets every secret through" <<<"$err"
  run "$AKGATE" scan -c "$T/$f.toml" "$T/leak"
  expect_rc "scan -c $f.toml: an error, not a clean scan" 2
  [[ "$f" != empty ]] || check "a zero-byte file: defines no rules" grep -q "empty.toml defines no rules" <<<"$err"
done
run "$AKGATE" rules test -c "$T/warn-only.toml" mine 'tok_12345678'
expect_rc "rules test still tries a warn-only rule" 1

# --- misspelt and unsupported keys ----------------------------------------------------
printf '[extend]\nuseDefault = true\n\n[[rules]]\nid = "mine"\nregex = %s\nactoin = "block"\n' "'''tok_[0-9]{8}'''" \
  >"$T/typo.toml"
run "$AKGATE" rules check "$T/typo.toml"
expect_rc "rules check: a misspelt key is an error" 2
check "the error names file, line and key, with a suggestion" \
  grep -qF "$T/typo.toml:7: rules[0] (rule 'mine'): unknown key 'actoin' (did you mean 'action'?)" <<<"$err"
run "$AKGATE" scan -c "$T/typo.toml" "$T/leak"
expect_rc "scan: a misspelt key is an error" 2
# An allowlist that allows anything, for the GitHub rule only (it used to
# apply to every rule, with a warning).
printf '[extend]\nuseDefault = true\n[[allowlists]]\ntargetRules = ["github-token"]\nregexes = [%s]\n' \
  "'''.'''" >"$T/target.toml"
run "$AKGATE" scan -c "$T/target.toml" "$T/leak"
expect_rc "targetRules: an allowlist for another rule does not hide the pair" 1
run "$AKGATE" rules check "$T/target.toml"
expect_rc "targetRules: rules check accepts it" 0
check "targetRules: no warning that it is ignored" lacks "$out" "targetRules"

# --- UTF-16 ---------------------------------------------------------------------------
for kind in utf16le-bom utf16le utf16be-bom; do
  mkdir -p "$T/u16-$kind"
  python3 "$containers" "$kind" "$T/u16-$kind/.env" "$T/pair.env"
  run "$AKGATE" scan --no-color "$T/u16-$kind"
  expect_rc "$kind .env: the pair blocks (was skipped as binary)" 1
  check "$kind: located on line 2 of the file" grep -q "u16-$kind/.env:2:" <<<"$out"
  check "$kind: the report says how it was encoded" grep -q "(utf-16${kind:5:2}-encoded)" <<<"$out"
done

# --- compressed files and archives ------------------------------------------------------
mkdir -p "$T/arch"
python3 "$containers" zip "$T/arch/k.zip" "$T/pair.env"
python3 "$containers" gz "$T/arch/k.env.gz" "$T/pair.env"
python3 "$containers" tar.gz "$T/arch/k.tar.gz" "$T/pair.env"
run "$AKGATE" scan --no-color -f json "$T/arch"
expect_rc "k.zip, k.env.gz, k.tar.gz: the pairs block (were skipped as allowlisted paths)" 1
check "each pair is named inside its container, with its line" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
where = sorted((f["path"].split("/arch/", 1)[1], f["parts"][0]["line"]) for f in d["findings"] if f["action"] == "block")
assert where == [("k.env.gz!k.env", 2), ("k.tar.gz!conf/.env", 2), ("k.zip!conf/.env", 2)], where
assert "allowlisted-path" not in d["summary"]["skipped"], d["summary"]' "$TEST_TMP/.out"

for kind in zip-encrypted corrupt-zip nested-zip bomb-gz; do
  mkdir -p "$T/$kind"
  python3 "$containers" "$kind" "$T/$kind/k.$kind" "$T/pair.env"
done
expect_unscannable() {  # KIND REASON
  run "$AKGATE" scan --no-color -f json "$T/$1"
  expect_rc "$1: cannot be scanned, so it blocks" 1
  check "$1: reported as unscannable ($2), counted as a skip with its reason" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["rule"] == "unscannable-content"]
assert len(f) == 1 and f[0]["action"] == "block" and sys.argv[2] in f[0]["parts"][0]["secret"], d
assert d["summary"]["skipped"].get(sys.argv[2]) == 1, d["summary"]' "$TEST_TMP/.out" "$2"
}
expect_unscannable zip-encrypted encrypted
expect_unscannable corrupt-zip unreadable-archive
expect_unscannable nested-zip nested-too-deep
expect_unscannable bomb-gz compression-ratio

printf '[extend]\nuseDefault = true\n[limits]\nunscannable = "warn"\n' >"$T/warn-unscannable.toml"
run "$AKGATE" scan --no-color -c "$T/warn-unscannable.toml" "$T/zip-encrypted"
expect_rc "[limits] unscannable = \"warn\": reported, not blocking" 0
check "unscannable = warn: still reported" grep -q "could not be scanned (encrypted)" <<<"$out"

finish
