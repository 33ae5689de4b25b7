// Who is pushing, as far as the gateway can vouch for it.
//
// Two modes ([identity] mode):
//
//   - "pass-through" (the default): developers use their own upstream
//     credentials, which pass through; the upstream judges them. Names come
//     only from the sources below.
//   - "gateway-held": developers sign in to the gateway (a users file of
//     names and token hashes, users_file.h; or one of the sources below), and
//     the gateway sends each route's own upstream credential instead of
//     theirs, so it is the only way to write upstream. The name signed in
//     with is the pusher's.
//
// The user name in a Basic Authorization header is whatever the client typed:
// hosted upstreams accept any name with a token, so it proves nothing and the
// gateway never grants a right by it. A pusher has a name only from a source
// the operator configured ([identity] in gateway.toml):
//
//   - a header set by an authenticating reverse proxy (`header`), believed
//     only on connections from `trusted_proxies` (CIDRs); from anywhere else
//     the header is ignored, whoever set it;
//   - the subject (CN) of a TLS client certificate the listener verified
//     against its `client_ca` (`client_certificate = true`).
//
//   IdentityConfig ic;  ic.header = "X-Remote-User";
//   ParseCidr("10.0.0.0/8", &cidr);  ic.trusted_proxies.push_back(cidr);
//   Identity id = ResolvePusher(ic, "10.1.2.3", "alice", "");
//   // id.name == "alice", id.source == "header:X-Remote-User"
//
// With no source configured, or none that applies to a request, the pusher
// has no name: rights the policy grants by name (bypass who, allow who) are
// not given, and the pusher is told why.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "gateway/users_file.h"

namespace akgate::gateway {

// An IPv4 or IPv6 network ("10.0.0.0/8", "::1/128", a bare address = one host).
struct Cidr {
  std::array<uint8_t, 16> address{};  // IPv4 as IPv4-mapped IPv6
  unsigned prefix_bits = 128;
  std::string text;  // as configured
};
Status ParseCidr(std::string_view text, Cidr* out);
// Is `address` (textual IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4) in `net`?
bool InCidr(const Cidr& net, std::string_view address);

struct IdentityConfig {
  enum class Mode { kPassThrough, kGatewayHeld };
  Mode mode = Mode::kPassThrough;
  std::string header;                 // e.g. "X-Remote-User"; "" = none
  std::vector<Cidr> trusted_proxies;  // where `header` is believed from
  bool client_certificate = false;    // the verified client certificate's CN
  std::string users_file;             // gateway-held: names and token hashes
  UsersFile users;                    // its contents, once loaded (LoadConfig)
  bool gateway_held() const { return mode == Mode::kGatewayHeld; }
  // A source of names besides the users file (a trusted header, certificates).
  bool any() const { return !header.empty() || client_certificate; }
};

// Printable ASCII, no spaces, quotes or backslashes, at most 256 bytes: a
// name that cannot confuse a log line or an audit record.
bool PlausibleName(std::string_view name);

struct Identity {
  std::string name;     // "" = no verified name
  std::string source;   // "header:X-Remote-User", "client-certificate"; "" with no name
  std::string problem;  // why there is no name (for the pusher and the log)
};

// `header_value`: the configured header's value (nullopt when absent);
// `certificate_name`: the CN of a client certificate the TLS layer verified
// ("" = none).
Identity ResolvePusher(const IdentityConfig& config, std::string_view peer_address,
                       std::optional<std::string_view> header_value, std::string_view certificate_name);

}  // namespace akgate::gateway
