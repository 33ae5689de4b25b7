// `akgate doctor`'s checks of a policy and what it names.
#include "doctor/policy_checks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "engine/fingerprint.h"
#include "engine/rule.h"
#include "installer/hook_installer.h"
#include "notify/webhook.h"
#include "policy/policy_rules.h"

namespace akgate::doctor {

namespace fs = std::filesystem;

namespace {

std::string Octal(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

// The file a setting is to be changed in: the last one read (a repository's
// akgate.toml overrides the server's), else the server-wide one.
std::string SettingFile(const Policy& p, const PolicyFiles& files) {
  return p.sources.empty() ? files.server : p.sources.back();
}

void CheckRules(const Policy& p, const std::string& file, Group* g) {
  RuleSet rules;
  std::vector<std::string> warnings;
  Status s = BuildRules(p, &rules, &warnings);
  if (!s.ok()) {
    g->Add("rules.load", p.on_error == FailMode::kAllow ? Severity::kRisk : Severity::kError,
           s.message() + std::string(p.on_error == FailMode::kAllow
                                         ? " (on_error = \"allow\": every push is let in unchecked)"
                                         : " (every push is refused)"),
           "fix the rules named above, then check them with: akgate rules check FILE; or use the built-in rules: " +
               ConfigLine("rules", "files", "[]", file));
    return;
  }
  size_t blocking = 0;
  for (const Rule& r : rules.rules) blocking += r.action == Action::kBlock;
  for (const PairRule& pr : rules.pairs) blocking += pr.action == Action::kBlock;
  std::string from =
      p.rule_files.empty() ? "the built-in rules" : std::to_string(p.rule_files.size()) + " rule file(s)";
  g->Add("rules.load", Severity::kOk,
         from + ": " + std::to_string(rules.rules.size()) + " rules and " + std::to_string(rules.pairs.size()) +
             " pairs, " + std::to_string(blocking) + " of them blocking");
  for (const std::string& w : warnings) g->Add("rules.actions", Severity::kInfo, w);
}

void CheckBypass(const Policy& p, const std::string& file, Group* g) {
  if (PusherListed(p.bypass_who, "\x01nobody\x01")) {
    g->Add("policy.bypass", Severity::kWarn,
           "[bypass] who = \"*\": anyone who can push may push a secret with -o akgate.bypass (audited, notified)",
           ConfigLine("bypass", "who", "[\"name\", ...]", file) + "   # the people who may bypass");
  } else if (!p.bypass_who.empty()) {
    g->Add("policy.bypass", Severity::kOk,
           std::to_string(p.bypass_who.size()) + " named pusher(s) may bypass" +
               (p.bypass_require_reason ? ", with a reason" : ", without a reason"));
  } else {
    g->Add("policy.bypass", Severity::kOk, "nobody may bypass a block");
  }
}

void CheckAuditLog(const Policy& p, const PolicyFiles& files, const Account* account, Group* g) {
  const std::string file = SettingFile(p, files);
  if (p.audit_log.empty()) {
    g->Add("audit.log", Severity::kWarn, "[audit] log = \"\": push decisions are not recorded",
           ConfigLine("audit", "log", "\"/var/log/akgate/audit.log\"", file));
    return;
  }
  const std::string log = fs::absolute(p.audit_log).lexically_normal().string();
  if (!account) {
    g->Add("audit.log", Severity::kInfo, "decisions are recorded in " + log);
    return;
  }
  const std::string dir = fs::path(log).parent_path().string();
  struct stat st;
  const std::string who = account->name + " (who the hook runs as)";
  const std::string prepare = "install -d -o " + ShellQuote(account->name) + " -m 0750 " + ShellQuote(dir) +
                              " && touch " + ShellQuote(log) + " && chown " + ShellQuote(OwnerSpec(*account)) + " " +
                              ShellQuote(log) + " && chmod 0640 " + ShellQuote(log);
  if (lstat(log.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      g->Add("audit.log", Severity::kRisk,
             "the audit log " + log + " is not a regular file: decisions are not recorded",
             "rm -i " + ShellQuote(log) + " && " + prepare);
      return;
    }
    if (MayAccess(*account, log, kWrite)) {
      g->Add("audit.log", Severity::kOk, "the audit log " + log + " can be appended to by " + who);
      return;
    }
    g->Add(
        "audit.log", Severity::kRisk,
        who + " cannot write the audit log " + log + " (owner uid " + std::to_string(st.st_uid) + ", mode " +
            Octal(st.st_mode) + "): no decision is recorded, and bypasses, allows and fail-opens are refused",
        "chown " + ShellQuote(OwnerSpec(*account)) + " " + ShellQuote(log) +
            (MayAccess(*account, dir, kExec) ? ""
                                             : "\nchmod o+x " + ShellQuote(dir) + "   # and each directory above it " +
                                                   account->name + " cannot enter"));
    return;
  }
  if (MayAccess(*account, dir, kWrite | kExec)) {
    g->Add("audit.log", Severity::kOk, "the audit log " + log + " will be created by " + who + " on the first push");
    return;
  }
  g->Add("audit.log", Severity::kRisk,
         who + " cannot create the audit log " + log +
             ": no decision is recorded, and bypasses, allows and "
             "fail-opens are refused",
         prepare);
}

void CheckFingerprintKey(const Policy& p, const Account* account, Group* g) {
  const std::string& key = p.fingerprint_key_file;
  if (key.empty()) return;
  const std::string create = "(umask 077 && openssl rand -hex 32 > " + ShellQuote(key) + ")" +
                             (account ? " && chown " + ShellQuote(OwnerSpec(*account)) + " " + ShellQuote(key) : "");
  struct stat st;
  if (lstat(key.c_str(), &st) != 0) {
    g->Add("fingerprint.key", Severity::kError,
           "no fingerprint key at " + key + ": the hook refuses every push until there is one",
           create + "   # or run akgate install again, which creates it");
    return;
  }
  FingerprintKey loaded;
  if (Status s = FingerprintKey::Load(key, &loaded); !s.ok()) {
    std::string fix = (st.st_mode & 077) ? "chmod 0600 " + ShellQuote(key) : "rm " + ShellQuote(key) + " && " + create;
    g->Add("fingerprint.key", Severity::kError, s.message() + " (the hook refuses every push)", fix);
    return;
  }
  if (account && !MayAccess(*account, key, kRead)) {
    g->Add("fingerprint.key", Severity::kError,
           account->name + " (who the hook runs as) cannot read the fingerprint key " + key +
               ": the hook refuses every push",
           "chown " + ShellQuote(OwnerSpec(*account)) + " " + ShellQuote(key));
    return;
  }
  g->Add("fingerprint.key", Severity::kOk, "the fingerprint key " + key + " loads (mode " + Octal(st.st_mode) + ")");
}

void CheckNotifyCommand(const Policy& p, const Account* account, Group* g) {
  if (p.notify_command.empty()) return;
  const std::string& program = p.notify_command.front();
  if (program.empty() || program[0] != '/') {
    g->Add("notify.command", Severity::kInfo, "the notification command runs " + program + " found on the hook's PATH");
    return;
  }
  bool runs = account ? MayAccess(*account, program, kExec) : access(program.c_str(), X_OK) == 0;
  if (!runs) {
    g->Add("notify.command", Severity::kWarn,
           "the notification command " + program + " cannot be run" + (account ? " by " + account->name : "") +
               ": blocks and bypasses are not notified",
           "chmod 0755 " + ShellQuote(program) + "   # or fix [notify] command");
    return;
  }
  g->Add("notify.command", Severity::kOk, "the notification command " + program + " can be run");
}

}  // namespace

std::string ConfigLine(const std::string& section, const std::string& key, const std::string& value,
                       const std::string& file) {
  return key + " = " + value + "   # under [" + section + "] in " + file;
}

void CheckMode(const Policy& p, const std::string& file, Group* g) {
  if (p.monitor)
    g->Add("policy.mode", Severity::kRisk,
           "[gate] mode = \"monitor\": a push with a secret is let through (audited and notified as \"monitor\"), "
           "not refused",
           ConfigLine("gate", "mode", "\"enforce\"", file));
  else
    g->Add("policy.mode", Severity::kOk, "enforcing: a push with a blocking finding is refused");
}

void CheckFailMode(const Policy& p, const std::string& file, Group* g) {
  if (p.on_timeout == FailMode::kAllow || p.on_error == FailMode::kAllow) {
    std::string which = p.on_timeout == FailMode::kAllow && p.on_error == FailMode::kAllow ? "on_timeout and on_error"
                        : p.on_timeout == FailMode::kAllow                                 ? "on_timeout"
                                                                                           : "on_error";
    std::string fix;
    if (p.on_timeout == FailMode::kAllow) fix = ConfigLine("limits", "on_timeout", "\"block\"", file);
    if (p.on_error == FailMode::kAllow)
      fix += (fix.empty() ? "" : "\n") + ConfigLine("limits", "on_error", "\"block\"", file);
    g->Add("policy.fail-mode", Severity::kRisk,
           std::string("fail open: ") + which + " = \"allow\" lets a push in unchecked when the check " +
               (which == "on_error"     ? "fails"
                : which == "on_timeout" ? "runs out of time"
                                        : "fails or runs out of time"),
           fix);
    return;
  }
  g->Add("policy.fail-mode", Severity::kOk, "fail closed: a push that cannot be checked (error or timeout) is refused");
}

void CheckTimeBudget(const Policy& p, const std::string& file, Group* g) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p.time_budget);
  const std::string budget = std::string(buf) + " s";
  const std::string then = p.on_timeout == FailMode::kAllow ? "let in unchecked" : "refused";
  if (p.time_budget < 5) {
    g->Add("policy.time-budget", p.on_timeout == FailMode::kAllow ? Severity::kRisk : Severity::kWarn,
           "time_budget = " + budget + ": a push of any size may run out of time and be " + then,
           ConfigLine("limits", "time_budget", "60", file));
    return;
  }
  if (p.time_budget > 600) {
    g->Add("policy.time-budget", Severity::kWarn,
           "time_budget = " + budget + ": a slow check holds the push (and the ssh or HTTP front end may cut it first)",
           ConfigLine("limits", "time_budget", "60", file));
    return;
  }
  g->Add("policy.time-budget", Severity::kOk, "time_budget = " + budget + "; out of time, a push is " + then);
}

void CheckWebhookUrl(const Policy& p, const std::string& file, Group* g) {
  if (p.webhook_url.empty()) {
    if (p.notify_command.empty())
      g->Add("notify.targets", Severity::kInfo, "no notification target: blocks and bypasses are only in the audit log",
             ConfigLine("notify", "webhook", "\"https://...\"", file));
    return;
  }
  WebhookUrl url;
  if (Status s = ParseWebhookUrl(p.webhook_url, &url); !s.ok()) {
    g->Add("notify.webhook", Severity::kWarn, "the webhook URL is not usable: " + s.message(),
           ConfigLine("notify", "webhook", "\"https://host/path\"", file));
    return;
  }
  if (!url.tls) {
    g->Add("notify.webhook", Severity::kWarn,
           "the webhook to " + url.host +
               " is plain http://: the event and any token in the URL cross the network "
               "in the clear",
           ConfigLine("notify", "webhook", "\"https://" + url.host + "/...\"", file));
  } else {
    g->Add("notify.webhook", Severity::kOk, "the webhook to " + url.host + ":" + url.port + " is https");
  }
  g->Add("notify.reachable", Severity::kInfo,
         "the webhook is not probed: notify/ has no way to reach it without posting an event, which would notify "
         "people");
}

void CheckPolicy(const PolicyFiles& files, const Account* account, Group* g, Policy* loaded,
                 const std::string& key_file) {
  Policy p;
  p.fingerprint_key_file = key_file;  // LoadPolicy keeps one set before
  Status s = LoadPolicy(files, &p);
  if (!s.ok()) {
    g->Add("policy.load", Severity::kError, s.message() + " (the hook refuses every push while it does not load)",
           "correct the line named, then run akgate doctor again");
    return;
  }
  const std::string file = SettingFile(p, files);
  std::string read;
  for (const std::string& src : p.sources) read += (read.empty() ? "" : ", ") + src;
  if (read.empty())
    g->Add("policy.load", Severity::kInfo, "no policy file (" + files.server + " is absent): the defaults apply",
           "install -m 0644 install/policy.example.toml " + files.server + "   # to set what differs");
  else
    g->Add("policy.load", Severity::kOk, "the policy loads from " + read);
  CheckRules(p, file, g);
  CheckMode(p, file, g);
  CheckFailMode(p, file, g);
  CheckTimeBudget(p, file, g);
  CheckBypass(p, file, g);
  CheckAuditLog(p, files, account, g);
  CheckFingerprintKey(p, account, g);
  CheckWebhookUrl(p, file, g);
  CheckNotifyCommand(p, account, g);
  if (loaded) *loaded = p;
}

}  // namespace akgate::doctor
