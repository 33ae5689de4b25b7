// Display widths and line wrapping for reports (see text_layout.h).
#include "report/text_layout.h"

#include <algorithm>

namespace akgate {

namespace {

constexpr char32_t kInvalid = 0xFFFD;

// The code point at s[i] and its length in bytes; an invalid or truncated
// sequence is one byte, U+FFFD.
size_t Decode(std::string_view s, size_t i, char32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    *cp = c < 0x80 ? c : kInvalid;
    return 1;
  }
  char32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      *cp = kInvalid;
      return 1;
    }
    v = (v << 6) | (b & 0x3F);
  }
  *cp = v;
  return len;
}

// East Asian Wide and Fullwidth (Unicode's EastAsianWidth.txt, W and F),
// in the blocks a report can meet. Ambiguous characters (“ ” …) are narrow,
// as most terminals show them; the catalogue avoids them in Chinese text.
bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
         (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// A line never starts with these (closing punctuation)...
bool NoBreakBefore(char32_t c) {
  static constexpr std::u32string_view kClosing = U"，。、；：？！）》」』】,.;:?!)]}";
  return kClosing.find(c) != std::u32string_view::npos;
}
// ... nor ends with these (opening punctuation).
bool NoBreakAfter(char32_t c) {
  static constexpr std::u32string_view kOpening = U"（《「『【([{";
  return kOpening.find(c) != std::u32string_view::npos;
}

size_t Columns(char32_t c) { return IsWide(c) ? 2 : 1; }

// One piece a line may break before: a word, or a CJK character with the
// punctuation that sticks to it.
struct Unit {
  std::string text;
  bool space_before;  // a space separated it from the previous unit
};

std::vector<Unit> Units(const std::string& text) {
  std::vector<Unit> units;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t sp = text.find(' ', pos);
    std::string_view word(text.data() + pos, (sp == std::string::npos ? text.size() : sp) - pos);
    pos = sp == std::string::npos ? text.size() : sp + 1;
    if (word.empty()) continue;
    bool first = true;
    char32_t prev = 0;
    for (size_t i = 0; i < word.size();) {
      char32_t cp;
      size_t len = Decode(word, i, &cp);
      // A break between two characters of a word: where either is CJK,
      // unless punctuation holds them together.
      bool can_break = !first && (IsWide(cp) || IsWide(prev)) && !NoBreakBefore(cp) && !NoBreakAfter(prev);
      if (first || can_break) units.push_back({"", first});
      units.back().text.append(word.substr(i, len));
      first = false;
      prev = cp;
      i += len;
    }
  }
  return units;
}

}  // namespace

std::string Displayable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t len = Decode(s, i, &cp);
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
      out += '?';
    else if (cp == kInvalid && len == 1 && static_cast<unsigned char>(s[i]) >= 0x80)
      out += "\xEF\xBF\xBD";
    else
      out.append(s, i, len);
    i += len;
  }
  return out;
}

size_t DisplayWidth(std::string_view s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    i += Decode(s, i, &cp);
    w += Columns(cp);
  }
  return w;
}

std::string Ellipsize(const std::string& s, size_t max) {
  if (max < 8 || DisplayWidth(s) <= max) return s;
  // The longest tail that fits in max - 3 columns, cut at a character.
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    starts.push_back(i);
    i += Decode(s, i, &cp);
  }
  size_t start = s.size(), w = 0;
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    char32_t cp;
    Decode(s, *it, &cp);
    if (w + Columns(cp) > max - 3) break;
    w += Columns(cp);
    start = *it;
  }
  return "..." + s.substr(start);
}

std::string Truncate(const std::string& s, size_t max) {
  if (DisplayWidth(s) <= max) return s;
  size_t budget = max > 3 ? max - 3 : 0, end = 0, w = 0;
  while (end < s.size()) {
    char32_t cp;
    size_t len = Decode(s, end, &cp);
    if (w + Columns(cp) > budget) break;
    w += Columns(cp);
    end += len;
  }
  return s.substr(0, end) + "...";
}

void Wrap(const std::string& text, const std::string& indent, size_t width, std::vector<std::string>* out) {
  const size_t indent_w = DisplayWidth(indent);
  const size_t room = width > indent_w ? width - indent_w : 1;
  std::string line = indent;
  size_t line_w = indent_w;
  bool empty = true;
  for (const Unit& u : Units(text)) {
    std::string piece = Ellipsize(u.text, room);
    size_t piece_w = DisplayWidth(piece);
    size_t sep = !empty && u.space_before ? 1 : 0;
    if (!empty && line_w + sep + piece_w > width) {
      out->push_back(line);
      line = indent;
      line_w = indent_w;
      sep = 0;  // `empty` becomes false just below, with this piece
    }
    if (sep) line += ' ';
    line += piece;
    line_w += sep + piece_w;
    empty = false;
  }
  if (!empty) out->push_back(line);
}

}  // namespace akgate
