#include "gateway/body_decoder.h"

#include <zlib.h>

#include <cctype>
#include <string>

namespace akgate::gateway {

namespace {

class Identity : public BodyDecoder {
 public:
  Status Decode(std::string_view in, const Sink& sink) override {
    Received(in.size());
    return Emit(in, sink);
  }
  Status Finish() override { return Status::Ok(); }
};

class Inflate : public BodyDecoder {
 public:
  explicit Inflate(bool gzip) {
    z_ = {};
    // 16 + MAX_WBITS: gzip wrapper; MAX_WBITS: zlib wrapper (HTTP "deflate").
    ok_ = inflateInit2(&z_, gzip ? 16 + MAX_WBITS : MAX_WBITS) == Z_OK;
  }
  ~Inflate() override {
    if (ok_) inflateEnd(&z_);
  }
  Status Decode(std::string_view in, const Sink& sink) override {
    if (!ok_) return Status::Internal("cannot start decompressing the request body");
    if (ended_) return in.empty() ? Status::Ok() : Status::Corrupt("data after the end of the compressed body");
    Received(in.size());
    char out[64 * 1024];
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    while (z_.avail_in > 0 && !ended_) {
      z_.next_out = reinterpret_cast<Bytef*>(out);
      z_.avail_out = sizeof out;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        return Status::Corrupt(std::string("the compressed request body is corrupt: ") +
                               (z_.msg ? z_.msg : "zlib error"));
      size_t n = sizeof out - z_.avail_out;
      if (n) {
        AKGATE_RETURN_IF_ERROR(Emit(std::string_view(out, n), sink));
      }
      if (rc == Z_STREAM_END) ended_ = true;
      if (rc == Z_BUF_ERROR && n == 0) break;
    }
    // As when they come in a later piece: bytes after the stream's end.
    if (ended_ && z_.avail_in > 0) return Status::Corrupt("data after the end of the compressed body");
    return Status::Ok();
  }
  Status Finish() override {
    return ended_ ? Status::Ok() : Status::Corrupt("the compressed request body is truncated");
  }

 private:
  z_stream z_;
  bool ok_ = false;
  bool ended_ = false;
};

// Past this many decoded bytes the ratio is checked: a small body may expand
// a lot without costing anything.
constexpr uint64_t kRatioFreeBytes = 1 << 20;

}  // namespace

Status BodyDecoder::Emit(std::string_view piece, const Sink& sink) {
  decoded_ += piece.size();
  if (decoded_ > limits_.max_decoded) {
    limit_exceeded_ = true;
    return Status::ResourceExhausted("the push body decompresses to more than this gateway accepts (" +
                                     std::to_string(limits_.max_decoded) + " bytes, limits.max_push_bytes)");
  }
  if (limits_.max_ratio > 0 && decoded_ > kRatioFreeBytes && decoded_ / limits_.max_ratio > received_) {
    limit_exceeded_ = true;
    return Status::ResourceExhausted("the push body expands more than " + std::to_string(limits_.max_ratio) +
                                     " times when decompressed (" + std::to_string(received_) + " bytes to over " +
                                     std::to_string(decoded_) + "; limits.max_decompression_ratio)");
  }
  return sink(piece);
}

Status BodyDecoder::Create(std::string_view encoding, std::unique_ptr<BodyDecoder>* out, DecodeLimits limits) {
  std::string e;
  for (char c : encoding) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (e.empty() || e == "identity") {
    *out = std::make_unique<Identity>();
  } else if (e == "gzip" || e == "x-gzip") {
    *out = std::make_unique<Inflate>(true);
  } else if (e == "deflate") {
    *out = std::make_unique<Inflate>(false);
  } else {
    return Status::InvalidArgument("unsupported Content-Encoding \"" + std::string(encoding) + "\"");
  }
  (*out)->limits_ = limits;
  return Status::Ok();
}

}  // namespace akgate::gateway
