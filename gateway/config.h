// akgate-gateway's configuration (TOML; install/gateway.example.toml is the
// commented reference). Loading validates everything up front, so a running
// gateway never meets a bad value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/status.h"
#include "gateway/identity.h"

namespace akgate::gateway {

struct Listener {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  std::string tls_cert;  // both set: HTTPS; neither: HTTP
  std::string tls_key;
  // PEM CAs for client certificates: the listener asks for one and verifies
  // it (a client without one still connects, without an identity).
  std::string client_ca;
  bool tls() const { return !tls_cert.empty(); }
};

// An upstream base URL, split.
struct UpstreamUrl {
  bool tls = false;
  std::string host;
  std::string port;         // "80" / "443" when the URL has none
  std::string base_path;    // always ends with '/'
  std::string host_header;  // host[:port] as written in the URL
};
Status ParseUpstreamUrl(const std::string& url, UpstreamUrl* out);

struct Route {
  std::string prefix;    // request path prefix, ends with '/'
  std::string upstream;  // as configured, for logs
  UpstreamUrl url;
  std::string ca_file;  // overrides [upstream] ca_file
  // A policy file laid over [inspect] policy for pushes through this route,
  // as a repository's akgate.toml is over the server's in the hook: a team
  // or an upstream with rules, allowlists or bypass rights of its own.
  std::string policy_file;
  // Gateway-held mode: a file with "user:token", the route's own write
  // credential for its upstream (mode 0600 or stricter)...
  std::string upstream_credential_file;
  // ... and the Authorization value made of it ("Basic ..."), loaded by
  // LoadConfig. Sent to this route's upstream only; never logged.
  std::string upstream_authorization;
};

struct Config {
  std::vector<Listener> listeners;
  unsigned threads = 2;       // I/O threads
  unsigned scan_threads = 2;  // pack indexing and inspection
  std::string temp_dir = "/var/tmp/akgate-gateway";

  // Limits against hostile or broken clients.
  uint32_t max_header_bytes = 16 * 1024;
  uint64_t max_push_bytes = 2ull << 30;   // received, and decoded when compressed
  unsigned max_decompression_ratio = 20;  // a compressed push body may expand this much
  uint64_t max_advertisement_bytes = 64ull << 20;
  unsigned max_concurrent_pushes = 16;
  unsigned idle_timeout_s = 60;       // no byte moved for this long: close
  unsigned request_timeout_s = 3600;  // one request, start to end
  unsigned shutdown_grace_s = 600;    // SIGTERM: in-flight requests may take this long

  // Upstream connections.
  std::string ca_file;  // extra trusted CAs (PEM), besides the system store
  unsigned connect_timeout_s = 10;
  unsigned upstream_timeout_s = 300;  // idle time waiting for the upstream
  // A push with findings in a file whose earlier version is upstream fetches
  // that version (with the pusher's credentials), so a secret already there
  // is not taken for a new one.
  bool fetch_previous = true;

  std::vector<Route> routes;

  // Where a pusher's name comes from (identity.h); none: no name-based rights.
  IdentityConfig identity;

  // Inspection: the hook's policy file (rules, allowlists, bypass, audit,
  // notifications), so both read the same.
  std::string policy_file;
  // The fingerprint key (engine/fingerprint.h); empty: fingerprint.key next
  // to policy_file (/etc/akgate/fingerprint.key), as the hook reads it.
  std::string fingerprint_key_file;

  std::string log_level = "info";
  std::string log_file;  // empty: stderr

  // The route for a request path (longest prefix), or nullptr.
  const Route* FindRoute(const std::string& path) const;
};

// Reads and checks the configuration and, in gateway-held mode and with
// `read_credentials`, the users file and every route's upstream credential
// file (held_credentials.h), so --check and start-up refuse what would fail.
Status LoadConfig(const std::string& path, Config* out, bool read_credentials = true);
// The configuration's text alone: no file it names is read.
Status ParseConfig(const std::string& toml_text, const std::string& origin, Config* out);

}  // namespace akgate::gateway
