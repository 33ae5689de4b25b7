// Where a request goes, decided from the request line and the configuration
// alone: no socket, no upstream, no clock (session.cc acts on the decision).
//
//   RouteDecision d = RouteRequest("POST", "/h/app.git/git-receive%2Dpack", config);
//   // d.kind == kPush, d.route->prefix == "/h/",
//   // d.upstream_target == "/git/app.git/git-receive-pack" (the route's base path + the canonical rest)
//
// Decided in this order, on the target decoded once (request_target.h):
//
//   kHealth, kMetrics   /healthz, /metrics
//   kBadRequest         a target ParseRequestTarget refuses (`reason` says why)
//   kNotFound           no [[route]] prefix matches (`reason` names the path)
//   kPushNotPost        .../git-receive-pack with a method other than POST
//   kPush               POST .../git-receive-pack: inspected (push_handler.cc)
//   kAdvertisement      GET .../info/refs?service=git-receive-pack: `no-thin` added
//   kRelay              anything else under a route: streamed both ways (relay.cc)
//
// The last four are routed: `route` points at the configuration's Route and
// `upstream_target` is what the upstream is sent, so an upstream can never
// decode its way to another service or repository than the one routed.
// Only a routed decision makes an Exchange (exchange.h).
#pragma once

#include <string>
#include <string_view>

#include "gateway/config.h"

namespace akgate::gateway {

struct RouteDecision {
  enum class Kind { kHealth, kMetrics, kBadRequest, kNotFound, kPushNotPost, kPush, kAdvertisement, kRelay };
  Kind kind = Kind::kNotFound;
  // The request path for logs and messages: decoded, or the raw path up to
  // '?' when it could not be decoded (never the query: it may hold tokens).
  std::string path;
  // kBadRequest, kNotFound, kPushNotPost: what was wrong, in words for the client.
  std::string reason;
  // Routed kinds only (else null): the route, owned by the Config, and the
  // target (path and query) on its upstream.
  const Route* route = nullptr;
  std::string upstream_target;

  bool routed() const { return route != nullptr; }
};

// `method` as on the request line ("GET", "POST"; case-sensitive, as HTTP
// methods are); `target` in origin form, undecoded.
RouteDecision RouteRequest(std::string_view method, std::string_view target, const Config& config);

}  // namespace akgate::gateway
