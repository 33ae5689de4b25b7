#include "gateway/advertisement.h"

#include <algorithm>

#include "gateway/pkt_line.h"

namespace akgate::gateway {

namespace {

// Reads the advertisement up to its first ref line: *head gets the bytes
// before it, re-encoded (service line, flush, "version 1"), *line that
// line's payload (with a NUL before its capabilities). `reader` is left just
// after it.
Status FirstRefLine(std::string_view adv, PktReader* reader, std::string* head, std::string* line) {
  reader->Feed(adv);
  PktReader::Packet p;
  // The smart-HTTP preamble: "# service=git-receive-pack" then a flush.
  if (reader->Next(&p) != PktReader::kPacket || p.type != PktReader::Type::kData ||
      p.payload.rfind("# service=git-receive-pack", 0) != 0)
    return Status::Corrupt("not a receive-pack advertisement (no \"# service=git-receive-pack\" line)");
  *head += PktLine(p.payload);
  if (reader->Next(&p) != PktReader::kPacket || p.type != PktReader::Type::kFlush)
    return Status::Corrupt("receive-pack advertisement: no flush after the service line");
  *head += kFlushPkt;
  if (reader->Next(&p) != PktReader::kPacket)
    return Status::Corrupt("receive-pack advertisement ends before its first ref line");
  // Protocol v1 announces itself before the refs.
  if (p.type == PktReader::Type::kData && p.payload == "version 1\n") {
    *head += PktLine(p.payload);
    if (reader->Next(&p) != PktReader::kPacket)
      return Status::Corrupt("receive-pack advertisement ends before its first ref line");
  }
  if (p.type != PktReader::Type::kData) return Status::Corrupt("receive-pack advertisement has no ref line");
  if (p.payload.find('\0') == std::string::npos)
    return Status::Corrupt("receive-pack advertisement: first ref line carries no capabilities");
  *line = std::move(p.payload);
  return Status::Ok();
}

// The capability list of a first ref line, without its newline.
std::string_view CapabilityList(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return line.substr(line.find('\0') + 1);
}

}  // namespace

Status AddNoThin(std::string_view adv, std::string* out) {
  PktReader reader;
  std::string result, line;
  if (Status s = FirstRefLine(adv, &reader, &result, &line); !s.ok()) return s;
  std::string_view caps = CapabilityList(line);
  bool had_caps = !caps.empty();
  std::vector<std::string> listed = SplitCapabilities(caps);
  if (std::find(listed.begin(), listed.end(), "no-thin") != listed.end()) {
    *out = std::string(adv);
    return Status::Ok();
  }
  bool newline = !line.empty() && line.back() == '\n';
  if (newline) line.pop_back();
  if (had_caps) line += ' ';
  line += "no-thin";
  if (newline) line += '\n';
  if (line.size() > kMaxPktPayload)
    return Status::ResourceExhausted("receive-pack advertisement: capability line too long to extend");
  result += PktLine(line);
  result += reader.TakeRest();
  *out = std::move(result);
  return Status::Ok();
}

Status AdvertisedCapabilities(std::string_view adv, std::vector<std::string>* out) {
  PktReader reader;
  std::string head, line;
  if (Status s = FirstRefLine(adv, &reader, &head, &line); !s.ok()) return s;
  *out = SplitCapabilities(CapabilityList(line));
  return Status::Ok();
}

}  // namespace akgate::gateway
