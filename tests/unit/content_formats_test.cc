// Content that is not plain UTF-8 text: UTF-16 files, compressed files and
// archives, and archives that cannot be opened (never a silent pass).
#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "ak_pair_rules.h"
#include "engine/archive.h"
#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "engine/text_encoding.h"
#include "tests/unit/gzip_helper.h"

using namespace akgate;
using akgate::testing::kAkPairRules;

namespace {

const std::string kText =
    "# settings\nACCESS_KEY_ID=LTAI5tQz8Wb3nRk2JvPxYh7d\nACCESS_KEY_SECRET=Xq3vTn8bKp2LmW9rYc4HdJ6sFa1Ze7\n";

struct Engine {
  std::unique_ptr<Scanner> scanner;
  std::unique_ptr<ScanScratch> scratch;
  explicit Engine(const std::string& extra = "") {
    RuleSet rules;
    Status s = LoadRulesFromString(kAkPairRules + extra, "<test>", &rules);
    REQUIRE_MESSAGE(s.ok(), s.message());
    REQUIRE(Scanner::Create(rules, "", &scanner).ok());
    scratch = std::make_unique<ScanScratch>(*scanner);
  }
  FragmentResult Scan(const std::string& path, const std::string& data) {
    return scanner->Scan({path, data}, *scratch);
  }
};

std::string Utf16(const std::string& ascii, bool big_endian, bool bom) {
  std::string out;
  if (bom) out += big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char c : ascii) {
    if (big_endian) out += '\0';
    out += c;
    if (!big_endian) out += '\0';
  }
  return out;
}

using akgate::testing::Gzip;

// A zip (stored when `store`) with the given members, written by libarchive.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& members, bool store = false) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (store) archive_write_set_options(a, "zip:compression=store");
  std::vector<char> buf(1 << 20);
  size_t used = 0;
  REQUIRE(archive_write_open_memory(a, buf.data(), buf.size(), &used) == ARCHIVE_OK);
  for (const auto& [name, data] : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    REQUIRE(archive_write_header(a, e) == ARCHIVE_OK);
    REQUIRE(archive_write_data(a, data.data(), data.size()) == static_cast<la_ssize_t>(data.size()));
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

const Finding* Only(const FragmentResult& r, const std::string& rule) {
  const Finding* found = nullptr;
  for (const Finding& f : r.findings)
    if (f.rule_id == rule) {
      REQUIRE_MESSAGE(found == nullptr, "more than one " << rule);
      found = &f;
    }
  return found;
}

}  // namespace

TEST_CASE("UTF-16 text is decoded and scanned; lines stay right") {
  Engine e;
  for (bool be : {false, true})
    for (bool bom : {true, false}) {
      CAPTURE(be);
      CAPTURE(bom);
      FragmentResult r = e.Scan(".env", Utf16(kText, be, bom));
      CHECK(r.skipped == SkipReason::kNone);  // was kBinary
      const Finding* f = Only(r, "ak-pair");
      REQUIRE(f != nullptr);
      CHECK(f->parts[0].location.line == 2);
      CHECK(f->parts[1].location.line == 3);
      CHECK(f->encoding == (be ? "utf-16be" : "utf-16le"));
    }
  std::string decoded;
  Utf16ToUtf8(Utf16("h\xC3", false, true), TextEncoding::kUtf16Le, &decoded);  // U+00C3 -> 2 bytes
  CHECK(decoded == "h\xC3\x83");
  // Binary with NULs is still binary; so is a BOM before binary.
  std::string binary =
      "\x7F"
      "ELF";
  for (int i = 0; i < 400; ++i) binary += std::string("\x01\x00\x00\x00\x90\x12\x00\x00", 8);
  CHECK(e.Scan("a.out", binary).skipped == SkipReason::kBinary);
  CHECK(e.Scan("x.bin", "\xFF\xFE" + std::string(64, '\0')).skipped == SkipReason::kBinary);
  CHECK(DetectUtf16(kText) == TextEncoding::kUtf8);
}

TEST_CASE("compressed files and archives are opened; findings are named outer!member") {
  Engine e;
  FragmentResult gz = e.Scan("conf/k.env.gz", Gzip(kText));
  REQUIRE(gz.skipped == SkipReason::kNone);
  const Finding* f = Only(gz, "ak-pair");
  REQUIRE(f != nullptr);
  CHECK(f->path == "conf/k.env.gz!k.env");
  CHECK(f->member == "k.env");
  CHECK(f->location().line == 2);

  FragmentResult zip = e.Scan("k.zip", Zip({{"README", "nothing\n"}, {"app/.env", kText}}));
  f = Only(zip, "ak-pair");
  REQUIRE(f != nullptr);
  CHECK(f->path == "k.zip!app/.env");
  CHECK(f->location().line == 2);
  CHECK(zip.unscanned.empty());

  // A gzipped zip inside a zip: every level is opened (depth 3 by default);
  // libarchive reads a gzipped zip as one archive.
  FragmentResult nested = e.Scan("outer.zip", Zip({{"inner.zip.gz", Gzip(Zip({{"deep/.env", kText}}))}}));
  f = Only(nested, "ak-pair");
  REQUIRE(f != nullptr);
  CHECK(f->path == "outer.zip!inner.zip.gz!deep/.env");  // gzip and zip read as one

  // A UTF-16 file inside an archive.
  FragmentResult wide = e.Scan("w.zip", Zip({{"ps.env", Utf16(kText, false, true)}}));  // outlives f
  f = Only(wide, "ak-pair");
  REQUIRE(f != nullptr);
  CHECK(f->encoding == "utf-16le");
}

TEST_CASE("what cannot be opened is reported with its reason, never passed silently") {
  Engine e;
  auto unscannable = [](const FragmentResult& r) { return Only(r, "unscannable-content"); };

  // Encrypted: the member's general purpose flag bit 0, as `zip -e` sets it.
  std::string enc = Zip({{"conf/.env", kText}}, /*store=*/true);
  enc[6] |= 1;
  enc[enc.rfind("PK\x01\x02") + 8] |= 1;
  FragmentResult r = e.Scan("k.zip", enc);
  const Finding* f = unscannable(r);
  REQUIRE(f != nullptr);
  CHECK(f->action == Action::kBlock);
  CHECK(f->path == "k.zip!conf/.env");
  CHECK(f->redacted() == "(not scanned: encrypted)");
  REQUIRE(r.unscanned.size() == 1);
  CHECK(r.unscanned[0].reason == SkipReason::kEncrypted);

  r = e.Scan("bad.zip", Zip({{"conf/.env", kText}}).substr(0, 40) + std::string(64, 'x'));
  REQUIRE(unscannable(r) != nullptr);
  CHECK(r.unscanned.at(0).reason == SkipReason::kUnreadableArchive);

  // gzip of an empty file (clang-format-14's man pages on Debian 12) is
  // readable and empty: no finding. Truncated or corrupt, it still blocks.
  r = e.Scan("git-clang-format.1.gz", Gzip(""));
  CHECK(r.findings.empty());
  CHECK(r.unscanned.empty());
  r = e.Scan("cut.gz", Gzip("").substr(0, 10));
  REQUIRE(unscannable(r) != nullptr);
  CHECK(r.unscanned.at(0).reason == SkipReason::kUnreadableArchive);
  r = e.Scan("garbage.gz", Gzip(kText).substr(0, 10) + std::string(64, 'x'));
  REQUIRE(unscannable(r) != nullptr);
  CHECK(r.unscanned.at(0).reason == SkipReason::kUnreadableArchive);

  std::string deep = kText;
  for (int i = 0; i < 4; ++i) deep = Zip({{"level.zip", deep}});
  r = e.Scan("deep.zip", deep);
  REQUIRE(unscannable(r) != nullptr);
  CHECK(r.unscanned.at(0).reason == SkipReason::kNestedTooDeep);
  CHECK(unscannable(r)->path == "deep.zip!level.zip!level.zip!level.zip");

  r = e.Scan("bomb.gz", Gzip(kText + std::string(20 << 20, '\0')));
  REQUIRE(unscannable(r) != nullptr);
  CHECK(r.unscanned.at(0).reason == SkipReason::kCompressionRatio);
  CHECK(Only(r, "ak-pair") == nullptr);

  // The limits decide the action, and the bounds.
  Engine warn("[limits]\nunscannable = 'warn'\nmax_archive_depth = 1\n");
  r = warn.Scan("k.zip", enc);  // f points into r
  f = Only(r, "unscannable-content");
  REQUIRE(f != nullptr);
  CHECK(f->action == Action::kWarn);
  r = warn.Scan("outer.zip", Zip({{"inner.zip", Zip({{"a/.env", kText}})}}));
  REQUIRE(Only(r, "unscannable-content") != nullptr);
  CHECK(r.unscanned.at(0).reason == SkipReason::kNestedTooDeep);

  // The same archive, the same fingerprint (an allow by fingerprint keeps working).
  CHECK(unscannable(e.Scan("k.zip", enc))->fingerprint == unscannable(e.Scan("k.zip", enc))->fingerprint);
}
