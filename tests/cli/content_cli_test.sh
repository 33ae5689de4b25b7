#!/usr/bin/env bash
# What `akgate scan` and `akgate rules check` make of rule files that would
# let secrets through quietly (no rule able to block, a misspelt key, a
# gitleaks key akgate does not apply). Every key is random per run.
#
#   AKGATE=build/akgate bash tests/cli/content_cli_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

T="$TEST_TMP"
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

finish
