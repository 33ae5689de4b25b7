// How a history scan reads (`akgate scan --history`): the same finding
// layout as a file scan (report.h), plus where in history each secret came
// from: the commit that introduced it (author, date, subject), how many
// blobs, commits and paths hold it, the refs whose history holds it and the
// branch tips that still do. Text (English or Simplified Chinese), JSON and
// SARIF (one run per repository); see docs/history.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/rule.h"
#include "git/history_scan.h"
#include "report/report.h"

namespace akgate {

// One repository of the run: its scan, or why it could not be scanned.
struct HistoryResult {
  std::string path;
  HistoryScan scan;
  std::string error;  // non-empty: the scan failed (scan holds what was done)
};

// "2026-11-02", the author's own calendar day; "2026-11-02T10:11:12+08:00".
std::string CommitDate(const CommitInfo& c);
std::string CommitTimestamp(const CommitInfo& c);

// "main" for refs/heads/main, "v1.0" for refs/tags/v1.0, "origin/main" for
// refs/remotes/origin/main; other refs as they are.
std::string ShortRefName(const std::string& ref);

// Totals over the run.
uint64_t HistoryCount(const std::vector<HistoryResult>& results, Action action);

std::string RenderHistoryText(const std::vector<HistoryResult>& results, double duration_ms, const TextOptions& o);
nlohmann::json RenderHistoryJson(const std::vector<HistoryResult>& results, double duration_ms);
nlohmann::json RenderHistorySarif(const std::vector<HistoryResult>& results, const RuleSet& rules,
                                  const std::string& version);

}  // namespace akgate
