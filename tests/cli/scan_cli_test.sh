#!/usr/bin/env bash
# `akgate scan` as a user sees it: exit codes, the three report formats, stdin,
# error messages, and which files are scanned. Every key is random per run.
#
#   AKGATE=build/akgate bash tests/cli/scan_cli_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# --- fixtures ------------------------------------------------------------------

ID="LTAI5t$(random_alnum 18)"
SECRET="$(random_alnum 30)"
T="$TEST_TMP"
export XDG_CONFIG_HOME="$T/config"  # the scan's fingerprint key is created here (engine/fingerprint.h)
unset AKGATE_FINGERPRINT_KEY

mkdir -p "$T/clean/src" "$T/leak" "$T/lone" "$T/repo/.git" "$T/repo/src" "$T/allowed"

cat >"$T/clean/src/app.py" <<'EOF'
import os

ACCESS_KEY_ID = os.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
print("hello")
EOF
printf '# clean project\n\nNothing to see here.\n' >"$T/clean/README.md"

cat >"$T/leak/.env" <<EOF
APP_ENV=production
ALIBABA_CLOUD_ACCESS_KEY_ID=$ID
ALIBABA_CLOUD_ACCESS_KEY_SECRET=$SECRET
EOF

printf 'ALIBABA_CLOUD_ACCESS_KEY_ID=%s\n' "LTAI5t$(random_alnum 18)" >"$T/lone/.env"

# The pair sits only inside .git, which a scan must skip.
cp "$T/leak/.env" "$T/repo/.git/config"
cp "$T/clean/src/app.py" "$T/repo/src/app.py"

cat >"$T/allowed/.env" <<EOF
ALIBABA_CLOUD_ACCESS_KEY_ID=$ID # akgate:allow
ALIBABA_CLOUD_ACCESS_KEY_SECRET=$SECRET # akgate:allow
EOF

printf '[[rules]]\nid = "broken"\nregex = "unterminated\n' >"$T/bad.toml"

# --- validators (python3) --------------------------------------------------------

# A JSON report: findings with the documented fields, and a summary.
# Usage: valid_json_report FILE MIN_BLOCK
valid_json_report() {
  python3 - "$1" "$2" <<'PY'
import json, sys
path, min_block = sys.argv[1], int(sys.argv[2])
try:
    doc = json.load(open(path))
except Exception as e:
    sys.exit(f"not JSON: {e}")
problems = []
findings = doc.get("findings")
if not isinstance(findings, list):
    sys.exit("no 'findings' list")
for i, f in enumerate(findings):
    for key in ("rule", "provider", "action", "path", "secret", "fingerprint"):
        if not isinstance(f.get(key), str) or not f.get(key):
            problems.append(f"finding {i}: '{key}' missing or not a non-empty string")
    for key in ("line", "column"):
        if not isinstance(f.get(key), int) or f.get(key) < 1:
            problems.append(f"finding {i}: '{key}' missing or not a positive integer")
    if f.get("action") not in ("block", "warn"):
        problems.append(f"finding {i}: action {f.get('action')!r} is not block or warn")
blocks = [f for f in findings if f.get("action") == "block"]
if len(blocks) < min_block:
    problems.append(f"{len(blocks)} block findings, expected at least {min_block}")
for i, f in enumerate(blocks):
    # A pair reports where each of its parts is.
    parts = next((v for v in f.values() if isinstance(v, list) and len(v) >= 2
                  and all(isinstance(p, dict) and isinstance(p.get("line"), int) for p in v)), None)
    if parts is None:
        problems.append(f"block finding {i}: no list of part locations (each with a line)")
s = doc.get("summary")
if not isinstance(s, dict):
    sys.exit("no 'summary' object")
for key in ("files", "bytes", "duration_ms"):
    if not isinstance(s.get(key), (int, float)):
        problems.append(f"summary.{key} missing or not a number")
counts = s.get("findings")
if not isinstance(counts, dict) or not all(isinstance(counts.get(k), int) for k in ("block", "warn")):
    problems.append("summary.findings must hold integer 'block' and 'warn'")
elif counts["block"] != len(blocks):
    problems.append(f"summary.findings.block={counts['block']} but {len(blocks)} block findings listed")
if problems:
    sys.exit("\n".join(problems))
PY
}

# Prints a summary field of a JSON report, e.g. `json_field FILE summary.files`.
json_field() {
  python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)
PY
}

# A SARIF 2.1.0 log with what GitHub code scanning requires of a result.
valid_sarif() {
  python3 - "$1" <<'PY'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except Exception as e:
    sys.exit(f"not JSON: {e}")
problems = []
if doc.get("version") != "2.1.0":
    problems.append(f"version is {doc.get('version')!r}, not '2.1.0'")
if "sarif" not in str(doc.get("$schema", "")):
    problems.append("$schema missing or not a SARIF schema")
runs = doc.get("runs")
if not isinstance(runs, list) or not runs:
    sys.exit("runs missing or empty")
run = runs[0]
driver = run.get("tool", {}).get("driver", {})
if not driver.get("name"):
    problems.append("runs[0].tool.driver.name missing")
rule_ids = {r.get("id") for r in driver.get("rules", []) if isinstance(r, dict)}
results = run.get("results")
if not isinstance(results, list) or not results:
    problems.append("runs[0].results missing or empty")
    results = []
for i, r in enumerate(results):
    if not r.get("ruleId"):
        problems.append(f"result {i}: ruleId missing")
    elif rule_ids and r["ruleId"] not in rule_ids:
        problems.append(f"result {i}: ruleId {r['ruleId']!r} not in tool.driver.rules")
    if not r.get("message", {}).get("text"):
        problems.append(f"result {i}: message.text missing")
    if r.get("level", "warning") not in ("error", "warning", "note", "none"):
        problems.append(f"result {i}: level {r.get('level')!r} invalid")
    locs = r.get("locations")
    if not isinstance(locs, list) or not locs:
        problems.append(f"result {i}: locations missing")
        continue
    phys = locs[0].get("physicalLocation", {})
    if not phys.get("artifactLocation", {}).get("uri"):
        problems.append(f"result {i}: physicalLocation.artifactLocation.uri missing")
    line = phys.get("region", {}).get("startLine")
    if not isinstance(line, int) or line < 1:
        problems.append(f"result {i}: region.startLine missing or not positive")
if not any(r.get("level") == "error" for r in results):
    problems.append("no result with level 'error' for the blocking pair")
if problems:
    sys.exit("\n".join(problems))
PY
}

# --- exit codes --------------------------------------------------------------------

run "$AKGATE" scan "$T/clean"
expect_rc "a clean directory exits 0" 0

run "$AKGATE" scan "$T/leak"
expect_rc "a directory holding an AccessKey pair exits 1" 1
check "the text report names the file holding the pair" contains "$out" ".env"
check "the text report never shows the secret in full" lacks "$out$err" "$SECRET"
check "the text report has no colour codes when not on a terminal" lacks "$out" $'\e['

run "$AKGATE" scan "$T/clean" "$T/leak"
expect_rc "several paths: one with a pair makes the scan exit 1" 1

run "$AKGATE" scan --format json "$T/lone"
expect_rc "a lone AccessKey ID only warns (exit 0)" 0
check "the lone ID is reported as a warning" \
  test "$(json_field "$TEST_TMP/.out" summary.findings.warn 2>/dev/null)" -ge 1

run "$AKGATE" scan "$T/allowed"
expect_rc "lines marked akgate:allow are not reported (exit 0)" 0

# --- the text report's language: --lang ---------------------------------------------

run "$AKGATE" scan --lang zh-CN "$T/leak"
expect_rc "--lang zh-CN keeps exit code 1 for a pair" 1
check "--lang zh-CN: the finding's label and its rule and fingerprint line in Chinese" \
  contains_all "$out" "阻止   Alibaba Cloud" "       规则 " "，指纹 "
check "--lang zh-CN: the summary in Chinese" contains_all "$out" "已扫描 1 个文件（" "1 个阻止级发现项，0 个警告。"
check "--lang zh-CN: no English sentence" bash -c '! grep -Eq "BLOCK|Scanned|blocking finding|rule .*, fingerprint" <<<"$1"' _ "$out"
check "--lang zh-CN never shows the secret in full" lacks "$out$err" "$SECRET"
run "$AKGATE" scan --lang zh "$T/clean"
expect_rc "--lang zh on a clean directory exits 0" 0
check "--lang zh on a clean directory: no findings, in Chinese" contains "$out" "未发现任何问题。"
run "$AKGATE" scan --lang en "$T/clean"
check "--lang en: the English report" contains "$out" "No findings."
run "$AKGATE" scan --lang zh-CN --format json "$T/leak"
expect_rc "--lang zh-CN --format json keeps exit code 1" 1
check "--lang zh-CN --format json: JSON stays English (a machine format)" valid_json_report "$TEST_TMP/.out" 1
check "--lang zh-CN --format json: no Chinese in it" lacks "$out" "阻止"
run "$AKGATE" scan --lang fr "$T/clean"
expect_rc "--lang fr exits 2" 2
check "--lang fr: the error names the value and what is accepted" contains "$err" '--lang must be en or zh-CN, not "fr"'

# --- report formats ----------------------------------------------------------------

run "$AKGATE" scan --format json "$T/leak"
expect_rc "--format json keeps exit code 1 for a pair" 1
check "--format json: findings with rule, provider, action, path, line, column, secret, fingerprint, part locations; summary" \
  valid_json_report "$TEST_TMP/.out" 1
check "--format json: summary counts the one file scanned" \
  test "$(json_field "$TEST_TMP/.out" summary.files 2>/dev/null)" = 1
check "--format json: summary counts its bytes" \
  test "$(json_field "$TEST_TMP/.out" summary.bytes 2>/dev/null)" = "$(stat -c %s "$T/leak/.env")"
check "--format json never shows the secret in full" lacks "$out$err" "$SECRET"

run "$AKGATE" scan --format json "$T/clean"
check "--format json on a clean directory: valid, no findings" valid_json_report "$TEST_TMP/.out" 0

run "$AKGATE" scan --format sarif "$T/leak"
expect_rc "--format sarif keeps exit code 1 for a pair" 1
check "--format sarif: SARIF 2.1.0 with the fields GitHub code scanning requires" \
  valid_sarif "$TEST_TMP/.out"
check "--format sarif never shows the secret in full" lacks "$out$err" "$SECRET"

run "$AKGATE" scan --format xml "$T/clean"
expect_rc "an unknown --format is an error (exit 2)" 2

# --- stdin ---------------------------------------------------------------------------

run_stdin "$T/leak/.env" "$AKGATE" scan -
expect_rc "'-' scans standard input: a pair exits 1" 1
run_stdin "$T/clean/src/app.py" "$AKGATE" scan -
expect_rc "'-' scans standard input: clean text exits 0" 0

# --- errors name the path ------------------------------------------------------------

missing="$T/no-such-dir/settings.py"
run "$AKGATE" scan "$missing"
expect_rc "a path that does not exist exits 2" 2
check "the error names the missing path" contains "$err" "$missing"
check "a path that does not exist: the error only, no report (no \"No findings.\")" test -z "$out"

run "$AKGATE" scan --format json "$T/clean" "$missing"
expect_rc "--format json, one path of two missing: exits 2" 2
check "--format json, one path of two missing: the error only, no report" test -z "$out"

# Root reads any file, so as root the unreadable-file check runs as 'nobody'.
unreadable="$T/unreadable/secret.env"
mkdir -p "$T/unreadable"
cp "$T/leak/.env" "$unreadable"
chmod 000 "$unreadable"
if [[ "$(id -u)" -ne 0 ]]; then
  run "$AKGATE" scan "$unreadable"
  expect_rc "an unreadable file exits 2" 2
  check "the error names the unreadable file" contains "$err" "$unreadable"
elif command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
  chmod 755 "$T" "$T/unreadable"
  cp "$AKGATE" "$T/akgate-copy" && chmod 755 "$T/akgate-copy"
  # nobody's own fingerprint key (the user's is root's, mode 0600).
  (umask 077 && openssl rand -hex 32 >"$T/nobody.key") && chown nobody "$T/nobody.key"
  run setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$T/akgate-copy" scan \
    --fingerprint-key "$T/nobody.key" "$unreadable"
  expect_rc "an unreadable file exits 2 (run as nobody)" 2
  check "the error names the unreadable file" contains "$err" "$unreadable"
else
  skip "an unreadable file exits 2" "running as root without setpriv or user nobody"
fi

run "$AKGATE" scan --config "$T/bad.toml" "$T/clean"
expect_rc "a config file that is not valid TOML exits 2" 2
check "the error names the bad config file" contains "$err" "bad.toml"

run "$AKGATE" scan --config "$T/no-such-config.toml" "$T/clean"
expect_rc "a config file that does not exist exits 2" 2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run "$AKGATE" scan --config "$root/rules/default.toml" "$T/leak"
expect_rc "--config rules/default.toml loads and blocks the pair" 1

# --- what is scanned -------------------------------------------------------------------

run "$AKGATE" scan --format json "$T/repo"
expect_rc "a pair inside .git is not scanned (exit 0)" 0
check "only the file outside .git is counted" \
  test "$(json_field "$TEST_TMP/.out" summary.files 2>/dev/null)" = 1

# --- file names that are not UTF-8, symlink loops ---------------------------------------

# Linux and git allow any bytes but / and NUL in a name: here Latin-1 "café".
mkdir -p "$T/latin1"
cp "$T/leak/.env" "$T/latin1/$(printf 'caf\xe9.env')"
replaced=$'caf\xef\xbf\xbd.env'   # the byte 0xE9 as U+FFFD, as in the hook's audit log
for format in json sarif; do
  run "$AKGATE" scan --format "$format" "$T/latin1"
  expect_rc "--format $format, a file name that is not UTF-8: the pair blocks (exit 1)" 1
  check "--format $format, a file name that is not UTF-8: no internal error" lacks "$err" "internal error"
  check "--format $format, a file name that is not UTF-8: the name with U+FFFD for the bad byte" \
    contains "$out" "$replaced"
done
run "$AKGATE" scan --format json "$T/latin1"
check "--format json, a file name that is not UTF-8: a valid report" valid_json_report "$TEST_TMP/.out" 1
run "$AKGATE" scan --format sarif "$T/latin1"
check "--format sarif, a file name that is not UTF-8: valid SARIF" valid_sarif "$TEST_TMP/.out"

# Symlinks inside a directory are counted, never followed: loops to a parent,
# between two links and to itself.
mkdir -p "$T/loops/sub"
cp "$T/clean/src/app.py" "$T/loops/app.py"
ln -s .. "$T/loops/sub/up"
ln -s b "$T/loops/a"
ln -s a "$T/loops/b"
ln -s self "$T/loops/self"
run "$AKGATE" scan "$T/loops"
expect_rc "symlink loops: the scan ends, clean (exit 0)" 0
check "symlink loops: 1 file scanned, the 4 links skipped" \
  contains_all "$out" "Scanned 1 file (" "skipped 4 (symlink 4)"
run "$AKGATE" scan --format json "$T/loops"
check "symlink loops, --format json: summary.skipped.symlink is 4" \
  test "$(json_field "$TEST_TMP/.out" summary.skipped.symlink 2>/dev/null)" = 4
check "symlink loops, --format json: summary.files counts the file and the 4 links" \
  test "$(json_field "$TEST_TMP/.out" summary.files 2>/dev/null)" = 5

# --- help -----------------------------------------------------------------------------

# --- fingerprints: keyed per installation -------------------------------------------
fp_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["findings"][0]["fingerprint"])' <<<"$1"; }
rm -rf "$T/config"
run "$AKGATE" scan --format json "$T/leak"
expect_rc "fingerprint key: a scan without one creates the user's" 1
check "the user's key is private (0600) in \$XDG_CONFIG_HOME/akgate" \
  test "$(stat -c %a "$T/config/akgate/fingerprint.key")" = 600
fp1="$(fp_of "$out")"
check "the JSON says which credential: provider and the part it is of" \
  contains_all "$out" '"credential": {' '"provider": "alibaba-cloud"' '"part": "AccessKey ID"'
run "$AKGATE" scan --format json "$T/leak"
check "the same key, the same fingerprint" test "$(fp_of "$out")" = "$fp1"
(umask 077 && openssl rand -hex 32 >"$T/other.key")
run "$AKGATE" scan --format json --fingerprint-key "$T/other.key" "$T/leak"
expect_rc "--fingerprint-key FILE is used" 1
check "another key, another fingerprint" test "$(fp_of "$out")" != "$fp1"
AKGATE_FINGERPRINT_KEY="$T/other.key" run "$AKGATE" scan --format json "$T/leak"
check "\$AKGATE_FINGERPRINT_KEY names the key too" test "$(fp_of "$out")" != "$fp1"
chmod 644 "$T/other.key"
run "$AKGATE" scan --fingerprint-key "$T/other.key" "$T/leak"
expect_rc "a key file others can read is an error" 2
check "the error names the file and how to fix it" contains_all "$err" "fingerprint key $T/other.key" "chmod 600"
run "$AKGATE" scan --fingerprint-key "$T/none.key" "$T/leak"
expect_rc "a missing --fingerprint-key file is an error, not a new key" 2
check "the error names the missing file" contains "$err" "fingerprint key $T/none.key: no such file"
printf 'abc\n' >"$T/short.key" && chmod 600 "$T/short.key"
run "$AKGATE" scan --fingerprint-key "$T/short.key" "$T/leak"
expect_rc "a key file of the wrong size is an error" 2
check "the error says what a key file holds" contains "$err" "must hold 64 hex digits"

run "$AKGATE" scan --help
expect_rc "scan --help exits 0" 0
check "the usage line names the program akgate, not the path it was run from" \
  contains "$out" "Usage: akgate scan"
check "the help shows no build path" lacks "$out" "$AKGATE"
run "$AKGATE" help
expect_rc "akgate help exits 0" 0
check "akgate help: the usage line and the commands" \
  contains_all "$out" "Usage: akgate [OPTIONS] SUBCOMMAND" "scan" "rules" "pre-receive" "install" "help"
run "$AKGATE" help scan
expect_rc "akgate help scan exits 0" 0
check "akgate help scan: the scan command's help" contains "$out" "Usage: akgate scan"
run "$AKGATE" help rules check
check "akgate help rules check: that subcommand's help" contains "$out" "Usage: akgate rules check"
run "$AKGATE" help nonsense
expect_rc "akgate help with an unknown command exits 2" 2
check "akgate help nonsense: the error names it" contains "$err" '"akgate nonsense"'

finish
