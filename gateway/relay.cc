#include "gateway/relay.h"

#include <spdlog/spdlog.h>

#include "gateway/advertisement.h"
#include "gateway/reply.h"
#include "gateway/upstream.h"

namespace akgate::gateway {

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
  if (ec) co_return co_await SendBadGateway(x, "cannot send the request (" + ec.message() + ")");
  beast::error_code in_ec, out_ec;
  co_await RelayBody<true>(x.client, x.client_buffer, x.parser, x.idle(), *up, sr, x.upstream_idle(), x.deadline,
                           &x.bytes_in, &in_ec, &out_ec);
  x.gw.metrics.bytes_from_clients += x.bytes_in;
  if (in_ec) {
    x.note = "client stopped sending: " + in_ec.message();
    co_return false;
  }
  if (out_ec) co_return co_await SendBadGateway(x, "cannot send the request body (" + out_ec.message() + ")");
  beast::flat_buffer up_buf;
  co_return co_await RelayResponse(x, *up, up_buf);
}

// GET info/refs?service=git-receive-pack: the advertisement gets `no-thin`.
net::awaitable<bool> RelayAdvertisement(Exchange& x) {
  x.gw.metrics.requests_advertisement++;
  // Each is held whole (up to max_advertisement_bytes, and its rewritten
  // copy): no more at once than pushes, or memory grows with the clients.
  struct Held {
    std::atomic<unsigned>& n;
    ~Held() { n--; }
  } held{x.gw.advertisements};
  if (held.n.fetch_add(1) >= x.gw.config.max_concurrent_pushes) {
    co_return co_await SendBusy(x, "starting at once");
  }
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
  if (ec) co_return co_await SendBadGateway(x, "cannot send the request (" + ec.message() + ")");

  beast::flat_buffer up_buf;
  http::response_parser<http::string_body> p;
  p.body_limit(x.gw.config.max_advertisement_bytes);
  p.header_limit(64 * 1024);
  co_await ReadMessage(*up, up_buf, p, x.upstream_idle(), x.deadline, &ec);
  if (ec == http::error::body_limit)
    co_return co_await SendBadGateway(x, "the ref advertisement is larger than limits.max_advertisement_bytes");
  if (ec) co_return co_await SendBadGateway(x, "no valid response (" + ec.message() + ")");

  http::response<http::string_body> res = p.release();
  RemoveHopByHop(res);
  bool is_adv = res.result() == http::status::ok &&
                res[http::field::content_type] == "application/x-git-receive-pack-advertisement";
  if (is_adv) {
    auto enc = res[http::field::content_encoding];
    if (!enc.empty() && !beast::iequals(enc, "identity"))
      co_return co_await SendBadGateway(x, "it compressed the ref advertisement (Content-Encoding: " +
                                               std::string(enc) + ") although asked for identity");
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

}  // namespace akgate::gateway
