// The outbox's file comes from --outbox, else from the policy ([outbox]
// file in --policy, $AKGATE_POLICY or /etc/akgate/policy.toml).
#include "cli/outbox_command.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "notify/deliver.h"
#include "outbox/drain.h"
#include "outbox/outbox.h"
#include "policy/policy.h"

namespace akgate {

namespace {

std::string Ago(int64_t ms) {
  int64_t s = ms / 1000;
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h";
}

// Holds an exclusive lock on FILE.drain.lock while alive, if it could get it.
class DrainLock {
 public:
  explicit DrainLock(const std::string& outbox) {
    fd_ = open((outbox + ".drain.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  }
  ~DrainLock() {
    if (fd_ >= 0) close(fd_);
  }
  DrainLock(const DrainLock&) = delete;
  DrainLock& operator=(const DrainLock&) = delete;
  bool TryLock() { return fd_ >= 0 && flock(fd_, LOCK_EX | LOCK_NB) == 0; }
  void Unlock() {
    if (fd_ >= 0) flock(fd_, LOCK_UN);
  }

 private:
  int fd_ = -1;
};

}  // namespace

OutboxCommand::OutboxCommand(CLI::App* app) {
  cmd_ = app->add_subcommand("outbox", "The notification outbox: status, flush (docs/notifications.md)");
  cmd_->require_subcommand(1);
  for (CLI::App** sub : {&status_, &flush_}) {
    const bool st = sub == &status_;
    *sub = cmd_->add_subcommand(st ? "status" : "flush",
                                st ? "Count pending, delivered and dead deliveries; list the pending and dead ones"
                                   : "Send what is due now (--now: everything pending)");
    (*sub)->add_option(
        "--policy", policy_,
        "Server-wide policy file naming the outbox (default: $AKGATE_POLICY or /etc/akgate/policy.toml)");
    (*sub)->add_option("--outbox", outbox_, "The outbox file (default: [outbox] file in the policy)");
  }
  status_->add_option("-f,--format", format_, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
  status_->add_option("--list", list_, "Pending and dead deliveries listed (default 20)");
  status_->footer(
      "Exit code: 0 nothing dead, 1 some deliveries are dead (given up on), 2 the outbox cannot be read.\n");
  flush_->add_flag("--now", now_, "Retry every pending delivery now, not only those due (the receiver is back)");
  flush_->add_flag("--wait", wait_,
                   "Also wait for deliveries that come due before --timeout (retries, a robot's rate limit)");
  flush_->add_option("--timeout", timeout_, "Stop after this many seconds (default 300)");
  flush_->add_flag("--detached", detached_, "As the drainer a push starts: one at a time, and follow retries");
  flush_->add_option("--follow", follow_, "With --detached: keep retrying deliveries created in the last SECONDS");
  flush_->footer("Exit code: 0 nothing left pending, 1 some deliveries are still pending or dead, 2 error.\n");
}

bool OutboxCommand::selected() const { return cmd_->parsed(); }

int OutboxCommand::Run() {
  if (outbox_.empty()) {
    PolicyFiles files;
    if (!policy_.empty()) {
      files.server = policy_;
      files.server_required = true;
    } else if (const char* env = std::getenv("AKGATE_POLICY"); env && *env) {
      files.server = env;
      files.server_required = true;
    }
    Policy policy;
    if (akgate::Status s = LoadPolicy(files, &policy); !s.ok()) {
      std::cerr << "akgate outbox: " << s.message() << "\n";
      return kExitError;
    }
    outbox_ = policy.outbox_file;
    if (outbox_.empty()) {
      std::cerr << "akgate outbox: no outbox is configured ([outbox] file is \"\" in " << files.server << ")\n";
      return kExitError;
    }
  }
  return status_->parsed() ? Status() : Flush();
}

int OutboxCommand::Status() {
  std::unique_ptr<Outbox> box;
  OutboxCounts c;
  std::vector<OutboxItem> dead, pending;
  akgate::Status s = Outbox::Open(outbox_, &box);
  if (s.ok()) s = box->Counts(&c);
  if (s.ok()) s = box->List("dead", list_, &dead);
  if (s.ok()) s = box->List("pending", list_, &pending);
  if (!s.ok()) {
    std::cerr << "akgate outbox: " << s.message() << "\n";
    return kExitError;
  }
  const int64_t now = NowMillis();
  if (format_ == "json") {
    nlohmann::json j = {{"outbox", outbox_}, {"pending", c.pending}, {"delivered", c.delivered}, {"dead", c.dead}};
    for (auto* list : {&dead, &pending}) {
      nlohmann::json rows = nlohmann::json::array();
      for (const OutboxItem& i : *list)
        rows.push_back({{"id", i.id},
                        {"kind", i.kind},
                        {"target", i.target},
                        {"attempts", i.attempts},
                        {"created_ms", i.created_ms},
                        {"next_attempt_ms", i.next_attempt_ms},
                        {"last_error", i.last_error}});
      j[list == &dead ? "dead_deliveries" : "pending_deliveries"] = rows;
    }
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << "outbox " << outbox_ << ": " << c.pending << " pending, " << c.delivered << " delivered, " << c.dead
              << " dead\n";
    for (const OutboxItem& i : dead)
      std::cout << "  dead     " << i.target << "  " << i.id << "  " << i.attempts << " attempts, created "
                << Ago(now - i.created_ms) << " ago: " << i.last_error << "\n";
    for (const OutboxItem& i : pending)
      std::cout << "  pending  " << i.target << "  " << i.id << "  " << i.attempts << " attempts, next "
                << (i.next_attempt_ms <= now ? "now" : "in " + Ago(i.next_attempt_ms - now))
                << (i.last_error.empty() ? "" : ": " + i.last_error) << "\n";
  }
  return c.dead > 0 ? 1 : 0;
}

int OutboxCommand::Flush() {
  using Clock = std::chrono::steady_clock;
  std::unique_ptr<Outbox> box;
  akgate::Status s = Outbox::Open(outbox_, &box);
  if (!s.ok()) {
    std::cerr << "akgate outbox: " << s.message() << "\n";
    return kExitError;
  }
  DrainOptions o;
  o.senders[kNotifyKind] = SendNotifyItem;
  o.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_));
  o.send_timeout = 30;
  DrainResult r;
  if (detached_) {
    // One drainer at a time; a second one leaves it to the first. After
    // letting go, look again: a push may have added rows while the lock was
    // held (its own drainer then found the lock taken and left).
    const int64_t since = NowMillis() - static_cast<int64_t>(follow_ * 1000);
    o.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(follow_));
    o.wait_for_retries = true;
    o.follow_since_ms = since;
    DrainLock lock(outbox_);
    // A push whose drainer found the lock taken counts on this one: follow
    // its rows too, for `follow` seconds from their creation.
    const int64_t follow_ms = static_cast<int64_t>(follow_ * 1000);
    while (lock.TryLock()) {
      s = DrainOutbox(*box, o, &r);
      lock.Unlock();
      int64_t newest = -1;
      if (!s.ok() || !box->NewestPending(&newest).ok() || newest < 0) break;
      const int64_t until = newest + follow_ms, now = NowMillis();
      if (until <= now) break;
      o.deadline = Clock::now() + std::chrono::milliseconds(until - now);
      o.follow_since_ms = now - follow_ms;
    }
    return s.ok() ? 0 : kExitError;
  }
  o.wait_for_retries = wait_;
  // Delivered rows are kept a while for `status`, then removed; dead ones stay.
  constexpr int64_t kKeepDelivered = 30LL * 86400 * 1000;
  s = box->PruneDelivered(NowMillis() - kKeepDelivered);
  if (s.ok() && now_) s = box->RetryNow(NowMillis());
  if (s.ok()) s = DrainOutbox(*box, o, &r);
  OutboxCounts c;
  if (s.ok()) s = box->Counts(&c);
  if (!s.ok()) {
    std::cerr << "akgate outbox: " << s.message() << "\n";
    return kExitError;
  }
  for (const std::string& e : r.errors) std::cout << "failed: " << e << "\n";
  std::cout << "outbox " << outbox_ << ": delivered " << r.delivered << ", failed " << r.failed << "; now " << c.pending
            << " pending, " << c.dead << " dead\n";
  return c.pending > 0 || c.dead > 0 ? 1 : 0;
}

}  // namespace akgate
