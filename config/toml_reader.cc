#include "config/toml_reader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace akgate {

namespace {

// Levenshtein distance, case-insensitive: "did you mean" for a misspelt key.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string FormatNumber(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

Status TomlReader::Parse(std::string_view text, const std::string& label, toml::table* out) {
  try {
    *out = toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    std::string at = label;
    if (e.source().begin.line)
      at += ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column);
    return Status::InvalidArgument(at + ": " + std::string(e.description()));
  }
  return Status::Ok();
}

TomlReader::TomlReader(const toml::table& t, std::string label, std::string where, std::vector<std::string>* warnings)
    : t_(t), label_(std::move(label)), where_(std::move(where)), warnings_(warnings) {}

std::string TomlReader::At(const toml::node* n) const {
  const toml::source_region& src = (n ? *n : static_cast<const toml::node&>(t_)).source();
  std::string at = label_;
  if (src.begin.line) at += ":" + std::to_string(src.begin.line);
  return where_.empty() ? at : at + ": " + where_;
}

const toml::node* TomlReader::Get(const char* key) {
  seen_.insert(key);
  return t_.get(key);
}

bool TomlReader::Str(const char* key, std::string* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  if (auto v = n->value<std::string>()) {
    *out = *v;
    return true;
  }
  Fail(n, key, "must be a string");
  return false;
}

bool TomlReader::Bool(const char* key, bool* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  if (auto v = n->value<bool>(); v && n->is_boolean()) {
    *out = *v;
    return true;
  }
  Fail(n, key, "must be true or false");
  return false;
}

bool TomlReader::Int(const char* key, int64_t min, int64_t max, int64_t* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  auto v = n->value<int64_t>();
  if (!n->is_integer() || !v || *v < min || *v > max) {
    Fail(n, key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  *out = *v;
  return true;
}

bool TomlReader::Number(const char* key, double min, double max, double* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  auto v = n->value<double>();  // integers convert too
  if (!v || !std::isfinite(*v) || *v < min || *v > max) {
    Fail(n, key, "must be a number from " + FormatNumber(min) + " to " + FormatNumber(max));
    return false;
  }
  *out = *v;
  return true;
}

bool TomlReader::Seconds(const char* key, double min, double max, double* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  auto v = n->value<double>();
  if (!v || !std::isfinite(*v) || *v < min || *v > max) {
    Fail(n, key, "must be a number of seconds from " + FormatNumber(min) + " to " + FormatNumber(max));
    return false;
  }
  *out = *v;
  return true;
}

bool TomlReader::Bytes(const char* key, uint64_t* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  if (auto v = n->value<int64_t>(); v && n->is_integer() && *v >= 0) {
    *out = static_cast<uint64_t>(*v);
    return true;
  }
  // "10 MiB", "512K", "1 GB", "300": digits, an optional k/m/g, an optional (i)B.
  if (auto s = n->value<std::string>()) {
    std::string_view t = *s;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    std::string_view unit = t.substr(digits);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    int shift = 0;
    if (!unit.empty()) {
      char u = static_cast<char>(std::tolower(static_cast<unsigned char>(unit.front())));
      shift = u == 'k' ? 10 : u == 'm' ? 20 : u == 'g' ? 30 : 0;
      if (shift) unit.remove_prefix(1);
    }
    if (!unit.empty() && (unit.front() == 'i') && shift) unit.remove_prefix(1);
    bool unit_ok = unit.empty() || unit == "b" || unit == "B";
    if (digits > 0 && digits <= 12 && unit_ok) {  // 12 digits: no overflow below
      uint64_t v = std::stoull(std::string(t.substr(0, digits)));
      if (v <= (UINT64_MAX >> shift)) {
        *out = v << shift;
        return true;
      }
    }
  }
  Fail(n, key, "must be a size in bytes (a whole number, or a string like \"10 MiB\")");
  return false;
}

bool TomlReader::StrList(const char* key, std::vector<std::string>* out, bool single_ok) {
  const toml::node* n = Get(key);
  if (!n) return false;
  if (auto s = n->value<std::string>(); s && single_ok) {
    out->assign(1, *s);
    return true;
  }
  std::vector<std::string> v;
  const toml::array* a = n->as_array();
  bool ok = a != nullptr;
  if (a) {
    for (const toml::node& e : *a) {
      auto s = e.value<std::string>();
      if (!s) {
        ok = false;
        break;
      }
      v.push_back(*s);
    }
  }
  if (!ok) {
    Fail(n, key, single_ok ? "must be a string or an array of strings" : "must be an array of strings");
    return false;
  }
  *out = std::move(v);
  return true;
}

bool TomlReader::OneOf(const char* key, std::initializer_list<const char*> choices, std::string* out) {
  std::string v;
  if (!Str(key, &v)) return false;
  std::string list;
  size_t i = 0;
  for (const char* c : choices) {
    if (v == c) {
      *out = v;
      return true;
    }
    list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + std::string("\"") + c + "\"";
    ++i;
  }
  Fail(nullptr, key, "must be " + list + ", not \"" + v + "\"");
  return false;
}

const toml::table* TomlReader::Table(const char* key) {
  const toml::node* n = Get(key);
  if (!n) return nullptr;
  if (const toml::table* t = n->as_table()) return t;
  Fail(n, key, "must be a table");
  return nullptr;
}

void TomlReader::Ignored(const char* key, const std::string& why) {
  const toml::node* n = Get(key);
  if (n && warnings_) warnings_->push_back(At(n) + ": '" + key + "' is not supported; " + why);
}

void TomlReader::Fail(const toml::node* n, std::string_view key, const std::string& what) {
  if (!n) n = t_.get(key);
  Error(n, "'" + std::string(key) + "' " + what);
}

void TomlReader::Error(const toml::node* n, const std::string& what) {
  if (status_.ok()) status_ = Status::InvalidArgument(At(n) + ": " + what);
}

void TomlReader::SetError(Status s) {
  if (status_.ok() && !s.ok()) status_ = std::move(s);
}

void TomlReader::FailUnknown() {
  for (const auto& [k, v] : t_) {
    std::string key(k.str());
    if (seen_.count(key)) continue;
    std::string hint, known;
    size_t best = 3;
    for (const std::string& s : seen_) {
      known += (known.empty() ? "" : ", ") + s;
      if (size_t d = EditDistance(key, s); d < best) {
        best = d;
        hint = s;
      }
    }
    Error(&v, "unknown key '" + key + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                  (known.empty() ? "" : "; known here: " + known));
  }
}

Status ReadConfigFile(const std::string& path, const std::string& label, std::string* text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(label + ": no such file");
  if (fs::is_directory(path, ec)) return Status::InvalidArgument(label + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(label + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(label + ": cannot read");
  *text = ss.str();
  return Status::Ok();
}

}  // namespace akgate
