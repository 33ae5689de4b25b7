// A push body as it arrives, before anything is decided: every byte spooled
// exactly as sent (what is forwarded if the push is clean), the bytes
// decoded (Content-Encoding) and parsed as they stream (commands, push
// options), and the pack handed to the indexer, all within the limits.
// Knows no sockets: the push handler reads the body and hands each piece
// here, so every limit and error path can be tested with bytes.
//
//   std::unique_ptr<PushIntake> in;
//   Status s = PushIntake::Create(config.temp_dir, content_encoding, limits, &in);
//   for each piece read:  s = in->Take(piece);  stop on error
//   at the end of the body:  s = in->Finish();
//   in->request().commands, in->spool() ...
//
// Errors (the Status names what was wrong; the first one sticks):
//   too_large()              more than max_push_bytes received
//   decode_limit_exceeded()  the body expands beyond max_push_bytes or the ratio
//   spool_failed()           the body could not be written (disk full, ...)
//   otherwise                a malformed body (pack_error(): in the pack, after
//                            a complete command list)
// The spool (its directory and every file in it) is removed when the
// PushIntake is destroyed, however the push ended.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "gateway/body_decoder.h"
#include "gateway/push_spool.h"
#include "gateway/receive_pack_request.h"

namespace akgate::gateway {

class PushIntake {
 public:
  struct Limits {
    uint64_t max_push_bytes = 0;           // received, and decoded (limits.max_push_bytes)
    unsigned max_decompression_ratio = 0;  // limits.max_decompression_ratio
  };
  // Fails with kInvalidArgument for an unsupported Content-Encoding (nothing
  // created), with kIoError when the spool cannot be created under `temp_dir`.
  static Status Create(const std::string& temp_dir, std::string_view content_encoding, Limits limits,
                       std::unique_ptr<PushIntake>* out);
  PushIntake(const PushIntake&) = delete;
  PushIntake& operator=(const PushIntake&) = delete;

  // The next piece of the body as received.
  Status Take(std::string_view received);
  // The body ended (only after every Take succeeded): the compressed stream
  // and the request must be complete.
  Status Finish();

  uint64_t received_bytes() const { return received_; }
  uint64_t decoded_bytes() const { return decoder_->decoded_bytes(); }
  bool too_large() const { return too_large_; }
  bool decode_limit_exceeded() const { return decoder_->limit_exceeded(); }
  bool spool_failed() const { return spool_failed_; }
  // The error came from the pack (after a complete command list), not from
  // the commands: git reads it as the unpack status.
  bool pack_error() const {
    return !status_.ok() && !too_large_ && !spool_failed_ && parser_.commands_complete() && request().has_pack;
  }
  bool commands_complete() const { return parser_.commands_complete(); }
  const ReceivePackRequest& request() const { return parser_.request(); }
  PushSpool& spool() { return *spool_; }
  const PushSpool& spool() const { return *spool_; }

 private:
  PushIntake(std::unique_ptr<BodyDecoder> decoder, std::unique_ptr<PushSpool> spool, uint64_t max_push_bytes);
  Status Fail(Status s);

  std::unique_ptr<BodyDecoder> decoder_;
  std::unique_ptr<PushSpool> spool_;  // before parser_: the parser's sink writes into it
  ReceivePackParser parser_;
  uint64_t max_push_bytes_;
  uint64_t received_ = 0;
  bool too_large_ = false;
  bool spool_failed_ = false;
  Status status_;
};

// "12.3 MiB", for the limits in messages.
std::string MiB(uint64_t bytes);

}  // namespace akgate::gateway
