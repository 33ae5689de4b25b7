// A small Alibaba-style pair ruleset (an ID rule, a keyed secret rule, and
// a pair whose secret may also be a positional value) for engine tests that
// are about something other than the default rules.
#pragma once

namespace akgate::testing {

inline const char* kAkPairRules = R"(
[[rules]]
id = "ak-id"
provider = "Alibaba Cloud"
regex = '''\b(LTAI[A-Za-z0-9]{20})\b'''
entropy = 3.0
[[rules]]
id = "ak-secret"
provider = "Alibaba Cloud"
regex = '''(?i)access_?key_?secret[\\"'\s]*[:=][\\"'\s]*([A-Za-z0-9]{30})\b'''
entropy = 3.5
[[pairs]]
id = "ak-pair"
provider = "Alibaba Cloud"
window_lines = 3
[[pairs.parts]]
rule = "ak-id"
[[pairs.parts]]
rule = "ak-secret"
near_regex = '''[\\"'`,:=\s(\[]([A-Za-z0-9]{30})(?:[\\"'`,:;\s)\]]|$)'''
)";

}  // namespace akgate::testing
