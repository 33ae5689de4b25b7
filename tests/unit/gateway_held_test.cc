// Gateway-held mode's pieces (gateway/users_file.h, basic_auth.h,
// held_credentials.h, the [identity] mode in config.h): token hashes, the
// users file with its errors, Basic credentials, a route's held credential,
// and files others could read or change refused.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "gateway/basic_auth.h"
#include "gateway/config.h"
#include "gateway/held_credentials.h"
#include "gateway/users_file.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::gateway;
using akgate::testing::TempDir;

namespace {

bool Has(const Status& s, const std::string& part) {
  INFO(s.message());
  return !s.ok() && s.message().find(part) != std::string::npos;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  REQUIRE(chmod(path.c_str(), mode) == 0);
}

const char* kHeldConfig = R"(
[[server.listen]]
port = 1
[[route]]
prefix = "/a/"
upstream = "https://git.example.com/"
upstream_credential_file = "CRED"
[identity]
mode = "gateway-held"
users_file = "USERS"
)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("users file: a token is checked against its SHA-256, by name") {
  // The SHA-256 of "test", a published test vector.
  CHECK(HashToken("test") == "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  UsersFile u;
  Status s = UsersFile::Parse(
      "# developers\n\nalice:" + HashToken("alice-token") + "\n  bob:" + HashToken("bob-token") + "  \r\n", "users",
      &u);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(u.size() == 2);
  CHECK(u.Verify("alice", "alice-token"));
  CHECK(u.Verify("bob", "bob-token"));
  CHECK_FALSE(u.Verify("alice", "bob-token"));  // another's token
  CHECK_FALSE(u.Verify("alice", "alice-token "));
  CHECK_FALSE(u.Verify("alice", ""));
  CHECK_FALSE(u.Verify("carol", "alice-token"));  // not in the file
  CHECK_FALSE(u.Verify("", ""));
  CHECK(u.Contains("bob"));
  CHECK_FALSE(u.Contains("carol"));
}

TEST_CASE("users file: bad lines are errors naming the file and line") {
  UsersFile u;
  const std::string good = "alice:" + HashToken("t") + "\n";
  CHECK(Has(UsersFile::Parse(good + "bob\n", "/etc/akgate/users", &u), "/etc/akgate/users:2: expected name:sha256:"));
  CHECK(Has(UsersFile::Parse(good + "bob:plaintext-token\n", "f", &u), "f:2: the hash of bob must start with sha256:"));
  CHECK(Has(UsersFile::Parse(good + "bob:sha256:abc\n", "f", &u), "f:2: the hash of bob must be sha256: and 64"));
  std::string upper = HashToken("t");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(Has(UsersFile::Parse("bob:sha256:" + upper.substr(7) + "\n", "f", &u), "f:1: the hash of bob must be"));
  CHECK(Has(UsersFile::Parse(good + "\n" + good, "f", &u), "f:3: alice is listed twice (first on line 1)"));
  CHECK(Has(UsersFile::Parse("al ice:" + HashToken("t") + "\n", "f", &u), "f:1: \"al ice\" is not a user name"));
  CHECK(Has(UsersFile::Parse(":" + HashToken("t") + "\n", "f", &u), "f:1: \"\" is not a user name"));
  CHECK(Has(UsersFile::Parse("a\"b:" + HashToken("t") + "\n", "f", &u), "is not a user name"));
  // A failed parse leaves the previous contents.
  REQUIRE(UsersFile::Parse(good, "f", &u).ok());
  CHECK_FALSE(UsersFile::Parse("x\n", "f", &u).ok());
  CHECK(u.Verify("alice", "t"));
  CHECK(UsersFile::Parse("", "f", &u).ok());
  CHECK(u.size() == 0);
}

TEST_CASE("users file: add-user writes a hash, never the token, and refuses a loose file") {
  TempDir dir;
  const std::string path = dir.path() + "/users";
  std::string t1, t2, t3;
  REQUIRE(AddUser(path, "alice", false, &t1).ok());
  REQUIRE(AddUser(path, "bob", false, &t2).ok());
  CHECK(t1.rfind("akgate_", 0) == 0);
  CHECK(t1.size() == 7 + 43);  // 32 random bytes, base64url
  CHECK(t1 != t2);
  std::string text = Slurp(path);
  CHECK(text.find(t1) == std::string::npos);
  CHECK(text.find(t2) == std::string::npos);
  CHECK(text == "alice:" + HashToken(t1) + "\nbob:" + HashToken(t2) + "\n");
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  UsersFile u;
  REQUIRE(UsersFile::Load(path, &u).ok());
  CHECK(u.Verify("alice", t1));
  CHECK(u.Verify("bob", t2));

  CHECK(Has(AddUser(path, "alice", false, &t3), "alice is already in " + path + " (--replace"));
  REQUIRE(AddUser(path, "alice", true, &t3).ok());
  REQUIRE(UsersFile::Load(path, &u).ok());
  CHECK_FALSE(u.Verify("alice", t1));  // the old token stops working
  CHECK(u.Verify("alice", t3));
  CHECK(u.Verify("bob", t2));
  CHECK(Has(AddUser(path, "a:b", false, &t3), "is not a user name"));

  // A file others may change could let anyone in: refused, with the fix.
  REQUIRE(chmod(path.c_str(), 0664) == 0);
  CHECK(Has(UsersFile::Load(path, &u), "has mode 0664: it must not be writable by group or others (chmod 0644"));
  CHECK(Has(AddUser(path, "carol", false, &t3), "must not be writable"));
  REQUIRE(chmod(path.c_str(), 0644) == 0);  // world-readable hashes are fine
  CHECK(UsersFile::Load(path, &u).ok());
  REQUIRE(AddUser(path, "carol", false, &t3).ok());
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);  // kept
  CHECK(Has(UsersFile::Load(dir.path() + "/absent", &u), "cannot read the users file " + dir.path() + "/absent"));
  CHECK(Has(UsersFile::Load(dir.path(), &u), "is not a regular file"));
}

TEST_CASE("Basic credentials: parsed, encoded, and hostile input refused") {
  BasicCredentials c;
  REQUIRE(ParseBasicAuth("Basic YWxpY2U6czNjcmV0", &c));
  CHECK(c.user == "alice");
  CHECK(c.password == "s3cret");
  BasicCredentials d;
  REQUIRE(ParseBasicAuth("basic  " + EncodeBasicAuth("bob", "p:a:ss").substr(6), &d));
  CHECK(d.user == "bob");
  CHECK(d.password == "p:a:ss");  // a password may hold ':'
  CHECK(EncodeBasicAuth("bot", "token") == "Basic Ym90OnRva2Vu");
  BasicCredentials e;
  CHECK_FALSE(ParseBasicAuth("Bearer abc", &e));
  CHECK_FALSE(ParseBasicAuth("Basic", &e));
  CHECK_FALSE(ParseBasicAuth("Basic !!!!", &e));
  CHECK_FALSE(ParseBasicAuth(EncodeBasicAuth("", "x").substr(0, 6) + "bm9jb2xvbg==", &e));  // "nocolon"
  CHECK_FALSE(ParseBasicAuth(EncodeBasicAuth("a\nb", "x"), &e));                            // control character
  CHECK_FALSE(ParseBasicAuth(EncodeBasicAuth(std::string(300, 'u'), "x"), &e));             // name too long
  CHECK(e.user.empty());
}

TEST_CASE("held credential: one user:token line, never quoted in an error") {
  std::string auth;
  REQUIRE(ParseUpstreamCredential("# the bot\nakgate-bot:Tok3n-xyz\n", "cred", &auth).ok());
  CHECK(auth == EncodeBasicAuth("akgate-bot", "Tok3n-xyz"));
  REQUIRE(ParseUpstreamCredential("x-access-token:ghp_abc\r\n", "cred", &auth).ok());
  CHECK(auth == EncodeBasicAuth("x-access-token", "ghp_abc"));
  Status s = ParseUpstreamCredential("bot:secret-one\nbot:secret-two\n", "/etc/cred", &auth);
  CHECK(Has(s, "/etc/cred:2: a second credential"));
  CHECK(s.message().find("secret") == std::string::npos);
  s = ParseUpstreamCredential("only-a-secret-token\n", "cred", &auth);
  CHECK(Has(s, "cred:1: expected user:token"));
  CHECK(s.message().find("only-a-secret-token") == std::string::npos);
  CHECK(Has(ParseUpstreamCredential("bot:\n", "cred", &auth), "expected user:token"));
  CHECK(Has(ParseUpstreamCredential(":tok\n", "cred", &auth), "expected user:token"));
  CHECK(Has(ParseUpstreamCredential("bot:to ken\n", "cred", &auth), "printable ASCII without spaces"));
  CHECK(Has(ParseUpstreamCredential("# nothing\n\n", "cred", &auth), "cred: no credential in it"));
}

TEST_CASE("gateway config: [identity] mode, its users file and every route's credential") {
  Config c;
  Status s = ParseConfig(kHeldConfig, "gw.toml", &c);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(c.identity.gateway_held());
  CHECK(c.identity.users_file == "USERS");
  CHECK(c.routes[0].upstream_credential_file == "CRED");
  CHECK(c.routes[0].upstream_authorization.empty());  // ParseConfig reads no file

  CHECK(Has(ParseConfig(Replace(kHeldConfig, "gateway-held", "held"), "gw.toml", &c),
            "identity: 'mode' must be \"pass-through\" or \"gateway-held\", not \"held\""));
  CHECK(Has(ParseConfig(Replace(kHeldConfig, "users_file = \"USERS\"", ""), "gw.toml", &c),
            "identity.users_file is required with mode = \"gateway-held\""));
  CHECK(Has(ParseConfig(Replace(kHeldConfig, "upstream_credential_file = \"CRED\"", ""), "gw.toml", &c),
            "route /a/: upstream_credential_file is required"));
  CHECK(Has(ParseConfig(Replace(kHeldConfig, "mode = \"gateway-held\"\nusers_file = \"USERS\"", ""), "gw.toml", &c),
            "route /a/: upstream_credential_file needs [identity] mode = \"gateway-held\""));
  CHECK(Has(ParseConfig(Replace(kHeldConfig, "mode = \"gateway-held\"", "mode = \"pass-through\""), "gw.toml", &c),
            "identity.users_file needs mode = \"gateway-held\""));

  // LoadConfig reads both files and refuses a credential others could read.
  TempDir dir;
  const std::string users = dir.path() + "/users", cred = dir.path() + "/cred", conf = dir.path() + "/gw.toml";
  Write(conf, Replace(Replace(kHeldConfig, "USERS", users), "CRED", cred), 0644);
  std::string token;
  REQUIRE(AddUser(users, "alice", false, &token).ok());
  CHECK(Has(LoadConfig(conf, &c), "cannot read the upstream credential file (route /a/) " + cred));
  Write(cred, "akgate-bot:held-secret\n", 0644);
  s = LoadConfig(conf, &c);
  CHECK(Has(s, "upstream credential file (route /a/) " + cred +
                   " has mode 0644: it must not be readable or writable by group or others (chmod 0600"));
  REQUIRE(chmod(cred.c_str(), 0600) == 0);
  s = LoadConfig(conf, &c);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(c.routes[0].upstream_authorization == EncodeBasicAuth("akgate-bot", "held-secret"));
  CHECK(c.identity.users.Verify("alice", token));
  CHECK(LoadConfig(conf, &c, /*read_credentials=*/false).ok());
  Write(users, "alice:" + HashToken(token) + "\nbob:x\n", 0600);
  CHECK(Has(LoadConfig(conf, &c), users + ":2: the hash of bob must start with sha256:"));
}
