#include "engine/decode.h"

#include <algorithm>
#include <cstring>

namespace akgate {

namespace {

constexpr uint64_t kMaxToken = 1 << 20;     // longest token decoded
constexpr uint64_t kMinToken = 16;          // shortest token worth decoding
constexpr uint64_t kRegionReach = 8 << 10;  // bytes of context either side of a token
constexpr int kRegionLines = 6;             // lines of context either side

int8_t Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<int8_t>(c - '0' + 52);
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

bool IsBase64Char(unsigned char c) { return Value(c) >= 0; }

// Decoded text, not binary: no NUL, nearly all printable or UTF-8.
bool LooksLikeText(std::string_view s) {
  if (s.empty()) return false;
  size_t bad = 0;
  for (unsigned char c : s) {
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
      ++bad;
    else if (c == 0x7f)
      ++bad;
  }
  // Random bytes are ~50% >= 0x80; real UTF-8 text is mostly ASCII.
  size_t high = static_cast<size_t>(std::count_if(s.begin(), s.end(), [](unsigned char c) { return c >= 0x80; }));
  return bad * 50 <= s.size() && high * 4 <= s.size();
}

struct Token {
  uint64_t begin, end;
};

Token ExpandToken(std::string_view d, uint64_t p) {
  uint64_t b = p, floor = p > kMaxToken ? p - kMaxToken : 0;
  while (b > floor && IsBase64Char(d[b - 1])) --b;
  uint64_t e = p, ceil = std::min<uint64_t>(d.size(), p + kMaxToken);
  while (e < ceil && IsBase64Char(d[e])) ++e;
  for (int pad = 0; pad < 2 && e < d.size() && d[e] == '='; ++pad) ++e;
  return {b, e};
}

uint64_t BackLines(std::string_view d, uint64_t p, int n) {
  uint64_t floor = p > kRegionReach ? p - kRegionReach : 0;
  for (int i = 0; i <= n; ++i) {
    if (p <= floor) return floor;
    const void* nl = memrchr(d.data() + floor, '\n', p - floor);
    if (!nl) return floor;
    p = static_cast<const char*>(nl) - d.data();
  }
  return p + 1;
}

uint64_t ForwardLines(std::string_view d, uint64_t p, int n) {
  uint64_t ceil = std::min<uint64_t>(d.size(), p + kRegionReach);
  for (int i = 0; i <= n; ++i) {
    if (p >= ceil) return ceil;
    const void* nl = std::memchr(d.data() + p, '\n', ceil - p);
    if (!nl) return ceil;
    p = static_cast<const char*>(nl) - d.data() + 1;
  }
  return p - 1;
}

}  // namespace

bool DecodeBase64(std::string_view in, std::string* out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return false;
  out->clear();
  out->reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    int8_t v = Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return true;
}

uint64_t DecodedRegion::ToOriginal(uint64_t copy_offset, bool* decoded) const {
  int64_t delta = 0;  // copy length minus original length of replacements before
  for (const Replacement& r : replacements) {
    if (copy_offset < r.copy_begin) break;
    if (copy_offset < r.copy_end) {
      *decoded = true;
      return r.orig_begin;
    }
    delta += static_cast<int64_t>(r.copy_end - r.copy_begin) - static_cast<int64_t>(r.orig_end - r.orig_begin);
  }
  return static_cast<uint64_t>(static_cast<int64_t>(orig_begin + copy_offset) - delta);
}

void BuildDecodedRegions(std::string_view data, const std::vector<uint64_t>& trigger_ends, uint64_t* budget,
                         std::vector<DecodedRegion>* out) {
  uint64_t done_to = 0;
  std::string decoded;
  for (uint64_t p : trigger_ends) {
    if (*budget == 0) return;
    if (p <= done_to) continue;
    Token t = ExpandToken(data, p - 1);
    if (t.end - t.begin < kMinToken) continue;
    DecodedRegion region;
    region.orig_begin = std::max(done_to, BackLines(data, t.begin, kRegionLines));
    region.orig_end = std::max(t.end, ForwardLines(data, t.end, kRegionLines));
    uint64_t pos = region.orig_begin;
    while (pos < region.orig_end) {
      // Next token in the region.
      uint64_t b = pos;
      while (b < region.orig_end && !IsBase64Char(data[b])) ++b;
      Token tok = b < region.orig_end ? ExpandToken(data, b) : Token{region.orig_end, region.orig_end};
      tok.end = std::min(tok.end, region.orig_end);
      region.text.append(data.substr(pos, tok.begin - pos));
      if (tok.begin >= region.orig_end) break;
      std::string_view raw = data.substr(tok.begin, tok.end - tok.begin);
      if (raw.size() >= kMinToken && raw.size() * 3 / 4 <= *budget && DecodeBase64(raw, &decoded) &&
          LooksLikeText(decoded)) {
        *budget -= decoded.size();
        DecodedRegion::Replacement r{region.text.size(), region.text.size() + decoded.size(), tok.begin, tok.end};
        region.text.append(decoded);
        region.replacements.push_back(r);
      } else {
        region.text.append(raw);
      }
      pos = tok.end;
    }
    done_to = region.orig_end;
    if (!region.replacements.empty()) out->push_back(std::move(region));
  }
}

}  // namespace akgate
