#include <cstdio>

#include "report/report.h"

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
  if (n < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else if (n < (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
  else if (n < (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f MiB", n / 1048576.0);
  else std::snprintf(buf, sizeof buf, "%.2f GiB", n / 1073741824.0);
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
  std::string out;
  for (const Finding& f : findings) {
    if (f.action == Action::kWarn && !o.show_warnings) continue;
    bool block = f.action == Action::kBlock;
    out += std::string(block ? c.red : c.yellow) + (block ? "BLOCK" : "WARN ") + c.reset + "  " + c.bold +
           FindingTitle(f) + c.reset + (f.encoding.empty() ? "" : "  (" + f.encoding + "-encoded)") + "\n";
    if (f.is_pair()) {
      size_t width = 0;
      for (const FindingPart& p : f.parts) width = std::max(width, p.name.size());
      for (const FindingPart& p : f.parts)
        out += "       " + p.name + std::string(width - p.name.size() + 2, ' ') + p.redacted + "  " + Where(f, p) +
               "\n";
    } else {
      out += "       " + f.redacted() + "  " + Where(f, f.parts[0]) + "\n";
    }
    out += std::string("       ") + c.dim + "rule " + f.rule_id + ", fingerprint " + f.fingerprint + c.reset + "\n\n";
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
  out += "Scanned " + Plural(s.files - skipped, "file", "files") + " (" + HumanBytes(s.bytes) + ") in " + ms;
  if (skipped) out += "; skipped " + std::to_string(skipped) + " (" + reasons + ")";
  out += ".\n";
  if (s.inline_allowed || s.fingerprint_allowed)
    out += "Allowed: " + std::to_string(s.inline_allowed) + " by akgate:allow, " +
           std::to_string(s.fingerprint_allowed) + " by fingerprint.\n";
  if (blocks)
    out += std::string(c.red) + Plural(blocks, "blocking finding", "blocking findings") + c.reset + ", " +
           Plural(warns, "warning", "warnings") + ".\n";
  else if (warns)
    out += std::string("No blocking findings; ") + c.yellow + Plural(warns, "warning", "warnings") + c.reset + ".\n";
  else
    out += "No findings.\n";
  return out;
}

}  // namespace akgate
