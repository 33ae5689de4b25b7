// An AccessKey ID and its secret in the same block of a configuration file
// pair however many lines apart they are (engine/block_structure.h), and
// only then: the same two values in different blocks stay two lone halves.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "engine/block_structure.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"

using namespace akgate;

namespace {

std::string Random(std::mt19937_64& rng, size_t n) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += a[rng() % 62];
  return s;
}

struct Keys {
  std::string id, secret;
};

Keys MakeKeys(uint64_t seed) {
  std::mt19937_64 rng(seed);
  return {"LTAI5t" + Random(rng, 18), Random(rng, 30)};  // LTAI + 20
}

// `n` lines of ordinary settings at the given indent.
std::string Filler(const std::string& indent, int n, const char* sep = ": ") {
  std::string s;
  for (int i = 0; i < n; ++i) s += indent + "setting_" + std::to_string(i) + sep + "value" + std::to_string(i) + "\n";
  return s;
}

struct Outcome {
  int pairs = 0, lone = 0;
  bool blocks = false;
};

Outcome Scan(const std::string& path, const std::string& text) {
  RuleSet rules;
  REQUIRE(LoadDefaultRules(&rules).ok());
  std::unique_ptr<Scanner> scanner;
  REQUIRE(Scanner::Create(rules, "", &scanner).ok());
  ScanScratch scratch(*scanner);
  FragmentResult r = scanner->Scan({path, text}, scratch);
  Outcome o;
  for (const Finding& f : r.findings) {
    (f.is_pair() ? o.pairs : o.lone)++;
    o.blocks |= f.action == Action::kBlock;
  }
  return o;
}

}  // namespace

TEST_CASE("block ids: braces, indentation under a parent line, INI sections") {
  uint64_t work = 0;
  const std::string text =
      "top: 1\n"         // line 1, offset 0
      "a:\n"             // 2
      "  x: 1\n"         // 3
      "  # comment\n"    // 4
      "  y: 2\n"         // 5
      "b:\n"             // 6
      "  z: 3\n"         // 7
      "[sec]\n"          // 8
      "k = 1\n"          // 9
      "obj = { p: 1,\n"  // 10
      "  q: 2 }\n"       // 11
      "after = 3\n";     // 12
  auto at = [&](const char* needle) { return static_cast<uint64_t>(text.find(needle)); };
  std::vector<uint64_t> offsets = {at("top"), at("x:"),  at("y:"),  at("z:"),
                                   at("k ="), at(" p:"), at(" q:"), at("after")};
  std::vector<uint64_t> ids = BlockIds(text, offsets, &work);
  REQUIRE(ids.size() == offsets.size());
  CHECK(ids[1] == ids[2]);  // x and y: one mapping under a:, the comment line aside
  CHECK(ids[1] != ids[3]);  // z is under b:
  CHECK(ids[0] != ids[1]);  // top level is not a:'s mapping
  CHECK(ids[4] != ids[0]);  // a section starts a new top level
  CHECK(ids[5] == ids[6]);  // one { } object across lines
  CHECK(ids[5] != ids[4]);
  CHECK(ids[7] == ids[4]);  // after the object closes: the section's top level again
  CHECK(work >= text.size());

  // Offsets past the end, and no offsets: answered, never out of range.
  CHECK(BlockIds("abc", {1, 10, 20}, &work).size() == 3);
  CHECK(BlockIds("", {}, &work).empty());
  // Unbalanced and deeply nested braces stay bounded.
  std::string deep(200000, '{');
  deep += "x";
  CHECK(BlockIds(deep, {deep.size() - 1}, &work).size() == 1);
  CHECK(BlockIds(std::string(1000, '}') + "x", {1000}, &work).size() == 1);
}

TEST_CASE("an ID and its secret in one YAML mapping 20 lines apart block as a pair") {
  Keys k = MakeKeys(1);
  std::string yaml =
      "alibaba:\n  access_key_id: " + k.id + "\n" + Filler("  ", 20) + "  access_key_secret: " + k.secret + "\n";
  Outcome o = Scan("config.yaml", yaml);
  CHECK(o.pairs == 1);
  CHECK(o.lone == 0);
  CHECK(o.blocks);
}

TEST_CASE("in two different YAML mappings far apart they stay two lone halves") {
  Keys k = MakeKeys(2);
  std::string yaml = "first:\n  access_key_id: " + k.id + "\n" + Filler("  ", 20) + "second:\n" + Filler("  ", 5) +
                     "  access_key_secret: " + k.secret + "\n";
  Outcome o = Scan("config.yaml", yaml);
  CHECK(o.pairs == 0);
  CHECK(o.lone == 2);
}

TEST_CASE("INI sections, .env files, JSON objects and class bodies pair by block") {
  Keys k = MakeKeys(3);
  SUBCASE("one INI section") {
    std::string ini =
        "[aliyun]\naccess_key_id = " + k.id + "\n" + Filler("", 15, " = ") + "access_key_secret = " + k.secret + "\n";
    CHECK(Scan("creds.ini", ini).pairs == 1);
  }
  SUBCASE("two INI sections: not paired") {
    std::string ini = "[one]\naccess_key_id = " + k.id + "\n" + Filler("", 15, " = ") + "[two]\n" +
                      "access_key_secret = " + k.secret + "\n";
    CHECK(Scan("creds.ini", ini).pairs == 0);
  }
  SUBCASE(".env file") {
    std::string env = "ALIBABA_CLOUD_ACCESS_KEY_ID=" + k.id + "\n" + Filler("", 30, "=") +
                      "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + k.secret + "\n";
    CHECK(Scan(".env", env).pairs == 1);
  }
  SUBCASE("one JSON object") {
    std::string json = "{\n  \"accessKeyId\": \"" + k.id + "\",\n" + Filler("  ", 12) + "  \"accessKeySecret\": \"" +
                       k.secret + "\"\n}\n";
    CHECK(Scan("creds.json", json).pairs == 1);
  }
  SUBCASE("two JSON objects: not paired") {
    std::string json = "[{\n  \"accessKeyId\": \"" + k.id + "\"\n" + Filler("  ", 12) + "},\n{\n" +
                       "  \"accessKeySecret\": \"" + k.secret + "\"\n}]\n";
    CHECK(Scan("creds.json", json).pairs == 0);
  }
  SUBCASE("a class body") {
    std::string java = "public class Cfg {\n  private String accessKeyId = \"" + k.id + "\";\n" + Filler("  // ", 12) +
                       "  private String accessKeySecret = \"" + k.secret + "\";\n}\n";
    CHECK(Scan("Cfg.java", java).pairs == 1);
  }
}

TEST_CASE("same_block = false keeps a pair to its line window") {
  Keys k = MakeKeys(4);
  RuleSet rules;
  REQUIRE(LoadRulesFromString(R"toml(
[[rules]]
id = "id"
regex = '''LTAI[A-Za-z0-9]{12,20}'''
keywords = ["ltai"]
[[rules]]
id = "secret"
regex = '''secret: ([A-Za-z0-9]{30})'''
secretGroup = 1
keywords = ["secret"]
[[pairs]]
id = "pair"
window_lines = 3
same_block = false
parts = [{ rule = "id" }, { rule = "secret" }]
)toml",
                              "<test>", &rules)
              .ok());
  std::unique_ptr<Scanner> scanner;
  REQUIRE(Scanner::Create(rules, "", &scanner).ok());
  ScanScratch scratch(*scanner);
  std::string yaml = "a:\n  id: " + k.id + "\n" + Filler("  ", 10) + "  secret: " + k.secret + "\n";
  FragmentResult r = scanner->Scan({"c.yaml", yaml}, scratch);
  REQUIRE(r.findings.size() == 2);
  CHECK_FALSE(r.findings[0].is_pair());
}

// Found by bench/detection_eval.sh: in Terraform's AWS provider block,
// `secret_key` is also Huawei's SK key name, and an AWS secret without '/' or
// '+' (about a quarter of them) is the Huawei SK's shape too. The Huawei
// finding on the value must neither keep the AWS pair from forming nor stay
// beside it as a second, lone finding.
TEST_CASE("pairing: another rule's finding on the secret does not keep the pair from forming") {
  static const char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // AWS key IDs
  std::mt19937_64 rng(20261203);
  for (int i = 0; i < 20; ++i) {
    std::string id = "AKIA";
    for (int k = 0; k < 16; ++k) id += kBase32[rng() % 32];
    const std::string secret = Random(rng, 40);  // no '/' or '+'
    const std::string text = "provider \"aws\" {\n  region     = \"us-west-2\"\n  access_key = \"" + id +
                             "\"\n  secret_key = \"" + secret + "\"\n}\n";
    INFO(text);
    Outcome o = Scan("main.tf", text);
    CHECK(o.pairs == 1);
    CHECK(o.lone == 0);
    CHECK(o.blocks);
  }
}
