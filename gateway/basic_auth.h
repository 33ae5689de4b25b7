// HTTP Basic credentials (RFC 7617): `Authorization: Basic base64(user:password)`.
//
//   BasicCredentials c;
//   if (ParseBasicAuth("Basic YWxpY2U6czNjcmV0", &c)) { c.user == "alice"; c.password == "s3cret"; }
//   EncodeBasicAuth("bot", "token") == "Basic Ym90OnRva2Vu"
//
// The password is wiped from memory when a BasicCredentials goes away.
#pragma once

#include <string>
#include <string_view>

namespace akgate::gateway {

struct BasicCredentials {
  std::string user;
  std::string password;
  BasicCredentials() = default;
  BasicCredentials(const BasicCredentials&) = delete;
  BasicCredentials& operator=(const BasicCredentials&) = delete;
  ~BasicCredentials();
};

// False when `authorization` is not "Basic <base64 of user:password>" (the
// scheme in any case; base64 as RFC 4648 writes it, padded or not), or the
// user name holds a control character or is over 256 bytes. An empty user
// name parses (":token" is how some hosts take a token).
bool ParseBasicAuth(std::string_view authorization, BasicCredentials* out);

// The user name of a Basic Authorization header ("" if none or malformed),
// for logs. The password is never decoded into anything that outlives this call.
std::string BasicAuthUser(std::string_view authorization);

// "Basic " + base64(user ":" password).
std::string EncodeBasicAuth(std::string_view user, std::string_view password);

}  // namespace akgate::gateway
