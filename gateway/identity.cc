#include "gateway/identity.h"

#include <arpa/inet.h>

#include <cstring>

namespace akgate::gateway {

namespace {

// Textual address -> 16 bytes (IPv4 as ::ffff:a.b.c.d).
bool ParseAddress(std::string_view text, std::array<uint8_t, 16>* out, bool* v4) {
  std::string s(text);
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out->fill(0);
    (*out)[10] = 0xff;
    (*out)[11] = 0xff;
    std::memcpy(out->data() + 12, &a4, 4);
    *v4 = true;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out->data(), &a6, 16);
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    *v4 = std::memcmp(out->data(), kMapped, 12) == 0;
    return true;
  }
  return false;
}

}  // namespace

bool PlausibleName(std::string_view v) {
  if (v.empty() || v.size() > 256) return false;
  for (unsigned char c : v)
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  return true;
}

Status ParseCidr(std::string_view text, Cidr* out) {
  Cidr c;
  c.text = std::string(text);
  size_t slash = text.find('/');
  bool v4 = false;
  if (!ParseAddress(text.substr(0, slash), &c.address, &v4))
    return Status::InvalidArgument("\"" + c.text + "\" is not an IP address or network (CIDR)");
  unsigned max_bits = v4 ? 32 : 128;
  unsigned bits = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view b = text.substr(slash + 1);
    if (b.empty() || b.size() > 3 || b.find_first_not_of("0123456789") != std::string_view::npos)
      return Status::InvalidArgument("\"" + c.text + "\": bad prefix length");
    bits = static_cast<unsigned>(std::stoul(std::string(b)));
    if (bits > max_bits)
      return Status::InvalidArgument("\"" + c.text + "\": prefix length over " + std::to_string(max_bits));
  }
  c.prefix_bits = v4 ? bits + 96 : bits;
  *out = std::move(c);
  return Status::Ok();
}

bool InCidr(const Cidr& net, std::string_view address) {
  std::array<uint8_t, 16> a{};
  bool v4 = false;
  if (!ParseAddress(address, &a, &v4)) return false;
  unsigned bits = net.prefix_bits;
  for (unsigned i = 0; i < 16 && bits > 0; ++i) {
    unsigned take = bits >= 8 ? 8 : bits;
    uint8_t mask = static_cast<uint8_t>(0xff << (8 - take));
    if ((a[i] & mask) != (net.address[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

Identity ResolvePusher(const IdentityConfig& config, std::string_view peer_address,
                       std::optional<std::string_view> header_value, std::string_view certificate_name) {
  Identity id;
  if (!config.any()) {
    id.problem =
        "this gateway has no identity source configured ([identity] in its configuration), so it "
        "cannot tell who is pushing";
    return id;
  }
  if (config.client_certificate && !certificate_name.empty()) {
    if (!PlausibleName(certificate_name)) {
      id.problem = "the client certificate's name is not a user name (printable, no spaces or quotes)";
      return id;
    }
    id.name = std::string(certificate_name);
    id.source = "client-certificate";
    return id;
  }
  if (!config.header.empty() && header_value) {
    bool trusted = false;
    for (const Cidr& c : config.trusted_proxies) trusted = trusted || InCidr(c, peer_address);
    if (!trusted) {
      id.problem = "the " + config.header + " header came from " + std::string(peer_address) +
                   ", which is not a trusted proxy ([identity] trusted_proxies)";
      return id;
    }
    if (!PlausibleName(*header_value)) {
      id.problem = "the " + config.header + " header does not hold a user name";
      return id;
    }
    id.name = std::string(*header_value);
    id.source = "header:" + config.header;
    return id;
  }
  id.problem = "the request carries no verified identity (";
  if (!config.header.empty()) id.problem += "no " + config.header + " header from a trusted proxy";
  if (!config.header.empty() && config.client_certificate) id.problem += ", ";
  if (config.client_certificate) id.problem += "no verified client certificate";
  id.problem += ")";
  return id;
}

}  // namespace akgate::gateway
