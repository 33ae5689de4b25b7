// The chat robots' request signatures (OpenSSL HMAC and base64).
//
// DingTalk (custom robot, "加签"): sign = urlencode(base64(HMAC-SHA256(
//   key = secret, message = timestamp_ms + "\n" + secret))), sent as the
//   query parameters &timestamp=<ms>&sign=<sign>.
// Feishu / Lark (custom bot, "签名校验"): sign = base64(HMAC-SHA256(
//   key = timestamp_s + "\n" + secret, message = "")), sent in the JSON body
//   as "timestamp" (seconds, a string) and "sign".
// Both are checked against the vendors' published code in
// tests/unit/notify_formats_test.cc and by the fake robots of
// tests/hook/notify_outbox_test.sh.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace akgate {

std::string HmacSha256(std::string_view key, std::string_view message);  // 32 raw bytes
std::string Base64(std::string_view bytes);                              // standard, padded
// Percent-encodes everything but A-Z a-z 0-9 - _ . ~ (as Python's
// urllib.parse.quote_plus does for base64 text).
std::string UrlEncode(std::string_view s);

std::string DingTalkSign(const std::string& secret, int64_t timestamp_ms);  // URL-encoded
std::string FeishuSign(const std::string& secret, int64_t timestamp_s);     // base64

}  // namespace akgate
