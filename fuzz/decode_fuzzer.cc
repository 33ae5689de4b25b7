// Stage 4's decoders (engine/decode.h): base64 and the decoded regions built
// around trigger hits, on arbitrary text.
//
// Checks: base64 decoding is the inverse of encoding (standard and URL-safe
// alphabets, with and without padding); what decodes re-encodes to the
// same token; a decoded region is its stretch of the fragment with some
// tokens replaced by their decoded text, so putting the tokens back gives
// the fragment's bytes exactly, and every offset in the copy maps back
// inside the region; the decoding budget is never overspent.
#include <string>
#include <vector>

#include "engine/decode.h"
#include "fuzz_check.h"

namespace {

std::string Encode(std::string_view in, bool url, bool pad) {
  const char* abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<unsigned char>(in[i])} << 16) |
                 (uint32_t{static_cast<unsigned char>(in[i + 1])} << 8) | static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += abc[(v >> s) & 63];
  }
  size_t rest = in.size() - i;
  if (rest) {
    uint32_t v = uint32_t{static_cast<unsigned char>(in[i])} << 16;
    if (rest == 2) v |= uint32_t{static_cast<unsigned char>(in[i + 1])} << 8;
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    if (rest == 2) out += abc[(v >> 6) & 63];
    if (pad) out.append(3 - rest, '=');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = akgate_fuzz::AsText(data, size);

  // Encoding, then decoding, gives the bytes back.
  for (bool url : {false, true})
    for (bool pad : {false, true}) {
      std::string back;
      FUZZ_CHECK(akgate::DecodeBase64(Encode(in, url, pad), &back));
      FUZZ_CHECK(back == in);
    }

  // What decodes is what its re-encoding decodes to.
  std::string decoded;
  if (akgate::DecodeBase64(in, &decoded)) {
    std::string_view token = in;
    while (!token.empty() && token.back() == '=') token.remove_suffix(1);
    FUZZ_CHECK(decoded.size() == token.size() * 3 / 4);
    std::string again;
    FUZZ_CHECK(akgate::DecodeBase64(Encode(decoded, false, true), &again) && again == decoded);
  }

  // Regions around triggers: the end of every "TFRB" (base64 of "LTA") and
  // of every line, as the literal index would report them (ascending).
  std::vector<uint64_t> triggers;
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] == '\n' || (i >= 3 && in.substr(i - 3, 4) == "TFRB")) triggers.push_back(i + 1);
  const uint64_t initial = 1 + size / 2;
  uint64_t budget = initial;
  std::vector<akgate::DecodedRegion> regions;
  akgate::BuildDecodedRegions(in, triggers, &budget, &regions);
  FUZZ_CHECK(budget <= initial);
  uint64_t spent = 0, last_end = 0;
  for (const akgate::DecodedRegion& r : regions) {
    FUZZ_CHECK(r.orig_begin >= last_end && r.orig_begin <= r.orig_end && r.orig_end <= in.size());
    last_end = r.orig_end;
    FUZZ_CHECK(!r.replacements.empty());
    std::string original;
    uint64_t copy_at = 0;
    for (const auto& rep : r.replacements) {
      FUZZ_CHECK(rep.copy_begin >= copy_at && rep.copy_begin <= rep.copy_end && rep.copy_end <= r.text.size());
      FUZZ_CHECK(rep.orig_begin >= r.orig_begin && rep.orig_begin <= rep.orig_end && rep.orig_end <= r.orig_end);
      original.append(r.text, copy_at, rep.copy_begin - copy_at);
      original.append(in.substr(rep.orig_begin, rep.orig_end - rep.orig_begin));
      std::string token_decoded;
      FUZZ_CHECK(akgate::DecodeBase64(in.substr(rep.orig_begin, rep.orig_end - rep.orig_begin), &token_decoded));
      FUZZ_CHECK(token_decoded == r.text.substr(rep.copy_begin, rep.copy_end - rep.copy_begin));
      spent += rep.copy_end - rep.copy_begin;
      copy_at = rep.copy_end;
    }
    original.append(r.text, copy_at, std::string::npos);
    FUZZ_CHECK(original == in.substr(r.orig_begin, r.orig_end - r.orig_begin));
    for (uint64_t off = 0; off <= r.text.size(); off += 1 + r.text.size() / 64) {
      bool in_decoded = false;
      uint64_t o = r.ToOriginal(off, &in_decoded);
      FUZZ_CHECK(o >= r.orig_begin && o <= r.orig_end);
    }
  }
  FUZZ_CHECK(spent == initial - budget);
  return 0;
}
