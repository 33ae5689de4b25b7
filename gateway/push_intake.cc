#include "gateway/push_intake.h"

#include <cstdio>

namespace akgate::gateway {

std::string MiB(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / 1048576.0);
  return buf;
}

Status PushIntake::Create(const std::string& temp_dir, std::string_view content_encoding, Limits limits,
                          std::unique_ptr<PushIntake>* out) {
  DecodeLimits decode_limits;
  decode_limits.max_decoded = limits.max_push_bytes;
  decode_limits.max_ratio = limits.max_decompression_ratio;
  std::unique_ptr<BodyDecoder> decoder;
  AKGATE_RETURN_IF_ERROR(BodyDecoder::Create(content_encoding, &decoder, decode_limits));
  std::unique_ptr<PushSpool> spool;
  AKGATE_RETURN_IF_ERROR(PushSpool::Create(temp_dir, &spool));
  out->reset(new PushIntake(std::move(decoder), std::move(spool), limits.max_push_bytes));
  return Status::Ok();
}

PushIntake::PushIntake(std::unique_ptr<BodyDecoder> decoder, std::unique_ptr<PushSpool> spool, uint64_t max_push_bytes)
    : decoder_(std::move(decoder)),
      spool_(std::move(spool)),
      parser_([sp = spool_.get()](std::string_view pack) { return sp->AppendPack(pack); }),
      max_push_bytes_(max_push_bytes) {}

Status PushIntake::Fail(Status s) {
  if (status_.ok()) status_ = std::move(s);
  return status_;
}

Status PushIntake::Take(std::string_view received) {
  if (!status_.ok()) return status_;
  received_ += received.size();
  if (received_ > max_push_bytes_) {
    too_large_ = true;
    return Fail(Status::ResourceExhausted("the push is larger than this gateway accepts (" + MiB(max_push_bytes_) +
                                          ", limits.max_push_bytes)"));
  }
  if (Status s = spool_->AppendBody(received); !s.ok()) {
    spool_failed_ = true;
    return Fail(std::move(s));
  }
  if (Status s = decoder_->Decode(received, [this](std::string_view d) { return parser_.Feed(d); }); !s.ok())
    return Fail(std::move(s));
  return Status::Ok();
}

Status PushIntake::Finish() {
  if (!status_.ok()) return status_;
  if (Status s = decoder_->Finish(); !s.ok()) return Fail(std::move(s));
  if (Status s = parser_.Finish(); !s.ok()) return Fail(std::move(s));
  return Status::Ok();
}

}  // namespace akgate::gateway
