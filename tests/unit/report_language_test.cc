// The reports in both languages, from findings of a real scan: a rejection,
// an acceptance with allowed findings, GitLab's web message and the scan's
// text report, in English and in Simplified Chinese. The Chinese ones hold
// no English sentence (only tokens: commands, paths, rule descriptions),
// keep to the width, and neither holds the secret.
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>

#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "report/messages.h"
#include "report/push_report.h"
#include "report/report.h"
#include "report/text_layout.h"
#include "text_helpers.h"

using namespace akgate;

namespace {

const std::string kKeyId = "LTAI5t8ijtXvRFrhHAKBl3yi";
const std::string kSecret = "VRV9muwc9auD5AGy9aJt3hGxWlA7W5";

// Real findings: the default rules over a file with an Alibaba Cloud pair.
struct Scanned {
  std::vector<Finding> findings;
  ScanSummary summary;
  Scanned() {
    RuleSet rules;
    REQUIRE(LoadDefaultRules(&rules).ok());
    std::unique_ptr<Scanner> scanner;
    REQUIRE(Scanner::Create(rules, &scanner).ok());
    ScanScratch scratch(*scanner);
    for (const char* path : {"服务/订单同步/sync.py", "服务/sync_old.py"}) {
      std::string text = "client = AcsClient(\"" + kKeyId + "\", \"" + kSecret + "\", \"cn-hangzhou\")\n";
      FragmentResult r = scanner->Scan({path, text}, scratch);
      Accumulate(r, text.size(), &summary);
      REQUIRE(r.findings.size() == 1);
      findings.push_back(r.findings.front());
    }
  }
};

PushInspection Inspection(const Scanned& s) {
  PushInspection in;
  for (size_t i = 0; i < s.findings.size(); ++i) {
    PushFinding pf;
    pf.finding = s.findings[i];
    pf.source = SourceKind::kFile;
    pf.commit.id = std::string(40, i ? '2' : '1');
    pf.commit.short_id = std::string(10, i ? '2' : '1');
    pf.commit.author = "张三 <zhangsan@example.com>";
    pf.commit.subject = "添加订单同步服务";
    pf.commit.parents = 1;
    pf.commit.is_tip = i == 1;
    in.findings.push_back(pf);
  }
  in.stats.commits = 2;
  in.stats.blobs_scanned = 2;
  in.stats.bytes_scanned = s.summary.bytes;
  return in;
}

std::string Join(const std::vector<std::string>& lines) { return akgate::testing::JoinLines(lines); }

// Words (runs of three or more ASCII letters, case kept), placeholder
// names ("{carriers}") left out.
std::set<std::string> Words(const std::string& s) {
  std::set<std::string> out;
  std::string w;
  bool in_braces = false;
  for (char c : s + " ") {
    if (c == '{' || c == '}') in_braces = c == '{';
    if (in_braces) continue;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      w += c;
      continue;
    }
    if (w.size() >= 3) out.insert(w);
    w.clear();
  }
  return out;
}

// Words of the English texts that no Chinese text has: in a Chinese report
// any of them is English leaking through (command words such as "git",
// "push", "commit" are in both, so they may appear).
std::set<std::string> EnglishOnlyWords() {
  std::set<std::string> en, zh;
  for (int i = 0; i < static_cast<int>(Msg::kCount); ++i) {
    const MessageText& m = CatalogueEntry(static_cast<Msg>(i));
    for (const char* t : {m.en, m.en_many})
      if (t) en.merge(Words(t));
    zh.merge(Words(m.zh));
  }
  std::set<std::string> out;
  for (const std::string& w : en)
    if (!zh.count(w)) out.insert(w);
  return out;
}

// The English words left in `text` once the data of the findings (rule
// descriptions, part names, paths, rule ids: as the rules wrote them) is
// taken out.
std::string Leaks(std::string text, const Scanned& s) {
  // The commands the report writes as they are (not from the catalogue).
  std::vector<std::string> data = {"git filter-repo --replace-text ../secrets.txt --force"};
  for (const Finding& f : s.findings) {
    data.push_back(FindingTitle(f));
    data.push_back(f.rule_id);
    for (const FindingPart& p : f.parts) data.push_back(p.name);
  }
  for (const std::string& d : data)
    for (size_t at; !d.empty() && (at = text.find(d)) != std::string::npos;) text.erase(at, d.size());
  static const std::set<std::string> english = EnglishOnlyWords();
  std::string out;
  for (const std::string& w : Words(text))
    if (english.count(w)) out += w + " ";
  return out;
}

void CheckWidthAndSecret(const std::vector<std::string>& lines, size_t width) {
  for (const std::string& l : lines) {
    INFO(l);
    CHECK(DisplayWidth(l) <= width);
    CHECK(akgate::testing::ValidUtf8(l));
    CHECK(l.find(kSecret) == std::string::npos);
    CHECK(l.find(kKeyId) == std::string::npos);
  }
}

// A Chinese report: no English sentence, within the width, no secret.
void CheckChinese(const std::vector<std::string>& lines, const Scanned& s, size_t width) {
  CHECK(Leaks(Join(lines), s) == "");
  CheckWidthAndSecret(lines, width);
}

PushDecision Rejection(size_t n) {
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kFindings;
  d.blocking = n;
  d.dispositions.assign(n, Disposition::kBlocks);
  d.may_allow = d.may_bypass = d.allow_needs_reason = true;
  return d;
}

PushReportOptions Options(Language lang, size_t width = 90) {
  PushReportOptions o;
  o.language = lang;
  o.width = width;
  o.recorded = o.notified = true;
  return o;
}

}  // namespace

TEST_CASE("the English words a Chinese report must not hold are real sentence words") {
  std::set<std::string> english = EnglishOnlyWords();
  for (const char* w : {"Remove", "Rotate", "leaked", "recorded", "found", "pushing", "rule", "Allowed"})
    CHECK_MESSAGE(english.count(w), std::string(w));
  for (const char* w : {"git", "push", "akgate", "amend", "allowlist", "fingerprints", "fingerprint", "carriers"})
    CHECK_MESSAGE(!english.count(w), std::string(w));
}

TEST_CASE("a rejection in both languages: verdict, findings, how to fix; width; no secret") {
  Scanned s;
  PushInspection in = Inspection(s);
  PushDecision d = Rejection(2);
  const std::string fp = in.findings[0].finding.fingerprint;

  std::vector<std::string> en = RenderPushReport(in, d, Options(Language::kEnglish));
  CHECK(en[0] == "akgate: push REJECTED: 2 secrets found in the commits you are pushing.");
  CHECK(Join(en).find("How to fix it:") != std::string::npos);
  CheckWidthAndSecret(en, 90);

  std::vector<std::string> zh = RenderPushReport(in, d, Options(Language::kChinese));
  {
    const std::string text = Join(zh);
    INFO(text);
    CHECK(zh[0] == "akgate: 推送被拒绝：在您推送的提交中发现 2 个密钥。");
    CHECK(zh[1].rfind("（已检查 2 个新提交，2 个文件（", 0) == 0);
    CHECK(text.find("提交 1111111111，作者 张三 <zhangsan@example.com>：\"添加订单同步服务\"") != std::string::npos);
    CHECK(text.find("    指纹 " + fp + "  （规则 ") != std::string::npos);
    CHECK(text.find("\n如何修复：\n") != std::string::npos);
    CHECK(text.find("  1. 从您推送的提交中移除密钥。") != std::string::npos);
    CHECK(text.find("在最后一个提交中：") != std::string::npos);
    CHECK(text.find("git rebase -i 1111111111^") != std::string::npos);
    CHECK(text.find("git filter-repo --replace-text ../secrets.txt --force") != std::string::npos);
    CHECK(text.find("  2. 轮换密钥：请将其视为已泄露") != std::string::npos);
    CHECK(text.find("阿里云：") != std::string::npos);
    CHECK(text.find("  3. 如果这不是真实的密钥（误报），仍可推送：") != std::string::npos);
    CHECK(text.find("-o akgate.allow=" + fp) != std::string::npos);
    CHECK(text.find("-o akgate.reason=\"说明为何不是密钥\"") != std::string::npos);
    CHECK(text.find("或者绕过此次推送的检查（将被记录，并通知安全团队）：") != std::string::npos);
    CHECK(text.find("       \"" + fp + "\",") != std::string::npos);
    CheckChinese(zh, s, 90);
  }
  // Narrower: still within the width, nothing split.
  std::vector<std::string> narrow = RenderPushReport(in, d, Options(Language::kChinese, 60));
  CHECK(narrow.size() > zh.size());
  CheckWidthAndSecret(narrow, 60);
}

TEST_CASE("a rejection without push options, in Chinese: the allowlist lines for an administrator") {
  Scanned s;
  PushInspection in = Inspection(s);
  PushDecision d = Rejection(2);
  d.push_options_accepted = false;
  std::vector<std::string> zh = RenderPushReport(in, d, Options(Language::kChinese));
  const std::string text = Join(zh);
  INFO(text);
  CHECK(text.find("  3. 如果这不是真实的密钥（误报），请 akgate 管理员将以下几行加入策略的") != std::string::npos);
  CHECK(text.find("       # Alibaba Cloud AccessKey pair (ID and secret)，服务/sync_old.py:1，提交 2222222222\n") !=
        std::string::npos);
  CHECK(text.find("（此次推送不能使用推送选项 git push -o。）") != std::string::npos);
  CHECK(text.find("git push -o akgate.allow") == std::string::npos);
  CheckChinese(zh, s, 90);
}

TEST_CASE("an acceptance with allowed findings in both languages") {
  Scanned s;
  PushInspection in = Inspection(s);
  PushDecision d;
  d.cause = Cause::kAllowed;
  d.allowed = 2;
  d.dispositions = {Disposition::kAllowedByOption, Disposition::kAllowedByPolicy};
  std::vector<std::string> en = RenderPushReport(in, d, Options(Language::kEnglish));
  CHECK(en[0].rfind("akgate: push accepted: checked 2 new commits, 2 files (", 0) == 0);
  CHECK(Join(en).find("Allowed (recorded):") != std::string::npos);

  std::vector<std::string> zh = RenderPushReport(in, d, Options(Language::kChinese));
  const std::string text = Join(zh);
  INFO(text);
  CHECK(zh[0].rfind("akgate: 推送已接受：已检查 2 个新提交，2 个文件（", 0) == 0);
  CHECK(zh[0].substr(zh[0].size() - 3) == "。");
  CHECK(text.find("\n已允许（已记录）：\n") != std::string::npos);
  CHECK(text.find(in.findings[0].finding.fingerprint + "  由 -o akgate.allow 允许") != std::string::npos);
  CHECK(text.find(in.findings[1].finding.fingerprint + "  由策略允许") != std::string::npos);
  CHECK(text.find("，服务/sync_old.py:1") != std::string::npos);
  CheckChinese(zh, s, 90);
}

TEST_CASE("a push that could not be checked, and an unknown -o akgate.lang, in Chinese") {
  Scanned s;
  PushInspection in = Inspection(s);
  PushDecision d;
  d.accepted = false;
  d.cause = Cause::kTimeout;
  d.error = "the check took longer than its time budget of 60 s (time_budget in the policy)";
  PushReportOptions o = Options(Language::kChinese);
  o.unknown_language = "klingon";
  std::vector<std::string> zh = RenderPushReport(in, d, o);
  std::string text = Join(zh);
  INFO(text);
  CHECK(zh[0] == "akgate: 推送被拒绝：检查未能在限定时间内完成。");
  CHECK(zh[1] == "    " + d.error);
  CHECK(zh[2] == "服务器策略设置为 on_timeout = \"block\"：无法检查的推送不予放行。此操作已记录，并已通知安全");
  CHECK(zh[3] == "团队。");
  CHECK(text.find("请每次推送更少的提交，或请管理员调大 time_budget。") != std::string::npos);
  CHECK(text.find("注意：-o akgate.lang=klingon 不是 en 或 zh-CN；报告使用策略设置的语言。") != std::string::npos);
  // The error is what failed, as the program says it (the audit's words).
  text.erase(text.find(d.error), d.error.size());
  text.erase(text.find("\"block\""), 7);  // the policy's value, as written in it
  CHECK(Leaks(text, s) == "");
  CheckWidthAndSecret(zh, 90);
}

TEST_CASE("the notes the gate adds (a refused akgate:allow mark, an earlier version not read) in both languages") {
  Scanned s;
  PushInspection in = Inspection(s);
  in.stats.previous_unknown = 2;
  in.previous_unavailable = "upstream answered 503";
  PushDecision d = Rejection(2);
  d.inline_refused = 1;

  const std::string en = akgate::testing::Unwrapped(RenderPushReport(in, d, Options(Language::kEnglish)));
  INFO(en);
  CHECK(en.find("Note: 1 finding is on a line marked akgate:allow or gitleaks:allow; this server does not honour") !=
        std::string::npos);
  CHECK(en.find("Note: the earlier version of 2 changed files with findings could not be read from the upstream "
                "(upstream answered 503): a secret that was already there counts as new.") != std::string::npos);

  std::vector<std::string> zh = RenderPushReport(in, d, Options(Language::kChinese));
  const std::string text = Join(zh);
  INFO(text);
  CHECK(text.find("注意：1 个发现项位于标记了 akgate:allow 或 gitleaks:allow 的行上") != std::string::npos);
  CHECK(text.find("有 2 个含发现项的已修改文件，无法从上游读取其先前版本") != std::string::npos);
  CHECK(text.find("does not honour") == std::string::npos);
  CheckWidthAndSecret(zh, 90);
}

TEST_CASE("a refused bypass and a refused allow, in both languages") {
  Scanned s;
  PushInspection in = Inspection(s);
  PushDecision d = Rejection(2);
  d.pusher = "bob";
  d.bypass_requested = true;
  d.bypass_refusal = Refusal::kNotPermitted;
  d.bypass_refused = "the policy does not let bob bypass akgate";
  d.allow_refusal = Refusal::kNoReason;
  d.allow_refused =
      "a reason is required: git push -o akgate.allow=<fingerprint> "
      "-o akgate.reason=\"why it is not a secret\"";
  const std::string en = Join(RenderPushReport(in, d, Options(Language::kEnglish)));
  CHECK(en.find("\nBypass refused: the policy does not let bob bypass akgate.\n") != std::string::npos);
  CHECK(en.find("\nNote: -o akgate.allow ignored: a reason is required: git push -o") != std::string::npos);
  std::vector<std::string> zh = RenderPushReport(in, d, Options(Language::kChinese));
  const std::string text = Join(zh);
  INFO(text);
  CHECK(zh[1] == "绕过检查被拒绝：策略不允许 bob 绕过 akgate。");
  CHECK(text.find("\n注意：-o akgate.allow 已被忽略：需要给出理由：git push -o akgate.allow=<fingerprint>") !=
        std::string::npos);
  CheckChinese(zh, s, 90);
}

TEST_CASE("GitLab's web message in both languages") {
  Scanned s;
  PushInspection in = Inspection(s);
  PushDecision d = Rejection(2);
  std::vector<std::string> en = RenderGitLabMessage(in, d, Options(Language::kEnglish));
  CHECK(en.front() == "GL-HOOK-ERR: akgate: push REJECTED: 2 secrets found in the commits you are pushing.");
  std::vector<std::string> zh = RenderGitLabMessage(in, d, Options(Language::kChinese));
  const std::string text = Join(zh);
  INFO(text);
  REQUIRE(zh.size() == 4);
  CHECK(zh[0] == "GL-HOOK-ERR: akgate: 推送被拒绝：在您推送的提交中发现 2 个密钥。");
  CHECK(zh[1] == "GL-HOOK-ERR: " + FindingTitle(in.findings[0].finding) +
                     "，位于 服务/订单同步/sync.py:1（提交 1111111111），指纹 " + in.findings[0].finding.fingerprint +
                     "。");
  CHECK(zh[3] == "GL-HOOK-ERR: 请从提交中移除密钥并轮换；如果这不是真实的密钥，请 akgate 管理员将其指纹加入允许列表。");
  CheckChinese(zh, s, 200);
}

TEST_CASE("the scan's text report in both languages") {
  Scanned s;
  TextOptions en_options;
  const std::string en = RenderText(s.findings, s.summary, en_options);
  CHECK(en.find("BLOCK  " + FindingTitle(s.findings[0]) + "\n") != std::string::npos);
  CHECK(en.find("\nScanned 2 files (") != std::string::npos);
  CHECK(en.find("\n2 blocking findings, 0 warnings.\n") != std::string::npos);

  TextOptions zh_options;
  zh_options.language = Language::kChinese;
  const std::string zh = RenderText(s.findings, s.summary, zh_options);
  INFO(zh);
  CHECK(zh.rfind("阻止   " + FindingTitle(s.findings[0]) + "\n", 0) == 0);
  CHECK(zh.find("       规则 " + s.findings[0].rule_id + "，指纹 " + s.findings[0].fingerprint + "\n") !=
        std::string::npos);
  CHECK(zh.find("\n已扫描 2 个文件（") != std::string::npos);
  CHECK(zh.find("\n2 个阻止级发现项，0 个警告。\n") != std::string::npos);
  CHECK(Leaks(zh, s) == "");
  for (const std::string& text : {en, zh}) {
    CHECK(text.find(kSecret) == std::string::npos);
    CHECK(text.find(kKeyId) == std::string::npos);
  }

  TextOptions warnings_only = zh_options;
  CHECK(RenderText({}, ScanSummary{}, warnings_only).find("未发现任何问题。") != std::string::npos);
}
