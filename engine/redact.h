// Showing a secret without showing it.
//
// Redact keeps just enough to recognise a key (the first 4 and last 2
// characters of long values, less of short ones). A rule of a low-entropy
// class (a password: tagged "password" or "low-entropy", docs/rules.md)
// shows only the secret's length: a few characters of a password narrow a
// guess far more than a few of a random key. Which credential a finding is
// comes from its fingerprint (fingerprint.h). Neither can be turned back into
// the secret.
#pragma once

#include <string>
#include <string_view>

#include "engine/rule.h"

namespace akgate {

std::string Redact(std::string_view secret);

// Is `rule` of a low-entropy class (tagged "password" or "low-entropy")?
bool IsLowEntropyRule(const Rule& rule);

// Redact(secret), or for a low-entropy rule only the length: "(12 characters)".
std::string RedactFor(const Rule& rule, std::string_view secret);

}  // namespace akgate
