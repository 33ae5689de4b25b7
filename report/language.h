// The languages akgate writes its reports in: English and Simplified
// Chinese. Chosen by the policy ([report] language), per push by
// `git push -o akgate.lang=...`, and by `akgate scan --lang`. Only text for
// people is translated; JSON, SARIF, the audit log and the logs stay English.
#pragma once

#include <optional>
#include <string_view>

namespace akgate {

enum class Language { kEnglish, kChinese };

// "en" (also "en-US", "en_GB", ...) -> English; "zh-CN", and also "zh",
// "zh-Hans" and "zh_CN" -> Simplified Chinese; in any case (upper/lower). Anything else (Traditional Chinese "zh-TW"
// included: it is not offered) -> nullopt.
std::optional<Language> ParseLanguage(std::string_view name);

// The canonical name: "en" or "zh-CN".
const char* LanguageName(Language l);

}  // namespace akgate
