// The hook's time budget, enforced. libgit2 calls and scans cannot be
// interrupted, so the decision is claimed instead: exactly one of the main
// path (Claim) and the expiry handler gets to decide, report and exit.
//
//   Watchdog dog(deadline, [&] { ...report timeout, audit, notify...; _exit(code); });
//   ... inspect ...
//   if (!dog.Claim()) dog.WaitForever();   // the expiry handler is exiting the process
//   ... report, audit, exit ...
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace akgate {

class Watchdog {
 public:
  // `on_expiry` runs on the watchdog's thread if the deadline passes before
  // Claim; it is expected to end the process.
  Watchdog(std::chrono::steady_clock::time_point deadline, std::function<void()> on_expiry);
  ~Watchdog();  // claims (if nobody has) and joins
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // True when the caller now owns the decision; false when the expiry
  // handler already does.
  bool Claim();

  // For a caller that lost the claim: the handler will end the process.
  [[noreturn]] void WaitForever();

 private:
  void Run();

  std::chrono::steady_clock::time_point deadline_;
  std::function<void()> on_expiry_;
  std::atomic<bool> claimed_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace akgate
