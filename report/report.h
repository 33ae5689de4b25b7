// How findings read. Every way a push or a scan is reported (terminal text,
// JSON, SARIF) is rendered here from the same values, so a finding reads the
// same whichever program found it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/finding.h"
#include "engine/rule.h"
#include "report/language.h"

namespace akgate {

// Totals of one scan.
struct ScanSummary {
  uint64_t files = 0;                       // fragments examined (scanned or skipped)
  uint64_t bytes = 0;                       // bytes scanned
  std::map<std::string, uint64_t> skipped;  // reason -> count ("binary", "oversize", ...);
                                            // archive members not scanned count too
  uint64_t inline_allowed = 0;
  uint64_t fingerprint_allowed = 0;
  uint64_t decoded_bytes = 0;
  uint64_t pair_comparisons = 0;  // pairing's work (engine/pairing.h)
  double duration_ms = 0;
  uint64_t Count(Action a, const std::vector<Finding>& findings) const;
};

// Adds one fragment's result to the totals.
void Accumulate(const FragmentResult& r, uint64_t bytes, ScanSummary* s);

// "3.2 KiB"; "1 file" / "2 files": wording shared by every report.
std::string HumanBytes(uint64_t n);
std::string Plural(uint64_t n, const char* one, const char* many);

// "Alibaba Cloud AccessKey pair" etc.: provider and kind in one phrase.
std::string FindingTitle(const Finding& f);

struct TextOptions {
  bool color = false;
  bool show_warnings = true;
  Language language = Language::kEnglish;  // JSON and SARIF are always English
};
std::string RenderText(const std::vector<Finding>& findings, const ScanSummary& summary, const TextOptions& o);

// {"findings": [...], "summary": {...}}; see docs/output.md.
nlohmann::json FindingToJson(const Finding& f);
nlohmann::json RenderJson(const std::vector<Finding>& findings, const ScanSummary& summary);

// SARIF 2.1.0, one run, one result per finding (warn -> "warning",
// block -> "error"), rules described in tool.driver.rules.
nlohmann::json RenderSarif(const std::vector<Finding>& findings, const RuleSet& rules, const std::string& version);

}  // namespace akgate
