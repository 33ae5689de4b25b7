#include "gateway/report_status.h"

#include "gateway/pkt_line.h"

namespace akgate::gateway {

namespace {

// A reason, status or ref name must stay on its line: no control
// characters, and short enough for its packet to keep the line's end.
std::string OneLine(std::string_view s, size_t max = 512) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  if (out.size() > max) out.resize(max);
  return out;
}

// "ng " + ref + " " + reason (at most 512) + "\n" in one packet.
constexpr size_t kMaxRefInLine = kMaxPktPayload - 3 - 1 - 512 - 1;

}  // namespace

std::string SidebandMessages(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    // Long lines are cut into packets; each piece still ends its own line.
    do {
      std::string_view piece = line.substr(0, kMaxSidebandPayload - 1);
      line.remove_prefix(piece.size());
      out += SidebandPkt('\2', std::string(piece) + "\n");
    } while (!line.empty());
  }
  return out;
}

std::string EncodeRejection(const ReceivePackRequest& request, const Rejection& rejection) {
  bool report = request.HasCapability("report-status") || request.HasCapability("report-status-v2");
  bool sideband = request.HasCapability("side-band-64k");

  std::string status;
  if (report) {
    status += PktLine("unpack " + OneLine(rejection.unpack_status) + "\n");
    std::string reason = OneLine(rejection.reason.empty() ? "rejected by akgate" : rejection.reason);
    for (const RefUpdate& c : request.commands)
      status += PktLine("ng " + OneLine(c.ref, kMaxRefInLine) + " " + reason + "\n");
    status += kFlushPkt;
  }
  if (!sideband) return status;

  std::string out = SidebandMessages(rejection.human_report);
  for (std::string_view rest = status; !rest.empty();) {
    std::string_view piece = rest.substr(0, kMaxSidebandPayload);
    rest.remove_prefix(piece.size());
    out += SidebandPkt('\1', piece);
  }
  out += kFlushPkt;
  return out;
}

}  // namespace akgate::gateway
