#include "git/quoted_path.h"

namespace akgate {

bool UnquoteCStyle(std::string_view in, std::string* out) {
  if (in.size() < 2 || in.front() != '"' || in.back() != '"') return false;
  std::string s;
  s.reserve(in.size());
  for (size_t i = 1; i + 1 < in.size(); ++i) {
    char c = in[i];
    if (c == '"') return false;  // an unescaped quote before the end
    if (c != '\\') {
      s.push_back(c);
      continue;
    }
    if (++i + 1 >= in.size()) return false;  // backslash right before the closing quote
    c = in[i];
    switch (c) {
      case '"':
      case '\\':
        s.push_back(c);
        break;
      case 'a':
        s.push_back('\a');
        break;
      case 'b':
        s.push_back('\b');
        break;
      case 'f':
        s.push_back('\f');
        break;
      case 'n':
        s.push_back('\n');
        break;
      case 'r':
        s.push_back('\r');
        break;
      case 't':
        s.push_back('\t');
        break;
      case 'v':
        s.push_back('\v');
        break;
      case '0':
      case '1':
      case '2':
      case '3': {
        if (i + 2 >= in.size() - 1) return false;  // three digits before the closing quote
        int v = 0;
        for (int k = 0; k < 3; ++k) {
          char d = in[i + k];
          if (d < '0' || d > '7') return false;
          v = v * 8 + (d - '0');
        }
        s.push_back(static_cast<char>(v));
        i += 2;
        break;
      }
      default:
        return false;
    }
  }
  *out = std::move(s);
  return true;
}

std::string PathFromGitEnv(std::string_view value) {
  std::string unquoted;
  if (UnquoteCStyle(value, &unquoted)) return unquoted;
  return std::string(value);
}

}  // namespace akgate
