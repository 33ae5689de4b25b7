#!/usr/bin/env bash
# The report's language over real pushes: the policy's [report] language
# (server-wide and per repository), -o akgate.lang for one push, an unknown
# value (a note, never a failure), a bad policy value (an error naming file
# and line), GitLab's web lines; the audit stays English.
#
#   AKGATE=build/akgate bash tests/hook/language_test.sh   (tests/run.sh does this)
set -uo pipefail
# shellcheck source=tests/hook/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

server="$(new_server server.git)"
work="$(new_clone "$server" work)"
pair="$(alibaba_pair)"
secret="$(sed -n 's/^access_key_secret = //p' <<<"$pair")"
commit_file "$work" conf/app.ini "$pair" "Add config"

no_secret() { bash -c '! grep -qF -- "$1" <<<"$2"' _ "$secret" "$err"; }

# --- the policy says zh-CN ---------------------------------------------------------
write_policy '[report]' 'language = "zh-CN"'
push "$work" origin main
expect_rc "zh-CN policy: a pair is rejected" 1
check "zh-CN policy: the Chinese verdict" \
  grep -qx "remote: akgate: 推送被拒绝：在您推送的提交中发现 1 个密钥。" <<<"$(remote_lines)"
check "zh-CN policy: the finding's place and its fingerprint in Chinese" \
  grep -Eq "^remote:     指纹 [0-9a-f]{16}  （规则 [a-z0-9-]+）$" <<<"$(remote_lines)"
check "zh-CN policy: how to fix it, in Chinese" grep -qx "remote: 如何修复：" <<<"$(remote_lines)"
check "zh-CN policy: the rotation advice for Alibaba Cloud" grep -q "^remote:        阿里云：" <<<"$(remote_lines)"
check "zh-CN policy: no English sentence" bash -c '! grep -Eq "How to fix|REJECTED|Rotate the key|fingerprint " <<<"$1"' _ "$err"
check "zh-CN policy: the secret is not shown" no_secret
check "zh-CN policy: the audit record stays English" test "$(audit_field 'a["decision"], a["cause"]')" = "reject findings"
check "zh-CN policy: no Chinese in the audit log" bash -c '! grep -q "推送\|密钥" "$1"' _ "$AUDIT_LOG"

# --- one push asks: -o akgate.lang ---------------------------------------------------
write_policy
push "$work" -o akgate.lang=zh-CN origin main
expect_rc "-o akgate.lang=zh-CN with an English policy: rejected" 1
check "-o akgate.lang=zh-CN with an English policy: the Chinese verdict" \
  grep -qx "remote: akgate: 推送被拒绝：在您推送的提交中发现 1 个密钥。" <<<"$(remote_lines)"
check "-o akgate.lang=zh-CN: the push options in the how-to-fix stay commands" \
  grep -q "^remote:        git push -o akgate.allow=[0-9a-f]\{16\} \\\\$" <<<"$(remote_lines)"
write_policy '[report]' 'language = "zh-CN"'
push "$work" -o akgate.lang=en origin main
expect_rc "-o akgate.lang=en with a Chinese policy: rejected" 1
check "-o akgate.lang=en with a Chinese policy: the English verdict" \
  grep -qx "remote: akgate: push REJECTED: 1 secret found in the commits you are pushing." <<<"$(remote_lines)"

# --- an unknown value: the policy's language and one note, never a failure ----------
push "$work" -o akgate.lang=klingon origin main
expect_rc "-o akgate.lang=klingon: rejected for the secret, not for the option" 1
check "-o akgate.lang=klingon: the report in the policy's language (Chinese)" \
  grep -qx "remote: akgate: 推送被拒绝：在您推送的提交中发现 1 个密钥。" <<<"$(remote_lines)"
check "-o akgate.lang=klingon: one note says so, in that language" \
  test "$(grep -cx "remote: 注意：-o akgate.lang=klingon 不是 en 或 zh-CN；报告使用策略设置的语言。" <<<"$(remote_lines)")" = 1
write_policy
clean="$(new_clone "$server" clean)"
commit_file "$clean" README.md "hello" "Add a readme"
push "$clean" -o akgate.lang=fr origin HEAD:clean
expect_rc "-o akgate.lang=fr on a clean push: accepted" 0
check "-o akgate.lang=fr on a clean push: the English acceptance" \
  grep -q "^remote: akgate: push accepted: checked 1 new commit" <<<"$(remote_lines)"
check "-o akgate.lang=fr on a clean push: one English note" \
  grep -qx "remote: Note: -o akgate.lang=fr is not en or zh-CN; the report is in the policy's language." \
  <<<"$(remote_lines)"

# --- per repository: akgate.toml overrides the server's language -------------------
printf '[report]\nlanguage = "zh-Hans"\n' >"$server/akgate.toml"
push "$work" origin main
expect_rc "per-repository zh-Hans over an English server policy: rejected" 1
check "per-repository zh-Hans: the Chinese verdict" \
  grep -qx "remote: akgate: 推送被拒绝：在您推送的提交中发现 1 个密钥。" <<<"$(remote_lines)"

# --- a language akgate does not offer in the policy: an error naming file and line --
printf '[report]\nmax_findings = 3\nlanguage = "zh-TW"\n' >"$server/akgate.toml"
push "$work" origin main
expect_rc "policy language = \"zh-TW\": fails closed" 1
check "policy language = \"zh-TW\": the pusher is told the file and line" grep -qF "policy $server/akgate.toml:3: " <<<"$err"
check "policy language = \"zh-TW\": the error names the key, what is accepted and the value" \
  test "$(audit_field 'a["error"]')" = "policy $server/akgate.toml:3: report: 'language' must be \"en\" or \"zh-CN\", not \"zh-TW\""
rm -f "$server/akgate.toml"

# --- GitLab's web UI: the GL-HOOK-ERR lines in Chinese -------------------------------
write_policy '[report]' 'language = "zh-CN"'
GL_ID=user-7 GL_PROTOCOL=web GL_REPOSITORY=project-42 GL_USERNAME=alice push "$work" origin main
expect_rc "GitLab web, Chinese policy: rejected" 1
check "GitLab web: the Chinese verdict on a GL-HOOK-ERR line" \
  grep -qx "remote: GL-HOOK-ERR: akgate: 推送被拒绝：在您推送的提交中发现 1 个密钥。" <<<"$(remote_lines)"
check "GitLab web: the finding's place and fingerprint on a GL-HOOK-ERR line, in Chinese" \
  grep -q "^remote: GL-HOOK-ERR: Alibaba Cloud AccessKey pair (ID and secret)，位于 conf/app.ini:1（提交 [0-9a-f]*），指纹 [0-9a-f]\{16\}。$" \
  <<<"$(remote_lines)"
check "GitLab web: the secret is not shown" no_secret

finish
