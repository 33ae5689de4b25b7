#include "policy/push_options.h"

#include <algorithm>

namespace akgate {

namespace {

std::string Clean(const std::string& s, size_t max) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() >= max) break;
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
  }
  size_t b = out.find_first_not_of(' '), e = out.find_last_not_of(' ');
  return b == std::string::npos ? "" : out.substr(b, e - b + 1);
}

bool IsFingerprint(const std::string& s) {
  return s.size() == 16 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

PushOptions ParsePushOptions(const std::vector<std::string>& raw) {
  PushOptions o;
  for (const std::string& opt : raw) {
    if (opt.rfind("akgate.", 0) != 0) continue;
    size_t eq = opt.find('=');
    std::string key = opt.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : opt.substr(eq + 1);
    if (key == "akgate.bypass") {
      o.bypass = true;
      o.bypass_reason = Clean(value, 300);
    } else if (key == "akgate.allow") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        std::string fp = Clean(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start), 64);
        std::transform(fp.begin(), fp.end(), fp.begin(), [](unsigned char c) { return std::tolower(c); });
        if (IsFingerprint(fp)) {
          if (std::find(o.allow.begin(), o.allow.end(), fp) == o.allow.end()) o.allow.push_back(fp);
        } else {
          o.problems.push_back("akgate.allow=" + Clean(fp.empty() ? value : fp, 40) +
                               " is not a fingerprint (16 hex digits, as shown in the report)");
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (key == "akgate.reason") {
      o.reason = Clean(value, 300);
    } else if (key == "akgate.verbose") {
      o.verbose = true;
    } else if (key == "akgate.lang") {
      o.language = ParseLanguage(value);
      o.unknown_language = o.language ? "" : Clean(value, 40);
      if (!o.language && o.unknown_language.empty()) o.unknown_language = "\"\"";
    } else {
      o.problems.push_back(
          "unknown push option " + Clean(key, 40) +
          " (akgate knows akgate.bypass, akgate.allow, akgate.reason, akgate.verbose and akgate.lang)");
    }
  }
  return o;
}

}  // namespace akgate
