// One byte stream type for every connection the gateway holds, client side or
// upstream side, plain TCP or TLS. Beast's HTTP algorithms are templates over
// the stream; with one type they are instantiated once, which keeps the
// Beast-heavy translation units (session.cc, push_handler.cc) few and small.
//
// Timeouts: Beast's tcp_stream expires the next operation at a time point.
// ArmTimer sets it to the earlier of "now + idle" and the request deadline, so
// a slow-loris client trips the idle limit and a slow-but-steady one the
// total limit.
#pragma once

// <utility> must come before Boost.Asio: Boost 1.74's asio/awaitable.hpp uses
// std::exchange without including it. The include sorter would move it.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <optional>
#include <string_view>

namespace akgate::gateway {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

class Stream {
 public:
  using executor_type = beast::tcp_stream::executor_type;

  // Plain TCP.
  explicit Stream(beast::tcp_stream tcp) : plain_(std::move(tcp)) {}
  // TLS over TCP (handshake not done yet).
  Stream(beast::tcp_stream tcp, ssl::context& ctx) : tls_(std::in_place, std::move(tcp), ctx) {}

  executor_type get_executor() { return tls_ ? tls_->get_executor() : plain_->get_executor(); }
  beast::tcp_stream& tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }
  bool is_tls() const { return tls_.has_value(); }
  beast::ssl_stream<beast::tcp_stream>& tls() { return *tls_; }

  // Next operation expires at min(now + idle, deadline).
  void ArmTimer(std::chrono::seconds idle, Clock::time_point deadline) {
    tcp().expires_at(std::min(Clock::now() + idle, deadline));
  }

  template <class MutableBufferSequence, class Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& b) {
          if (tls_)
            tls_->async_read_some(b, std::move(handler));
          else
            plain_->async_read_some(b, std::move(handler));
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return net::async_initiate<Token, void(beast::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& b) {
          if (tls_)
            tls_->async_write_some(b, std::move(handler));
          else
            plain_->async_write_some(b, std::move(handler));
        },
        token, buffers);
  }

 private:
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
};

// Beast 1.74 speaks boost::string_view.
inline std::string_view SV(beast::string_view s) { return {s.data(), s.size()}; }

// Awaitable with errors as values (no exceptions on the hot path).
inline auto Await(beast::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

}  // namespace akgate::gateway
