// The developer-facing report of a push decision: what git shows the pusher
// behind its `remote: ` prefix. Plain text, no colour, every line under 100
// columns. Shared by the hook (stderr) and the gateway (side-band 2), so
// a rejection reads the same whichever way the push came in.
//
// A rejection has, in the spirit of GitHub's push protection:
//   - a verdict line;
//   - per secret (at most max_findings, then "and K more"): provider and
//     kind, commit (short id, author, subject), path:line of each part, the
//     redacted value, the fingerprint;
//   - what to do: remove it (amend / rebase -i <commit>^ / filter-repo,
//     naming the commit), rotate the key at the provider, and how to push
//     anyway if it is a false positive (only the ways this pusher may use).
// An accepted push gets one summary line, plus its warnings, allowed
// findings and skipped files, never silently.
//
// In English or Simplified Chinese (PushReportOptions::language), every
// sentence from the message catalogue (report/messages.h); commands, paths,
// fingerprints and rule ids read the same in both.
#pragma once

#include <string>
#include <vector>

#include "git/push_inspection.h"
#include "policy/decision.h"
#include "report/language.h"
#include "report/messages.h"

namespace akgate {

struct PushReportOptions {
  size_t max_findings = 5;
  size_t width = 90;  // columns a line may take (git adds "remote: "); a CJK character takes two
  // What the policy does with a decision, so the report promises only that:
  bool recorded = false;  // an audit log is configured
  bool notified = false;  // a webhook or a notify command is configured
  Language language = Language::kEnglish;
  // An -o akgate.lang value that names no language: the report says so in
  // a note (in `language`, the policy's), never fails. "" when none.
  std::string unknown_language;
};

// The report as lines (no newline characters).
std::vector<std::string> RenderPushReport(const PushInspection& inspection, const PushDecision& decision,
                                          const PushReportOptions& options);

// The rejection for GitLab's web UI (a commit or merge made there: the hook
// sees GL_PROTOCOL=web). GitLab shows only the hook's lines that start with
// "GL-HOOK-ERR: ", anything else becomes a generic error; so the verdict,
// each secret's kind, place and fingerprint (at most 3) and what to do, in
// a few such lines. Empty for an accepted push.
std::vector<std::string> RenderGitLabMessage(const PushInspection& inspection, const PushDecision& decision,
                                             const PushReportOptions& options);

// "the other half of this pair (ID) is in PLACES, added by the same push"
// (kPairedAcrossPush) or commit (kPairedAcrossCommit): a half that
// PushFinding::paired_with joins to the rest of its pair.
std::string PairedWith(Language lang, const PushFinding& pf, Msg scope);

// What to do after a leak, per provider ("Alibaba Cloud", "AWS", ...): lines
// of advice. Unknown providers get generic advice.
std::vector<std::string> RotationAdvice(const std::string& provider, Language language = Language::kEnglish);

}  // namespace akgate
