// Undoes a request's Content-Encoding so the push parser sees the protocol
// bytes. git does not compress push bodies, but other clients may gzip them;
// the gateway still forwards the body exactly as received.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "engine/status.h"

namespace akgate::gateway {

class BodyDecoder {
 public:
  using Sink = std::function<Status(std::string_view)>;
  // `encoding`: "", "identity", "gzip", "x-gzip" or "deflate"; anything else fails.
  static Status Create(std::string_view encoding, std::unique_ptr<BodyDecoder>* out);
  virtual ~BodyDecoder() = default;
  // Decodes `in`, passing every decoded piece to `sink`.
  virtual Status Decode(std::string_view in, const Sink& sink) = 0;
  // The body ended: fails if the compressed stream did not.
  virtual Status Finish() = 0;
};

}  // namespace akgate::gateway
