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
  std::string fp = in + "fingerprint " + f.fingerprint + "  (rule " + f.rule_id + ")";
  out->push_back(Ellipsize(fp, width));
  if (pf.also_in)
    out->push_back(in + "(the same secret is in " + Plural(pf.also_in, "more place", "more places") + " of this push)");
}

std::string Checked(const InspectionStats& s) {
  std::string t = "checked " + Plural(s.commits, "new commit", "new commits");
  if (s.tags) t += ", " + Plural(s.tags, "tag", "tags");
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

// Step 1 of "how to fix": remove the secret, naming the commit to edit.
void RemoveAdvice(const PushInspection& in, const std::vector<size_t>& blocking, std::vector<std::string>* out) {
  if (blocking.size() == 1) {
    out->push_back("  1. Remove it from every commit you are pushing. Deleting it in a new commit is");
    out->push_back("     not enough: it stays in the history.");
  } else {
    out->push_back("  1. Remove them from every commit you are pushing. Deleting them in a new commit");
    out->push_back("     is not enough: they stay in the history.");
  }
  bool tip = false, tag = false;
  const CommitInfo* oldest = nullptr;
  for (size_t i : blocking) {
    const PushFinding& pf = in.findings[i];
    if (pf.source == SourceKind::kTagMessage || pf.source == SourceKind::kTaggedObject) {
      tag = true;
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
    out->push_back("       in many commits:      git filter-repo --replace-text <file with the secret>");
  }
  if (tag) out->push_back("       in a tag:             git tag -d <tag>, then re-create it without the secret");
}

void HowToFix(const PushInspection& in, const PushDecision& d, const std::vector<size_t>& blocking, size_t width,
              std::vector<std::string>* out) {
  out->push_back("");
  out->push_back("How to fix it:");
  RemoveAdvice(in, blocking, out);
  out->push_back(blocking.size() == 1
                     ? "  2. Rotate the key: treat it as leaked, anyone who saw the commit may have copied it."
                     : "  2. Rotate the keys: treat them as leaked, anyone who saw the commits may have them.");
  std::set<std::string> providers;
  for (size_t i : blocking) providers.insert(in.findings[i].finding.provider);
  for (const std::string& p : providers)
    for (const std::string& line : RotationAdvice(p)) Wrap(line, "       ", width, out);
  if (!d.push_options_accepted && (d.may_allow || d.may_bypass)) {
    out->push_back("  3. If it is not a real secret (a false positive), ask the server administrators to");
    out->push_back("     allowlist its fingerprint, or to turn on push options for this repository");
    out->push_back("     (git config receive.advertisePushOptions true) to allow it with -o akgate.allow.");
    return;
  }
  if (d.may_allow || d.may_bypass) out->push_back("  3. If it is not a real secret (a false positive), push anyway:");
  else out->push_back("  3. If it is not a real secret (a false positive), ask the server administrators to");
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
    out->push_back(line);
    if (blocking.size() > 4) out->push_back("       (one -o akgate.allow=<fingerprint> per finding)");
  } else if (!d.may_bypass) {
    out->push_back("     allowlist its fingerprint in the akgate policy.");
  }
  if (d.may_bypass) {
    out->push_back(std::string(d.may_allow ? "     or bypass the check for this push" : "       bypass the check") +
                   " (audited, and the security team is notified):");
    out->push_back("       git push -o akgate.bypass=\"why this is safe\"");
  }
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

void RenderAllowedAndPreExisting(const PushInspection& in, const PushDecision& d, size_t width,
                                 std::vector<std::string>* out) {
  std::vector<size_t> allowed = With(d, {Disposition::kAllowedByOption, Disposition::kAllowedByPolicy});
  if (!allowed.empty()) {
    out->push_back("");
    out->push_back("Allowed (audited):");
    for (size_t i : allowed) {
      const PushFinding& pf = in.findings[i];
      std::string by = d.dispositions[i] == Disposition::kAllowedByOption ? "by -o akgate.allow" : "by the policy";
      std::string where = pf.finding.path.empty() ? SourceKindName(pf.source) : Where(pf, pf.finding.parts.front());
      out->push_back(Ellipsize("    " + pf.finding.fingerprint + " " + FindingTitle(pf.finding) + ", " + where + " (" +
                               by + ")", width));
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
    Wrap(std::string("The server's policy says ") + (timeout ? "on_timeout" : "on_error") + " = \"" +
             FailModeName(d.fail_mode) + "\"" +
             (d.fail_mode == FailMode::kBlock ? ": a push that cannot be checked is not let in." : ".") +
             " This was recorded.",
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
      Wrap("Reason given: \"" + d.bypass_reason + "\". This was recorded and the security team is notified; "
           "rotate the key if it is real.", "", width, &out);
    } else {
      out.push_back("akgate: push REJECTED: " + n + " found in the commits you are pushing.");
      if (!d.bypass_refused.empty()) Wrap("Bypass refused: " + d.bypass_refused + ".", "", width, &out);
    }
    out.push_back("(" + Checked(s) + ")");
    RenderList(in, blocking, o.max_findings, width, &out);
    if (!warnings.empty()) {
      out.push_back("");
      out.push_back("Also " + Plural(warnings.size(), "warning", "warnings") + " (not blocking):");
      RenderList(in, warnings, o.max_findings, width, &out);
    }
    if (!d.bypass_used) HowToFix(in, d, blocking, width, &out);
  } else {
    std::string head = "akgate: push accepted";
    if (!warnings.empty()) head += " with " + Plural(warnings.size(), "warning", "warnings");
    out.push_back(head + ": " + Checked(s) + ".");
    if (!warnings.empty()) {
      Wrap("These look like secrets but do not block; check them, and rotate any that is real:", "", width, &out);
      RenderList(in, warnings, o.max_findings, width, &out);
    }
  }
  RenderAllowedAndPreExisting(in, d, width, &out);
  if (s.skipped_total()) {
    out.push_back("");
    RenderSkipped(s, width, &out);
  }
  RenderNotes(d, width, &out);
  return out;
}

}  // namespace akgate
