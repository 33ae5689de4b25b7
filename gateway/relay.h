// Requests the gateway passes through without inspecting them.
#pragma once

#include "gateway/exchange.h"

namespace akgate::gateway {

// Fetch, clone and anything else under a route that is not a push: the
// request and the response stream through in 64 KiB pieces, with no size
// limit of the gateway's own. Returns whether the connection may be kept.
net::awaitable<bool> RelayRequest(Exchange& x);

// GET info/refs?service=git-receive-pack: the upstream's advertisement read
// whole (limits.max_advertisement_bytes, asked for uncompressed) and
// `no-thin` added to its capabilities, so the client sends a pack the gateway
// can index on its own (advertisement.h). Other answers (401) pass as they are.
net::awaitable<bool> RelayAdvertisement(Exchange& x);

}  // namespace akgate::gateway
