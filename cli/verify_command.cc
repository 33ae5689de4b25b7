// `akgate verify`: the pair in (ID from the command line, secret from stdin
// or the environment), the provider's identity call (or the cache's answer),
// the answer out as a sentence or JSON, and an exit code.
#include "cli/verify_command.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "engine/fingerprint.h"
#include "engine/redact.h"
#include "verify/identity.h"
#include "verify/result_cache.h"

namespace akgate {

namespace {

// "1234567890123456" -> "1234…": enough to tell accounts apart in a report,
// not the whole account ID.
std::string RedactAccount(const std::string& account) {
  if (account.size() <= 4) return account;
  return account.substr(0, 4) + "\u2026";
}

std::string RedactArn(const std::string& arn, const std::string& account) {
  if (account.size() <= 4) return arn;
  std::string out = arn;
  for (size_t at = out.find(account); at != std::string::npos; at = out.find(account, at + 1))
    out.replace(at, account.size(), RedactAccount(account));
  return out;
}

std::string UserKind(verify::Provider p) {
  switch (p) {
    case verify::Provider::kAlibaba:
      return "RAM user";
    case verify::Provider::kAws:
      return "IAM user";
    case verify::Provider::kTencent:
      return "CAM user";
  }
  return "user";
}

std::string NotLiveWhy(const std::string& reason) {
  if (reason == "SignatureDoesNotMatch" || reason == "AuthFailure.SignatureFailure")
    return "the secret is not this key's (the key ID may still be live with its own secret)";
  if (reason.find("Inactive") != std::string::npos) return "the key is disabled";
  if (reason.find("Token") != std::string::npos || reason == "ExpiredToken")
    return "the temporary credential's token is expired or invalid";
  return "the provider does not know this key";
}

// The one line a person reads.
std::string Sentence(verify::Provider p, const verify::Identity& id) {
  std::string account = RedactAccount(id.account_id);
  switch (id.liveness) {
    case verify::Liveness::kLive:
      switch (id.principal) {
        case verify::Principal::kRoot:
          return "live: root key of account " + account + "; disable it now";
        case verify::Principal::kUser:
          return "live: " + UserKind(p) + " " + id.name + " of account " + account + "; disable the key";
        case verify::Principal::kSession:
          return "live: temporary credential (" + id.name + ") of account " + account + "; it works until it expires";
        case verify::Principal::kUnknown:
          return "live: a key of account " + account + "; disable it";
      }
      break;
    case verify::Liveness::kNotLive:
      return "not live: " + id.reason + ": " + NotLiveWhy(id.reason);
    case verify::Liveness::kUnknown:
      return "unknown: " + id.reason + (id.message.empty() ? "" : " (" + id.message + ")");
  }
  return "unknown";
}

bool ReadSecret(const std::string& env, std::string* out) {
  if (!env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (!v || !*v) {
      std::cerr << "akgate verify: the environment variable " << env << " is not set\n";
      return false;
    }
    *out = v;
    return true;
  }
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    std::cerr << "akgate verify: no secret on standard input (or give --secret-env VAR)\n";
    return false;
  }
  *out = line;
  return true;
}

std::string DefaultCacheFile() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/akgate/verify.sqlite";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/akgate/verify.sqlite";
  return "";
}

}  // namespace

VerifyCommand::VerifyCommand(CLI::App* app) {
  cmd_ = app->add_subcommand("verify",
                             "Ask a key's provider whether an AccessKey pair is live and whose it is (docs/verify.md)");
  cmd_->add_option("-p,--provider", provider_, "alibaba, aws or tencent")->required();
  cmd_->add_option("--id", id_, "The AccessKey ID (the secret is read from standard input)")->required();
  cmd_->add_option("--secret-env", secret_env_, "Read the secret from this environment variable, not stdin");
  // Hidden: taken only to refuse it without echoing it (an unknown option's
  // error would print the value back).
  cmd_->add_option("--secret", refused_secret_, "")->group("");
  cmd_->add_option("--token-env", token_env_, "The session token of a temporary credential, from this variable");
  cmd_->add_option("--endpoint", endpoint_, "https://host[:port] instead of the provider's official endpoint");
  cmd_->add_option("--ca-file", ca_file_, "Extra CA certificates for the endpoint (PEM)");
  cmd_->add_option("--timeout", timeout_seconds_, "Seconds for the whole call (default 5)")
      ->check(CLI::Range(0.1, 120.0));
  cmd_->add_option("-f,--format", format_, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd_->add_option("--cache", cache_,
                   "Answers' cache (SQLite; default $XDG_CACHE_HOME/akgate/verify.sqlite, else ~/.cache/...)");
  cmd_->add_flag("--no-cache", no_cache_, "Ask the provider even when a recent answer is cached; keep none");
  cmd_->add_option("--cache-ttl", cache_ttl_, "Seconds an answer is reused (default 3600)")
      ->check(CLI::Range(0L, 31L * 86400));
  cmd_->add_option("--fingerprint-key", fingerprint_key_,
                   "Fingerprint key file (default: $AKGATE_FINGERPRINT_KEY, else the user's, as akgate scan)");
  cmd_->footer(
      "The secret is sent to nobody: it signs one read-only identity call to its own provider's endpoint. "
      "Exit code: 0 not live, 1 live, 3 unknown (timeout, throttled, network), 2 usage error.\n");
}

bool VerifyCommand::selected() const { return cmd_->parsed(); }

int VerifyCommand::Run() {
  if (!refused_secret_.empty()) {
    refused_secret_.assign(refused_secret_.size(), '\0');
    std::cerr << "akgate verify: the secret is never taken from the command line (other users see it in ps); "
                 "give it on standard input or name a variable with --secret-env\n";
    return kExitError;
  }
  verify::Provider provider;
  if (!verify::ParseProvider(provider_, &provider)) {
    std::cerr << "akgate verify: --provider must be alibaba, aws or tencent, not \"" << provider_ << "\"\n";
    return kExitError;
  }
  verify::AccessKey key;
  key.id = id_;
  if (!ReadSecret(secret_env_, &key.secret)) return kExitError;
  if (!token_env_.empty()) {
    const char* t = std::getenv(token_env_.c_str());
    if (!t || !*t) {
      std::cerr << "akgate verify: the environment variable " << token_env_ << " is not set\n";
      return kExitError;
    }
    key.session_token = t;
  }

  // The cache: keyed by the fingerprints of the ID and of the secret.
  std::unique_ptr<verify::ResultCache> cache;
  std::string fingerprint;
  if (!no_cache_) {
    std::string key_file = fingerprint_key_;
    if (key_file.empty())
      if (const char* k = std::getenv("AKGATE_FINGERPRINT_KEY"); k && *k) key_file = k;
    FingerprintKey fp_key;
    Status s = key_file.empty() ? FingerprintKey::LoadOrCreate(DefaultUserFingerprintKeyFile(), &fp_key)
                                : FingerprintKey::Load(key_file, &fp_key);
    std::string cache_file = cache_.empty() ? DefaultCacheFile() : cache_;
    if (s.ok() && cache_file.empty()) s = Status::NotFound("neither $XDG_CACHE_HOME nor $HOME is set; give --cache");
    if (s.ok()) s = verify::ResultCache::Open(cache_file, &cache);
    if (!s.ok()) {
      std::cerr << "akgate verify: " << s.message() << " (or --no-cache)\n";
      return kExitError;
    }
    std::string name(verify::ProviderName(provider));
    fingerprint = name + ":" + Fingerprint(fp_key, FingerprintKind::kCredential, name, key.id) + ":" +
                  Fingerprint(fp_key, FingerprintKind::kCredential, name, key.secret + '\0' + key.session_token);
  }

  int64_t now = std::time(nullptr);
  verify::Identity id;
  int64_t checked_at = now;
  bool cached = cache && cache->Get(fingerprint, now, cache_ttl_, &id, &checked_at);
  if (!cached) {
    verify::VerifyOptions options;
    options.endpoint = endpoint_;
    options.ca_file = ca_file_;
    options.timeout = std::chrono::milliseconds(static_cast<long>(timeout_seconds_ * 1000));
    id = verify::VerifyAccessKey(provider, key, options);
    if (cache) {
      Status s = cache->Put(fingerprint, provider, id, now);
      if (!s.ok()) std::cerr << "akgate verify: the answer was not cached: " << s.message() << "\n";
    }
  }
  key.secret.assign(key.secret.size(), '\0');

  if (format_ == "json") {
    nlohmann::json j = {
        {"provider", std::string(verify::ProviderName(provider))},
        {"key_id", Redact(key.id)},
        {"status", std::string(verify::LivenessName(id.liveness))},
        {"identity_type", std::string(verify::PrincipalName(id.principal))},
        {"account_id", RedactAccount(id.account_id)},
        {"name", id.name},
        {"arn", RedactArn(id.arn, id.account_id)},
        {"reason", id.reason},
        {"message", id.message},
        {"summary", Sentence(provider, id)},
        {"cached", cached},
        {"checked_at", checked_at},
    };
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << Sentence(provider, id) << (cached ? " (cached answer)" : "") << "\n";
  }
  switch (id.liveness) {
    case verify::Liveness::kLive:
      return kExitVerifyLive;
    case verify::Liveness::kNotLive:
      return kExitVerifyNotLive;
    case verify::Liveness::kUnknown:
      return kExitVerifyUnknown;
  }
  return kExitVerifyUnknown;
}

}  // namespace akgate
