// The message catalogue (report/messages.h) and the display-width layout
// (report/text_layout.h) the two languages share.
#include "report/messages.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

#include "report/text_layout.h"
#include "text_helpers.h"

using namespace akgate;
using akgate::testing::ValidUtf8;

namespace {

// The placeholders of a text, with how often each appears.
std::map<std::string, int> Placeholders(const char* text) {
  std::map<std::string, int> out;
  std::string s = text ? text : "";
  for (size_t i = s.find('{'); i != std::string::npos; i = s.find('{', i + 1)) {
    size_t close = s.find('}', i);
    REQUIRE_MESSAGE(close != std::string::npos, "an unclosed { in: " << s);
    out[s.substr(i + 1, close - i - 1)]++;
  }
  return out;
}

}  // namespace

TEST_CASE("every message has an English and a Chinese text with the same placeholders") {
  for (int i = 0; i < static_cast<int>(Msg::kCount); ++i) {
    const MessageText& m = CatalogueEntry(static_cast<Msg>(i));
    INFO("message #" << i << ": " << (m.en ? m.en : "(null)"));
    CHECK(static_cast<int>(m.id) == i);
    REQUIRE(m.en != nullptr);
    REQUIRE(m.zh != nullptr);
    CHECK(std::string(m.en).size() > 0);
    CHECK(std::string(m.zh).size() > 0);
    CHECK(ValidUtf8(m.zh));
    CHECK(Placeholders(m.en) == Placeholders(m.zh));
    if (m.en_many) CHECK(Placeholders(m.en) == Placeholders(m.en_many));
    // Separators and names of ASCII tokens aside, the Chinese text is Chinese.
    if (i != static_cast<int>(Msg::kListSeparator)) CHECK(std::string(m.zh) != std::string(m.en));
    // Ambiguous-width characters would make the width of a line depend on
    // the terminal: the Chinese texts use none.
    for (const char* ambiguous : {"“", "”", "‘", "’", "…", "·"})
      CHECK(std::string(m.zh).find(ambiguous) == std::string::npos);
  }
}

TEST_CASE("a counted message: {n} in both, singular and plural in English only") {
  CHECK(Count(Language::kEnglish, Msg::kFiles, 1) == "1 file");
  CHECK(Count(Language::kEnglish, Msg::kFiles, 3) == "3 files");
  CHECK(Count(Language::kChinese, Msg::kFiles, 1) == "1 个文件");
  CHECK(Count(Language::kChinese, Msg::kFiles, 3) == "3 个文件");
  CHECK(Count(Language::kEnglish, Msg::kRemove, 2, {{"carriers", "the tags"}}) ==
        "Remove them from the tags you are pushing.");
  CHECK(Count(Language::kChinese, Msg::kRemove, 2, {{"carriers", "标签"}}) == "从您推送的标签中移除密钥。");
}

TEST_CASE("a placeholder's value is inserted as it is, never read for placeholders") {
  CHECK(Say(Language::kEnglish, Msg::kNote, {{"note", "{note} {n}"}}) == "Note: {note} {n}");
  CHECK(Say(Language::kChinese, Msg::kNote, {{"note", "{note}"}}) == "注意：{note}");
  CHECK(Count(Language::kChinese, Msg::kMorePlaces, 2) == "（此次推送中还有 2 处含有同一密钥）");
  // A value missing: the placeholder stays, visibly.
  CHECK(Say(Language::kEnglish, Msg::kNote) == "Note: {note}");
}

TEST_CASE("sentences in a row: a space in English, none in Chinese") {
  CHECK(JoinSentences(Language::kEnglish, "One.", "Two.") == "One. Two.");
  CHECK(JoinSentences(Language::kChinese, "一。", "二。") == "一。二。");
  CHECK(JoinSentences(Language::kChinese, "", "二。") == "二。");
}

TEST_CASE("language names: en, zh-CN and their spellings; anything else is not a language") {
  for (const char* zh : {"zh-CN", "zh-cn", "ZH-CN", "zh", "zh-Hans", "zh_CN"})
    CHECK(ParseLanguage(zh) == Language::kChinese);
  for (const char* en : {"en", "EN", "en-US", "en_GB"}) CHECK(ParseLanguage(en) == Language::kEnglish);
  for (const char* bad : {"", "zh-TW", "zh-Hant", "fr", "e", "en-", "chinese", "zh-CN\n"})
    CHECK_FALSE(ParseLanguage(bad).has_value());
  CHECK(std::string(LanguageName(Language::kChinese)) == "zh-CN");
  CHECK(std::string(LanguageName(Language::kEnglish)) == "en");
}

TEST_CASE("display width: a CJK character takes two columns, a UTF-8 byte is not a column") {
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("密钥") == 4);
  CHECK(DisplayWidth("（提交）") == 8);
  CHECK(DisplayWidth("LTAI…9Q") == 7);   // an ellipsis is narrow
  CHECK(DisplayWidth("\xff\xfe") == 2);  // invalid bytes: one column each
}

TEST_CASE("wrapping Chinese: within the width, at character boundaries, no line opens with a stop") {
  const std::string text = Say(Language::kChinese, Msg::kAdviceAlibaba);
  // From 44 columns on every piece fits a line (the URL in its brackets is
  // the longest); narrower, a piece is shortened with "..." (checked below).
  for (size_t width : {44, 45, 60, 90}) {
    std::vector<std::string> lines;
    Wrap(text, "  ", width, &lines);
    INFO("width " << width);
    REQUIRE(lines.size() > 1);
    std::string joined;
    for (const std::string& l : lines) {
      INFO(l);
      CHECK(DisplayWidth(l) <= width);
      CHECK(ValidUtf8(l));
      CHECK(l.rfind("  ", 0) == 0);
      for (const char* closing : {"，", "。", "、", "：", "；", "）"})
        CHECK(l.rfind(std::string("  ") + closing, 0) != 0);
      joined += l.substr(2);
    }
    // Nothing lost: only spaces at the breaks go (there are none between
    // Chinese characters).
    auto strip = [](std::string s) {
      s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
      return s;
    };
    CHECK(strip(joined) == strip(text));
  }
}

TEST_CASE("wrapping at a width narrower than a piece: shortened, still within the width") {
  std::vector<std::string> lines;
  Wrap(Say(Language::kChinese, Msg::kAdviceAlibaba), "  ", 30, &lines);
  for (const std::string& l : lines) {
    INFO(l);
    CHECK(DisplayWidth(l) <= 30);
  }
  CHECK(akgate::testing::JoinLines(lines).find("...") != std::string::npos);
}

TEST_CASE("English wraps as before: at spaces only") {
  std::vector<std::string> lines;
  Wrap("Rotate the keys: treat them as leaked, anyone who saw the commits may have them.", "     ", 40, &lines);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "     Rotate the keys: treat them as");
  CHECK(lines[1] == "     leaked, anyone who saw the commits");
  CHECK(lines[2] == "     may have them.");
}

TEST_CASE("shortening keeps whole characters and the width") {
  const std::string path = "配置/生产环境/支付服务/应用程序配置文件.properties";
  for (size_t max : {8, 9, 10, 21, 30}) {
    std::string e = Ellipsize(path, max), t = Truncate(path, max);
    INFO(max << ": " << e << " | " << t);
    CHECK(DisplayWidth(e) <= max);
    CHECK(DisplayWidth(t) <= max);
    CHECK(ValidUtf8(e));
    CHECK(ValidUtf8(t));
    CHECK(e.rfind("...", 0) == 0);
    CHECK(t.size() > 3);
    CHECK(t.substr(t.size() - 3) == "...");
  }
  CHECK(Ellipsize(path, 200) == path);
  CHECK(Ellipsize("properties.txt", 20) == "properties.txt");
}
