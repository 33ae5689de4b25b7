#!/usr/bin/env bash
# The hook over every transport a git server offers: the real git client
# pushes to bare repositories that got the hook from `akgate install --repo`,
# over file://, ssh (a local sshd started here) and smart HTTP
# (git-http-backend behind nginx + fcgiwrap, started here), all on
# 127.0.0.1 with free ports, in a temporary directory removed on exit.
#
#   bash tests/transport/run.sh BUILD_DIR
#
# Per transport: a push with a random fake Alibaba Cloud pair is rejected and
# the report reaches the pusher as `remote:` lines; a clean push is accepted;
# `-o akgate.bypass=...` works for a pusher the policy lists (over HTTP also
# refused for one it does not); loose and packed quarantine
# (receive.unpackLimit 1 and 10000). Plus the install itself: chaining a
# site's existing hook, uninstall, and a clear error without permission.
#
# Needs sshd/ssh (openssh-server, openssh-client), nginx, fcgiwrap, openssl,
# python3 (install/deps.sh test). Prints one line per check and
# "N passed, N failed[, N skipped]"; exits non-zero when a check failed.
# Works as root (CI) and as an ordinary user (sshd then runs unprivileged).
set -uo pipefail

build_dir="${1:?usage: tests/transport/run.sh BUILD_DIR}"
build_dir="$(cd "$build_dir" && pwd)"
export AKGATE="$build_dir/akgate"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/lib/check.sh
source "$here/../lib/check.sh"   # run, check, expect_rc, finish, $TEST_TMP
T="$TEST_TMP"

# --- servers are stopped, whatever happens ------------------------------------------
# shellcheck source=tests/lib/servers.sh
source "$here/../lib/servers.sh"  # free_port, wait_for_port, start_git_http, stop_servers
pids=()  # sshd, in the foreground (-D)
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  stop_servers
  wait 2>/dev/null
  if [[ -n "${AKGATE_KEEP_TEST_DIR:-}" ]]; then
    echo "kept $T"
  else
    chmod -R u+rwX "$T" 2>/dev/null
    rm -rf "$T"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SSHD="$(command -v sshd || echo /usr/sbin/sshd)"
HTTP_BACKEND="$(git --exec-path)/git-http-backend"
for tool in "$SSHD" ssh ssh-keygen "$NGINX" "$FCGIWRAP" "$HTTP_BACKEND" openssl python3 git; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    fail "test dependencies present" "'$tool' not found (bash install/deps.sh test)"
    finish
    exit 1
  fi
done


# --- the client side: hermetic git ------------------------------------------------------
mkdir -p "$T/srv"
# shellcheck source=tests/lib/hermetic_git.sh
source "$here/../lib/hermetic_git.sh"
hermetic_git "$T/home" "Transport Tester" tester@example.com

me="$(id -un)"
# The server-wide policy, handed to the hook by the wrapper (--policy): sshd and
# the web server do not pass the test's environment on.
POLICY="$T/policy.toml"
AUDIT_LOG="$T/audit.log"
cat >"$POLICY" <<EOF
[bypass]
who = ["alice", "$me"]
require_reason = true
[audit]
log = "$AUDIT_LOG"
EOF

last_audit() {  # a Python expression on the last audit line `a`
  python3 -c 'import json,sys
lines=[l for l in open(sys.argv[1]) if l.strip()]
a=json.loads(lines[-1]); v=eval(sys.argv[2])
print(" ".join(map(str, v)) if isinstance(v, tuple) else v)' "$AUDIT_LOG" "$1" 2>/dev/null
}

alibaba_pair() {  # a random fake pair, as it would sit in a config file
  printf 'access_key_id = LTAI5t%s\naccess_key_secret = %s\n' "$(random_alnum 18)" "$(random_alnum 30)"
}

# new_server NAME: an empty bare repository with the hook, installed the way
# an administrator would (`akgate install --repo`).
new_server() {
  local repo="$T/srv/$1"
  git init -q --bare "$repo"
  git -C "$repo" config http.receivepack true
  "$AKGATE" install --repo "$repo" --policy "$POLICY" --cache-dir "$T/rules-cache" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log"; return 1; }
  printf '%s\n' "$repo"
}

server_ref() { git --git-dir="$1" rev-parse -q --verify "$2" 2>/dev/null || echo none; }
loose_count() { find "$1/objects" -path '*/objects/[0-9a-f][0-9a-f]/*' -type f | wc -l; }
pack_count() { find "$1/objects/pack" -name 'pack-*.pack' | wc -l; }

commit_file() {  # WORK PATH CONTENT MESSAGE
  mkdir -p "$(dirname "$1/$2")"
  printf '%b' "$3" >"$1/$2"
  git -C "$1" add -- "$2"
  git -C "$1" commit -q -m "$4"
}

# --- the cases, the same for every transport ----------------------------------------------
# transport_cases NAME URL_OF PUSHER: URL_OF maps a repository name to its URL;
# PUSHER is who the hook should see.
transport_cases() {
  local name="$1" url_of="$2" pusher="$3"
  local repo work url
  repo="$(new_server "$name.git")" || { fail "$name: akgate install --repo"; return; }
  url="$("$url_of" "$name.git")"
  work="$T/work-$name"
  run git clone -q "$url" "$work"
  expect_rc "$name: clone of the empty repository" 0

  # A clean push is accepted.
  commit_file "$work" README.md "# $name demo\n" "Initial commit"
  commit_file "$work" app/main.py "import os\nKEY = os.environ['ALIBABA_CLOUD_ACCESS_KEY_ID']\n" "Read the key from the environment"
  run git -C "$work" push origin main
  expect_rc "$name: clean push accepted" 0
  check "$name: clean push: the hook's summary reaches the pusher" grep -q "^remote: akgate: push accepted: checked 2 new commits" <<<"$err"
  check "$name: clean push: ref updated" test "$(server_ref "$repo" main)" = "$(git -C "$work" rev-parse HEAD)"
  check "$name: the compiled rules are cached where install said (--cache-dir)" \
    test -n "$(find "$T/rules-cache" -name 'rules-*.cache' 2>/dev/null)"
  check "$name: clean push: audited with the pusher ($pusher)" test "$(last_audit 'a["decision"], a["pusher"]')" = "accept $pusher"
  local base
  base="$(server_ref "$repo" main)"

  # A push with a fake Alibaba Cloud pair is rejected, with the report.
  commit_file "$work" config/prod.ini "$(alibaba_pair)" "Add production config"
  run git -C "$work" push origin main
  expect_rc "$name: push with an Alibaba Cloud pair rejected" 1
  check "$name: rejected: verdict line as remote: output" grep -q "^remote: akgate: push REJECTED: 1 secret found" <<<"$err"
  check "$name: rejected: the finding, path:line, redacted" grep -qE "^remote: +config/prod.ini:2 +AccessKey secret +[A-Za-z0-9]{4}…" <<<"$err"
  check "$name: rejected: how to fix it" grep -q "^remote: How to fix it:" <<<"$err"
  check "$name: rejected: git says the hook declined" grep -q "\[remote rejected\] main -> main (pre-receive hook declined)" <<<"$err"
  check "$name: rejected: the secret never in full" lacks "$err" "$(sed -n 's/access_key_secret = //p' "$work/config/prod.ini")"
  check "$name: rejected: ref unchanged" test "$(server_ref "$repo" main)" = "$base"
  check "$name: rejected: audited" test "$(last_audit 'a["decision"], a["pusher"]')" = "reject $pusher"

  # The pusher may bypass (the policy lists them), with a reason.
  run git -C "$work" push -o "akgate.bypass=test fixture over $name" origin main
  expect_rc "$name: -o akgate.bypass accepted for $pusher" 0
  check "$name: bypass: the report says who bypassed" grep -q "^remote: .*bypassed by $pusher" <<<"$err"
  check "$name: bypass: ref updated" test "$(server_ref "$repo" main)" = "$(git -C "$work" rev-parse HEAD)"
  check "$name: bypass: audited with the reason" test "$(last_audit 'a["decision"], a["bypass_reason"]')" = "bypass test fixture over $name"

  # Loose and packed quarantine: small pushes are unpacked into loose objects,
  # larger ones kept as a pack; the hook must see the pushed objects either way.
  local limit mode loose packs
  for limit in 1 10000; do
    mode=$([[ "$limit" == 1 ]] && echo packed || echo loose)
    git --git-dir="$repo" config receive.unpackLimit "$limit"
    commit_file "$work" "secrets/$mode.env" "$(alibaba_pair)" "Add $mode secret"
    run git -C "$work" push origin main
    expect_rc "$name: $mode quarantine (unpackLimit $limit): pair rejected" 1
    check "$name: $mode quarantine: the finding is reported" grep -qE "^remote: +secrets/$mode.env:1 " <<<"$err"
    git -C "$work" reset -q --hard HEAD~1
    loose="$(loose_count "$repo")"
    packs="$(pack_count "$repo")"
    commit_file "$work" "docs/$mode.md" "$(random_alnum 200)\n" "Docs, $mode"
    run git -C "$work" push origin main
    expect_rc "$name: $mode quarantine: clean push accepted" 0
    if [[ "$mode" == packed ]]; then
      check "$name: $mode quarantine: the push landed as a pack" test "$(pack_count "$repo")" -gt "$packs"
    else
      check "$name: $mode quarantine: the push landed as loose objects" test "$(loose_count "$repo")" -gt "$loose"
    fi
  done
  git --git-dir="$repo" config --unset receive.unpackLimit
}

# --- the install itself ----------------------------------------------------------------------
install_cases() {
  local repo="$T/srv/chained.git" work="$T/work-chained"
  git init -q --bare "$repo"
  printf '#!/bin/sh\necho "site hook: saw $(wc -l) ref update(s)" >&2\n' >"$repo/hooks/pre-receive"
  chmod +x "$repo/hooks/pre-receive"
  cp "$repo/hooks/pre-receive" "$T/site-hook"
  cp "$repo/config" "$T/chained-config"
  run "$AKGATE" install --repo "$repo" --policy "$POLICY"
  expect_rc "install: into a repository with its own pre-receive hook" 0
  check "install: says the existing hook is kept and chained" grep -q "kept as .*pre-receive.akgate-chained" <<<"$out"
  run "$AKGATE" install --repo "$repo" --policy "$POLICY"
  check "install twice: nothing changes" grep -q "already installed .*(unchanged)" <<<"$out"
  git clone -q "file://$repo" "$work" 2>/dev/null
  commit_file "$work" a.txt "hello\n" "Hello"
  run git -C "$work" push origin main
  expect_rc "chained: clean push accepted by both hooks" 0
  check "chained: akgate ran first, then the site's hook with the same input" \
    grep -Pzq 'remote: akgate: push accepted[^\n]*\n(.*\n)*remote: site hook: saw 1 ref update' <<<"$err"
  commit_file "$work" b.ini "$(alibaba_pair)" "Key"
  run git -C "$work" push origin main
  expect_rc "chained: a pair is still rejected" 1
  check "chained: the site's hook did not run on a rejected push" lacks "$err" "site hook: saw"
  run "$AKGATE" uninstall --repo "$repo"
  expect_rc "uninstall: exits 0" 0
  check "uninstall: the site's hook is back, byte for byte" cmp -s "$repo/hooks/pre-receive" "$T/site-hook"
  check "uninstall: the config is back, byte for byte" cmp -s "$repo/config" "$T/chained-config"
  check "uninstall: nothing of akgate's left in hooks/" test -z "$(ls "$repo/hooks" | grep akgate)"

  # Every repository under a directory.
  local r
  for r in team/api.git team/web.git tools/deep/cli.git; do git init -q --bare "$T/fleet/$r"; done
  run "$AKGATE" install --all-under "$T/fleet" --policy "$POLICY"
  expect_rc "install --all-under: exits 0" 0
  check "install --all-under: every repository, counted" grep -q "3 repositories under $T/fleet: 3 installed" <<<"$out"
  git clone -q "file://$T/fleet/tools/deep/cli.git" "$T/work-fleet" 2>/dev/null
  commit_file "$T/work-fleet" conf.ini "$(alibaba_pair)" "Key"
  run git -C "$T/work-fleet" push origin main
  expect_rc "install --all-under: a pair pushed to one of them is rejected" 1
  run "$AKGATE" uninstall --all-under "$T/fleet"
  check "uninstall --all-under: removed from all" grep -q "3 repositories under $T/fleet: 3 uninstalled" <<<"$out"
  check "uninstall --all-under: no hook left" test -z "$(find "$T/fleet" -name pre-receive)"

  # Server-wide core.hooksPath, in a given gitconfig (the test's global one,
  # which the file:// receive-pack reads); the repository's own hooks still run.
  cp "$HOME/.gitconfig" "$T/gitconfig-before"
  run "$AKGATE" install --hooks-path "$T/server-hooks" --gitconfig "$HOME/.gitconfig" --policy "$POLICY"
  expect_rc "install --hooks-path: exits 0" 0
  check "install --hooks-path: core.hooksPath set" test "$(git config --global core.hooksPath)" = "$T/server-hooks"
  git init -q --bare "$T/srv/plain.git"
  printf '#!/bin/sh\ncat > "$GIT_DIR/post-receive.ran"\n' >"$T/srv/plain.git/hooks/post-receive"
  chmod +x "$T/srv/plain.git/hooks/post-receive"
  git clone -q "file://$T/srv/plain.git" "$T/work-plain" 2>/dev/null
  commit_file "$T/work-plain" ok.txt "fine\n" "Fine"
  run git -C "$T/work-plain" push origin main
  expect_rc "hooks path: a clean push is accepted" 0
  check "hooks path: akgate checked it" grep -q "^remote: akgate: push accepted" <<<"$err"
  check "hooks path: the repository's own post-receive still ran" test -s "$T/srv/plain.git/post-receive.ran"
  commit_file "$T/work-plain" conf.ini "$(alibaba_pair)" "Key"
  run git -C "$T/work-plain" push origin main
  expect_rc "hooks path: a pair pushed to any repository is rejected" 1
  run "$AKGATE" uninstall --hooks-path "$T/server-hooks" --gitconfig "$HOME/.gitconfig"
  expect_rc "uninstall --hooks-path: exits 0" 0
  check "uninstall --hooks-path: the gitconfig is back, byte for byte" cmp -s "$HOME/.gitconfig" "$T/gitconfig-before"
  check "uninstall --hooks-path: the hooks directory it made is gone" test ! -e "$T/server-hooks"

  # Gitea: its generated hooks/pre-receive runs every hook in pre-receive.d.
  local gitea="$T/gitea/owner/app.git"
  git init -q --bare "$gitea"
  mkdir -p "$gitea/hooks/pre-receive.d"
  cat >"$gitea/hooks/pre-receive" <<'EOF'
#!/usr/bin/env bash
# AUTO GENERATED BY GITEA, DO NOT MODIFY
data=$(cat)
exitcodes=""
hookname=$(basename $0)
GIT_DIR=${GIT_DIR:-$(dirname $0)/..}
for hook in ${GIT_DIR}/hooks/${hookname}.d/*; do
  test -x "${hook}" && test -f "${hook}" || continue
  echo "${data}" | "${hook}"
  exitcodes="${exitcodes} $?"
done
for i in ${exitcodes}; do
  [ ${i} -eq 0 ] || exit ${i}
done
EOF
  printf '#!/usr/bin/env bash\ncat >/dev/null\necho "gitea: checked" >&2\n' >"$gitea/hooks/pre-receive.d/gitea"
  chmod +x "$gitea/hooks/pre-receive" "$gitea/hooks/pre-receive.d/gitea"
  run "$AKGATE" install --repo "$gitea"
  check "install --repo on a Gitea repository: refused, pointing at --gitea" grep -q "use --gitea" <<<"$err"
  run "$AKGATE" install --gitea "$gitea" --policy "$POLICY"
  expect_rc "install --gitea: exits 0" 0
  git clone -q "file://$gitea" "$T/work-gitea" 2>/dev/null
  commit_file "$T/work-gitea" conf.ini "$(alibaba_pair)" "Key"
  GITEA_PUSHER_NAME=gitea-user run git -C "$T/work-gitea" push origin main
  expect_rc "gitea: a pair is rejected through pre-receive.d" 1
  check "gitea: the report reaches the pusher" grep -q "^remote: akgate: push REJECTED" <<<"$err"
  check "gitea: the pusher is GITEA_PUSHER_NAME" test "$(last_audit 'a["pusher"]')" = gitea-user
  run "$AKGATE" uninstall --gitea "$gitea"
  check "uninstall --gitea: only akgate's file removed" test "$(ls "$gitea/hooks/pre-receive.d")" = gitea

  run "$AKGATE" install --repo "$T/srv/not-there.git"
  expect_rc "install: a missing repository is an error (exit 2)" 2
  check "install: ... saying so" grep -q "not-there.git: no such file or directory" <<<"$err"
  mkdir -p "$T/srv/plain"
  run "$AKGATE" install --repo "$T/srv/plain"
  check "install: not a repository, said clearly" grep -q "is not a git repository" <<<"$err"

  # Without permission (only testable as root, which can become nobody). The
  # build may sit in a directory nobody cannot enter (a private clone): nobody
  # runs a copy.
  local nobody_akgate=""
  if [[ "$(id -u)" -eq 0 ]] && command -v runuser >/dev/null; then
    chmod 755 "$T" "$T/srv"
    mkdir -p -m 755 "$T/nobody-bin"
    cp "$AKGATE" "$T/nobody-bin/akgate" && chmod 755 "$T/nobody-bin/akgate" && nobody_akgate="$T/nobody-bin/akgate"
  fi
  if [[ -n "$nobody_akgate" ]] && runuser -u nobody -- test -x "$nobody_akgate" 2>/dev/null; then
    git init -q --bare "$T/srv/root-owned.git"
    run runuser -u nobody -- "$nobody_akgate" install --repo "$T/srv/root-owned.git"
    expect_rc "install without permission: exit 2" 2
    check "install without permission: names the directory and what to do" \
      grep -q "cannot write to $T/srv/root-owned.git/hooks: Permission denied; run as the owner" <<<"$err"
    check "install without permission: nothing written" test ! -e "$T/srv/root-owned.git/hooks/pre-receive"
    # Root installing into the git user's repository leaves it the git user's.
    git init -q --bare "$T/srv/nobody-owned.git"
    chown -R nobody "$T/srv/nobody-owned.git"
    run "$AKGATE" install --gitea "$T/srv/nobody-owned.git" --force --policy "$POLICY"  # not /etc/akgate
    expect_rc "install as root into another user's repository" 0
    check "as root: what install created belongs to the repository's owner" \
      test "$(stat -c %U "$T/srv/nobody-owned.git/hooks/pre-receive.d" "$T/srv/nobody-owned.git/hooks/pre-receive.d/akgate" "$T/srv/nobody-owned.git/config" | sort -u)" = nobody
    audit_log_cases "$nobody_akgate"
  else
    skip "install without permission" "needs root and runuser"
  fi
}

# The audit log on a real install: the hook runs as the repository's owner
# (here nobody), who cannot create a log under a directory root owns.
# nobody_push REPO WORK: a clone and a clean commit pushed by nobody (file://).
nobody_push() {
  mkdir -p -m 755 "$T/nobody-home" "$2" && chown nobody "$T/nobody-home" "$2"
  local as_nobody=(runuser -u nobody -- env HOME="$T/nobody-home" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8)
  "${as_nobody[@]}" git clone -q "file://$1" "$2" 2>/dev/null &&
    "${as_nobody[@]}" git -C "$2" -c user.name=Nobody -c user.email=nobody@example.com \
      commit -q --allow-empty -m "Clean" &&
    run "${as_nobody[@]}" git -C "$2" push origin HEAD:main
}
audit_log_cases() {
  local akgate="$1" log repo
  # As root: install creates the log's directory and file for the owner.
  log="$T/var-log/akgate/audit.log"
  # A policy directory of its own: install creates its fingerprint key for nobody.
  mkdir -p -m 755 "$T/audit-etc"
  printf '[audit]\nlog = "%s"\n' "$log" >"$T/audit-etc/audit-policy.toml"
  chmod 644 "$T/audit-etc/audit-policy.toml"
  repo="$T/srv/audited.git"
  git init -q --bare "$repo" && chown -R nobody "$repo"
  run "$AKGATE" install --repo "$repo" --policy "$T/audit-etc/audit-policy.toml" --akgate "$akgate"
  expect_rc "install as root: exits 0" 0
  check "install as root: the audit log is made ready for the repository's owner, and it says so" \
    grep -qF "the audit log is ready for nobody (the owner of $repo, who the hook runs as): created $T/var-log/akgate/ (mode 0750) and $log (mode 0640), owned by nobody" <<<"$out"
  check "install as root: the log's directory and file belong to the owner (0750, 0640)" \
    test "$(stat -c '%U %a' "$T/var-log/akgate" "$log" | tr '\n' ' ')" = "nobody 750 nobody 640 "
  nobody_push "$repo" "$T/work-audited"
  expect_rc "a push by the owner is accepted" 0
  check "the push is recorded: no \"not recorded\" note" lacks "$err" "not recorded"
  check "the push is recorded: one accept line in the log" \
    test "$(python3 -c 'import json,sys; print([json.loads(l)["decision"] for l in open(sys.argv[1])])' "$log")" = "['accept']"

  # Not as root: install says exactly what root must run, and that works.
  log="$T/var-log-2/akgate/audit.log"
  # Its own policy directory, which nobody may write: install (as nobody) creates the key there.
  mkdir -p -m 755 "$T/audit-etc-2" && chown nobody "$T/audit-etc-2"
  printf '[audit]\nlog = "%s"\n' "$log" >"$T/audit-etc-2/audit-policy.toml"
  chmod 644 "$T/audit-etc-2/audit-policy.toml"
  repo="$T/srv/audited-2.git"
  git init -q --bare "$repo" && chown -R nobody "$repo"
  run runuser -u nobody -- "$akgate" install --repo "$repo" --policy "$T/audit-etc-2/audit-policy.toml"
  expect_rc "install as the owner: exits 0" 0
  check "install as the owner: says it cannot create the audit log and what root must run" \
    grep -qF "nobody (the owner of $repo, who the hook runs as) cannot create the audit log $log, so every push would say \"this decision was not recorded\"; as root, run:" <<<"$out"
  check "install as the owner: nothing created" test ! -e "$T/var-log-2"
  local commands
  commands="$(sed -n 's/^      //p' <<<"$out")"
  run bash -ec "$commands"
  expect_rc "the printed commands run as root" 0
  nobody_push "$repo" "$T/work-audited-2"
  expect_rc "after them, a push by the owner is accepted" 0
  check "after them, the push is recorded" lacks "$err" "not recorded"
  check "after them, one line in the log" test "$(wc -l <"$log")" = 1
  run runuser -u nobody -- "$akgate" install --repo "$repo" --policy "$T/audit-etc-2/audit-policy.toml"
  check "install again: the log can be written, nothing to run" \
    contains_all "$out" "the audit log $log can be written by nobody"
}

# --- (a) file:// ----------------------------------------------------------------------------------
file_url() { printf 'file://%s/srv/%s\n' "$T" "$1"; }

# --- (b) ssh: a local sshd with its own host key, config and client key ---------------------------
start_sshd() {
  mkdir -p "$T/ssh"
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key" -C "akgate test host" || return 1
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/client_key" -C "akgate test client" || return 1
  cp "$T/ssh/client_key.pub" "$T/ssh/authorized_keys"
  chmod 600 "$T/ssh/authorized_keys"
  SSH_PORT="$(free_port)"
  cat >"$T/ssh/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $SSH_PORT
HostKey $T/ssh/host_key
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/authorized_keys
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $me
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
# The session's git (receive-pack and the hook) stays out of the real home.
SetEnv HOME=$T/home GIT_CONFIG_NOSYSTEM=1
LogLevel VERBOSE
EOF
  # As root, sshd needs its privilege-separation directory (made at boot on a
  # normal system); unprivileged, it runs without one.
  if [[ "$(id -u)" -eq 0 && ! -d /run/sshd ]]; then mkdir -p -m 0755 /run/sshd; fi
  "$SSHD" -t -f "$T/ssh/sshd_config" 2>"$T/ssh/check.log" || return 1
  "$SSHD" -D -e -f "$T/ssh/sshd_config" 2>"$T/ssh/sshd.log" &
  pids+=($!)
  wait_for_port "$SSH_PORT"
}
ssh_url() { printf 'ssh://%s@127.0.0.1:%s%s/srv/%s\n' "$me" "$SSH_PORT" "$T" "$1"; }

# --- (c) smart HTTP: git-http-backend behind nginx + fcgiwrap ------------------------------------
start_http() {
  mkdir -p "$T/nginx"
  HTTP_PORT="$(free_port)"
  # Basic auth, so the web server knows the pusher and passes REMOTE_USER.
  printf 'alice:%s\nbob:%s\n' "$(openssl passwd -apr1 alice-pass)" "$(openssl passwd -apr1 bob-pass)" >"$T/nginx/htpasswd"
  start_git_http "$T/nginx" "$T/srv" "$HTTP_PORT"
}
http_url() { printf 'http://alice:alice-pass@127.0.0.1:%s/git/%s\n' "$HTTP_PORT" "$1"; }

# --- run -----------------------------------------------------------------------------------------
install_cases
transport_cases file file_url "$me"

if start_sshd; then
  pass "sshd started on 127.0.0.1:$SSH_PORT ($( [[ "$(id -u)" -eq 0 ]] && echo root || echo unprivileged))"
  export GIT_SSH_COMMAND="ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o LogLevel=ERROR -i $T/ssh/client_key -p $SSH_PORT"
  transport_cases ssh ssh_url "$me"
  unset GIT_SSH_COMMAND
else
  fail "sshd started" "$(cat "$T/ssh/check.log" "$T/ssh/sshd.log" 2>/dev/null)"
fi

if start_http; then
  pass "nginx + fcgiwrap + git-http-backend started on 127.0.0.1:$HTTP_PORT"
  transport_cases http http_url alice
  # A pusher the policy does not list cannot bypass; the web server's user is the pusher.
  work="$T/work-http"
  git -C "$work" remote set-url origin "http://bob:bob-pass@127.0.0.1:$HTTP_PORT/git/http.git"
  commit_file "$work" config/bob.ini "$(alibaba_pair)" "Bob's config"
  run git -C "$work" push -o "akgate.bypass=please" origin main
  expect_rc "http: -o akgate.bypass refused for bob (not in [bypass] who)" 1
  check "http: refused bypass: bob is told why" grep -q "^remote: .*does not let bob bypass akgate" <<<"$err"
  check "http: refused bypass: audited with REMOTE_USER as the pusher" test "$(last_audit 'a["decision"], a["pusher"]')" = "reject bob"
else
  fail "nginx + fcgiwrap started" "$(cat "$T/nginx/start.log" "$T/nginx/error.log" 2>/dev/null)"
fi

finish
