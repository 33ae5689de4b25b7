// Who the gateway believes is pushing (gateway/identity.h): never the Basic
// user name; a proxy's header only from a trusted address; a verified client
// certificate's name.
#include "gateway/identity.h"

#include <doctest/doctest.h>

#include "gateway/config.h"

using namespace akgate;
using namespace akgate::gateway;

namespace {

Cidr Net(const char* text) {
  Cidr c;
  Status s = ParseCidr(text, &c);
  INFO(text << ": " << s.message());
  REQUIRE(s.ok());
  return c;
}

}  // namespace

TEST_CASE("identity: CIDRs, IPv4 and IPv6") {
  CHECK(InCidr(Net("10.0.0.0/8"), "10.200.1.2"));
  CHECK_FALSE(InCidr(Net("10.0.0.0/8"), "11.0.0.1"));
  CHECK(InCidr(Net("127.0.0.1"), "127.0.0.1"));
  CHECK_FALSE(InCidr(Net("127.0.0.1"), "127.0.0.2"));
  CHECK(InCidr(Net("192.168.4.0/22"), "192.168.7.255"));
  CHECK_FALSE(InCidr(Net("192.168.4.0/22"), "192.168.8.0"));
  CHECK(InCidr(Net("10.0.0.0/8"), "::ffff:10.1.1.1"));  // IPv4-mapped, as a dual-stack socket reports it
  CHECK(InCidr(Net("fd00::/8"), "fd12::1"));
  CHECK_FALSE(InCidr(Net("fd00::/8"), "fe80::1"));
  CHECK(InCidr(Net("0.0.0.0/0"), "8.8.8.8"));
  CHECK_FALSE(InCidr(Net("0.0.0.0/0"), "2001:db8::1"));  // an IPv4 network holds no IPv6 address
  CHECK_FALSE(InCidr(Net("10.0.0.0/8"), "not an address"));
  Cidr c;
  CHECK_FALSE(ParseCidr("10.0.0.0/33", &c).ok());
  CHECK_FALSE(ParseCidr("10.0.0/8", &c).ok());
  CHECK_FALSE(ParseCidr("example.com", &c).ok());
  CHECK_FALSE(ParseCidr("10.0.0.0/", &c).ok());
}

TEST_CASE("identity: no source configured, no name, and the reason says so") {
  IdentityConfig none;
  Identity id = ResolvePusher(none, "127.0.0.1", "alice", "");
  CHECK(id.name.empty());
  CHECK(id.problem.find("no identity source") != std::string::npos);
}

TEST_CASE("identity: a proxy's header is believed only from a trusted address") {
  IdentityConfig ic;
  ic.header = "X-Remote-User";
  ic.trusted_proxies.push_back(Net("10.0.0.0/8"));
  Identity id = ResolvePusher(ic, "10.1.2.3", "alice", "");
  CHECK(id.name == "alice");
  CHECK(id.source == "header:X-Remote-User");
  id = ResolvePusher(ic, "192.0.2.7", "alice", "");
  CHECK(id.name.empty());
  CHECK(id.problem.find("not a trusted proxy") != std::string::npos);
  id = ResolvePusher(ic, "10.1.2.3", std::nullopt, "");
  CHECK(id.name.empty());
  CHECK(id.problem.find("no X-Remote-User header") != std::string::npos);
  id = ResolvePusher(ic, "10.1.2.3", "alice\"; admin", "");
  CHECK(id.name.empty());
  id = ResolvePusher(ic, "10.1.2.3", "", "");
  CHECK(id.name.empty());
}

TEST_CASE("identity: a verified client certificate names the pusher") {
  IdentityConfig ic;
  ic.client_certificate = true;
  Identity id = ResolvePusher(ic, "192.0.2.7", std::nullopt, "carol");
  CHECK(id.name == "carol");
  CHECK(id.source == "client-certificate");
  id = ResolvePusher(ic, "192.0.2.7", "mallory", "");  // no header source configured: ignored
  CHECK(id.name.empty());
  CHECK(id.problem.find("no verified client certificate") != std::string::npos);
}

TEST_CASE("identity: configuration") {
  Config c;
  Status s = ParseConfig(R"(
[[server.listen]]
port = 8443
tls_cert = "/x.pem"
tls_key = "/x.key"
client_ca = "/ca.pem"
[[route]]
prefix = "/g/"
upstream = "https://github.com/"
[identity]
header = "X-Remote-User"
trusted_proxies = ["10.0.0.0/8", "::1"]
client_certificate = true
)",
                         "t.toml", &c);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(c.identity.header == "X-Remote-User");
  REQUIRE(c.identity.trusted_proxies.size() == 2);
  CHECK(c.identity.client_certificate);
  CHECK(c.listeners[0].client_ca == "/ca.pem");

  s = ParseConfig(
      "[[server.listen]]\nport = 1\n[[route]]\nprefix = \"/g/\"\nupstream = \"https://g/\"\n"
      "[identity]\nheader = \"X-Remote-User\"\n",
      "t.toml", &c);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("trusted_proxies") != std::string::npos);
  s = ParseConfig(
      "[[server.listen]]\nport = 1\n[[route]]\nprefix = \"/g/\"\nupstream = \"https://g/\"\n"
      "[identity]\nheader = \"X-Remote-User\"\ntrusted_proxies = [\"10.0.0.0/99\"]\n",
      "t.toml", &c);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("prefix length") != std::string::npos);
  s = ParseConfig(
      "[[server.listen]]\nport = 1\n[[route]]\nprefix = \"/g/\"\nupstream = \"https://g/\"\n"
      "[identity]\nclient_certificate = true\n",
      "t.toml", &c);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("client_ca") != std::string::npos);
}
