// The developer's side of `akgate scan` (docs/developer.md): what `git
// commit` would record (--staged) and what `git push` would send (--since,
// A..B, --pre-push), inspected by the hook's own code (git/push_inspector.h)
// and decided by its own policy code, so a local result predicts the
// server's. Also `akgate baseline`.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/baseline.h"
#include "cli/commands.h"
#include "engine/compile_cache.h"
#include "engine/fingerprint.h"
#include "engine/scanner.h"
#include "gate/push_gate.h"
#include "git/local_changes.h"
#include "git/push_inspector.h"
#include "policy/decision.h"
#include "policy/policy.h"
#include "policy/policy_rules.h"
#include "report/push_report.h"
#include "report/report.h"

namespace akgate {

namespace {

// "A..B" that names no file: a commit range.
bool IsRange(const std::string& arg) {
  size_t dots = arg.find("..");
  if (dots == std::string::npos || dots == 0 || arg[dots - 1] == '/') return false;
  if (dots + 2 < arg.size() && arg[dots + 2] == '/') return false;
  std::error_code ec;
  return !std::filesystem::exists(arg, ec);
}

std::string Range(const ScanOptions& o) {
  for (const std::string& p : o.paths)
    if (IsRange(p)) return p;
  return "";
}

// The note a finding passed here only by a local mark or the baseline gets:
// the server decides without them.
std::string PassesHere(uint64_t n, const std::string& why) {
  return std::to_string(n) + (n == 1 ? " finding passes here" : " findings pass here") + " only because of " + why +
         "; the server may refuse " + (n == 1 ? "it" : "them") + " (docs/developer.md)";
}

}  // namespace

void AddDeveloperOptions(CLI::App* scan, ScanOptions* o) {
  scan->add_flag("--staged", o->staged,
                 "Scan what `git commit` would record: the staged changes (the index), checked as the hook checks a "
                 "push");
  scan->add_option("--since", o->since, "Scan the commits after REV up to HEAD (REV..HEAD), as the hook checks a push")
      ->type_name("REV");
  scan->add_option("--pre-push", o->pre_push,
                   "git's pre-push hook: scan what the push to REMOTE sends (git's pre-push lines on stdin)")
      ->type_name("REMOTE");
  scan->add_option("--policy", o->policy,
                   "With --staged, --since, A..B, --pre-push: a policy file, as the server's (docs/hook.md)");
  scan->add_flag("--all-files,--no-git", o->all_files,
                 "Scan every file under a directory, also those git ignores (default in a work tree: what git "
                 "ls-files -co --exclude-standard lists)");
  scan->add_option("--baseline", o->baseline,
                   "Report only findings that are not in this baseline file (akgate baseline writes one), and list "
                   "its entries no longer found");
  scan->footer(
      "A PATH of the form A..B (a commit range, what B has that A has not) scans commits as the hook does.\n"
      "Local checks: docs/developer.md\n");
}

BaselineCommand::BaselineCommand(CLI::App* app) {
  cmd = app->add_subcommand(
      "baseline", "Write the current findings to a baseline file to review, so that only new ones stop a scan");
  cmd->add_option("paths", options.paths, "Files or directories (default: the current directory)");
  options.write_baseline = ".akgate-baseline.json";
  cmd->add_option("-o,--output", options.write_baseline, "The baseline file (default: .akgate-baseline.json)");
  cmd->add_option("-c,--config", options.config, "Rule file (TOML, akgate or gitleaks v8 format)");
  cmd->add_flag("--all-files,--no-git", options.all_files, "Every file, also those git ignores");
  cmd->add_option("--fingerprint-key", options.fingerprint_key, "Fingerprint key file (as for akgate scan)");
  cmd->footer("The file holds fingerprints, rules, paths and redacted values, never a secret (docs/developer.md).\n");
}

bool BaselineCommand::selected() const { return cmd->parsed(); }

int BaselineCommand::Run() {
  if (options.paths.empty()) options.paths = {"."};
  if (options.write_baseline.empty()) {
    std::cerr << "akgate baseline: --output needs a file name\n";
    return kExitError;
  }
  return RunScan(options);
}

bool IsLocalScan(const ScanOptions& o) {
  return o.staged || !o.since.empty() || !o.pre_push.empty() || !Range(o).empty();
}

int RunLocalScan(const ScanOptions& o, const std::string& key_file, Language language) {
  const auto started = std::chrono::steady_clock::now();
  const std::string range = Range(o);
  const int modes = o.staged + !o.since.empty() + !o.pre_push.empty() + !range.empty();
  if (modes > 1 || (!range.empty() && o.paths.size() > 1) || (range.empty() && !o.paths.empty())) {
    std::cerr << "akgate: give one of --staged, --since REV, --pre-push REMOTE or one range A..B, and no paths\n";
    return kExitError;
  }
  if (o.history) {
    std::cerr << "akgate: --history scans whole repositories; it does not go with --staged or ranges\n";
    return kExitError;
  }
  // The policy: the defaults, or the file given, as the server would read
  // it; never recorded or notified from here.
  Policy policy;
  if (!o.policy.empty()) {
    PolicyFiles files;
    files.server = o.policy;
    files.server_required = true;
    Status s = LoadPolicy(files, &policy);
    if (!s.ok()) {
      std::cerr << "akgate: " << s.message() << "\n";
      return kExitError;
    }
  }
  policy.audit_log.clear();
  policy.webhook_url.clear();
  policy.notify_command.clear();
  if (!o.config.empty()) policy.rule_files = {o.config};
  // akgate:allow marks are honoured here, as by `akgate scan`, and each
  // finding passed by one is named: the server honours them only if its
  // policy says so.
  const bool server_honours_marks = policy.inline_allow;
  policy.inline_allow = true;

  FingerprintKey key;
  RuleSet rules;
  std::vector<std::string> warnings;
  std::unique_ptr<Scanner> scanner;
  Status s = FingerprintKey::Load(key_file, &key);
  if (s.ok()) s = BuildRules(policy, &rules, &warnings);
  if (s.ok()) s = Scanner::Create(rules, DefaultCompileCacheDir(), key, &scanner);
  Baseline baseline;
  if (s.ok() && !o.baseline.empty()) s = Baseline::Load(o.baseline, key, &baseline);
  if (!s.ok()) {
    std::cerr << "akgate: " << s.message() << "\n";
    return kExitError;
  }

  InitLibgit2(false);
  LocalRepository local;
  LocalPush push;
  s = LocalRepository::Discover(&local);
  if (s.ok()) {
    if (o.staged) {
      s = StagedPush(&local, &push);
    } else if (!o.pre_push.empty()) {
      // git writes one line per pushed ref; 256 MiB is far beyond any push.
      constexpr size_t kMaxInput = size_t{256} << 20;
      std::string input;
      char buf[65536];
      while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
        input.append(buf, static_cast<size_t>(std::cin.gcount()));
        if (input.size() > kMaxInput) break;
      }
      s = input.size() > kMaxInput ? Status::ResourceExhausted("more than 256 MiB of pre-push lines on stdin")
                                   : PrePush(&local, o.pre_push, input, &push);
    } else {
      s = RangePush(&local, range.empty() ? o.since : range, &push);
    }
  }
  PushInspection inspection;
  if (s.ok()) {
    InspectOptions io;
    io.hide_commits = &push.hide;
    io.threads = o.threads;
    io.lfs_missing_blocks = policy.lfs_missing_blocks;
    s = InspectPush(*local.repository(), *scanner, push.updates, io, &inspection);
  }
  if (!s.ok()) {
    std::cerr << "akgate: cannot check " << (push.what.empty() ? "the repository" : push.what) << ": " << s.message()
              << "\n";
    return kExitError;
  }
  // The baseline's findings are taken out before the decision.
  uint64_t in_baseline = 0;
  if (!o.baseline.empty()) {
    std::vector<PushFinding> kept;
    for (PushFinding& pf : inspection.findings) {
      if (baseline.Covers(pf.finding))
        ++in_baseline;
      else
        kept.push_back(std::move(pf));
    }
    inspection.findings = std::move(kept);
  }
  inspection.stats.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  PushDecision decision = Decide(inspection, policy, PushRequest{});
  for (const std::string& w : warnings) decision.notes.push_back(w);
  std::vector<std::string> notes;
  if (decision.allowed_inline && !server_honours_marks)
    notes.push_back(PassesHere(decision.allowed_inline, "an akgate:allow mark"));
  if (in_baseline) notes.push_back(PassesHere(in_baseline, "the baseline " + o.baseline));
  // The report's fingerprints are this machine's (its own key): an allow
  // request must name the one the server's report shows.
  if (!o.staged && !inspection.findings.empty())
    notes.push_back(
        "the fingerprints here are made with this machine's key; for -o akgate.allow or the policy's allowlist, "
        "use those the server's report names");

  // What a commit would record reads like a file scan (path:line of the
  // staged content); what a push would send reads as the hook's report.
  std::vector<Finding> shown;
  for (size_t i = 0; i < inspection.findings.size(); ++i) {
    Disposition d = decision.dispositions[i];
    if (d != Disposition::kBlocks && d != Disposition::kWarns) continue;
    Finding f = inspection.findings[i].finding;
    f.action = d == Disposition::kBlocks ? Action::kBlock : Action::kWarn;
    shown.push_back(std::move(f));
  }
  std::string text;
  if (o.format == "sarif") {
    text = DumpJson(RenderSarif(shown, rules, AKGATE_VERSION));
  } else if (o.staged) {
    ScanSummary summary;
    summary.files = inspection.stats.files;
    summary.bytes = inspection.stats.bytes_scanned;
    summary.skipped = inspection.stats.skipped;
    summary.inline_allowed = decision.allowed_inline;
    summary.duration_ms = inspection.stats.duration_ms;
    if (o.format == "json") {
      nlohmann::json j = RenderJson(shown, summary);
      j["notes"] = notes;
      text = DumpJson(j);
    } else {
      TextOptions t;
      t.color = o.color && o.output.empty() && isatty(1);
      t.show_warnings = o.show_warnings;
      t.language = language;
      text = RenderText(shown, summary, t);
    }
  } else if (o.format == "json") {
    AuditContext ctx;
    ctx.via = "scan";
    ctx.repository = local.work_tree().empty() ? local.git_dir() : local.work_tree();
    ctx.duration_ms = inspection.stats.duration_ms;
    nlohmann::json j = AuditRecord(inspection, decision, ctx);
    j["notes"] = notes;
    text = DumpJson(j);
  } else {
    PushReportOptions ro = ReportOptions(policy, PushRequest{});
    ro.language = language;
    for (const std::string& line : RenderPushReport(inspection, decision, ro)) text += line + "\n";
  }
  if (!WriteReport(o.output, text)) return kExitError;
  if (o.format == "text")
    for (const std::string& n : notes) std::cerr << "akgate: note: " << n << "\n";
  if (o.format == "text" && o.staged && !decision.accepted)
    std::cerr << "akgate: the server will refuse a push of this commit. Take the secret out of the file and git add "
                 "it\nagain (or git restore --staged FILE); then rotate the key if it was real. docs/developer.md\n";
  return decision.accepted ? kExitClean : kExitBlocked;
}

}  // namespace akgate
