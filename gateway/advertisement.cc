#include "gateway/advertisement.h"

#include "gateway/pkt_line.h"

namespace akgate::gateway {

namespace {

bool HasCapability(std::string_view caps, std::string_view name) {
  size_t pos = 0;
  while (pos <= caps.size()) {
    size_t end = caps.find(' ', pos);
    if (end == std::string_view::npos) end = caps.size();
    if (caps.substr(pos, end - pos) == name) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

Status AddNoThin(std::string_view adv, std::string* out) {
  PktReader reader;
  reader.Feed(adv);
  PktReader::Packet p;
  std::string result;
  // The smart-HTTP preamble: "# service=git-receive-pack" then a flush.
  if (reader.Next(&p) != PktReader::kPacket || p.type != PktReader::Type::kData ||
      p.payload.rfind("# service=git-receive-pack", 0) != 0)
    return Status::Error("not a receive-pack advertisement (no \"# service=git-receive-pack\" line)");
  result += PktLine(p.payload);
  if (reader.Next(&p) != PktReader::kPacket || p.type != PktReader::Type::kFlush)
    return Status::Error("receive-pack advertisement: no flush after the service line");
  result += kFlushPkt;
  if (reader.Next(&p) != PktReader::kPacket)
    return Status::Error("receive-pack advertisement ends before its first ref line");
  // Protocol v1 announces itself before the refs.
  if (p.type == PktReader::Type::kData && p.payload == "version 1\n") {
    result += PktLine(p.payload);
    if (reader.Next(&p) != PktReader::kPacket)
      return Status::Error("receive-pack advertisement ends before its first ref line");
  }
  if (p.type != PktReader::Type::kData)
    return Status::Error("receive-pack advertisement has no ref line");
  size_t nul = p.payload.find('\0');
  if (nul == std::string::npos)
    return Status::Error("receive-pack advertisement: first ref line carries no capabilities");
  std::string line = p.payload;
  bool newline = !line.empty() && line.back() == '\n';
  if (newline) line.pop_back();
  std::string_view caps = std::string_view(line).substr(nul + 1);
  if (HasCapability(caps, "no-thin")) {
    *out = std::string(adv);
    return Status::Ok();
  }
  if (!caps.empty()) line += ' ';
  line += "no-thin";
  if (newline) line += '\n';
  if (line.size() > kMaxPktPayload)
    return Status::Error("receive-pack advertisement: capability line too long to extend");
  result += PktLine(line);
  result += reader.TakeRest();
  *out = std::move(result);
  return Status::Ok();
}

}  // namespace akgate::gateway
