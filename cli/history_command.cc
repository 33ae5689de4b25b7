// `akgate scan --history`: what has already leaked, repository by
// repository (git/history_scan.h), with a progress line on a terminal.
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/repository_finder.h"
#include "engine/scanner.h"
#include "git/history_scan.h"
#include "git/repository.h"
#include "report/history_report.h"

namespace akgate {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// "[2/5] app.git: commits 80,000/82,000" while walking, then
// "[2/5] app.git: blobs 40,000/406,000, 1.2 GiB, 150.0 MiB/s, 30 s left".
std::string ProgressText(const InspectProgress& p, const std::string& label, Clock::time_point started,
                         Clock::time_point* blobs_started) {
  const uint64_t blobs_total = p.blobs_total.load(std::memory_order_relaxed);
  if (blobs_total == 0) {
    uint64_t total = p.commits_total.load(std::memory_order_relaxed);
    return label + ": commits " + Thousands(p.commits.load(std::memory_order_relaxed)) +
           (total ? "/" + Thousands(total) : "") + ", " + HumanDuration(Seconds(started));
  }
  if (*blobs_started == Clock::time_point()) *blobs_started = Clock::now();
  const uint64_t blobs = p.blobs.load(std::memory_order_relaxed), bytes = p.bytes.load(std::memory_order_relaxed);
  const double t = Seconds(*blobs_started);
  std::string line = label + ": blobs " + Thousands(blobs) + "/" + Thousands(blobs_total) + ", " + HumanBytes(bytes);
  if (t > 0.5 && blobs > 0) {
    line += ", " + HumanBytes(static_cast<uint64_t>(bytes / t)) + "/s";
    if (blobs < blobs_total)
      line += ", " + HumanDuration(t * static_cast<double>(blobs_total - blobs) / blobs) + " left";
  }
  return line;
}

}  // namespace

int RunHistoryScan(const ScanOptions& o, const RuleSet& rules, const Scanner& scanner, Language language) {
  const auto started = Clock::now();
  InitLibgit2(false);  // objects are read as stored, not re-hashed: reading, not receiving
  RepositorySearch found = FindRepositories(o.paths.empty() ? std::vector<std::string>{"."} : o.paths);
  for (const std::string& e : found.errors) std::cerr << "akgate: " << e << "\n";
  if (found.repositories.empty()) return kExitError;

  std::vector<HistoryResult> results;
  for (size_t i = 0; i < found.repositories.size(); ++i) {
    const FoundRepository& fr = found.repositories[i];
    HistoryResult r;
    r.path = fr.path;
    RepositoryOptions ro;
    ro.git_dir = fr.git_dir;
    ro.read_alternates = true;  // a fork's pool repository, a clone --shared: read as fast as its own
    std::unique_ptr<Repository> repo;
    Status s = fr.error.empty() ? Repository::Open(ro, &repo) : Status::Corrupt(fr.error);
    if (s.ok()) {
      InspectProgress progress;
      HistoryOptions ho;
      ho.all_refs = o.all_refs;
      ho.all_objects = o.all_objects;
      ho.threads = o.threads;
      ho.progress = &progress;
      std::string label = found.repositories.size() > 1 ? "[" + std::to_string(i + 1) + "/" +
                                                              std::to_string(found.repositories.size()) + "] " + fr.path
                                                        : fr.path;
      const auto repo_started = Clock::now();
      Clock::time_point blobs_started;
      ProgressLine line([&] { return ProgressText(progress, label, repo_started, &blobs_started); }, o.progress);
      s = ScanHistory(*repo, scanner, ho, &r.scan);
      line.Stop();
    }
    if (!s.ok()) {
      r.error = s.message();
      std::cerr << "akgate: cannot scan the history of " << fr.path << ": " << s.message() << "\n";
    }
    results.push_back(std::move(r));
  }
  const double duration_ms = Seconds(started) * 1000;

  std::string text;
  if (o.format == "json") {
    nlohmann::json j = RenderHistoryJson(results, duration_ms);
    nlohmann::json errs = nlohmann::json::array();
    for (const std::string& e : found.errors) errs.push_back(e);
    j["errors"] = errs;
    text = DumpJson(j);
  } else if (o.format == "sarif") {
    text = DumpJson(RenderHistorySarif(results, rules, AKGATE_VERSION));
  } else {
    TextOptions t;
    t.color = o.color && o.output.empty() && isatty(1);
    t.show_warnings = o.show_warnings;
    t.language = language;
    text = RenderHistoryText(results, duration_ms, t);
  }
  if (!WriteReport(o.output, text)) return kExitError;
  bool failed = !found.errors.empty();
  for (const HistoryResult& r : results) failed |= !r.error.empty();
  if (failed) return kExitError;
  return HistoryCount(results, Action::kBlock) ? kExitBlocked : kExitClean;
}

}  // namespace akgate
