// Webhook notifications: an HTTP POST of a JSON event, over http:// or
// https:// (OpenSSL: the peer's certificate is verified against the system
// CAs or a given CA file, the host name is checked, SNI is sent).
//
// The time is strictly bounded: every network step shares one deadline, and
// the request runs on its own thread that the caller stops waiting for at the
// deadline (a DNS lookup cannot be cancelled; a late one is left behind,
// never waited for). A failure is returned as a Status for the log; it never
// changes a push decision.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct WebhookUrl {
  bool tls = false;
  std::string host;    // without brackets for IPv6
  std::string port;    // "80" / "443" unless given
  std::string target;  // "/path?query", at least "/"
};

// http[s]://host[:port][/path][?query]; user:password@ is refused (put
// credentials in the path or query, which the policy file keeps).
Status ParseWebhookUrl(const std::string& url, WebhookUrl* out);

struct WebhookRequest {
  std::string url;
  std::string body;     // JSON
  std::string ca_file;  // extra CA bundle for https ("" = system CAs only)
  std::chrono::steady_clock::time_point deadline;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Idempotency-Key)
};

// POSTs; Ok only for a 2xx answer before the deadline. `answer`, when not
// null, gets the answer's body (at most 64 KiB).
Status PostWebhook(const WebhookRequest& request, std::string* answer = nullptr);

}  // namespace akgate
