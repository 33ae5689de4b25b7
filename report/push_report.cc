// The text of a push decision (see push_report.h for its parts). Every
// sentence comes from the message catalogue (report/messages.h), in the
// language of PushReportOptions; widths are display columns
// (report/text_layout.h), so a Chinese report keeps to the width too.
#include "report/push_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "report/messages.h"
#include "report/report.h"
#include "report/text_layout.h"

namespace akgate {

namespace {

std::string Duration(double ms) {
  char buf[32];
  if (ms < 1000)
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else
    std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000);
  return buf;
}

std::string Where(Language lang, const PushFinding& pf, const FindingPart& p) {
  const Finding& f = pf.finding;
  if (p.location.offset == Location::kWholeFile) return f.path.empty() ? Say(lang, Msg::kWholeFile) : f.path;
  std::string line = std::to_string(p.location.line);
  if (pf.source == SourceKind::kCommitMessage || pf.source == SourceKind::kTagMessage)
    return Say(lang, Msg::kMessageLine, {{"line", line}});
  return f.path + ":" + line;
}

// Where a finding is, for one-line mentions: its first part's place, or
// what it was found in when it has no path.
std::string Place(Language lang, const PushFinding& pf) {
  if (!pf.finding.path.empty()) return Where(lang, pf, pf.finding.parts.front());
  switch (pf.source) {
    case SourceKind::kFile:
      return Say(lang, Msg::kSourceFile);
    case SourceKind::kCommitMessage:
      return Say(lang, Msg::kSourceCommitMessage);
    case SourceKind::kTagMessage:
      return Say(lang, Msg::kSourceTagMessage);
    case SourceKind::kTaggedObject:
      return Say(lang, Msg::kSourceTaggedObject);
    case SourceKind::kUnreachable:  // only the history scan's; its own report
      break;
  }
  return SourceKindName(pf.source);
}

}  // namespace

std::string PairedWith(Language lang, const PushFinding& pf, Msg scope) {
  std::string places;
  for (const std::string& p : pf.paired_with) places += (places.empty() ? "" : Say(lang, Msg::kListSeparator)) + p;
  return Say(lang, scope, {{"pair", pf.pair_rule}, {"places", Displayable(places)}});
}

namespace {

std::string CommitLine(Language lang, const CommitInfo& c) {
  std::string s = c.author.empty() ? Say(lang, Msg::kCommit, {{"commit", c.short_id}})
                                   : Say(lang, Msg::kCommitBy, {{"commit", c.short_id}, {"author", c.author}});
  if (!c.subject.empty()) s = Say(lang, Msg::kCommitSubject, {{"commit", s}, {"subject", c.subject}});
  return s;
}

// One finding: title, where it came from, each part, fingerprint.
void RenderFinding(Language lang, const PushFinding& pf, const std::string& label, size_t width,
                   std::vector<std::string>* out) {
  const Finding& f = pf.finding;
  std::string title = label + " " + FindingTitle(f);
  if (!f.encoding.empty()) title += " " + Say(lang, Msg::kEncoded, {{"encoding", f.encoding}});
  out->push_back(Ellipsize(title, width));
  const std::string in = "    ";
  switch (pf.source) {
    case SourceKind::kFile:
      Wrap(CommitLine(lang, pf.commit), in, width, out);
      break;
    case SourceKind::kCommitMessage:
      Wrap(Say(lang, Msg::kInCommitMessage, {{"commit", CommitLine(lang, pf.commit)}}), in, width, out);
      break;
    case SourceKind::kTagMessage:
      Wrap(Say(lang, Msg::kInTagMessage, {{"ref", pf.ref}}), in, width, out);
      break;
    case SourceKind::kTaggedObject:
      Wrap(Say(lang, Msg::kInTaggedObject, {{"ref", pf.ref}}), in, width, out);
      break;
    case SourceKind::kUnreachable:  // only the history scan's; its own report
      break;
  }
  size_t name_w = 0, where_w = 0;
  for (const FindingPart& p : f.parts) {
    name_w = std::max(name_w, DisplayWidth(p.name));
    where_w = std::max(where_w, std::min<size_t>(DisplayWidth(Where(lang, pf, p)), 48));
  }
  for (const FindingPart& p : f.parts) {
    std::string where = Ellipsize(Where(lang, pf, p), 48);
    std::string line = in + where + std::string(where_w - DisplayWidth(where) + 2, ' ');
    if (f.is_pair()) line += p.name + std::string(name_w - DisplayWidth(p.name) + 2, ' ');
    line += p.redacted;
    out->push_back(Ellipsize(line, width));
  }
  // The fingerprint is what an allowlist takes: never shortened.
  std::string fp = in + Say(lang, Msg::kFingerprint, {{"fingerprint", f.fingerprint}}) + "  ";
  out->push_back(fp + Ellipsize(Say(lang, Msg::kRuleParen, {{"rule", f.rule_id}}), width - DisplayWidth(fp)));
  if (pf.also_in) out->push_back(in + Count(lang, Msg::kMorePlaces, pf.also_in));
  if (!pf.paired_with.empty()) Wrap(PairedWith(lang, pf, Msg::kPairedAcrossPush), in, width, out);
}

std::string Checked(Language lang, const InspectionStats& s) {
  // A push of tags alone is not about commits.
  std::string what;
  if (s.commits || !s.tags) what = Count(lang, Msg::kNewCommits, s.commits);
  if (s.tags) what += (s.commits ? Say(lang, Msg::kListSeparator) : "") + Count(lang, Msg::kTags, s.tags);
  return Say(lang, Msg::kChecked,
             {{"what", what},
              {"files", Count(lang, Msg::kFiles, s.blobs_scanned)},
              {"bytes", HumanBytes(s.bytes_scanned)},
              {"duration", Duration(s.duration_ms)}});
}

void RenderSkipped(Language lang, const InspectionStats& s, size_t width, std::vector<std::string>* out) {
  uint64_t n = s.skipped_total();
  if (!n) return;
  // The reasons are names ("binary", "oversize"), the same in every language.
  std::string reasons;
  for (const auto& [reason, count] : s.skipped)
    reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(count);
  out->push_back(Say(lang, Msg::kNotScanned, {{"files", Count(lang, Msg::kFiles, n)}, {"reasons", reasons}}));
  for (const SkippedFile& f : s.skipped_examples) {
    std::string tail =
        " (" + f.reason + (f.reason == "oversize" ? ", " + HumanBytes(f.size) : "") + ", " + f.commit + ")";
    out->push_back("    " + Ellipsize(f.path, width - 4 - DisplayWidth(tail)) + tail);
  }
  if (n > s.skipped_examples.size())
    out->push_back("    " + Say(lang, Msg::kAndMore, {{"n", std::to_string(n - s.skipped_examples.size())}}));
}

// Indices of findings with one of the dispositions, in report order.
std::vector<size_t> With(const PushDecision& d, std::initializer_list<Disposition> want) {
  std::vector<size_t> out;
  for (size_t i = 0; i < d.dispositions.size(); ++i)
    if (std::find(want.begin(), want.end(), d.dispositions[i]) != want.end()) out.push_back(i);
  return out;
}

void RenderList(Language lang, const PushInspection& in, const std::vector<size_t>& idx, size_t max, size_t width,
                std::vector<std::string>* out) {
  for (size_t k = 0; k < idx.size() && k < max; ++k) {
    out->push_back("");
    std::string label = "[" + std::to_string(k + 1) + "/" + std::to_string(idx.size()) + "]";
    RenderFinding(lang, in.findings[idx[k]], label, width, out);
  }
  if (idx.size() > max) {
    out->push_back("");
    Wrap(Say(lang, Msg::kMoreNotShown,
             {{"more", std::to_string(idx.size() - max)}, {"total", std::to_string(idx.size())}}),
         "", width, out);
  }
}

// A numbered step of "how to fix": "  1. " then a hanging indent.
void Step(int n, const std::string& text, size_t width, std::vector<std::string>* out) {
  size_t first = out->size();
  Wrap(text, "     ", width, out);
  if (first < out->size()) (*out)[first].replace(0, 5, "  " + std::to_string(n) + ". ");
}

// `label` padded to `column` columns, then `text` wrapped with a hanging
// indent at that column; for the table of "in your last commit: ...".
void Labelled(const std::string& label, size_t column, const std::string& text, size_t width,
              std::vector<std::string>* out) {
  size_t first = out->size();
  Wrap(text, std::string(column, ' '), width, out);
  if (first < out->size() && !label.empty()) (*out)[first].replace(0, DisplayWidth(label), label);
}

bool FromTag(const PushFinding& pf) {
  return pf.source == SourceKind::kTagMessage || pf.source == SourceKind::kTaggedObject;
}

// Where the blocking findings are (a push of a tag alone is not about commits).
enum class Carrier { kCommits, kTag, kTags, kCommitsAndTags };

Carrier Carriers(const PushInspection& in, const std::vector<size_t>& blocking) {
  std::set<std::string> tags;
  bool commits = false;
  for (size_t i : blocking) {
    if (FromTag(in.findings[i]))
      tags.insert(in.findings[i].ref);
    else
      commits = true;
  }
  if (tags.empty()) return Carrier::kCommits;
  if (!commits) return tags.size() == 1 ? Carrier::kTag : Carrier::kTags;
  return Carrier::kCommitsAndTags;
}

// "the commits", "the tag", ...: where the secrets are.
std::string CarrierWords(Language lang, Carrier c) {
  static const Msg kWords[] = {Msg::kCarrierCommits, Msg::kCarrierTag, Msg::kCarrierTags, Msg::kCarrierCommitsAndTags};
  return Say(lang, kWords[static_cast<int>(c)]);
}

// Who may have seen them: "the commit" / "the tag" for one secret.
std::string SeenWords(Language lang, Carrier c, bool one) {
  bool tag = c == Carrier::kTag || c == Carrier::kTags;
  if (one) return Say(lang, tag ? Msg::kSeenTag : Msg::kSeenCommit);
  static const Msg kWords[] = {Msg::kSeenCommits, Msg::kSeenTag, Msg::kSeenTags, Msg::kSeenCommitsAndTags};
  return Say(lang, kWords[static_cast<int>(c)]);
}

std::string ShortRef(const std::string& ref) {
  for (const char* prefix : {"refs/tags/", "refs/heads/"})
    if (ref.rfind(prefix, 0) == 0) return ref.substr(std::string(prefix).size());
  return ref;
}

// Step 1 of "how to fix": remove the secret, naming the commit or tag to edit.
void RemoveAdvice(Language lang, const PushInspection& in, const std::vector<size_t>& blocking, size_t width,
                  std::vector<std::string>* out) {
  Carrier carrier = Carriers(in, blocking);
  bool commits = carrier == Carrier::kCommits || carrier == Carrier::kCommitsAndTags;
  Step(1,
       Count(lang, commits ? Msg::kRemoveFromHistory : Msg::kRemove, blocking.size(),
             {{"carriers", CarrierWords(lang, carrier)}}),
       width, out);
  bool tip = false;
  std::set<std::string> tags;
  const CommitInfo* oldest = nullptr;
  for (size_t i : blocking) {
    const PushFinding& pf = in.findings[i];
    if (FromTag(pf)) {
      tags.insert(ShortRef(pf.ref));
      continue;
    }
    if (pf.commit.is_tip)
      tip = true;
    else if (!oldest)
      oldest = &pf.commit;  // findings are in commit order: the first is the oldest
  }
  // A table: the case, then what to run, aligned after the longest case.
  const std::string last = Say(lang, Msg::kFixLastCommit), older = Say(lang, Msg::kFixOlderCommit),
                    many = Say(lang, Msg::kFixManyCommits);
  const size_t column = 7 + std::max({DisplayWidth(last), DisplayWidth(older), DisplayWidth(many)}) + 2;
  const std::string in7 = "       ";
  if (tip) Labelled(in7 + last, column, Say(lang, Msg::kFixLastCommitHow), width, out);
  if (oldest) {
    std::string cmd = oldest->parents ? "git rebase -i " + oldest->short_id + "^" : "git rebase -i --root";
    Labelled(in7 + older, column, cmd, width, out);
    Wrap(Say(lang, Msg::kFixOlderCommitHow, {{"commit", oldest->short_id}}), "         ", width, out);
    // git filter-repo --replace-text reads a file of SECRET==>REPLACEMENT
    // lines; --force because a working clone is not the fresh clone it
    // insists on. The secret itself is never printed.
    Labelled(in7 + many, column, Say(lang, Msg::kSecretsFileLine1), width, out);
    Labelled("", column, Say(lang, Msg::kSecretsFileLine2), width, out);
    Labelled("", column, "git filter-repo --replace-text ../secrets.txt --force", width, out);
    Labelled("", column, Say(lang, Msg::kFilterRepoOrigin), width, out);
  }
  for (const std::string& tag : tags) out->push_back(Ellipsize(in7 + Say(lang, Msg::kFixTag, {{"tag", tag}}), width));
}

// The lines an administrator pastes into the policy's [allowlist]
// fingerprints array, per finding shown: a comment saying what it was
// (never the secret; shortened to fit), then the fingerprint whole.
void AllowlistLines(Language lang, const PushInspection& in, const std::vector<size_t>& blocking, size_t max,
                    size_t width, std::vector<std::string>* out) {
  size_t shown = 0;
  for (size_t i : blocking) {
    if (shown++ == max) break;
    const PushFinding& pf = in.findings[i];
    std::string what = FindingTitle(pf.finding), where = Place(lang, pf);
    std::string comment =
        pf.commit.short_id.empty()
            ? Say(lang, Msg::kTitleWhere, {{"title", what}, {"where", where}})
            : Say(lang, Msg::kTitleWhereCommit, {{"title", what}, {"where", where}, {"commit", pf.commit.short_id}});
    for (char& c : comment)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    const std::string indent = "       ";
    out->push_back(indent + "# " + Truncate(comment, width - indent.size() - 2));
    out->push_back(indent + "\"" + pf.finding.fingerprint + "\",");
  }
}

// Why a bypass (or an allow) was refused, in the pusher's language; the
// decision's English sentence when it gives no kind.
std::string RefusalText(Language lang, const PushDecision& d, bool bypass) {
  Refusal kind = bypass ? d.bypass_refusal : d.allow_refusal;
  const std::string pusher = d.pusher.empty() ? Say(lang, Msg::kYou) : d.pusher;
  switch (kind) {
    case Refusal::kNotPermitted:
      return Say(lang, bypass ? Msg::kBypassNotPermitted : Msg::kAllowNotPermitted, {{"pusher", pusher}});
    case Refusal::kNoReason:
      return Say(lang, Msg::kReasonRequired,
                 {{"command", bypass ? Say(lang, Msg::kBypassCommand)
                                     : "git push -o akgate.allow=<fingerprint> " + Say(lang, Msg::kReasonOption)}});
    case Refusal::kNone:
      break;
  }
  return bypass ? d.bypass_refused : d.allow_refused;
}

// What happens to this decision besides the pusher reading it, as a
// sentence: only what the policy really does ("" when nothing).
std::string Accountability(Language lang, const PushReportOptions& o) {
  if (o.recorded && o.notified) return Say(lang, Msg::kRecordedNotified);
  if (o.recorded) return Say(lang, Msg::kRecorded);
  if (o.notified) return Say(lang, Msg::kNotified);
  return "";
}

void HowToFix(Language lang, const PushInspection& in, const PushDecision& d, const std::vector<size_t>& blocking,
              const PushReportOptions& o, size_t width, std::vector<std::string>* out) {
  out->push_back("");
  out->push_back(Say(lang, Msg::kHowToFix));
  RemoveAdvice(lang, in, blocking, width, out);
  Step(2,
       Count(lang, Msg::kRotate, blocking.size(),
             {{"seen", SeenWords(lang, Carriers(in, blocking), blocking.size() == 1)}}),
       width, out);
  std::set<std::string> providers;
  for (size_t i : blocking) providers.insert(in.findings[i].finding.provider);
  for (const std::string& p : providers)
    for (const std::string& line : RotationAdvice(p, lang)) Wrap(line, "       ", width, out);
  // Step 3 offers only what works for this push, and always one way that
  // needs no push option: the allowlist lines for an administrator.
  bool options = d.push_options_accepted && (d.may_allow || d.may_bypass);
  if (!options) {
    Step(3, Say(lang, Msg::kNotSecretAskAdmins), width, out);
    AllowlistLines(lang, in, blocking, o.max_findings, width, out);
    if (!d.push_options_accepted && (d.may_allow || d.may_bypass))
      Wrap(Say(lang, Msg::kNoPushOptions), "     ", width, out);
    return;
  }
  Step(3, Say(lang, Msg::kNotSecretPushAnyway), width, out);
  if (d.may_allow) {
    // One command for the findings shown, continued over lines as a shell would.
    std::string line = "       git push";
    size_t shown = 0;
    for (size_t i : blocking) {
      if (shown++ == 4) break;
      std::string opt = " -o akgate.allow=" + in.findings[i].finding.fingerprint;
      if (line.size() + opt.size() + 2 > width) {
        out->push_back(line + " \\");
        line = "               ";
      }
      line += opt;
    }
    if (d.allow_needs_reason) {
      out->push_back(line + " \\");
      line = "               " + Say(lang, Msg::kReasonOption);
    }
    out->push_back(line);
    if (blocking.size() > 4) out->push_back("       " + Say(lang, Msg::kOneAllowPerFinding));
  }
  if (d.may_bypass) {
    std::string told = o.recorded && o.notified ? Say(lang, Msg::kToldRecordedNotified)
                       : o.recorded             ? Say(lang, Msg::kToldRecorded)
                       : o.notified             ? Say(lang, Msg::kToldNotified)
                                                : "";
    out->push_back(d.may_allow ? "     " + Say(lang, Msg::kOrBypass, {{"told", told}})
                               : "       " + Say(lang, Msg::kBypass, {{"told", told}}));
    out->push_back("       " + Say(lang, Msg::kBypassCommand));
  }
  Wrap(Say(lang, Msg::kOrAskAdmins), "     ", width, out);
  AllowlistLines(lang, in, blocking, o.max_findings, width, out);
}

void RenderNotes(Language lang, const PushInspection& in, const PushDecision& d, const PushReportOptions& o,
                 size_t width, std::vector<std::string>* out) {
  std::vector<std::string> notes = d.notes;
  if (d.inline_refused) notes.push_back(Count(lang, Msg::kInlineRefused, d.inline_refused));
  if (in.stats.previous_unknown > 0 && d.blocking > 0)
    notes.push_back(Count(lang, Msg::kPreviousUnknown, in.stats.previous_unknown, {{"why", in.previous_unavailable}}));
  if (!o.unknown_language.empty()) notes.push_back(Say(lang, Msg::kLanguageUnknown, {{"value", o.unknown_language}}));
  if (!d.allow_refused.empty()) notes.push_back(Say(lang, Msg::kAllowIgnored, {{"why", RefusalText(lang, d, false)}}));
  for (const std::string& fp : d.allow_unused) notes.push_back(Say(lang, Msg::kAllowUnused, {{"fingerprint", fp}}));
  if (notes.empty()) return;
  out->push_back("");
  for (const std::string& n : notes) Wrap(Say(lang, Msg::kNote, {{"note", n}}), "", width, out);
}

void RenderAllowedAndPreExisting(Language lang, const PushInspection& in, const PushDecision& d,
                                 const PushReportOptions& o, size_t width, std::vector<std::string>* out) {
  std::vector<size_t> allowed =
      With(d, {Disposition::kAllowedByOption, Disposition::kAllowedInline, Disposition::kAllowedByPolicy});
  if (!allowed.empty()) {
    out->push_back("");
    out->push_back(Say(lang, o.recorded ? Msg::kAllowedRecorded : Msg::kAllowedHeading));
    for (size_t i : allowed) {
      const PushFinding& pf = in.findings[i];
      Msg by = d.dispositions[i] == Disposition::kAllowedByOption ? Msg::kAllowedByOption
               : d.dispositions[i] == Disposition::kAllowedInline ? Msg::kAllowedInline
                                                                  : Msg::kAllowedByPolicy;
      // The fingerprint whole, first (it is what an allowlist takes); the
      // description may be shortened.
      out->push_back("    " + pf.finding.fingerprint + "  " + Say(lang, by));
      out->push_back(Ellipsize(
          "      " + Say(lang, Msg::kTitleWhere, {{"title", FindingTitle(pf.finding)}, {"where", Place(lang, pf)}}),
          width));
    }
  }
  std::vector<size_t> pre = With(d, {Disposition::kPreExisting});
  if (pre.empty()) return;
  out->push_back("");
  if (!d.verbose) {
    Wrap(Count(lang, Msg::kPreExistingCounted, pre.size()), "", width, out);
    return;
  }
  out->push_back(Say(lang, Msg::kPreExistingHeading));
  RenderList(lang, in, pre, 1000, width, out);
}

// A push that could not be checked (kError, kTimeout) or not recorded.
void RenderFailure(Language lang, const PushInspection& in, const PushDecision& d, const PushReportOptions& o,
                   size_t width, std::vector<std::string>* out) {
  const InspectionStats& s = in.stats;
  if (d.cause == Cause::kUnrecorded) {
    out->push_back(Say(lang, Msg::kRejectedUnrecorded));
    Wrap(d.error, "    ", width, out);
    Wrap(Say(lang, Msg::kUnrecordedExplained), "", width, out);
    return;
  }
  bool timeout = d.cause == Cause::kTimeout;
  std::string what = Say(lang, timeout ? Msg::kCheckTimedOut : Msg::kCheckFailed);
  if (d.bypass_used)
    out->push_back(Say(lang, Msg::kAcceptedFailureBypassed, {{"what", what}, {"pusher", d.pusher}}));
  else if (d.monitored)
    out->push_back(Say(lang, Msg::kMonitoredFailure, {{"what", what}}));
  else if (d.accepted)
    out->push_back(Say(lang, Msg::kAcceptedUnchecked, {{"what", what}}));
  else
    out->push_back(Say(lang, Msg::kRejectedFailure, {{"what", what}}));
  Wrap(d.error, "    ", width, out);
  std::string policy = d.policy_unreadable
                           ? Say(lang, Msg::kPolicyUnreadable)
                           : Say(lang, d.fail_mode == FailMode::kBlock ? Msg::kFailModeBlock : Msg::kFailModeAllow,
                                 {{"key", timeout ? "on_timeout" : "on_error"}, {"mode", FailModeName(d.fail_mode)}});
  Wrap(JoinSentences(lang, policy, Accountability(lang, o)), "", width, out);
  if (d.monitored) Wrap(Say(lang, Msg::kMonitorExplained), "", width, out);
  if (s.commits || s.blobs)
    out->push_back(Say(lang, Msg::kSoFar,
                       {{"commits", Count(lang, Msg::kCommits, s.commits)},
                        {"files", Count(lang, Msg::kFiles, s.blobs)},
                        {"bytes", HumanBytes(s.bytes_scanned)}}));
  if (!d.accepted) {
    out->push_back(Say(lang, timeout ? Msg::kTryFewerCommits : Msg::kTellAdministrators));
    if (!d.bypass_refused.empty())
      Wrap(Say(lang, Msg::kBypassRefused, {{"why", RefusalText(lang, d, true)}}), "", width, out);
    else if (d.may_bypass && d.push_options_accepted)
      out->push_back(Say(lang, Msg::kMayBypassAnyway, {{"command", Say(lang, Msg::kBypassCommand)}}));
  }
}

}  // namespace

std::vector<std::string> RotationAdvice(const std::string& provider, Language lang) {
  static const std::map<std::string, Msg> advice = {
      {"Alibaba Cloud", Msg::kAdviceAlibaba}, {"AWS", Msg::kAdviceAws},
      {"Tencent Cloud", Msg::kAdviceTencent}, {"Huawei Cloud", Msg::kAdviceHuawei},
      {"Volcengine", Msg::kAdviceVolcengine}, {"Google Cloud", Msg::kAdviceGoogle},
      {"Azure", Msg::kAdviceAzure},           {"GitHub", Msg::kAdviceGitHub},
      {"GitLab", Msg::kAdviceGitLab},         {"Slack", Msg::kAdviceSlack},
      {"Stripe", Msg::kAdviceStripe},
  };
  auto it = advice.find(provider);
  return {Say(lang, it != advice.end() ? it->second : Msg::kAdviceGeneric)};
}

std::vector<std::string> RenderPushReport(const PushInspection& in, const PushDecision& d, const PushReportOptions& o) {
  std::vector<std::string> out;
  const Language lang = o.language;
  const size_t width = std::max<size_t>(o.width, 60);
  const InspectionStats& s = in.stats;

  if (d.cause == Cause::kUnrecorded || d.cause == Cause::kError || d.cause == Cause::kTimeout) {
    RenderFailure(lang, in, d, o, width, &out);
    RenderNotes(lang, in, d, o, width, &out);
    return out;
  }

  std::vector<size_t> blocking = With(d, {Disposition::kBlocks});
  std::vector<size_t> warnings = With(d, {Disposition::kWarns});
  if (d.cause == Cause::kFindings || d.cause == Cause::kBypassed) {
    std::string n = Count(lang, Msg::kSecrets, blocking.size());
    if (d.bypass_used) {
      out.push_back(Say(lang, Msg::kAcceptedBypassed,
                        {{"secrets", n}, {"pusher", d.pusher.empty() ? Say(lang, Msg::kThePusher) : d.pusher}}));
      std::string reason =
          JoinSentences(lang, Say(lang, Msg::kReasonGiven, {{"reason", d.bypass_reason}}), Accountability(lang, o));
      Wrap(JoinSentences(lang, reason, Say(lang, Msg::kRotateIfReal)), "", width, &out);
    } else if (d.monitored) {
      out.push_back(Say(lang, Msg::kMonitoredFindings,
                        {{"secrets", n}, {"carriers", CarrierWords(lang, Carriers(in, blocking))}}));
      std::string told = JoinSentences(lang, Say(lang, Msg::kMonitorExplained), Accountability(lang, o));
      Wrap(JoinSentences(lang, told, Say(lang, Msg::kRotateIfReal)), "", width, &out);
    } else {
      out.push_back(Say(lang, Msg::kRejectedFindings,
                        {{"secrets", n}, {"carriers", CarrierWords(lang, Carriers(in, blocking))}}));
      if (!d.bypass_refused.empty())
        Wrap(Say(lang, Msg::kBypassRefused, {{"why", RefusalText(lang, d, true)}}), "", width, &out);
    }
    out.push_back(Say(lang, Msg::kCheckedParen, {{"checked", Checked(lang, s)}}));
    RenderList(lang, in, blocking, o.max_findings, width, &out);
    if (!warnings.empty()) {
      out.push_back("");
      out.push_back(Say(lang, Msg::kAlsoWarnings, {{"warnings", Count(lang, Msg::kWarnings, warnings.size())}}));
      RenderList(lang, in, warnings, o.max_findings, width, &out);
    }
    if (!d.bypass_used && !d.monitored) HowToFix(lang, in, d, blocking, o, width, &out);
  } else {
    if (warnings.empty()) {
      out.push_back(Say(lang, Msg::kAccepted, {{"checked", Checked(lang, s)}}));
    } else {
      out.push_back(Say(lang, Msg::kAcceptedWithWarnings,
                        {{"warnings", Count(lang, Msg::kWarnings, warnings.size())}, {"checked", Checked(lang, s)}}));
      Wrap(Say(lang, Msg::kWarningsExplained), "", width, &out);
      RenderList(lang, in, warnings, o.max_findings, width, &out);
    }
  }
  RenderAllowedAndPreExisting(lang, in, d, o, width, &out);
  if (s.skipped_total()) {
    out.push_back("");
    RenderSkipped(lang, s, width, &out);
  }
  RenderNotes(lang, in, d, o, width, &out);
  return out;
}

std::vector<std::string> RenderGitLabMessage(const PushInspection& in, const PushDecision& d,
                                             const PushReportOptions& o) {
  std::vector<std::string> out;
  if (d.accepted) return out;
  const Language lang = o.language;
  const std::string prefix = "GL-HOOK-ERR: ";
  out.push_back(prefix + RenderPushReport(in, d, o).front());
  if (d.cause == Cause::kError || d.cause == Cause::kTimeout) {
    if (!d.error.empty()) out.push_back(prefix + d.error);
    out.push_back(prefix + Say(lang, Msg::kTellAdministrators));
    return out;
  }
  std::vector<size_t> blocking = With(d, {Disposition::kBlocks});
  const size_t shown = std::min<size_t>(blocking.size(), 3);
  for (size_t k = 0; k < shown; ++k) {
    const PushFinding& pf = in.findings[blocking[k]];
    std::string title = FindingTitle(pf.finding), where = Place(lang, pf), fp = pf.finding.fingerprint;
    if (FromTag(pf))
      out.push_back(prefix + Say(lang, Msg::kGitLabFindingTag,
                                 {{"title", title}, {"where", where}, {"tag", ShortRef(pf.ref)}, {"fingerprint", fp}}));
    else if (!pf.commit.short_id.empty())
      out.push_back(prefix +
                    Say(lang, Msg::kGitLabFindingCommit,
                        {{"title", title}, {"where", where}, {"commit", pf.commit.short_id}, {"fingerprint", fp}}));
    else
      out.push_back(prefix + Say(lang, Msg::kGitLabFinding, {{"title", title}, {"where", where}, {"fingerprint", fp}}));
  }
  if (blocking.size() > shown)
    out.push_back(prefix + Say(lang, Msg::kGitLabMore, {{"n", std::to_string(blocking.size() - shown)}}));
  out.push_back(prefix + Count(lang, Msg::kGitLabWhatToDo, blocking.size(),
                               {{"carriers", CarrierWords(lang, Carriers(in, blocking))}}));
  return out;
}

}  // namespace akgate
