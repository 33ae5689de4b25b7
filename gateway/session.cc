// One client connection: the TLS handshake, then requests one after another
// (keep-alive) until the client closes, a request leaves the connection
// unusable, or SIGTERM drains the gateway. Each request is routed
// (router.h) and handed to its handler; this file only connects the stages
// and writes the access log.
#include "gateway/session.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "gateway/authenticate.h"
#include "gateway/push_handler.h"
#include "gateway/relay.h"
#include "gateway/reply.h"
#include "gateway/router.h"

namespace akgate::gateway {

namespace {

constexpr uint64_t kNoBodyLimit = std::numeric_limits<uint64_t>::max();

// The subject CN of the client certificate the handshake verified ("" when
// there is none, or it did not verify).
std::string VerifiedCertificateName(SSL* ssl) {
  std::string name;
  X509* cert = SSL_get_peer_certificate(ssl);
  if (!cert) return name;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    char cn[256] = {0};
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    if (n > 0 && static_cast<size_t>(n) < sizeof cn) name.assign(cn, static_cast<size_t>(n));
  }
  X509_free(cert);
  return name;
}

// The answers that need no route: health, metrics, a refused target, no route.
net::awaitable<bool> AnswerUnrouted(ClientRequest& r, const RouteDecision& d) {
  using Kind = RouteDecision::Kind;
  GatewayContext& gw = r.gw;
  gw.metrics.requests_other++;
  // A body the gateway does not read must not be mistaken for the next
  // request: such answers close the connection unless there is no body.
  bool bodyless = r.parser.is_done();
  if (d.kind == Kind::kHealth) {
    http::status status = gw.draining ? http::status::service_unavailable : http::status::ok;
    std::string text = gw.draining ? "draining" : "ok";
    co_return co_await SendText(r, status, text, bodyless);
  }
  if (d.kind == Kind::kMetrics) {
    r.status = 200;
    http::response<http::string_body> res{http::status::ok, r.parser.get().version()};
    res.set(http::field::content_type, "text/plain; version=0.0.4");
    res.body() = gw.metrics.Render();
    res.keep_alive(bodyless && r.keep_alive && !gw.draining);
    res.prepare_payload();
    beast::error_code ec;
    r.client.ArmTimer(r.idle(), r.deadline);
    co_await http::async_write(r.client, res, Await(ec));
    co_return !ec && res.keep_alive();
  }
  if (d.kind == Kind::kBadRequest) {
    r.note = d.reason;
    co_return co_await SendText(r, http::status::bad_request, "akgate-gateway: request refused: " + d.reason, false);
  }
  co_return co_await SendText(r, http::status::not_found, "akgate-gateway: " + d.reason, bodyless);
}

// A routed request, signed in first where the gateway holds the credentials.
net::awaitable<bool> HandleRouted(Exchange& x, const RouteDecision& d) {
  using Kind = RouteDecision::Kind;
  // Gateway-held: nothing happens to a request before it has signed in.
  if (x.gw.config.identity.gateway_held()) {
    bool keep = false;
    bool signed_in = co_await Authenticate(x, &keep);
    if (!signed_in) co_return keep;  // answered (401)
  }
  switch (d.kind) {
    case Kind::kPush:
      co_return co_await HandlePush(x);
    case Kind::kAdvertisement:
      co_return co_await RelayAdvertisement(x);
    case Kind::kPushNotPost:
      x.gw.metrics.requests_other++;
      x.note = d.reason;
      co_return co_await SendText(x, http::status::method_not_allowed, "akgate-gateway: " + d.reason, false);
    default:
      co_return co_await RelayRequest(x);
  }
}

void LogRequest(const ClientRequest& r, const Exchange* routed, Clock::time_point started) {
  auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  std::string note, user;
  if (!r.note.empty()) note = " note=\"" + r.note + "\"";
  std::string method(r.parser.get().method_string());
  if (!routed) {
    spdlog::info("request id={} client={} method={} path={} status={} ms={:.1f}{}", r.id, r.client_address, method,
                 r.path, r.status, ms, note);
    return;
  }
  if (!routed->user.empty()) user = " user=" + routed->user;
  spdlog::info("request id={} client={}{} method={} path={} route={} status={} bytes_in={} bytes_out={} ms={:.1f}{}",
               r.id, r.client_address, user, method, r.path, routed->route.prefix, r.status, r.bytes_in, r.bytes_out,
               ms, note);
}

// One request whose header has been read: routed, handled, logged. Returns
// whether to keep the connection for another.
net::awaitable<bool> HandleRequest(ClientRequest& r) {
  auto started = Clock::now();
  const auto& req = r.parser.get();
  RouteDecision d = RouteRequest(SV(req.method_string()), SV(req.target()), r.gw.config);
  r.id = r.gw.next_request_id++;
  r.path = d.path;
  r.deadline = started + std::chrono::seconds(r.gw.config.request_timeout_s);
  r.keep_alive = req.keep_alive();
  if (!d.routed()) {
    bool keep = co_await AnswerUnrouted(r, d);
    LogRequest(r, nullptr, started);
    co_return keep;
  }
  Exchange x(std::move(r), *d.route, std::move(d.upstream_target));
  bool keep = co_await HandleRouted(x, d);
  LogRequest(x, &x, started);
  co_return keep;
}

// A header that could not be read: too large (431) or malformed (400), then
// the connection closes. Nothing more is read from it.
net::awaitable<void> RefuseHeader(ClientRequest& r, http::status status, std::string text) {
  r.deadline = Clock::now() + r.idle();
  r.gw.metrics.requests_other++;
  co_await SendText(r, status, std::move(text), false);
}

}  // namespace

void GatewayContext::CloseIdleSessions() {
  std::lock_guard<std::mutex> lock(sessions_mu);
  for (const auto& s : sessions) {
    net::post(s->executor, [s] {
      if (s->idle && s->stream) {
        beast::error_code ignored;
        s->stream->tcp().socket().cancel(ignored);
      }
    });
  }
}

net::awaitable<void> RunSession(GatewayContext& gw, tcp::socket socket, ssl::context* tls) {
  gw.metrics.connections_open++;
  std::string peer = "?";
  {
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) peer = ep.address().to_string();
  }
  auto ex = socket.get_executor();
  std::unique_ptr<Stream> client;
  if (tls)
    client = std::make_unique<Stream>(beast::tcp_stream(std::move(socket)), *tls);
  else
    client = std::make_unique<Stream>(beast::tcp_stream(std::move(socket)));
  auto live = std::make_shared<GatewayContext::LiveSession>();
  live->executor = ex;
  live->stream = client.get();
  {
    std::lock_guard<std::mutex> lock(gw.sessions_mu);
    gw.sessions.insert(live);
  }
  beast::error_code ec;
  auto idle = std::chrono::seconds(gw.config.idle_timeout_s);
  std::string certificate_name;
  if (tls) {
    client->tcp().expires_after(idle);
    co_await client->tls().async_handshake(ssl::stream_base::server, Await(ec));
    if (!ec) certificate_name = VerifiedCertificateName(client->tls().native_handle());
  }
  beast::flat_buffer buffer;
  while (!ec) {
    http::request_parser<http::buffer_body> parser;
    parser.header_limit(gw.config.max_header_bytes);
    parser.body_limit(kNoBodyLimit);  // each handler enforces its own limit
    live->idle = true;
    if (gw.draining) break;
    client->tcp().expires_after(idle);
    co_await http::async_read_header(*client, buffer, parser, Await(ec));
    live->idle = false;
    ClientRequest request(gw, *client, buffer, parser);
    request.client_address = peer;
    request.client_certificate_name = certificate_name;
    if (ec == http::error::header_limit) {
      spdlog::warn("request_rejected client={} reason=\"header larger than limits.max_header_bytes\"", peer);
      co_await RefuseHeader(
          request, http::status::request_header_fields_too_large,
          "akgate-gateway: the request header is larger than " + std::to_string(gw.config.max_header_bytes) + " bytes");
      break;
    }
    if (ec) {
      // A client that closed or went quiet between requests gets no answer;
      // one that sent something unreadable is told so.
      bool quiet = ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
                   ec == beast::error::timeout || ec == net::error::eof || ec == net::error::connection_reset ||
                   buffer.size() == 0;
      if (!quiet)
        co_await RefuseHeader(request, http::status::bad_request,
                              "akgate-gateway: malformed HTTP request: " + ec.message());
      break;
    }
    bool keep = false;
    try {
      keep = co_await HandleRequest(request);
    } catch (const std::exception& e) {
      spdlog::error("request_failed client={} error=\"{}\"", peer, e.what());
      keep = false;
    }
    if (!keep || gw.draining) break;
  }
  // Close politely; a TLS peer that vanished gives stream_truncated, which is benign.
  if (client->is_tls()) {
    client->tcp().expires_after(std::chrono::seconds(5));
    co_await client->tls().async_shutdown(Await(ec));
  }
  client->tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  {
    std::lock_guard<std::mutex> lock(gw.sessions_mu);
    live->stream = nullptr;
    gw.sessions.erase(live);
  }
  gw.metrics.connections_open--;
}

}  // namespace akgate::gateway
