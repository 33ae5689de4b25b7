// The upstream fetcher (gateway/upstream_fetcher.h) against a real HTTP
// server on 127.0.0.1 that answers as an upstream might: with objects, 404,
// garbage, too much, or nothing at all (the timeout and the cancel flag).
#include <doctest/doctest.h>
#include <git2.h>

#include <chrono>
#include <thread>

#include "gateway/basic_auth.h"
#include "gateway/pkt_line.h"
#include "gateway/upstream_fetcher.h"
#include "gateway_sockets.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::gateway;
using namespace akgate::testing;

namespace {

constexpr const char* kAdvertisementType = "application/x-git-upload-pack-advertisement";
constexpr const char* kResultType = "application/x-git-upload-pack-result";
const std::string kPusherAuth = EncodeBasicAuth("alice", "pusher-token");

std::string V2Advertisement() {
  return PktLine("version 2\n") + PktLine("agent=git/2.39.2\n") + PktLine("ls-refs\n") +
         PktLine("fetch=shallow wait-for-done filter\n") + "0000";
}

// A protocol v2 fetch response carrying `pack` on side-band 1.
std::string FetchResponse(const std::string& pack) {
  std::string out = PktLine("packfile\n") + PktLine(std::string("\2") + "Enumerating objects: 3, done.\n");
  for (size_t i = 0; i < pack.size(); i += 60000) out += PktLine("\1" + pack.substr(i, 60000));
  return out + "0000";
}

// What a push's exchange gives the fetcher: the route, the pusher's
// Authorization, the upstream target of the push, the deadline.
struct PushExchange {
  explicit PushExchange(uint16_t upstream_port, unsigned upstream_timeout_s = 5) {
    config.routes = {LoopbackRoute("/h/", upstream_port)};
    config.upstream_timeout_s = upstream_timeout_s;
    config.connect_timeout_s = 5;
    config.max_push_bytes = 1 << 20;
    parser.get().set(http::field::authorization, kPusherAuth);
    ClientRequest r(gw, client, buffer, parser);
    r.id = 7;
    r.deadline = Clock::now() + std::chrono::seconds(60);
    x = std::make_unique<Exchange>(std::move(r), config.routes[0], "/git/app.git/git-receive-pack");
  }
  ~PushExchange() { workers.join(); }

  Config config;
  Metrics metrics;
  NoPushesGate gate;
  net::thread_pool workers{1};
  ScanSlots slots{1};
  GatewayContext gw{config, metrics, gate, workers, slots};
  net::io_context io;
  Stream client{beast::tcp_stream(io)};
  beast::flat_buffer buffer;
  http::request_parser<http::buffer_body> parser;
  std::unique_ptr<Exchange> x;
};

FetchWants WantCommit(const git_oid& id) {
  FetchWants w;
  w.commits.push_back(id);
  return w;
}

git_oid SomeId() {
  git_oid id;
  REQUIRE(git_oid_fromstr(&id, std::string(40, 'a').c_str()) == 0);
  return id;
}

}  // namespace

TEST_CASE("upstream fetcher: objects arrive as an indexed pack, asked over protocol v2 with the pusher's credentials") {
  TestRepo repo;
  git_oid c = repo.Commit({{"config.yml", "key: value\n"}}, {});
  std::string pack = PackOf(repo, c);
  ScriptedUpstream up([&](const UpstreamRequest& r) {
    if (r.RequestLine().rfind("GET ", 0) == 0) return HttpResponse(200, kAdvertisementType, V2Advertisement());
    return HttpResponse(200, kResultType, FetchResponse(pack));
  });
  TempDir spool;
  PushExchange px(up.port());
  UpstreamFetcher fetcher(*px.x, spool.path());
  std::string objects_dir;
  Status s = fetcher.Fetch(WantCommit(c), nullptr, &objects_dir);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(objects_dir == spool.path() + "/upstream-1/objects");

  git_odb* odb = nullptr;
  REQUIRE(git_odb_open(&odb, objects_dir.c_str()) == 0);
  CHECK(git_odb_exists(odb, &c) == 1);
  git_odb_free(odb);

  std::vector<UpstreamRequest> seen = up.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].RequestLine() == "GET /git/app.git/info/refs?service=git-upload-pack HTTP/1.1");
  CHECK(seen[1].RequestLine() == "POST /git/app.git/git-upload-pack HTTP/1.1");
  for (const UpstreamRequest& r : seen) {
    CHECK(r.Header("Authorization") == kPusherAuth);  // nothing the pusher could not clone
    CHECK(r.Header("Git-Protocol") == "version=2");
    CHECK(r.Header("Host") == "127.0.0.1:" + std::to_string(up.port()));
  }
  CHECK(seen[1].body.find("want " + Hex(c)) != std::string::npos);
  CHECK(seen[1].body.find("deepen 1") != std::string::npos);

  // A second fetch reuses the capabilities and gets a directory of its own.
  s = fetcher.Fetch(WantCommit(c), nullptr, &objects_dir);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(objects_dir == spool.path() + "/upstream-2/objects");
  CHECK(up.requests().size() == 3);
}

TEST_CASE("upstream fetcher: an upstream answering 404 is an error naming the status") {
  ScriptedUpstream up([](const UpstreamRequest&) { return HttpResponse(404, "text/plain", "not found\n"); });
  TempDir spool;
  PushExchange px(up.port());
  UpstreamFetcher fetcher(*px.x, spool.path());
  std::string objects_dir;
  Status s = fetcher.Fetch(WantCommit(SomeId()), nullptr, &objects_dir);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("cannot read the upstream's capabilities") != std::string::npos);
  CHECK(s.message().find("HTTP 404") != std::string::npos);
  CHECK(objects_dir.empty());

  // The capabilities pass, the fetch itself is refused.
  ScriptedUpstream up2([](const UpstreamRequest& r) {
    if (r.RequestLine().rfind("GET ", 0) == 0) return HttpResponse(200, kAdvertisementType, V2Advertisement());
    return HttpResponse(404, "text/plain", "gone\n");
  });
  PushExchange px2(up2.port());
  UpstreamFetcher fetcher2(*px2.x, spool.path());
  s = fetcher2.Fetch(WantCommit(SomeId()), nullptr, &objects_dir);
  CHECK(s.message().find("the upstream answered HTTP 404") != std::string::npos);
}

TEST_CASE("upstream fetcher: garbage from the upstream is an error saying what was wrong") {
  struct Case {
    std::string answer;  // to the fetch (the capabilities are fine)
    std::string error;
  };
  for (const Case& c :
       {Case{"this is not HTTP\r\n\r\n", "no valid answer"},
        Case{HttpResponse(200, "text/html", "<html>login</html>"), "did not answer as a git server"},
        Case{HttpResponse(200, kResultType, "zzzz garbage"), "pkt-line"},
        Case{HttpResponse(200, kResultType, PktLine("packfile\n") + PktLine("\1PACK")), "ended"},
        Case{HttpResponse(200, kResultType, PktLine("ERR access denied\n")), "access denied"},
        Case{"HTTP/1.1 200 OK\r\nContent-Type: " + std::string(kResultType) + "\r\nContent-Length: 100\r\n\r\nshort",
             "cut short"}}) {
    CAPTURE(c.answer);
    ScriptedUpstream up([&](const UpstreamRequest& r) {
      if (r.RequestLine().rfind("GET ", 0) == 0) return HttpResponse(200, kAdvertisementType, V2Advertisement());
      return c.answer;
    });
    TempDir spool;
    PushExchange px(up.port());
    UpstreamFetcher fetcher(*px.x, spool.path());
    std::string objects_dir;
    Status s = fetcher.Fetch(WantCommit(SomeId()), nullptr, &objects_dir);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find(c.error) != std::string::npos);
  }
}

TEST_CASE("upstream fetcher: an answer larger than limits.max_push_bytes is stopped at the limit") {
  std::string huge(2 << 20, 'x');  // the exchange allows 1 MiB
  // Announced by its Content-Length, or found out as it streams (no length:
  // the body ends when the connection does).
  for (bool announced : {true, false}) {
    CAPTURE(announced);
    ScriptedUpstream up([&](const UpstreamRequest& r) {
      if (r.RequestLine().rfind("GET ", 0) == 0) return HttpResponse(200, kAdvertisementType, V2Advertisement());
      if (announced) return HttpResponse(200, kResultType, huge);
      std::string progress = PktLine("packfile\n");  // endless progress messages (band 2)
      while (progress.size() < huge.size()) progress += PktLine("\2" + std::string(60000, 'p'));
      return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(kResultType) + "\r\nConnection: close\r\n\r\n" +
             progress;
    });
    TempDir spool;
    PushExchange px(up.port());
    UpstreamFetcher fetcher(*px.x, spool.path());
    std::string objects_dir;
    Status s = fetcher.Fetch(WantCommit(SomeId()), nullptr, &objects_dir);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kResourceExhausted);
    CHECK(s.message().find("larger than the gateway's limit") != std::string::npos);
  }
}

TEST_CASE("upstream fetcher: an upstream that says nothing times out, and the cancel flag stops a fetch at once") {
  ScriptedUpstream up([](const UpstreamRequest&) { return std::string(ScriptedUpstream::kHang); });
  TempDir spool;
  {
    PushExchange px(up.port(), /*upstream_timeout_s=*/1);
    UpstreamFetcher fetcher(*px.x, spool.path());
    std::string objects_dir;
    auto started = std::chrono::steady_clock::now();
    Status s = fetcher.Fetch(WantCommit(SomeId()), nullptr, &objects_dir);
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("timeout") != std::string::npos);
    CHECK(took < std::chrono::seconds(15));  // 1 s expected; a hang would be the bug
  }
  {
    PushExchange px(up.port(), /*upstream_timeout_s=*/300);
    UpstreamFetcher fetcher(*px.x, spool.path());
    std::atomic<bool> cancel{false};
    std::thread canceller([&cancel] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      cancel = true;
    });
    std::string objects_dir;
    auto started = std::chrono::steady_clock::now();
    Status s = fetcher.Fetch(WantCommit(SomeId()), &cancel, &objects_dir);
    auto took = std::chrono::steady_clock::now() - started;
    canceller.join();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("cancelled") != std::string::npos);
    CHECK(took < std::chrono::seconds(15));  // not the 300 s idle limit
  }
}

TEST_CASE("upstream fetcher: an upstream nobody listens on is an error naming it") {
  uint16_t port = ClosedPort();
  TempDir spool;
  PushExchange px(port);
  UpstreamFetcher fetcher(*px.x, spool.path());
  std::string objects_dir;
  Status s = fetcher.Fetch(WantCommit(SomeId()), nullptr, &objects_dir);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("cannot connect to 127.0.0.1:" + std::to_string(port)) != std::string::npos);
}
