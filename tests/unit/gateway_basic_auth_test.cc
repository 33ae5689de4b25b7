// HTTP Basic credentials (gateway/basic_auth.h) as a hostile client sends
// them: what is parsed, what is refused, and that refusing never crashes or
// takes long, whatever the size.
#include <doctest/doctest.h>

#include <string>

#include "gateway/basic_auth.h"

using namespace akgate::gateway;

namespace {

// "Basic " + base64 of exactly `plain`.
std::string Header(const std::string& plain) {
  size_t colon = plain.find(':');
  REQUIRE(colon != std::string::npos);
  return EncodeBasicAuth(plain.substr(0, colon), plain.substr(colon + 1));
}

bool Parses(const std::string& header, std::string* user = nullptr, std::string* password = nullptr) {
  BasicCredentials c;
  bool ok = ParseBasicAuth(header, &c);
  if (user) *user = c.user;
  if (password) *password = c.password;
  return ok;
}

}  // namespace

TEST_CASE("Basic auth: the scheme in any case, spaces before the credentials, a password that holds ':'") {
  std::string user, password;
  REQUIRE(Parses("BASIC YWxpY2U6czNjcmV0", &user, &password));
  CHECK(user == "alice");
  CHECK(password == "s3cret");
  REQUIRE(Parses("bAsIc    YWxpY2U6czNjcmV0", &user));
  CHECK(user == "alice");
  REQUIRE(Parses(Header("bob:a:b:c"), &user, &password));
  CHECK(user == "bob");
  CHECK(password == "a:b:c");
  REQUIRE(Parses(Header("carol:"), &user, &password));  // an empty password (a token as the user name)
  CHECK(user == "carol");
  CHECK(password.empty());
  // Unpadded base64 is accepted too ("YWxpY2U6eA" is "alice:x").
  REQUIRE(Parses("Basic YWxpY2U6eA", &user, &password));
  CHECK(password == "x");
}

TEST_CASE("Basic auth: another scheme, or no credentials after the scheme, is not Basic") {
  for (const char* h : {"", "Basic", "Basic ", "Basic    ", "Bearer YWxpY2U6czNjcmV0", "BasicYWxpY2U6czNjcmV0",
                        "Basi YWxpY2U6czNjcmV0", "Digest username=\"alice\""}) {
    CAPTURE(h);
    CHECK_FALSE(Parses(h));
  }
}

TEST_CASE("Basic auth: malformed base64 is refused, not half-decoded") {
  for (const char* h : {"Basic !!!!", "Basic YWxp Y2U6czNjcmV0", "Basic YWxpY2U6czNjcmV0\t", "Basic YWxpY2U6czNjcmV0 ",
                        "Basic YWxpY2U6czNjcmV0=garbage",  // data after the padding
                        "Basic YWxpY2U6eA===",             // three padding characters
                        "Basic YWxpY2U6eA=A=",             // padding in the middle
                        "Basic YWxpY2U6czNjcmV0X",         // a dangling character is not a byte
                        "Basic YWxpY2U6czNjcmV0\xff", "Basic YWxp-2U6czNjcmV0", "Basic YWxp_2U6czNjcmV0"}) {
    CAPTURE(h);
    CHECK_FALSE(Parses(h));
  }
}

TEST_CASE("Basic auth: a missing colon is refused; an empty user name parses and names nobody") {
  CHECK_FALSE(Parses("Basic bm9jb2xvbg=="));  // "nocolon"
  // Azure DevOps and others send ":<token>": the upstream judges it; the log
  // shows no name, and no users file holds "".
  std::string user, password;
  REQUIRE(Parses(Header(":pat-token"), &user, &password));
  CHECK(user.empty());
  CHECK(password == "pat-token");
  CHECK(BasicAuthUser(Header(":pat-token")).empty());
  CHECK(BasicAuthUser(Header("dave:pw")) == "dave");
  CHECK(BasicAuthUser("Bearer abc").empty());
}

TEST_CASE("Basic auth: a user name with control characters or over 256 bytes is refused") {
  CHECK_FALSE(Parses(Header("a\nb:x")));
  CHECK_FALSE(Parses(Header("a\rb:x")));
  CHECK_FALSE(Parses(Header(std::string("a\0b", 3) + ":x")));
  CHECK_FALSE(Parses(Header("a\x7f:x")));
  CHECK(Parses(Header(std::string(256, 'u') + ":x")));
  CHECK_FALSE(Parses(Header(std::string(257, 'u') + ":x")));
}

TEST_CASE("Basic auth: a huge header is parsed or refused whole, with its user name bounded") {
  // A 1 MiB password (the header limit stops this long before, but the
  // parser must not depend on it).
  std::string user, password;
  REQUIRE(Parses(Header("eve:" + std::string(1 << 20, 'p')), &user, &password));
  CHECK(user == "eve");
  CHECK(password.size() == size_t{1} << 20);
  CHECK_FALSE(Parses(Header(std::string(1 << 20, 'u') + ":x")));
  CHECK_FALSE(Parses("Basic " + std::string(1 << 20, '!')));
  CHECK_FALSE(Parses("Basic " + std::string(1 << 20, 'A') + "="));  // no colon in a megabyte of zero bytes
}
