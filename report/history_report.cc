// The history scan's reports (see history_report.h).
#include "report/history_report.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "engine/fingerprint.h"
#include "report/messages.h"
#include "report/push_report.h"
#include "report/text_layout.h"

namespace akgate {

namespace {

constexpr size_t kMaxRefsShown = 5;  // then "and N more"
constexpr size_t kMaxTipsShown = 3;

bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

std::tm AuthorCalendar(const CommitInfo& c) {
  std::time_t t = static_cast<std::time_t>(c.time + int64_t{c.offset} * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

// "a, b, c and 4 more" (refs shortened, made displayable).
std::string RefList(Language lang, const std::vector<std::string>& refs, size_t max) {
  std::string out;
  const std::string sep = Say(lang, Msg::kListSeparator);
  for (size_t i = 0; i < refs.size() && i < max; ++i) out += (i ? sep : "") + Displayable(ShortRefName(refs[i]));
  if (refs.size() > max) out += sep + Count(lang, Msg::kHistoryAndMore, refs.size() - max);
  return out;
}

std::string CommitLine(Language lang, const CommitInfo& c) {
  std::string s = c.author.empty()
                      ? Say(lang, Msg::kCommit, {{"commit", c.short_id}})
                      : Say(lang, Msg::kCommitBy, {{"commit", c.short_id}, {"author", Displayable(c.author)}});
  if (!c.subject.empty()) s = Say(lang, Msg::kCommitSubject, {{"commit", s}, {"subject", Displayable(c.subject)}});
  return s;
}

std::string Origin(Language lang, const PushFinding& pf) {
  switch (pf.source) {
    case SourceKind::kFile:
      return Say(lang, Msg::kHistoryIntroducedBy,
                 {{"commit", CommitLine(lang, pf.commit)}, {"date", CommitDate(pf.commit)}});
    case SourceKind::kCommitMessage:
      return Say(lang, Msg::kHistoryInCommitMessage,
                 {{"commit", CommitLine(lang, pf.commit)}, {"date", CommitDate(pf.commit)}});
    case SourceKind::kTagMessage:
      return Say(lang, Msg::kHistoryInTagMessage, {{"ref", Displayable(ShortRefName(pf.ref))}});
    case SourceKind::kTaggedObject:
      return Say(lang, Msg::kHistoryInTaggedObject, {{"ref", Displayable(ShortRefName(pf.ref))}});
    case SourceKind::kUnreachable:
      return Say(lang, Msg::kHistoryUnreachable,
                 {{"blob", pf.blob_ids.empty() ? std::string("?") : pf.blob_ids.front().substr(0, 10)}});
  }
  return SourceKindName(pf.source);
}

std::string PartPlace(const Finding& f, const FindingPart& p) {
  std::string path = Displayable(f.path);
  if (p.location.offset == Location::kWholeFile) return path;
  return path + ":" + std::to_string(p.location.line) + ":" + std::to_string(p.location.column);
}

void RenderFinding(Language lang, const HistoryFinding& hf, bool color, size_t width, std::string* out) {
  const PushFinding& pf = hf.found;
  const Finding& f = pf.finding;
  const bool block = f.action == Action::kBlock;
  std::string label = Say(lang, block ? Msg::kScanBlock : Msg::kScanWarn);
  label += std::string(5 - std::min<size_t>(5, DisplayWidth(label)), ' ');
  const char* hue = color ? (block ? "\033[31;1m" : "\033[33;1m") : "";
  const char* bold = color ? "\033[1m" : "";
  const char* dim = color ? "\033[2m" : "";
  const char* reset = color ? "\033[0m" : "";
  *out += std::string(hue) + label + reset + "  " + bold + FindingTitle(f) + reset +
          (f.encoding.empty() ? "" : "  " + Say(lang, Msg::kEncoded, {{"encoding", f.encoding}})) + "\n";
  const std::string in = "       ";
  std::vector<std::string> lines;
  Wrap(Origin(lang, pf), in, width, &lines);
  if (f.path.empty() || pf.source == SourceKind::kCommitMessage || pf.source == SourceKind::kTagMessage) {
    for (const FindingPart& p : f.parts) lines.push_back(in + (f.is_pair() ? p.name + "  " : "") + p.redacted);
  } else {
    size_t name_w = 0;
    for (const FindingPart& p : f.parts) name_w = std::max(name_w, DisplayWidth(p.name));
    for (const FindingPart& p : f.parts) {
      std::string line = in;
      if (f.is_pair()) line += p.name + std::string(name_w - DisplayWidth(p.name) + 2, ' ');
      lines.push_back(line + p.redacted + "  " + PartPlace(f, p));
    }
  }
  const bool message = pf.source == SourceKind::kCommitMessage || pf.source == SourceKind::kTagMessage;
  const std::string refs = RefList(lang, hf.reachable, kMaxRefsShown);
  if (message) {  // one commit or tag, no blob, no path, no tip: only where it is reachable from
    if (!hf.reachable.empty()) Wrap(Say(lang, Msg::kHistoryReachable, {{"refs", refs}}), in, width, &lines);
  } else {
    const std::string blobs = Count(lang, Msg::kBlobs, pf.blobs), commits = Count(lang, Msg::kCommits, pf.commits),
                      paths = Count(lang, Msg::kPaths, pf.paths);
    Wrap(hf.reachable.empty()
             ? Say(lang, Msg::kHistorySpread, {{"blobs", blobs}, {"commits", commits}, {"paths", paths}})
             : Say(lang, Msg::kHistorySpreadReachable,
                   {{"blobs", blobs}, {"commits", commits}, {"paths", paths}, {"refs", refs}}),
         in, width, &lines);
    if (hf.in_tips.empty()) lines.push_back(in + Say(lang, Msg::kHistoryOnly));
    // Per path, the branches whose tip holds it there (most paths: one).
    std::vector<std::pair<std::string, std::vector<std::string>>> by_path;
    for (const TipPresence& t : hf.in_tips) {
      auto it = std::find_if(by_path.begin(), by_path.end(), [&](const auto& p) { return p.first == t.path; });
      if (it == by_path.end()) it = by_path.insert(by_path.end(), {t.path, {}});
      it->second.push_back(t.ref);
    }
    for (size_t i = 0; i < by_path.size() && i < kMaxTipsShown; ++i)
      Wrap(Say(lang, Msg::kHistoryStillInPath,
               {{"path", Displayable(by_path[i].first)}, {"refs", RefList(lang, by_path[i].second, kMaxRefsShown)}}),
           in, width, &lines);
    if (by_path.size() > kMaxTipsShown)
      lines.push_back(in + Say(lang, Msg::kHistoryStillInMore,
                               {{"paths", Count(lang, Msg::kPaths, by_path.size() - kMaxTipsShown)}}));
  }
  if (!pf.paired_with.empty()) Wrap(PairedWith(lang, pf, Msg::kPairedAcrossCommit), in, width, &lines);
  for (const std::string& l : lines) *out += l + "\n";
  *out += in + dim + Say(lang, Msg::kScanRuleFingerprint, {{"rule", f.rule_id}, {"fingerprint", f.fingerprint}}) +
          reset + "\n\n";
}

nlohmann::json SkippedJson(const InspectionStats& st) {
  nlohmann::json skipped = nlohmann::json::object();
  for (const auto& [reason, n] : st.skipped) skipped[reason] = n;
  return skipped;
}

nlohmann::json HistoryFindingJson(const HistoryFinding& hf) {
  const PushFinding& pf = hf.found;
  nlohmann::json j = FindingToJson(pf.finding);
  j["source"] = SourceKindName(pf.source);
  if (!pf.commit.id.empty())
    j["commit"] = {{"id", pf.commit.id},
                   {"author", pf.commit.author},
                   {"date", CommitTimestamp(pf.commit)},
                   {"subject", pf.commit.subject}};
  else
    j["commit"] = nullptr;
  if (!pf.ref.empty()) j["ref"] = pf.ref;
  j["occurrences"] = {{"blobs", pf.blobs}, {"commits", pf.commits}, {"paths", pf.paths}};
  j["reachable_from"] = hf.reachable;
  nlohmann::json tips = nlohmann::json::array();
  for (const TipPresence& t : hf.in_tips) tips.push_back({{"ref", t.ref}, {"path", t.path}});
  j["in_tips"] = std::move(tips);
  j["in_history_only"] = hf.in_history_only();
  if (!pf.paired_with.empty()) j["paired_with"] = {{"pair", pf.pair_rule}, {"places", pf.paired_with}};
  return j;
}

}  // namespace

std::string CommitDate(const CommitInfo& c) {
  std::tm tm = AuthorCalendar(c);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

std::string CommitTimestamp(const CommitInfo& c) {
  std::tm tm = AuthorCalendar(c);
  int off = c.offset < 0 ? -c.offset : c.offset;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, c.offset < 0 ? '-' : '+', off / 60 % 100, off % 60);
  return buf;
}

std::string ShortRefName(const std::string& ref) {
  for (const char* p : {"refs/heads/", "refs/tags/", "refs/remotes/"})
    if (StartsWith(ref, p) && ref.size() > std::char_traits<char>::length(p))
      return ref.substr(std::char_traits<char>::length(p));
  return ref;
}

uint64_t HistoryCount(const std::vector<HistoryResult>& results, Action action) {
  uint64_t n = 0;
  for (const HistoryResult& r : results)
    for (const HistoryFinding& f : r.scan.findings) n += f.found.finding.action == action;
  return n;
}

std::string RenderHistoryText(const std::vector<HistoryResult>& results, double duration_ms, const TextOptions& o) {
  const Language lang = o.language;
  constexpr size_t kWidth = 100;
  std::string out;
  uint64_t commits = 0, blobs = 0, bytes = 0, absent_commits = 0, absent_trees = 0, absent_blobs = 0;
  std::map<std::string, uint64_t> skipped;
  for (const HistoryResult& r : results) {
    const InspectionStats& st = r.scan.stats;
    if (results.size() > 1 || !r.error.empty())
      out += (o.color ? "\033[1m" : "") +
             Say(lang, Msg::kHistoryRepository,
                 {{"path", Displayable(r.path)}, {"refs", Count(lang, Msg::kRefs, r.scan.refs.size())}}) +
             (o.color ? "\033[0m" : "") + "\n";
    if (!r.error.empty())
      out += Say(lang, Msg::kHistoryRepositoryError, {{"path", Displayable(r.path)}, {"error", Displayable(r.error)}}) +
             "\n\n";
    else if (results.size() > 1)
      out += "\n";
    for (const HistoryFinding& hf : r.scan.findings) {
      if (hf.found.finding.action == Action::kWarn && !o.show_warnings) continue;
      RenderFinding(lang, hf, o.color, kWidth, &out);
    }
    commits += st.commits;
    blobs += st.blobs_scanned;
    bytes += st.bytes_scanned;
    absent_commits += st.absent_commits;
    absent_trees += st.absent_trees;
    for (const auto& [reason, n] : st.skipped) {
      if (reason == "missing")
        absent_blobs += n;
      else
        skipped[reason] += n;
    }
  }
  char ms[32];
  if (duration_ms < 10000)
    std::snprintf(ms, sizeof ms, "%.0f ms", duration_ms);
  else
    std::snprintf(ms, sizeof ms, "%.1f s", duration_ms / 1000);
  out += Say(lang, Msg::kHistoryScanned,
             {{"repositories", Count(lang, Msg::kRepositories, results.size())},
              {"commits", Count(lang, Msg::kCommits, commits)},
              {"blobs", Count(lang, Msg::kBlobs, blobs)},
              {"bytes", HumanBytes(bytes)},
              {"duration", ms}}) +
         "\n";
  if (!skipped.empty()) {
    std::string reasons;
    uint64_t total = 0;
    for (const auto& [reason, n] : skipped) {
      total += n;
      reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(n);
    }
    out += Say(lang, Msg::kHistorySkipped, {{"blobs", Count(lang, Msg::kBlobs, total)}, {"reasons", reasons}}) + "\n";
  }
  if (absent_commits || absent_trees || absent_blobs)
    out += Say(lang, Msg::kHistoryAbsent,
               {{"commits", Count(lang, Msg::kCommits, absent_commits)},
                {"trees", std::to_string(absent_trees)},
                {"blobs", Count(lang, Msg::kBlobs, absent_blobs)}}) +
           "\n";
  for (const HistoryResult& r : results)
    if (r.scan.damaged()) out += Say(lang, Msg::kHistoryDamaged, {{"path", Displayable(r.path)}}) + "\n";
  ScanSummary none;
  std::vector<Finding> all;
  for (const HistoryResult& r : results)
    for (const HistoryFinding& hf : r.scan.findings) all.push_back(hf.found.finding);
  uint64_t block = none.Count(Action::kBlock, all), warn = none.Count(Action::kWarn, all);
  std::string warnings = Count(lang, Msg::kWarnings, warn);
  if (block)
    out += Say(lang, Msg::kScanBlockingSummary,
               {{"blocking", std::string(o.color ? "\033[31;1m" : "") + Count(lang, Msg::kBlockingFindings, block) +
                                 (o.color ? "\033[0m" : "")},
                {"warnings", warnings}}) +
           "\n" + Say(lang, Msg::kHistoryRotate) + "\n";
  else if (warn)
    out += Say(lang, Msg::kScanOnlyWarnings, {{"warnings", warnings}}) + "\n";
  else
    out += Say(lang, Msg::kScanNoFindings) + "\n";
  return out;
}

nlohmann::json RenderHistoryJson(const std::vector<HistoryResult>& results, double duration_ms) {
  nlohmann::json repos = nlohmann::json::array();
  uint64_t failed = 0;
  for (const HistoryResult& r : results) {
    const InspectionStats& st = r.scan.stats;
    nlohmann::json findings = nlohmann::json::array();
    uint64_t block = 0, warn = 0;
    for (const HistoryFinding& hf : r.scan.findings) {
      findings.push_back(HistoryFindingJson(hf));
      (hf.found.finding.action == Action::kBlock ? block : warn)++;
    }
    failed += !r.error.empty();
    repos.push_back({
        {"path", r.path},
        {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
        {"refs", r.scan.refs},
        {"findings", std::move(findings)},
        {"summary",
         {{"commits", st.commits},
          {"tags", st.tags},
          {"blobs", st.blobs},
          {"blobs_scanned", st.blobs_scanned},
          {"bytes", st.bytes_scanned},
          {"messages", st.messages_scanned},
          {"unreachable_blobs", st.unreachable_blobs},
          {"skipped", SkippedJson(st)},
          {"absent", {{"commits", st.absent_commits}, {"trees", st.absent_trees}}},
          {"partial_clone", r.scan.partial},
          {"shallow", r.scan.shallow},
          {"damaged", r.scan.damaged()},
          {"findings", {{"block", block}, {"warn", warn}}},
          {"allowed", {{"inline", st.inline_allowed}, {"fingerprint", st.fingerprint_allowed}}},
          {"duration_ms", st.duration_ms}}},
    });
  }
  return {
      {"repositories", std::move(repos)},
      {"summary",
       {{"repositories", results.size()},
        {"failed", failed},
        {"findings",
         {{"block", HistoryCount(results, Action::kBlock)}, {"warn", HistoryCount(results, Action::kWarn)}}},
        {"duration_ms", duration_ms}}},
  };
}

nlohmann::json RenderHistorySarif(const std::vector<HistoryResult>& results, const RuleSet& rules,
                                  const std::string& version) {
  nlohmann::json runs = nlohmann::json::array();
  for (const HistoryResult& r : results) {
    std::vector<Finding> findings;
    for (const HistoryFinding& hf : r.scan.findings) findings.push_back(hf.found.finding);
    nlohmann::json run = RenderSarif(findings, rules, version)["runs"][0];
    nlohmann::json& res = run["results"];
    for (size_t i = 0; i < r.scan.findings.size() && i < res.size(); ++i) {
      const HistoryFinding& hf = r.scan.findings[i];
      nlohmann::json& props = res[i]["properties"];
      props["source"] = SourceKindName(hf.found.source);
      if (!hf.found.commit.id.empty()) {
        props["commit"] = hf.found.commit.id;
        props["author"] = hf.found.commit.author;
        props["date"] = CommitTimestamp(hf.found.commit);
      }
      props["occurrences"] = {{"blobs", hf.found.blobs}, {"commits", hf.found.commits}, {"paths", hf.found.paths}};
      props["reachableFrom"] = hf.reachable;
      nlohmann::json tips = nlohmann::json::array();
      for (const TipPresence& t : hf.in_tips) tips.push_back(t.ref);
      props["stillInTips"] = std::move(tips);
    }
    run["versionControlProvenance"] = nlohmann::json::array({{{"repositoryUri", "file://" + r.path}}});
    nlohmann::json invocation = {{"executionSuccessful", r.error.empty()}};
    if (!r.error.empty())
      invocation["toolExecutionNotifications"] =
          nlohmann::json::array({{{"level", "error"}, {"message", {{"text", r.error}}}}});
    run["invocations"] = nlohmann::json::array({std::move(invocation)});
    runs.push_back(std::move(run));
  }
  return {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", std::move(runs)},
  };
}

}  // namespace akgate
