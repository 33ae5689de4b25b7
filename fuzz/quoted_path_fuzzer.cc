// git's C-style quoting undone (git/quoted_path.h), on arbitrary text.
//
// Checks: whatever it accepts, quoted again the way git's quote_c_style
// does, unquotes to the same bytes; any bytes quoted that way unquote back to
// themselves; what it refuses, PathFromGitEnv passes through unchanged.
#include <string>

#include "fuzz_check.h"
#include "git/quoted_path.h"

namespace {

// git's quote_c_style: the named escapes, other control bytes, '"', '\\'
// and bytes >= 0x80 as three octal digits.
std::string QuoteCStyle(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += '\\';
          out += static_cast<char>('0' + (c >> 6));
          out += static_cast<char>('0' + ((c >> 3) & 7));
          out += static_cast<char>('0' + (c & 7));
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = akgate_fuzz::AsText(data, size);
  std::string out = "unchanged";
  if (akgate::UnquoteCStyle(in, &out)) {
    FUZZ_CHECK(out.size() + 2 <= in.size());
    std::string again;
    FUZZ_CHECK(akgate::UnquoteCStyle(QuoteCStyle(out), &again));
    FUZZ_CHECK(again == out);
    FUZZ_CHECK(akgate::PathFromGitEnv(in) == out);
  } else {
    FUZZ_CHECK(out == "unchanged");
    FUZZ_CHECK(akgate::PathFromGitEnv(in) == in);
  }
  std::string back;
  FUZZ_CHECK(akgate::UnquoteCStyle(QuoteCStyle(in), &back));
  FUZZ_CHECK(back == in);
  return 0;
}
