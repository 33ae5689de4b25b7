// akgate-gateway's process: listeners, the I/O thread pool, the worker pool
// for inspection, signals and graceful shutdown.
//
//   Config config;   LoadConfig(path, &config);
//   std::unique_ptr<GateAdapter> gate;  CreateGateAdapter(..., &gate);
//   Server server(config, *gate);
//   Status s = server.Start();     // binds every listener (errors name the address)
//   server.Wait();                 // until SIGTERM/SIGINT and the drain finish
//
// On SIGTERM (or SIGINT) the listeners close, /healthz answers 503, idle
// keep-alive connections are closed, and requests in flight (pushes being
// inspected or forwarded) run to completion, for at most
// limits.shutdown_grace_s.
#pragma once

#include <memory>

#include "engine/status.h"
#include "gateway/config.h"
#include "gateway/gate_adapter.h"
#include "gateway/metrics.h"

namespace akgate::gateway {

class Server {
 public:
  Server(const Config& config, GateAdapter& gate);
  ~Server();
  Status Start();
  void Wait();
  // The ports actually bound (a configured port 0 picks a free one), in
  // configuration order.
  std::vector<uint16_t> ports() const;
  Metrics& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace akgate::gateway
