// Fingerprints (engine/fingerprint.h): which credential a finding is, keyed
// per installation; the key file; pre-0.2 allowlist entries; low-entropy
// previews.
#include "engine/fingerprint.h"

#include <doctest/doctest.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "engine/redact.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "git/previous_versions.h"
#include "git_fixture.h"
#include "policy/decision.h"
#include "policy/push_options.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

// Fake keys, made for these tests.
const std::string kId = "LTAI5tQz8Wb3nRk2JvPxYh7d";
const std::string kSecret = "Xq3vTn8bKp2LmW9rYc4HdJ6sFa1Ze7";

// An ID rule, a secret rule and their pair; `id_rule` names the ID rule, so a
// test can rename it.
std::string Rules(const std::string& id_rule = "ak-id", const std::string& extra = "") {
  return R"(
title = "test"
)" + extra +
         R"(
[[rules]]
id = ")" +
         id_rule +
         R"("
description = "AccessKey ID"
provider = "Alibaba Cloud"
regex = '''\b(LTAI[A-Za-z0-9]{20})\b'''
action = "warn"
[[rules]]
id = "ak-secret"
description = "AccessKey secret"
provider = "Alibaba Cloud"
regex = '''(?i)access_?key_?secret\s*=\s*([A-Za-z0-9]{30})\b'''
action = "warn"
[[rules]]
id = "db-password"
description = "Database password"
provider = ""
tags = ["password"]
regex = '''postgres://[a-z]+:([^@\s]{4,})@'''
action = "warn"
[[pairs]]
id = "ak-pair"
description = "AccessKey pair"
provider = "Alibaba Cloud"
[[pairs.parts]]
rule = ")" +
         id_rule +
         R"("
name = "AccessKey ID"
[[pairs.parts]]
rule = "ak-secret"
name = "AccessKey secret"
)";
}

FingerprintKey KeyOf(uint8_t byte) {
  std::array<uint8_t, FingerprintKey::kBytes> b;
  b.fill(byte);
  return FingerprintKey(b);
}

struct Engine {
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  std::unique_ptr<ScanScratch> scratch;
  Engine(const std::string& toml, const FingerprintKey& key) {
    Status s = LoadRulesFromString(toml, "<test>", &rules);
    REQUIRE_MESSAGE(s.ok(), s.message());
    s = Scanner::Create(rules, "", key, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
    scratch = std::make_unique<ScanScratch>(*scanner);
  }
  FragmentResult Scan(const std::string& data) { return scanner->Scan({"app.ini", data}, *scratch); }
};

std::string Pair() { return "id = " + kId + "\naccess_key_secret = " + kSecret + "\n"; }
std::string LoneId() { return "# the old key\nkey: " + kId + "\n"; }

std::string Hex(const std::array<uint8_t, 32>& d) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace

TEST_CASE("HMAC-SHA256 is RFC 4231's and OpenSSL's") {
  // RFC 4231 test cases 1 and 2 (keys shorter than 32 bytes: HMAC pads them
  // with zeros, so the zero-padded 32-byte key is the same key).
  std::array<uint8_t, 32> k1{};
  for (int i = 0; i < 20; ++i) k1[i] = 0x0b;
  CHECK(Hex(HmacSha256(k1, "Hi There")) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  std::array<uint8_t, 32> k2{};
  std::memcpy(k2.data(), "Jefe", 4);
  CHECK(Hex(HmacSha256(k2, "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // And OpenSSL's HMAC() on random keys and messages of every length up to 200.
  std::mt19937 rng(12);
  for (size_t len = 0; len < 200; ++len) {
    std::array<uint8_t, 32> key;
    for (uint8_t& b : key) b = static_cast<uint8_t>(rng());
    std::string msg(len, '\0');
    for (char& c : msg) c = static_cast<char>(rng());
    unsigned char md[32];
    unsigned int md_len = 0;
    REQUIRE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                 reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), md, &md_len) != nullptr);
    std::array<uint8_t, 32> want;
    std::memcpy(want.data(), md, 32);
    CHECK(HmacSha256(key, msg) == want);
  }
}

TEST_CASE("providers are normalised: spelling and case do not make another credential") {
  CHECK(NormaliseProvider("Alibaba Cloud") == "alibaba-cloud");
  CHECK(NormaliseProvider("  alibaba  CLOUD ") == "alibaba-cloud");
  CHECK(NormaliseProvider("Alibaba-Cloud") == "alibaba-cloud");
  CHECK(NormaliseProvider("") == "generic");
  CHECK(NormaliseProvider("--") == "generic");
  const FingerprintKey k = KeyOf(1);
  CHECK(Fingerprint(k, FingerprintKind::kCredential, "Alibaba Cloud", kId) ==
        Fingerprint(k, FingerprintKind::kCredential, "alibaba cloud", kId));
  CHECK(Fingerprint(k, FingerprintKind::kCredential, "AWS", kId) !=
        Fingerprint(k, FingerprintKind::kCredential, "Alibaba Cloud", kId));
  // A path-only rule's file is not a credential of the same text.
  CHECK(Fingerprint(k, FingerprintKind::kFile, "", "a") != Fingerprint(k, FingerprintKind::kCredential, "", "a"));
  CHECK(Fingerprint(k, FingerprintKind::kCredential, "", kId).size() == 16);
}

TEST_CASE("the same key found as a pair in one file and as a lone ID in another is one credential") {
  Engine e(Rules(), KeyOf(1));
  FragmentResult pair = e.Scan(Pair());
  FragmentResult lone = e.Scan(LoneId());
  REQUIRE(pair.findings.size() == 1);
  REQUIRE(lone.findings.size() == 1);
  REQUIRE(pair.findings[0].is_pair());
  CHECK(lone.findings[0].rule_id == "ak-id");
  CHECK(pair.findings[0].fingerprint == lone.findings[0].fingerprint);
  CHECK(pair.findings[0].parts[0].fingerprint == lone.findings[0].fingerprint);
  // The secret keeps its own, which is that of the same secret found alone.
  CHECK(pair.findings[0].parts[1].fingerprint != pair.findings[0].fingerprint);
  CHECK(pair.findings[0].parts[1].fingerprint ==
        Fingerprint(KeyOf(1), FingerprintKind::kCredential, "Alibaba Cloud", kSecret));
  // Before 0.2 the two had nothing in common.
  CHECK(pair.findings[0].legacy_fingerprint != lone.findings[0].legacy_fingerprint);
}

TEST_CASE("renaming a rule changes no fingerprint") {
  Engine before(Rules("ak-id"), KeyOf(1));
  Engine after(Rules("alibaba-accesskey-id-v2"), KeyOf(1));
  FragmentResult a = before.Scan(Pair() + "\n\n\n\n\n\n\n\n" + LoneId());
  FragmentResult b = after.Scan(Pair() + "\n\n\n\n\n\n\n\n" + LoneId());
  REQUIRE(a.findings.size() == 2);
  REQUIRE(b.findings.size() == 2);
  CHECK(b.findings[1].rule_id == "alibaba-accesskey-id-v2");
  for (size_t i = 0; i < 2; ++i) {
    CHECK(a.findings[i].fingerprint == b.findings[i].fingerprint);
    for (size_t k = 0; k < a.findings[i].parts.size(); ++k)
      CHECK(a.findings[i].parts[k].fingerprint == b.findings[i].parts[k].fingerprint);
  }
}

TEST_CASE("fingerprints are keyed: another installation's key gives others, the same key the same") {
  FragmentResult one = Engine(Rules(), KeyOf(1)).Scan(Pair());
  FragmentResult again = Engine(Rules(), KeyOf(1)).Scan(Pair());
  FragmentResult other = Engine(Rules(), KeyOf(2)).Scan(Pair());
  REQUIRE(one.findings.size() == 1);
  REQUIRE(again.findings.size() == 1);
  REQUIRE(other.findings.size() == 1);
  CHECK(one.findings[0].fingerprint == again.findings[0].fingerprint);
  CHECK(one.findings[0].fingerprint != other.findings[0].fingerprint);
  CHECK(one.findings[0].parts[1].fingerprint != other.findings[0].parts[1].fingerprint);
  // A password's fingerprint cannot be found by hashing guesses without the key.
  const std::string password = "Summer2024!";
  CHECK(Fingerprint(KeyOf(1), FingerprintKind::kCredential, "", password) !=
        Fingerprint(FingerprintKey(), FingerprintKind::kCredential, "", password));
  CHECK(Fingerprint(KeyOf(1), FingerprintKind::kCredential, "", password) !=
        LegacyFingerprint("db-password", {password}));
}

TEST_CASE("a key file: 64 hex digits, private, named in every error") {
  TempDir d;
  FingerprintKey key;
  SUBCASE("a good one loads, with or without its newline") {
    std::string path = WriteFingerprintKey(d.path(), 'a');
    REQUIRE(FingerprintKey::Load(path, &key).ok());
    CHECK(key.bytes() == KeyOf(0xaa).bytes());
  }
  SUBCASE("missing") {
    std::string path = d.path() + "/none.key";
    Status s = FingerprintKey::Load(path, &key);
    CHECK(s.code() == StatusCode::kNotFound);
    CHECK(s.message().find(path) != std::string::npos);
    CHECK(s.message().find("openssl rand -hex 32") != std::string::npos);
  }
  SUBCASE("the wrong size, or not hex") {
    for (std::string text :
         {std::string(62, 'a'), std::string(66, 'a'), std::string(64, 'g'), std::string(), std::string(32, '\x7f')}) {
      std::string path = WriteFingerprintKey(d.path());
      {
        std::ofstream out(path, std::ios::trunc);
        out << text;
      }
      Status s = FingerprintKey::Load(path, &key);
      CHECK(s.code() == StatusCode::kInvalidArgument);
      CHECK(s.message().find(path) != std::string::npos);
      CHECK(s.message().find("64 hex digits") != std::string::npos);
    }
  }
  SUBCASE("readable by other users, or writable by its group: refused, saying how to fix it") {
    std::string path = WriteFingerprintKey(d.path());
    for (mode_t mode : {0644, 0604, 0620}) {
      REQUIRE(chmod(path.c_str(), mode) == 0);
      Status s = FingerprintKey::Load(path, &key);
      CHECK(s.code() == StatusCode::kPermissionDenied);
      CHECK(s.message().find("chmod 600 " + path) != std::string::npos);
    }
    REQUIRE(chmod(path.c_str(), 0640) == 0);  // root:git 0640 is fine
    CHECK(FingerprintKey::Load(path, &key).ok());
  }
  SUBCASE("a directory") {
    Status s = FingerprintKey::Load(d.path(), &key);
    CHECK_FALSE(s.ok());
    CHECK(s.message().find(d.path()) != std::string::npos);
  }
  SUBCASE("LoadOrCreate makes a private random key once, then reads it") {
    std::string path = d.path() + "/cfg/akgate/fingerprint.key";
    REQUIRE(FingerprintKey::LoadOrCreate(path, &key).ok());
    struct stat st;
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    FingerprintKey again;
    REQUIRE(FingerprintKey::LoadOrCreate(path, &again).ok());
    CHECK(again.bytes() == key.bytes());
    CHECK(key.bytes() != FingerprintKey().bytes());
    FingerprintKey other;
    REQUIRE(FingerprintKey::LoadOrCreate(d.path() + "/other.key", &other).ok());
    CHECK(other.bytes() != key.bytes());
    // A broken key is not replaced: it is an error.
    std::string broken = WriteFingerprintKey(d.path(), 'z', "broken.key");
    CHECK(FingerprintKey::LoadOrCreate(broken, &key).code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("a pre-0.2 fingerprint in the rules' allowlist still allows, and says what replaces it") {
  const std::string legacy = LegacyFingerprint("ak-id", {kId});
  Engine e(Rules("ak-id", "[allowlist]\nfingerprints = [\"" + legacy + "\"]\n"), KeyOf(1));
  FragmentResult r = e.Scan(LoneId());
  CHECK(r.findings.empty());
  CHECK(r.fingerprint_allowed == 1);
  REQUIRE(r.legacy_allowlist.size() == 1);
  CHECK(r.legacy_allowlist[0].first == legacy);
  CHECK(r.legacy_allowlist[0].second == Fingerprint(KeyOf(1), FingerprintKind::kCredential, "Alibaba Cloud", kId));
  // The new fingerprint allows it too, with nothing to migrate.
  Engine now(Rules("ak-id", "[allowlist]\nfingerprints = [\"" + r.legacy_allowlist[0].second + "\"]\n"), KeyOf(1));
  FragmentResult n = now.Scan(LoneId());
  CHECK(n.findings.empty());
  CHECK(n.legacy_allowlist.empty());
}

TEST_CASE("a pre-0.2 fingerprint in the policy's allowlist still allows, and is reported with the new one") {
  Engine e(Rules(), KeyOf(1));
  FragmentResult r = e.Scan(Pair());
  REQUIRE(r.findings.size() == 1);
  PushInspection in;
  PushFinding pf;
  pf.finding = r.findings[0];
  in.findings.push_back(pf);
  Policy p;
  p.allow_fingerprints = {LegacyFingerprint("ak-pair", {kId, kSecret})};
  PushDecision d = Decide(in, p, PushRequest{"bob", ParsePushOptions({})});
  CHECK(d.accepted);
  REQUIRE(d.dispositions.size() == 1);
  CHECK(d.dispositions[0] == Disposition::kAllowedByPolicy);
  REQUIRE(d.legacy_allowlist.size() == 1);
  CHECK(d.legacy_allowlist[0].first == p.allow_fingerprints[0]);
  CHECK(d.legacy_allowlist[0].second == r.findings[0].fingerprint);
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].find("replace it with \"" + r.findings[0].fingerprint + "\"") != std::string::npos);
  // Nothing legacy is ever shown for a finding that no old entry names.
  p.allow_fingerprints = {r.findings[0].fingerprint};
  d = Decide(in, p, PushRequest{"bob", ParsePushOptions({})});
  CHECK(d.accepted);
  CHECK(d.legacy_allowlist.empty());
  CHECK(d.notes.empty());
}

TEST_CASE("a secret added next to an ID that was already there is new, not pre-existing") {
  Engine e(Rules(), KeyOf(1));
  FragmentResult before = e.Scan(LoneId());
  FragmentResult after = e.Scan(Pair());
  REQUIRE(before.findings.size() == 1);
  REQUIRE(after.findings.size() == 1);
  FingerprintSet old;
  for (const Finding& f : before.findings)
    for (const FindingPart& p : f.parts) old.insert(p.fingerprint);
  old.insert(before.findings[0].fingerprint);
  CHECK(old.count(after.findings[0].fingerprint) == 1);            // the same credential...
  CHECK_FALSE(PreviousVersions::FoundIn(after.findings[0], old));  // ...but its secret is new
  FingerprintSet both = old;
  for (const FindingPart& p : after.findings[0].parts) both.insert(p.fingerprint);
  CHECK(PreviousVersions::FoundIn(after.findings[0], both));
}

TEST_CASE("a password's preview shows only its length") {
  Engine e(Rules(), KeyOf(1));
  FragmentResult r = e.Scan("DATABASE_URL=postgres://app:Summer2024xyz@db:5432/app\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "db-password");
  CHECK(r.findings[0].redacted() == "(13 characters)");
  CHECK(r.findings[0].redacted().find("Su") == std::string::npos);
  // A random key keeps its first 4 and last 2.
  FragmentResult k = e.Scan(LoneId());
  REQUIRE(k.findings.size() == 1);
  CHECK(k.findings[0].redacted() == Redact(kId));
  Rule rule;
  rule.tags = {"low-entropy"};
  CHECK(RedactFor(rule, "x") == "(1 character)");
}

TEST_CASE("the built-in password rules are low-entropy classes; the key rules are not") {
  RuleSet rules;
  REQUIRE(LoadDefaultRules(&rules).ok());
  for (const char* id : {"generic-password", "postgres-url-password", "mysql-url-password", "jdbc-url-password",
                         "connection-string-password", "netrc-password"}) {
    CAPTURE(id);
    const Rule* r = rules.FindRule(id);
    REQUIRE(r != nullptr);
    CHECK(IsLowEntropyRule(*r));
  }
  for (const char* id : {"alibaba-accesskey-id", "alibaba-accesskey-secret"}) {
    CAPTURE(id);
    const Rule* r = rules.FindRule(id);
    REQUIRE(r != nullptr);
    CHECK_FALSE(IsLowEntropyRule(*r));
  }
}
