// The client side of a protocol v2 `fetch` (gitprotocol-v2), as much of it
// as the gateway needs to read earlier versions of files from the upstream
// (upstream_fetcher.h): one request that names the objects and says `done`,
// and the response's pack.
//
//   std::string body = FetchRequestBody(wants);   // POST .../git-upload-pack
//   FetchResponseParser p([&](std::string_view pack) { return writer.Append(pack); });
//   p.Feed(chunk) ... ; Status s = p.Finish();
//
// Request: commits come without history (`deepen 1`); commits and trees come
// without blobs (`filter blob:none`); blobs are asked for on their own, with
// no filter. No `have` lines: the gateway has nothing, and asks for little.
//
// Response: sections (`shallow-info`, `acknowledgments`, ... skipped) and
// then `packfile`, whose packets are side-band: band 1 pack data, band 2
// progress (ignored), band 3 a fatal error. `ERR` packets anywhere are
// errors. Hostile or broken input gives an error naming what was wrong, with
// bounded memory (one pkt-line).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "gateway/pkt_line.h"
#include "git/object_fetcher.h"

namespace akgate::gateway {

// What the upstream's upload-pack says it serves, from
// GET info/refs?service=git-upload-pack with Git-Protocol: version=2.
struct FetchCapabilities {
  bool v2 = false;       // "version 2" (else a protocol v0 advertisement)
  bool fetch = false;    // the fetch command
  bool shallow = false;  // fetch=... shallow (deepen)
  bool filter = false;   // fetch=... filter (uploadpack.allowFilter)
};
// Fails only on a malformed advertisement; a v0 one gives v2 = false.
Status ParseFetchCapabilities(std::string_view advertisement, FetchCapabilities* out);
// Whether `wants` can be fetched from such an upstream; if not, says why.
Status CheckFetchCapabilities(const FetchCapabilities& caps, const FetchWants& wants);

std::string FetchRequestBody(const FetchWants& wants);

class FetchResponseParser {
 public:
  using PackSink = std::function<Status(std::string_view)>;
  explicit FetchResponseParser(PackSink sink) : sink_(std::move(sink)) {}

  Status Feed(std::string_view bytes);
  // The response is over: it must have ended with the pack's flush.
  Status Finish();
  uint64_t pack_bytes() const { return pack_bytes_; }

 private:
  enum class State { kSectionHeader, kSkipSection, kPackfile, kDone };
  Status Fail(std::string message);
  PackSink sink_;
  PktReader reader_;
  State state_ = State::kSectionHeader;
  uint64_t pack_bytes_ = 0;
  std::string error_;
};

}  // namespace akgate::gateway
