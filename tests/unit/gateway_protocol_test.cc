// The gateway's protocol pieces, with hostile input: pkt-lines, the
// receive-pack advertisement rewrite, push request parsing, report-status
// encoding, configuration.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gateway/advertisement.h"
#include "gateway/body_decoder.h"
#include "gateway/config.h"
#include "gateway/fetch_protocol.h"
#include "gateway/pkt_line.h"
#include "gateway/receive_pack_request.h"
#include "gateway/report_status.h"

using namespace akgate;
using namespace akgate::gateway;

namespace {

const std::string kZero(40, '0');
const std::string kA(40, 'a');
const std::string kB(40, 'b');

// Splits a pkt-line stream into payloads ("<flush>" for 0000).
std::vector<std::string> Packets(const std::string& bytes) {
  PktReader r;
  r.Feed(bytes);
  PktReader::Packet p;
  std::vector<std::string> out;
  while (r.Next(&p) == PktReader::kPacket) out.push_back(p.type == PktReader::Type::kFlush ? "<flush>" : p.payload);
  REQUIRE(r.pending() == 0);
  return out;
}

// A valid empty pack: header for 0 objects + its SHA-1 trailer.
std::string EmptyPack() {
  return std::string("PACK\0\0\0\2\0\0\0\0", 12) +
         std::string("\x02\x9d\x08\x82\x3b\xd8\xa8\xea\xb5\x10\xad\x6a\xc7\x5c\x82\x3c\xfd\x3e\xd3\x1e", 20);
}

struct Parsed {
  Status feed, finish;
  ReceivePackRequest req;
  std::string pack;
};

// Feeds `body` in pieces of `step` bytes.
Parsed Parse(const std::string& body, size_t step = 1) {
  Parsed out;
  ReceivePackParser parser([&](std::string_view b) {
    out.pack.append(b);
    return Status::Ok();
  });
  for (size_t i = 0; i < body.size() && out.feed.ok(); i += step)
    out.feed = parser.Feed(std::string_view(body).substr(i, step));
  if (out.feed.ok()) out.finish = parser.Finish();
  out.req = parser.request();
  return out;
}

}  // namespace

TEST_CASE("pkt-line writer computes the length including its own four bytes") {
  CHECK(PktLine("") == "0004");
  CHECK(PktLine("a\n") == "0006a\n");
  CHECK(PktLine(std::string(65516, 'x')).substr(0, 4) == "fff0");
  CHECK(SidebandPkt('\2', "hi\n") == std::string("0008\2hi\n"));
}

TEST_CASE("pkt-line reader handles packets split at every byte") {
  std::string stream = PktLine("one\n") + "0000" + PktLine("two") + "0001";
  PktReader r;
  std::vector<std::string> seen;
  PktReader::Packet p;
  for (char c : stream) {
    r.Feed(std::string(1, c));
    while (r.Next(&p) == PktReader::kPacket)
      seen.push_back(p.type == PktReader::Type::kData    ? p.payload
                     : p.type == PktReader::Type::kFlush ? "<flush>"
                                                         : "<delim>");
  }
  CHECK(seen == std::vector<std::string>{"one\n", "<flush>", "two", "<delim>"});
  CHECK(r.consumed() == stream.size());
}

TEST_CASE("pkt-line reader rejects bad lengths with the byte offset") {
  for (std::string bad : {"zzzz", "00x1", "0003", "fff1", "ffff", "-001"}) {
    PktReader r;
    r.Feed(PktLine("ok") + bad + "payload");
    PktReader::Packet p;
    REQUIRE(r.Next(&p) == PktReader::kPacket);
    CHECK(r.Next(&p) == PktReader::kError);
    CHECK(r.error().find("at byte 6") != std::string::npos);
    CHECK(r.Next(&p) == PktReader::kError);  // stays failed
  }
  PktReader r;
  r.Feed(std::string("\x01\x02\x03\x04", 4));
  PktReader::Packet p;
  CHECK(r.Next(&p) == PktReader::kError);
  CHECK(r.error().find("\\x01") != std::string::npos);  // control bytes shown escaped
}

TEST_CASE("advertisement rewrite adds no-thin and recomputes the first ref line's length") {
  std::string adv =
      PktLine("# service=git-receive-pack\n") + "0000" +
      PktLine(kA + " refs/heads/main" + std::string("\0", 1) + "report-status side-band-64k agent=git/2\n") +
      PktLine(kB + " refs/heads/dev\n") + "0000";
  std::string out;
  REQUIRE(AddNoThin(adv, &out).ok());
  auto p = Packets(out);
  REQUIRE(p.size() == 5);
  CHECK(p[2] == kA + " refs/heads/main" + std::string("\0", 1) + "report-status side-band-64k agent=git/2 no-thin\n");
  CHECK(p[3] == kB + " refs/heads/dev\n");
  CHECK(p[4] == "<flush>");
  // Idempotent.
  std::string again;
  REQUIRE(AddNoThin(out, &again).ok());
  CHECK(again == out);
}

TEST_CASE("advertisement rewrite handles an empty repository and protocol v1") {
  std::string adv = PktLine("# service=git-receive-pack\n") + "0000" + PktLine("version 1\n") +
                    PktLine(kZero + " capabilities^{}" + std::string("\0", 1) + "report-status delete-refs\n") + "0000";
  std::string out;
  REQUIRE(AddNoThin(adv, &out).ok());
  auto p = Packets(out);
  REQUIRE(p.size() == 5);
  CHECK(p[2] == "version 1\n");
  CHECK(p[3].find("delete-refs no-thin\n") != std::string::npos);
}

TEST_CASE("advertised capabilities: the first ref line's list, v0 and v1, or a clear error") {
  std::vector<std::string> caps;
  std::string adv =
      PktLine("# service=git-receive-pack\n") + "0000" +
      PktLine(kA + " refs/heads/main" + std::string("\0", 1) + "report-status  push-options agent=git/2\n") +
      PktLine(kB + " refs/heads/dev\n") + "0000";
  REQUIRE(AdvertisedCapabilities(adv, &caps).ok());
  CHECK(caps == std::vector<std::string>{"report-status", "push-options", "agent=git/2"});
  std::string empty_v1 = PktLine("# service=git-receive-pack\n") + "0000" + PktLine("version 1\n") +
                         PktLine(kZero + " capabilities^{}" + std::string("\0", 1) + "report-status delete-refs\n") +
                         "0000";
  REQUIRE(AdvertisedCapabilities(empty_v1, &caps).ok());
  CHECK(caps == std::vector<std::string>{"report-status", "delete-refs"});
  caps = {"untouched"};
  CHECK(AdvertisedCapabilities("<html>login</html>", &caps).message().find("not a receive-pack advertisement") !=
        std::string::npos);
  CHECK_FALSE(
      AdvertisedCapabilities(PktLine("# service=git-receive-pack\n") + "0000" + PktLine(kA + " refs/heads/x\n"), &caps)
          .ok());
  CHECK(caps == std::vector<std::string>{"untouched"});
}

TEST_CASE("advertisement rewrite refuses what is not an advertisement") {
  std::string out = "untouched";
  CHECK_FALSE(AddNoThin("", &out).ok());
  CHECK_FALSE(AddNoThin("<html>login</html>", &out).ok());
  CHECK_FALSE(AddNoThin(PktLine("# service=git-upload-pack\n") + "0000", &out).ok());
  CHECK_FALSE(AddNoThin(PktLine("# service=git-receive-pack\n") + "0000" + PktLine(kA + " refs/heads/x\n"), &out).ok());
  CHECK(out == "untouched");
}

TEST_CASE("push request: commands, capabilities, push options and pack, in any split") {
  std::string body = PktLine(kZero + " " + kA + " refs/heads/new" + std::string("\0", 1) +
                             "report-status-v2 side-band-64k push-options atomic agent=git/2.39\n") +
                     PktLine(kA + " " + kB + " refs/heads/main\n") + "0000" +
                     PktLine("akgate.bypass=false positive\n") + PktLine("ci.skip") + "0000" + EmptyPack();
  for (size_t step : {size_t(1), size_t(3), size_t(7), body.size()}) {
    Parsed r = Parse(body, step);
    REQUIRE(r.feed.ok());
    REQUIRE(r.finish.ok());
    REQUIRE(r.req.commands.size() == 2);
    CHECK(r.req.commands[0].is_create());
    CHECK(r.req.commands[0].ref == "refs/heads/new");
    CHECK(r.req.commands[1].old_id == kA);
    CHECK(r.req.HasCapability("atomic"));
    CHECK(r.req.HasCapability("report-status-v2"));
    CHECK(r.req.push_options == std::vector<std::string>{"akgate.bypass=false positive", "ci.skip"});
    CHECK(r.pack == EmptyPack());
    CHECK(r.req.has_pack);
  }
}

TEST_CASE("push request: shallow lines, the probe and delete-only pushes") {
  Parsed probe = Parse("0000");
  CHECK(probe.finish.ok());
  CHECK(probe.req.probe);
  CHECK(probe.req.commands.empty());

  Parsed del =
      Parse(PktLine(kA + " " + kZero + " refs/heads/gone" + std::string("\0", 1) + "report-status\n") + "0000");
  CHECK(del.finish.ok());
  CHECK(del.req.AllDeletes());
  CHECK_FALSE(del.req.has_pack);

  Parsed sh =
      Parse(PktLine("shallow " + kB + "\n") + PktLine(kA + " " + kB + " refs/heads/x\n") + "0000" + EmptyPack());
  CHECK(sh.finish.ok());
  CHECK(sh.req.shallow == std::vector<std::string>{kB});
  CHECK_FALSE(sh.req.probe);
}

TEST_CASE("push request: hostile input gives a clear error, never a crash") {
  struct Case {
    std::string body;
    std::string error;
  };
  std::string cmd = PktLine(kA + " " + kB + " refs/heads/x\n");
  std::vector<Case> cases = {
      {"", "empty request body"},
      {"zzzz", "bad pkt-line length"},
      {"0003", "bad pkt-line length"},
      {"fff9" + std::string(100, 'x'), "exceeds the maximum"},
      {cmd, "ended inside the command list"},
      {PktLine("not-a-command") + "0000", "malformed command 1"},
      {PktLine("not a command") + "0000", "malformed object id in command 1"},
      {PktLine(kA + " " + kB + "\n") + "0000", "malformed command 1"},
      {PktLine("xyz " + kB + " refs/heads/x\n") + "0000", "malformed object id"},
      {PktLine(kA + " " + kB.substr(0, 39) + "G refs/heads/x\n") + "0000", "malformed object id"},
      {PktLine(kA + " " + kB + " refs/heads/a b\n") + "0000", "malformed ref name"},
      {PktLine(kA + " " + kB + " refs/\x01x\n") + "0000", "malformed ref name"},
      {cmd + PktLine(kA + " " + kB + " refs/heads/y" + std::string("\0", 1) + "caps\n") + "0000",
       "capabilities after the first command"},
      {cmd + "0001", "unexpected special packet"},
      {cmd + "0000" + "GARBAGE GARBAGE GARBAGE GARBAGE GARBAGE", "does not start with \"PACK\""},
      {cmd + "0000" + std::string("PACK\0\0", 6), "truncated"},
      {"0000" + EmptyPack(), "without commands"},
      {PktLine(kA + " " + kZero + " refs/heads/x\n") + "0000" + EmptyPack(), "delete-only"},
      {PktLine(kA + " " + kB + " refs/heads/x" + std::string("\0", 1) + "push-options\n") + "0000" + PktLine("o"),
       "inside the push options"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    Parsed r = Parse(c.body, 5);
    Status s = r.feed.ok() ? r.finish : r.feed;
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find(c.error) != std::string::npos);
  }
}

TEST_CASE("push request: object ids are checked as strictly as ever, as RefUpdate values") {
  // 40 or 64 lowercase hex digits, and both ids of a command the same length.
  const std::string k64(64, 'c');
  Parsed sha256 = Parse(PktLine(std::string(64, '0') + " " + k64 + " refs/heads/x\n") + "0000" + EmptyPack());
  REQUIRE(sha256.feed.ok());
  REQUIRE(sha256.req.commands.size() == 1);
  RefUpdate u = sha256.req.commands[0];  // what the gate reads (git/ref_update.h)
  CHECK(u.new_id == k64);
  CHECK(u.is_create());
  CHECK_FALSE(u.is_delete());
  for (const std::string& line : {kA + " " + k64 + " refs/heads/x\n",                   // lengths differ
                                  kA + " " + std::string(40, 'B') + " refs/heads/x\n",  // upper case
                                  kA + " " + std::string(41, 'b') + " refs/heads/x\n",  // 41 digits
                                  kA.substr(0, 39) + " " + kB + " refs/heads/x\n",      // 39 digits
                                  std::string(63, 'c') + " " + std::string(63, 'c') + " refs/heads/x\n"}) {
    CAPTURE(line);
    Parsed r = Parse(PktLine(line) + "0000", 7);
    REQUIRE_FALSE(r.feed.ok());
    CHECK(r.feed.message().find("malformed object id in command 1") != std::string::npos);
    CHECK(r.req.commands.empty());
  }
}

TEST_CASE("push request: limits on commands and push options") {
  ReceivePackParser::Limits limits;
  limits.max_commands = 3;
  ReceivePackParser parser([](std::string_view) { return Status::Ok(); }, limits);
  std::string body;
  for (int i = 0; i < 4; ++i) body += PktLine(kA + " " + kB + " refs/heads/b" + std::to_string(i) + "\n");
  Status s = parser.Feed(body);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("more than 3 ref updates") != std::string::npos);
}

TEST_CASE("push request: flushes after the pack are not part of it") {
  std::string body = PktLine(kA + " " + kB + " refs/heads/x\n") + "0000" + EmptyPack() + "00000000";
  for (size_t step : {size_t(1), size_t(5), body.size()}) {
    Parsed r = Parse(body, step);
    REQUIRE(r.finish.ok());
    CHECK(r.pack == EmptyPack());
    CHECK(r.req.pack_bytes == 32);
  }
  // Something else after the pack is handed over: the indexer will refuse it.
  Parsed junk = Parse(PktLine(kA + " " + kB + " refs/heads/x\n") + "0000" + EmptyPack() + "junk");
  CHECK(junk.pack == EmptyPack() + "junk");
}

TEST_CASE("push request: a failing pack sink stops the parser") {
  ReceivePackParser parser([](std::string_view) { return Status::Corrupt("the pack is malformed: bad object"); });
  Status s = parser.Feed(PktLine(kA + " " + kB + " refs/heads/x\n") + "0000" + EmptyPack());
  if (s.ok()) s = parser.Finish();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "the pack is malformed: bad object");
  CHECK(parser.commands_complete());  // the commands were fine: every ref can be answered
}

namespace {
ReceivePackRequest RequestWith(const std::string& caps) {
  std::string body = PktLine(kZero + " " + kA + " refs/heads/main" + std::string("\0", 1) + caps + "\n") +
                     PktLine(kA + " " + kB + " refs/tags/v1\n") + "0000" + EmptyPack();
  return Parse(body, body.size()).req;
}
}  // namespace

TEST_CASE("report-status without side-band: unpack ok, ng for every ref in order, flush") {
  for (const char* caps : {"report-status", "report-status-v2"}) {
    Rejection r;
    r.reason = "secret found";
    r.human_report = "ignored without side-band\n";
    auto p = Packets(EncodeRejection(RequestWith(caps), r));
    CHECK(p == std::vector<std::string>{"unpack ok\n", "ng refs/heads/main secret found\n",
                                        "ng refs/tags/v1 secret found\n", "<flush>"});
  }
}

TEST_CASE("report-status with side-band-64k: report on band 2, status on band 1, outer flush") {
  Rejection r;
  r.reason = "secret\nfound";  // a newline cannot break the line
  r.human_report = "line one\n\nline three\n";
  std::string out = EncodeRejection(RequestWith("report-status side-band-64k"), r);
  auto p = Packets(out);
  REQUIRE(p.size() == 5);
  CHECK(p[0] == "\2line one\n");
  CHECK(p[1] == "\2\n");
  CHECK(p[2] == "\2line three\n");
  CHECK(p[3][0] == '\1');
  CHECK(Packets(p[3].substr(1)) == std::vector<std::string>{"unpack ok\n", "ng refs/heads/main secret found\n",
                                                            "ng refs/tags/v1 secret found\n", "<flush>"});
  CHECK(p[4] == "<flush>");
}

TEST_CASE("report-status with side-band: long lines and many refs are split into legal packets") {
  std::string body;
  for (int i = 0; i < 2000; ++i)
    body += PktLine(kA + " " + kB + " refs/heads/" + std::string(40, 'r') + std::to_string(i) +
                    (i == 0 ? std::string("\0", 1) + "report-status side-band-64k\n" : "\n"));
  body += "0000" + EmptyPack();
  ReceivePackRequest req = Parse(body, body.size()).req;
  REQUIRE(req.commands.size() == 2000);
  Rejection r;
  r.reason = "blocked";
  r.human_report = std::string(70000, 'x') + "\n";
  auto p = Packets(EncodeRejection(req, r));
  std::string band1;
  size_t band2 = 0;
  for (const std::string& pkt : p) {
    CHECK(pkt.size() <= kMaxPktPayload);
    if (pkt[0] == '\1') band1 += pkt.substr(1);
    if (pkt[0] == '\2') ++band2;
  }
  CHECK(band2 == 2);
  auto inner = Packets(band1);
  CHECK(inner.size() == 2002);
  CHECK(inner.back() == "<flush>");
  CHECK(p.back() == "<flush>");
}

TEST_CASE("an unpack failure names itself and every ref gets the unpacker error") {
  Rejection r;
  r.unpack_status = "the pack could not be indexed: missing delta base";
  r.reason = "unpacker error";
  auto p = Packets(EncodeRejection(RequestWith("report-status"), r));
  CHECK(p[0] == "unpack the pack could not be indexed: missing delta base\n");
  CHECK(p[1] == "ng refs/heads/main unpacker error\n");
}

TEST_CASE("report-status: a ref name with a line break or too long for a packet cannot break its ng line") {
  // Found by fuzz/report_status_fuzzer.cc (fuzz/corpus/report_status/crash-ref-newline).
  // The request parser refuses such refs; the encoder must not rely on it.
  ReceivePackRequest req = RequestWith("report-status");
  req.commands[0].ref = "refs/heads/a\nb\rc";
  req.commands[1].ref = "refs/heads/" + std::string(70000, 'x');
  Rejection r;
  r.reason = "blocked";
  auto p = Packets(EncodeRejection(req, r));
  REQUIRE(p.size() == 4);
  for (int i : {1, 2}) {
    INFO("ng line " << i << ": " << p[i].substr(0, 40));
    CHECK(p[i].rfind("ng refs/heads/", 0) == 0);
    CHECK(p[i].find('\n') == p[i].size() - 1);
    CHECK(p[i].size() >= 9);
    CHECK(p[i].substr(p[i].size() - 9) == " blocked\n");
  }
  CHECK(p[1] == "ng refs/heads/a b c blocked\n");
  CHECK(p[3] == "<flush>");
}

TEST_CASE("gzip bodies are decoded for the parser") {
  // gzip of "0000" (python: gzip.compress(b"0000", mtime=0)).
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x33, 0x30,
                              0x30, 0x30, 0x00, 0x00, 0x72, 0xc4, 0x9b, 0x0c, 0x04, 0x00, 0x00, 0x00};
  std::unique_ptr<BodyDecoder> d;
  REQUIRE(BodyDecoder::Create("gzip", &d).ok());
  std::string out;
  for (unsigned char c : gz)
    REQUIRE(d->Decode(std::string(1, static_cast<char>(c)), [&](std::string_view s) {
               out.append(s);
               return Status::Ok();
             }).ok());
  CHECK(d->Finish().ok());
  CHECK(out == "0000");
  REQUIRE(BodyDecoder::Create("gzip", &d).ok());
  CHECK_FALSE(d->Decode("not gzip at all", [](std::string_view) { return Status::Ok(); }).ok());
  CHECK_FALSE(BodyDecoder::Create("br", &d).ok());
}

TEST_CASE("gateway config: routes, limits and clear errors") {
  Config c;
  Status s = ParseConfig(R"(
[server]
threads = 4
[[server.listen]]
address = "127.0.0.1"
port = 8080
[limits]
max_push_bytes = 1048576
[[route]]
prefix = "/acme"
upstream = "https://git.example.com:8443/scm"
[[route]]
prefix = "/acme/special/"
upstream = "http://10.0.0.1/"
policy = "/etc/akgate/special.toml"
)",
                         "test.toml", &c);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(c.threads == 4);
  CHECK(c.max_push_bytes == 1048576);
  REQUIRE(c.routes.size() == 2);
  CHECK(c.routes[0].prefix == "/acme/");
  CHECK(c.routes[0].url.tls);
  CHECK(c.routes[0].url.host == "git.example.com");
  CHECK(c.routes[0].url.port == "8443");
  CHECK(c.routes[0].url.base_path == "/scm/");
  CHECK(c.FindRoute("/acme/repo.git/info/refs")->prefix == "/acme/");
  CHECK(c.FindRoute("/acme/special/r.git/")->prefix == "/acme/special/");
  CHECK(c.routes[0].policy_file.empty());
  CHECK(c.routes[1].policy_file == "/etc/akgate/special.toml");
  CHECK(c.FindRoute("/acmex/r.git/") == nullptr);
  CHECK(c.FindRoute("/other/") == nullptr);

  CHECK(ParseConfig("[[server.listen]]\nport=1\n", "x", &c).message().find("no [[route]]") != std::string::npos);
  CHECK(ParseConfig("[[server.listen]]\nport=1\n[[route]]\nprefix='/a'\nupstream='ftp://x'\n", "x", &c)
            .message()
            .find("http://") != std::string::npos);
  CHECK(ParseConfig("[[server.listen]]\nport=1\n[[route]]\nprefix='/a'\nupstream='https://u:p@x/'\n", "x", &c)
            .message()
            .find("credentials") != std::string::npos);
  CHECK(ParseConfig("[[server.listen]]\nport=1\ntls_cert='a'\n[[route]]\nprefix='/a'\nupstream='http://x'\n", "x", &c)
            .message()
            .find("go together") != std::string::npos);
  CHECK(
      ParseConfig("[[server.listen]]\nport=1\n[limits]\nmax_push_byte = 3\n", "x", &c).message().find("unknown key") !=
      std::string::npos);
  CHECK(ParseConfig("[[server.listen]]\nport=70000\n", "x", &c).message().find("from 0 to 65535") != std::string::npos);
}

TEST_CASE("fetch request: commits shallow and without blobs, blobs on their own, done, flush") {
  FetchWants w;
  REQUIRE(git_oid_fromstr(&w.commits.emplace_back(), kA.c_str()) == 0);
  REQUIRE(git_oid_fromstr(&w.trees.emplace_back(), kB.c_str()) == 0);
  std::string body = FetchRequestBody(w);
  std::vector<std::string> p;
  {
    PktReader r;
    r.Feed(body);
    PktReader::Packet pk;
    while (r.Next(&pk) == PktReader::kPacket)
      p.push_back(pk.type == PktReader::Type::kFlush   ? "<flush>"
                  : pk.type == PktReader::Type::kDelim ? "<delim>"
                                                       : pk.payload);
    REQUIRE(r.pending() == 0);
  }
  CHECK(p.front() == "command=fetch\n");
  CHECK(std::find(p.begin(), p.end(), "<delim>") != p.end());
  CHECK(std::find(p.begin(), p.end(), "deepen 1\n") != p.end());
  CHECK(std::find(p.begin(), p.end(), "filter blob:none\n") != p.end());
  CHECK(std::find(p.begin(), p.end(), "want " + kA + "\n") != p.end());
  CHECK(std::find(p.begin(), p.end(), "want " + kB + "\n") != p.end());
  CHECK(p[p.size() - 2] == "done\n");
  CHECK(p.back() == "<flush>");

  FetchWants blobs;
  REQUIRE(git_oid_fromstr(&blobs.blobs.emplace_back(), kA.c_str()) == 0);
  std::string b = FetchRequestBody(blobs);
  CHECK(b.find("deepen") == std::string::npos);
  CHECK(b.find("filter") == std::string::npos);
  CHECK(b.find("want " + kA) != std::string::npos);
}

TEST_CASE("fetch capabilities: protocol v2 features, a v0 advertisement, and what each want needs") {
  std::string v2 = PktLine("# service=git-upload-pack\n") + "0000" + PktLine("version 2\n") +
                   PktLine("agent=git/2.39.2\n") + PktLine("ls-refs=unborn\n") +
                   PktLine("fetch=shallow wait-for-done filter\n") + PktLine("server-option\n") + "0000";
  FetchCapabilities c;
  REQUIRE(ParseFetchCapabilities(v2, &c).ok());
  CHECK(c.v2);
  CHECK(c.fetch);
  CHECK(c.shallow);
  CHECK(c.filter);
  FetchWants commits;
  commits.commits.emplace_back();
  FetchWants blobs;
  blobs.blobs.emplace_back();
  CHECK(CheckFetchCapabilities(c, commits).ok());

  std::string no_filter = PktLine("version 2\n") + PktLine("fetch=shallow wait-for-done\n") + "0000";
  REQUIRE(ParseFetchCapabilities(no_filter, &c).ok());
  CHECK_FALSE(c.filter);
  Status s = CheckFetchCapabilities(c, commits);
  CHECK(s.message().find("uploadpack.allowFilter") != std::string::npos);
  CHECK(CheckFetchCapabilities(c, blobs).ok());  // blobs need no filter

  std::string v0 = PktLine("# service=git-upload-pack\n") + "0000" +
                   PktLine(kA + " HEAD" + std::string(1, '\0') + "multi_ack side-band-64k\n") + "0000";
  REQUIRE(ParseFetchCapabilities(v0, &c).ok());
  CHECK_FALSE(c.v2);
  CHECK(CheckFetchCapabilities(c, blobs).message().find("protocol v2") != std::string::npos);

  CHECK_FALSE(ParseFetchCapabilities("zzzz", &c).ok());
  CHECK_FALSE(ParseFetchCapabilities(PktLine("version 2\n").substr(0, 6), &c).ok());
}

namespace {

struct FetchParsed {
  Status status;
  std::string pack;
};

FetchParsed ParseFetch(const std::string& response, size_t step) {
  FetchParsed out;
  FetchResponseParser p([&](std::string_view b) {
    out.pack.append(b);
    return Status::Ok();
  });
  for (size_t i = 0; i < response.size() && out.status.ok(); i += step)
    out.status = p.Feed(std::string_view(response).substr(i, step));
  if (out.status.ok()) out.status = p.Finish();
  return out;
}

}  // namespace

TEST_CASE("fetch response: sections skipped, the pack from band 1, in any split") {
  std::string response = PktLine("shallow-info\n") + PktLine("shallow " + kA + "\n") + "0001" + PktLine("packfile\n") +
                         SidebandPkt(2, "Enumerating objects: 3\n") + SidebandPkt(1, "PACK-part-one|") +
                         SidebandPkt(1, "part-two") + "0000";
  for (size_t step : {size_t{1}, size_t{3}, size_t{7}, response.size()}) {
    FetchParsed r = ParseFetch(response, step);
    REQUIRE_MESSAGE(r.status.ok(), r.status.message());
    CHECK(r.pack == "PACK-part-one|part-two");
  }
}

TEST_CASE("fetch response: hostile or broken answers give clear errors") {
  std::string pack = PktLine("packfile\n") + SidebandPkt(1, "PACK");
  CHECK(ParseFetch(pack, 5).status.message().find("ended early") != std::string::npos);
  CHECK(
      ParseFetch(PktLine("ERR upload-pack: not our ref " + kA + "\n"), 4).status.message().find("refused the fetch") !=
      std::string::npos);
  CHECK(
      ParseFetch(pack + SidebandPkt(3, "fatal: out of memory\n") + "0000", 9).status.message().find("out of memory") !=
      std::string::npos);
  CHECK(ParseFetch(pack + SidebandPkt(7, "x") + "0000", 9).status.message().find("side-band 7") != std::string::npos);
  CHECK(ParseFetch(PktLine("nonsense\n"), 9).status.message().find("unexpected line") != std::string::npos);
  CHECK(ParseFetch("0000", 4).status.message().find("without a pack") != std::string::npos);
  CHECK(ParseFetch(pack + "0000" + "garbage", 100).status.message().find("after the end") != std::string::npos);
  CHECK(ParseFetch(pack + "zzzz", 100).status.message().find("malformed") != std::string::npos);
  // A failing sink (e.g. the indexer) stops the parser with its message.
  FetchResponseParser p([](std::string_view) { return Status::Corrupt("the pack is malformed: bad header"); });
  CHECK(p.Feed(pack).message() == "the pack is malformed: bad header");
  CHECK_FALSE(p.Finish().ok());
}
