// `akgate doctor`: the policy a hook (or the gateway) reads, checked as the
// hook would use it: it loads, its rules load and can block, what happens
// when a push cannot be checked, and whether the account the hook runs as
// can write the audit log and read the fingerprint key.
#pragma once

#include <string>

#include "doctor/account.h"
#include "doctor/check.h"
#include "policy/policy.h"

namespace akgate::doctor {

// Checks the policy `files` make (LoadPolicy) into `g`. `account`: who the
// hook runs as (nullptr: unknown, e.g. the gateway's; the checks of what
// that account may do are left out). *loaded gets the policy when it loads.
// `key_file`: the fingerprint key when not the one next to the server-wide
// policy (the gateway's [inspect] fingerprint_key).
void CheckPolicy(const PolicyFiles& files, const Account* account, Group* g, Policy* loaded = nullptr,
                 const std::string& key_file = "");

// The pure pieces, exposed for the unit tests.
// on_timeout / on_error: "allow" is a risk.
void CheckFailMode(const Policy& p, const std::string& file, Group* g);
// time_budget: too short to check a real push, or long enough to hold one.
void CheckTimeBudget(const Policy& p, const std::string& file, Group* g);
// [notify] webhook: well-formed, https. Not sent to: that would notify.
void CheckWebhookUrl(const Policy& p, const std::string& file, Group* g);
// A directory's "[section] key = value" line, as a fix names it.
std::string ConfigLine(const std::string& section, const std::string& key, const std::string& value,
                       const std::string& file);

}  // namespace akgate::doctor
