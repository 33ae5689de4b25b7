// Git LFS pointers and the objects behind them (git/lfs_store.h), and the
// inspector scanning those objects under the pointer's path.
#include "git/lfs_store.h"

#include <doctest/doctest.h>

#include <fstream>

#include "engine/rule_loader.h"
#include "engine/scanner.h"
#include "engine/sha256.h"
#include "git/push_inspector.h"
#include "git_fixture.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

std::string Pointer(const std::string& content) {
  Sha256 sha;
  sha.Update(content);
  return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha.FinalHex() + "\nsize " +
         std::to_string(content.size()) + "\n";
}

void Put(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("LFS pointers: the spec's form is one, anything else is not") {
  LfsPointer p;
  const std::string oid(64, 'a');
  CHECK(ParseLfsPointer("version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize 12\n", &p));
  CHECK(p.oid == oid);
  CHECK(p.size == 12);
  CHECK(ParseLfsPointer(
      "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + oid + "\noid sha256:" + oid + "\nsize 0\n",
      &p));
  CHECK_FALSE(ParseLfsPointer("oid sha256:" + oid + "\nsize 12\n", &p));  // no version line first
  CHECK_FALSE(ParseLfsPointer("version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\n", &p));
  CHECK_FALSE(
      ParseLfsPointer("version https://git-lfs.github.com/spec/v1\noid sha256:" + oid.substr(1) + "\nsize 1\n", &p));
  CHECK_FALSE(ParseLfsPointer("version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize 1x\n", &p));
  CHECK_FALSE(ParseLfsPointer(std::string(2000, 'v'), &p));
}

TEST_CASE("LFS objects: found in either layout, checked against the pointer") {
  TempDir dir;
  const std::string content = "hello lfs\n";
  LfsPointer p;
  REQUIRE(ParseLfsPointer(Pointer(content), &p));
  LfsStores stores;
  stores.git_lfs = {dir.path() + "/repo/lfs/objects"};
  stores.gitlab = {dir.path() + "/gitlab"};
  std::string got;
  LfsRead read;
  REQUIRE(ReadLfsObject(stores, p, 1 << 20, &got, &read).ok());
  CHECK(read == LfsRead::kMissing);
  CHECK(stores.Describe().find("(GitLab)") != std::string::npos);

  Put(dir.path() + "/gitlab/" + p.oid.substr(0, 2) + "/" + p.oid.substr(2, 2) + "/" + p.oid.substr(4), content);
  REQUIRE(ReadLfsObject(stores, p, 1 << 20, &got, &read).ok());
  CHECK(read == LfsRead::kFound);
  CHECK(got == content);
  REQUIRE(ReadLfsObject(stores, p, 4, &got, &read).ok());
  CHECK(read == LfsRead::kOversize);

  const std::string plain =
      dir.path() + "/repo/lfs/objects/" + p.oid.substr(0, 2) + "/" + p.oid.substr(2, 2) + "/" + p.oid;
  Put(plain, "HELLO LFS\n");  // same size, other content: looked at first, refused
  Status s = ReadLfsObject(stores, p, 1 << 20, &got, &read);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("does not hash to the oid") != std::string::npos);
  Put(plain, "short\n");
  s = ReadLfsObject(stores, p, 1 << 20, &got, &read);
  CHECK(s.message().find("holds 6 bytes where its pointer says 10") != std::string::npos);
}

TEST_CASE("the inspector scans an LFS object under its pointer's path, or says it could not") {
  RuleSet rules;
  REQUIRE(LoadRulesFromString(R"(
title = "lfs test rules"
[[rules]]
id = "ak-id"
description = "AccessKey ID"
regex = '''\b(LTAI[A-Za-z0-9]{20})\b'''
entropy = 2.5
action = "block"
)",
                              "<test>", &rules)
              .ok());
  std::unique_ptr<Scanner> scanner;
  REQUIRE(Scanner::Create(rules, &scanner).ok());
  TestRepo repo;
  const std::string secret = "key = LTAI" + RandomAlnum(20) + "\n";
  git_oid c = repo.Commit({{"assets/keys.env", Pointer(secret)}}, {});
  LfsPointer p;
  REQUIRE(ParseLfsPointer(Pointer(secret), &p));
  auto inspect = [&](const InspectOptions& o, PushInspection* out) {
    auto r = repo.Open();
    return InspectPush(*r, *scanner, {TestRepo::Update(nullptr, &c, "refs/heads/main")}, o, out);
  };

  InspectOptions o;
  PushInspection missing;
  Status s = inspect(o, &missing);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("the Git LFS object of assets/keys.env") != std::string::npos);

  o.lfs_missing_blocks = false;
  PushInspection warned;
  REQUIRE(inspect(o, &warned).ok());
  CHECK(warned.findings.empty());
  CHECK(warned.stats.skipped["lfs-missing"] == 1);
  REQUIRE(warned.stats.skipped_examples.size() == 1);
  CHECK(warned.stats.skipped_examples[0].path == "assets/keys.env");

  Put(repo.path() + "/lfs/objects/" + p.oid.substr(0, 2) + "/" + p.oid.substr(2, 2) + "/" + p.oid, secret);
  PushInspection found;
  REQUIRE(inspect(o, &found).ok());
  REQUIRE(found.findings.size() == 1);
  CHECK(found.findings[0].finding.path == "assets/keys.env");
  CHECK(found.findings[0].finding.location().line == 1);
  CHECK(found.stats.lfs_scanned == 1);
}
