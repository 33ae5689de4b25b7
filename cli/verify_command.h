// `akgate verify`: is an AccessKey pair live, and whose is it? (docs/verify.md)
// The key ID comes as an argument; the secret from standard input or an
// environment variable, never from the command line, which other users see
// in `ps`.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace akgate {

// Exit codes of `akgate verify`.
constexpr int kExitVerifyNotLive = 0;  // the provider refused the key
constexpr int kExitVerifyLive = 1;     // the key works: act on it
constexpr int kExitVerifyUnknown = 3;  // no answer (timeout, throttled, network)

class VerifyCommand {
 public:
  explicit VerifyCommand(CLI::App* app);
  bool selected() const;
  int Run();

 private:
  CLI::App* cmd_ = nullptr;
  std::string provider_, id_, secret_env_, token_env_, endpoint_, ca_file_, format_ = "text";
  std::string cache_, fingerprint_key_;
  std::string refused_secret_;  // a hidden --secret, refused with the reason
  bool no_cache_ = false;
  double timeout_seconds_ = 5;
  long cache_ttl_ = 3600;
};

}  // namespace akgate
