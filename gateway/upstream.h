// The steps every proxied request is made of, whoever makes it (relay.cc,
// push_handler.cc, credential_check.cc, upstream_fetcher.cc): connect to
// the route's upstream, rewrite the client's header into the upstream's,
// and relay a response (or any body) from one stream to the other.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "gateway/exchange.h"

namespace akgate::gateway {

// Opens a connection to the route's upstream (TLS: peer and host name
// verified, SNI set), within [upstream] connect_timeout_s. On failure
// returns null and *error says why, in words for the client.
net::awaitable<std::unique_ptr<Stream>> ConnectUpstream(Exchange& x, std::string* error);

// Rewrites a client request header into the upstream's: target, Host,
// hop-by-hop headers removed, one request per upstream connection, the
// credentials (ApplyUpstreamCredentials). End-to-end headers (Content-Type,
// Git-Protocol, ...) pass through unchanged.
void PrepareUpstreamHeader(const Exchange& x, http::request_header<>& h);

// The credentials of a request to the upstream, whoever builds it: in
// pass-through mode the client's own Authorization (copied when `h` lacks
// it); in gateway-held mode the route's held credential, and the client's
// Authorization and Cookie removed.
void ApplyUpstreamCredentials(const Exchange& x, http::request_header<>& h);

// Hop-by-hop headers (RFC 9110 7.6.1, and those named in Connection) are the
// gateway's own business with each side: removed before a header is passed on.
void RemoveHopByHop(http::fields& f);

// Reads the upstream's response and streams it to the client as it comes,
// with no size limit of its own. Returns whether the client connection may be
// kept; sets x.status. `sideband_prefix` (side-band packets) goes in front of
// a successful receive-pack result: akgate's notes on an accepted push.
net::awaitable<bool> RelayResponse(Exchange& x, Stream& upstream, beast::flat_buffer& upstream_buffer,
                                   std::string_view sideband_prefix = {});

// 502 for an upstream that could not be reached or failed mid-exchange
// (logged and counted). Returns whether the connection may be kept: never.
net::awaitable<bool> SendBadGateway(Exchange& x, const std::string& why);

// The rest of a message read (header included, if not read yet), or a whole
// message written, with the timer re-armed for every read or write: `idle`
// bounds the peer's silence and `deadline` the request, never the message's
// size (a large push sent to, or an advertisement read from, an upstream that
// is slow but steady). Errors in *ec.
template <bool isRequest, class Body>
net::awaitable<void> ReadMessage(Stream& s, beast::flat_buffer& buf, http::parser<isRequest, Body>& p,
                                 std::chrono::seconds idle, Clock::time_point deadline, beast::error_code* ec) {
  while (!*ec && !p.is_done()) {
    s.ArmTimer(idle, deadline);
    co_await http::async_read_some(s, buf, p, Await(*ec));
  }
}
template <bool isRequest, class Body>
net::awaitable<void> WriteMessage(Stream& s, http::serializer<isRequest, Body>& sr, std::chrono::seconds idle,
                                  Clock::time_point deadline, beast::error_code* ec) {
  while (!*ec && !sr.is_done()) {
    s.ArmTimer(idle, deadline);
    co_await http::async_write_some(s, sr, Await(*ec));
  }
}

// Copies the body the parser `p` reads from `in` to `out` through `sr`, one
// 64 KiB chunk at a time (Beast's HTTP relay pattern), each read within
// `in_idle` and each write within `out_idle` of the last, all before
// `deadline`. Errors: *in_ec for the reading side, *out_ec for the writing
// side; *moved counts the body bytes read. Instantiated for requests
// (client -> upstream) and responses (upstream -> client).
template <bool isRequest>
net::awaitable<void> RelayBody(Stream& in, beast::flat_buffer& in_buf, http::parser<isRequest, http::buffer_body>& p,
                               std::chrono::seconds in_idle, Stream& out,
                               http::serializer<isRequest, http::buffer_body>& sr, std::chrono::seconds out_idle,
                               Clock::time_point deadline, uint64_t* moved, beast::error_code* in_ec,
                               beast::error_code* out_ec);

}  // namespace akgate::gateway
