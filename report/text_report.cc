#include <algorithm>
#include <cstdio>

#include "report/messages.h"
#include "report/report.h"
#include "report/text_layout.h"

namespace akgate {

namespace {

struct Palette {
  const char* red = "";
  const char* yellow = "";
  const char* bold = "";
  const char* dim = "";
  const char* reset = "";
  explicit Palette(bool color) {
    if (!color) return;
    red = "\033[31;1m";
    yellow = "\033[33;1m";
    bold = "\033[1m";
    dim = "\033[2m";
    reset = "\033[0m";
  }
};

}  // namespace

std::string HumanBytes(uint64_t n) {
  char buf[32];
  if (n < 1024)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else if (n < (1ull << 20))
    std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
  else if (n < (1ull << 30))
    std::snprintf(buf, sizeof buf, "%.1f MiB", n / 1048576.0);
  else
    std::snprintf(buf, sizeof buf, "%.2f GiB", n / 1073741824.0);
  return buf;
}

namespace {

std::string Where(const Finding& f, const FindingPart& p) {
  if (p.location.offset == Location::kWholeFile) return f.path;
  return f.path + ":" + std::to_string(p.location.line) + ":" + std::to_string(p.location.column);
}

}  // namespace

std::string Plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string FindingTitle(const Finding& f) {
  std::string d = f.description.empty() ? f.rule_id : f.description;
  if (!f.provider.empty() && d.rfind(f.provider, 0) != 0) d = f.provider + " " + d;
  return d;
}

std::string RenderText(const std::vector<Finding>& findings, const ScanSummary& s, const TextOptions& o) {
  Palette c(o.color);
  const Language lang = o.language;
  std::string out;
  for (const Finding& f : findings) {
    if (f.action == Action::kWarn && !o.show_warnings) continue;
    bool block = f.action == Action::kBlock;
    // The label padded to five columns, so the titles line up.
    std::string label = Say(lang, block ? Msg::kScanBlock : Msg::kScanWarn);
    label += std::string(5 - std::min<size_t>(5, DisplayWidth(label)), ' ');
    out += std::string(block ? c.red : c.yellow) + label + c.reset + "  " + c.bold + FindingTitle(f) + c.reset +
           (f.encoding.empty() ? "" : "  " + Say(lang, Msg::kEncoded, {{"encoding", f.encoding}})) + "\n";
    if (f.is_pair()) {
      size_t width = 0;
      for (const FindingPart& p : f.parts) width = std::max(width, DisplayWidth(p.name));
      for (const FindingPart& p : f.parts)
        out += "       " + p.name + std::string(width - DisplayWidth(p.name) + 2, ' ') + p.redacted + "  " +
               Where(f, p) + "\n";
    } else {
      out += "       " + f.redacted() + "  " + Where(f, f.parts[0]) + "\n";
    }
    out += std::string("       ") + c.dim +
           Say(lang, Msg::kScanRuleFingerprint, {{"rule", f.rule_id}, {"fingerprint", f.fingerprint}}) + c.reset +
           "\n\n";
  }
  uint64_t blocks = s.Count(Action::kBlock, findings), warns = s.Count(Action::kWarn, findings);
  uint64_t skipped = 0;
  std::string reasons;
  for (const auto& [reason, n] : s.skipped) {
    skipped += n;
    reasons += (reasons.empty() ? "" : ", ") + reason + " " + std::to_string(n);
  }
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.0f ms", s.duration_ms);
  std::string files = Count(lang, Msg::kFiles, s.files - skipped), bytes = HumanBytes(s.bytes);
  out += (skipped ? Say(lang, Msg::kScannedSkipped,
                        {{"files", files},
                         {"bytes", bytes},
                         {"duration", ms},
                         {"skipped", std::to_string(skipped)},
                         {"reasons", reasons}})
                  : Say(lang, Msg::kScanned, {{"files", files}, {"bytes", bytes}, {"duration", ms}})) +
         "\n";
  if (s.inline_allowed || s.fingerprint_allowed)
    out += Say(lang, Msg::kScanAllowed,
               {{"inline", std::to_string(s.inline_allowed)}, {"fingerprint", std::to_string(s.fingerprint_allowed)}}) +
           "\n";
  std::string warnings = Count(lang, Msg::kWarnings, warns);
  if (blocks)
    out += Say(lang, Msg::kScanBlockingSummary,
               {{"blocking", std::string(c.red) + Count(lang, Msg::kBlockingFindings, blocks) + c.reset},
                {"warnings", warnings}}) +
           "\n";
  else if (warns)
    out += Say(lang, Msg::kScanOnlyWarnings, {{"warnings", std::string(c.yellow) + warnings + c.reset}}) + "\n";
  else
    out += Say(lang, Msg::kScanNoFindings) + "\n";
  return out;
}

}  // namespace akgate
