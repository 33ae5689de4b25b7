#include "gateway/push_reply.h"

#include <spdlog/spdlog.h>

#include "gateway/reply.h"
#include "gateway/upstream.h"

namespace akgate::gateway {

// The report-status response for a push the gateway refuses.
net::awaitable<bool> SendReport(Exchange& x, const ReceivePackRequest& request, const Rejection& rejection) {
  http::response<http::string_body> res{http::status::ok, x.parser.get().version()};
  res.set(http::field::server, "akgate-gateway");
  res.set(http::field::content_type, "application/x-git-receive-pack-result");
  res.set(http::field::cache_control, "no-cache");
  res.body() = EncodeRejection(request, rejection);
  // The rest of an unread body would be taken for the next request.
  res.keep_alive(x.keep_alive && x.parser.is_done() && !x.gw.draining);
  res.prepare_payload();
  x.status = 200;
  x.bytes_out += res.body().size();
  x.gw.metrics.bytes_to_clients += res.body().size();
  beast::error_code ec;
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write(x.client, res, Await(ec));
  co_return !ec && res.keep_alive();
}

// A refusal before inspection (malformed, too large, thin pack): with the
// command list known, a report-status naming every ref; otherwise plain text.
net::awaitable<bool> Refuse(Exchange& x, const ReceivePackRequest& request, bool commands_known, http::status fallback,
                            const std::string& unpack_status, const std::string& message) {
  x.gw.metrics.pushes_refused++;
  x.note = "refused: " + message;
  if (commands_known && !request.commands.empty()) {
    Rejection r;
    r.unpack_status = unpack_status;
    r.reason = "unpacker error";
    if (unpack_status == "ok") r.reason = message;
    r.human_report = "akgate-gateway: " + message + "\n";
    co_return co_await SendReport(x, request, r);
  }
  co_return co_await SendText(x, fallback, "akgate-gateway: " + message, false);
}

// 503 with Retry-After: limits.max_concurrent_pushes are in progress.
net::awaitable<bool> RefuseBusy(Exchange& x) {
  x.gw.metrics.pushes_refused++;
  co_return co_await SendBusy(x, "in progress");
}

// 503: the push cannot be stored for inspection (temp_dir missing, full,
// not writable). The details go to the log, not to the pusher.
net::awaitable<bool> RefuseUnstorable(Exchange& x, const Status& why, bool drain) {
  spdlog::error("spool_failed id={} error=\"{}\"", x.id, why.message());
  x.note = "cannot store the push: " + why.message();
  if (drain) {
    bool drained = co_await DrainBody(x, x.gw.config.max_push_bytes);
    if (!drained) co_return false;
  }
  co_return co_await SendText(x, http::status::service_unavailable,
                              "akgate-gateway: cannot store the push for inspection (see the gateway's log)", false);
}

// Sends the spooled body upstream and streams the answer back, with
// `notes` (side-band packets) in front of a successful result.
net::awaitable<bool> Forward(Exchange& x, const PushSpool& spool, std::string_view notes) {
  std::string error;
  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &error);
  if (!up) co_return co_await SendBadGateway(x, error);
  http::request<http::file_body> req;
  req.base() = x.parser.get().base();
  PrepareUpstreamHeader(x, req.base());
  req.erase(http::field::transfer_encoding);
  beast::error_code ec;
  req.body().open(spool.body_path().c_str(), beast::file_mode::scan, ec);
  if (ec)
    co_return co_await SendText(x, http::status::internal_server_error,
                                "akgate-gateway: cannot reopen the spooled push: " + ec.message(), false);
  req.content_length(spool.body_bytes());  // the exact body, with a known length
  http::request_serializer<http::file_body> sr{req};
  co_await WriteMessage(*up, sr, x.upstream_idle(), x.deadline, &ec);  // timeout_s: silence, not size
  if (ec) co_return co_await SendBadGateway(x, "cannot send the push (" + ec.message() + ")");
  beast::flat_buffer up_buf;
  co_return co_await RelayResponse(x, *up, up_buf, notes);
}

}  // namespace akgate::gateway
