// The state a request's handlers share: the gateway-wide context, one
// request on a client connection, and a routed request (an Exchange).
//
// A request's journey (gateway/):
//   session.cc        the connection: TLS handshake, header read (limit),
//                     keep-alive, draining on SIGTERM; acts on the route
//   router.cc         where the request goes: health, metrics, 400, 404,
//                     push, push advertisement, relay (a pure function)
//   authenticate.cc   gateway-held mode: sign in before anything else
//   relay.cc          fetch, clone and the rest streamed both ways; the
//                     receive-pack advertisement rewritten (no-thin)
//   push_handler.cc   POST git-receive-pack, stage by stage: admit, receive
//                     (push_intake.h), check, wait for a scan thread, index,
//                     inspect, then forward the exact body or answer with a
//                     report-status (push_reply.h)
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
#include "gateway/gate_adapter.h"
#include "gateway/http_stream.h"
#include "gateway/metrics.h"
#include "gateway/scan_slots.h"

namespace akgate::gateway {

// Shared by every connection; outlives them all.
struct GatewayContext {
  const Config& config;
  Metrics& metrics;
  GateAdapter& gate;
  net::thread_pool& workers;  // indexing and inspection
  ScanSlots& scan_slots;      // server.scan_threads of them, handed out in order
  std::map<std::string, std::unique_ptr<ssl::context>> upstream_tls;  // by CA file
  std::atomic<bool> draining{false};                                  // SIGTERM received
  std::atomic<unsigned> pushes{0};                                    // pushes being handled
  std::atomic<unsigned> advertisements{0};  // receive-pack advertisements held whole (relay.cc)
  std::atomic<uint64_t> next_request_id{1};

  // Client connections, so SIGTERM can close those waiting idle between
  // requests while in-flight requests finish (session.cc).
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

// One request on one client connection, routed or not: what any answer
// needs (the connection, the parsed header, the deadline) and what the
// access log records.
struct ClientRequest {
  ClientRequest(GatewayContext& gw_in, Stream& client_in, beast::flat_buffer& buffer_in,
                http::request_parser<http::buffer_body>& parser_in)
      : gw(gw_in), client(client_in), client_buffer(buffer_in), parser(parser_in) {}

  GatewayContext& gw;
  Stream& client;
  beast::flat_buffer& client_buffer;
  http::request_parser<http::buffer_body>& parser;  // header read, body not yet
  std::string path;                                 // request path, for logs (never the query)
  std::string client_address;
  std::string client_certificate_name;  // CN of a verified TLS client certificate, or ""
  uint64_t id = 0;
  Clock::time_point deadline;  // the whole request must end by then
  bool keep_alive = false;     // what the client asked for
  // Filled as the request goes, for the access log.
  unsigned status = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::string note;  // e.g. "blocked", "upstream unreachable"

  std::chrono::seconds idle() const { return std::chrono::seconds(gw.config.idle_timeout_s); }
};

// A request the router sent to an upstream (router.h): the only kind of
// request that can talk to one, so every upstream step has its route.
struct Exchange : ClientRequest {
  Exchange(ClientRequest request, const Route& route_in, std::string upstream_target_in)
      : ClientRequest(std::move(request)), route(route_in), upstream_target(std::move(upstream_target_in)) {}

  const Route& route;
  std::string upstream_target;  // path (+ query) on the upstream
  // Gateway-held mode: who signed in (authenticate.h), and how
  // ("users-file", "client-certificate", "header:<name>").
  std::string user;
  std::string user_source;

  std::chrono::seconds upstream_idle() const { return std::chrono::seconds(gw.config.upstream_timeout_s); }
};

}  // namespace akgate::gateway
