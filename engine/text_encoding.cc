#include "engine/text_encoding.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace akgate {

namespace {

constexpr size_t kSample = 8000;  // as the binary check (content_class.h)

uint16_t Unit(std::string_view d, size_t i, TextEncoding e) {
  auto lo = static_cast<uint8_t>(d[i]), hi = static_cast<uint8_t>(d[i + 1]);
  return e == TextEncoding::kUtf16Le ? static_cast<uint16_t>(lo | hi << 8) : static_cast<uint16_t>(hi | lo << 8);
}

void Append(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | cp >> 6));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | cp >> 12));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | cp >> 18));
    out->push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The first code units look like text: no U+0000, control characters
// (other than tab, newlines, form feed, escape) under 1%.
bool LooksLikeText(std::string_view d, TextEncoding e) {
  size_t n = std::min(d.size(), kSample) & ~size_t{1}, controls = 0;
  for (size_t i = 0; i < n; i += 2) {
    uint16_t u = Unit(d, i, e);
    if (u == 0) return false;
    if (u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f' && u != 0x1B) ++controls;
  }
  return n && controls * 100 <= n / 2;
}

}  // namespace

const char* TextEncodingName(TextEncoding e) {
  switch (e) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kUtf16Le:
      return "utf-16le";
    case TextEncoding::kUtf16Be:
      return "utf-16be";
  }
  return "utf-8";
}

TextEncoding DetectUtf16(std::string_view d) {
  if (d.size() >= 2) {
    auto b0 = static_cast<uint8_t>(d[0]), b1 = static_cast<uint8_t>(d[1]);
    TextEncoding bom = b0 == 0xFF && b1 == 0xFE   ? TextEncoding::kUtf16Le
                       : b0 == 0xFE && b1 == 0xFF ? TextEncoding::kUtf16Be
                                                  : TextEncoding::kUtf8;
    // FF FE 00 00 is UTF-32LE's mark, not text akgate reads.
    if (bom != TextEncoding::kUtf8 && !(d.size() >= 4 && d[2] == 0 && d[3] == 0))
      return LooksLikeText(d.substr(2), bom) || d.size() == 2 ? bom : TextEncoding::kUtf8;
  }
  size_t n = std::min(d.size(), kSample) & ~size_t{1};
  if (n < 8) return TextEncoding::kUtf8;
  // Without a mark, UTF-16 is told by its zero bytes: none, and it is not
  // (one memchr instead of counting every unit of nearly every file).
  if (!std::memchr(d.data(), 0, n)) return TextEncoding::kUtf8;
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i < n; i += 2) {
    even_zero += d[i] == 0;
    odd_zero += d[i + 1] == 0;
  }
  size_t units = n / 2;
  TextEncoding guess = TextEncoding::kUtf8;
  if (odd_zero * 10 >= units * 7 && even_zero * 20 <= units)
    guess = TextEncoding::kUtf16Le;
  else if (even_zero * 10 >= units * 7 && odd_zero * 20 <= units)
    guess = TextEncoding::kUtf16Be;
  return guess != TextEncoding::kUtf8 && LooksLikeText(d, guess) ? guess : TextEncoding::kUtf8;
}

void Utf16ToUtf8(std::string_view d, TextEncoding e, std::string* out) {
  out->clear();
  out->reserve(d.size() / 2 + d.size() / 8);
  size_t n = d.size() & ~size_t{1};
  for (size_t i = n >= 2 && Unit(d, 0, e) == 0xFEFF ? 2 : 0; i < n; i += 2) {  // the BOM is not text
    uint32_t u = Unit(d, i, e);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
      uint32_t lo = Unit(d, i + 2, e);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        Append(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out);
        i += 2;
        continue;
      }
    }
    Append(u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u, out);
  }
}

}  // namespace akgate
