#include "gateway/reply.h"

#include <memory>

namespace akgate::gateway {

namespace {

constexpr size_t kDrainChunk = 64 * 1024;

}  // namespace

net::awaitable<bool> SendText(ClientRequest& r, http::status status, std::string text, bool keep_alive) {
  http::response<http::string_body> res{status, r.parser.get().version()};
  res.set(http::field::server, "akgate-gateway");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  if (!text.empty() && text.back() != '\n') text += '\n';
  res.body() = std::move(text);
  // A client that asked for Connection: close (or HTTP/1.0) gets it.
  res.keep_alive(keep_alive && r.keep_alive && !r.gw.draining);
  res.prepare_payload();
  r.status = static_cast<unsigned>(status);
  r.bytes_out += res.body().size();
  r.client.ArmTimer(r.idle(), r.deadline);
  beast::error_code ec;
  co_await http::async_write(r.client, res, Await(ec));
  co_return !ec && res.keep_alive();
}

net::awaitable<bool> SendBusy(ClientRequest& r, std::string_view what) {
  r.note = "busy";
  http::response<http::string_body> res{http::status::service_unavailable, r.parser.get().version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::retry_after, "10");
  res.body() = "akgate-gateway: too many pushes " + std::string(what) +
               " (limits.max_concurrent_pushes = " + std::to_string(r.gw.config.max_concurrent_pushes) +
               "); try again shortly\n";
  res.keep_alive(false);
  res.prepare_payload();
  r.status = 503;
  beast::error_code ec;
  r.client.ArmTimer(r.idle(), r.deadline);
  co_await http::async_write(r.client, res, Await(ec));
  co_return false;
}

net::awaitable<beast::error_code> AnswerExpectContinue(ClientRequest& r) {
  beast::error_code ec;
  auto& req = r.parser.get();
  bool expect = beast::iequals(req[http::field::expect], "100-continue");
  req.erase(http::field::expect);
  if (!expect || r.parser.is_done()) co_return ec;
  http::response<http::empty_body> cont{http::status::continue_, req.version()};
  r.client.ArmTimer(r.idle(), r.deadline);
  co_await http::async_write(r.client, cont, Await(ec));
  co_return ec;
}

net::awaitable<bool> DrainBody(ClientRequest& r, uint64_t budget) {
  std::unique_ptr<char[]> buf(new char[kDrainChunk]);
  uint64_t drained = 0;
  while (!r.parser.is_done()) {
    r.parser.get().body().data = buf.get();
    r.parser.get().body().size = kDrainChunk;
    beast::error_code ec;
    r.client.ArmTimer(r.idle(), r.deadline);
    co_await http::async_read(r.client, r.client_buffer, r.parser, Await(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return false;
    drained += kDrainChunk - r.parser.get().body().size;
    if (drained > budget) co_return false;
  }
  co_return true;
}

}  // namespace akgate::gateway
