#!/usr/bin/env bash
# `akgate rules test` without a text: every rule tried on its own examples and
# counter-examples (the built-in rules must have both), the exit code, and
# that the older `akgate rules test RULE TEXT` still works. Every key is random
# per run.
#
#   AKGATE=build/akgate bash tests/cli/rules_examples_cli_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

T="$TEST_TMP"
good="tok_$(random_alnum 16)"
other="tok_$(random_alnum 16)"

# --- the built-in rules ------------------------------------------------------------
run "$AKGATE" rules test
expect_rc "rules test: every built-in rule passes its examples" 0
check "rules test: says how many it tried, and ok" \
  grep -qE '^<default rules>: [0-9]+ rules, [0-9]+ pairs: [0-9]+ examples, [0-9]+ counter-examples tried$' <<<"$out"
check "rules test: ends ok" test "$(tail -n 1 <<<"$out")" = ok
run "$AKGATE" rules test github-token
expect_rc "rules test RULE: that rule's examples" 0
check "rules test RULE: one rule tried" grep -q '^<default rules>: 1 rule, 0 pairs: ' <<<"$out"
run "$AKGATE" rules test no-such-rule
expect_rc "rules test: an unknown rule is an error" 2
check "rules test: names the unknown rule" grep -qF "no rule or pair named 'no-such-rule'" <<<"$err"

# --- a user's file: examples optional, and checked when present -----------------------
cat >"$T/mine.toml" <<TOML
[[rules]]
id = "mine"
regex = '''\b(tok_[A-Za-z0-9]{16})\b'''
action = "block"
examples = ['key = $good']
counter_examples = ['key = tok_<your-token>']

[[rules]]
id = "bare"
regex = '''\b(bare_[A-Za-z0-9]{16})\b'''
TOML
run "$AKGATE" rules test -c "$T/mine.toml"
expect_rc "rules test -c: a user's rules pass, one without examples too" 0

cat >"$T/broken.toml" <<TOML
[[rules]]
id = "mine"
regex = '''\b(tok_[A-Za-z0-9]{16})\b'''
action = "block"
examples = ['key = tok_short']
counter_examples = ['key = $other']
TOML
run "$AKGATE" rules test -c "$T/broken.toml"
expect_rc "rules test -c: a failing example exits 1" 1
check "names the rule, the file and line of the missed example" \
  grep -qF "FAIL  mine  $T/broken.toml:5: example 1 is not found (found: nothing)" <<<"$out"
check "names the counter-example that was found" \
  grep -qF "FAIL  mine  $T/broken.toml:6: counter-example 1 is found (block mine at line 1)" <<<"$out"
check "ends with the failing rules" test "$(tail -n 1 <<<"$out")" = "1 rule fails: mine"
check "prints no key in full" lacks "$out$err" "$other"

printf '[[rules]]\nid = "x"\nregex = "tok_[0-9]{8}"\nexamples = "tok_12345678"\n' >"$T/bad.toml"
run "$AKGATE" rules test -c "$T/bad.toml"
expect_rc "rules test -c: a malformed examples key is a configuration error" 2
check "the error names the file and line" grep -qF "$T/bad.toml:4: rules[0] (rule 'x'): 'examples' must be an array" <<<"$err"

# --- the older form: one rule on a given text ---------------------------------------------
run "$AKGATE" rules test -c "$T/mine.toml" mine "key = $good"
expect_rc "rules test RULE TEXT: still shows what the rule finds" 1
check "rules test RULE TEXT: the finding, redacted" grep -q "rule mine, fingerprint" <<<"$out"
run_stdin "$T/mine.toml" "$AKGATE" rules test -c "$T/mine.toml" bare -
expect_rc "rules test RULE -: reads standard input" 0

finish
