// Where a request goes (gateway/router.h), with no socket: the pure
// function from method, raw target and configuration to a RouteDecision.
// Path safety comes first: a target is decoded once, and whatever a second
// decoding or a normalising server could read differently never reaches a
// route.
#include <doctest/doctest.h>

#include <string>

#include "gateway/router.h"

using namespace akgate;
using namespace akgate::gateway;
using Kind = RouteDecision::Kind;

namespace {

Config TwoRoutes() {
  Config c;
  Route h;
  h.prefix = "/h/";
  h.upstream = "https://git.example.com/git/";
  REQUIRE(ParseUpstreamUrl(h.upstream, &h.url).ok());
  Route team;
  team.prefix = "/h/team/";
  team.upstream = "http://team.example.com:8080/";
  REQUIRE(ParseUpstreamUrl(team.upstream, &team.url).ok());
  c.routes = {h, team};
  return c;
}

RouteDecision Decide(const std::string& method, const std::string& target) {
  static const Config config = TwoRoutes();
  return RouteRequest(method, target, config);
}

}  // namespace

TEST_CASE("router: health and metrics answer before any route, on the decoded path") {
  CHECK(Decide("GET", "/healthz").kind == Kind::kHealth);
  CHECK(Decide("GET", "/healthz?verbose=1").kind == Kind::kHealth);
  CHECK(Decide("GET", "/health%7A").kind == Kind::kHealth);
  CHECK(Decide("HEAD", "/metrics").kind == Kind::kMetrics);
  CHECK_FALSE(Decide("GET", "/healthz").routed());
  // Not the same path: these go through routing like any other.
  CHECK(Decide("GET", "/healthz/").kind == Kind::kNotFound);
  CHECK(Decide("GET", "/h/healthz").kind == Kind::kRelay);
}

TEST_CASE("router: a push is POST to git-receive-pack, whatever its encoding; another method is refused") {
  for (const char* target :
       {"/h/app.git/git-receive-pack", "/h/app.git/git-receive%2Dpack", "/%68/app.git/git-receive-pack"}) {
    RouteDecision d = Decide("POST", target);
    CAPTURE(target);
    CHECK(d.kind == Kind::kPush);
    REQUIRE(d.routed());
    CHECK(d.route->prefix == "/h/");
    CHECK(d.path == "/h/app.git/git-receive-pack");
    CHECK(d.upstream_target == "/git/app.git/git-receive-pack");
  }
  RouteDecision get = Decide("GET", "/h/app.git/git-receive-pack");
  CHECK(get.kind == Kind::kPushNotPost);
  CHECK(get.routed());  // signed in first (gateway-held), then refused
  CHECK(get.reason == "git-receive-pack takes POST only");
  CHECK(Decide("post", "/h/app.git/git-receive-pack").kind == Kind::kPushNotPost);  // methods are case-sensitive
  CHECK(Decide("PUT", "/h/app.git/git-receive-pack").kind == Kind::kPushNotPost);
}

TEST_CASE("router: the receive-pack advertisement on GET only; everything else is relayed") {
  RouteDecision adv = Decide("GET", "/h/app.git/info/refs?service=git-receive%2Dpack");
  CHECK(adv.kind == Kind::kAdvertisement);
  CHECK(adv.upstream_target == "/git/app.git/info/refs?service=git-receive-pack");
  CHECK(Decide("HEAD", "/h/app.git/info/refs?service=git-receive-pack").kind == Kind::kRelay);
  CHECK(Decide("GET", "/h/app.git/info/refs?service=git-upload-pack").kind == Kind::kRelay);
  CHECK(Decide("POST", "/h/app.git/git-upload-pack").kind == Kind::kRelay);
  CHECK(Decide("GET", "/h/app.git/HEAD").kind == Kind::kRelay);
}

TEST_CASE("router: the longest route prefix wins, and a prefix matches whole segments only") {
  RouteDecision team = Decide("POST", "/h/team/app.git/git-receive-pack");
  REQUIRE(team.routed());
  CHECK(team.route->prefix == "/h/team/");
  CHECK(team.upstream_target == "/app.git/git-receive-pack");
  CHECK(Decide("GET", "/h/teamx/app.git/HEAD").route->prefix == "/h/");
  CHECK(Decide("GET", "/hx/app.git/HEAD").kind == Kind::kNotFound);
  // The route's own path without its slash is the route.
  RouteDecision bare = Decide("GET", "/h/team");
  REQUIRE(bare.routed());
  CHECK(bare.route->prefix == "/h/team/");
  CHECK(bare.upstream_target == "/");
  RouteDecision none = Decide("GET", "/other/app.git/info/refs?service=git-upload-pack&token=s3cret");
  CHECK(none.kind == Kind::kNotFound);
  CHECK_FALSE(none.routed());
  CHECK(none.reason.find("no route for /other/app.git/info/refs") != std::string::npos);
  CHECK(none.reason.find("s3cret") == std::string::npos);  // never the query
}

TEST_CASE("router: the upstream gets the canonical form of what was routed") {
  RouteDecision d = Decide("GET", "/h/my%20repo.git/info/refs?service=git-upload-pack&a+b=c%26d");
  REQUIRE(d.routed());
  CHECK(d.path == "/h/my repo.git/info/refs");
  CHECK(d.upstream_target == "/git/my%20repo.git/info/refs?service=git-upload-pack&a%20b=c%26d");
  // Characters an upstream could read as syntax are encoded again.
  CHECK(Decide("GET", "/h/a%3Fb.git/HEAD").upstream_target == "/git/a%3Fb.git/HEAD");  // not a query
  CHECK(Decide("GET", "/h/a%23b.git/HEAD").upstream_target == "/git/a%23b.git/HEAD");
}

TEST_CASE("router: path safety: dot segments, encoded slashes, double slashes, NUL and double encoding never route") {
  struct Case {
    const char* target;
    const char* why;
  };
  for (const Case& c :
       {Case{"/h/../x/app.git/git-receive-pack", "dot segment"},
        Case{"/h/%2e%2e/x/app.git/git-receive-pack", "dot segment"},
        Case{"/h/%2E%2E/x/app.git/git-receive-pack", "dot segment"},
        Case{"/h/team/%2e%2e/app.git/git-receive-pack", "dot segment"},
        Case{"/h/./app.git/git-receive-pack", "dot segment"}, Case{"/h/app.git%2Fgit-receive-pack", "encoded '/'"},
        Case{"/h/team%2fapp.git/git-receive-pack", "encoded '/'"}, Case{"/h//app.git/git-receive-pack", "//"},
        Case{"//h/app.git/git-receive-pack", "//"}, Case{"/h/app.git/%00/git-receive-pack", "control character"},
        Case{"/h/app.git/git-receive-pack%00", "control character"},
        Case{"/h/app.git/git-receive%252Dpack", "double encoding"},
        Case{"/h/%252e%252e/app.git/git-receive-pack", "double encoding"},
        Case{"/h/app.git/git-receive-pack%", "malformed"}, Case{"/h/app.git\\git-receive-pack", "backslash"},
        Case{"h/app.git/git-receive-pack", "start with '/'"},
        Case{"/h/app.git/info/refs?service=git-receive-pack&service=git-upload-pack", "more than once"}}) {
    CAPTURE(c.target);
    for (const char* method : {"GET", "POST"}) {
      RouteDecision d = Decide(method, c.target);
      CHECK(d.kind == Kind::kBadRequest);
      CHECK_FALSE(d.routed());
      CHECK(d.upstream_target.empty());
      CHECK(d.reason.find(c.why) != std::string::npos);
    }
  }
}

TEST_CASE("router: an overlong target is routed or refused like a short one, in linear time") {
  std::string deep = "/h/";
  for (int i = 0; i < 100000; ++i) deep += "d/";
  deep += "app.git/git-receive-pack";
  RouteDecision d = Decide("POST", deep);  // ~200 KB, 100000 segments
  CHECK(d.kind == Kind::kPush);
  CHECK(d.upstream_target.size() == deep.size() + 2);  // "/git/" for "/h/"
  std::string dots = "/h/";
  for (int i = 0; i < 50000; ++i) dots += "a/";
  dots += "%2e%2e/app.git/git-receive-pack";
  CHECK(Decide("POST", dots).kind == Kind::kBadRequest);
  std::string encoded = "/h/";
  for (int i = 0; i < 100000; ++i) encoded += "%61";
  RouteDecision e = Decide("GET", encoded);
  REQUIRE(e.routed());
  CHECK(e.path.size() == 3 + 100000);
  // The session bounds it long before this (limits.max_header_bytes).
}
