// The receive-pack result the gateway writes itself when it refuses a push
// (gitprotocol-pack, "Report Status"; send-pack's side of it decides what the
// developer sees).
//
//   without side-band-64k:   unpack <status>\n  ng <ref> <reason>\n ...  0000
//   with side-band-64k:      band 2: the human report, one packet per line
//                            (git prints each as "remote: <line>")
//                            band 1: the report above, flush included
//                            0000
//
// report-status-v2 reads `ng` lines exactly like v1 (v2 only adds `option`
// lines after `ok`), so one encoder serves both. Every command is answered,
// in the client's order; an `ng` per ref is what makes git print
// "! [remote rejected] <ref> (<reason>)" and exit non-zero. The response is
// sent with HTTP 200: git shows a 4xx/5xx only as "RPC failed".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/receive_pack_request.h"

namespace akgate::gateway {

struct Rejection {
  std::string unpack_status = "ok";  // "ok", or why the pack could not be read
  std::string reason;                // short, one line: the `ng` reason for every ref
  std::string human_report;          // multi-line text for band 2 (may be empty)
};

// The response body for `request` (its capabilities pick the framing).
std::string EncodeRejection(const ReceivePackRequest& request, const Rejection& rejection);

// `text` as side-band band-2 packets, one per line (long lines split). For
// an accepted push these go in front of the upstream's own response, so the
// developer sees akgate's notes (warnings, a bypass) as `remote:` lines.
std::string SidebandMessages(std::string_view text);

}  // namespace akgate::gateway
