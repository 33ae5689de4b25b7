// Pass-through mode: the pusher's credentials are the upstream's to judge, so
// before the gateway spends anything on a push (spool, index, scan) it asks
// the upstream whether they may push: the receive-pack advertisement with the
// same Authorization. A refusal is read no further than its headers; an
// advertisement is read whole (limits.max_advertisement_bytes) for what the
// upstream accepts: push options, which the report may then suggest.
// Gateway-held mode: the same request with the route's own credential (the
// pusher signed in to the gateway already), for the advertisement.
#include "gateway/credential_check.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/advertisement.h"
#include "gateway/reply.h"
#include "gateway/upstream.h"

namespace akgate::gateway {

net::awaitable<CredentialCheck> CheckPusherCredentials(Exchange& x) {
  CredentialCheck out;
  constexpr std::string_view kReceivePack = "git-receive-pack";
  std::string target = x.upstream_target.substr(0, x.upstream_target.find('?'));
  if (target.size() < kReceivePack.size() ||
      target.compare(target.size() - kReceivePack.size(), kReceivePack.size(), kReceivePack) != 0) {
    out.error = "not a receive-pack request";
    co_return out;
  }
  target.resize(target.size() - kReceivePack.size());
  target += "info/refs?service=git-receive-pack";

  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &out.error);
  if (!up) co_return out;
  http::request<http::empty_body> req{http::verb::get, target, 11};
  const auto& client = x.parser.get();
  for (auto field : {http::field::user_agent, http::field::cookie})
    if (client.count(field)) req.set(field, client[field]);
  PrepareUpstreamHeader(x, req.base());  // the credentials too: the client's, or the route's held one
  req.target(target);
  req.set(http::field::accept_encoding, "identity");
  beast::error_code ec;
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_write(*up, req, Await(ec));
  if (ec) {
    out.error = "cannot send the credential check (" + ec.message() + ")";
    co_return out;
  }
  beast::flat_buffer buf;
  http::response_parser<http::string_body> p;
  p.header_limit(64 * 1024);
  p.body_limit(x.gw.config.max_advertisement_bytes);
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_read_header(*up, buf, p, Await(ec));
  if (ec) {
    out.error = "no valid answer to the credential check (" + ec.message() + ")";
    co_return out;
  }
  out.status = p.get().result_int();
  out.www_authenticate = std::string(p.get()[http::field::www_authenticate]);
  if (out.status != 200) co_return out;  // a refusal's body is not read
  // Unknown counts as "not accepted": the report must never advise a push
  // option the upstream may refuse.
  std::string unread;
  auto enc = p.get()[http::field::content_encoding];
  if (p.get()[http::field::content_type] != "application/x-git-receive-pack-advertisement") {
    unread = "it is not a receive-pack advertisement";
  } else if (!enc.empty() && enc != "identity") {
    unread = "it came compressed (" + std::string(enc) + ")";
  } else {
    co_await ReadMessage(*up, buf, p, x.upstream_idle(), x.deadline, &ec);
    std::vector<std::string> caps;
    Status parsed;
    if (ec == http::error::body_limit)
      unread = "it is larger than limits.max_advertisement_bytes";
    else if (ec)
      unread = "it was cut short (" + ec.message() + ")";
    else if (parsed = AdvertisedCapabilities(p.get().body(), &caps); !parsed.ok())
      unread = parsed.message();
    else
      out.push_options = std::find(caps.begin(), caps.end(), "push-options") != caps.end();
  }
  if (!unread.empty())
    spdlog::warn("advertisement_unread id={} route={} reason=\"{}\" push_options=assumed_unavailable", x.id,
                 x.route.prefix, unread);
  co_return out;
}

net::awaitable<bool> CredentialsAccepted(Exchange& x, bool* push_options) {
  CredentialCheck cred = co_await CheckPusherCredentials(x);
  *push_options = cred.push_options;
  if (cred.status == 0) {
    co_await SendBadGateway(x, cred.error);
    co_return false;
  }
  if (cred.status == 200) co_return true;
  if (x.gw.config.identity.gateway_held()) {
    // The gateway's own credential was refused: the developer can do
    // nothing about it (a challenge would only make git ask them again).
    spdlog::error("held_credential_refused id={} route={} upstream_status={}", x.id, x.route.prefix, cred.status);
    co_await SendBadGateway(x, "it refused the gateway's credential for this route (HTTP " +
                                   std::to_string(cred.status) + "); tell the gateway's administrators");
    co_return false;
  }
  x.gw.metrics.pushes_unauthorized++;
  x.note = "refused before inspection: the upstream answered " + std::to_string(cred.status) +
           " to the pusher's credentials";
  spdlog::info("push_unauthorized id={} route={} upstream_status={}", x.id, x.route.prefix, cred.status);
  unsigned status = cred.status >= 400 && cred.status < 500 ? cred.status : 502;
  http::response<http::string_body> res{static_cast<http::status>(status), x.parser.get().version()};
  res.set(http::field::server, "akgate-gateway");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  if (!cred.www_authenticate.empty()) res.set(http::field::www_authenticate, cred.www_authenticate);
  res.body() =
      "akgate-gateway: the upstream refused these credentials for a push (HTTP " + std::to_string(cred.status) + ")\n";
  res.keep_alive(false);
  res.prepare_payload();
  x.status = status;
  beast::error_code ec;
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write(x.client, res, Await(ec));
  // A little of a body already on its way is read and dropped, so the
  // client reads the answer rather than a reset connection.
  if (!ec) co_await DrainBody(x, kLingerBytes);
  co_return false;
}

}  // namespace akgate::gateway
