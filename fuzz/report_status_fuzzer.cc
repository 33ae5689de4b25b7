// The report-status encoder (gateway/report_status.h) with arbitrary ref
// names, reasons, unpack status and human report.
//
// Checks that the answer is what git's send-pack can read: whole pkt-lines
// ending in a flush; with side-band-64k, band 1 and 2 packets only, each
// band-2 packet one line; band 1 (or the plain answer) "unpack <status>",
// then one "ng <ref> <reason>" per command in the client's order, each a
// single line, then a flush, and nothing after it.
//
// Input: a capability byte, then NUL-separated fields: unpack status,
// reason, human report, ref names (the rest, one per field).
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "gateway/pkt_line.h"
#include "gateway/report_status.h"

namespace gw = akgate::gateway;
using gw::PktReader;

namespace {

std::vector<std::string> Fields(std::string_view in) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t end = in.find('\0', pos);
    if (end == std::string_view::npos) end = in.size();
    out.emplace_back(in.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// All the packets of `bytes`, which must be whole pkt-lines.
std::vector<PktReader::Packet> Packets(std::string_view bytes) {
  PktReader reader;
  reader.Feed(bytes);
  std::vector<PktReader::Packet> out;
  PktReader::Packet p;
  PktReader::Result r;
  while ((r = reader.Next(&p)) == PktReader::kPacket) out.push_back(p);
  FUZZ_CHECK(r == PktReader::kNeedMore);  // never an error
  FUZZ_CHECK(reader.pending() == 0);      // never a partial packet
  return out;
}

bool OneLine(std::string_view s) {
  if (s.empty() || s.back() != '\n') return false;
  s.remove_suffix(1);
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  unsigned caps = data[0];
  std::vector<std::string> f = Fields(akgate_fuzz::AsText(data + 1, size - 1));
  while (f.size() < 3) f.emplace_back();

  gw::ReceivePackRequest request;
  if (caps & 1) request.capabilities.push_back("report-status");
  if (caps & 2) request.capabilities.push_back("report-status-v2");
  if (caps & 4) request.capabilities.push_back("side-band-64k");
  for (size_t i = 3; i < f.size(); ++i) {
    akgate::RefUpdate c;
    c.old_id = std::string(40, '0');
    c.new_id = std::string(40, 'a');
    c.ref = f[i];
    request.commands.push_back(c);
  }
  gw::Rejection rejection;
  rejection.unpack_status = f[0];
  rejection.reason = f[1];
  rejection.human_report = f[2];
  bool report = caps & 3;
  bool sideband = caps & 4;

  std::string out = gw::EncodeRejection(request, rejection);
  std::string status;  // the report-status stream
  if (sideband) {
    std::vector<PktReader::Packet> packets = Packets(out);
    FUZZ_CHECK(!packets.empty() && packets.back().type == PktReader::Type::kFlush);
    packets.pop_back();
    for (const PktReader::Packet& p : packets) {
      FUZZ_CHECK(p.type == PktReader::Type::kData && p.payload.size() >= 2);
      if (p.payload[0] == '\2') {
        FUZZ_CHECK(status.empty());  // the human report comes first
        FUZZ_CHECK(p.payload.back() == '\n');
        FUZZ_CHECK(p.payload.find('\n') == p.payload.size() - 1);
      } else {
        FUZZ_CHECK(p.payload[0] == '\1');
        status.append(p.payload, 1);
      }
    }
  } else {
    status = out;
  }
  if (!report) {
    FUZZ_CHECK(status.empty());
    return 0;
  }

  std::vector<PktReader::Packet> lines = Packets(status);
  FUZZ_CHECK(lines.size() == request.commands.size() + 2);
  FUZZ_CHECK(lines.back().type == PktReader::Type::kFlush);
  FUZZ_CHECK(lines[0].type == PktReader::Type::kData && lines[0].payload.rfind("unpack ", 0) == 0);
  FUZZ_CHECK(OneLine(lines[0].payload));
  for (size_t i = 0; i < request.commands.size(); ++i) {
    const PktReader::Packet& p = lines[i + 1];
    FUZZ_CHECK(p.type == PktReader::Type::kData && OneLine(p.payload));
    FUZZ_CHECK(p.payload.rfind("ng ", 0) == 0);
    // git reads the ref up to the first space: it must be the command's,
    // and a reason must follow it.
    std::string_view rest = std::string_view(p.payload).substr(3);
    size_t sp = rest.find(' ');
    FUZZ_CHECK(sp != std::string_view::npos && sp + 2 < rest.size());
    const std::string& ref = request.commands[i].ref;
    // A ref the request parser accepts (no space, no control character, at
    // most 4096 bytes) is named exactly.
    bool plain_ref = !ref.empty() && ref.size() <= 4096;
    for (unsigned char c : ref) plain_ref &= c > 0x20 && c != 0x7f;
    if (plain_ref) FUZZ_CHECK(rest.substr(0, sp) == ref);
  }
  return 0;
}
