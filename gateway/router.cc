#include "gateway/router.h"

#include "gateway/request_target.h"

namespace akgate::gateway {

RouteDecision RouteRequest(std::string_view method, std::string_view target, const Config& config) {
  using Kind = RouteDecision::Kind;
  RouteDecision d;
  RequestTarget t;
  Status parsed = ParseRequestTarget(target, &t);
  d.path = parsed.ok() ? t.path : std::string(target.substr(0, target.find('?')));
  if (d.path == "/healthz") {
    d.kind = Kind::kHealth;
    return d;
  }
  if (d.path == "/metrics") {
    d.kind = Kind::kMetrics;
    return d;
  }
  if (!parsed.ok()) {
    d.kind = Kind::kBadRequest;
    d.reason = parsed.message();
    return d;
  }
  // "/h/repo.git" matches the route "/h/repo.git/" too.
  std::string route_path = d.path;
  if (route_path.back() != '/') route_path += '/';
  const Route* route = config.FindRoute(route_path);
  if (route == nullptr) {
    d.kind = Kind::kNotFound;
    d.reason = "no route for " + d.path + " (see the [[route]] entries of the configuration)";
    return d;
  }
  d.route = route;
  // The canonical form of what was routed: decoded once, encoded again.
  d.upstream_target = route->url.base_path;
  if (d.path.size() > route->prefix.size())
    d.upstream_target += PercentEncode(d.path.substr(route->prefix.size()), true);
  if (!t.query.empty()) d.upstream_target += "?" + t.query;
  if (t.kind == RequestTarget::Kind::kReceivePack) {
    d.kind = method == "POST" ? Kind::kPush : Kind::kPushNotPost;
    if (d.kind == Kind::kPushNotPost) d.reason = "git-receive-pack takes POST only";
  } else if (t.kind == RequestTarget::Kind::kReceivePackAdvertisement && method == "GET") {
    d.kind = Kind::kAdvertisement;
  } else {
    d.kind = Kind::kRelay;
  }
  return d;
}

}  // namespace akgate::gateway
