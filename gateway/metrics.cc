#include "gateway/metrics.h"

#include <cstdio>

namespace akgate::gateway {

namespace {

void Counter(std::string* out, const char* name, const char* help, uint64_t v, const char* labels = "") {
  *out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
  *out += std::string(name) + labels + " " + std::to_string(v) + "\n";
}

}  // namespace

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP akgate_gateway_requests_total HTTP requests received, by kind.\n";
  out += "# TYPE akgate_gateway_requests_total counter\n";
  out += "akgate_gateway_requests_total{kind=\"fetch\"} " + std::to_string(requests_fetch.load()) + "\n";
  out +=
      "akgate_gateway_requests_total{kind=\"advertisement\"} " + std::to_string(requests_advertisement.load()) + "\n";
  out += "akgate_gateway_requests_total{kind=\"push\"} " + std::to_string(requests_push.load()) + "\n";
  out += "akgate_gateway_requests_total{kind=\"other\"} " + std::to_string(requests_other.load()) + "\n";
  Counter(&out, "akgate_gateway_pushes_scanned_total", "Pushes whose pack was inspected.", pushes_scanned);
  Counter(&out, "akgate_gateway_pushes_blocked_total", "Pushes rejected for a blocking finding.", pushes_blocked);
  Counter(&out, "akgate_gateway_pushes_bypassed_total", "Blocked pushes let through by an allowed bypass.",
          pushes_bypassed);
  Counter(&out, "akgate_gateway_pushes_monitored_total",
          "Pushes that would have been blocked, let through in monitor mode ([gate] mode = \"monitor\").",
          pushes_monitored);
  Counter(&out, "akgate_gateway_pushes_refused_total",
          "Pushes refused before inspection (malformed, too large, thin pack, busy).", pushes_refused);
  Counter(&out, "akgate_gateway_pushes_unauthorized_total",
          "Pushes refused before any work because the upstream refused the pusher's credentials.", pushes_unauthorized);
  Counter(&out, "akgate_gateway_auth_failures_total",
          "Requests refused with 401 because they did not sign in to the gateway (gateway-held mode).", auth_failures);
  Counter(&out, "akgate_gateway_received_bytes_total", "Body bytes received from clients.", bytes_from_clients);
  Counter(&out, "akgate_gateway_sent_bytes_total", "Body bytes sent to clients.", bytes_to_clients);
  char secs[64];
  std::snprintf(secs, sizeof secs, "%.6f", scan_microseconds.load() / 1e6);
  out += "# HELP akgate_gateway_scan_seconds_total Time spent indexing and inspecting pushes.\n";
  out += "# TYPE akgate_gateway_scan_seconds_total counter\n";
  out += std::string("akgate_gateway_scan_seconds_total ") + secs + "\n";
  Counter(&out, "akgate_gateway_upstream_errors_total", "Upstream connections or exchanges that failed.",
          upstream_errors);
  out += "# HELP akgate_gateway_pushes_in_flight Pushes being received, inspected or forwarded.\n";
  out += "# TYPE akgate_gateway_pushes_in_flight gauge\n";
  out += "akgate_gateway_pushes_in_flight " + std::to_string(pushes_in_flight.load()) + "\n";
  out += "# HELP akgate_gateway_connections Open client connections.\n";
  out += "# TYPE akgate_gateway_connections gauge\n";
  out += "akgate_gateway_connections " + std::to_string(connections_open.load()) + "\n";
  return out;
}

}  // namespace akgate::gateway
