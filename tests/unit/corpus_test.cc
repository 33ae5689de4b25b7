// The corpus under tests/corpus/ scanned with the default rules.
//
// Every case file X has a sibling X.expect that lists the findings the
// default rules must produce, one per line:
//
//   <action> <rule-or-pair-id> <line>     e.g.  block alibaba-accesskey-pair 3
//
// (the line is that of the finding's first part), or the single line `none`.
// Blank lines and lines starting with '#' are ignored. The comparison is
// exact: a missing finding and an unexpected one both fail, naming the file.
// Findings with action "off" are not reported by the engine and never listed.
//
//   positive/  realistic leaks, one case per file
//   traps/     false-positive traps: none of them may block
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rule_loader.h"
#include "engine/scanner.h"

namespace {

namespace fs = std::filesystem;

// (action, rule or pair id, line of the first part)
using Expected = std::tuple<std::string, std::string, uint32_t>;

fs::path CorpusDir() { return fs::path(AKGATE_SOURCE_DIR) / "tests" / "corpus"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses an .expect file; returns false (and says why) when malformed.
bool ParseExpect(const std::string& text, std::set<Expected>* out, std::string* error) {
  std::istringstream lines(text);
  std::string line;
  bool none = false;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    std::istringstream words(line);
    std::string action, id;
    long number = -1;
    if (!(words >> action) || action[0] == '#') continue;
    if (action == "none") {
      none = true;
      continue;
    }
    std::string extra;
    if (!(words >> id >> number) || number < 1 || (words >> extra) || (action != "block" && action != "warn")) {
      *error = "line " + std::to_string(n) + ": expected '<block|warn> <id> <line>' or 'none', got '" + line + "'";
      return false;
    }
    out->emplace(action, id, static_cast<uint32_t>(number));
  }
  if (none && !out->empty()) {
    *error = "'none' together with findings";
    return false;
  }
  if (!none && out->empty()) {
    *error = "empty: write 'none' for a case with no finding";
    return false;
  }
  return true;
}

std::string Describe(const std::set<Expected>& s) {
  if (s.empty()) return "(nothing)";
  std::string out;
  for (const auto& [action, id, line] : s) {
    if (!out.empty()) out += ", ";
    out += action + " " + id + " " + std::to_string(line);
  }
  return out;
}

// Case files below `dir`: every regular file that is not an .expect file.
std::vector<fs::path> CaseFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() != ".expect") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

struct CorpusScanner {
  akgate::RuleSet rules;
  std::unique_ptr<akgate::Scanner> scanner;
  std::unique_ptr<akgate::ScanScratch> scratch;

  CorpusScanner() {
    akgate::Status s = akgate::LoadDefaultRules(&rules);
    REQUIRE_MESSAGE(s.ok(), s.message());
    s = akgate::Scanner::Create(rules, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
    scratch = std::make_unique<akgate::ScanScratch>(*scanner);
  }

  std::set<Expected> Scan(const std::string& rel_path, const std::string& data) {
    akgate::FragmentResult r = scanner->Scan({rel_path, data}, *scratch);
    std::set<Expected> got;
    for (const akgate::Finding& f : r.findings)
      if (f.action != akgate::Action::kOff) got.emplace(akgate::ActionName(f.action), f.rule_id, f.location().line);
    return got;
  }
};

// Scans every case of one corpus directory and compares with its .expect.
// Returns the expectations seen, for the directory-level checks.
std::vector<std::set<Expected>> CheckCorpusDir(const std::string& name, size_t min_cases) {
  CorpusScanner cs;
  const fs::path root = CorpusDir();
  const std::vector<fs::path> files = CaseFiles(root / name);
  CHECK_MESSAGE(files.size() >= min_cases,
                "tests/corpus/" << name << " has " << files.size() << " cases; at least " << min_cases << " expected");
  std::vector<std::set<Expected>> all;
  for (const fs::path& file : files) {
    const std::string rel = fs::relative(file, root).generic_string();
    fs::path expect_path = file;
    expect_path += ".expect";
    if (!fs::exists(expect_path)) {
      FAIL_CHECK("tests/corpus/" << rel << ": no " << rel << ".expect beside it");
      continue;
    }
    std::set<Expected> expected;
    std::string error;
    if (!ParseExpect(ReadFile(expect_path), &expected, &error)) {
      FAIL_CHECK("tests/corpus/" << rel << ".expect: " << error);
      continue;
    }
    const std::set<Expected> got = cs.Scan(rel, ReadFile(file));
    std::set<Expected> missing, unexpected;
    std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                        std::inserter(missing, missing.end()));
    std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                        std::inserter(unexpected, unexpected.end()));
    if (!missing.empty() || !unexpected.empty())
      FAIL_CHECK("tests/corpus/" << rel << ": missing [" << Describe(missing) << "], unexpected ["
                                 << Describe(unexpected) << "]");
    all.push_back(expected);
  }
  // Orphan .expect files point at a renamed or deleted case.
  for (const auto& e : fs::recursive_directory_iterator(root / name)) {
    if (e.path().extension() != ".expect") continue;
    fs::path case_path = e.path();
    case_path.replace_extension();
    if (!fs::exists(case_path))
      FAIL_CHECK("tests/corpus/" << fs::relative(e.path(), root).generic_string() << ": no case file beside it");
  }
  return all;
}

}  // namespace

TEST_CASE("corpus: positive cases produce exactly the expected findings") {
  const auto all = CheckCorpusDir("positive", 40);
  for (const auto& expected : all) CHECK_MESSAGE(!expected.empty(), "a positive case expects no finding");
}

TEST_CASE("corpus: false-positive traps produce exactly the expected findings, and never block") {
  const auto all = CheckCorpusDir("traps", 25);
  for (const auto& expected : all)
    for (const auto& [action, id, line] : expected)
      CHECK_MESSAGE(action != "block", "a trap expects a blocking finding: " << id << " at line " << line);
}

TEST_CASE("corpus: the .expect parser rejects malformed files") {
  std::set<Expected> out;
  std::string error;
  CHECK(ParseExpect("block alibaba-accesskey-pair 3\n", &out, &error));
  CHECK(out.size() == 1);
  out.clear();
  CHECK(ParseExpect("# comment\n\nnone\n", &out, &error));
  CHECK(out.empty());
  CHECK_FALSE(ParseExpect("", &out, &error));
  CHECK_FALSE(ParseExpect("block x\n", &out, &error));
  CHECK_FALSE(ParseExpect("deny x 3\n", &out, &error));
  CHECK_FALSE(ParseExpect("none\nwarn x 2\n", &out, &error));
}
