// Boost.Beast client: resolve, connect, (TLS handshake), write, read, each
// step asynchronous under one expiry so nothing outlives the deadline.
#include "notify/webhook.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace akgate {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

Status ParseWebhookUrl(const std::string& url, WebhookUrl* out) {
  WebhookUrl u;
  std::string rest;
  if (url.rfind("http://", 0) == 0)
    rest = url.substr(7);
  else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    u.tls = true;
  } else {
    return Status::InvalidArgument("webhook URL must start with http:// or https://");
  }
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.target[0] == '?') u.target = "/" + u.target;
  if (authority.find('@') != std::string::npos)
    return Status::InvalidArgument("webhook URL must not carry user:password@ (put a token in the path or query)");
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return Status::InvalidArgument("webhook URL has an unclosed [IPv6] host");
    u.host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty() && after[0] == ':')
      u.port = after.substr(1);
    else if (!after.empty())
      return Status::InvalidArgument("webhook URL has junk after the [IPv6] host");
  } else {
    size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return Status::InvalidArgument("webhook URL has no host");
  if (u.port.empty()) u.port = u.tls ? "443" : "80";
  for (char c : u.port)
    if (c < '0' || c > '9') return Status::InvalidArgument("webhook URL port \"" + u.port + "\" is not a number");
  for (char c : u.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return Status::InvalidArgument("webhook URL path has spaces or control characters");
  *out = std::move(u);
  return Status::Ok();
}

namespace {

// Runs one asynchronous step to completion (or to the stream's expiry).
template <typename Start>
beast::error_code Step(net::io_context& ioc, Start&& start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

Status Failed(const std::string& what, const beast::error_code& ec) {
  if (ec == beast::error::timeout || ec == net::error::operation_aborted)
    return Status::DeadlineExceeded(what + ": timed out");
  return Status::Unavailable(what + ": " + ec.message());
}

template <typename Stream>
Status Exchange(net::io_context& ioc, Stream& stream, const WebhookUrl& u, const WebhookRequest& r,
                std::string* answer) {
  http::request<http::string_body> req{http::verb::post, u.target, 11};
  std::string host = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
  if (u.port != (u.tls ? "443" : "80")) host += ":" + u.port;
  req.set(http::field::host, host);
  req.set(http::field::user_agent, std::string("akgate/") + AKGATE_VERSION);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : r.headers) req.set(name, value);
  req.body() = r.body;
  req.prepare_payload();
  beast::error_code ec = Step(ioc, [&](auto h) { http::async_write(stream, req, h); });
  if (ec) return Failed("webhook: sending", ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);  // the answer is not used; do not hold a large one
  ec = Step(ioc, [&](auto h) { http::async_read(stream, buffer, parser, h); });
  if (ec && ec != http::error::body_limit) return Failed("webhook: reading the answer", ec);
  unsigned status = parser.get().result_int();
  *answer = parser.get().body();
  if (status < 200 || status >= 300)
    return Status::Unavailable("webhook: the receiver answered HTTP " + std::to_string(status));
  return Status::Ok();
}

Status Post(const WebhookRequest& r, std::string* answer) {
  WebhookUrl u;
  Status s = ParseWebhookUrl(r.url, &u);
  if (!s.ok()) return s;
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  // Synchronous: the caller bounds this whole thread by the deadline.
  auto endpoints = resolver.resolve(u.host, u.port, ec);
  if (ec) return Status::Unavailable("webhook: cannot resolve " + u.host + ": " + ec.message());
  if (std::chrono::steady_clock::now() >= r.deadline) return Status::DeadlineExceeded("webhook: timed out");

  if (!u.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_at(r.deadline);
    ec = Step(ioc, [&](auto h) { stream.async_connect(endpoints, h); });
    if (ec) return Failed("webhook: cannot connect to " + u.host + ":" + u.port, ec);
    s = Exchange(ioc, stream, u, r, answer);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return s;
  }

  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths(ec);
  if (!r.ca_file.empty()) {
    ctx.load_verify_file(r.ca_file, ec);
    if (ec) return Status::IoError("webhook: cannot read the CA file " + r.ca_file + ": " + ec.message());
  }
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_callback(ssl::host_name_verification(u.host));
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
    return Status::Unavailable("webhook: cannot set the TLS server name " + u.host);
  beast::get_lowest_layer(stream).expires_at(r.deadline);
  ec = Step(ioc, [&](auto h) { beast::get_lowest_layer(stream).async_connect(endpoints, h); });
  if (ec) return Failed("webhook: cannot connect to " + u.host + ":" + u.port, ec);
  ec = Step(ioc, [&](auto h) { stream.async_handshake(ssl::stream_base::client, h); });
  if (ec) return Failed("webhook: TLS handshake with " + u.host, ec);
  s = Exchange(ioc, stream, u, r, answer);
  // A polite close; the receiver dropping the connection (stream_truncated) is fine.
  Step(ioc, [&](auto h) { stream.async_shutdown(h); });
  return s;
}

}  // namespace

Status PostWebhook(const WebhookRequest& request, std::string* answer) {
  if (std::chrono::steady_clock::now() >= request.deadline)
    return Status::DeadlineExceeded("webhook: no time left to send");
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    Status result;
    std::string answer;
  };
  auto shared = std::make_shared<Shared>();
  std::thread worker([shared, request] {
    Status s;
    std::string body;
    try {
      s = Post(request, &body);
    } catch (const std::exception& e) {
      s = Status::Unavailable(std::string("webhook: ") + e.what());
    }
    std::lock_guard<std::mutex> lock(shared->mu);
    shared->result = s;
    shared->answer = std::move(body);
    shared->done = true;
    shared->cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(shared->mu);
  // A little grace past the deadline for the worker's own timeout to report.
  bool done =
      shared->cv.wait_until(lock, request.deadline + std::chrono::milliseconds(50), [&] { return shared->done; });
  lock.unlock();
  if (!done) {
    worker.detach();  // stuck in DNS; it holds only its own copy of the request
    return Status::DeadlineExceeded("webhook: timed out");
  }
  worker.join();
  if (answer) *answer = std::move(shared->answer);
  return shared->result;
}

}  // namespace akgate
