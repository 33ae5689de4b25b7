// The gateway's counters, served at /metrics in the Prometheus text format
// (version 0.0.4). Lock-free: every field is an atomic updated in place.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace akgate::gateway {

struct Metrics {
  // Requests by kind.
  std::atomic<uint64_t> requests_fetch{0};          // upload-pack, its info/refs, anything relayed
  std::atomic<uint64_t> requests_advertisement{0};  // info/refs?service=git-receive-pack
  std::atomic<uint64_t> requests_push{0};           // POST git-receive-pack
  std::atomic<uint64_t> requests_other{0};          // /healthz, /metrics, 404, 400
  std::atomic<uint64_t> pushes_scanned{0};
  std::atomic<uint64_t> pushes_blocked{0};
  std::atomic<uint64_t> pushes_bypassed{0};
  std::atomic<uint64_t> pushes_monitored{0};
  std::atomic<uint64_t> pushes_refused{0};       // malformed, too large, thin, busy
  std::atomic<uint64_t> pushes_unauthorized{0};  // the upstream refused the pusher's credentials
  std::atomic<uint64_t> auth_failures{0};        // gateway-held: requests that did not sign in
  std::atomic<uint64_t> bytes_from_clients{0};
  std::atomic<uint64_t> bytes_to_clients{0};
  std::atomic<uint64_t> scan_microseconds{0};  // indexing + inspection
  std::atomic<uint64_t> upstream_errors{0};
  std::atomic<int64_t> pushes_in_flight{0};
  std::atomic<int64_t> connections_open{0};

  std::string Render() const;
};

}  // namespace akgate::gateway
