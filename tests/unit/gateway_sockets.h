// Real sockets on 127.0.0.1 for the gateway's unit tests:
//
//   ScriptedUpstream up([](const UpstreamRequest& r) { return HttpResponse(200, "text/plain", "hi"); });
//   up.port();  up.requests();          // a tiny HTTP server on a thread of its own
//   GatewaySessions gw(config);         // RunSession on every connection (session.h)
//   std::string answer = RawExchange(gw.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
//
// Every read has a timeout, so a test that goes wrong fails instead of hanging.
#pragma once

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/exchange.h"
#include "gateway/session.h"

namespace akgate::testing {

// A listening socket on 127.0.0.1 with a free port.
inline int ListenLoopback(uint16_t* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(fd, 16) == 0);
  socklen_t len = sizeof a;
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  *port = ntohs(a.sin_port);
  return fd;
}

// A port nothing listens on (bound, then closed).
inline uint16_t ClosedPort() {
  uint16_t port = 0;
  ::close(ListenLoopback(&port));
  return port;
}

inline void SetReadTimeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

inline bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Connects to 127.0.0.1:port, writes `first`, runs `between` after a pause
// (the gateway is then reading the request), writes `second`, and reads
// until the peer closes (or `timeout_s` passes without a byte: then what
// came so far).
inline std::string RawExchangeInTwo(uint16_t port, const std::string& first, const std::function<void()>& between,
                                    const std::string& second, int timeout_s = 10) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  SetReadTimeout(fd, timeout_s);
  WriteAll(fd, first);
  if (between) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    between();
  }
  WriteAll(fd, second);
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

// The same in one piece: connects, writes `request`, reads until the peer closes.
inline std::string RawExchange(uint16_t port, const std::string& request, int timeout_s = 10) {
  return RawExchangeInTwo(port, request, nullptr, "", timeout_s);
}

// The status code of a raw HTTP response ("HTTP/1.1 404 ..." -> 404), 0 if none.
inline int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

inline std::string HttpResponse(int status, const std::string& content_type, const std::string& body,
                                const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" + extra_headers + "\r\n" +
         body;
}

struct UpstreamRequest {
  std::string head;  // request line and headers, as received
  std::string body;
  std::string RequestLine() const { return head.substr(0, head.find("\r\n")); }
  // The value of the first header `name` (case-insensitive), "" if absent.
  std::string Header(const std::string& name) const {
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos + 2 < head.size()) {
      size_t end = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, end - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos && colon == name.size() &&
          std::equal(name.begin(), name.end(), line.begin(),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        size_t v = line.find_first_not_of(' ', colon + 1);
        return v == std::string::npos ? "" : line.substr(v);
      }
      pos = end;
    }
    return "";
  }
};

// A one-connection-at-a-time HTTP server: each request (a header and a
// Content-Length body) goes to the script, whose answer is written as it is
// and the connection closed. The script's answer kHang says nothing and
// holds the connection until the server stops.
class ScriptedUpstream {
 public:
  using Script = std::function<std::string(const UpstreamRequest&)>;
  static constexpr const char* kHang = "<hang>";

  explicit ScriptedUpstream(Script script) : script_(std::move(script)) {
    listen_fd_ = ListenLoopback(&port_);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedUpstream() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  std::vector<UpstreamRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      SetReadTimeout(fd, 5);
      UpstreamRequest r;
      if (ReadRequest(fd, &r)) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(r);
        }
        std::string answer = script_(r);
        if (answer == kHang) {
          while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } else {
          WriteAll(fd, answer);
        }
      }
      ::close(fd);
    }
  }

  static bool ReadRequest(int fd, UpstreamRequest* r) {
    std::string in;
    char buf[8192];
    size_t end;
    while ((end = in.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<size_t>(n));
    }
    r->head = in.substr(0, end + 2);
    r->body = in.substr(end + 4);
    std::string cl = r->Header("Content-Length");
    size_t want = cl.empty() ? 0 : std::stoul(cl);
    while (r->body.size() < want) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      r->body.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  Script script_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<UpstreamRequest> requests_;
};

// The gate of tests that never push: any push is an error (fails closed).
class NoPushesGate : public gateway::GateAdapter {
 public:
  gateway::PushVerdict Inspect(const gateway::InspectInput&) override {
    gateway::PushVerdict v;
    v.decision = gateway::PushVerdict::Decision::kError;
    return v;
  }
  std::chrono::steady_clock::time_point CheckDeadline(const std::string&,
                                                      std::chrono::steady_clock::time_point started) const override {
    return started + std::chrono::seconds(10);
  }
  std::vector<std::string> NameBasedRights() const override { return {}; }
};

// A route from `prefix` to http://127.0.0.1:port + base_path.
inline gateway::Route LoopbackRoute(const std::string& prefix, uint16_t port, const std::string& base_path = "/git/") {
  gateway::Route r;
  r.prefix = prefix;
  r.upstream = "http://127.0.0.1:" + std::to_string(port) + base_path;
  REQUIRE(gateway::ParseUpstreamUrl(r.upstream, &r.url).ok());
  return r;
}

// The gateway's sessions on a loopback port: an I/O thread accepting
// connections and running RunSession on each, as the server does (no TLS,
// no signals).
class GatewaySessions {
 public:
  explicit GatewaySessions(gateway::Config config)
      : config_(std::move(config)),
        workers_(1),
        slots_(1),
        gw_{config_, metrics_, gate_, workers_, slots_},
        acceptor_(io_, {gateway::net::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    gateway::net::co_spawn(io_, Accept(), gateway::net::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~GatewaySessions() {
    // Connections end first (the tests close theirs), so no session is cut
    // off inside a handler when the I/O context goes.
    gw_.draining = true;
    gw_.CloseIdleSessions();
    for (int i = 0; i < 500 && metrics_.connections_open.load() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    gateway::beast::error_code ignored;
    gateway::net::post(io_, [this] {
      gateway::beast::error_code ec;
      acceptor_.close(ec);
    });
    io_.stop();
    thread_.join();
    workers_.join();
  }
  uint16_t port() const { return port_; }
  gateway::GatewayContext& context() { return gw_; }
  gateway::Metrics& metrics() { return metrics_; }

 private:
  gateway::net::awaitable<void> Accept() {
    for (;;) {
      gateway::beast::error_code ec;
      auto socket = co_await acceptor_.async_accept(gateway::net::make_strand(io_), gateway::Await(ec));
      if (ec) co_return;
      auto ex = socket.get_executor();
      gateway::net::co_spawn(ex, gateway::RunSession(gw_, std::move(socket), nullptr), gateway::net::detached);
    }
  }

  gateway::Config config_;
  gateway::Metrics metrics_;
  NoPushesGate gate_;
  gateway::net::thread_pool workers_;
  gateway::ScanSlots slots_;
  gateway::GatewayContext gw_;
  gateway::net::io_context io_;
  gateway::net::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace akgate::testing
