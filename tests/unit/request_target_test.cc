// The gateway's routing input: a request target decoded once and checked
// before anything decides whether it is a push (gateway/request_target.h).
#include "gateway/request_target.h"

#include <doctest/doctest.h>

#include <string>

using namespace akgate;
using namespace akgate::gateway;
using Kind = RequestTarget::Kind;

namespace {

RequestTarget Parsed(const std::string& target) {
  RequestTarget t;
  Status s = ParseRequestTarget(target, &t);
  INFO(target << ": " << s.message());
  REQUIRE(s.ok());
  return t;
}

std::string Refusal(const std::string& target) {
  RequestTarget t;
  Status s = ParseRequestTarget(target, &t);
  INFO(target << " was accepted as " << t.path);
  REQUIRE_FALSE(s.ok());
  return s.message();
}

}  // namespace

TEST_CASE("request target: every encoding of git-receive-pack is a push") {
  for (const char* raw :
       {"/h/app.git/git-receive-pack", "/h/app.git/git-receive%2Dpack", "/h/app.git/git-receive%2dpack",
        "/h/app.git/%67it-receive-pack", "/h/app.git/%67%69%74%2D%72%65%63%65%69%76%65%2D%70%61%63%6B",
        "/h/app.git/%67%69%74%2d%72%65%63%65%69%76%65%2d%70%61%63%6b", "/h/app%2Egit/git-receive-pack",
        "/%68/app.git/git-receive-pack"}) {
    RequestTarget t = Parsed(raw);
    CHECK_MESSAGE(t.kind == Kind::kReceivePack, raw);
    CHECK(t.path == "/h/app.git/git-receive-pack");
  }
}

TEST_CASE("request target: the receive-pack advertisement whatever the encoding of service=") {
  for (const char* raw :
       {"/h/app.git/info/refs?service=git-receive-pack", "/h/app.git/info/refs?service=git%2Dreceive-pack",
        "/h/app.git/info/refs?service=git%2dreceive%2dpack", "/h/app.git/info/refs?%73ervice=git-receive-pack",
        "/h/app.git/info/refs?x=1&service=%67it-receive-pack&y=2", "/h/app.git/%69nfo/refs?service=git-receive-pack"}) {
    RequestTarget t = Parsed(raw);
    CHECK_MESSAGE(t.kind == Kind::kReceivePackAdvertisement, raw);
    CHECK(t.service == "git-receive-pack");
  }
  RequestTarget t = Parsed("/h/app.git/info/refs?service=git%2Dreceive-pack");
  CHECK(t.query == "service=git-receive-pack");  // what the upstream is sent
  CHECK(Parsed("/h/app.git/info/refs?service=git-upload-pack").kind == Kind::kOther);
  CHECK(Parsed("/h/app.git/git-upload-pack").kind == Kind::kOther);
  CHECK(Parsed("/h/app.git/info/refs").kind == Kind::kOther);
}

TEST_CASE("request target: refused paths name what was wrong") {
  CHECK(Refusal("/h/app.git/git-receive%252Dpack").find("'%' after decoding") != std::string::npos);
  CHECK(Refusal("/h/app.git/%2567it-receive-pack").find("double encoding") != std::string::npos);
  CHECK(Refusal("/h/app.git%2Fgit-receive-pack").find("encoded '/'") != std::string::npos);
  CHECK(Refusal("/h/app.git%2fgit-receive-pack").find("encoded '/'") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-pack/").find("trailing slash") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-pack%2F").find("encoded '/'") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-upload-pack/x").find("goes on after") != std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs/").find("goes on after") != std::string::npos);
  CHECK(Refusal("/h/app.git/GIT-RECEIVE-PACK").find("lower case") != std::string::npos);
  CHECK(Refusal("/h/app.git/Git-Receive-Pack").find("lower case") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-%50ack").find("lower case") != std::string::npos);
  CHECK(Refusal("/h/app.git/INFO/refs").find("lower case") != std::string::npos);
  CHECK(Refusal("/h//app.git/git-receive-pack").find("//") != std::string::npos);
  CHECK(Refusal("/h/app.git//git-receive-pack").find("//") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-pack;x=1").find("';'") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-pack%3Bx").find("';'") != std::string::npos);
  CHECK(Refusal("/h/app.git;/git-receive-pack").find("';'") != std::string::npos);
  CHECK(Refusal("/h/../x/app.git/git-receive-pack").find("dot segment") != std::string::npos);
  CHECK(Refusal("/h/%2e%2e/x/app.git/git-receive-pack").find("dot segment") != std::string::npos);
  CHECK(Refusal("/h/%2E/app.git/git-receive-pack").find("dot segment") != std::string::npos);
  CHECK(Refusal("/h/./app.git").find("dot segment") != std::string::npos);
  CHECK(Refusal("/h/app.git/%00").find("control character") != std::string::npos);
  CHECK(Refusal("/h/app.git/%0Agit-receive-pack").find("control character") != std::string::npos);
  CHECK(Refusal("/h/app.git%5Cgit-receive-pack").find("backslash") != std::string::npos);
  CHECK(Refusal("/h/app.git\\git-receive-pack").find("backslash") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-pack%").find("malformed") != std::string::npos);
  CHECK(Refusal("/h/app.git/git-receive-pack%2").find("malformed") != std::string::npos);
  CHECK(Refusal("/h/app.git/%zzgit").find("malformed") != std::string::npos);
  CHECK(Refusal("h/app.git").find("start with '/'") != std::string::npos);
}

TEST_CASE("request target: refused queries") {
  CHECK(Refusal("/h/app.git/info/refs?service=git%252Dreceive-pack").find("double encoding") != std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs?service=GIT-RECEIVE-PACK").find("lower case") != std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs?service=git-receive-%50ack").find("lower case") != std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs?SERVICE=git-receive-pack").find("lower case") != std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs?service=git-upload-pack&service=git-receive-pack").find("more than once") !=
        std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs?service=git-receive-pack%00").find("control character") != std::string::npos);
  CHECK(Refusal("/h/app.git/info/refs?service=git-receive-pack%").find("malformed") != std::string::npos);
}

TEST_CASE("request target: the upstream is sent the canonical form") {
  CHECK(PercentEncode("/acme/my repo.git/git-receive-pack", true) == "/acme/my%20repo.git/git-receive-pack");
  CHECK(PercentEncode("a/b;c?d#e+f&g=h%", false) == "a%2Fb%3Bc%3Fd%23e%2Bf%26g%3Dh%25");
  RequestTarget t = Parsed("/h/my%20repo.git/info/refs?service=git-upload-pack&a+b=c%26d");
  CHECK(t.path == "/h/my repo.git/info/refs");
  CHECK(t.query == "service=git-upload-pack&a%20b=c%26d");
  CHECK(Parsed("/h/app.git/info/refs").query.empty());
}

TEST_CASE("request target: the canonical form reads back as the same request, a '/' in the query too") {
  // Found by fuzz/request_target_fuzzer.cc (fuzz/corpus/request_target/crash-query-slash):
  // a '/' in a query value was sent upstream as %2F, which this gateway itself
  // refuses, so a gateway behind another one answered 400.
  RequestTarget t = Parsed("/h/app.git/info/refs?service=git-receive-pack&next=/h/app.git");
  CHECK(t.query == "service=git-receive-pack&next=/h/app.git");
  RequestTarget again = Parsed(PercentEncode(t.path, true) + "?" + t.query);
  CHECK(again.path == t.path);
  CHECK(again.query == t.query);
  CHECK(again.service == "git-receive-pack");
  CHECK(again.kind == Kind::kReceivePackAdvertisement);
  CHECK(Parsed("/?/").query == "/");
}
