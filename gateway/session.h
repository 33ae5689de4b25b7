// One client connection, from the TLS handshake to the close.
#pragma once

#include "gateway/exchange.h"

namespace akgate::gateway {

// Serves requests on `socket` (TLS when `tls` is set) until the client
// closes, a request leaves the connection unusable, or the gateway drains.
// Each request: its header read within limits.max_header_bytes, routed
// (router.h), signed in where gateway-held, handled, logged.
net::awaitable<void> RunSession(GatewayContext& gw, tcp::socket socket, ssl::context* tls);

}  // namespace akgate::gateway
