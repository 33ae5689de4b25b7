// The hook, in the order a push goes through it: environment, policy, stdin,
// rules, repository, inspection, decision, report, notification, audit.
#include "hook/pre_receive_command.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "gate/push_gate.h"
#include "git/ref_update.h"
#include "git/repository.h"
#include "hook/hook_environment.h"
#include "hook/watchdog.h"
#include "notify/audit_log.h"
#include "policy/policy.h"
#include "policy/push_options.h"
#include "report/push_report.h"

namespace akgate {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxStdinBytes = size_t{256} << 20;  // a million refs fit easily

// All of stdin; an error past kMaxStdinBytes (a runaway writer, not git).
Status ReadStdin(std::string* out) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n == 0) return Status::Ok();
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(std::string("cannot read the ref updates on stdin: ") + std::strerror(errno));
    }
    if (out->size() + static_cast<size_t>(n) > kMaxStdinBytes)
      return Status::ResourceExhausted("more than 256 MiB of ref updates on stdin");
    out->append(buf, static_cast<size_t>(n));
  }
}

void Print(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

class Hook {
 public:
  explicit Hook(const PreReceiveOptions& o) : options_(o) {}

  int Run() {
    try {
      return RunChecked();
    } catch (const std::exception& e) {
      return Fail(Cause::kError, std::string("internal error: ") + e.what());
    } catch (...) {
      return Fail(Cause::kError, "internal error");
    }
  }

 private:
  int RunChecked() {
    started_ = Clock::now();
    signal(SIGPIPE, SIG_IGN);
    env_ = ReadHookEnvironment([](const char* name) { return std::getenv(name); });
    if (!options_.policy.empty()) {
      env_.policy_file = options_.policy;
      env_.policy_explicit = true;
    }
    std::error_code ec;
    auto abs = std::filesystem::absolute(env_.git_dir, ec);
    repository_ = ec ? env_.git_dir : abs.lexically_normal().string();
    if (repository_.size() > 1 && repository_.back() == '/') repository_.pop_back();

    // The fingerprint key: --fingerprint-key, else $AKGATE_FINGERPRINT_KEY,
    // else next to the server-wide policy (LoadPolicy).
    if (!options_.fingerprint_key.empty())
      policy_.fingerprint_key_file = options_.fingerprint_key;
    else if (const char* k = std::getenv("AKGATE_FINGERPRINT_KEY"); k && *k)
      policy_.fingerprint_key_file = k;
    PolicyFiles files;
    files.server = env_.policy_file;
    files.server_required = env_.policy_explicit;
    files.repository = repository_ + "/akgate.toml";
    Status policy_status = LoadPolicy(files, &policy_);

    input_.started = started_;
    input_.via = "pre-receive";
    input_.repository = repository_;
    input_.request.pusher = env_.pusher;
    input_.request.options = ParsePushOptions(env_.push_options);
    auto& problems = input_.request.options.problems;
    problems.insert(problems.begin(), env_.problems.begin(), env_.problems.end());
    input_.progress = &progress_;

    // The gate cancels a check that outlives its budget; the watchdog ends
    // the process even if the check is stuck where it cannot see that.
    dog_ = std::make_unique<Watchdog>(BudgetFor(policy_, started_).check_deadline, [this] { OnTimeout(); });

    if (!policy_status.ok()) return Fail(Cause::kError, policy_status.message());

    std::string text;
    Status s = ReadStdin(&text);
    std::vector<RefUpdate> refs;
    if (s.ok()) s = ParseRefUpdates(text, &refs);
    if (!s.ok()) return Fail(Cause::kError, "git sent ref updates akgate cannot read: " + s.message());
    {
      std::lock_guard<std::mutex> lock(mu_);
      input_.refs = std::move(refs);
    }

    std::unique_ptr<Gate> gate;
    s = Gate::Create(policy_, &gate);
    if (!s.ok()) return Fail(Cause::kError, s.message());

    RepositoryOptions ro;
    ro.git_dir = env_.git_dir;
    ro.quarantine_dir = env_.quarantine;
    std::unique_ptr<Repository> repo;
    s = Repository::Open(ro, &repo);
    if (!s.ok()) return Fail(Cause::kError, s.message());
    input_.repo = repo.get();
    input_.request.push_options_accepted = repo->AcceptsPushOptions();

    PushOutcome outcome = gate->Check(input_);
    ClaimOrWait();
    return Finish(&outcome);
  }

  // The main thread takes the decision, unless the watchdog already has (it
  // then ends the process).
  void ClaimOrWait() {
    if (claimed_) return;
    if (dog_ && !dog_->Claim()) dog_->WaitForever();
    claimed_ = true;
  }

  int Fail(Cause cause, const std::string& what) {
    ClaimOrWait();
    PushOutcome outcome = FailedPush(policy_, input_, cause, what);
    return Finish(&outcome);
  }

  // Runs on the watchdog's thread; the main thread may still be inside
  // libgit2 or a scan, so only copies and atomics are used, then the
  // process exits.
  void OnTimeout() {
    PushInput input;
    {
      std::lock_guard<std::mutex> lock(mu_);
      input.refs = input_.refs;
    }
    input.started = started_;
    input.via = input_.via;
    input.repository = repository_;
    input.request = input_.request;
    input.progress = &progress_;
    PushOutcome outcome = TimedOutPush(policy_, input);
    int code = Record(input, &outcome);
    std::fflush(stderr);
    std::fflush(stdout);
    _exit(code);
  }

  // Once the decision is recorded and printed the process leaves at once,
  // as OnTimeout does, without unwinding: nothing the hook holds needs
  // freeing, and freeing could wait forever (under memory pressure a
  // std::bad_alloc had crossed libgit2 while it held its object database's
  // lock; the odb's free on the way out then waited on it and git push hung).
  int Finish(PushOutcome* outcome) {
    int code = Record(input_, outcome);
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(code);
  }

  // The gate records (and may refuse what it cannot record); the report
  // goes to the pusher after that, so it tells the final decision.
  int Record(const PushInput& input, PushOutcome* outcome) {
    std::unique_ptr<AuditLog> audit;
    Status opened;
    if (!policy_.audit_log.empty()) opened = AuditLog::Open(policy_.audit_log, &audit);
    RecordPush(policy_, input, outcome, audit.get(), opened);
    // GitLab's web UI shows only GL-HOOK-ERR lines; the full report follows
    // for its logs (ssh and http pushes get the full report alone).
    if (env_.gitlab_web())
      Print(RenderGitLabMessage(outcome->inspection, outcome->decision, ReportOptions(policy_, input.request)));
    Print(outcome->report);
    return outcome->decision.exit_code();
  }

  const PreReceiveOptions& options_;
  Clock::time_point started_;
  HookEnvironment env_;
  std::string repository_;
  Policy policy_;
  PushInput input_;
  std::mutex mu_;  // input_.refs, shared with the watchdog
  InspectProgress progress_;
  bool claimed_ = false;
  std::unique_ptr<Watchdog> dog_;  // declared last: destroyed (joined) first
};

}  // namespace

int RunPreReceive(const PreReceiveOptions& options) {
  Hook hook(options);
  return hook.Run();
}

}  // namespace akgate
