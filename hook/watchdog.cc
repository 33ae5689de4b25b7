#include "hook/watchdog.h"

#include <unistd.h>

namespace akgate {

Watchdog::Watchdog(std::chrono::steady_clock::time_point deadline, std::function<void()> on_expiry)
    : deadline_(deadline), on_expiry_(std::move(on_expiry)) {
  thread_ = std::thread([this] { Run(); });
}

Watchdog::~Watchdog() {
  Claim();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Watchdog::Claim() {
  bool expected = false;
  bool won = claimed_.compare_exchange_strong(expected, true);
  if (won) {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  return won;
}

void Watchdog::WaitForever() {
  for (;;) pause();
}

void Watchdog::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_until(lock, deadline_, [this] { return stop_; })) return;
  lock.unlock();
  bool expected = false;
  if (claimed_.compare_exchange_strong(expected, true)) on_expiry_();
}

}  // namespace akgate
