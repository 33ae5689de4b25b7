// The state a request's handlers share: the gateway-wide context and one
// request's state (an Exchange). The steps are in files of their own:
//
//   session.cc        read the header; /healthz, /metrics; route; 404/400;
//                     fetch traffic and anything else relayed as a stream;
//                     the receive-pack advertisement rewritten (no-thin)
//   authenticate.cc   gateway-held mode: sign in before anything else
//   push_handler.cc   POST git-receive-pack: spool, index, inspect, then
//                     forward the exact body or answer with a report-status
//   upstream.cc       what every proxied request does: connect upstream,
//                     rewrite the header, relay the response back
//   reply.cc          the gateway's own short answers to the client
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "gateway/config.h"
#include "gateway/http_stream.h"
#include "gateway/metrics.h"
#include "gateway/gate_adapter.h"
#include "gateway/scan_slots.h"

namespace akgate::gateway {

// Shared by every connection; outlives them all.
struct GatewayContext {
  const Config& config;
  Metrics& metrics;
  GateAdapter& gate;
  net::thread_pool& workers;                       // indexing and inspection
  ScanSlots& scan_slots;                           // server.scan_threads of them, handed out in order
  std::map<std::string, std::unique_ptr<ssl::context>> upstream_tls;  // by CA file
  std::atomic<bool> draining{false};               // SIGTERM received
  std::atomic<unsigned> pushes{0};                 // pushes being handled
  std::atomic<uint64_t> next_request_id{1};

  // Client connections, so SIGTERM can close those waiting idle between
  // requests while in-flight requests finish.
  struct LiveSession {
    net::any_io_executor executor;  // the session's strand
    Stream* stream = nullptr;       // touched only on that strand
    bool idle = false;
  };
  std::mutex sessions_mu;
  std::set<std::shared_ptr<LiveSession>> sessions;
  void CloseIdleSessions();

  ssl::context& UpstreamTls(const Route& route) {
    return *upstream_tls.at(route.ca_file.empty() ? config.ca_file : route.ca_file);
  }
};

// One request on one client connection.
struct Exchange {
  GatewayContext& gw;
  Stream& client;
  beast::flat_buffer& client_buffer;
  http::request_parser<http::buffer_body>& parser;   // header read, body not yet
  const Route& route;
  std::string upstream_target;   // path (+ query) on the upstream
  std::string path;              // request path, for logs (never the query)
  std::string client_address;
  std::string client_certificate_name;  // CN of a verified TLS client certificate, or ""
  // Gateway-held mode: who signed in (Authenticate), and how ("users-file",
  // "client-certificate", "header:<name>").
  std::string user;
  std::string user_source;
  uint64_t id = 0;
  Clock::time_point deadline;    // the whole request must end by then
  bool keep_alive = false;       // what the client asked for
  // Filled as the request goes, for the access log.
  unsigned status = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::string note;              // e.g. "blocked", "upstream unreachable"

  std::chrono::seconds idle() const { return std::chrono::seconds(gw.config.idle_timeout_s); }
  std::chrono::seconds upstream_idle() const { return std::chrono::seconds(gw.config.upstream_timeout_s); }
};

}  // namespace akgate::gateway
