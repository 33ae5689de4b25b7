// Helpers for tests of text for people (reports in both languages): lines
// joined or unwrapped, and whether bytes are valid UTF-8 (nothing shortened or wrapped
// may split a sequence).
#pragma once

#include <string>
#include <vector>

namespace akgate::testing {

inline std::string JoinLines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

// English lines as the reader takes them: a wrapped sentence unwrapped (a
// line break and the next line's indent become one space); an empty line
// stays a line break.
inline std::string Unwrapped(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) {
    size_t text = l.find_first_not_of(' ');
    s += text == std::string::npos ? "\n" : " " + l.substr(text);
  }
  return s;
}

inline bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (!len || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

}  // namespace akgate::testing
