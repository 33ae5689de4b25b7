#include "gateway/pkt_line.h"

#include <cstdio>

namespace akgate::gateway {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitCapabilities(std::string_view caps) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < caps.size()) {
    size_t end = caps.find(' ', pos);
    if (end == std::string_view::npos) end = caps.size();
    if (end > pos) out.emplace_back(caps.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string PktLine(std::string_view payload) {
  if (payload.size() > kMaxPktPayload) payload = payload.substr(0, kMaxPktPayload);
  char len[5];
  std::snprintf(len, sizeof len, "%04zx", payload.size() + 4);
  std::string out(len, 4);
  out.append(payload);
  return out;
}

std::string SidebandPkt(char band, std::string_view payload) {
  std::string p(1, band);
  p.append(payload.substr(0, kMaxSidebandPayload));
  return PktLine(p);
}

int ParsePktLength(std::string_view four) {
  if (four.size() != 4) return -1;
  int v = 0;
  for (char c : four) {
    int d = HexDigit(c);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

PktReader::Result PktReader::Next(Packet* out) {
  if (!error_.empty()) return kError;
  if (pending_.size() - pos_ < 4) return kNeedMore;
  std::string_view head(pending_.data() + pos_, 4);
  int len = ParsePktLength(head);
  if (len < 0) {
    error_ = "bad pkt-line length \"" + Printable(head) + "\" at byte " + std::to_string(consumed_);
    return kError;
  }
  if (len < 4) {
    out->type = len == 0 ? Type::kFlush : len == 1 ? Type::kDelim : Type::kResponseEnd;
    if (len == 3) {
      error_ = "bad pkt-line length \"0003\" at byte " + std::to_string(consumed_);
      return kError;
    }
    out->payload.clear();
    pos_ += 4;
    consumed_ += 4;
  } else {
    if (static_cast<size_t>(len) > kMaxPktLen) {
      error_ = "pkt-line length " + std::to_string(len) + " exceeds the maximum of " + std::to_string(kMaxPktLen) +
               " at byte " + std::to_string(consumed_);
      return kError;
    }
    if (pending_.size() - pos_ < static_cast<size_t>(len)) return kNeedMore;
    out->type = Type::kData;
    out->payload.assign(pending_, pos_ + 4, len - 4);
    pos_ += len;
    consumed_ += len;
  }
  // Drop consumed input once it is most of the buffer, keeping appends cheap.
  if (pos_ > 4096 && pos_ * 2 > pending_.size()) {
    pending_.erase(0, pos_);
    pos_ = 0;
  }
  return kPacket;
}

std::string PktReader::TakeRest() {
  std::string rest = pending_.substr(pos_);
  pending_.clear();
  pos_ = 0;
  return rest;
}

}  // namespace akgate::gateway
