// The text of a push decision (see push_report.h for its parts).
#include "report/push_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "report/report.h"

namespace akgate {

namespace {

std::string Duration(double ms) {
  char buf[32];
  if (ms < 1000) std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000);
  return buf;
}

// Display width in characters (UTF-8 continuation bytes do not count).
size_t Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

// Shortens to `max` characters, keeping the end (a path's file name).
std::string Ellipsize(const std::string& s, size_t max) {
  if (Width(s) <= max || max < 8) return s;
  size_t keep = max - 3, start = s.size() - keep;
  while (start < s.size() && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) ++start;
  return "..." + s.substr(start);
}

// Word-wraps `text` into lines of at most `width`, each starting with `indent`.
void Wrap(const std::string& text, const std::string& indent, size_t width, std::vector<std::string>* out) {
  std::string line = indent;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t sp = text.find(' ', pos);
    std::string word = text.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
    pos = sp == std::string::npos ? text.size() : sp + 1;
    if (word.empty()) continue;
    if (line.size() > indent.size() && Width(line) + 1 + Width(word) > width) {
      out->push_back(line);
      line = indent;
    }
    if (line.size() > indent.size()) line += " ";
    line += Ellipsize(word, width - indent.size());
  }
  if (line.size() > indent.size()) out->push_back(line);
}

std::string Where(const PushFinding& pf, const FindingPart& p) {
  const Finding& f = pf.finding;
  if (p.location.offset == Location::kWholeFile) return f.path.empty() ? "(whole file)" : f.path;
  std::string line = std::to_string(p.location.line);
  if (pf.source == SourceKind::kCommitMessage || pf.source == SourceKind::kTagMessage) return "line " + line;
  return f.path + ":" + line;
}

std::string CommitLine(const CommitInfo& c) {
  std::string s = "commit " + c.short_id;
  if (!c.author.empty()) s += " by " + c.author;
  if (!c.subject.empty()) s += ": \"" + c.subject + "\"";
  return s;
}

// One finding: title, where it came from, each part, fingerprint.
void RenderFinding(const PushFinding& pf, const std::string& label, size_t width, std::vector<std::string>* out) {
  const Finding& f = pf.finding;
  std::string title = label + " " + FindingTitle(f);
  if (!f.encoding.empty()) title += " (" + f.encoding + "-encoded)";
  out->push_back(Ellipsize(title, width));
  const std::string in = "    ";
  switch (pf.source) {
    case SourceKind::kFile: Wrap(CommitLine(pf.commit), in, width, out); break;
    case SourceKind::kCommitMessage: Wrap("in the message of " + CommitLine(pf.commit), in, width, out); break;
    case SourceKind::kTagMessage: Wrap("in the message of tag " + pf.ref, in, width, out); break;
    case SourceKind::kTaggedObject: Wrap("in " + pf.ref + " (a tag or ref naming a blob or tree)", in, width, out); break;
  }
  size_t name_w = 0, where_w = 0;
  for (const FindingPart& p : f.parts) {
    name_w = std::max(name_w, Width(p.name));
    where_w = std::max(where_w, std::min<size_t>(Width(Where(pf, p)), 48));
  }
  for (const FindingPart& p : f.parts) {
    std::string where = Ellipsize(Where(pf, p), 48);
    std::string line = in + where + std::string(where_w - Width(where) + 2, ' ');
    if (f.is_pair()) line += p.name + std::string(name_w - Width(p.name) + 2, ' ');
    line += p.redacted;
    out->push_back(Ellipsize(line, width));
  }
  // The fingerprint is what an allowlist takes: never shortened.
  std::string fp = in + "fingerprint " + f.fingerprint + "  ";
  out->push_back(fp + Ellipsize("(rule " + f.rule_id + ")", width - fp.size()));
  if (pf.also_in)
    out->push_back(in + "(the same secret is in " + Plural(pf.also_in, "more place", "more places") + " of this push)");
}

std::string Checked(const InspectionStats& s) {
  // A push of tags alone is not about commits.
  std::string t = "checked ";
  if (s.commits || !s.tags) t += Plural(s.commits, "new commit", "new commits");
  if (s.tags) t += std::string(s.commits ? ", " : "") + Plural(s.tags, "tag", "tags");
  t += ", " + Plural(s.blobs_scanned, "file", "files") + " (" + HumanBytes(s.bytes_scanned) + ") in " +
       Duration(s.duration_ms);
  return t;
}

void RenderSkipped(const InspectionStats& s, size_t width, std::vector<std::string>* out) {
  uint64_t n = s.skipped_total();
  if (!n) return;
  std::string reasons;
  for (const auto& [reason, count] : s.skipped) reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(count);
  out->push_back("Not scanned: " + Plural(n, "file", "files") + " (" + reasons + "):");
  for (const SkippedFile& f : s.skipped_examples) {
    std::string tail = " (" + f.reason + (f.reason == "oversize" ? ", " + HumanBytes(f.size) : "") + ", " + f.commit + ")";
    out->push_back("    " + Ellipsize(f.path, width - 4 - Width(tail)) + tail);
  }
  if (n > s.skipped_examples.size())
    out->push_back("    and " + std::to_string(n - s.skipped_examples.size()) + " more");
}

// Indices of findings with one of the dispositions, in report order.
std::vector<size_t> With(const PushDecision& d, std::initializer_list<Disposition> want) {
  std::vector<size_t> out;
  for (size_t i = 0; i < d.dispositions.size(); ++i)
    if (std::find(want.begin(), want.end(), d.dispositions[i]) != want.end()) out.push_back(i);
  return out;
}

void RenderList(const PushInspection& in, const std::vector<size_t>& idx, size_t max, size_t width,
                std::vector<std::string>* out) {
  for (size_t k = 0; k < idx.size() && k < max; ++k) {
    out->push_back("");
    std::string label = "[" + std::to_string(k + 1) + "/" + std::to_string(idx.size()) + "]";
    RenderFinding(in.findings[idx[k]], label, width, out);
  }
  if (idx.size() > max) {
    out->push_back("");
    out->push_back("... and " + std::to_string(idx.size() - max) + " more not shown (" + std::to_string(idx.size()) +
                   " in all; fix these and push again to see the rest).");
  }
}

// A numbered step of "how to fix": "  1. " then a hanging indent.
void Step(int n, const std::string& text, size_t width, std::vector<std::string>* out) {
  size_t first = out->size();
  Wrap(text, "     ", width, out);
  if (first < out->size()) (*out)[first].replace(0, 5, "  " + std::to_string(n) + ". ");
}

bool FromTag(const PushFinding& pf) {
  return pf.source == SourceKind::kTagMessage || pf.source == SourceKind::kTaggedObject;
}

// Where the blocking findings are: "the commits", "the tag", "the tags",
// "the commits and tags" (a push of a tag alone is not about commits).
std::string Carriers(const PushInspection& in, const std::vector<size_t>& blocking) {
  std::set<std::string> tags;
  bool commits = false;
  for (size_t i : blocking) {
    if (FromTag(in.findings[i])) tags.insert(in.findings[i].ref);
    else commits = true;
  }
  if (tags.empty()) return "the commits";
  if (!commits) return tags.size() == 1 ? "the tag" : "the tags";
  return "the commits and tags";
}

std::string ShortRef(const std::string& ref) {
  for (const char* prefix : {"refs/tags/", "refs/heads/"})
    if (ref.rfind(prefix, 0) == 0) return ref.substr(std::string(prefix).size());
  return ref;
}

// Step 1 of "how to fix": remove the secret, naming the commit or tag to edit.
void RemoveAdvice(const PushInspection& in, const std::vector<size_t>& blocking, size_t width,
                  std::vector<std::string>* out) {
  std::string carriers = Carriers(in, blocking);
  bool one = blocking.size() == 1;
  bool commits = carriers.find("commits") != std::string::npos;
  std::string what = std::string("Remove ") + (one ? "it" : "them") + " from " + carriers + " you are pushing.";
  if (commits)
    what += std::string(" Deleting ") + (one ? "it" : "them") + " in a new commit is not enough: " + (one ? "it stays" : "they stay") +
            " in the history.";
  Step(1, what, width, out);
  bool tip = false;
  std::set<std::string> tags;
  const CommitInfo* oldest = nullptr;
  for (size_t i : blocking) {
    const PushFinding& pf = in.findings[i];
    if (FromTag(pf)) {
      tags.insert(ShortRef(pf.ref));
      continue;
    }
    if (pf.commit.is_tip) tip = true;
    else if (!oldest) oldest = &pf.commit;  // findings are in commit order: the first is the oldest
  }
  if (tip) out->push_back("       in your last commit:  fix the file, git add it, then git commit --amend");
  if (oldest) {
    std::string cmd = oldest->parents ? "git rebase -i " + oldest->short_id + "^" : "git rebase -i --root";
    out->push_back("       in an older commit:   " + cmd);
    out->push_back("         (mark " + oldest->short_id + " \"edit\", fix it, git commit --amend, then git rebase --continue)");
    // git filter-repo --replace-text reads a file of SECRET==>REPLACEMENT
    // lines; --force because a working clone is not the fresh clone it
    // insists on. The secret itself is never printed.
    out->push_back("       in many commits:      put each secret on a line of its own in ../secrets.txt");
    out->push_back("                             (outside the repository) as SECRET==>REMOVED, then");
    out->push_back("                             git filter-repo --replace-text ../secrets.txt --force");
    out->push_back("                             (filter-repo removes origin: git remote add origin <url>)");
  }
  for (const std::string& tag : tags)
    out->push_back(Ellipsize("       in tag " + tag + ":  git tag -d " + tag + ", then create it again without the secret",
                             width));
}

// Cuts `s` to at most `max` characters, keeping the start.
std::string Truncate(const std::string& s, size_t max) {
  if (Width(s) <= max) return s;
  size_t end = 0, w = 0;
  while (end < s.size() && w < max - 3) {
    ++end;
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    ++w;
  }
  return s.substr(0, end) + "...";
}

// The lines an administrator pastes into the policy's [allowlist]
// fingerprints array, per finding shown: a comment saying what it was
// (never the secret; shortened to fit), then the fingerprint whole.
void AllowlistLines(const PushInspection& in, const std::vector<size_t>& blocking, size_t max, size_t width,
                    std::vector<std::string>* out) {
  size_t shown = 0;
  for (size_t i : blocking) {
    if (shown++ == max) break;
    const PushFinding& pf = in.findings[i];
    std::string what = FindingTitle(pf.finding);
    std::string where = pf.finding.path.empty() ? SourceKindName(pf.source) : Where(pf, pf.finding.parts.front());
    std::string comment = what + ", " + where;
    if (!pf.commit.short_id.empty()) comment += ", commit " + pf.commit.short_id;
    for (char& c : comment)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    const std::string indent = "       ";
    out->push_back(indent + "# " + Truncate(comment, width - indent.size() - 2));
    out->push_back(indent + "\"" + pf.finding.fingerprint + "\",");
  }
}

// What happens to this decision besides the pusher reading it, as a
// sentence: only what the policy really does ("" when nothing).
std::string Accountability(const PushReportOptions& o) {
  if (o.recorded && o.notified) return "This was recorded and the security team is notified.";
  if (o.recorded) return "This was recorded.";
  if (o.notified) return "The security team is notified.";
  return "";
}

void HowToFix(const PushInspection& in, const PushDecision& d, const std::vector<size_t>& blocking,
              const PushReportOptions& o, size_t width, std::vector<std::string>* out) {
  out->push_back("");
  out->push_back("How to fix it:");
  RemoveAdvice(in, blocking, width, out);
  std::string seen = Carriers(in, blocking);
  if (blocking.size() == 1) seen = seen == "the tag" || seen == "the tags" ? "the tag" : "the commit";
  Step(2,
       blocking.size() == 1 ? "Rotate the key: treat it as leaked, anyone who saw " + seen + " may have copied it."
                            : "Rotate the keys: treat them as leaked, anyone who saw " + seen + " may have them.",
       width, out);
  std::set<std::string> providers;
  for (size_t i : blocking) providers.insert(in.findings[i].finding.provider);
  for (const std::string& p : providers)
    for (const std::string& line : RotationAdvice(p)) Wrap(line, "       ", width, out);
  // Step 3 offers only what works for this push, and always one way that
  // needs no push option: the allowlist lines for an administrator.
  bool options = d.push_options_accepted && (d.may_allow || d.may_bypass);
  if (!options) {
    Step(3,
         "If it is not a real secret (a false positive), ask the akgate administrators to add these lines "
         "to [allowlist] fingerprints = [...] in the policy:",
         width, out);
    AllowlistLines(in, blocking, o.max_findings, width, out);
    if (!d.push_options_accepted && (d.may_allow || d.may_bypass))
      Wrap("(Push options, git push -o, are not available for this push.)", "     ", width, out);
    return;
  }
  out->push_back("  3. If it is not a real secret (a false positive), push anyway:");
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
      line = "               -o akgate.reason=\"why it is not a secret\"";
    }
    out->push_back(line);
    if (blocking.size() > 4) out->push_back("       (one -o akgate.allow=<fingerprint> per finding)");
  }
  if (d.may_bypass) {
    std::string told = o.recorded && o.notified ? " (recorded, and the security team is notified)"
                       : o.recorded             ? " (recorded)"
                       : o.notified             ? " (the security team is notified)"
                                                : "";
    out->push_back(std::string(d.may_allow ? "     or bypass the check for this push" : "       bypass the check") + told +
                   ":");
    out->push_back("       git push -o akgate.bypass=\"why this is safe\"");
  }
  Wrap("or ask the akgate administrators to add these lines to [allowlist] fingerprints = [...] in the policy:",
       "     ", width, out);
  AllowlistLines(in, blocking, o.max_findings, width, out);
}

void RenderNotes(const PushDecision& d, size_t width, std::vector<std::string>* out) {
  std::vector<std::string> notes = d.notes;
  if (!d.allow_refused.empty()) notes.push_back("-o akgate.allow ignored: " + d.allow_refused + ".");
  for (const std::string& fp : d.allow_unused)
    notes.push_back("-o akgate.allow=" + fp + " matched no finding in this push.");
  if (notes.empty()) return;
  out->push_back("");
  for (const std::string& n : notes) Wrap("Note: " + n, "", width, out);
}

void RenderAllowedAndPreExisting(const PushInspection& in, const PushDecision& d, const PushReportOptions& o,
                                 size_t width, std::vector<std::string>* out) {
  std::vector<size_t> allowed =
      With(d, {Disposition::kAllowedByOption, Disposition::kAllowedInline, Disposition::kAllowedByPolicy});
  if (!allowed.empty()) {
    out->push_back("");
    out->push_back(o.recorded ? "Allowed (recorded):" : "Allowed:");
    for (size_t i : allowed) {
      const PushFinding& pf = in.findings[i];
      std::string by = d.dispositions[i] == Disposition::kAllowedByOption ? "by -o akgate.allow"
                       : d.dispositions[i] == Disposition::kAllowedInline ? "by an akgate:allow line"
                                                                           : "by the policy";
      std::string where = pf.finding.path.empty() ? SourceKindName(pf.source) : Where(pf, pf.finding.parts.front());
      // The fingerprint whole, first (it is what an allowlist takes); the
      // description may be shortened.
      out->push_back("    " + pf.finding.fingerprint + "  allowed " + by);
      out->push_back(Ellipsize("      " + FindingTitle(pf.finding) + ", " + where, width));
    }
  }
  std::vector<size_t> pre = With(d, {Disposition::kPreExisting});
  if (pre.empty()) return;
  out->push_back("");
  if (!d.verbose) {
    Wrap(Plural(pre.size(), "secret was", "secrets were") + " already in these files before this push: not counted "
         "(git push -o akgate.verbose lists them).", "", width, out);
    return;
  }
  out->push_back("Already present before this push (not counted, but consider rotating them):");
  RenderList(in, pre, 1000, width, out);
}

}  // namespace

std::vector<std::string> RotationAdvice(const std::string& provider) {
  static const std::map<std::string, std::vector<std::string>> advice = {
      {"Alibaba Cloud",
       {"Alibaba Cloud: disable, then delete the AccessKey in the RAM console "
        "(https://ram.console.aliyun.com/users) and create a new one for a RAM user with least "
        "privilege, never for the root account. Keep keys in environment variables "
        "(ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET) or in "
        "~/.alibabacloud/credentials, not in code; prefer STS tokens and RAM roles where you can."}},
      {"AWS",
       {"AWS: deactivate, then delete the access key in the IAM console "
        "(https://console.aws.amazon.com/iam/) and create one for an IAM user or role with least "
        "privilege. Keep keys in environment variables or ~/.aws/credentials, not in code; prefer IAM roles."}},
      {"Tencent Cloud",
       {"Tencent Cloud: disable, then delete the SecretId in the CAM console "
        "(https://console.cloud.tencent.com/cam/capi) and create one for a sub-user with least "
        "privilege. Keep it in environment variables (TENCENTCLOUD_SECRET_ID/_KEY), not in code."}},
      {"Huawei Cloud",
       {"Huawei Cloud: delete the access key under My Credentials > Access Keys in the console and "
        "create one for an IAM user with least privilege. Keep it in environment variables "
        "(CLOUD_SDK_AK, CLOUD_SDK_SK), not in code."}},
      {"Volcengine",
       {"Volcengine: disable, then delete the AccessKey in the IAM console (Access keys) and create "
        "one for a sub-user with least privilege. Keep it in environment variables "
        "(VOLC_ACCESSKEY, VOLC_SECRETKEY), not in code."}},
      {"Google Cloud",
       {"Google Cloud: delete the service account key in IAM & Admin > Service accounts "
        "(https://console.cloud.google.com/iam-admin/serviceaccounts); prefer workload identity "
        "or short-lived credentials to key files."}},
      {"Azure",
       {"Azure: regenerate the storage account key (Storage account > Security + networking > "
        "Access keys) and update its users; prefer Microsoft Entra ID or short-lived SAS tokens."}},
      {"GitHub", {"GitHub: revoke the token (https://github.com/settings/tokens) and create a new one "
                  "with only the scopes it needs."}},
      {"GitLab", {"GitLab: revoke the token (User settings > Access tokens) and create a new one with only "
                  "the scopes it needs."}},
      {"Slack", {"Slack: revoke the token or rotate the app's credentials (https://api.slack.com/apps)."}},
      {"Stripe", {"Stripe: roll the key in the dashboard (https://dashboard.stripe.com/apikeys)."}},
  };
  auto it = advice.find(provider);
  if (it != advice.end()) return it->second;
  return {"Revoke or replace it where it was issued, and keep secrets in environment variables or a "
          "secret manager, not in code."};
}

std::vector<std::string> RenderPushReport(const PushInspection& in, const PushDecision& d,
                                          const PushReportOptions& o) {
  std::vector<std::string> out;
  const size_t width = std::max<size_t>(o.width, 60);
  const InspectionStats& s = in.stats;

  if (d.cause == Cause::kUnrecorded) {
    out.push_back("akgate: push REJECTED: it could not be recorded.");
    Wrap(d.error, "    ", width, &out);
    Wrap("A bypass, an allowed finding or a push accepted without a complete check is let in only when "
         "the audit log records it. Please tell the server administrators ([audit] log in the policy).",
         "", width, &out);
    RenderNotes(d, width, &out);
    return out;
  }
  if (d.cause == Cause::kError || d.cause == Cause::kTimeout) {
    bool timeout = d.cause == Cause::kTimeout;
    std::string what = timeout ? "the check did not finish in time" : "the push could not be checked";
    if (d.bypass_used)
      out.push_back("akgate: push ACCEPTED: " + what + ", bypassed by " + d.pusher + ".");
    else if (d.accepted)
      out.push_back("akgate: push ACCEPTED WITHOUT A COMPLETE CHECK: " + what + ".");
    else
      out.push_back("akgate: push REJECTED: " + what + ".");
    Wrap(d.error, "    ", width, &out);
    Wrap((d.policy_unreadable
              ? std::string("A policy that cannot be read is never trusted: the push is not let in.")
              : std::string("The server's policy says ") + (timeout ? "on_timeout" : "on_error") + " = \"" +
                    FailModeName(d.fail_mode) + "\"" +
                    (d.fail_mode == FailMode::kBlock ? ": a push that cannot be checked is not let in." : ".")) +
             (Accountability(o).empty() ? "" : " " + Accountability(o)),
         "", width, &out);
    if (s.commits || s.blobs)
      out.push_back("So far: " + Plural(s.commits, "commit", "commits") + ", " + Plural(s.blobs, "file", "files") +
                    " (" + HumanBytes(s.bytes_scanned) + ").");
    if (!d.accepted) {
      if (timeout) out.push_back("Try pushing fewer commits at a time, or ask the administrators to raise time_budget.");
      else out.push_back("Please tell the server administrators; the message above says what failed.");
      if (!d.bypass_refused.empty()) Wrap("Bypass refused: " + d.bypass_refused + ".", "", width, &out);
      else if (d.may_bypass && d.push_options_accepted)
        out.push_back("You may push anyway: git push -o akgate.bypass=\"why this is safe\"");
    }
    RenderNotes(d, width, &out);
    return out;
  }

  std::vector<size_t> blocking = With(d, {Disposition::kBlocks});
  std::vector<size_t> warnings = With(d, {Disposition::kWarns});
  if (d.cause == Cause::kFindings || d.cause == Cause::kBypassed) {
    std::string n = Plural(blocking.size(), "secret", "secrets");
    if (d.bypass_used) {
      out.push_back("akgate: push ACCEPTED: " + n + " found, bypassed by " +
                    (d.pusher.empty() ? std::string("the pusher") : d.pusher) + ".");
      std::string told = Accountability(o);
      Wrap("Reason given: \"" + d.bypass_reason + "\"." + (told.empty() ? "" : " " + told) +
               " Rotate the key if it is real.", "", width, &out);
    } else {
      out.push_back("akgate: push REJECTED: " + n + " found in " + Carriers(in, blocking) + " you are pushing.");
      if (!d.bypass_refused.empty()) Wrap("Bypass refused: " + d.bypass_refused + ".", "", width, &out);
    }
    out.push_back("(" + Checked(s) + ")");
    RenderList(in, blocking, o.max_findings, width, &out);
    if (!warnings.empty()) {
      out.push_back("");
      out.push_back("Also " + Plural(warnings.size(), "warning", "warnings") + " (not blocking):");
      RenderList(in, warnings, o.max_findings, width, &out);
    }
    if (!d.bypass_used) HowToFix(in, d, blocking, o, width, &out);
  } else {
    std::string head = "akgate: push accepted";
    if (!warnings.empty()) head += " with " + Plural(warnings.size(), "warning", "warnings");
    out.push_back(head + ": " + Checked(s) + ".");
    if (!warnings.empty()) {
      Wrap("These look like secrets but do not block; check them, and rotate any that is real:", "", width, &out);
      RenderList(in, warnings, o.max_findings, width, &out);
    }
  }
  RenderAllowedAndPreExisting(in, d, o, width, &out);
  if (s.skipped_total()) {
    out.push_back("");
    RenderSkipped(s, width, &out);
  }
  RenderNotes(d, width, &out);
  return out;
}

std::vector<std::string> RenderGitLabMessage(const PushInspection& in, const PushDecision& d,
                                             const PushReportOptions& o) {
  std::vector<std::string> out;
  if (d.accepted) return out;
  const std::string prefix = "GL-HOOK-ERR: ";
  out.push_back(prefix + RenderPushReport(in, d, o).front());
  if (d.cause == Cause::kError || d.cause == Cause::kTimeout) {
    if (!d.error.empty()) out.push_back(prefix + d.error);
    out.push_back(prefix + "Please tell the server administrators; the message above says what failed.");
    return out;
  }
  std::vector<size_t> blocking = With(d, {Disposition::kBlocks});
  const size_t shown = std::min<size_t>(blocking.size(), 3);
  for (size_t k = 0; k < shown; ++k) {
    const PushFinding& pf = in.findings[blocking[k]];
    std::string where = pf.finding.path.empty() ? SourceKindName(pf.source) : Where(pf, pf.finding.parts.front());
    std::string line = FindingTitle(pf.finding) + " in " + where;
    if (FromTag(pf)) line += " (tag " + ShortRef(pf.ref) + ")";
    else if (!pf.commit.short_id.empty()) line += " (commit " + pf.commit.short_id + ")";
    out.push_back(prefix + line + ", fingerprint " + pf.finding.fingerprint + ".");
  }
  if (blocking.size() > shown) out.push_back(prefix + "... and " + std::to_string(blocking.size() - shown) + " more.");
  bool one = blocking.size() == 1;
  out.push_back(prefix + "Remove " + (one ? "it" : "them") + " from " + Carriers(in, blocking) +
                " and rotate the " + (one ? "key" : "keys") +
                "; if it is not a real secret, ask the akgate administrators to allowlist its fingerprint.");
  return out;
}

}  // namespace akgate
