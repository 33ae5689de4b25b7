// The request-target decoder (gateway/request_target.h) on an arbitrary
// target.
//
// Checks: what it accepts is a checked path (absolute, no '%', control
// character, backslash, "//", ';' or dot segment) and its kind agrees with
// the path; the canonical form the gateway sends upstream (the path
// re-encoded, the re-encoded query) reads back as the same request, so the
// upstream cannot decode its way to another service; and percent-encoding
// any bytes decodes back to them.
#include <string>

#include "fuzz_check.h"
#include "gateway/request_target.h"

namespace gw = akgate::gateway;

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = akgate_fuzz::AsText(data, size);

  // Any bytes, percent-encoded, decode back (but '/' when encoded: %2F is
  // refused by design, so only with keep_slash).
  std::string decoded;
  FUZZ_CHECK(gw::PercentDecode(gw::PercentEncode(in, true), false, &decoded).ok());
  FUZZ_CHECK(decoded == in);
  std::string encoded = gw::PercentEncode(in, false);
  FUZZ_CHECK(encoded.find_first_of("/?#&=;+ ") == std::string::npos);

  gw::RequestTarget t;
  akgate::Status s = gw::ParseRequestTarget(in, &t);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty());
    return 0;
  }
  FUZZ_CHECK(!t.path.empty() && t.path[0] == '/');
  for (unsigned char c : t.path) FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '%' && c != '\\' && c != ';');
  FUZZ_CHECK(t.path.find("//") == std::string::npos);
  FUZZ_CHECK(t.path.find("/./") == std::string::npos && t.path.find("/../") == std::string::npos);
  FUZZ_CHECK(!EndsWith(t.path, "/.") && !EndsWith(t.path, "/.."));
  using Kind = gw::RequestTarget::Kind;
  FUZZ_CHECK((t.kind == Kind::kReceivePack) == EndsWith(t.path, "/git-receive-pack"));
  if (t.kind == Kind::kReceivePackAdvertisement)
    FUZZ_CHECK(EndsWith(t.path, "/info/refs") && t.service == "git-receive-pack");

  // The canonical form reads back as the same request.
  std::string canonical = gw::PercentEncode(t.path, true);
  if (!t.query.empty()) canonical += "?" + t.query;
  gw::RequestTarget again;
  akgate::Status s2 = gw::ParseRequestTarget(canonical, &again);
  if (!s2.ok()) std::fprintf(stderr, "canonical \"%s\" refused: %s\n", canonical.c_str(), s2.message().c_str());
  FUZZ_CHECK(s2.ok());
  FUZZ_CHECK(again.path == t.path);
  FUZZ_CHECK(again.service == t.service);
  FUZZ_CHECK(again.query == t.query);
  FUZZ_CHECK(again.kind == t.kind);
  return 0;
}
