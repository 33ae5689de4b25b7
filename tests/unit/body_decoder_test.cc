// A compressed push body is bounded by what it decodes to, not by what is
// received (gateway/body_decoder.h): a gzip bomb stops early with a clear
// error, an ordinary compressed body passes.
#include "gateway/body_decoder.h"

#include <doctest/doctest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "tests/unit/gzip_helper.h"

using namespace akgate;
using namespace akgate::gateway;

namespace {

using akgate::testing::Gzip;

// Feeds `body` in 64 KiB pieces as the gateway does; returns the first error.
Status DecodeAll(BodyDecoder& d, const std::string& body, uint64_t* decoded) {
  for (size_t pos = 0; pos < body.size(); pos += 65536) {
    Status s = d.Decode(std::string_view(body).substr(pos, 65536), [decoded](std::string_view piece) {
      *decoded += piece.size();
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return d.Finish();
}

}  // namespace

TEST_CASE("a gzip bomb is stopped by the decoded size, long before it is expanded") {
  std::string bomb = Gzip(std::string(64u << 20, '0'));  // 64 MiB of zeros: about 64 KB compressed
  REQUIRE(bomb.size() < 200000);
  DecodeLimits limits;
  limits.max_decoded = 2u << 20;  // limits.max_push_bytes = 2 MiB
  std::unique_ptr<BodyDecoder> d;
  REQUIRE(BodyDecoder::Create("gzip", &d, limits).ok());
  uint64_t decoded = 0;
  Status s = DecodeAll(*d, bomb, &decoded);
  REQUIRE_FALSE(s.ok());
  CHECK(d->limit_exceeded());
  CHECK(s.message().find("limits.max_push_bytes") != std::string::npos);
  CHECK(decoded <= limits.max_decoded);  // nothing past the limit reached the parser
}

TEST_CASE("the expansion ratio of a compressed body is bounded") {
  std::string bomb = Gzip(std::string(8u << 20, 'a'));
  DecodeLimits limits;
  limits.max_ratio = 20;
  std::unique_ptr<BodyDecoder> d;
  REQUIRE(BodyDecoder::Create("gzip", &d, limits).ok());
  uint64_t decoded = 0;
  Status s = DecodeAll(*d, bomb, &decoded);
  REQUIRE_FALSE(s.ok());
  CHECK(d->limit_exceeded());
  CHECK(s.message().find("limits.max_decompression_ratio") != std::string::npos);
  CHECK(decoded <= (1u << 20) + 65536);  // stopped once past the ratio-free first MiB

  // Incompressible data (a pack is mostly deflated already) passes.
  std::mt19937 rng(7);
  std::string random(4u << 20, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  REQUIRE(BodyDecoder::Create("gzip", &d, limits).ok());
  decoded = 0;
  CHECK(DecodeAll(*d, Gzip(random), &decoded).ok());
  CHECK(decoded == random.size());
  CHECK_FALSE(d->limit_exceeded());
}

TEST_CASE("a corrupt body is not a limit") {
  std::unique_ptr<BodyDecoder> d;
  REQUIRE(BodyDecoder::Create("gzip", &d, DecodeLimits{}).ok());
  uint64_t decoded = 0;
  CHECK_FALSE(DecodeAll(*d, "not gzip at all", &decoded).ok());
  CHECK_FALSE(d->limit_exceeded());
}

TEST_CASE("data after the end of a gzip body is refused however the body is cut") {
  // Found by fuzz/body_decoder_fuzzer.cc (fuzz/corpus/body_decoder/crash-gzip-trailing):
  // bytes after the gzip stream were dropped without a word when they came
  // in the same read as its end, and refused when they came in a later one.
  const std::string body = Gzip("0000") + "trailing bytes";
  for (size_t cut : {body.size(), body.size() - 14, body.size() - 3}) {
    INFO("first piece: " << cut << " of " << body.size() << " bytes");
    std::unique_ptr<BodyDecoder> d;
    REQUIRE(BodyDecoder::Create("gzip", &d).ok());
    std::string out;
    auto sink = [&](std::string_view piece) {
      out.append(piece);
      return Status::Ok();
    };
    Status s = d->Decode(std::string_view(body).substr(0, cut), sink);
    if (s.ok()) s = d->Decode(std::string_view(body).substr(cut), sink);
    if (s.ok()) s = d->Finish();
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("data after the end of the compressed body") != std::string::npos);
    CHECK_FALSE(d->limit_exceeded());
  }
}
