#include "gateway/body_decoder.h"

#include <zlib.h>

#include <cctype>
#include <string>


namespace akgate::gateway {

namespace {

class Identity : public BodyDecoder {
 public:
  Status Decode(std::string_view in, const Sink& sink) override { return sink(in); }
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
    if (!ok_) return Status::Error("cannot start decompressing the request body");
    if (ended_) return in.empty() ? Status::Ok() : Status::Error("data after the end of the compressed body");
    char out[64 * 1024];
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    while (z_.avail_in > 0 && !ended_) {
      z_.next_out = reinterpret_cast<Bytef*>(out);
      z_.avail_out = sizeof out;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
        return Status::Error(std::string("the compressed request body is corrupt: ") + (z_.msg ? z_.msg : "zlib error"));
      size_t n = sizeof out - z_.avail_out;
      if (n) {
        Status s = sink(std::string_view(out, n));
        if (!s.ok()) return s;
      }
      if (rc == Z_STREAM_END) ended_ = true;
      if (rc == Z_BUF_ERROR && n == 0) break;
    }
    return Status::Ok();
  }
  Status Finish() override {
    return ended_ ? Status::Ok() : Status::Error("the compressed request body is truncated");
  }

 private:
  z_stream z_;
  bool ok_ = false;
  bool ended_ = false;
};

}  // namespace

Status BodyDecoder::Create(std::string_view encoding, std::unique_ptr<BodyDecoder>* out) {
  std::string e;
  for (char c : encoding) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (e.empty() || e == "identity") {
    *out = std::make_unique<Identity>();
  } else if (e == "gzip" || e == "x-gzip") {
    *out = std::make_unique<Inflate>(true);
  } else if (e == "deflate") {
    *out = std::make_unique<Inflate>(false);
  } else {
    return Status::Error("unsupported Content-Encoding \"" + std::string(encoding) + "\"");
  }
  return Status::Ok();
}

}  // namespace akgate::gateway
