// The push policy: what blocks, what is allowed, who may bypass, how long the
// check may take and what happens when it cannot finish. Data in TOML,
// documented with a commented example in install/policy.example.toml and in
// docs/hook.md.
//
// Two files, both admin-owned, read from the server (never from pushed
// content):
//   1. server-wide: /etc/akgate/policy.toml, or the file named by
//      $AKGATE_POLICY (then it must exist);
//   2. per repository: $GIT_DIR/akgate.toml, laid over the first. Its
//      scalars replace the server's; its [allowlist] lists add to them; its
//      other lists ([rules] files, [bypass] who) replace them.
// Neither file is required: without them the defaults below apply.
//
// Every error names the file and line: "policy /etc/akgate/policy.toml:12:
// limits.on_timeout must be "block" or "allow", not "maybe"". Unknown keys
// are errors too (a misspelt key must not silently weaken the policy).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"
#include "engine/status.h"
#include "notify/target.h"
#include "report/language.h"

namespace akgate {

// What to do with a push that could not be checked (internal error, broken
// policy or rules, bad input) or not in time. Default: block (fail-closed),
// see docs/hook.md for why. Either way the pusher is told and it is audited.
enum class FailMode { kBlock, kAllow };
const char* FailModeName(FailMode m);  // "block", "allow"

struct Policy {
  // [gate] mode = "monitor": everything is inspected, decided, reported,
  // audited and notified as when enforcing ("enforce", the default), but a
  // push that would be rejected is let through, told "would have been
  // rejected". For measuring a rollout's impact before enforcing. A policy
  // that did not load still blocks (its mode is not trusted).
  bool monitor = false;

  // [rules]
  std::vector<std::string> rule_files;         // none: the built-in rules
  std::map<std::string, Action> rule_actions;  // [rules.actions] id = "block" | "warn" | "off"

  // [allowlist]
  std::vector<std::string> allow_paths;         // RE2 on file paths: such files are not scanned
  std::vector<std::string> allow_fingerprints;  // findings allowed (audited as allowed)
  // [allowlist] inline = "allow": a finding on a line marked `akgate:allow` /
  // `gitleaks:allow` is allowed (shown, audited, notified); "block" (the
  // default): the mark is pushed content, written by the pusher, and is not
  // honoured, so the finding counts as its rule says.
  bool inline_allow = false;

  // [limits]
  uint64_t max_file_bytes = 0;  // 0: the rules' limit (50 MiB by default)
  double time_budget = 60;      // seconds for the whole check
  FailMode on_timeout = FailMode::kBlock;
  FailMode on_error = FailMode::kBlock;
  // Content in a compressed file or archive that could not be scanned
  // (encrypted, corrupt, over the archive bounds): a finding with this
  // action; unset, the rules' [limits] unscannable (block by default).
  std::optional<Action> unscannable;

  // [lfs] Git LFS (git/lfs_store.h): the object behind a pushed pointer is
  // scanned when it is in the repository's lfs/objects or in one of these
  // GitLab LFS storage directories. A pointer whose object is in none: the
  // push cannot be checked and gets on_error ("block", the default), or the
  // file is counted as skipped, "lfs-missing", and named ("warn").
  std::vector<std::string> lfs_gitlab_storage;
  bool lfs_missing_blocks = true;

  // [report]
  size_t max_findings = 5;                 // shown in full; the rest are counted
  bool show_pre_existing = false;          // list pre-existing secrets too (also -o akgate.verbose)
  Language language = Language::kEnglish;  // of the pusher's report (also -o akgate.lang)

  // [bypass]
  std::vector<std::string> bypass_who;  // pushers who may -o akgate.bypass; "*": anyone
  bool bypass_require_reason = true;
  std::vector<std::string> allow_who = {"*"};  // pushers who may -o akgate.allow=<fingerprint>
  bool allow_require_reason = true;            // ... with -o akgate.reason="why it is not a secret"

  // [audit]
  std::string audit_log = "/var/log/akgate/audit.log";  // "": no audit file

  // [notify] (on block, on bypass, on allow)
  std::string webhook_url;                  // http:// or https://
  double webhook_timeout = 3;               // seconds, also bounded by what is left of the budget
  std::string webhook_ca_file;              // extra CA bundle for an https webhook
  std::vector<std::string> notify_command;  // argv; the JSON event on its stdin
  double command_timeout = 5;
  // [[notify.target]]: more targets, each with a kind (format) and a filter
  // (docs/notifications.md). The webhook and command above are one target
  // each ("webhook", "command"): NotifyTargetsOf lists them all.
  std::vector<NotifyTarget> notify_targets;
  std::string console_url;  // [notify] console_url: messages link to CONSOLE_URL/leaks/FINGERPRINT

  // [outbox] (outbox/outbox.h): where notifications wait for a retry.
  std::string outbox_file = "/var/lib/akgate/outbox.db";  // "": none (one attempt each)
  int outbox_max_attempts = 24;
  double outbox_max_age = 2 * 86400;  // seconds; then dead (reported by akgate outbox status)
  double outbox_retry_base = 10;      // seconds before the first retry, doubling up to an hour
  double outbox_follow = 600;         // seconds the detached drainer keeps retrying after a push

  // The installation's fingerprint key (engine/fingerprint.h): set by
  // LoadPolicy to `fingerprint.key` in the server-wide policy file's
  // directory (/etc/akgate/fingerprint.key), unless set before (the hook's
  // --fingerprint-key, the gateway's [inspect] fingerprint_key). Gate::Create
  // loads it and fails, naming it, when it cannot: never an unkeyed hash.
  std::string fingerprint_key_file;

  std::vector<std::string> sources;  // files read, in order (for messages)
  // Set by LoadPolicy when a file did not load: what was wrong, naming the
  // file and line. Such a policy always fails closed (DecideFailure).
  std::string unreadable;
};

// Every notification target: the [notify] webhook and command, then the
// [[notify.target]] ones.
std::vector<NotifyTarget> NotifyTargetsOf(const Policy& policy);

// Is `pusher` in `who` (exact names; "*" matches anyone)?
bool PusherListed(const std::vector<std::string>& who, const std::string& pusher);

struct PolicyFiles {
  std::string server = "/etc/akgate/policy.toml";
  bool server_required = false;      // named explicitly: a missing file is an error
  std::string repository;            // $GIT_DIR/akgate.toml; missing is fine
  bool repository_required = false;  // the gateway's per-route file: named, so it must exist
};

// Reads both files into *out (starting from its current values). A setting
// from a file that did not load is never used: on error *out holds only the
// files read before the broken one (a broken server file: the defaults), and
// out->unreadable says what was wrong. The push then fails closed whatever
// any on_error says: a broken file's on_error = "allow" is not trusted, and
// a server file's is meant for pushes that cannot be checked, not for a
// policy that cannot be read.
Status LoadPolicy(const PolicyFiles& files, Policy* out);

// One file's text laid over *out. `origin` names it in messages; relative
// rule file paths are resolved against `base_dir`. On error *out is
// unchanged.
Status ParsePolicy(std::string_view toml, const std::string& origin, const std::string& base_dir, Policy* out);

}  // namespace akgate
