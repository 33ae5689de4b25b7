// The scanner (engine/scanner.h) with the default rules, on arbitrary
// content at an arbitrary path.
//
// Input: the path (up to the first newline, at most 256 bytes), then the
// content.
//
// Checks: every finding lies inside the content (offset, line and column
// agree with the bytes for a finding in the plain text); its redacted form
// shows at most 4 + 2 of the secret's characters around an ellipsis;
// fingerprints are 16 hex digits; findings are sorted by offset;
// scanning twice gives the same findings (the scratch carries nothing over).
#include <algorithm>
#include <memory>
#include <string>

#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "fuzz_check.h"

namespace {

const akgate::Scanner* TheScanner() {
  static std::unique_ptr<akgate::Scanner> scanner = [] {
    akgate::RuleSet rules;
    FUZZ_CHECK(akgate::LoadDefaultRules(&rules).ok());
    std::unique_ptr<akgate::Scanner> s;
    FUZZ_CHECK(akgate::Scanner::Create(rules, "", &s).ok());  // no compile cache on disk
    return s;
  }();
  return scanner.get();
}

bool IsHex16(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string Describe(const akgate::FragmentResult& r) {
  std::string s = std::to_string(static_cast<int>(r.skipped)) + "/" + std::to_string(r.inline_allowed) + "\n";
  for (const akgate::Finding& f : r.findings) {
    s += f.rule_id + " " + f.fingerprint + " " + f.encoding + " " + f.member;
    for (const akgate::FindingPart& p : f.parts) s += " " + std::to_string(p.location.offset) + ":" + p.redacted;
    s += "\n";
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const akgate::Scanner& scanner = *TheScanner();
  std::string_view in = akgate_fuzz::AsText(data, size);
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos || nl > 256) nl = 0;
  std::string path(in.substr(0, nl));
  std::string_view content = in.substr(nl == 0 ? 0 : nl + 1);

  akgate::ScanScratch scratch(scanner);
  akgate::FragmentResult r = scanner.Scan({path, content}, scratch);
  uint64_t last = 0;
  for (const akgate::Finding& f : r.findings) {
    FUZZ_CHECK(!f.parts.empty() && !f.rule_id.empty());
    FUZZ_CHECK(IsHex16(f.fingerprint));
    FUZZ_CHECK(f.path.rfind(path, 0) == 0);
    for (const akgate::FindingPart& p : f.parts) {
      FUZZ_CHECK(IsHex16(p.fingerprint));
      const akgate::Location& loc = p.location;
      if (loc.offset == akgate::Location::kWholeFile) {  // path rules, unscannable content: no value
        FUZZ_CHECK(p.redacted.rfind("(", 0) == 0);
        continue;
      }
      // At most 4 + 2 characters of the secret around the ellipsis, or for a
      // low-entropy (password) rule only its length: "(12 characters)".
      if (p.redacted.rfind("(", 0) == 0) {
        FUZZ_CHECK(p.redacted.find(" character") != std::string::npos && p.redacted.back() == ')');
        const size_t digits = p.redacted.find(' ');
        FUZZ_CHECK(digits > 1 && p.redacted.find_first_not_of("0123456789", 1) == digits);
      } else {
        size_t ell = p.redacted.find("\xE2\x80\xA6");
        FUZZ_CHECK(ell != std::string::npos && ell <= 4 && p.redacted.size() - ell - 3 <= 2);
      }
      FUZZ_CHECK(loc.line >= 1 && loc.column >= 1);
      if (!f.member.empty() || (!f.encoding.empty() && f.encoding != "base64")) continue;
      // In the plain content: the offset is inside it and the line and
      // column count its bytes.
      FUZZ_CHECK(loc.offset < content.size());
      std::string_view before = content.substr(0, loc.offset);
      size_t lines = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
      size_t line_start = before.rfind('\n');
      size_t column = loc.offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
      FUZZ_CHECK(loc.line == lines);
      FUZZ_CHECK(loc.column == column);
    }
    if (f.member.empty() && f.location().offset != akgate::Location::kWholeFile) {
      FUZZ_CHECK(f.location().offset >= last);
      last = f.location().offset;
    }
  }
  akgate::FragmentResult again = scanner.Scan({path, content}, scratch);
  FUZZ_CHECK(Describe(again) == Describe(r));
  return 0;
}
