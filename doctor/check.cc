// Rendering `akgate doctor`'s report.
#include "doctor/check.h"

#include <algorithm>

namespace akgate::doctor {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kOk:
      return "ok";
    case Severity::kInfo:
      return "info";
    case Severity::kWarn:
      return "warn";
    case Severity::kRisk:
      return "risk";
    case Severity::kError:
      return "error";
  }
  return "?";
}

Severity Report::Worst() const {
  Severity worst = Severity::kOk;
  for (const Group& g : groups)
    for (const Check& c : g.checks) worst = std::max(worst, c.severity);
  return worst;
}

size_t Report::Count(Severity s) const {
  size_t n = 0;
  for (const Group& g : groups)
    n += static_cast<size_t>(
        std::count_if(g.checks.begin(), g.checks.end(), [&](const Check& c) { return c.severity == s; }));
  return n;
}

namespace {

// Labels padded to one width; the ones that need acting on in capitals.
std::string Label(Severity s) {
  std::string l = SeverityName(s);
  if (s >= Severity::kWarn)
    for (char& c : l) c = static_cast<char>(c - 'a' + 'A');
  l.resize(6, ' ');
  return l;
}

// A multi-line fix: each line indented alike.
void Indented(const std::string& text, const std::string& indent, std::string* out) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    *out += indent + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
}

}  // namespace

std::string RenderText(const Report& r) {
  std::string out;
  for (const Group& g : r.groups) {
    out += g.subject + "\n";
    for (const Check& c : g.checks) {
      out += "  " + Label(c.severity) + c.id + ": " + c.finding + "\n";
      if (!c.fix.empty()) {
        out += "        fix: ";
        std::string rest;
        Indented(c.fix, "             ", &rest);
        out += rest.substr(13);
      }
    }
  }
  out += std::to_string(r.Count(Severity::kOk)) + " ok, " + std::to_string(r.Count(Severity::kInfo)) + " info, " +
         std::to_string(r.Count(Severity::kWarn)) + " warn, " + std::to_string(r.Count(Severity::kRisk)) + " risk, " +
         std::to_string(r.Count(Severity::kError)) + " error\n";
  return out;
}

nlohmann::json RenderJson(const Report& r) {
  nlohmann::json counts = nlohmann::json::object();
  for (Severity s : {Severity::kOk, Severity::kInfo, Severity::kWarn, Severity::kRisk, Severity::kError})
    counts[SeverityName(s)] = r.Count(s);
  nlohmann::json groups = nlohmann::json::array();
  for (const Group& g : r.groups) {
    nlohmann::json checks = nlohmann::json::array();
    for (const Check& c : g.checks)
      checks.push_back({{"id", c.id}, {"severity", SeverityName(c.severity)}, {"finding", c.finding}, {"fix", c.fix}});
    groups.push_back({{"subject", g.subject}, {"checks", checks}});
  }
  return {{"status", SeverityName(r.Worst())}, {"exit_code", ExitCode(r)}, {"counts", counts}, {"groups", groups}};
}

int ExitCode(const Report& r) { return r.Worst() >= Severity::kWarn ? 1 : 0; }

}  // namespace akgate::doctor
