// The push request parser (gateway/receive_pack_request.h: ReceivePackParser) on an arbitrary body.
//
// Checks: the body fed whole and fed in arbitrary pieces gives the same
// verdict, the same commands, options and capabilities, and hands the
// indexer the same pack bytes; whatever it accepts is well formed (object
// ids, ref names without spaces or control characters, a pack that starts
// with "PACK" and is counted exactly); a rejection says why.
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "fuzz_check.h"
#include "gateway/receive_pack_request.h"

namespace gw = akgate::gateway;

namespace {

struct Outcome {
  bool ok = false;
  std::string message;
  gw::ReceivePackRequest request;
  bool commands_complete = false;
  std::string pack;  // what reached the sink
};

Outcome Parse(const std::vector<std::string_view>& pieces) {
  Outcome o;
  gw::ReceivePackParser::Limits limits;
  limits.max_commands = 50;  // small limits, so the fuzzer reaches them
  limits.max_shallow = 50;
  limits.max_push_options = 20;
  gw::ReceivePackParser parser(
      [&](std::string_view bytes) {
        o.pack.append(bytes);
        return akgate::Status::Ok();
      },
      limits);
  akgate::Status s = akgate::Status::Ok();
  for (std::string_view piece : pieces) {
    s = parser.Feed(piece);
    if (!s.ok()) break;
  }
  if (s.ok()) s = parser.Finish();
  o.ok = s.ok();
  o.message = s.message();
  o.request = parser.request();
  o.commands_complete = parser.commands_complete();
  return o;
}

bool SameCommands(const std::vector<akgate::RefUpdate>& a, const std::vector<akgate::RefUpdate>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].old_id != b[i].old_id || a[i].new_id != b[i].new_id || a[i].ref != b[i].ref) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = akgate_fuzz::AsText(data, size);
  Outcome whole = Parse({in});
  Outcome split = Parse(akgate_fuzz::Chunks(in));

  FUZZ_CHECK(whole.ok == split.ok);
  FUZZ_CHECK(whole.message == split.message);
  FUZZ_CHECK(whole.commands_complete == split.commands_complete);
  FUZZ_CHECK(SameCommands(whole.request.commands, split.request.commands));
  FUZZ_CHECK(whole.request.shallow == split.request.shallow);
  FUZZ_CHECK(whole.request.capabilities == split.request.capabilities);
  FUZZ_CHECK(whole.request.push_options == split.request.push_options);
  FUZZ_CHECK(whole.request.probe == split.request.probe);
  if (whole.ok) {
    FUZZ_CHECK(whole.request.has_pack == split.request.has_pack);
    FUZZ_CHECK(whole.pack == split.pack);
  }

  const gw::ReceivePackRequest& r = whole.request;
  FUZZ_CHECK(r.pack_bytes == whole.pack.size());
  FUZZ_CHECK(whole.pack.size() <= in.size());
  if (!whole.ok) {
    FUZZ_CHECK(!whole.message.empty());
    return 0;
  }
  for (const akgate::RefUpdate& c : r.commands) {
    FUZZ_CHECK(gw::IsObjectId(c.old_id) && gw::IsObjectId(c.new_id));
    FUZZ_CHECK(!c.ref.empty());
    for (unsigned char ch : c.ref) FUZZ_CHECK(ch > 0x20 && ch != 0x7f);
  }
  for (const std::string& s : r.shallow) FUZZ_CHECK(gw::IsObjectId(s));
  for (const std::string& o : r.push_options) FUZZ_CHECK(o.find('\0') == std::string::npos);
  for (const std::string& c : r.capabilities) FUZZ_CHECK(!c.empty() && c.find(' ') == std::string::npos);
  FUZZ_CHECK(r.commands.size() <= 50 && r.shallow.size() <= 50 && r.push_options.size() <= 20);
  if (r.has_pack) {
    FUZZ_CHECK(!r.commands.empty() && !r.AllDeletes());
    FUZZ_CHECK(whole.pack.size() >= 32 && whole.pack.compare(0, 4, "PACK") == 0);
    // The pack is a tail of the body; when it ends with a valid SHA-1
    // trailer, only flushes may follow it.
    size_t at = in.rfind(whole.pack);
    FUZZ_CHECK(at != std::string_view::npos);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const std::string& pack = whole.pack;
    FUZZ_CHECK(EVP_Digest(pack.data(), pack.size() - 20, digest, &len, EVP_sha1(), nullptr) == 1);
    if (pack.compare(pack.size() - 20, 20, reinterpret_cast<const char*>(digest), 20) == 0)
      FUZZ_CHECK(in.substr(at + pack.size()).find_first_not_of('0') == std::string_view::npos);
    else
      FUZZ_CHECK(at + pack.size() == in.size());  // no trailer found: everything after the commands
  } else {
    FUZZ_CHECK(whole.pack.empty());
  }
  if (r.probe) FUZZ_CHECK(r.commands.empty() && r.shallow.empty());
  return 0;
}
