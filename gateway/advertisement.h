// The receive-pack advertisement (GET info/refs?service=git-receive-pack):
// rewritten so the client sends a self-contained pack, and read for what the
// upstream accepts (push options).
//
// The gateway indexes a push without the upstream's objects, so a thin pack
// (deltas against objects the client assumes the server has) cannot be
// resolved. Advertising `no-thin` makes a conforming client send every delta
// base (gitprotocol-capabilities: "A client MUST NOT send a thin pack if the
// server advertises the 'no-thin' capability"). A pack that is still thin is
// rejected later (fail closed), so a rewrite failure is not a hole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace akgate::gateway {

// Adds `no-thin` to the capability list of the first ref line of a smart-HTTP
// receive-pack advertisement:
//
//   001f# service=git-receive-pack\n 0000 [000eversion 1\n]
//   <len><oid> <ref>\0<caps>\n ... 0000
//
// and recomputes that pkt-line's length; every other byte is copied as is.
// Already present: the input is returned unchanged. Fails, leaving *out
// untouched, when the body is not such an advertisement.
Status AddNoThin(std::string_view advertisement, std::string* out);

// The capabilities of the first ref line of the same advertisement
// ("report-status", "push-options", "agent=git/2.43", ...). Fails, leaving
// *out untouched, when the body is not such an advertisement.
//
//   std::vector<std::string> caps;
//   bool push_options = AdvertisedCapabilities(body, &caps).ok() &&
//                       std::find(caps.begin(), caps.end(), "push-options") != caps.end();
Status AdvertisedCapabilities(std::string_view advertisement, std::vector<std::string>* out);

}  // namespace akgate::gateway
