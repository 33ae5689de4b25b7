// The catalogue (see messages.h). The Chinese follows Alibaba Cloud's own
// documentation: AccessKey, RAM 用户, 轮换, 禁用, 推送, 提交. Chinese text uses
// full-width punctuation（，。：；）and a space between Chinese and Latin
// words; quotes around user content stay ASCII, so every column is either
// narrow or wide, never ambiguous (report/text_layout.h counts widths).
#include "report/messages.h"

#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace akgate {

namespace {

using M = Msg;

// In the order of Msg (checked below).
constexpr MessageText kCatalogue[] = {
    // --- push report: verdicts and summaries ---
    {M::kRejectedUnrecorded, "akgate: push REJECTED: it could not be recorded.", nullptr,
     "akgate: 推送被拒绝：无法记录此次推送。"},
    {M::kUnrecordedExplained,
     "A bypass, an allowed finding, a push let through in monitor mode or a push accepted without a complete check "
     "is let in only when the audit log "
     "records it. Please tell the server administrators ([audit] log in the policy).",
     nullptr,
     "绕过检查、被允许的发现项、监控模式下放行的推送以及未经完整检查而接受的推送，只有在审计日志记录之后才会放行。"
     "请告知服务器管理员（策略中的 [audit] log）。"},
    {M::kCheckTimedOut, "the check did not finish in time", nullptr, "检查未能在限定时间内完成"},
    {M::kCheckFailed, "the push could not be checked", nullptr, "无法检查此次推送"},
    {M::kAcceptedFailureBypassed, "akgate: push ACCEPTED: {what}, bypassed by {pusher}.", nullptr,
     "akgate: 推送已接受：{what}，{pusher} 已绕过检查。"},
    {M::kAcceptedUnchecked, "akgate: push ACCEPTED WITHOUT A COMPLETE CHECK: {what}.", nullptr,
     "akgate: 推送已接受，但未经完整检查：{what}。"},
    {M::kRejectedFailure, "akgate: push REJECTED: {what}.", nullptr, "akgate: 推送被拒绝：{what}。"},
    {M::kPolicyUnreadable, "A policy that cannot be read is never trusted: the push is not let in.", nullptr,
     "无法读取的策略不会被信任：推送不予放行。"},
    {M::kFailModeBlock, "The server's policy says {key} = \"{mode}\": a push that cannot be checked is not let in.",
     nullptr, "服务器策略设置为 {key} = \"{mode}\"：无法检查的推送不予放行。"},
    {M::kFailModeAllow, "The server's policy says {key} = \"{mode}\".", nullptr,
     "服务器策略设置为 {key} = \"{mode}\"。"},
    {M::kSoFar, "So far: {commits}, {files} ({bytes}).", nullptr, "目前已检查：{commits}，{files}（{bytes}）。"},
    {M::kTryFewerCommits, "Try pushing fewer commits at a time, or ask the administrators to raise time_budget.",
     nullptr, "请每次推送更少的提交，或请管理员调大 time_budget。"},
    {M::kTellAdministrators, "Please tell the server administrators; the message above says what failed.", nullptr,
     "请告知服务器管理员；上面的信息说明了失败原因。"},
    {M::kBypassRefused, "Bypass refused: {why}.", nullptr, "绕过检查被拒绝：{why}。"},
    {M::kYou, "you", nullptr, "您"},
    {M::kBypassNotPermitted, "the policy does not let {pusher} bypass akgate", nullptr,
     "策略不允许 {pusher} 绕过 akgate"},
    {M::kAllowNotPermitted, "the policy does not let {pusher} allow findings with -o akgate.allow", nullptr,
     "策略不允许 {pusher} 通过 -o akgate.allow 允许发现项"},
    {M::kReasonRequired, "a reason is required: {command}", nullptr, "需要给出理由：{command}"},
    {M::kMayBypassAnyway, "You may push anyway: {command}", nullptr, "您仍可推送：{command}"},
    {M::kAcceptedBypassed, "akgate: push ACCEPTED: {secrets} found, bypassed by {pusher}.", nullptr,
     "akgate: 推送已接受：发现 {secrets}，{pusher} 已绕过检查。"},
    {M::kThePusher, "the pusher", nullptr, "推送者"},
    {M::kReasonGiven, "Reason given: \"{reason}\".", nullptr, "给出的理由：\"{reason}\"。"},
    {M::kRotateIfReal, "Rotate the key if it is real.", nullptr, "如果密钥是真实的，请轮换。"},
    {M::kRecordedNotified, "This was recorded and the security team is notified.", nullptr,
     "此操作已记录，并已通知安全团队。"},
    {M::kRecorded, "This was recorded.", nullptr, "此操作已记录。"},
    {M::kNotified, "The security team is notified.", nullptr, "已通知安全团队。"},
    {M::kRejectedFindings, "akgate: push REJECTED: {secrets} found in {carriers} you are pushing.", nullptr,
     "akgate: 推送被拒绝：在您推送的{carriers}中发现 {secrets}。"},
    {M::kMonitoredFindings,
     "akgate: push ACCEPTED IN MONITOR MODE; it would have been REJECTED: {secrets} found in {carriers} you are "
     "pushing.",
     nullptr, "akgate: 推送在监控模式下已接受；否则会被拒绝：在您推送的{carriers}中发现 {secrets}。"},
    {M::kMonitoredFailure, "akgate: push ACCEPTED IN MONITOR MODE; it would have been REJECTED: {what}.", nullptr,
     "akgate: 推送在监控模式下已接受；否则会被拒绝：{what}。"},
    {M::kMonitorExplained,
     "akgate only monitors this server for now ([gate] mode = \"monitor\"): it refuses nothing yet, and records "
     "this push as one it would have refused. Once it enforces, the same push will be refused.",
     nullptr,
     "akgate 目前在此服务器上仅做监控（[gate] mode = \"monitor\"）：暂不拒绝任何推送，"
     "并把此次推送记录为本应拒绝的推送。一旦开始强制执行，同样的推送将被拒绝。"},
    {M::kCheckedParen, "({checked})", nullptr, "（{checked}）"},
    {M::kAlsoWarnings, "Also {warnings} (not blocking):", nullptr, "另有 {warnings}（不阻止推送）："},
    {M::kAccepted, "akgate: push accepted: {checked}.", nullptr, "akgate: 推送已接受：{checked}。"},
    {M::kAcceptedWithWarnings, "akgate: push accepted with {warnings}: {checked}.", nullptr,
     "akgate: 推送已接受，有 {warnings}：{checked}。"},
    {M::kWarningsExplained, "These look like secrets but do not block; check them, and rotate any that is real:",
     nullptr, "以下内容看起来像密钥，但不阻止推送；请逐一检查，并轮换其中真实的密钥："},
    {M::kChecked, "checked {what}, {files} ({bytes}) in {duration}", nullptr,
     "已检查 {what}，{files}（{bytes}），用时 {duration}"},
    {M::kListSeparator, ", ", nullptr, "、"},
    // --- counts ---
    {M::kSecrets, "{n} secret", "{n} secrets", "{n} 个密钥"},
    {M::kWarnings, "{n} warning", "{n} warnings", "{n} 个警告"},
    {M::kNewCommits, "{n} new commit", "{n} new commits", "{n} 个新提交"},
    {M::kCommits, "{n} commit", "{n} commits", "{n} 个提交"},
    {M::kTags, "{n} tag", "{n} tags", "{n} 个标签"},
    {M::kFiles, "{n} file", "{n} files", "{n} 个文件"},
    {M::kMorePlaces, "(the same secret is in {n} more place of this push)",
     "(the same secret is in {n} more places of this push)", "（此次推送中还有 {n} 处含有同一密钥）"},
    {M::kPairedAcrossPush, "the other half of this pair ({pair}) is in {places}, added by the same push", nullptr,
     "该凭证对（{pair}）的另一半位于 {places}，由同一次推送添加"},
    {M::kPairedAcrossCommit, "the other half of this pair ({pair}) is in {places}, added by the same commit", nullptr,
     "该凭证对（{pair}）的另一半位于 {places}，由同一个提交添加"},
    {M::kBlockingFindings, "{n} blocking finding", "{n} blocking findings", "{n} 个阻止级发现项"},
    // --- where the secrets are ---
    {M::kCarrierCommits, "the commits", nullptr, "提交"},
    {M::kCarrierTag, "the tag", nullptr, "标签"},
    {M::kCarrierTags, "the tags", nullptr, "标签"},
    {M::kCarrierCommitsAndTags, "the commits and tags", nullptr, "提交和标签"},
    {M::kSeenCommit, "the commit", nullptr, "该提交"},
    {M::kSeenTag, "the tag", nullptr, "该标签"},
    {M::kSeenCommits, "the commits", nullptr, "这些提交"},
    {M::kSeenTags, "the tags", nullptr, "这些标签"},
    {M::kSeenCommitsAndTags, "the commits and tags", nullptr, "这些提交和标签"},
    // --- one finding ---
    {M::kWholeFile, "(whole file)", nullptr, "（整个文件）"},
    {M::kMessageLine, "line {line}", nullptr, "第 {line} 行"},
    {M::kCommit, "commit {commit}", nullptr, "提交 {commit}"},
    {M::kCommitBy, "commit {commit} by {author}", nullptr, "提交 {commit}，作者 {author}"},
    {M::kCommitSubject, "{commit}: \"{subject}\"", nullptr, "{commit}：\"{subject}\""},
    {M::kEncoded, "({encoding}-encoded)", nullptr, "（{encoding} 编码）"},
    {M::kInCommitMessage, "in the message of {commit}", nullptr, "位于提交说明中：{commit}"},
    {M::kInTagMessage, "in the message of tag {ref}", nullptr, "位于标签 {ref} 的说明中"},
    {M::kInTaggedObject, "in {ref} (a tag or ref naming a blob or tree)", nullptr,
     "位于 {ref}（指向 blob 或 tree 的标签或引用）"},
    {M::kFingerprint, "fingerprint {fingerprint}", nullptr, "指纹 {fingerprint}"},
    {M::kRuleParen, "(rule {rule})", nullptr, "（规则 {rule}）"},
    {M::kMoreNotShown, "... and {more} more not shown ({total} in all; fix these and push again to see the rest).",
     nullptr, "另有 {more} 个未显示（共 {total} 个；修复以上各项后再次推送即可看到其余的）。"},
    {M::kSourceFile, "file", nullptr, "文件"},
    {M::kSourceCommitMessage, "commit message", nullptr, "提交说明"},
    {M::kSourceTagMessage, "tag message", nullptr, "标签说明"},
    {M::kSourceTaggedObject, "tagged object", nullptr, "标签指向的对象"},
    {M::kNotScanned, "Not scanned: {files} ({reasons}):", nullptr, "未扫描：{files}（{reasons}）："},
    {M::kAndMore, "and {n} more", nullptr, "另有 {n} 个"},
    // --- how to fix it ---
    {M::kHowToFix, "How to fix it:", nullptr, "如何修复："},
    {M::kRemove, "Remove it from {carriers} you are pushing.", "Remove them from {carriers} you are pushing.",
     "从您推送的{carriers}中移除密钥。"},
    {M::kRemoveFromHistory,
     "Remove it from {carriers} you are pushing. Deleting it in a new commit is not enough: it stays in the history.",
     "Remove them from {carriers} you are pushing. Deleting them in a new commit is not enough: they stay in the "
     "history.",
     "从您推送的{carriers}中移除密钥。仅在新的提交中删除是不够的：密钥仍会留在历史记录中。"},
    {M::kFixLastCommit, "in your last commit:", nullptr, "在最后一个提交中："},
    {M::kFixLastCommitHow, "fix the file, git add it, then git commit --amend", nullptr,
     "修改文件并 git add，然后 git commit --amend"},
    {M::kFixOlderCommit, "in an older commit:", nullptr, "在较早的提交中："},
    {M::kFixOlderCommitHow, "(mark {commit} \"edit\", fix it, git commit --amend, then git rebase --continue)", nullptr,
     "（将 {commit} 标为 edit，改好后 git commit --amend，再 git rebase --continue）"},
    {M::kFixManyCommits, "in many commits:", nullptr, "在多个提交中："},
    {M::kSecretsFileLine1, "put each secret on a line of its own in ../secrets.txt", nullptr,
     "将每个密钥单独一行写入 ../secrets.txt"},
    {M::kSecretsFileLine2, "(outside the repository) as SECRET==>REMOVED, then", nullptr,
     "（放在仓库之外），格式为 SECRET==>REMOVED，然后执行"},
    {M::kFilterRepoOrigin, "(filter-repo removes origin: git remote add origin <url>)", nullptr,
     "（filter-repo 会移除 origin：git remote add origin <url>）"},
    {M::kFixTag, "in tag {tag}:  git tag -d {tag}, then create it again without the secret", nullptr,
     "在标签 {tag} 中：git tag -d {tag}，然后重新创建不含密钥的标签"},
    {M::kRotate, "Rotate the key: treat it as leaked, anyone who saw {seen} may have copied it.",
     "Rotate the keys: treat them as leaked, anyone who saw {seen} may have them.",
     "轮换密钥：请将其视为已泄露，任何看到过{seen}的人都可能已复制了它。"},
    {M::kNotSecretAskAdmins,
     "If it is not a real secret (a false positive), ask the akgate administrators to add these lines to "
     "[allowlist] fingerprints = [...] in the policy:",
     nullptr, "如果这不是真实的密钥（误报），请 akgate 管理员将以下几行加入策略的 [allowlist] fingerprints = [...]："},
    {M::kNoPushOptions, "(Push options, git push -o, are not available for this push.)", nullptr,
     "（此次推送不能使用推送选项 git push -o。）"},
    {M::kNotSecretPushAnyway, "If it is not a real secret (a false positive), push anyway:", nullptr,
     "如果这不是真实的密钥（误报），仍可推送："},
    {M::kReasonOption, "-o akgate.reason=\"why it is not a secret\"", nullptr, "-o akgate.reason=\"说明为何不是密钥\""},
    {M::kOneAllowPerFinding, "(one -o akgate.allow=<fingerprint> per finding)", nullptr,
     "（每个发现项一个 -o akgate.allow=<fingerprint>）"},
    {M::kOrBypass, "or bypass the check for this push{told}:", nullptr, "或者绕过此次推送的检查{told}："},
    {M::kBypass, "bypass the check{told}:", nullptr, "绕过检查{told}："},
    {M::kToldRecordedNotified, " (recorded, and the security team is notified)", nullptr,
     "（将被记录，并通知安全团队）"},
    {M::kToldRecorded, " (recorded)", nullptr, "（将被记录）"},
    {M::kToldNotified, " (the security team is notified)", nullptr, "（将通知安全团队）"},
    {M::kBypassCommand, "git push -o akgate.bypass=\"why this is safe\"", nullptr,
     "git push -o akgate.bypass=\"说明为何安全\""},
    {M::kOrAskAdmins,
     "or ask the akgate administrators to add these lines to [allowlist] fingerprints = [...] in the policy:", nullptr,
     "或者请 akgate 管理员将以下几行加入策略的 [allowlist] fingerprints = [...]："},
    {M::kTitleWhere, "{title}, {where}", nullptr, "{title}，{where}"},
    {M::kTitleWhereCommit, "{title}, {where}, commit {commit}", nullptr, "{title}，{where}，提交 {commit}"},
    // --- notes, allowed and pre-existing findings ---
    {M::kNote, "Note: {note}", nullptr, "注意：{note}"},
    {M::kAllowIgnored, "-o akgate.allow ignored: {why}.", nullptr, "-o akgate.allow 已被忽略：{why}。"},
    {M::kAllowUnused, "-o akgate.allow={fingerprint} matched no finding in this push.", nullptr,
     "-o akgate.allow={fingerprint} 未匹配此次推送中的任何发现项。"},
    {M::kLanguageUnknown, "-o akgate.lang={value} is not en or zh-CN; the report is in the policy's language.", nullptr,
     "-o akgate.lang={value} 不是 en 或 zh-CN；报告使用策略设置的语言。"},
    {M::kInlineRefused,
     "{n} finding is on a line marked akgate:allow or gitleaks:allow; this server does not honour such marks in "
     "pushed content ([allowlist] inline = \"block\" in its policy).",
     "{n} findings are on a line marked akgate:allow or gitleaks:allow; this server does not honour such marks in "
     "pushed content ([allowlist] inline = \"block\" in its policy).",
     "{n} 个发现项位于标记了 akgate:allow 或 gitleaks:allow 的行上；本服务器不认可推送内容中的此类标记"
     "（策略中 [allowlist] inline = \"block\"）。"},
    {M::kPreviousUnknown,
     "the earlier version of {n} changed file with findings could not be read from the upstream ({why}): a secret "
     "that was already there counts as new.",
     "the earlier version of {n} changed files with findings could not be read from the upstream ({why}): a secret "
     "that was already there counts as new.",
     "有 {n} 个含发现项的已修改文件，无法从上游读取其先前版本（{why}）：其中原有的密钥按新增计算。"},
    {M::kNotRecordedNote, "akgate: note: this decision was not recorded: {problem}", nullptr,
     "akgate: 注意：本次决定未被记录：{problem}"},
    {M::kAllowedRecorded, "Allowed (recorded):", nullptr, "已允许（已记录）："},
    {M::kAllowedHeading, "Allowed:", nullptr, "已允许："},
    {M::kAllowedByOption, "allowed by -o akgate.allow", nullptr, "由 -o akgate.allow 允许"},
    {M::kAllowedInline, "allowed by an akgate:allow line", nullptr, "由 akgate:allow 标记行允许"},
    {M::kAllowedByPolicy, "allowed by the policy", nullptr, "由策略允许"},
    {M::kPreExistingCounted,
     "{n} secret was already in these files before this push: not counted (git push -o akgate.verbose lists them).",
     "{n} secrets were already in these files before this push: not counted (git push -o akgate.verbose lists "
     "them).",
     "{n} 个密钥在此次推送之前就已存在于这些文件中：不计入（git push -o akgate.verbose 可列出）。"},
    {M::kPreExistingHeading, "Already present before this push (not counted, but consider rotating them):", nullptr,
     "此次推送之前已存在（不计入，但请考虑轮换）："},
    // --- GitLab's web UI ---
    {M::kGitLabFinding, "{title} in {where}, fingerprint {fingerprint}.", nullptr,
     "{title}，位于 {where}，指纹 {fingerprint}。"},
    {M::kGitLabFindingCommit, "{title} in {where} (commit {commit}), fingerprint {fingerprint}.", nullptr,
     "{title}，位于 {where}（提交 {commit}），指纹 {fingerprint}。"},
    {M::kGitLabFindingTag, "{title} in {where} (tag {tag}), fingerprint {fingerprint}.", nullptr,
     "{title}，位于 {where}（标签 {tag}），指纹 {fingerprint}。"},
    {M::kGitLabMore, "... and {n} more.", nullptr, "另有 {n} 个。"},
    {M::kGitLabWhatToDo,
     "Remove it from {carriers} and rotate the key; if it is not a real secret, ask the akgate administrators to "
     "allowlist its fingerprint.",
     "Remove them from {carriers} and rotate the keys; if it is not a real secret, ask the akgate administrators "
     "to allowlist its fingerprint.",
     "请从{carriers}中移除密钥并轮换；如果这不是真实的密钥，请 akgate 管理员将其指纹加入允许列表。"},
    // --- rotation advice ---
    {M::kAdviceAlibaba,
     "Alibaba Cloud: disable, then delete the AccessKey in the RAM console (https://ram.console.aliyun.com/users) "
     "and create a new one for a RAM user with least privilege, never for the root account. Keep keys in "
     "environment variables (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET) or in "
     "~/.alibabacloud/credentials, not in code; prefer STS tokens and RAM roles where you can.",
     nullptr,
     "阿里云：在 RAM 控制台（https://ram.console.aliyun.com/users）先禁用、再删除该 AccessKey，"
     "并为遵循最小权限原则的 RAM 用户创建新的 AccessKey，切勿为主账号创建。请将密钥保存在环境变量"
     "（ALIBABA_CLOUD_ACCESS_KEY_ID、ALIBABA_CLOUD_ACCESS_KEY_SECRET）或 ~/.alibabacloud/credentials 中，"
     "不要写在代码里；尽可能使用 STS 临时凭证和 RAM 角色。"},
    {M::kAdviceAws,
     "AWS: deactivate, then delete the access key in the IAM console (https://console.aws.amazon.com/iam/) and "
     "create one for an IAM user or role with least privilege. Keep keys in environment variables or "
     "~/.aws/credentials, not in code; prefer IAM roles.",
     nullptr,
     "AWS：在 IAM 控制台（https://console.aws.amazon.com/iam/）先停用、再删除该访问密钥，"
     "并为遵循最小权限原则的 IAM 用户或角色创建新的访问密钥。请将密钥保存在环境变量或 ~/.aws/credentials 中，"
     "不要写在代码里；尽可能使用 IAM 角色。"},
    {M::kAdviceTencent,
     "Tencent Cloud: disable, then delete the SecretId in the CAM console "
     "(https://console.cloud.tencent.com/cam/capi) and create one for a sub-user with least privilege. Keep it in "
     "environment variables (TENCENTCLOUD_SECRET_ID/_KEY), not in code.",
     nullptr,
     "腾讯云：在访问管理（CAM）控制台（https://console.cloud.tencent.com/cam/capi）先禁用、再删除该 SecretId，"
     "并为遵循最小权限原则的子用户创建新的密钥。请将其保存在环境变量（TENCENTCLOUD_SECRET_ID/_KEY）中，"
     "不要写在代码里。"},
    {M::kAdviceHuawei,
     "Huawei Cloud: delete the access key under My Credentials > Access Keys in the console and create one for an "
     "IAM user with least privilege. Keep it in environment variables (CLOUD_SDK_AK, CLOUD_SDK_SK), not in code.",
     nullptr,
     "华为云：在控制台的 我的凭证 > 访问密钥 页面删除该访问密钥，并为遵循最小权限原则的 IAM 用户创建新的访问密钥。"
     "请将其保存在环境变量（CLOUD_SDK_AK、CLOUD_SDK_SK）中，不要写在代码里。"},
    {M::kAdviceVolcengine,
     "Volcengine: disable, then delete the AccessKey in the IAM console (Access keys) and create one for a "
     "sub-user with least privilege. Keep it in environment variables (VOLC_ACCESSKEY, VOLC_SECRETKEY), not in "
     "code.",
     nullptr,
     "火山引擎：在访问控制（IAM）控制台的 密钥管理 页面先禁用、再删除该 AccessKey，"
     "并为遵循最小权限原则的子用户创建新的 AccessKey。请将其保存在环境变量（VOLC_ACCESSKEY、VOLC_SECRETKEY）中，"
     "不要写在代码里。"},
    {M::kAdviceGoogle,
     "Google Cloud: delete the service account key in IAM & Admin > Service accounts "
     "(https://console.cloud.google.com/iam-admin/serviceaccounts); prefer workload identity or short-lived "
     "credentials to key files.",
     nullptr,
     "Google Cloud：在 IAM 和管理 > 服务账号（https://console.cloud.google.com/iam-admin/serviceaccounts）"
     "中删除该服务账号密钥；尽可能使用工作负载身份或短期凭证，而不是密钥文件。"},
    {M::kAdviceAzure,
     "Azure: regenerate the storage account key (Storage account > Security + networking > Access keys) and "
     "update its users; prefer Microsoft Entra ID or short-lived SAS tokens.",
     nullptr,
     "Azure：重新生成存储账户密钥（存储账户 > 安全性 + 网络 > 访问密钥），并更新所有使用它的地方；"
     "尽可能使用 Microsoft Entra ID 或短期 SAS 令牌。"},
    {M::kAdviceGitHub,
     "GitHub: revoke the token (https://github.com/settings/tokens) and create a new one with only the scopes it "
     "needs.",
     nullptr, "GitHub：吊销该令牌（https://github.com/settings/tokens），并创建一个只含所需权限范围的新令牌。"},
    {M::kAdviceGitLab,
     "GitLab: revoke the token (User settings > Access tokens) and create a new one with only the scopes it needs.",
     nullptr, "GitLab：吊销该令牌（用户设置 > 访问令牌），并创建一个只含所需权限范围的新令牌。"},
    {M::kAdviceSlack, "Slack: revoke the token or rotate the app's credentials (https://api.slack.com/apps).", nullptr,
     "Slack：吊销该令牌，或轮换应用的凭证（https://api.slack.com/apps）。"},
    {M::kAdviceStripe, "Stripe: roll the key in the dashboard (https://dashboard.stripe.com/apikeys).", nullptr,
     "Stripe：在控制台（https://dashboard.stripe.com/apikeys）中轮换该密钥。"},
    {M::kAdviceGeneric,
     "Revoke or replace it where it was issued, and keep secrets in environment variables or a secret manager, "
     "not in code.",
     nullptr, "请在签发处吊销或替换该密钥，并将密钥保存在环境变量或密钥管理服务中，不要写在代码里。"},
    // --- `akgate scan`'s text report ---
    {M::kScanBlock, "BLOCK", nullptr, "阻止"},
    {M::kScanWarn, "WARN", nullptr, "警告"},
    {M::kScanRuleFingerprint, "rule {rule}, fingerprint {fingerprint}", nullptr, "规则 {rule}，指纹 {fingerprint}"},
    {M::kScanned, "Scanned {files} ({bytes}) in {duration}.", nullptr, "已扫描 {files}（{bytes}），用时 {duration}。"},
    {M::kScannedSkipped, "Scanned {files} ({bytes}) in {duration}; skipped {skipped} ({reasons}).", nullptr,
     "已扫描 {files}（{bytes}），用时 {duration}；跳过 {skipped} 个（{reasons}）。"},
    {M::kScanAllowed, "Allowed: {inline} by akgate:allow, {fingerprint} by fingerprint.", nullptr,
     "已允许：akgate:allow 标记 {inline} 个，指纹 {fingerprint} 个。"},
    {M::kScanBlockingSummary, "{blocking}, {warnings}.", nullptr, "{blocking}，{warnings}。"},
    {M::kScanOnlyWarnings, "No blocking findings; {warnings}.", nullptr, "没有阻止级发现项；{warnings}。"},
    {M::kScanNoFindings, "No findings.", nullptr, "未发现任何问题。"},
    // --- `akgate scan --history`'s text report ---
    {M::kHistoryRepository, "Repository {path} ({refs})", nullptr, "仓库 {path}（{refs}）"},
    {M::kHistoryRepositoryError, "Cannot scan {path}: {error}", nullptr, "无法扫描 {path}：{error}"},
    {M::kHistoryIntroducedBy, "introduced {date} in {commit}", nullptr, "{date} 引入于{commit}"},
    {M::kHistoryInCommitMessage, "in the message of {commit}, {date}", nullptr, "在{commit}的提交说明中，{date}"},
    {M::kHistoryInTagMessage, "in the message of tag {ref}", nullptr, "在标签 {ref} 的说明中"},
    {M::kHistoryInTaggedObject, "in the object that {ref} names", nullptr, "在 {ref} 直接指向的对象中"},
    {M::kHistoryUnreachable, "in object {blob}, which no ref reaches (a dropped branch or a rewritten history)",
     nullptr, "在对象 {blob} 中，没有任何引用可达（已删除的分支或被改写的历史）"},
    {M::kHistorySpread, "in {blobs}, {commits}, {paths}", nullptr, "出现在 {blobs}、{commits}、{paths}中"},
    {M::kHistorySpreadReachable, "in {blobs}, {commits}, {paths}; reachable from {refs}", nullptr,
     "出现在 {blobs}、{commits}、{paths}中；可从 {refs} 到达"},
    {M::kHistoryReachable, "reachable from {refs}", nullptr, "可从 {refs} 到达"},
    {M::kHistoryStillInPath, "still in {path} on {refs}", nullptr, "仍在 {refs} 的 {path} 中"},
    {M::kHistoryStillInMore, "and in {paths} more", nullptr, "另外还在 {paths}中"},
    {M::kHistoryAndMore, "{n} more", nullptr, "另外 {n} 个"},
    {M::kHistoryOnly, "in history only: no branch tip holds it now", nullptr, "仅在历史中：当前没有分支末端包含它"},
    {M::kHistoryScanned, "Scanned {repositories}: {commits}, {blobs} ({bytes}) in {duration}.", nullptr,
     "已扫描 {repositories}：{commits}，{blobs}（{bytes}），用时 {duration}。"},
    {M::kHistorySkipped, "Skipped {blobs} ({reasons}).", nullptr, "跳过 {blobs}（{reasons}）。"},
    {M::kHistoryAbsent,
     "Not in the object database (a partial or shallow clone), skipped: {commits}, {trees} trees, {blobs}.", nullptr,
     "对象库中不存在（部分克隆或浅克隆），已跳过：{commits}，{trees} 个树对象，{blobs}。"},
    {M::kHistoryDamaged,
     "{path} is neither a partial nor a shallow clone, so objects should not be absent: it may be damaged (run git "
     "fsck there).",
     nullptr, "{path} 既不是部分克隆也不是浅克隆，不应缺少对象：它可能已损坏（请在其中运行 git fsck）。"},
    {M::kHistoryRotate,
     "A key in history has reached every clone: rotate it at the provider; rewriting history does not undo the "
     "leak.",
     nullptr, "历史中的密钥已随每个克隆扩散：请在服务商处轮换它；改写历史并不能撤销泄露。"},
    {M::kRepositories, "{n} repository", "{n} repositories", "{n} 个仓库"},
    {M::kRefs, "{n} ref", "{n} refs", "{n} 个引用"},
    {M::kBlobs, "{n} blob", "{n} blobs", "{n} 个文件版本"},
    {M::kPaths, "{n} path", "{n} paths", "{n} 个路径"},
};

constexpr bool InOrder() {
  for (size_t i = 0; i < std::size(kCatalogue); ++i)
    if (static_cast<size_t>(kCatalogue[i].id) != i) return false;
  return true;
}
static_assert(std::size(kCatalogue) == static_cast<size_t>(Msg::kCount), "one catalogue entry per Msg");
static_assert(InOrder(), "catalogue entries in the order of Msg");

using Arg = std::pair<std::string_view, std::string_view>;

std::string Fill(std::string_view text, const Arg* first, const Arg* last) {
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size();) {
    size_t close = text[i] == '{' ? text.find('}', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      std::string_view name = text.substr(i + 1, close - i - 1);
      bool filled = false;
      for (const Arg* a = first; a != last; ++a)
        if (a->first == name) {
          out.append(a->second);
          filled = true;
          break;
        }
      if (filled) {
        i = close + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace

std::optional<Language> ParseLanguage(std::string_view name) {
  std::string n;
  for (char c : name) n.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (n == "en" || (n.size() > 3 && n.rfind("en-", 0) == 0)) return Language::kEnglish;
  if (n == "zh" || n == "zh-cn" || n == "zh-hans" || n == "zh-hans-cn") return Language::kChinese;
  return std::nullopt;
}

const char* LanguageName(Language l) { return l == Language::kChinese ? "zh-CN" : "en"; }

const MessageText& CatalogueEntry(Msg id) { return kCatalogue[static_cast<size_t>(id)]; }

std::string Say(Language lang, Msg id, MessageArgs args) {
  const MessageText& m = CatalogueEntry(id);
  return Fill(lang == Language::kChinese ? m.zh : m.en, args.begin(), args.end());
}

std::string Count(Language lang, Msg id, uint64_t n, MessageArgs args) {
  const MessageText& m = CatalogueEntry(id);
  const char* text = lang == Language::kChinese ? m.zh : (n == 1 || !m.en_many ? m.en : m.en_many);
  std::string count = std::to_string(n);
  std::vector<Arg> all(args.begin(), args.end());
  all.emplace_back("n", count);
  return Fill(text, all.data(), all.data() + all.size());
}

std::string JoinSentences(Language lang, const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a + b;
  return lang == Language::kChinese ? a + b : a + " " + b;
}

}  // namespace akgate
