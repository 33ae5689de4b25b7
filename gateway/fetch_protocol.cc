#include "gateway/fetch_protocol.h"

#include "git/oid_map.h"
#include "git/ref_update.h"

namespace akgate::gateway {

namespace {

// A line of the upstream's, for a message: without its newline, escaped and
// bounded (Printable, as for ref names).
std::string Quoted(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return Printable(line);
}

}  // namespace

Status ParseFetchCapabilities(std::string_view advertisement, FetchCapabilities* out) {
  *out = FetchCapabilities();
  PktReader r;
  r.Feed(advertisement);
  PktReader::Packet p;
  bool first = true;
  for (;;) {
    PktReader::Result res = r.Next(&p);
    if (res == PktReader::kError) return Status::Corrupt(r.error());
    if (res == PktReader::kNeedMore) {
      if (r.pending() > 0) return Status::Corrupt("the advertisement ends inside a pkt-line");
      return Status::Ok();
    }
    if (p.type != PktReader::Type::kData) {
      if (out->v2) return Status::Ok();  // the end of the capability list
      continue;                          // the flush after "# service=..."
    }
    std::string_view line = p.payload;
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (line.rfind("# service=", 0) == 0) continue;
    if (first) {
      first = false;
      if (line != "version 2") return Status::Ok();  // v0: refs, not capabilities
      out->v2 = true;
      continue;
    }
    if (line == "fetch" || line.rfind("fetch=", 0) == 0) {
      out->fetch = true;
      std::string_view features = line.size() > 6 ? line.substr(6) : std::string_view();
      while (!features.empty()) {
        size_t sp = features.find(' ');
        std::string_view f = features.substr(0, sp);
        if (f == "shallow") out->shallow = true;
        if (f == "filter") out->filter = true;
        features = sp == std::string_view::npos ? std::string_view() : features.substr(sp + 1);
      }
    }
  }
}

Status CheckFetchCapabilities(const FetchCapabilities& caps, const FetchWants& wants) {
  if (!caps.v2 || !caps.fetch) return Status::Unavailable("the upstream does not serve git protocol v2 fetches");
  if (!wants.commits.empty() && !caps.shallow)
    return Status::Unavailable("the upstream does not serve shallow fetches");
  if (wants.blobs.empty() && !caps.filter)
    return Status::Unavailable("the upstream does not allow filtered fetches (git: uploadpack.allowFilter)");
  return Status::Ok();
}

std::string FetchRequestBody(const FetchWants& wants) {
  std::string b = PktLine("command=fetch\n");
  b += PktLine("agent=akgate-gateway\n");
  b += PktLine("object-format=sha1\n");
  b += "0001";
  b += PktLine("no-progress\n");
  b += PktLine("ofs-delta\n");
  if (!wants.commits.empty()) b += PktLine("deepen 1\n");
  if (wants.blobs.empty()) b += PktLine("filter blob:none\n");
  for (const auto* list : {&wants.commits, &wants.trees, &wants.blobs})
    for (const git_oid& id : *list) b += PktLine("want " + OidHex(id) + "\n");
  b += PktLine("done\n");
  b += std::string(kFlushPkt);
  return b;
}

Status FetchResponseParser::Fail(std::string message) {
  error_ = std::move(message);
  return Status::Corrupt(error_);
}

Status FetchResponseParser::Feed(std::string_view bytes) {
  if (!error_.empty()) return Status::Corrupt(error_);
  if (state_ == State::kDone) {
    if (!bytes.empty()) return Fail("the upstream sent data after the end of its fetch response");
    return Status::Ok();
  }
  reader_.Feed(bytes);
  PktReader::Packet p;
  for (;;) {
    PktReader::Result r = reader_.Next(&p);
    if (r == PktReader::kNeedMore) return Status::Ok();
    if (r == PktReader::kError) return Fail("malformed fetch response from the upstream: " + reader_.error());
    if (p.type == PktReader::Type::kData && p.payload.rfind("ERR ", 0) == 0)
      return Fail("the upstream refused the fetch: " + Quoted(std::string_view(p.payload).substr(4)));
    switch (state_) {
      case State::kSectionHeader:
        if (p.type != PktReader::Type::kData) return Fail("the upstream's fetch response ended without a pack");
        if (p.payload == "packfile\n" || p.payload == "packfile") {
          state_ = State::kPackfile;
        } else if (p.payload == "shallow-info\n" || p.payload == "acknowledgments\n" || p.payload == "wanted-refs\n" ||
                   p.payload == "packfile-uris\n") {
          state_ = State::kSkipSection;
        } else {
          return Fail("unexpected line in the upstream's fetch response: \"" + Quoted(p.payload) + "\"");
        }
        break;
      case State::kSkipSection:
        if (p.type == PktReader::Type::kDelim)
          state_ = State::kSectionHeader;
        else if (p.type != PktReader::Type::kData)
          return Fail("the upstream's fetch response ended without a pack");
        break;
      case State::kPackfile: {
        if (p.type == PktReader::Type::kFlush) {
          state_ = State::kDone;
          if (reader_.pending() > 0) return Fail("the upstream sent data after the end of its fetch response");
          return Status::Ok();
        }
        if (p.type != PktReader::Type::kData || p.payload.empty())
          return Fail("malformed packet in the upstream's pack");
        char band = p.payload[0];
        std::string_view data = std::string_view(p.payload).substr(1);
        if (band == 1) {
          pack_bytes_ += data.size();
          Status s = sink_(data);
          if (!s.ok()) return Fail(s.message());
        } else if (band == 3) {
          return Fail("the upstream failed while sending the objects: " + Quoted(data));
        } else if (band != 2) {
          return Fail("unknown side-band " + std::to_string(static_cast<unsigned char>(band)) +
                      " in the upstream's pack");
        }
        break;
      }
      case State::kDone:
        return Fail("the upstream sent data after the end of its fetch response");
    }
  }
}

Status FetchResponseParser::Finish() {
  if (!error_.empty()) return Status::Corrupt(error_);
  if (state_ != State::kDone) return Fail("the upstream's fetch response ended early");
  return Status::Ok();
}

}  // namespace akgate::gateway
