// The one TOML reading layer: rule files, policy files and the gateway's
// config are read through it, so they check types, ranges and unknown keys
// the same way and their errors read the same way:
//
//   policy /etc/akgate/policy.toml:4: limits: 'time_budget' must be a number of seconds from 0.1 to 86400
//   mine.toml:6: rules[0] (rule 'x'): unknown key 'actoin' (did you mean 'action'?); known here: ...
//
// "LABEL:LINE: WHERE: ...": LABEL names the file (with what it is when that
// helps: "policy FILE"), LINE is the offending key's (or table's) line, and
// WHERE the table within the file. The first error is kept; reading goes on
// so that callers stay simple, and status() says whether everything read.
//
//   toml::table doc;
//   AKGATE_RETURN_IF_ERROR(TomlReader::Parse(text, label, &doc));
//   TomlReader top(doc, label);
//   if (const toml::table* t = top.Table("limits")) {
//     TomlReader r = top.Child(*t, "limits");
//     r.Int("max_refs", 1, 100000, &max_refs);
//     r.FailUnknown();
//     top.SetError(r.status());
//   }
//   top.FailUnknown();
//   return top.status();
#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "engine/status.h"

namespace akgate {

class TomlReader {
 public:
  // Parses `text`; a syntax error is kInvalidArgument "LABEL:LINE:COLUMN: why".
  static Status Parse(std::string_view text, const std::string& label, toml::table* out);

  // `where`: the table within the file ("limits", "rules[2] (rule 'x')"),
  // empty for the top level. `warnings` (may be null) collects Ignored keys.
  TomlReader(const toml::table& t, std::string label, std::string where = "",
             std::vector<std::string>* warnings = nullptr);

  // A reader of a sub-table, with this one's label and warnings.
  TomlReader Child(const toml::table& t, std::string where) const {
    return TomlReader(t, label_, std::move(where), warnings_);
  }

  const Status& status() const { return status_; }
  const std::string& label() const { return label_; }
  const std::string& where() const { return where_; }

  // "LABEL:LINE: WHERE" for a node of this table (the table itself when null).
  std::string At(const toml::node* n = nullptr) const;
  // At() of `key`'s node (the table's when the key is absent).
  std::string AtKey(const char* key) const { return At(t_.get(key)); }

  // Each reader returns true when the key is present and valid (and *out set);
  // false when it is absent, or present and invalid (the error is recorded).
  const toml::node* Get(const char* key);  // any type; marks the key known
  bool Str(const char* key, std::string* out);
  bool Bool(const char* key, bool* out);
  bool Int(const char* key, int64_t min, int64_t max, int64_t* out);
  template <typename T>
  bool IntAs(const char* key, int64_t min, int64_t max, T* out) {
    int64_t v = 0;
    if (!Int(key, min, max, &v)) return false;
    *out = static_cast<T>(v);
    return true;
  }
  bool Number(const char* key, double min, double max, double* out);   // integers convert too
  bool Seconds(const char* key, double min, double max, double* out);  // Number, read as seconds
  // A size in bytes: a whole number, or a string such as "10 MiB" or "512K".
  bool Bytes(const char* key, uint64_t* out);
  // An array of strings; with `single_ok` a lone string is a list of one.
  bool StrList(const char* key, std::vector<std::string>* out, bool single_ok = false);
  // A string that must be one of `choices`.
  bool OneOf(const char* key, std::initializer_list<const char*> choices, std::string* out);
  // A sub-table (null when absent, or not a table: an error).
  const toml::table* Table(const char* key);
  // A sub-table or (with `allow_single`) an array of sub-tables; `each` gets
  // each table and its WHERE ("rules[2]").
  template <typename F>
  void Tables(const char* key, bool allow_single, F&& each) {
    const toml::node* n = Get(key);
    if (!n) return;
    std::string prefix = where_.empty() ? key : where_ + "." + key;
    if (const toml::table* t = n->as_table(); t && allow_single) {
      each(*t, prefix);
      return;
    }
    const toml::array* a = n->as_array();
    if (!a) return Fail(n, key, allow_single ? "must be a table or an array of tables" : "must be an array of tables");
    int i = 0;
    for (const toml::node& e : *a) {
      const toml::table* t = e.as_table();
      if (!t) return Fail(n, key, "must be an array of tables");
      each(*t, prefix + "[" + std::to_string(i++) + "]");
    }
  }

  // A key that is read but not applied (because ignoring it can only report
  // more, never hide a finding): a warning, not an error.
  void Ignored(const char* key, const std::string& why);

  // "AT: 'KEY' WHAT" ("must be a string"); n null: the key's own node.
  void Fail(const toml::node* n, std::string_view key, const std::string& what);
  // "AT: WHAT".
  void Error(const toml::node* n, const std::string& what);
  void SetError(Status s);
  // Keys present but never read are errors: a misspelt key (`actoin`,
  // `time_budgt`) must not silently change what a rule or policy does.
  // Names the closest known key and lists the known ones.
  void FailUnknown();

 private:
  const toml::table& t_;
  std::string label_;
  std::string where_;
  std::vector<std::string>* warnings_;
  std::set<std::string> seen_;
  Status status_;
};

// Reads a whole file for a config reader: kNotFound when it does not exist,
// kInvalidArgument for a directory, kIoError when it cannot be read; the
// message starts with `label`.
Status ReadConfigFile(const std::string& path, const std::string& label, std::string* text);

}  // namespace akgate
