#include "gateway/upstream.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "gateway/reply.h"

namespace akgate::gateway {

namespace {

constexpr size_t kRelayChunk = 64 * 1024;
constexpr uint64_t kNoBodyLimit = std::numeric_limits<uint64_t>::max();

std::string ErrorText(const beast::error_code& ec) { return ec.message(); }

}  // namespace

void RemoveHopByHop(http::fields& f) {
  // Headers named in Connection are hop-by-hop too.
  std::vector<std::string> named;
  for (auto const& token : http::token_list(f[http::field::connection])) named.emplace_back(token);
  for (const std::string& n : named) f.erase(n);
  for (auto field : {http::field::connection, http::field::keep_alive, http::field::proxy_authenticate,
                     http::field::proxy_authorization, http::field::te, http::field::trailer, http::field::upgrade,
                     http::field::proxy_connection, http::field::expect})
    f.erase(field);
}

template <bool isRequest>
net::awaitable<void> RelayBody(Stream& in, beast::flat_buffer& in_buf, http::parser<isRequest, http::buffer_body>& p,
                               std::chrono::seconds in_idle, Stream& out,
                               http::serializer<isRequest, http::buffer_body>& sr, std::chrono::seconds out_idle,
                               Clock::time_point deadline, uint64_t* moved, beast::error_code* in_ec,
                               beast::error_code* out_ec) {
  std::unique_ptr<char[]> buf(new char[kRelayChunk]);
  do {
    if (!p.is_done()) {
      p.get().body().data = buf.get();
      p.get().body().size = kRelayChunk;
      in.ArmTimer(in_idle, deadline);
      beast::error_code ec;
      co_await http::async_read(in, in_buf, p, Await(ec));
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        *in_ec = ec;
        co_return;
      }
      p.get().body().size = kRelayChunk - p.get().body().size;
      p.get().body().data = buf.get();
      p.get().body().more = !p.is_done();
      *moved += p.get().body().size;
    } else {
      p.get().body().data = nullptr;
      p.get().body().size = 0;
      p.get().body().more = false;
    }
    out.ArmTimer(out_idle, deadline);
    beast::error_code ec;
    co_await http::async_write(out, sr, Await(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      *out_ec = ec;
      co_return;
    }
  } while (!p.is_done() || !sr.is_done());
}

template net::awaitable<void> RelayBody<true>(Stream&, beast::flat_buffer&, http::parser<true, http::buffer_body>&,
                                              std::chrono::seconds, Stream&, http::serializer<true, http::buffer_body>&,
                                              std::chrono::seconds, Clock::time_point, uint64_t*, beast::error_code*,
                                              beast::error_code*);
template net::awaitable<void> RelayBody<false>(Stream&, beast::flat_buffer&, http::parser<false, http::buffer_body>&,
                                               std::chrono::seconds, Stream&,
                                               http::serializer<false, http::buffer_body>&, std::chrono::seconds,
                                               Clock::time_point, uint64_t*, beast::error_code*, beast::error_code*);

net::awaitable<bool> SendBadGateway(Exchange& x, const std::string& why) {
  x.gw.metrics.upstream_errors++;
  x.note = "upstream error";
  spdlog::warn("upstream_error id={} route={} upstream={} error=\"{}\"", x.id, x.route.prefix, x.route.upstream, why);
  co_return co_await SendText(x, http::status::bad_gateway,
                              "akgate-gateway: the upstream " + x.route.url.host_header + " failed: " + why, false);
}

net::awaitable<std::unique_ptr<Stream>> ConnectUpstream(Exchange& x, std::string* error) {
  const UpstreamUrl& u = x.route.url;
  auto ex = co_await net::this_coro::executor;
  tcp::resolver resolver(ex);
  beast::error_code ec;
  auto results = co_await resolver.async_resolve(u.host, u.port, Await(ec));
  if (ec) {
    *error = "cannot resolve " + u.host + ": " + ErrorText(ec);
    co_return nullptr;
  }
  beast::tcp_stream tcp_stream(ex);
  tcp_stream.expires_after(std::chrono::seconds(x.gw.config.connect_timeout_s));
  co_await tcp_stream.async_connect(results, Await(ec));
  if (ec) {
    *error = "cannot connect to " + u.host_header + ": " + ErrorText(ec);
    co_return nullptr;
  }
  tcp_stream.socket().set_option(tcp::no_delay(true), ec);  // as for clients (server.cc)
  if (!u.tls) co_return std::make_unique<Stream>(std::move(tcp_stream));

  auto up = std::make_unique<Stream>(std::move(tcp_stream), x.gw.UpstreamTls(x.route));
  // SNI, and the certificate must name the host we asked for.
  if (!SSL_set_tlsext_host_name(up->tls().native_handle(), u.host.c_str())) {
    *error = "cannot set the TLS server name for " + u.host;
    co_return nullptr;
  }
  up->tls().set_verify_mode(ssl::verify_peer);
  up->tls().set_verify_callback(ssl::host_name_verification(u.host));
  up->tcp().expires_after(std::chrono::seconds(x.gw.config.connect_timeout_s));
  co_await up->tls().async_handshake(ssl::stream_base::client, Await(ec));
  if (ec) {
    *error = "TLS handshake with " + u.host_header + " failed: " + ErrorText(ec);
    co_return nullptr;
  }
  co_return up;
}

void PrepareUpstreamHeader(const Exchange& x, http::request_header<>& h) {
  RemoveHopByHop(h);
  h.target(x.upstream_target);
  h.set(http::field::host, x.route.url.host_header);
  h.version(11);
  // One request per upstream connection keeps the gateway stateless and a
  // half-read upstream response can never leak into another request.
  h.set(http::field::connection, "close");
  std::string xff(h["X-Forwarded-For"]);
  h.set("X-Forwarded-For", xff.empty() ? x.client_address : xff + ", " + x.client_address);
  h.set("X-Forwarded-Proto", x.client.is_tls() ? "https" : "http");
  ApplyUpstreamCredentials(x, h);
}

void ApplyUpstreamCredentials(const Exchange& x, http::request_header<>& h) {
  if (x.route.upstream_authorization.empty()) {
    const auto& client = x.parser.get();
    auto it = client.find(http::field::authorization);
    if (!h.count(http::field::authorization) && it != client.end()) h.set(http::field::authorization, it->value());
    return;
  }
  // The developer's credentials are the gateway's business, not the upstream's.
  h.erase(http::field::authorization);
  h.erase(http::field::cookie);
  h.set(http::field::authorization, x.route.upstream_authorization);
}

net::awaitable<bool> RelayResponse(Exchange& x, Stream& upstream, beast::flat_buffer& up_buf, std::string_view prefix) {
  http::response_parser<http::buffer_body> p;
  // Clones are as large as repositories. Not boost::none: Beast 1.74 compares
  // a Content-Length with an empty optional as "over the limit".
  p.body_limit(kNoBodyLimit);
  p.header_limit(64 * 1024);
  if (x.parser.get().method() == http::verb::head) p.skip(true);
  beast::error_code ec;
  upstream.ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_read_header(upstream, up_buf, p, Await(ec));
  if (ec) co_return co_await SendBadGateway(x, "no valid response (" + ErrorText(ec) + ")");

  auto& res = p.get();
  RemoveHopByHop(res);
  x.status = res.result_int();
  bool framed = res.has_content_length() || res.chunked();
  bool keep = x.keep_alive && !x.gw.draining;
  // An upstream that ends its body by closing: chunk it for an HTTP/1.1
  // client, or close after it.
  if (!framed && !p.is_done()) {
    if (x.parser.get().version() >= 11)
      res.chunked(true);
    else
      keep = false;
  }
  res.keep_alive(keep);
  res.set(http::field::via, "1.1 akgate-gateway");
  bool add_prefix = !prefix.empty() && res.result() == http::status::ok && !p.is_done() &&
                    SV(res[http::field::content_type]) == "application/x-git-receive-pack-result" &&
                    res[http::field::content_encoding].empty();
  if (add_prefix && res.has_content_length()) {
    uint64_t n = 0;
    auto cl = SV(res[http::field::content_length]);
    for (char c : cl) n = n * 10 + static_cast<uint64_t>(c - '0');
    res.content_length(n + prefix.size());
  }
  http::response_serializer<http::buffer_body> sr{res};
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write_header(x.client, sr, Await(ec));
  if (ec) co_return false;
  if (add_prefix) {
    p.get().body().data = const_cast<char*>(prefix.data());
    p.get().body().size = prefix.size();
    p.get().body().more = true;
    co_await http::async_write(x.client, sr, Await(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return false;
    x.bytes_out += prefix.size();
  }
  beast::error_code in_ec, out_ec;
  uint64_t moved = 0;
  co_await RelayBody<false>(upstream, up_buf, p, x.upstream_idle(), x.client, sr, x.idle(), x.deadline, &moved, &in_ec,
                            &out_ec);
  x.bytes_out += moved;
  x.gw.metrics.bytes_to_clients += moved;
  if (in_ec) {
    // The header is gone already: all we can do is cut the connection.
    x.gw.metrics.upstream_errors++;
    x.note = "upstream failed mid-response: " + ErrorText(in_ec);
    co_return false;
  }
  co_return !out_ec && keep;
}

}  // namespace akgate::gateway
