#!/usr/bin/env bash
# `akgate doctor` on real installs made by `akgate install` in temporary
# server layouts (plain bare repositories, GitLab's hashed layout with
# custom_hooks, Gitea's pre-receive.d, gitolite's hooks/common link), each
# checked healthy, then broken one way at a time: missing hook, hook not
# executable, hook from another version or binary, unwritable audit log,
# empty and non-blocking rulesets, a fail-open policy, a gateway whose TLS
# certificate expired (made with `openssl ca -startdate/-enddate`). Each
# finding, its fix and the exit code are checked; JSON is parsed.
#
#   AKGATE=build/akgate bash tests/cli/doctor_test.sh    (tests/run.sh does this)
set -euo pipefail
# shellcheck source=tests/lib/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

T="$TEST_TMP"
# shellcheck source=tests/lib/hermetic_git.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"
hermetic_git "$T/home"
chmod 755 "$T"

# The repositories belong to a git account, as on a server: nobody when this
# runs as root (the hook's rights are then judged for nobody, not root).
# akgate is copied where that account can run it.
OWNER="$(id -un)"
if [[ "$(id -u)" == 0 ]] && id nobody >/dev/null 2>&1; then OWNER=nobody; fi
mkdir -m 755 "$T/bin"
cp "$AKGATE" "$T/bin/akgate" && chmod 755 "$T/bin/akgate"
AK="$T/bin/akgate"

mkdir -p "$T/etc" "$T/srv"
cat >"$T/etc/policy.toml" <<TOML
[audit]
log = "$T/log/audit.log"
TOML

new_bare() {  # new_bare PATH: an empty bare repository owned by the git account
  git init -q --bare "$1"
  [[ "$OWNER" == "$(id -un)" ]] || chown -R "$OWNER" "$1"
}

# --- a healthy plain install ----------------------------------------------------
new_bare "$T/srv/app.git"
run "$AK" install --repo "$T/srv/app.git" --policy "$T/etc/policy.toml"
expect_rc "akgate install --repo works" 0
run "$AK" doctor --root "$T/srv"
expect_rc "a fresh install: nothing at risk, exit 0" 0
check "grouped under the repository, with its layout" contains "$out" "$T/srv/app.git (repository)"
check "the hook is present, current and executable" \
  contains_all "$out" "ok    hook.present" "ok    hook.current" "ok    hook.executable"
check "push options advertised (install set them)" contains "$out" "ok    git.push-options"
check "the policy the hook names is read" contains "$out" "the policy loads from $T/etc/policy.toml"
check "rules load and can block" contains "$out" "ok    rules.load: the built-in rules"
check "fail closed" contains "$out" "ok    policy.fail-mode"
check "the audit log is judged for the repository's owner" \
  contains "$out" "the audit log $T/log/audit.log can be appended to by $OWNER"
check "the fingerprint key install made loads" contains "$out" "ok    fingerprint.key: the fingerprint key $T/etc/fingerprint.key loads (mode 0600)"
check "the webhook is not probed, and says why" contains "$out" "notify.targets"
check "the git version" contains "$out" "ok    git.version: git version"
check "the summary line" grep -qE '^[0-9]+ ok, [0-9]+ info, 0 warn, 0 risk, 0 error$' <<<"$out"

run "$AK" doctor --root "$T/srv" --format json
expect_rc "JSON: exit 0 too" 0
check "JSON parses, status ok, every check has id, severity, finding and fix" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["status"] in ("ok", "info") and r["exit_code"] == 0, r["status"]
checks = [c for g in r["groups"] for c in g["checks"]]
assert checks and all(set(c) == {"id", "severity", "finding", "fix"} for c in checks)
assert any(c["id"] == "hook.present" and c["severity"] == "ok" for c in checks)
' "$out"

# --- broken, one way at a time ---------------------------------------------------
hook="$T/srv/app.git/hooks/pre-receive"
cp "$hook" "$T/hook.saved"

chmod 0644 "$hook"
run "$AK" doctor --repo "$T/srv/app.git"
expect_rc "a non-executable hook: exit 1" 1
check "says git would skip it, for the owner" contains "$out" "RISK  hook.executable: $OWNER (the repository's owner"
check "the fix is chmod" contains "$out" "fix: chmod 0755 '$hook'"
chmod 0755 "$hook"

rm "$hook"
run "$AK" doctor --repo "$T/srv/app.git"
expect_rc "a missing hook: exit 1" 1
check "names the missing hook" contains "$out" "RISK  hook.present: no akgate hook at $hook"
check "the fix is the install command" contains "$out" "fix: akgate install --repo '$T/srv/app.git'"

cp -p "$T/hook.saved" "$hook"
# shellcheck disable=SC2016  # the backquotes are the wrapper's text
sed -i 's/^# Written by `akgate install`.*$/# Written by an older akgate install/' "$hook"
run "$AK" doctor --repo "$T/srv/app.git"
expect_rc "a hook from another version: exit 1" 1
check "says the text differs from what this version writes" \
  contains "$out" "WARN  hook.current: the hook was written by another version of akgate install"
check "the fix reinstalls with the hook's own --policy" \
  contains "$out" "fix: akgate install --repo '$T/srv/app.git' --policy '$T/etc/policy.toml'"

mkdir -m 755 "$T/bin2" && cp "$AK" "$T/bin2/akgate"
sed "s|^akgate=.*|akgate='$T/bin2/akgate'|" "$T/hook.saved" >"$hook"
run "$AK" doctor --repo "$T/srv/app.git"
check "a hook running another akgate binary is named" \
  contains "$out" "WARN  hook.current: the hook runs $T/bin2/akgate, not this akgate ($AK)"
sed "s|^akgate=.*|akgate='$T/gone/akgate'|" "$T/hook.saved" >"$hook"
run "$AK" doctor --repo "$T/srv/app.git"
expect_rc "a hook whose akgate is gone: exit 1" 1
check "says every push is refused" contains "$out" "ERROR hook.akgate: the hook runs $T/gone/akgate, which $OWNER cannot run"
cp -p "$T/hook.saved" "$hook"
run "$AK" doctor --repo "$T/srv/app.git"
expect_rc "restored: exit 0 again" 0

if [[ "$OWNER" != "$(id -un)" ]]; then
  chown root "$T/log/audit.log" && chmod 0644 "$T/log/audit.log"
  run "$AK" doctor --repo "$T/srv/app.git"
  expect_rc "an audit log the git account cannot write: exit 1" 1
  check "judged for the owner, not for root who runs doctor" \
    contains "$out" "RISK  audit.log: $OWNER (who the hook runs as) cannot write the audit log $T/log/audit.log"
  check "the fix gives it to the owner" contains "$out" "fix: chown '$OWNER:"
  chown "$OWNER" "$T/log/audit.log"
else
  skip "an audit log the git account cannot write" "needs root to give the repository to another account"
fi

chmod 0644 "$T/etc/fingerprint.key"
run "$AK" doctor --repo "$T/srv/app.git"
check "a fingerprint key readable by others is an error, fixed by chmod 0600" \
  contains_all "$out" "ERROR fingerprint.key" "fix: chmod 0600 '$T/etc/fingerprint.key'"
chmod 0600 "$T/etc/fingerprint.key"

# Policies: given with --policy, as the server-wide file.
cp "$T/etc/policy.toml" "$T/etc/open.toml"
printf '[limits]\non_error = "allow"\n' >>"$T/etc/open.toml"
run "$AK" doctor --repo "$T/srv/app.git" --policy "$T/etc/open.toml"
expect_rc "a fail-open policy: exit 1" 1
check "fail open is a risk, naming the setting" contains "$out" "RISK  policy.fail-mode: fail open: on_error = \"allow\""
check "the fix is the config line" contains "$out" "fix: on_error = \"block\"   # under [limits] in $T/etc/open.toml"
check "an enforcing policy says so" contains "$out" "ok    policy.mode: enforcing"

cp "$T/etc/policy.toml" "$T/etc/monitor.toml"
printf '[gate]\nmode = "monitor"\n' >>"$T/etc/monitor.toml"
run "$AK" doctor --repo "$T/srv/app.git" --policy "$T/etc/monitor.toml"
expect_rc "monitor mode: exit 1" 1
check "monitor mode is a risk, fixed by enforcing" \
  contains_all "$out" "RISK  policy.mode: [gate] mode = \"monitor\": a push with a secret is let through" \
  "fix: mode = \"enforce\"   # under [gate] in $T/etc/monitor.toml"

: >"$T/etc/empty-rules.toml"
printf '[[rules]]\nid = "x"\nregex = '"'"'tok_[0-9]{8}'"'"'\naction = "warn"\n' >"$T/etc/warn-rules.toml"
for rules in empty warn; do
  cp "$T/etc/policy.toml" "$T/etc/$rules.toml"
  printf '[rules]\nfiles = ["%s-rules.toml"]\n' "$rules" >>"$T/etc/$rules.toml"
  run "$AK" doctor --repo "$T/srv/app.git" --policy "$T/etc/$rules.toml"
  expect_rc "$rules ruleset: exit 1" 1
  check "$rules ruleset: the rules cannot block, every push is refused" \
    contains_all "$out" "ERROR rules.load" "a ruleset that cannot block" "(every push is refused)"
done
run "$AK" doctor --repo "$T/srv/app.git" --policy "$T/etc/empty.toml"
check "the empty one says it defines no rules" contains "$out" "defines no rules"

printf '[limits]\ntime_budget = "soon"\n' >"$T/etc/bad.toml"
run "$AK" doctor --repo "$T/srv/app.git" --policy "$T/etc/bad.toml"
expect_rc "a policy that does not load: exit 1" 1
check "names the file and line" contains "$out" "ERROR policy.load: policy $T/etc/bad.toml:2"

# A repository's own akgate.toml is laid over the server's, as in the hook.
printf '[limits]\non_timeout = "allow"\n' >"$T/srv/app.git/akgate.toml"
run "$AK" doctor --repo "$T/srv/app.git"
expect_rc "a repository's akgate.toml that fails open: exit 1" 1
check "the repository's policy is checked in its own group, both files read" \
  contains "$out" "ok    policy.load: the policy loads from $T/etc/policy.toml, $T/srv/app.git/akgate.toml"
check "its fail-open is a risk, fixed in the repository's file" \
  contains_all "$out" "RISK  policy.fail-mode: fail open: on_timeout = \"allow\"" \
  "fix: on_timeout = \"block\"   # under [limits] in $T/srv/app.git/akgate.toml"
check "no shared policy group for it" lacks "$out" "policy $T/etc/policy.toml (hooks run as"
rm "$T/srv/app.git/akgate.toml"

# Push options turned off again.
git config --file "$T/srv/app.git/config" receive.advertisePushOptions false
run "$AK" doctor --repo "$T/srv/app.git"
check "push options off: a warning with the git config command" \
  contains_all "$out" "WARN  git.push-options" "fix: git config --file '$T/srv/app.git/config' receive.advertisePushOptions true"
git config --file "$T/srv/app.git/config" receive.advertisePushOptions true
git config --file "$T/srv/app.git/config" receive.fsckObjects true
run "$AK" doctor --repo "$T/srv/app.git"
check "receive.fsckObjects on is seen" contains "$out" "ok    git.fsck: receive.fsckObjects = true"

# --- forge layouts under one root --------------------------------------------------
F="$T/forge"
mkdir -p "$F"
# GitLab: hashed storage, custom_hooks/pre-receive.d.
new_bare "$F/gitlab/@hashed/6b/86/6b86b273.git"
run "$AK" install --gitlab "$F/gitlab/@hashed/6b/86/6b86b273.git" --policy "$T/etc/policy.toml"
expect_rc "akgate install --gitlab works" 0
# Gitea: its hooks/pre-receive runs hooks/pre-receive.d/*.
new_bare "$F/gitea/alice/app.git"
mkdir -p "$F/gitea/alice/app.git/hooks/pre-receive.d"
# shellcheck disable=SC2016  # the dispatcher's own variables
printf '#!/usr/bin/env bash\n# AUTO GENERATED BY GITEA, DO NOT MODIFY\ndata=$(cat)\nfor hook in ${GIT_DIR}/hooks/pre-receive.d/*; do\n  test -x "${hook}" && test -f "${hook}" || continue\n  echo "${data}" | "${hook}" || exit 1\ndone\n' \
  >"$F/gitea/alice/app.git/hooks/pre-receive"
chmod 755 "$F/gitea/alice/app.git/hooks/pre-receive"
[[ "$OWNER" == "$(id -un)" ]] || chown -R "$OWNER" "$F/gitea"
run "$AK" install --gitea "$F/gitea/alice/app.git" --policy "$T/etc/policy.toml"
expect_rc "akgate install --gitea works" 0
# gitolite: LOCAL_CODE/hooks/common/pre-receive, linked into each repository.
mkdir -p "$F/gitolite/local"
run "$AK" install --gitolite "$F/gitolite/local" --policy "$T/etc/policy.toml"
expect_rc "akgate install --gitolite works" 0
new_bare "$F/gitolite/repositories/team.git"
ln -s "$F/gitolite/local/hooks/common/pre-receive" "$F/gitolite/repositories/team.git/hooks/pre-receive"
git config --file "$F/gitolite/repositories/team.git/config" receive.advertisePushOptions true
# A gitolite repository whose hooks were linked before akgate was installed
# (gitolite links its own update hook; no pre-receive link yet).
new_bare "$F/gitolite/repositories/late.git"
mkdir -p "$F/gitolite/.gitolite/hooks/common" && printf '#!/bin/sh\n' >"$F/gitolite/.gitolite/hooks/common/update"
ln -s "$F/gitolite/.gitolite/hooks/common/update" "$F/gitolite/repositories/late.git/hooks/update"
# A plain repository nobody installed into.
new_bare "$F/plain/forgotten.git"

run "$AK" doctor --root "$F"
expect_rc "one repository without the hook: exit 1" 1
check "GitLab's layout is recognised, its hook found" \
  contains_all "$out" "6b86b273.git (gitlab)" "custom_hooks/pre-receive.d/akgate (GitLab runs custom_hooks/pre-receive.d)"
check "GitLab advertises push options itself" contains "$out" "GitLab advertises push options itself"
check "Gitea's layout is recognised, its hook found" \
  contains_all "$out" "alice/app.git (gitea)" "hooks/pre-receive.d/akgate (Gitea runs hooks/pre-receive.d)"
check "gitolite's link is followed to LOCAL_CODE" \
  contains_all "$out" "team.git (gitolite)" "$F/gitolite/local/hooks/common/pre-receive (gitolite links"
check "the forgotten repository is a risk with its install command" \
  contains_all "$out" "RISK  hook.present: no akgate hook at $F/plain/forgotten.git/hooks/pre-receive" \
  "fix: akgate install --repo '$F/plain/forgotten.git'"
check "a gitolite repository without the link: the gitolite install, not --repo" \
  contains_all "$out" "late.git (gitolite)" "RISK  hook.present: no akgate hook at $F/gitolite/repositories/late.git/hooks/pre-receive" \
  "fix: akgate install --gitolite LOCAL_CODE && gitolite setup --hooks-only"
check "five repositories found" contains "$out" "5 repositories under $F"
check "the shared policy is checked once" test "$(grep -c '^policy ' <<<"$out")" = 1
check "exactly two risks" grep -q ' 2 risk, 0 error$' <<<"$out"

# --- a server-wide core.hooksPath (install --hooks-path, in a system gitconfig) ------
mkdir "$T/wide"
new_bare "$T/wide/one.git"
run env -u GIT_CONFIG_NOSYSTEM GIT_CONFIG_SYSTEM="$T/system-gitconfig" \
  "$AK" install --hooks-path "$T/hooks" --user "$OWNER" --policy "$T/etc/policy.toml"
expect_rc "akgate install --hooks-path works" 0
run env -u GIT_CONFIG_NOSYSTEM GIT_CONFIG_SYSTEM="$T/system-gitconfig" "$AK" doctor --root "$T/wide"
expect_rc "a server-wide hooks path: exit 0" 0
check "the hook is found through core.hooksPath in the system gitconfig" \
  contains_all "$out" "one.git (hooks-path)" "ok    hook.present: akgate's hook is at $T/hooks/pre-receive (core.hooksPath in $T/system-gitconfig)"
check "the pass-through wrapper install wrote is current" contains "$out" "ok    hook.current"
check "push options come from the system gitconfig" \
  contains "$out" "ok    git.push-options: receive.advertisePushOptions = true ($T/system-gitconfig)"
run "$AK" doctor --root "$T/wide"
check "without that gitconfig git would not run it, and doctor says so" \
  contains "$out" "RISK  hook.present: no akgate hook at $T/wide/one.git/hooks/pre-receive"

# --- the gateway -----------------------------------------------------------------
C="$T/ca"
mkdir -p "$C/newcerts" && touch "$C/index.txt" && echo 01 >"$C/serial"
cat >"$C/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
dir = $C
database = $C/index.txt
new_certs_dir = $C/newcerts
serial = $C/serial
default_md = sha256
policy = p
[p]
commonName = supplied
CNF
openssl req -newkey rsa:2048 -nodes -keyout "$C/key.pem" -out "$C/req.csr" -subj /CN=localhost 2>/dev/null
openssl ca -batch -config "$C/ca.cnf" -selfsign -keyfile "$C/key.pem" -in "$C/req.csr" -out "$C/expired.pem" \
  -startdate 20200101000000Z -enddate 20200201000000Z >/dev/null 2>&1
openssl req -x509 -key "$C/key.pem" -out "$C/valid.pem" -days 365 -subj /CN=localhost 2>/dev/null
openssl req -x509 -key "$C/key.pem" -out "$C/soon.pem" -days 10 -subj /CN=localhost 2>/dev/null

gateway_config() {  # gateway_config CERT [EXTRA]: a config with one HTTPS listener
  cat <<TOML
[[server.listen]]
address = "127.0.0.1"
port = 18443
tls_cert = "$1"
tls_key = "$C/key.pem"

[[route]]
prefix = "/up/"
upstream = "https://git.example.com/"

[inspect]
policy = "$T/etc/policy.toml"
${2:-}
TOML
}
gateway_config "$C/valid.pem" >"$T/gw-valid.toml"
run "$AK" doctor --gateway-config "$T/gw-valid.toml"
expect_rc "a valid gateway config: exit 0" 0
check "valid, listeners and routes counted" contains "$out" "ok    gateway.config: valid: 1 listener(s), 1 route(s)"
check "the certificate's days left" grep -qE "ok    gateway.tls: the certificate $C/valid.pem is valid for 36[45] more days" <<<"$out"
check "the route" contains "$out" "ok    gateway.route: /up/ -> https://git.example.com/"
check "its policy is checked too" contains "$out" "gateway policy $T/etc/policy.toml"

gateway_config "$C/valid.pem" "fingerprint_key = \"$T/etc/gateway.key\"" >"$T/gw-key.toml"
run "$AK" doctor --gateway-config "$T/gw-key.toml"
expect_rc "the gateway's own fingerprint key missing: exit 1" 1
check "the key [inspect] names is the one checked" \
  contains "$out" "ERROR fingerprint.key: no fingerprint key at $T/etc/gateway.key"

gateway_config "$C/expired.pem" >"$T/gw-expired.toml"
run "$AK" doctor --gateway-config "$T/gw-expired.toml"
expect_rc "an expired certificate: exit 1" 1
check "says it expired, and how long ago" grep -qE "RISK  gateway.tls: the certificate $C/expired.pem expired [0-9]+ day\(s\) ago" <<<"$out"
check "the fix: renew and restart" contains "$out" "fix: renew $C/expired.pem"

gateway_config "$C/soon.pem" >"$T/gw-soon.toml"
run "$AK" doctor --gateway-config "$T/gw-soon.toml"
check "a certificate expiring within 30 days is a warning" grep -qE "WARN  gateway.tls: the certificate $C/soon.pem expires in (9|10) day" <<<"$out"

cp "$T/etc/policy.toml" "$T/etc/named.toml"
printf '[bypass]\nwho = ["alice"]\n' >>"$T/etc/named.toml"
gateway_config "$C/valid.pem" | sed "s|policy = \"$T/etc/policy.toml\"|policy = \"$T/etc/named.toml\"|" >"$T/gw-named.toml"
run "$AK" doctor --gateway-config "$T/gw-named.toml"
expect_rc "bypass by name without a verified identity: exit 1" 1
check "says the right by name rests on nothing" \
  contains "$out" "WARN  gateway.identity: the policy grants rights by name (bypass: alice) but [identity] has no source"

# Gateway-held mode: developers sign in to the gateway, which holds the
# upstream credential; whether the upstream refuses direct pushes is said to
# be out of doctor's reach, with what to do.
printf 'alice:sha256:%s\n' "$(printf 'fake-token' | sha256sum | cut -c1-64)" >"$T/gw-users"
printf 'bot:fake-upstream-token\n' >"$T/gw-credential"
chmod 0600 "$T/gw-users" "$T/gw-credential"
held_extra="[identity]
mode = \"gateway-held\"
users_file = \"$T/gw-users\""
gateway_config "$C/valid.pem" "$held_extra" |
  sed "s|^upstream = \"https://git.example.com/\"|&\nupstream_credential_file = \"$T/gw-credential\"|;
       s|policy = \"$T/etc/policy.toml\"|policy = \"$T/etc/named.toml\"|" >"$T/gw-held.toml"
run "$AK" doctor --gateway-config "$T/gw-held.toml"
expect_rc "a gateway-held config with named rights resting on its users file: exit 0" 0
check "held mode: the upstream's refusal of direct pushes cannot be checked from here" \
  contains_all "$out" "info  gateway.held: gateway-held mode" "akgate doctor cannot check that from here" \
  "then try a direct git push: it must be refused"
check "held mode: the named rights rest on the users file" \
  contains "$out" "ok    gateway.identity: rights by name (bypass: alice) rest on the users file $T/gw-users"
check "the held credential is never printed" lacks "$out$err" "fake-upstream-token"
chmod 0644 "$T/gw-credential"
run "$AK" doctor --gateway-config "$T/gw-held.toml"
expect_rc "a held credential readable by others: exit 1" 1
check "it is the gateway's own load error, naming the file" \
  contains_all "$out" "ERROR gateway.config:" "$T/gw-credential"
check "still never printed" lacks "$out$err" "fake-upstream-token"

printf 'not toml [' >"$T/gw-bad.toml"
run "$AK" doctor --gateway-config "$T/gw-bad.toml"
expect_rc "a config that does not load: exit 1" 1
check "it is an error naming the file" contains "$out" "ERROR gateway.config: "

# --- usage -------------------------------------------------------------------------
run "$AK" doctor
expect_rc "nothing to check: exit 2" 2
check "says what to give" contains "$err" "give --root DIR, --repo DIR or --gateway-config FILE"
run "$AK" doctor --root "$T/srv" --format yaml
expect_rc "an unknown format: exit 2" 2
run "$AK" doctor --repo "$T/etc"
expect_rc "a --repo that is not a repository: exit 1" 1
check "says so" contains "$out" "is not a git repository"

finish
