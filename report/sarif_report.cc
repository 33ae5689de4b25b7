#include <set>

#include "engine/fingerprint.h"
#include "report/report.h"

namespace akgate {

nlohmann::json RenderSarif(const std::vector<Finding>& findings, const RuleSet& rules, const std::string& version) {
  // Describe every rule that produced a result (single rules and pairs).
  std::set<std::string> used;
  for (const Finding& f : findings) used.insert(f.rule_id);
  nlohmann::json driver_rules = nlohmann::json::array();
  std::map<std::string, int> rule_index;
  auto describe = [&](const std::string& id, const std::string& description, const std::string& provider,
                      Action action) {
    if (!used.count(id) || rule_index.count(id)) return;
    rule_index[id] = static_cast<int>(driver_rules.size());
    driver_rules.push_back({
        {"id", id},
        {"name", id},
        {"shortDescription", {{"text", description.empty() ? id : description}}},
        {"fullDescription", {{"text", (provider.empty() ? "" : provider + ": ") + description}}},
        {"defaultConfiguration", {{"level", action == Action::kBlock ? "error" : "warning"}}},
        {"properties", {{"tags", {"security", "secret"}}}},
    });
  };
  for (const PairRule& p : rules.pairs) describe(p.id, p.description, p.provider, p.action);
  for (const Rule& r : rules.rules) describe(r.id, r.description, r.provider, r.action);

  nlohmann::json results = nlohmann::json::array();
  for (const Finding& f : findings) {
    nlohmann::json locations = nlohmann::json::array();
    for (const FindingPart& p : f.parts) {
      nlohmann::json physical = {{"artifactLocation", {{"uri", f.path}}}};
      if (p.location.offset != Location::kWholeFile)
        physical["region"] = {{"startLine", p.location.line}, {"startColumn", p.location.column}};
      locations.push_back({{"physicalLocation", std::move(physical)}});
      if (!f.is_pair()) break;
    }
    std::string text = FindingTitle(f) + ": " + f.redacted();
    if (f.is_pair()) {
      text = FindingTitle(f) + " (";
      for (size_t i = 0; i < f.parts.size(); ++i) text += (i ? ", " : "") + f.parts[i].name + " " + f.parts[i].redacted;
      text += ")";
    }
    nlohmann::json result = {
        {"ruleId", f.rule_id},
        {"level", f.action == Action::kBlock ? "error" : "warning"},
        {"message", {{"text", text}}},
        {"locations", std::move(locations)},
        // v2: keyed, of (provider, credential), not of the rule (engine/fingerprint.h).
        {"partialFingerprints", {{"akgate/v2", f.fingerprint}}},
        {"properties", {{"credential", {{"provider", NormaliseProvider(f.provider)}, {"part", f.parts.front().name}}}}},
    };
    if (rule_index.count(f.rule_id)) result["ruleIndex"] = rule_index[f.rule_id];
    results.push_back(std::move(result));
  }
  return {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool", {{"driver", {{"name", "akgate"}, {"version", version}, {"rules", std::move(driver_rules)}}}}},
         {"results", std::move(results)}}}},
  };
}

}  // namespace akgate
