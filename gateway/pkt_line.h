// pkt-line, git's framing on the wire (gitprotocol-common): four hex digits
// giving the total length (the four included), then the payload. "0000" is a
// flush, "0001" a delimiter and "0002" a response end (protocol v2 only).
//
// Usage:
//
//   std::string out = akgate::gateway::PktLine("unpack ok\n") + std::string(kFlushPkt);
//
//   PktReader reader;              // incremental: bytes may arrive split anywhere
//   reader.Feed(chunk);
//   PktReader::Packet p;
//   while (reader.Next(&p) == PktReader::kPacket) { ... p.payload ... }
//
// The reader never buffers more than one packet (at most 65520 bytes) and
// rejects a bad length with a message that says where, so hostile input costs
// bounded memory and gives a clear error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace akgate::gateway {

constexpr size_t kMaxPktLen = 65520;  // LARGE_PACKET_MAX
constexpr size_t kMaxPktPayload = kMaxPktLen - 4;
constexpr size_t kMaxSidebandPayload = kMaxPktPayload - 1;  // minus the band byte
constexpr std::string_view kFlushPkt = "0000";

// One pkt-line carrying `payload`. The caller keeps payload <= kMaxPktPayload
// (longer payloads are a programming error and are truncated).
std::string PktLine(std::string_view payload);

// One side-band packet: band byte (1 data, 2 progress, 3 error) + payload.
std::string SidebandPkt(char band, std::string_view payload);

// The capability list after the NUL of a first ref line or first command
// ("report-status side-band-64k agent=git/2.43"), split at spaces; empty
// entries dropped. The one capability parser for requests and advertisements.
std::vector<std::string> SplitCapabilities(std::string_view caps);

// The value of a 4-character pkt-line length, or -1 if it is not 4 hex digits.
int ParsePktLength(std::string_view four);

class PktReader {
 public:
  enum Result { kPacket, kNeedMore, kError };
  enum class Type { kData, kFlush, kDelim, kResponseEnd };
  struct Packet {
    Type type = Type::kData;
    std::string payload;  // kData only
  };

  // Appends bytes to the unread input. Bytes after the packets the caller
  // wants can be taken back with TakeRest().
  void Feed(std::string_view bytes) { pending_.append(bytes); }

  // The next whole packet, kNeedMore when the input ends inside one, or
  // kError (see error()) for a malformed length.
  Result Next(Packet* out);

  // Input fed but not consumed by Next, removed from the reader.
  std::string TakeRest();
  size_t pending() const { return pending_.size() - pos_; }
  uint64_t consumed() const { return consumed_; }  // bytes taken by Next so far
  const std::string& error() const { return error_; }

 private:
  std::string pending_;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;
  std::string error_;
};

}  // namespace akgate::gateway
