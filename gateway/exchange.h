// What the request handlers share: the gateway-wide context, one request's
// state (an Exchange), and the steps every proxied request is made of
// (connect upstream, rewrite the header, relay the response back).
//
// A request's journey:
//   session.cc       read the header; /healthz, /metrics; route; 404/400;
//                    fetch traffic and anything else relayed as a stream;
//                    the receive-pack advertisement rewritten (no-thin)
//   push_handler.cc  POST git-receive-pack: spool, index, inspect, then
//                    forward the exact body or answer with a report-status
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "engine/status.h"
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

// How much of a body the gateway reads and drops after refusing a request,
// so the client reads the refusal instead of a reset connection.
constexpr uint64_t kLingerBytes = 1 << 20;

// A short text response (errors, health). Returns whether the connection
// may be kept.
net::awaitable<bool> SendText(Exchange& x, http::status status, std::string text, bool keep_alive);

// Writes "100 Continue" when the client asked for it (and removes Expect from
// the header, which the gateway never forwards).
net::awaitable<beast::error_code> AnswerExpectContinue(Exchange& x);

// Opens a connection to the route's upstream (TLS: peer and host name
// verified, SNI set). On failure *error says why, in words for the client.
net::awaitable<std::unique_ptr<Stream>> ConnectUpstream(Exchange& x, std::string* error);

// Rewrites a client request header into the upstream's: target, Host,
// hop-by-hop headers removed, one request per upstream connection, the
// credentials (ApplyUpstreamCredentials). End-to-end headers (Content-Type,
// Git-Protocol, ...) pass through unchanged.
void PrepareUpstreamHeader(const Exchange& x, http::request_header<>& h);

// The credentials of a request to the upstream, whoever builds it: in
// pass-through mode the client's own Authorization (copied when `h` lacks
// it); in gateway-held mode the route's held credential, and the client's
// Authorization and Cookie removed.
void ApplyUpstreamCredentials(const Exchange& x, http::request_header<>& h);

// Reads and throws away the rest of a body the gateway will not use, so the
// client, still sending, reads the answer instead of a broken pipe. At most
// `budget` bytes; false if the body was longer or the client failed.
net::awaitable<bool> DrainBody(Exchange& x, uint64_t budget);

// Gateway-held mode (authenticate.cc): signs the request in (x.user,
// x.user_source) and returns true; or answers 401 with a Basic challenge,
// logs and counts the failure, sets *keep (may the connection be kept) and
// returns false. Reads no body before it has decided.
net::awaitable<bool> Authenticate(Exchange& x, bool* keep);

// Reads the upstream's response and streams it to the client as it comes,
// with no size limit of its own. Returns whether the client connection may be
// kept; sets x.status. `sideband_prefix` (side-band packets) goes in front of
// a successful receive-pack result: akgate's notes on an accepted push.
net::awaitable<bool> RelayResponse(Exchange& x, Stream& upstream, beast::flat_buffer& upstream_buffer,
                                   std::string_view sideband_prefix = {});

// 502 for an upstream that could not be reached or failed mid-exchange.
net::awaitable<bool> SendBadGateway(Exchange& x, const std::string& why);

// The user name of a Basic Authorization header ("" if none). The password
// is never decoded into anything that outlives this call.
std::string BasicAuthUser(std::string_view authorization);

// What the upstream said to the pusher's credentials (credential_check.cc):
// `status` 0 when it could not be asked (`error` says why).
struct CredentialCheck {
  unsigned status = 0;
  std::string www_authenticate;  // the upstream's challenge, passed on with a 401
  std::string error;
  // The advertisement offers `push-options` (false when it could not be read:
  // the report then suggests no `git push -o`).
  bool push_options = false;
};
// Asks the route's upstream for the receive-pack advertisement with the
// client's Authorization: may these credentials push here, and does the
// upstream take push options? A refusal is read no further than its headers.
// Called before any work is spent on a push.
net::awaitable<CredentialCheck> CheckPusherCredentials(Exchange& x);

// Serves one client connection until it closes (session.cc).
net::awaitable<void> RunSession(GatewayContext& gw, tcp::socket socket, ssl::context* tls);

// POST <repo>/git-receive-pack (push_handler.cc).
net::awaitable<bool> HandlePush(Exchange& x);

}  // namespace akgate::gateway
