// Boost.Beast over OpenSSL: resolve, connect, TLS handshake, write, read,
// each step asynchronous under one expiry so nothing outlives the deadline.
#include "verify/https_client.h"

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

namespace akgate::verify {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

Status ParseEndpoint(const std::string& endpoint, std::string* host, std::string* port) {
  if (endpoint.rfind("https://", 0) != 0)
    return Status::InvalidArgument("endpoint \"" + endpoint + "\" must start with https://");
  std::string authority = endpoint.substr(8);
  if (!authority.empty() && authority.back() == '/') authority.pop_back();
  if (authority.find_first_of("/?#@ ") != std::string::npos)
    return Status::InvalidArgument("endpoint \"" + endpoint + "\" must be https://host[:port], without a path");
  std::string h = authority, p = "443";
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) return Status::InvalidArgument("endpoint has an unclosed [IPv6] host");
    h = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return Status::InvalidArgument("endpoint has junk after the [IPv6] host");
    if (!after.empty()) p = after.substr(1);
  } else if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    h = authority.substr(0, colon);
    p = authority.substr(colon + 1);
  }
  if (h.empty()) return Status::InvalidArgument("endpoint \"" + endpoint + "\" has no host");
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return Status::InvalidArgument("endpoint port \"" + p + "\" is not a number");
  *host = h;
  *port = p;
  return Status::Ok();
}

namespace {

constexpr size_t kBodyLimit = 256 * 1024;

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

Status Send(const HttpsRequest& r, HttpsResponse* out) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  // Synchronous: the caller bounds this whole thread by the deadline.
  auto endpoints = resolver.resolve(r.host, r.port, ec);
  if (ec) return Status::Unavailable("cannot resolve " + r.host + ": " + ec.message());
  if (std::chrono::steady_clock::now() >= r.deadline) return Status::DeadlineExceeded("timed out resolving " + r.host);

  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths(ec);
  if (!r.ca_file.empty()) {
    ctx.load_verify_file(r.ca_file, ec);
    if (ec) return Status::IoError("cannot read the CA file " + r.ca_file + ": " + ec.message());
  }
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_callback(ssl::host_name_verification(r.host));
  if (!SSL_set_tlsext_host_name(stream.native_handle(), r.host.c_str()))
    return Status::Unavailable("cannot set the TLS server name " + r.host);
  beast::get_lowest_layer(stream).expires_at(r.deadline);
  std::string where = r.host + ":" + r.port;
  ec = Step(ioc, [&](auto h) { beast::get_lowest_layer(stream).async_connect(endpoints, h); });
  if (ec) return Failed("cannot connect to " + where, ec);
  ec = Step(ioc, [&](auto h) { stream.async_handshake(ssl::stream_base::client, h); });
  if (ec) return Failed("TLS handshake with " + where, ec);

  http::request<http::string_body> req{http::string_to_verb(r.method), r.target, 11};
  for (const auto& [name, value] : r.headers) req.set(name, value);
  req.set(http::field::user_agent, std::string("akgate/") + AKGATE_VERSION);
  req.set(http::field::connection, "close");
  req.body() = r.body;
  req.prepare_payload();
  ec = Step(ioc, [&](auto h) { http::async_write(stream, req, h); });
  if (ec) return Failed("sending to " + where, ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  ec = Step(ioc, [&](auto h) { http::async_read(stream, buffer, parser, h); });
  if (ec) return Failed("reading the answer of " + where, ec);
  out->status = parser.get().result_int();
  out->body = parser.get().body();
  // A polite close; the server dropping the connection (stream_truncated) is fine.
  Step(ioc, [&](auto h) { stream.async_shutdown(h); });
  return Status::Ok();
}

}  // namespace

Status SendHttps(const HttpsRequest& request, HttpsResponse* response) {
  if (http::string_to_verb(request.method) == http::verb::unknown)
    return Status::InvalidArgument("unknown HTTP method " + request.method);
  if (std::chrono::steady_clock::now() >= request.deadline) return Status::DeadlineExceeded("no time left to send");
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    Status result;
    HttpsResponse response;
  };
  auto shared = std::make_shared<Shared>();
  std::thread worker([shared, request] {
    Status s;
    HttpsResponse r;
    try {
      s = Send(request, &r);
    } catch (const std::exception& e) {
      s = Status::Unavailable(e.what());
    }
    std::lock_guard<std::mutex> lock(shared->mu);
    shared->result = s;
    shared->response = std::move(r);
    shared->done = true;
    shared->cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(shared->mu);
  // A little grace past the deadline for the worker's own timeout to report.
  bool done =
      shared->cv.wait_until(lock, request.deadline + std::chrono::milliseconds(50), [&] { return shared->done; });
  if (!done) {
    lock.unlock();
    worker.detach();  // stuck in DNS; it holds only its own copy of the request
    return Status::DeadlineExceeded("timed out");
  }
  Status result = shared->result;
  *response = shared->response;
  lock.unlock();
  worker.join();
  return result;
}

}  // namespace akgate::verify
