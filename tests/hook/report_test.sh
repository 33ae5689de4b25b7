#!/usr/bin/env bash
# What the pusher reads, over real pushes: promises the policy keeps (a
# record, a notification), a tag pushed alone, the ways out when push options
# are off, GitLab's web UI (GL-HOOK-ERR lines, with the environment GitLab
# gives its server hooks).
#
#   AKGATE=build/akgate bash tests/hook/report_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
base="$(git -C "$work" rev-parse HEAD)"
me="$(id -un)"

# --- no audit log, no notification: the report promises neither -----------------
printf '[audit]\nlog = ""\n[bypass]\nwho = ["%s"]\n' "$me" >"$AKGATE_POLICY"
commit_file "$work" conf/app.ini "$(alibaba_pair)" "Add config"
push "$work" origin main
expect_rc "no audit: a pair is rejected" 1
check "no audit, no notification: the bypass hint promises neither" \
  grep -q "^remote:      or bypass the check for this push:$" <<<"$(remote_lines)"
check "no audit, no notification: nothing says recorded or notified" \
  bash -c '! grep -Eq "recorded|notified" <<<"$1"' _ "$err"
write_policy '[bypass]' "who = [\"$me\"]"
push "$work" -o 'akgate.bypass=test fixture' origin main
expect_rc "with an audit log: a bypass goes in" 0
check "with an audit log: the bypass is said to be recorded, no notification promised" \
  grep -q 'Reason given: "test fixture". This was recorded. Rotate' <<<"$err"
write_policy
base="$(git -C "$work" rev-parse HEAD)"

# --- a tag pushed alone ------------------------------------------------------------
git -C "$work" tag -a v9 -m "Release 9
$(alibaba_pair)" "$base"
push "$work" origin v9
expect_rc "a tag alone with a key in its message: rejected" 1
check "a tag alone: the verdict names the tag, not commits" \
  grep -q "^remote: akgate: push REJECTED: 1 secret found in the tag you are pushing." <<<"$err"
check "a tag alone: the fix re-creates the tag" \
  grep -q "git tag -d v9, then create it again without the secret" <<<"$err"
git -C "$work" tag -d v9 >/dev/null

# --- push options off: only ways that work, with the allowlist lines -------------
git -C "$server" config receive.advertisePushOptions false
commit_file "$work" conf/prod.ini "$(alibaba_pair)" "Add prod config"
push "$work" origin main
expect_rc "push options off: rejected" 1
fp="$(first_fingerprint)"
check "push options off: no git push -o is suggested" bash -c '! grep -q "git push -o akgate" <<<"$1"' _ "$err"
check "push options off: the allowlist lines for an administrator, what it was, then the fingerprint whole" \
  grep -A1 -q "^remote:        # Alibaba Cloud AccessKey pair (ID and secret), conf/prod.ini:1, commit [0-9a-f]*$" \
  <<<"$(remote_lines)"
check "push options off: the fingerprint line" grep -q "^remote:        \"$fp\",$" <<<"$(remote_lines)"
# The lines, pasted into the policy as printed, let the push in.
lines="$(remote_lines | sed -n '/^remote:        # /{N;s/^remote: //;s/\nremote: /\n/;p}')"
write_policy '[allowlist]' 'fingerprints = [' "$lines" ']'
check "the pasted lines name the fingerprint" grep -q "\"$fp\"," "$AKGATE_POLICY"
push "$work" origin main
expect_rc "the allowlist line as printed, pasted into the policy: accepted" 0
write_policy
git -C "$server" config receive.advertisePushOptions true

# --- GitLab: a web-UI commit (GL_PROTOCOL=web) gets GL-HOOK-ERR lines ------------
commit_file "$work" conf/web.ini "$(alibaba_pair)" "Edit in the web UI"
GL_ID=user-7 GL_PROTOCOL=web GL_REPOSITORY=project-42 GL_USERNAME=alice push "$work" origin main
expect_rc "GitLab web: rejected" 1
check "GitLab web: the verdict on a GL-HOOK-ERR line" \
  grep -q "^remote: GL-HOOK-ERR: akgate: push REJECTED: 1 secret found in the commits you are pushing.$" <<<"$(remote_lines)"
check "GitLab web: the finding and its fingerprint on a GL-HOOK-ERR line" \
  grep -q "^remote: GL-HOOK-ERR: Alibaba Cloud AccessKey pair (ID and secret) in conf/web.ini:1 (commit [0-9a-f]*), fingerprint [0-9a-f]\{16\}.$" <<<"$(remote_lines)"
check "GitLab web: the full report follows for GitLab's log" grep -q "How to fix it:" <<<"$err"
GL_ID=key-3 GL_PROTOCOL=ssh GL_REPOSITORY=project-42 GL_USERNAME=alice push "$work" origin main
expect_rc "GitLab ssh: rejected" 1
check "GitLab ssh: no GL-HOOK-ERR lines (a git client shows them as they are)" \
  bash -c '! grep -q "GL-HOOK-ERR" <<<"$1"' _ "$err"
check "GitLab ssh: the full report" grep -q "How to fix it:" <<<"$err"

finish
