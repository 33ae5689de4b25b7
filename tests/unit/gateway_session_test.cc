// One client connection through the gateway's session (gateway/session.h)
// over real sockets on 127.0.0.1: the header read within its limit, the
// router's decision acted on (health, metrics, 400, 404, 405), keep-alive,
// and what is relayed to a real (scripted) upstream and back.
#include <doctest/doctest.h>

#include <string>

#include "gateway/pkt_line.h"
#include "gateway_sockets.h"

using namespace akgate;
using namespace akgate::gateway;
using namespace akgate::testing;

namespace {

Config RoutedTo(uint16_t upstream_port) {
  Config c;
  c.routes = {LoopbackRoute("/h/", upstream_port)};
  c.max_header_bytes = 4096;
  c.idle_timeout_s = 5;
  c.connect_timeout_s = 5;
  c.upstream_timeout_s = 5;
  return c;
}

std::string Get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: gw\r\n" + extra + "Connection: close\r\n\r\n";
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("session: /healthz and /metrics are answered by the gateway; draining turns health to 503") {
  ScriptedUpstream up([](const UpstreamRequest&) { return HttpResponse(500, "text/plain", "never asked"); });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string health = RawExchange(gw.port(), Get("/healthz"));
  CHECK(StatusOf(health) == 200);
  CHECK(Contains(health, "\r\n\r\nok\n"));
  std::string metrics = RawExchange(gw.port(), Get("/metrics"));
  CHECK(StatusOf(metrics) == 200);
  CHECK(Contains(metrics, "akgate_gateway_"));
  // A request already arriving when SIGTERM comes is told the gateway is
  // draining (so a load balancer stops sending); a new one is not read.
  std::string draining = RawExchangeInTwo(
      gw.port(), "GET /healthz HTTP/1.1\r\nHost: gw\r\n", [&gw] { gw.context().draining = true; },
      "Connection: keep-alive\r\n\r\n");
  CHECK(StatusOf(draining) == 503);
  CHECK(Contains(draining, "draining"));
  CHECK(Contains(draining, "Connection: close"));  // not kept while draining
  CHECK(RawExchange(gw.port(), Get("/healthz")).empty());
  CHECK(up.requests().empty());
}

TEST_CASE("session: a target the router refuses gets 400 naming why, and the upstream is never asked") {
  ScriptedUpstream up([](const UpstreamRequest&) { return HttpResponse(200, "text/plain", "leaked"); });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string dots = RawExchange(gw.port(), Get("/h/%2e%2e/secret.git/info/refs?service=git-upload-pack"));
  CHECK(StatusOf(dots) == 400);
  CHECK(Contains(dots, "akgate-gateway: request refused: the request path holds a dot segment"));
  std::string slash = RawExchange(gw.port(), Get("/h/app.git%2Fgit-receive-pack"));
  CHECK(StatusOf(slash) == 400);
  CHECK(Contains(slash, "encoded '/'"));
  std::string nul = RawExchange(gw.port(), Get("/h/app.git/%00"));
  CHECK(StatusOf(nul) == 400);
  CHECK(Contains(nul, "control character"));
  CHECK(up.requests().empty());
}

TEST_CASE("session: no route is 404 naming the path; GET on git-receive-pack is 405") {
  ScriptedUpstream up([](const UpstreamRequest&) { return HttpResponse(200, "text/plain", "leaked"); });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string none = RawExchange(gw.port(), Get("/other/app.git/info/refs?service=git-upload-pack"));
  CHECK(StatusOf(none) == 404);
  CHECK(Contains(none, "no route for /other/app.git/info/refs"));
  std::string get = RawExchange(gw.port(), Get("/h/app.git/git-receive-pack"));
  CHECK(StatusOf(get) == 405);
  CHECK(Contains(get, "git-receive-pack takes POST only"));
  CHECK(up.requests().empty());
}

TEST_CASE("session: a header over limits.max_header_bytes is 431; a malformed request is 400; both close") {
  ScriptedUpstream up([](const UpstreamRequest&) { return HttpResponse(200, "text/plain", "leaked"); });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string big = RawExchange(gw.port(), Get("/h/app.git/HEAD", "X-Big: " + std::string(8000, 'b') + "\r\n"));
  CHECK(StatusOf(big) == 431);
  CHECK(Contains(big, "larger than 4096 bytes"));
  CHECK(Contains(big, "Connection: close"));
  std::string overlong = RawExchange(gw.port(), Get("/h/" + std::string(8000, 'a')));
  CHECK(StatusOf(overlong) == 431);
  std::string garbage = RawExchange(gw.port(), "NOT HTTP AT ALL\r\n\r\n");
  CHECK(StatusOf(garbage) == 400);
  CHECK(Contains(garbage, "malformed HTTP request"));
  std::string silent = RawExchange(gw.port(), "", 2);  // connects and says nothing
  CHECK(silent.empty());
  CHECK(up.requests().empty());
}

TEST_CASE("session: keep-alive serves several requests on one connection") {
  ScriptedUpstream up([](const UpstreamRequest&) { return HttpResponse(500, "text/plain", "never asked"); });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string two = RawExchange(gw.port(), "GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n" + Get("/metrics"));
  CHECK(StatusOf(two) == 200);
  size_t second = two.find("HTTP/1.1 200", 5);
  REQUIRE(second != std::string::npos);
  CHECK(Contains(two.substr(second), "akgate_gateway_"));
}

TEST_CASE("session: fetch traffic is relayed with the canonical target, hop-by-hop headers dropped, Via added") {
  ScriptedUpstream up([](const UpstreamRequest&) {
    return HttpResponse(200, "application/x-git-upload-pack-advertisement", "ADVERTISEMENT",
                        "Keep-Alive: timeout=5\r\n");
  });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string answer = RawExchange(gw.port(),
                                   "GET /h/my%20repo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: gw\r\n"
                                   "Authorization: Basic YWxpY2U6czNjcmV0\r\nGit-Protocol: version=2\r\n"
                                   "X-Hop: 1\r\nProxy-Authorization: Basic eDp5\r\nConnection: X-Hop, close\r\n\r\n");
  CHECK(StatusOf(answer) == 200);
  CHECK(Contains(answer, "\r\n\r\nADVERTISEMENT"));
  CHECK(Contains(answer, "Via: 1.1 akgate-gateway"));
  CHECK_FALSE(Contains(answer, "Keep-Alive:"));
  std::vector<UpstreamRequest> seen = up.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].RequestLine() == "GET /git/my%20repo.git/info/refs?service=git-upload-pack HTTP/1.1");
  CHECK(seen[0].Header("Host") == "127.0.0.1:" + std::to_string(up.port()));
  CHECK(seen[0].Header("Authorization") == "Basic YWxpY2U6czNjcmV0");  // pass-through: the upstream judges
  CHECK(seen[0].Header("Git-Protocol") == "version=2");
  CHECK(seen[0].Header("X-Hop").empty());
  CHECK(seen[0].Header("Proxy-Authorization").empty());
  CHECK(seen[0].Header("X-Forwarded-For") == "127.0.0.1");
}

TEST_CASE("session: the receive-pack advertisement comes back with no-thin added") {
  std::string adv = PktLine("# service=git-receive-pack\n") + "0000" +
                    PktLine(std::string(40, 'a') + " refs/heads/main" + std::string(1, '\0') +
                            "report-status side-band-64k push-options\n") +
                    "0000";
  ScriptedUpstream up(
      [&](const UpstreamRequest&) { return HttpResponse(200, "application/x-git-receive-pack-advertisement", adv); });
  GatewaySessions gw(RoutedTo(up.port()));
  std::string answer = RawExchange(gw.port(), Get("/h/app.git/info/refs?service=git-receive-pack"));
  CHECK(StatusOf(answer) == 200);
  CHECK(Contains(answer, "no-thin"));
  CHECK(Contains(answer, "push-options"));
  REQUIRE(up.requests().size() == 1);
  CHECK(up.requests()[0].Header("Accept-Encoding") == "identity");  // it is rewritten, so it must come plain
}

TEST_CASE("session: an upstream nobody listens on is 502 naming it") {
  uint16_t closed = ClosedPort();
  GatewaySessions gw(RoutedTo(closed));
  std::string answer = RawExchange(gw.port(), Get("/h/app.git/info/refs?service=git-upload-pack"));
  CHECK(StatusOf(answer) == 502);
  CHECK(Contains(answer, "the upstream 127.0.0.1:" + std::to_string(closed) + " failed: cannot connect"));
  CHECK(gw.metrics().upstream_errors.load() == 1);
}
