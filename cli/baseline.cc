// Reading, writing and matching a baseline file (see baseline.h).
#include "cli/baseline.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

namespace akgate {

namespace {

constexpr int kVersion = 1;
constexpr uintmax_t kMaxBytes = uintmax_t{64} << 20;

// Names the key without revealing it: 64 bits of its HMAC of a fixed text.
std::string KeyId(const FingerprintKey& key) {
  static const char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 32> mac = HmacSha256(key.bytes(), "akgate-baseline-key-id");
  std::string out;
  for (size_t i = 0; i < 8; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

bool IsFingerprint(const std::string& s) {
  return s.size() == 16 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string BaselinePath(const std::string& path) {
  std::string_view p = path;
  while (p.size() > 2 && p.substr(0, 2) == "./") {
    p.remove_prefix(2);
    while (!p.empty() && p.front() == '/') p.remove_prefix(1);
  }
  return std::string(p);
}

Status Baseline::Load(const std::string& file, const FingerprintKey& key, Baseline* out) {
  const std::string where = "baseline " + file;
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::NotFound(where + ": cannot be read (akgate baseline --output " + file + " writes one)");
  std::error_code ec;
  if (std::filesystem::file_size(file, ec) > kMaxBytes)
    return Status::ResourceExhausted(where + ": larger than 64 MiB, which no baseline is");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(where + ": not valid JSON");
  if (!j.is_object() || !j.contains("akgate_baseline"))
    return Status::InvalidArgument(where + ": not an akgate baseline (no \"akgate_baseline\" version)");
  if (!j["akgate_baseline"].is_number_integer() || j["akgate_baseline"].get<int>() != kVersion)
    return Status::InvalidArgument(where + ": \"akgate_baseline\" must be " + std::to_string(kVersion) +
                                   " (a baseline of a newer akgate?)");
  if (!j.contains("fingerprint_key") || !j["fingerprint_key"].is_string() ||
      !IsFingerprint(j["fingerprint_key"].get<std::string>()))
    return Status::InvalidArgument(where + ": \"fingerprint_key\" must be 16 hex digits");
  if (j["fingerprint_key"].get<std::string>() != KeyId(key))
    return Status::InvalidArgument(
        where + ": its fingerprints were made with another fingerprint key (" +
        j["fingerprint_key"].get<std::string>() + ", this scan's is " + KeyId(key) +
        "); give the team's key with --fingerprint-key or $AKGATE_FINGERPRINT_KEY (docs/developer.md)");
  if (!j.contains("findings") || !j["findings"].is_array())
    return Status::InvalidArgument(where + ": \"findings\" must be a list");
  Baseline b;
  size_t n = 0;
  for (const nlohmann::json& e : j["findings"]) {
    ++n;
    const std::string entry = where + ": finding " + std::to_string(n);
    if (!e.is_object()) return Status::InvalidArgument(entry + " is not an object");
    for (const char* k : {"fingerprint", "rule", "path"})
      if (!e.contains(k) || !e[k].is_string() || e[k].get<std::string>().empty())
        return Status::InvalidArgument(entry + ": \"" + k + "\" must be a non-empty string");
    BaselineEntry be;
    be.fingerprint = e["fingerprint"].get<std::string>();
    if (!IsFingerprint(be.fingerprint))
      return Status::InvalidArgument(entry + ": \"fingerprint\" must be 16 hex digits, as akgate prints them");
    be.rule = e["rule"].get<std::string>();
    be.path = BaselinePath(e["path"].get<std::string>());
    if (e.contains("secret") && e["secret"].is_string()) be.secret = e["secret"].get<std::string>();
    if (e.contains("line") && e["line"].is_number_unsigned()) be.line = e["line"].get<uint32_t>();
    b.entries_.push_back(std::move(be));
  }
  b.used_.assign(b.entries_.size(), false);
  *out = std::move(b);
  return Status::Ok();
}

std::string Baseline::Render(const std::vector<Finding>& findings, const FingerprintKey& key) {
  std::vector<BaselineEntry> entries;
  for (const Finding& f : findings) {
    BaselineEntry e;
    e.fingerprint = f.fingerprint;
    e.rule = f.rule_id;
    e.path = BaselinePath(f.path);
    e.line = f.location().offset == Location::kWholeFile ? 0 : f.location().line;
    e.secret = f.redacted();
    entries.push_back(std::move(e));
  }
  auto order = [](const BaselineEntry& e) { return std::tie(e.path, e.line, e.rule, e.fingerprint); };
  std::sort(entries.begin(), entries.end(),
            [&](const BaselineEntry& a, const BaselineEntry& b) { return order(a) < order(b); });
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [&](const BaselineEntry& a, const BaselineEntry& b) { return order(a) == order(b); }),
                entries.end());
  nlohmann::ordered_json j;
  j["akgate_baseline"] = kVersion;
  j["fingerprint_key"] = KeyId(key);
  j["findings"] = nlohmann::ordered_json::array();
  for (const BaselineEntry& e : entries)
    j["findings"].push_back(nlohmann::ordered_json{
        {"fingerprint", e.fingerprint}, {"rule", e.rule}, {"path", e.path}, {"line", e.line}, {"secret", e.secret}});
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool Baseline::Covers(const Finding& f) {
  const std::string path = BaselinePath(f.path);
  bool found = false;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].fingerprint == f.fingerprint && entries_[i].path == path) used_[i] = found = true;
  return found;
}

std::vector<BaselineEntry> Baseline::Stale() const {
  std::vector<BaselineEntry> out;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (!used_[i]) out.push_back(entries_[i]);
  return out;
}

}  // namespace akgate
