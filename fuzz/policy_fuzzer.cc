// The push policy's TOML (policy/policy.h, ParsePolicy) on arbitrary text.
//
// Checks: a file with an error changes nothing (the documented contract:
// "On error *out is unchanged") and says where; a file that loads leaves
// every setting inside the range the policy documents (time budgets,
// counts, fingerprints, URLs, absolute LFS paths), and lays over an earlier
// policy the same way twice (loading is deterministic).
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "policy/policy.h"

namespace {

// Every setting of a Policy, as text, to compare two of them.
std::string Dump(const akgate::Policy& p) {
  std::ostringstream o;
  auto list = [&](const char* name, const std::vector<std::string>& v) {
    o << name << ":";
    for (const std::string& s : v) o << s.size() << ":" << s << ",";
    o << "\n";
  };
  list("rule_files", p.rule_files);
  for (const auto& [id, a] : p.rule_actions)
    o << "action " << id.size() << ":" << id << "=" << akgate::ActionName(a) << "\n";
  list("allow_paths", p.allow_paths);
  list("allow_fingerprints", p.allow_fingerprints);
  o << "inline_allow " << p.inline_allow << "\nmax_file_bytes " << p.max_file_bytes << "\ntime_budget " << p.time_budget
    << "\non_timeout " << akgate::FailModeName(p.on_timeout) << "\non_error " << akgate::FailModeName(p.on_error)
    << "\nunscannable " << (p.unscannable ? akgate::ActionName(*p.unscannable) : "-") << "\n";
  list("lfs_gitlab_storage", p.lfs_gitlab_storage);
  o << "lfs_missing_blocks " << p.lfs_missing_blocks << "\nmax_findings " << p.max_findings << "\nshow_pre_existing "
    << p.show_pre_existing << "\nlanguage " << static_cast<int>(p.language) << "\n";
  list("bypass_who", p.bypass_who);
  o << "bypass_require_reason " << p.bypass_require_reason << "\n";
  list("allow_who", p.allow_who);
  o << "allow_require_reason " << p.allow_require_reason << "\naudit_log " << p.audit_log << "\nwebhook_url "
    << p.webhook_url << "\nwebhook_timeout " << p.webhook_timeout << "\nwebhook_ca_file " << p.webhook_ca_file << "\n";
  list("notify_command", p.notify_command);
  o << "command_timeout " << p.command_timeout << "\n";
  list("sources", p.sources);
  o << "unreadable " << p.unreadable << "\n";
  return o.str();
}

bool IsFingerprint(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = akgate_fuzz::AsText(data, size);
  // An earlier file's settings, as the repository file is laid over the
  // server's.
  akgate::Policy before;
  before.allow_paths = {"^vendor/"};
  before.bypass_who = {"alice"};
  before.time_budget = 30;
  before.sources = {"/etc/akgate/policy.toml"};
  const std::string dump_before = Dump(before);

  akgate::Policy p = before;
  akgate::Status s = akgate::ParsePolicy(text, "fuzz.toml", "/srv/akgate", &p);
  if (!s.ok()) {
    FUZZ_CHECK(Dump(p) == dump_before);
    FUZZ_CHECK(s.message().rfind("policy fuzz.toml", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(!p.sources.empty() && p.sources.back() == "fuzz.toml");
  FUZZ_CHECK(p.time_budget >= 0.1 && p.time_budget <= 86400);
  FUZZ_CHECK(p.webhook_timeout >= 0.1 && p.webhook_timeout <= 60);
  FUZZ_CHECK(p.command_timeout >= 0.1 && p.command_timeout <= 600);
  FUZZ_CHECK(p.max_findings >= 1 && p.max_findings <= 1000);
  for (const std::string& fp : p.allow_fingerprints) FUZZ_CHECK(IsFingerprint(fp));
  FUZZ_CHECK(p.webhook_url.empty() || p.webhook_url.rfind("http://", 0) == 0 ||
             p.webhook_url.rfind("https://", 0) == 0);
  for (const std::string& d : p.lfs_gitlab_storage) FUZZ_CHECK(!d.empty() && d[0] == '/');
  for (const std::string& f : p.rule_files) FUZZ_CHECK(!f.empty() && f[0] == '/');  // resolved against base_dir
  // The server file's lists are kept; the repository file adds to them.
  FUZZ_CHECK(p.allow_paths.size() >= 1 && p.allow_paths[0] == "^vendor/");

  akgate::Policy again = before;
  FUZZ_CHECK(akgate::ParsePolicy(text, "fuzz.toml", "/srv/akgate", &again).ok());
  FUZZ_CHECK(Dump(again) == Dump(p));
  return 0;
}
