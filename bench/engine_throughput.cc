// In-memory engine throughput: how fast Scanner::Scan runs on one thread once
// the bytes are in memory (no directory walk, no file reads). Complements
// engine_bench.sh, which times the whole `akgate scan` command.
//
//   akgate_engine_throughput [--runs N] [--rules FILE] PATH...
//
// --rules FILE scans with that rule file instead of the built-in rules (to
// compare rule sets on one build and one machine).
//
// Reads every regular file under PATH (skipping .git and binary files, as
// the scanner would), then scans them all N times and prints the median.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/content_class.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  int runs = 5;
  std::string rules_file;
  std::vector<std::string> roots;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--rules" && i + 1 < argc)
      rules_file = argv[++i];
    else
      roots.push_back(a);
  }
  if (roots.empty()) {
    std::fprintf(stderr, "usage: %s [--runs N] [--rules FILE] PATH...\n", argv[0]);
    return 2;
  }
  akgate::RuleSet rules;
  std::unique_ptr<akgate::Scanner> scanner;
  akgate::Status s =
      rules_file.empty() ? akgate::LoadDefaultRules(&rules) : akgate::LoadRulesFromFile(rules_file, &rules);
  if (s.ok()) s = akgate::Scanner::Create(rules, "", &scanner);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> files;
  uint64_t bytes = 0;
  for (const std::string& root : roots) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_directory() && it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_symlink() || !it->is_regular_file()) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string data = ss.str();
      if (akgate::LooksBinary(data) || data.size() > rules.limits.max_fragment_bytes) continue;
      bytes += data.size();
      files.emplace_back(it->path().string(), std::move(data));
    }
  }
  akgate::ScanScratch scratch(*scanner);
  // Wall time, and this thread's CPU time: on a shared machine the thread
  // waits for a core, and CPU time is what one core actually spent.
  auto cpu_now = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
  };
  std::vector<double> wall, cpu;
  size_t findings = 0;
  for (int r = 0; r < runs; ++r) {
    findings = 0;
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_now();
    for (const auto& [path, data] : files) findings += scanner->Scan({path, data}, scratch).findings.size();
    cpu.push_back(cpu_now() - c0);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  double mb = bytes / 1e6;
  std::printf(
      "files %zu, %.1f MB, %d runs: wall median %.3f s (%.0f MB/s), CPU median %.3f s (%.0f MB/s per core), "
      "findings %zu\n",
      files.size(), mb, runs, wall[wall.size() / 2], mb / wall[wall.size() / 2], cpu[cpu.size() / 2],
      mb / cpu[cpu.size() / 2], findings);
  return 0;
}
