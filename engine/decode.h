// Stage 4: secrets hidden in base64 (Kubernetes Secrets, encoded config files).
//
// Decoding everything that looks like base64 would cost more than the scan
// itself, so decoding is triggered: the literal index also holds the base64
// forms (three alignments) of a few telling literals (`LTAI`, key names,
// `-----BEGIN`). Around a trigger hit, the lines nearby are copied with each
// base64 token that decodes to text replaced by its decoded text, so key
// names and neighbouring values stay in context; the copy is then scanned
// like any fragment. Decoded bytes are bounded per fragment.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace akgate {

struct DecodedRegion {
  struct Replacement {
    uint64_t copy_begin, copy_end;  // decoded text in `text`
    uint64_t orig_begin, orig_end;  // the base64 token in the fragment
  };
  std::string text;  // the region with tokens decoded
  uint64_t orig_begin = 0, orig_end = 0;
  std::vector<Replacement> replacements;

  // Offset in the fragment of `copy_offset`; a position inside decoded text
  // maps to its token's start and sets *decoded.
  uint64_t ToOriginal(uint64_t copy_offset, bool* decoded) const;
};

// Builds decoded regions around trigger hits (end offsets, ascending).
// `budget` is decremented by the decoded bytes produced; at zero, stops.
void BuildDecodedRegions(std::string_view data, const std::vector<uint64_t>& trigger_ends, uint64_t* budget,
                         std::vector<DecodedRegion>* out);

// Standard or URL-safe base64 to bytes; false when malformed.
bool DecodeBase64(std::string_view in, std::string* out);

}  // namespace akgate
