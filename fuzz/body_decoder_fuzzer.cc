// The request-body decoder (gateway/body_decoder.h): gzip, deflate and
// identity bodies, whole and in pieces, with and without limits.
//
// Input: a control byte, then the body. Control bits 0-1 pick the encoding
// (identity, gzip, deflate, "X-GZIP"); bit 2 sets a small decoded-size limit;
// bit 3 reads the body as plain text to compress here first (a round trip).
//
// Checks: fed whole or in pieces, the same verdict and the same decoded
// bytes; identity decodes to the body itself; a body compressed here
// decodes back to exactly what was compressed; nothing past the limit
// reaches the sink, and a limit error says so.
#include <zlib.h>

#include <memory>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "gateway/body_decoder.h"

namespace gw = akgate::gateway;

namespace {

struct Outcome {
  bool ok = false;
  bool limit = false;
  std::string out;
  std::string message;
};

Outcome Decode(std::string_view encoding, gw::DecodeLimits limits, const std::vector<std::string_view>& pieces) {
  Outcome o;
  std::unique_ptr<gw::BodyDecoder> d;
  FUZZ_CHECK(gw::BodyDecoder::Create(encoding, &d, limits).ok());
  auto sink = [&](std::string_view piece) {
    o.out.append(piece);
    return akgate::Status::Ok();
  };
  akgate::Status s = akgate::Status::Ok();
  for (std::string_view piece : pieces) {
    s = d->Decode(piece, sink);
    if (!s.ok()) break;
  }
  if (s.ok()) s = d->Finish();
  o.ok = s.ok();
  o.limit = d->limit_exceeded();
  o.message = s.message();
  FUZZ_CHECK(d->decoded_bytes() >= o.out.size());
  return o;
}

// `plain` compressed as gzip (windowBits 31) or zlib (15).
std::string Compress(std::string_view plain, bool gzip) {
  z_stream z{};
  FUZZ_CHECK(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, plain.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* kEncodings[] = {"identity", "gzip", "deflate", "X-GZIP"};
  unsigned control = data[0];
  std::string_view encoding = kEncodings[control & 3];
  bool identity = (control & 3) == 0;
  gw::DecodeLimits limits;
  if (control & 4) limits.max_decoded = 100;
  std::string body(akgate_fuzz::AsText(data + 1, size - 1));
  std::string plain;
  bool round_trip = (control & 8) && !identity;
  if (round_trip) {
    plain = body;
    body = Compress(plain, (control & 3) != 2);
  }

  Outcome whole = Decode(encoding, limits, {body});
  Outcome split = Decode(encoding, limits, akgate_fuzz::Chunks(body));
  // The same verdict. (Not always the same reason: a body both over the
  // limit and corrupt further on is refused for whichever comes first in
  // what the decoder hands on, and a piece that ends in corruption is not
  // handed on; either way the body is refused.)
  FUZZ_CHECK(whole.ok == split.ok);
  if (whole.ok) FUZZ_CHECK(whole.out == split.out);
  if (whole.ok) FUZZ_CHECK(!whole.limit && !split.limit);

  for (const Outcome* o : {&whole, &split}) {
    FUZZ_CHECK(o->out.size() <= limits.max_decoded);
    if (o->limit) FUZZ_CHECK(!o->ok && o->message.find("limits.") != std::string::npos);
    if (!o->ok) FUZZ_CHECK(!o->message.empty());
  }
  bool fits = (round_trip ? plain.size() : body.size()) <= limits.max_decoded;
  if (identity) {
    FUZZ_CHECK(whole.ok == fits);
    if (fits) FUZZ_CHECK(whole.out == body);
  }
  if (round_trip) {
    FUZZ_CHECK(whole.ok == fits);
    if (fits) FUZZ_CHECK(whole.out == plain);
  }
  return 0;
}
