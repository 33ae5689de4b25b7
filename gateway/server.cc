#include "gateway/server.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "gateway/exchange.h"
#include "gateway/push_spool.h"
#include "gateway/session.h"

namespace akgate::gateway {

namespace {

net::awaitable<void> AcceptLoop(GatewayContext& gw, tcp::acceptor& acceptor, ssl::context* tls, net::io_context& io) {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(net::make_strand(io), Await(ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      spdlog::warn("accept_failed error=\"{}\"", ec.message());
      if (ec == net::error::no_descriptors) {
        // Out of file descriptors: pause instead of spinning.
        net::steady_timer t(acceptor.get_executor(), std::chrono::milliseconds(100));
        co_await t.async_wait(Await(ec));
      }
      continue;
    }
    // A relay writes what it has as soon as it has it (a header, then the
    // body; a pkt-line answer): with Nagle's algorithm a small second write
    // waits for the peer's delayed ACK, 40 ms a time on Linux.
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    net::co_spawn(ex, RunSession(gw, std::move(socket), tls), net::detached);
  }
}

}  // namespace

struct Server::Impl {
  const Config& config;
  Metrics metrics;
  net::io_context io;
  net::thread_pool workers;
  ScanSlots scan_slots;
  GatewayContext gw;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::unique_ptr<ssl::context>> server_tls;  // one per HTTPS listener (or null)
  std::vector<uint16_t> ports;
  net::signal_set signals;
  net::steady_timer grace;
  std::vector<std::thread> threads;

  Impl(const Config& c, GateAdapter& gate)
      : config(c),
        io(static_cast<int>(c.threads)),
        // One thread more than there are scan slots: a push whose budget ran
        // out while it waited is still decided and recorded at once.
        workers(c.scan_threads + 1),
        scan_slots(c.scan_threads),
        gw{c, metrics, gate, workers, scan_slots},
        signals(io, SIGTERM, SIGINT),
        grace(io) {}

  void Drain(int signal) {
    spdlog::info("shutdown signal={} in_flight_pushes={} connections={}", signal, metrics.pushes_in_flight.load(),
                 metrics.connections_open.load());
    gw.draining = true;
    for (auto& a : acceptors) {
      beast::error_code ignored;
      a->close(ignored);
    }
    gw.CloseIdleSessions();
    // Whatever is still running after the grace period is cut off.
    grace.expires_after(std::chrono::seconds(config.shutdown_grace_s));
    grace.async_wait([this](beast::error_code ec) {
      if (ec) return;
      spdlog::warn("shutdown grace period over; stopping with {} connection(s) open", metrics.connections_open.load());
      io.stop();
    });
    // Once the last connection is gone, the grace timer is all that keeps
    // io.run() going: poll for that.
    WatchForIdle();
  }

  void WatchForIdle() {
    auto t = std::make_shared<net::steady_timer>(io, std::chrono::milliseconds(100));
    t->async_wait([this, t](beast::error_code) {
      if (metrics.connections_open.load() == 0) {
        beast::error_code ignored;
        grace.cancel();
        return;
      }
      WatchForIdle();
    });
  }
};

Server::Server(const Config& config, GateAdapter& gate) : impl_(std::make_unique<Impl>(config, gate)) {}

Server::~Server() {
  if (impl_) {
    impl_->io.stop();
    for (auto& t : impl_->threads)
      if (t.joinable()) t.join();
    impl_->workers.join();
  }
}

Metrics& Server::metrics() { return impl_->metrics; }
std::vector<uint16_t> Server::ports() const { return impl_->ports; }

Status Server::Start() {
  Impl& m = *impl_;
  // What a killed gateway left in temp_dir (push_spool.h).
  if (unsigned stale = PushSpool::RemoveStale(m.config.temp_dir); stale > 0)
    spdlog::warn("temp_dir_cleaned dir={} stale_spools_removed={}", m.config.temp_dir, stale);
  // Upstream TLS contexts: the system store plus each configured CA file.
  std::vector<std::string> ca_files = {m.config.ca_file};
  for (const Route& r : m.config.routes)
    if (!r.ca_file.empty()) ca_files.push_back(r.ca_file);
  for (const std::string& ca : ca_files) {
    if (m.gw.upstream_tls.count(ca)) continue;
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    beast::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (!ca.empty()) {
      ctx->load_verify_file(ca, ec);
      if (ec) return Status::IoError("cannot load the upstream CA file " + ca + ": " + ec.message());
    }
    ctx->set_verify_mode(ssl::verify_peer);
    m.gw.upstream_tls[ca] = std::move(ctx);
  }

  for (const Listener& l : m.config.listeners) {
    std::unique_ptr<ssl::context> tls;
    std::string where = (l.tls() ? "https://" : "http://") + l.address + ":" + std::to_string(l.port);
    if (l.tls()) {
      tls = std::make_unique<ssl::context>(ssl::context::tls_server);
      tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      beast::error_code ec;
      tls->use_certificate_chain_file(l.tls_cert, ec);
      if (ec) return Status::IoError(where + ": cannot load the certificate " + l.tls_cert + ": " + ec.message());
      tls->use_private_key_file(l.tls_key, ssl::context::pem, ec);
      if (ec) return Status::IoError(where + ": cannot load the private key " + l.tls_key + ": " + ec.message());
      if (!l.client_ca.empty()) {
        // Asked for, verified when given, not required: a client without
        // one may still fetch; it only has no identity (identity.h).
        tls->load_verify_file(l.client_ca, ec);
        if (ec) return Status::IoError(where + ": cannot load the client CA " + l.client_ca + ": " + ec.message());
        tls->set_verify_mode(ssl::verify_peer);
      }
    }
    beast::error_code ec;
    auto address = net::ip::make_address(l.address, ec);
    if (ec) return Status::InvalidArgument(where + ": bad listen address " + l.address);
    auto acceptor = std::make_unique<tcp::acceptor>(m.io);
    tcp::endpoint ep(address, l.port);
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::Unavailable("cannot listen on " + where + ": " + ec.message());
    m.ports.push_back(acceptor->local_endpoint().port());
    spdlog::info("listening address={} port={} tls={}", l.address, m.ports.back(), l.tls());
    m.acceptors.push_back(std::move(acceptor));
    m.server_tls.push_back(std::move(tls));
  }
  for (size_t i = 0; i < m.acceptors.size(); ++i)
    net::co_spawn(m.io, AcceptLoop(m.gw, *m.acceptors[i], m.server_tls[i].get(), m.io), net::detached);
  m.signals.async_wait([&m](beast::error_code ec, int signal) {
    if (!ec) m.Drain(signal);
  });
  for (unsigned i = 0; i < m.config.threads; ++i) m.threads.emplace_back([&m] { m.io.run(); });
  return Status::Ok();
}

void Server::Wait() {
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  impl_->workers.join();
  spdlog::info("stopped");
}

}  // namespace akgate::gateway
