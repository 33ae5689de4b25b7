// The gateway's own answers to a client, routed or not (errors, health,
// "100 Continue"), and the body it will not use read and dropped.
#pragma once

#include <string>
#include <string_view>

#include "gateway/exchange.h"

namespace akgate::gateway {

// How much of a body the gateway reads and drops after refusing a request,
// so the client reads the refusal instead of a reset connection.
constexpr uint64_t kLingerBytes = 1 << 20;

// A short text response (errors, health); sets r.status. Returns whether
// the connection may be kept: `keep_alive`, and the client asked for it,
// and the gateway is not draining.
net::awaitable<bool> SendText(ClientRequest& r, http::status status, std::string text, bool keep_alive);

// 503 with Retry-After when limits.max_concurrent_pushes is reached: "too
// many pushes `what`"; sets r.note to "busy" and closes the connection.
net::awaitable<bool> SendBusy(ClientRequest& r, std::string_view what);

// Writes "100 Continue" when the client asked for it (and removes Expect
// from the header, which the gateway never forwards).
net::awaitable<beast::error_code> AnswerExpectContinue(ClientRequest& r);

// Reads and throws away the rest of a body the gateway will not use, so the
// client, still sending, reads the answer instead of a broken pipe. At most
// `budget` bytes; false if the body was longer or the client failed.
net::awaitable<bool> DrainBody(ClientRequest& r, uint64_t budget);

}  // namespace akgate::gateway
