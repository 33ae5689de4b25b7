// `akgate scan`: files and directories through the engine, then a report.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/baseline.h"
#include "cli/commands.h"
#include "cli/file_walker.h"
#include "engine/compile_cache.h"
#include "engine/fingerprint.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "report/report.h"

namespace akgate {

bool LoadScanner(const std::string& config, RuleSet* rules, std::unique_ptr<Scanner>* scanner, bool require_blocking,
                 const std::string& key_file) {
  FingerprintKey key;
  Status s;
  if (!key_file.empty()) s = FingerprintKey::Load(key_file, &key);
  if (s.ok()) s = config.empty() ? LoadDefaultRules(rules) : LoadRulesFromFile(config, rules);
  if (s.ok() && require_blocking) s = RequireBlockingRule(*rules, config.empty() ? "<default rules>" : config);
  if (s.ok()) s = Scanner::Create(*rules, DefaultCompileCacheDir(), key, scanner);
  if (!s.ok()) {
    std::cerr << "akgate: " << s.message() << "\n";
    return false;
  }
  return true;
}

namespace {

struct FileOutcome {
  FragmentResult result;
  uint64_t bytes = 0;
  std::string error;
};

FileOutcome ScanOne(const std::string& path, const Scanner& scanner, ScanScratch& scratch, std::string* buffer) {
  FileOutcome out;
  FileBytes bytes(buffer);
  bool too_large = false;
  uint64_t limit = scanner.rules().limits.max_fragment_bytes;
  bool ok =
      path == "-" ? bytes.ReadStdin(limit, &out.error, &too_large) : bytes.Open(path, limit, &out.error, &too_large);
  if (!ok) return out;
  if (too_large) {
    out.result.skipped = SkipReason::kOversize;
    return out;
  }
  out.bytes = bytes.data().size();
  out.result =
      scanner.Scan({path == "-" ? std::string_view("<stdin>") : std::string_view(path), bytes.data()}, scratch);
  return out;
}

// `akgate baseline`: the findings into the baseline file, not a report.
int WriteBaseline(const ScanOptions& o, const std::string& key_file, const std::vector<Finding>& findings,
                  const std::vector<std::string>& errors) {
  for (const std::string& e : errors) std::cerr << "akgate: cannot read " << e << "\n";
  if (!errors.empty()) {
    std::cerr << "akgate: no baseline written: some files could not be read\n";
    return kExitError;
  }
  FingerprintKey key;
  Status s = FingerprintKey::Load(key_file, &key);
  if (!s.ok()) {
    std::cerr << "akgate: " << s.message() << "\n";
    return kExitError;
  }
  if (!WriteReport(o.write_baseline, Baseline::Render(findings, key))) return kExitError;
  std::cerr << "akgate: wrote " << Plural(findings.size(), "finding", "findings") << " to " << o.write_baseline
            << "; review it, then commit it (docs/developer.md)\n";
  return kExitClean;
}

// After a scan with --baseline: what it let pass here, and its entries
// that matched nothing (fixed, or moved: a stale entry can be dropped).
void ReportBaseline(const std::string& file, const Baseline& baseline, uint64_t covered) {
  if (covered)
    std::cerr << "akgate: note: " << Plural(covered, "finding passes", "findings pass")
              << " here only because of the baseline " << file << "; the server may refuse "
              << (covered == 1 ? "it" : "them") << " (docs/developer.md)\n";
  std::vector<BaselineEntry> stale = baseline.Stale();
  if (stale.empty()) return;
  std::cerr << "akgate: " << Plural(stale.size(), "baseline entry is", "baseline entries are")
            << " no longer found (fixed or moved; remove from " << file << "):\n";
  for (const BaselineEntry& e : stale)
    std::cerr << "  " << e.path << (e.line ? ":" + std::to_string(e.line) : "") << "  " << e.rule << "  " << e.secret
              << "  fingerprint " << e.fingerprint << "\n";
}

}  // namespace

// A path that is not valid UTF-8 gets U+FFFD for each bad byte, as in the
// hook's audit log: JSON holds only UTF-8.
std::string DumpJson(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool WriteReport(const std::string& output, const std::string& text) {
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return !std::ferror(stdout);
  }
  std::ofstream out(output, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "akgate: cannot write " << output << "\n";
    return false;
  }
  return true;
}

int RunScan(const ScanOptions& o) {
  auto started = std::chrono::steady_clock::now();
  if (o.format != "text" && o.format != "json" && o.format != "sarif") {
    std::cerr << "akgate: --format must be text, json or sarif, not \"" << o.format << "\"\n";
    return kExitError;
  }
  if (o.paths.empty() && !o.history && !IsLocalScan(o)) {
    std::cerr << "akgate: scan needs a path (a file, a directory, or - for standard input)\n";
    return kExitError;
  }
  std::optional<Language> language = ParseLanguage(o.language);
  if (!language) {
    std::cerr << "akgate: --lang must be en or zh-CN, not \"" << o.language << "\"\n";
    return kExitError;
  }
  // The fingerprint key: --fingerprint-key (must exist), else
  // $AKGATE_FINGERPRINT_KEY (must exist), else the user's, created on first use.
  std::string key_file = o.fingerprint_key;
  if (key_file.empty())
    if (const char* k = std::getenv("AKGATE_FINGERPRINT_KEY"); k && *k) key_file = k;
  if (key_file.empty()) {
    key_file = DefaultUserFingerprintKeyFile();
    FingerprintKey unused;
    Status s = key_file.empty() ? Status::NotFound("neither $XDG_CONFIG_HOME nor $HOME is set; give --fingerprint-key")
                                : FingerprintKey::LoadOrCreate(key_file, &unused);
    if (!s.ok()) {
      std::cerr << "akgate: " << s.message() << "\n";
      return kExitError;
    }
  }
  if (IsLocalScan(o)) return RunLocalScan(o, key_file, *language);
  if (!o.policy.empty()) {
    std::cerr << "akgate: --policy goes with --staged, --since, A..B or --pre-push\n";
    return kExitError;
  }
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  if (!LoadScanner(o.config, &rules, &scanner, true, key_file)) return kExitError;
  if (o.history) return RunHistoryScan(o, rules, *scanner, *language);
  Baseline baseline;
  if (!o.baseline.empty()) {
    FingerprintKey key;
    Status s = FingerprintKey::Load(key_file, &key);
    if (s.ok()) s = Baseline::Load(o.baseline, key, &baseline);
    if (!s.ok()) {
      std::cerr << "akgate: " << s.message() << "\n";
      return kExitError;
    }
  }

  WalkResult walk = WalkPaths(o.paths, !o.all_files);
  for (const std::string& n : walk.notes) std::cerr << "akgate: note: " << n << "\n";
  if (!walk.bad_paths.empty()) {  // a mistyped path: no report of the others, only the error
    for (const std::string& e : walk.bad_paths) std::cerr << "akgate: cannot read " << e << "\n";
    return kExitError;
  }
  std::vector<FileOutcome> outcomes(walk.files.size());
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, walk.files.size())));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    ScanScratch scratch(*scanner);
    std::string buffer;
    for (size_t i; (i = next.fetch_add(1)) < walk.files.size();)
      outcomes[i] = ScanOne(walk.files[i], *scanner, scratch, &buffer);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  std::vector<Finding> findings;
  ScanSummary summary;
  std::vector<std::string> errors = walk.errors;
  std::vector<std::pair<std::string, std::string>> legacy;  // allowlist entries of the pre-0.2 form
  if (walk.symlinks) {                                      // counted among the files, as every skipped one is
    summary.files += walk.symlinks;
    summary.skipped["symlink"] = walk.symlinks;
  }
  for (FileOutcome& f : outcomes) {
    if (!f.error.empty()) {
      errors.push_back(f.error);
      continue;
    }
    Accumulate(f.result, f.bytes, &summary);
    for (const auto& m : f.result.legacy_allowlist)
      if (std::find(legacy.begin(), legacy.end(), m) == legacy.end()) legacy.push_back(m);
    for (Finding& fd : f.result.findings) findings.push_back(std::move(fd));
  }
  if (!o.write_baseline.empty()) return WriteBaseline(o, key_file, findings, errors);
  uint64_t in_baseline = 0;
  if (!o.baseline.empty())
    findings.erase(std::remove_if(findings.begin(), findings.end(),
                                  [&](const Finding& f) { return baseline.Covers(f) && ++in_baseline; }),
                   findings.end());
  summary.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

  std::string text;
  if (o.format == "json") {
    nlohmann::json j = RenderJson(findings, summary);
    nlohmann::json errs = nlohmann::json::array();
    for (const std::string& e : errors) errs.push_back(e);
    j["errors"] = errs;
    text = DumpJson(j);
  } else if (o.format == "sarif") {
    text = DumpJson(RenderSarif(findings, rules, AKGATE_VERSION));
  } else {
    TextOptions t;
    t.color = o.color && o.output.empty() && isatty(1);
    t.show_warnings = o.show_warnings;
    t.language = *language;
    text = RenderText(findings, summary, t);
  }
  if (!WriteReport(o.output, text)) return kExitError;
  for (const auto& [entry, fingerprint] : legacy)
    std::cerr << "akgate: note: the rules' allowlist fingerprint \"" << entry
              << "\" is in the form of akgate before 0.2; replace it with \"" << fingerprint << "\"\n";
  for (const std::string& e : errors) std::cerr << "akgate: cannot read " << e << "\n";
  if (!o.baseline.empty()) ReportBaseline(o.baseline, baseline, in_baseline);
  if (!errors.empty()) return kExitError;
  return summary.Count(Action::kBlock, findings) ? kExitBlocked : kExitClean;
}

}  // namespace akgate
