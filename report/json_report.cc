#include "engine/fingerprint.h"
#include "report/report.h"

namespace akgate {

uint64_t ScanSummary::Count(Action a, const std::vector<Finding>& findings) const {
  uint64_t n = 0;
  for (const Finding& f : findings) n += f.action == a;
  return n;
}

void Accumulate(const FragmentResult& r, uint64_t bytes, ScanSummary* s) {
  s->files++;
  for (const UnscannedMember& u : r.unscanned) s->skipped[SkipReasonName(u.reason)]++;
  if (r.skipped != SkipReason::kNone) {
    s->skipped[SkipReasonName(r.skipped)]++;
    return;
  }
  s->bytes += bytes;
  s->inline_allowed += r.inline_allowed;
  s->fingerprint_allowed += r.fingerprint_allowed;
  s->decoded_bytes += r.decoded_bytes;
  s->pair_comparisons += r.pair_comparisons;
}

nlohmann::json FindingToJson(const Finding& f) {
  nlohmann::json parts = nlohmann::json::array();
  for (const FindingPart& p : f.parts) {
    nlohmann::json j = {{"name", p.name},
                        {"rule", p.rule_id},
                        {"path", f.path},
                        {"secret", p.redacted},
                        {"fingerprint", p.fingerprint}};
    if (p.location.offset != Location::kWholeFile) {
      j["line"] = p.location.line;
      j["column"] = p.location.column;
    }
    parts.push_back(std::move(j));
  }
  nlohmann::json j = {
      {"rule", f.rule_id},
      {"description", f.description},
      {"provider", f.provider},
      {"action", ActionName(f.action)},
      {"path", f.path},
      {"secret", f.redacted()},
      {"fingerprint", f.fingerprint},
      // Which credential the fingerprint is of (engine/fingerprint.h): the
      // provider it is keyed with and the part whose value it is.
      {"credential", {{"provider", NormaliseProvider(f.provider)}, {"part", f.parts.front().name}}},
      {"parts", std::move(parts)},
  };
  if (f.location().offset != Location::kWholeFile) {
    j["line"] = f.location().line;
    j["column"] = f.location().column;
  } else {
    j["line"] = nullptr;
    j["column"] = nullptr;
  }
  if (!f.encoding.empty()) j["encoding"] = f.encoding;
  return j;
}

nlohmann::json RenderJson(const std::vector<Finding>& findings, const ScanSummary& s) {
  nlohmann::json list = nlohmann::json::array();
  for (const Finding& f : findings) list.push_back(FindingToJson(f));
  nlohmann::json skipped = nlohmann::json::object();
  for (const auto& [reason, n] : s.skipped) skipped[reason] = n;
  return {
      {"findings", std::move(list)},
      {"summary",
       {{"files", s.files},
        {"bytes", s.bytes},
        {"skipped", std::move(skipped)},
        {"findings", {{"block", s.Count(Action::kBlock, findings)}, {"warn", s.Count(Action::kWarn, findings)}}},
        {"allowed", {{"inline", s.inline_allowed}, {"fingerprint", s.fingerprint_allowed}}},
        {"decoded_bytes", s.decoded_bytes},
        {"pair_comparisons", s.pair_comparisons},
        {"duration_ms", s.duration_ms}}},
  };
}

}  // namespace akgate
