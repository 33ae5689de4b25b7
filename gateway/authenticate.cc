// Gateway-held mode: every request on a route signs in to the gateway first,
// before its body is read and before the upstream is asked anything (the
// upstream gets the route's own credential, never the developer's). A
// developer signs in with HTTP Basic: their name in the users file and their
// token as the password; a verified client certificate or the header from a
// trusted proxy ([identity] client_certificate, header) also signs in.
#include "gateway/authenticate.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "gateway/basic_auth.h"
#include "gateway/identity.h"
#include "gateway/reply.h"

namespace akgate::gateway {

namespace {

// A claimed name as the log may show it.
std::string Loggable(std::string_view name) { return PlausibleName(name) ? std::string(name) : "(unprintable)"; }

}  // namespace

net::awaitable<bool> Authenticate(Exchange& x, bool* keep) {
  const IdentityConfig& ic = x.gw.config.identity;
  const auto& req = x.parser.get();
  if (ic.any()) {
    std::optional<std::string_view> header;
    if (!ic.header.empty()) {
      auto it = req.find(ic.header);
      if (it != req.end()) header = SV(it->value());
    }
    Identity id = ResolvePusher(ic, x.client_address, header, x.client_certificate_name);
    if (!id.name.empty()) {
      x.user = id.name;
      x.user_source = id.source;
      co_return true;
    }
  }
  std::string reason, claimed = "-";
  auto auth = req.find(http::field::authorization);
  if (auth == req.end()) {
    reason = "no credentials";
  } else {
    BasicCredentials cred;
    if (!ParseBasicAuth(SV(auth->value()), &cred)) {
      reason = "not Basic user:token credentials";
    } else if (ic.users.Verify(cred.user, cred.password)) {
      x.user = cred.user;
      x.user_source = "users-file";
      co_return true;
    } else {
      claimed = Loggable(cred.user);
      reason = ic.users.Contains(cred.user) ? "wrong token" : "not in the users file";
    }
  }
  x.gw.metrics.auth_failures++;
  x.note = "not signed in: " + reason;
  spdlog::warn("auth_failed id={} client={} route={} user={} reason=\"{}\"", x.id, x.client_address, x.route.prefix,
               claimed, reason);
  http::response<http::string_body> res{http::status::unauthorized, req.version()};
  res.set(http::field::server, "akgate-gateway");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::www_authenticate, "Basic realm=\"akgate\"");
  res.body() =
      "akgate-gateway: sign in with your gateway user name and token (the gateway's administrators give "
      "you one)\n";
  // Nothing of a body is read for the request itself; a little is read and
  // dropped afterwards, so a client still sending reads this answer rather
  // than a reset connection.
  bool bodyless = x.parser.is_done();
  res.keep_alive(bodyless && x.keep_alive && !x.gw.draining);
  res.prepare_payload();
  x.status = 401;
  x.bytes_out += res.body().size();
  beast::error_code ec;
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write(x.client, res, Await(ec));
  *keep = !ec && res.keep_alive();
  if (!ec && !bodyless) co_await DrainBody(x, kLingerBytes);
  co_return false;
}

}  // namespace akgate::gateway
