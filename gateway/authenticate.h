// Gateway-held mode: every routed request signs in to the gateway first.
#pragma once

#include "gateway/exchange.h"

namespace akgate::gateway {

// Signs the request in (x.user, x.user_source) and returns true; or answers
// 401 with a Basic challenge, logs and counts the failure, sets *keep (may
// the connection be kept) and returns false. Reads no body before it has
// decided.
net::awaitable<bool> Authenticate(Exchange& x, bool* keep);

}  // namespace akgate::gateway
