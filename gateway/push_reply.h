// What a push is answered, whoever decided it (push_handler.cc): forwarded
// to the upstream, or refused by the gateway itself. Each returns whether
// the client connection may be kept, and sets x.status and x.note for the
// access log.
#pragma once

#include <string>
#include <string_view>

#include "gateway/exchange.h"
#include "gateway/push_spool.h"
#include "gateway/receive_pack_request.h"
#include "gateway/report_status.h"

namespace akgate::gateway {

// The report-status (HTTP 200) that refuses every ref of `request`, with the
// report on side-band 2 when the client asked for side-band.
net::awaitable<bool> SendReport(Exchange& x, const ReceivePackRequest& request, const Rejection& rejection);

// A refusal before inspection (malformed, too large, thin pack): with the
// command list known, a report-status naming every ref (`unpack_status`
// "ok", or what was wrong with the pack); otherwise `fallback` with the
// message as text. Counted as refused.
net::awaitable<bool> Refuse(Exchange& x, const ReceivePackRequest& request, bool commands_known, http::status fallback,
                            const std::string& unpack_status, const std::string& message);

// 503 with Retry-After: limits.max_concurrent_pushes are in progress.
net::awaitable<bool> RefuseBusy(Exchange& x);

// 503: the push cannot be stored for inspection (temp_dir missing, full,
// not writable); `why` goes to the log, not to the pusher. With `drain`, the
// rest of the body is read and dropped first (limits.max_push_bytes at most).
net::awaitable<bool> RefuseUnstorable(Exchange& x, const Status& why, bool drain);

// Sends the spooled body upstream exactly as received, with a known
// Content-Length, and streams the answer back, with `notes` (side-band
// packets) in front of a successful result.
net::awaitable<bool> Forward(Exchange& x, const PushSpool& spool, std::string_view notes = {});

}  // namespace akgate::gateway
