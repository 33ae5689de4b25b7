// config/toml_reader.h: the one TOML layer (rules, policy, gateway config),
// and engine/status.h's codes and propagation.
#include "config/toml_reader.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/status.h"

namespace akgate {
namespace {

// Reads `text` as one table with `fill`, then checks unknown keys.
template <typename F>
Status ReadWith(const std::string& text, F&& fill) {
  toml::table doc;
  AKGATE_RETURN_IF_ERROR(TomlReader::Parse(text, "t.toml", &doc));
  TomlReader top(doc, "t.toml");
  fill(top);
  top.FailUnknown();
  return top.status();
}

Status Twice(bool fail_first, int* calls) {
  auto step = [&](bool fail) {
    ++*calls;
    return fail ? Status::NotFound("step") : Status::Ok();
  };
  AKGATE_RETURN_IF_ERROR(step(fail_first));
  AKGATE_RETURN_IF_ERROR(step(false));
  return Status::Ok();
}

}  // namespace

TEST_CASE("Status: codes, names, context and propagation") {
  CHECK(Status().ok());
  CHECK(Status::Ok().code() == StatusCode::kOk);
  Status s = Status::Corrupt("object 1a2b is not a blob");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kCorrupt);
  CHECK(StatusCodeName(s.code()) == "corrupt");
  Status c = s.WithContext("reading the push");
  CHECK(c.code() == StatusCode::kCorrupt);
  CHECK(c.message() == "reading the push: object 1a2b is not a blob");
  CHECK(Status::Ok().WithContext("x").ok());
  // An error made with kOk still fails: a failure always has a kind.
  CHECK_FALSE(Status::Error(StatusCode::kOk, "oops").ok());

  int calls = 0;
  CHECK(Twice(true, &calls).code() == StatusCode::kNotFound);
  CHECK(calls == 1);  // returned at the first failure
  calls = 0;
  CHECK(Twice(false, &calls).ok());
  CHECK(calls == 2);
}

TEST_CASE("TomlReader: types, ranges and the line of the offending key") {
  std::string name;
  int64_t n = 0;
  bool b = false;
  Status s = ReadWith("name = \"x\"\n\ncount = 300\n", [&](TomlReader& r) {
    r.Str("name", &name);
    r.Int("count", 1, 100, &n);
  });
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() == "t.toml:3: 'count' must be a whole number from 1 to 100");

  s = ReadWith("flag = \"yes\"\n", [&](TomlReader& r) { r.Bool("flag", &b); });
  CHECK(s.message() == "t.toml:1: 'flag' must be true or false");

  s = ReadWith("n = 1.5\n", [&](TomlReader& r) { r.Int("n", 0, 10, &n); });
  CHECK(s.message().find("must be a whole number") != std::string::npos);  // no silent truncation

  double d = 0;
  s = ReadWith("x = nan\n", [&](TomlReader& r) { r.Number("x", 0, 8, &d); });
  CHECK(s.message() == "t.toml:1: 'x' must be a number from 0 to 8");
  s = ReadWith("x = 3\n", [&](TomlReader& r) { r.Number("x", 0, 8, &d); });
  CHECK(s.ok());
  CHECK(d == 3.0);
}

TEST_CASE("TomlReader: sizes in bytes, lists, choices") {
  uint64_t bytes = 0;
  for (auto [text, want] : std::vector<std::pair<std::string, uint64_t>>{{"s = 300", 300},
                                                                         {"s = \"10 MiB\"", 10u << 20},
                                                                         {"s = \"512K\"", 512u << 10},
                                                                         {"s = \"2 GB\"", uint64_t{2} << 30},
                                                                         {"s = \" 7 \"", 7}}) {
    CAPTURE(text);
    REQUIRE(ReadWith(text, [&](TomlReader& r) { r.Bytes("s", &bytes); }).ok());
    CHECK(bytes == want);
  }
  for (std::string bad : {"s = -1", "s = \"ten\"", "s = \"10 TiB\"", "s = \"999999999999G\"", "s = \"\""}) {
    CAPTURE(bad);
    CHECK(ReadWith(bad, [&](TomlReader& r) { r.Bytes("s", &bytes); }).message().find("must be a size in bytes") !=
          std::string::npos);
  }

  std::vector<std::string> list;
  CHECK(ReadWith("l = \"one\"", [&](TomlReader& r) { r.StrList("l", &list, true); }).ok());
  CHECK(list == std::vector<std::string>{"one"});
  CHECK(ReadWith("l = [\"a\", 2]", [&](TomlReader& r) { r.StrList("l", &list); }).message() ==
        "t.toml:1: 'l' must be an array of strings");

  std::string mode;
  CHECK(ReadWith("m = \"maybe\"", [&](TomlReader& r) {
          r.OneOf("m", {"block", "warn", "allow"}, &mode);
        }).message() == "t.toml:1: 'm' must be \"block\", \"warn\" or \"allow\", not \"maybe\"");
}

TEST_CASE("TomlReader: unknown keys are errors, with the nearest known key") {
  Status s = ReadWith("[limits]\ntime_budget = 3\ntime_budgt = 4\n", [&](TomlReader& top) {
    if (const toml::table* t = top.Table("limits")) {
      TomlReader r = top.Child(*t, "limits");
      double v = 0;
      r.Seconds("time_budget", 0.1, 60, &v);
      r.FailUnknown();
      top.SetError(r.status());
    }
  });
  CHECK(s.message() ==
        "t.toml:3: limits: unknown key 'time_budgt' (did you mean 'time_budget'?); known here: time_budget");
  // A table where a value belongs, and the reverse.
  s = ReadWith("limits = 3\n", [&](TomlReader& top) { top.Table("limits"); });
  CHECK(s.message() == "t.toml:1: 'limits' must be a table");
  s = ReadWith("[name]\n", [&](TomlReader& top) {
    std::string v;
    top.Str("name", &v);
  });
  CHECK(s.message().find("'name' must be a string") != std::string::npos);
}

TEST_CASE("TomlReader: arrays of tables are named by index; syntax errors by line and column") {
  std::vector<std::string> seen;
  Status s = ReadWith("[[route]]\nprefix = \"/a/\"\n[[route]]\nprefix = 5\n", [&](TomlReader& top) {
    top.Tables("route", false, [&](const toml::table& t, const std::string& where) {
      seen.push_back(where);
      TomlReader r = top.Child(t, where);
      std::string p;
      r.Str("prefix", &p);
      top.SetError(r.status());
    });
  });
  CHECK(seen == std::vector<std::string>{"route[0]", "route[1]"});
  CHECK(s.message() == "t.toml:4: route[1]: 'prefix' must be a string");

  toml::table doc;
  s = TomlReader::Parse("a = 1\nb = = 2\n", "bad.toml", &doc);
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message().rfind("bad.toml:2:", 0) == 0);
}

TEST_CASE("ReadConfigFile: missing, a directory, unreadable") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("akgate-toml-reader-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text;
  Status s = ReadConfigFile((dir / "none.toml").string(), "policy none.toml", &text);
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message() == "policy none.toml: no such file");
  CHECK(ReadConfigFile(dir.string(), "d", &text).code() == StatusCode::kInvalidArgument);
  std::ofstream(dir / "ok.toml") << "a = 1\n";
  REQUIRE(ReadConfigFile((dir / "ok.toml").string(), "ok", &text).ok());
  CHECK(text == "a = 1\n");
  fs::remove_all(dir);
}

}  // namespace akgate
