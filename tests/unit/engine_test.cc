// The engine's mechanisms, with small inline rule sets (the default rules
// have their own tests in default_rules_test.cc and the corpus).
#include <doctest/doctest.h>

#include <string>

#include "engine/compiled_rules.h"
#include "engine/content_class.h"
#include "engine/decode.h"
#include "engine/fingerprint.h"
#include "engine/redact.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "engine/validators.h"

using namespace akgate;

namespace {

const char* kPairRules = R"(
title = "test"
[decode]
base64_triggers = ["LTAI"]
[allowlist]
regexes = ['''(?i)example''']
stopwords = ["placeholder"]
[[rules]]
id = "ak-id"
description = "AccessKey ID"
provider = "Alibaba Cloud"
regex = '''\b(LTAI[A-Za-z0-9]{20})\b'''
entropy = 3.0
action = "warn"
[[rules]]
id = "ak-secret"
description = "AccessKey secret"
provider = "Alibaba Cloud"
regex = '''(?i)access_?key_?secret[\\"'\s]*[:=][\\"'\s]*([A-Za-z0-9]{30})\b'''
entropy = 3.5
action = "warn"
[[pairs]]
id = "ak-pair"
description = "AccessKey pair"
provider = "Alibaba Cloud"
window_lines = 3
[[pairs.parts]]
rule = "ak-id"
name = "AccessKey ID"
[[pairs.parts]]
rule = "ak-secret"
name = "AccessKey secret"
near_regex = '''(?:^|[^A-Za-z0-9+/=])([A-Za-z0-9]{30})(?:[^A-Za-z0-9+/=]|$)'''
)";

struct Engine {
  RuleSet rules;
  std::unique_ptr<Scanner> scanner;
  std::unique_ptr<ScanScratch> scratch;
  explicit Engine(const char* toml) {
    Status s = LoadRulesFromString(toml, "<test>", &rules);
    REQUIRE_MESSAGE(s.ok(), s.message());
    s = Scanner::Create(rules, &scanner);
    REQUIRE_MESSAGE(s.ok(), s.message());
    scratch = std::make_unique<ScanScratch>(*scanner);
  }
  FragmentResult Scan(std::string_view data, std::string_view path = "file.txt") {
    return scanner->Scan({path, data}, *scratch);
  }
};

const std::string kId1 = "LTAI5tQz8Wb3nRk2JvPxYh7d";
const std::string kId2 = "LTAI5tRw9Kd2Fh7Lm3Np8QxZ";
const std::string kSecret1 = "Xq3vTn8bKp2LmW9rYc4HdJ6sFa1Ze7";
const std::string kSecret2 = "Bn7Yt4Rw2Kp9Lm6Hd3Jx8Qs5Vz1Ca0";

std::string Base64(std::string_view in) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    out += a[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    out += "=";
  }
  return out;
}

}  // namespace

TEST_CASE("an ID and a secret on neighbouring lines are one blocking pair finding") {
  Engine e(kPairRules);
  std::string text = "id = " + kId1 + "\naccess_key_secret = " + kSecret1 + "\n";
  FragmentResult r = e.Scan(text);
  REQUIRE(r.findings.size() == 1);
  const Finding& f = r.findings[0];
  CHECK(f.rule_id == "ak-pair");
  CHECK(f.action == Action::kBlock);
  REQUIRE(f.parts.size() == 2);
  CHECK(f.parts[0].location.line == 1);
  CHECK(f.parts[0].location.column == 6);
  CHECK(f.parts[1].location.line == 2);
  CHECK(f.parts[1].name == "AccessKey secret");
  // The pair is its key ID's credential (engine/fingerprint.h).
  CHECK(f.fingerprint == Fingerprint(FingerprintKey(), FingerprintKind::kCredential, "Alibaba Cloud", kId1));
  CHECK(f.parts[1].fingerprint ==
        Fingerprint(FingerprintKey(), FingerprintKind::kCredential, "Alibaba Cloud", kSecret1));
  CHECK(f.legacy_fingerprint == LegacyFingerprint("ak-pair", {kId1, kSecret1}));
}

TEST_CASE("a lone ID is a warning of its own rule") {
  Engine e(kPairRules);
  FragmentResult r = e.Scan("key: " + kId1 + "\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "ak-id");
  CHECK(r.findings[0].action == Action::kWarn);
  CHECK(r.findings[0].redacted() == Redact(kId1));
}

TEST_CASE("positional values pair through near_regex, only within the window") {
  Engine e(kPairRules);
  FragmentResult r = e.Scan("client = AcsClient(\"" + kId1 + "\", \"" + kSecret1 + "\", \"cn-hangzhou\")\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "ak-pair");

  std::string far = "client = AcsClient(\"" + kId1 + "\")\n\n\n\n\n\nother = \"" + kSecret1 + "\"\n";
  r = e.Scan(far);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "ak-id");  // the 30-char value is 6 lines away: no pair
}

TEST_CASE("pairing is nearest-first, never a cross product") {
  Engine e(kPairRules);
  std::string text = "a_id = " + kId1 + "\naccess_key_secret = " + kSecret1 + "\n\nb_id = " + kId2 +
                     "\naccess_key_secret = " + kSecret2 + "\n";
  FragmentResult r = e.Scan(text);
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].parts[0].redacted == Redact(kId1));
  CHECK(r.findings[0].parts[1].redacted == Redact(kSecret1));
  CHECK(r.findings[1].parts[0].redacted == Redact(kId2));
  CHECK(r.findings[1].parts[1].redacted == Redact(kSecret2));
}

TEST_CASE("one secret pairs with one ID; the other ID stays a warning") {
  Engine e(kPairRules);
  std::string text = "id1 = " + kId1 + "\naccess_key_secret = " + kSecret1 + "\nid2 = " + kId2 + "\n";
  FragmentResult r = e.Scan(text);
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].rule_id == "ak-pair");
  CHECK(r.findings[0].parts[0].location.line == 1);  // the ID before the secret wins a tie
  CHECK(r.findings[1].rule_id == "ak-id");
}

TEST_CASE("global allowlist regexes and stopwords drop candidates") {
  Engine e(kPairRules);
  CHECK(e.Scan("id = LTAI5tEXAMPLEz8Wb3nRk2Jvx\n").findings.empty());
  CHECK(e.Scan("access_key_secret = " + std::string("placeholderAbc123Def456Ghi789J") + "\n").findings.empty());
}

TEST_CASE("entropy below the rule's minimum is not a finding") {
  Engine e(kPairRules);
  CHECK(e.Scan("id = LTAIaaaaaaaaaaaaaaaaaaaa\n").findings.empty());
}

TEST_CASE("akgate:allow on the line suppresses the finding and is counted") {
  Engine e(kPairRules);
  FragmentResult r = e.Scan("id = " + kId1 + "  # akgate:allow\n");
  CHECK(r.findings.empty());
  CHECK(r.inline_allowed == 1);
  // Kept apart and marked, for the push gate to decide on (never dropped).
  REQUIRE(r.inline_allowed_findings.size() == 1);
  CHECK(r.inline_allowed_findings[0].inline_allowed);
  CHECK(r.inline_allowed_findings[0].location().line == 1);
}

TEST_CASE("a fingerprint in the global allowlist suppresses that finding") {
  std::string toml = std::string(kPairRules);
  toml.insert(toml.find("stopwords"),
              "fingerprints = [\"" +
                  Fingerprint(FingerprintKey(), FingerprintKind::kCredential, "Alibaba Cloud", kId1) + "\"]\n");
  Engine e(toml.c_str());
  FragmentResult r = e.Scan("id = " + kId1 + "\nid = " + kId2 + "\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].redacted() == Redact(kId2));
  CHECK(r.fingerprint_allowed == 1);
}

TEST_CASE("values in escaped JSON strings are found by tolerant separators") {
  Engine e(kPairRules);
  std::string nb =
      "    \"source\": [\"id = \\\"" + kId1 + "\\\"\\n\", \"access_key_secret = \\\"" + kSecret1 + "\\\"\\n\"]\n";
  FragmentResult r = e.Scan(nb, "notebook.ipynb");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "ak-pair");
}

TEST_CASE("base64-encoded values are decoded in context and pair") {
  Engine e(kPairRules);
  std::string yaml = "kind: Secret\ndata:\n  ALIBABA_CLOUD_ACCESS_KEY_ID: " + Base64(kId1) +
                     "\n  ALIBABA_CLOUD_ACCESS_KEY_SECRET: " + Base64(kSecret1) + "\n";
  FragmentResult r = e.Scan(yaml, "secret.yaml");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "ak-pair");
  CHECK(r.findings[0].encoding == "base64");
  CHECK(r.findings[0].parts[0].location.line == 3);
  CHECK(r.findings[0].parts[0].location.column == 32);
  CHECK(r.decoded_bytes > 0);
}

TEST_CASE("a whole config file base64-encoded is found") {
  Engine e(kPairRules);
  std::string inner = "{\n  \"access_key_id\": \"" + kId1 + "\",\n  \"access_key_secret\": \"" + kSecret1 + "\"\n}\n";
  FragmentResult r = e.Scan("config.json: " + Base64(inner) + "\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "ak-pair");
  CHECK(r.findings[0].parts[0].location.line == 1);
}

TEST_CASE("decoding is bounded by max_decoded_bytes") {
  std::string toml = std::string(kPairRules) + "\n[limits]\nmax_decoded_bytes = 0\n";
  Engine e(toml.c_str());
  std::string yaml = "data:\n  ID: " + Base64(kId1) + "\n";
  FragmentResult r = e.Scan(yaml);
  CHECK(r.findings.empty());
  CHECK(r.decoded_bytes == 0);
}

TEST_CASE("binary, oversize and minified content is skipped and says why") {
  std::string toml = std::string(kPairRules) + "\n[limits]\nmax_fragment_bytes = 100\n";
  Engine e(toml.c_str());
  std::string bin = "id = " + kId1 + "\n";
  bin.push_back('\0');
  CHECK(e.Scan(bin).skipped == SkipReason::kBinary);
  CHECK(e.Scan(std::string(101, 'a')).skipped == SkipReason::kOversize);
  CHECK(e.Scan("x", "dist/app.min.js").skipped == SkipReason::kMinified);
  CHECK(LooksMinified("bundle.js", std::string(5000, 'a')));
  CHECK_FALSE(LooksMinified("notes.txt", std::string(5000, 'a')));
}

TEST_CASE("a match inside a longer token is not cut out of it") {
  Engine e(kPairRules);
  CHECK(e.Scan("x" + kId1 + "\n").findings.empty());
  CHECK(e.Scan(kId1 + "abc\n").findings.empty());
}

TEST_CASE("a huge single line stays linear and finds a key at its end") {
  Engine e(kPairRules);
  std::string line(8 << 20, 'a');
  for (size_t i = 0; i < line.size(); i += 97) line.replace(i, 4, "ltai");  // many literal hits
  line += " id=" + kId1 + "\n";
  FragmentResult r = e.Scan(line);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location().line == 1);
  CHECK(r.findings[0].location().column == (8u << 20) + 5);
}

TEST_CASE("rules restricted by path and path-only rules") {
  Engine e(R"(
[[rules]]
id = "env-only"
regex = '''(TOKEN_[0-9]{6})'''
path = '''\.env$'''
action = "block"
[[rules]]
id = "pkcs12"
description = "PKCS#12 file"
path = '''\.p12$'''
action = "warn"
)");
  CHECK(e.Scan("TOKEN_123456\n", "a.env").findings.size() == 1);
  CHECK(e.Scan("TOKEN_123456\n", "a.txt").findings.empty());
  FragmentResult r = e.Scan("whatever", "keys/me.p12");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "pkcs12");
  CHECK(r.findings[0].location().offset == Location::kWholeFile);
}

TEST_CASE("rules without literals still work, by full scan") {
  Engine e(R"(
[[rules]]
id = "digits"
regex = '''\b([0-9]{12})\b'''
action = "warn"
)");
  CHECK(e.scanner->compiled().full_scan_rules().size() == 1);
  CHECK(e.Scan("n = 123456789012\n").findings.size() == 1);
}

TEST_CASE("keywords gate a rule for the whole fragment") {
  Engine e(R"(
[[rules]]
id = "gated"
regex = '''tok_([a-z0-9]{10})'''
keywords = ["vendorx"]
action = "warn"
)");
  CHECK(e.Scan("tok_a1b2c3d4e5\n").findings.empty());
  CHECK(e.Scan("# VendorX\ntok_a1b2c3d4e5\n").findings.size() == 1);
}

TEST_CASE("bad rule files are reported by file, rule and reason") {
  RuleSet rules;
  Status s = LoadRulesFromString("[[rules]]\nid = 'x'\nregex = '(unclosed'\n", "bad.toml", &rules);
  REQUIRE(s.ok());  // structure is fine; the regex fails when compiled
  std::unique_ptr<Scanner> scanner;
  s = Scanner::Create(rules, &scanner);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("rule 'x'") != std::string::npos);
  CHECK(s.message().find("missing )") != std::string::npos);

  s = LoadRulesFromString("[[rules]\nid='x'", "broken.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().rfind("broken.toml:1:", 0) == 0);

  s = LoadRulesFromString("[[rules]]\nid = 'x'\nregex = 'a'\nentropy = 'high'\n", "t.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("'entropy' must be a number") != std::string::npos);

  s = LoadRulesFromString("[[rules]]\nid = 'x'\nregex = 'a'\naction = 'deny'\n", "t.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("\"deny\"") != std::string::npos);

  s = LoadRulesFromString("[[rules]]\ndescription = 'no id'\nregex = 'a'\n", "t.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("needs an 'id'") != std::string::npos);

  REQUIRE(
      LoadRulesFromString("[[pairs]]\nid='p'\n[[pairs.parts]]\nrule='a'\n[[pairs.parts]]\nrule='b'\n", "t.toml", &rules)
          .ok());
  s = Scanner::Create(rules, &scanner);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("unknown rule 'a'") != std::string::npos);

  s = LoadRulesFromString("[[rules]]\nid = 'x'\nregex = '(a)'\nsecretGroup = 3\n", "t.toml", &rules);
  REQUIRE(s.ok());
  CHECK_FALSE(Scanner::Create(rules, &scanner).ok());
}

TEST_CASE("unknown keys are errors") {
  RuleSet rules;
  Status s = LoadRulesFromString("[[rules]]\nid = 'x'\nregex = 'abc'\nfrobnicate = true\n", "t.toml", &rules);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("t.toml:4:") == 0);
  CHECK(s.message().find("frobnicate") != std::string::npos);
}

TEST_CASE("[extend] useDefault adds to the default rules; disabledRules removes") {
  RuleSet defaults, extended;
  REQUIRE(LoadDefaultRules(&defaults).ok());
  REQUIRE(!defaults.rules.empty());
  std::string first = defaults.rules[0].id;
  Status s = LoadRulesFromString("[extend]\nuseDefault = true\ndisabledRules = ['" + first +
                                     "']\n[[rules]]\nid = 'mine'\nregex = 'mine_[0-9]{8}'\n",
                                 "ext.toml", &extended);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(extended.FindRule("mine") != nullptr);
  CHECK(extended.FindRule(first) == nullptr);
  CHECK(extended.rules.size() == defaults.rules.size());
}

TEST_CASE("redaction never shows a secret in full") {
  CHECK(Redact("LTAI5tQz8Wb3nRk2JvPxYh7d") ==
        "LTAI\xE2\x80\xA6"
        "7d");
  CHECK(Redact("short1234567") == "sh\xE2\x80\xA6");
  CHECK(Redact("abc") == "\xE2\x80\xA6");
  CHECK(LegacyFingerprint("r", {"a"}) != LegacyFingerprint("r", {"b"}));
  CHECK(LegacyFingerprint("r", {"a"}) != LegacyFingerprint("s", {"a"}));
  CHECK(LegacyFingerprint("r", {"ab", "c"}) != LegacyFingerprint("r", {"a", "bc"}));
  CHECK(LegacyFingerprint("r", {"a"}).size() == 16);
}

TEST_CASE("GitHub token checksum") {
  // Built with the documented scheme: base62(crc32(30 random chars)), 6 chars.
  CHECK(ValidGitHubChecksum("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"));
  CHECK_FALSE(ValidGitHubChecksum("ghp_16C7e42F292c6912E7710c838347Ae4H2Y7H"));
  CHECK_FALSE(ValidGitHubChecksum("ghp_short"));
}

TEST_CASE("base64 forms cover the three alignments") {
  std::vector<std::string> forms = Base64Forms("LTAI");
  REQUIRE(forms.size() >= 2);
  for (const char* prefix : {"", "x", "xy"}) {
    std::string enc = Base64(std::string(prefix) + "LTAI5tQz8Wb3");
    bool hit = false;
    for (const std::string& f : forms) hit |= enc.find(f) != std::string::npos;
    CHECK_MESSAGE(hit, enc);
  }
  std::string out;
  CHECK(DecodeBase64(Base64("hello world"), &out));
  CHECK(out == "hello world");
  CHECK_FALSE(DecodeBase64("abc!", &out));
}

TEST_CASE("Shannon entropy") {
  CHECK(ShannonEntropy("aaaa") == doctest::Approx(0.0));
  CHECK(ShannonEntropy("abcd") == doctest::Approx(2.0));
}
