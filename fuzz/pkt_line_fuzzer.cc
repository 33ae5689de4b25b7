// The pkt-line reader (gateway/pkt_line.h) on arbitrary bytes.
//
// Checks: every packet read is exactly what the input held at that place
// (length header and payload); the bytes consumed plus the rest taken back
// are the input; an error names the byte; and feeding the same bytes in
// arbitrary pieces gives the same packets and the same ending. The writers
// (PktLine, SidebandPkt) must produce what the reader reads back.
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "gateway/pkt_line.h"

using akgate::gateway::PktReader;
namespace gw = akgate::gateway;

namespace {

struct Reading {
  std::vector<PktReader::Packet> packets;
  PktReader::Result end = PktReader::kNeedMore;
  std::string error;
  uint64_t consumed = 0;
  std::string rest;
};

Reading ReadAll(const std::vector<std::string_view>& pieces) {
  Reading r;
  PktReader reader;
  PktReader::Packet p;
  for (std::string_view piece : pieces) {
    reader.Feed(piece);
    while ((r.end = reader.Next(&p)) == PktReader::kPacket) r.packets.push_back(p);
    if (r.end == PktReader::kError) break;
  }
  r.error = reader.error();
  r.consumed = reader.consumed();
  r.rest = reader.TakeRest();
  return r;
}

bool SamePacket(const PktReader::Packet& a, const PktReader::Packet& b) {
  return a.type == b.type && a.payload == b.payload;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = akgate_fuzz::AsText(data, size);
  Reading whole = ReadAll({in});

  // Each packet is the input's bytes at its place.
  size_t pos = 0;
  for (const PktReader::Packet& p : whole.packets) {
    FUZZ_CHECK(pos + 4 <= in.size());
    int len = gw::ParsePktLength(in.substr(pos, 4));
    FUZZ_CHECK(len >= 0 && len != 3 && static_cast<size_t>(len) <= gw::kMaxPktLen);
    if (len < 4) {
      FUZZ_CHECK(p.type != PktReader::Type::kData && p.payload.empty());
      pos += 4;
    } else {
      FUZZ_CHECK(p.type == PktReader::Type::kData);
      FUZZ_CHECK(p.payload == in.substr(pos + 4, len - 4));
      // The writer gives the same packet back (lengths in lower case).
      std::string again = gw::PktLine(p.payload);
      FUZZ_CHECK(gw::ParsePktLength(std::string_view(again).substr(0, 4)) == len);
      FUZZ_CHECK(std::string_view(again).substr(4) == p.payload);
      pos += len;
    }
  }
  FUZZ_CHECK(whole.consumed == pos);
  if (whole.end == PktReader::kError) {
    FUZZ_CHECK(!whole.error.empty());
    FUZZ_CHECK(whole.error.find("at byte " + std::to_string(pos)) != std::string::npos);
  } else {
    FUZZ_CHECK(whole.error.empty());
  }
  // Nothing is lost: consumed + rest is the input.
  FUZZ_CHECK(std::string(in.substr(0, pos)) + whole.rest == in);

  // The same bytes in pieces: the same packets, the same ending.
  Reading split = ReadAll(akgate_fuzz::Chunks(in));
  FUZZ_CHECK(split.end == whole.end);
  FUZZ_CHECK(split.error == whole.error);
  FUZZ_CHECK(split.consumed == whole.consumed);
  FUZZ_CHECK(split.packets.size() == whole.packets.size());
  for (size_t i = 0; i < whole.packets.size(); ++i) FUZZ_CHECK(SamePacket(split.packets[i], whole.packets[i]));
  if (whole.end != PktReader::kError) FUZZ_CHECK(split.rest == whole.rest);

  // Capabilities: no empty entry, none holding a space, in order.
  if (!whole.packets.empty()) {
    const std::string& first = whole.packets.front().payload;
    size_t nul = first.find('\0');
    if (nul != std::string::npos) {
      std::string joined;
      for (const std::string& c : gw::SplitCapabilities(std::string_view(first).substr(nul + 1))) {
        FUZZ_CHECK(!c.empty() && c.find(' ') == std::string::npos);
        if (!joined.empty()) joined += ' ';
        joined += c;
      }
      std::string squeezed;  // the list with runs of spaces made one
      for (char c : first.substr(nul + 1))
        if (c != ' ' || (!squeezed.empty() && squeezed.back() != ' ')) squeezed += c;
      while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
      FUZZ_CHECK(joined == squeezed);
    }
  }

  // A side-band packet of the input as payload reads back with its band.
  std::string sb = gw::SidebandPkt('\2', in);
  PktReader back;
  back.Feed(sb);
  PktReader::Packet p;
  FUZZ_CHECK(back.Next(&p) == PktReader::kPacket);
  FUZZ_CHECK(p.type == PktReader::Type::kData && !p.payload.empty() && p.payload[0] == '\2');
  FUZZ_CHECK(std::string_view(p.payload).substr(1) == in.substr(0, gw::kMaxSidebandPayload));
  FUZZ_CHECK(back.pending() == 0);
  return 0;
}
