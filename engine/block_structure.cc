#include "engine/block_structure.h"

#include <cstring>

namespace akgate {

namespace {

constexpr uint64_t kBraceBlock = 1ull << 63;
constexpr size_t kMaxBraceIds = 10000;  // deeper nesting shares its ancestor's id (memory bound)

struct IndentLevel {
  uint64_t indent;
  uint32_t line;
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A line that says nothing of structure: blank, or only a comment.
bool IsStructureless(std::string_view rest) {
  if (rest.empty()) return true;
  if (rest[0] == '#' || rest[0] == ';') return true;
  return rest.size() >= 2 && rest[0] == '/' && (rest[1] == '/' || rest[1] == '*');
}

// "[section]" or "[[table]]" alone on a line (INI, TOML), a comment allowed after it.
bool IsSectionHeader(std::string_view rest) {
  if (rest.empty() || rest[0] != '[') return false;
  size_t close = rest.rfind(']');
  if (close == std::string_view::npos || close < 2) return false;
  for (size_t i = close + 1; i < rest.size(); ++i) {
    if (rest[i] == '#' || rest[i] == ';') return true;
    if (!IsBlank(rest[i])) return false;
  }
  return true;
}

}  // namespace

std::vector<uint64_t> BlockIds(std::string_view text, const std::vector<uint64_t>& offsets, uint64_t* work) {
  std::vector<uint64_t> out;
  out.reserve(offsets.size());
  std::vector<uint64_t> braces;  // open `{` ids, innermost last
  uint64_t depth = 0;            // may exceed braces.size() (kMaxBraceIds)
  uint64_t next_brace = 0;
  std::vector<IndentLevel> indents;  // the parent lines of the current line, at depth 0
  uint64_t section = 0;
  uint32_t line_no = 0;
  uint32_t parent = 0;  // the current line's parent line (0: top level)
  size_t next = 0;      // next offset to answer
  size_t pos = 0;
  auto brace = [&](char c) {
    if (c == '{') {
      if (braces.size() < kMaxBraceIds) braces.push_back(++next_brace);
      ++depth;
    } else if (c == '}' && depth > 0) {
      if (braces.size() == depth) braces.pop_back();
      --depth;
    }
  };
  auto block = [&] { return depth > 0 ? (kBraceBlock | braces.back()) : ((section << 32) | parent); };
  while (next < offsets.size() && pos <= text.size()) {
    ++line_no;
    const char* nl =
        pos < text.size() ? static_cast<const char*>(std::memchr(text.data() + pos, '\n', text.size() - pos)) : nullptr;
    const size_t end = nl ? static_cast<size_t>(nl - text.data()) : text.size();
    size_t first = pos;
    while (first < end && IsBlank(text[first])) ++first;
    std::string_view rest = text.substr(first, end - first);
    if (depth == 0 && !IsStructureless(rest)) {
      const uint64_t indent = first - pos;
      if (indent == 0 && IsSectionHeader(rest)) {
        ++section;
        indents.clear();
      }
      while (!indents.empty() && indents.back().indent >= indent) indents.pop_back();
      parent = indents.empty() ? 0 : indents.back().line;
      indents.push_back({indent, line_no});
    }
    // Braces on this line, up to each offset on it.
    size_t p = pos;
    while (next < offsets.size() && offsets[next] <= end) {
      for (; p < offsets[next]; ++p) brace(text[p]);
      out.push_back(block());
      ++next;
    }
    for (; p < end; ++p) brace(text[p]);
    *work += end - pos + 1;
    if (!nl) break;
    pos = end + 1;
  }
  while (out.size() < offsets.size()) out.push_back(block());  // offsets past the end
  return out;
}

}  // namespace akgate
