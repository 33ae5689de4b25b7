// Undoes a request's Content-Encoding so the push parser sees the protocol
// bytes. git does not compress push bodies, but other clients may gzip them;
// the gateway still forwards the body exactly as received.
//
// What is decoded is bounded, not only what is received: a 42 KB gzip body
// can hold 42 MB of pack. Over `max_decoded` bytes, or expanding more than
// `max_ratio` times (once past 1 MiB), decoding stops with an error and
// limit_exceeded() says it was a limit, not corruption.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string_view>

#include "engine/status.h"

namespace akgate::gateway {

struct DecodeLimits {
  uint64_t max_decoded = std::numeric_limits<uint64_t>::max();  // limits.max_push_bytes
  unsigned max_ratio = 0;                                       // limits.max_decompression_ratio; 0: none
};

class BodyDecoder {
 public:
  using Sink = std::function<Status(std::string_view)>;
  // `encoding`: "", "identity", "gzip", "x-gzip" or "deflate"; anything else fails.
  static Status Create(std::string_view encoding, std::unique_ptr<BodyDecoder>* out, DecodeLimits limits = {});
  virtual ~BodyDecoder() = default;
  // Decodes `in`, passing every decoded piece to `sink`.
  virtual Status Decode(std::string_view in, const Sink& sink) = 0;
  // The body ended: fails if the compressed stream did not.
  virtual Status Finish() = 0;

  // The last error was a limit (the message names it), not a corrupt body.
  bool limit_exceeded() const { return limit_exceeded_; }
  uint64_t decoded_bytes() const { return decoded_; }

 protected:
  // Counts `in` as received.
  void Received(size_t n) { received_ += n; }
  // Hands a decoded piece to `sink`, within the limits.
  Status Emit(std::string_view piece, const Sink& sink);

 private:
  DecodeLimits limits_;
  uint64_t received_ = 0;
  uint64_t decoded_ = 0;
  bool limit_exceeded_ = false;
};

}  // namespace akgate::gateway
