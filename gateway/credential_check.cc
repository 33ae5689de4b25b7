// Pass-through mode: the pusher's credentials are the upstream's to judge, so
// before the gateway spends anything on a push (spool, index, scan) it asks
// the upstream whether they may push: the receive-pack advertisement with the
// same Authorization. Only the answer's status line and headers are read.
#include <spdlog/spdlog.h>

#include "gateway/exchange.h"

namespace akgate::gateway {

net::awaitable<CredentialCheck> CheckPusherCredentials(Exchange& x) {
  CredentialCheck out;
  constexpr std::string_view kReceivePack = "git-receive-pack";
  std::string target = x.upstream_target.substr(0, x.upstream_target.find('?'));
  if (target.size() < kReceivePack.size() || target.compare(target.size() - kReceivePack.size(), kReceivePack.size(),
                                                            kReceivePack) != 0) {
    out.error = "not a receive-pack request";
    co_return out;
  }
  target.resize(target.size() - kReceivePack.size());
  target += "info/refs?service=git-receive-pack";

  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &out.error);
  if (!up) co_return out;
  http::request<http::empty_body> req{http::verb::get, target, 11};
  PrepareUpstreamHeader(x, req.base());
  req.target(target);
  const auto& client = x.parser.get();
  for (auto field : {http::field::authorization, http::field::user_agent, http::field::cookie})
    if (client.count(field)) req.set(field, client[field]);
  req.set(http::field::accept_encoding, "identity");
  beast::error_code ec;
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_write(*up, req, Await(ec));
  if (ec) {
    out.error = "cannot send the credential check (" + ec.message() + ")";
    co_return out;
  }
  beast::flat_buffer buf;
  http::response_parser<http::empty_body> p;
  p.header_limit(64 * 1024);
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_read_header(*up, buf, p, Await(ec));
  if (ec) {
    out.error = "no valid answer to the credential check (" + ec.message() + ")";
    co_return out;
  }
  const auto& res = p.get();
  out.status = res.result_int();
  out.www_authenticate = std::string(res[http::field::www_authenticate]);
  // The advertisement itself is not needed: the connection is dropped here.
  co_return out;
}

}  // namespace akgate::gateway
