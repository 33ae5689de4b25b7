// One client connection: requests in, routed, relayed or inspected,
// responses out. Pushes are handed to push_handler.cc; everything else is
// here, in the order a request meets it.
#include <spdlog/spdlog.h>

#include <limits>

#include "gateway/advertisement.h"
#include "gateway/authenticate.h"
#include "gateway/push_handler.h"
#include "gateway/reply.h"
#include "gateway/request_target.h"
#include "gateway/session.h"
#include "gateway/upstream.h"

namespace akgate::gateway {

namespace {

constexpr uint64_t kNoBodyLimit = std::numeric_limits<uint64_t>::max();

std::string ErrorText(const beast::error_code& ec) { return ec.message(); }

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

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
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

namespace {

// Fetch, clone and anything else that needs no inspection: both bodies
// stream through with no size limit of the gateway's own.
net::awaitable<bool> RelayRequest(Exchange& x) {
  x.gw.metrics.requests_fetch++;
  std::string error;
  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &error);
  if (!up) co_return co_await SendBadGateway(x, error);
  beast::error_code ec = co_await AnswerExpectContinue(x);
  if (ec) co_return false;

  auto& req = x.parser.get();
  PrepareUpstreamHeader(x, req);
  http::request_serializer<http::buffer_body> sr{req};
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_write_header(*up, sr, Await(ec));
  if (ec) co_return co_await SendBadGateway(x, "cannot send the request (" + ErrorText(ec) + ")");
  beast::error_code in_ec, out_ec;
  co_await RelayBody<true>(x.client, x.client_buffer, x.parser, x.idle(), *up, sr, x.upstream_idle(), x.deadline,
                           &x.bytes_in, &in_ec, &out_ec);
  x.gw.metrics.bytes_from_clients += x.bytes_in;
  if (in_ec) {
    x.note = "client stopped sending: " + ErrorText(in_ec);
    co_return false;
  }
  if (out_ec) co_return co_await SendBadGateway(x, "cannot send the request body (" + ErrorText(out_ec) + ")");
  beast::flat_buffer up_buf;
  co_return co_await RelayResponse(x, *up, up_buf);
}

// GET info/refs?service=git-receive-pack: the advertisement gets `no-thin`.
net::awaitable<bool> RelayAdvertisement(Exchange& x) {
  x.gw.metrics.requests_advertisement++;
  std::string error;
  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &error);
  if (!up) co_return co_await SendBadGateway(x, error);

  http::request<http::empty_body> req{x.parser.get().method(), x.upstream_target, 11};
  req.base() = x.parser.get().base();
  PrepareUpstreamHeader(x, req.base());
  req.erase(http::field::content_length);
  req.erase(http::field::transfer_encoding);
  // The body is rewritten, so it must arrive uncompressed.
  req.set(http::field::accept_encoding, "identity");
  beast::error_code ec;
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_write(*up, req, Await(ec));
  if (ec) co_return co_await SendBadGateway(x, "cannot send the request (" + ErrorText(ec) + ")");

  beast::flat_buffer up_buf;
  http::response_parser<http::string_body> p;
  p.body_limit(x.gw.config.max_advertisement_bytes);
  p.header_limit(64 * 1024);
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_read(*up, up_buf, p, Await(ec));
  if (ec == http::error::body_limit)
    co_return co_await SendBadGateway(x, "the ref advertisement is larger than limits.max_advertisement_bytes");
  if (ec) co_return co_await SendBadGateway(x, "no valid response (" + ErrorText(ec) + ")");

  http::response<http::string_body> res = p.release();
  RemoveHopByHop(res);
  bool is_adv = res.result() == http::status::ok &&
                res[http::field::content_type] == "application/x-git-receive-pack-advertisement";
  if (is_adv) {
    auto enc = res[http::field::content_encoding];
    if (!enc.empty() && !beast::iequals(enc, "identity"))
      co_return co_await SendBadGateway(
          x, "it compressed the ref advertisement (Content-Encoding: " + std::string(enc) +
                 ") although asked for identity");
    std::string rewritten;
    Status s = AddNoThin(res.body(), &rewritten);
    if (s.ok()) {
      res.body() = std::move(rewritten);
    } else {
      // A thin pack still fails closed at indexing; say why in the log.
      spdlog::warn("advertisement_not_rewritten id={} route={} reason=\"{}\"", x.id, x.route.prefix, s.message());
    }
  }
  x.status = res.result_int();
  res.chunked(false);
  res.erase(http::field::transfer_encoding);
  res.keep_alive(x.keep_alive && !x.gw.draining);
  res.set(http::field::via, "1.1 akgate-gateway");
  res.prepare_payload();
  x.bytes_out += res.body().size();
  x.gw.metrics.bytes_to_clients += res.body().size();
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write(x.client, res, Await(ec));
  co_return !ec && res.keep_alive();
}

// One request whose header has been read. Returns whether to keep the
// connection for another.
net::awaitable<bool> HandleRequest(GatewayContext& gw, Stream& client, beast::flat_buffer& buffer,
                                   http::request_parser<http::buffer_body>& parser, const std::string& peer,
                                   const std::string& certificate_name) {
  auto& req = parser.get();
  // Routed on the decoded target, never the raw one (request_target.h).
  RequestTarget target;
  Status target_status = ParseRequestTarget(SV(req.target()), &target);
  std::string path = target.path;
  if (!target_status.ok()) {
    std::string raw(req.target());
    path = raw.substr(0, raw.find('?'));
  }
  static const Route kNoRoute;
  Exchange x{gw, client, buffer, parser, kNoRoute};
  x.id = gw.next_request_id++;
  x.path = path;
  x.client_address = peer;
  x.deadline = Clock::now() + std::chrono::seconds(gw.config.request_timeout_s);
  x.keep_alive = req.keep_alive();
  auto started = Clock::now();
  bool keep = false;

  // A body the gateway does not read must not be mistaken for the next
  // request: such responses close the connection unless there is no body.
  bool bodyless = parser.is_done();
  std::string route_path = path;  // "/h/repo.git" matches the route "/h/repo.git/" too
  if (!EndsWith(path, "/")) route_path += "/";
  if (path == "/healthz" || path == "/metrics") {
    gw.metrics.requests_other++;
    if (path == "/healthz") {
      http::status status = http::status::ok;
      std::string text = "ok";
      if (gw.draining) {
        status = http::status::service_unavailable;
        text = "draining";
      }
      keep = co_await SendText(x, status, text, bodyless);
    } else {
      x.status = 200;
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.set(http::field::content_type, "text/plain; version=0.0.4");
      res.body() = gw.metrics.Render();
      res.keep_alive(bodyless && x.keep_alive && !gw.draining);
      res.prepare_payload();
      beast::error_code ec;
      client.ArmTimer(x.idle(), x.deadline);
      co_await http::async_write(client, res, Await(ec));
      keep = !ec && res.keep_alive();
    }
  } else if (!target_status.ok()) {
    gw.metrics.requests_other++;
    x.note = target_status.message();
    keep = co_await SendText(x, http::status::bad_request,
                             "akgate-gateway: request refused: " + target_status.message(), false);
  } else if (const Route* route = gw.config.FindRoute(route_path); route == nullptr) {
    gw.metrics.requests_other++;
    keep = co_await SendText(x, http::status::not_found,
                             "akgate-gateway: no route for " + path + " (see the [[route]] entries of the configuration)",
                             bodyless);
  } else {
    Exchange rx{gw, client, buffer, parser, *route};
    rx.id = x.id;
    rx.path = x.path;
    rx.client_address = peer;
    rx.client_certificate_name = certificate_name;
    rx.deadline = x.deadline;
    rx.keep_alive = x.keep_alive;
    // The upstream gets the canonical form of what was routed, so it cannot
    // decode its way to another service.
    rx.upstream_target = route->url.base_path;
    if (path.size() > route->prefix.size()) rx.upstream_target += PercentEncode(path.substr(route->prefix.size()), true);
    if (!target.query.empty()) rx.upstream_target += "?" + target.query;
    using Kind = RequestTarget::Kind;
    // Gateway-held: nothing happens to a request before it has signed in.
    bool signed_in = true;
    if (gw.config.identity.gateway_held()) signed_in = co_await Authenticate(rx, &keep);
    if (!signed_in) {
      // answered (401)
    } else if (target.kind == Kind::kReceivePack && req.method() != http::verb::post) {
      gw.metrics.requests_other++;
      rx.note = "git-receive-pack takes POST only";
      keep = co_await SendText(rx, http::status::method_not_allowed,
                               "akgate-gateway: git-receive-pack takes POST only", false);
    } else if (target.kind == Kind::kReceivePack) {
      keep = co_await HandlePush(rx);
    } else if (target.kind == Kind::kReceivePackAdvertisement && req.method() == http::verb::get) {
      keep = co_await RelayAdvertisement(rx);
    } else {
      keep = co_await RelayRequest(rx);
    }
    x.status = rx.status;
    x.bytes_in = rx.bytes_in;
    x.bytes_out = rx.bytes_out;
    x.note = rx.note;
    auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    std::string note, user;
    if (!x.note.empty()) note = " note=\"" + x.note + "\"";
    if (!rx.user.empty()) user = " user=" + rx.user;
    spdlog::info("request id={} client={}{} method={} path={} route={} status={} bytes_in={} bytes_out={} ms={:.1f}{}",
                 x.id, peer, user, std::string(req.method_string()), path, route->prefix, x.status, x.bytes_in,
                 x.bytes_out, ms, note);
    co_return keep;
  }
  auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  std::string note;
  if (!x.note.empty()) note = " note=\"" + x.note + "\"";
  spdlog::info("request id={} client={} method={} path={} status={} ms={:.1f}{}", x.id, peer,
               std::string(req.method_string()), path, x.status, ms, note);
  co_return keep;
}

}  // namespace

net::awaitable<void> RunSession(GatewayContext& gw, tcp::socket socket, ssl::context* tls) {
  gw.metrics.connections_open++;
  std::string peer;
  {
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    peer = "?";
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
    if (ec == http::error::header_limit) {
      static const Route kNoRoute;
      Exchange x{gw, *client, buffer, parser, kNoRoute};
      x.deadline = Clock::now() + idle;
      gw.metrics.requests_other++;
      spdlog::warn("request_rejected client={} reason=\"header larger than limits.max_header_bytes\"", peer);
      co_await SendText(x, http::status::request_header_fields_too_large,
                        "akgate-gateway: the request header is larger than " +
                            std::to_string(gw.config.max_header_bytes) + " bytes",
                        false);
      break;
    }
    if (ec) {
      if (ec != http::error::end_of_stream && ec != net::error::operation_aborted && ec != beast::error::timeout &&
          ec != net::error::eof && ec != net::error::connection_reset && buffer.size() > 0) {
        static const Route kNoRoute;
        Exchange x{gw, *client, buffer, parser, kNoRoute};
        x.deadline = Clock::now() + idle;
        gw.metrics.requests_other++;
        co_await SendText(x, http::status::bad_request, "akgate-gateway: malformed HTTP request: " + ec.message(),
                          false);
      }
      break;
    }
    bool keep = false;
    try {
      keep = co_await HandleRequest(gw, *client, buffer, parser, peer, certificate_name);
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
