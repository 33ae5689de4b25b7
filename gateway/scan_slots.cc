#include "gateway/scan_slots.h"

#include <algorithm>

namespace akgate::gateway {

net::awaitable<bool> ScanSlots::Acquire(Clock::time_point deadline) {
  auto waiter = std::make_shared<Waiter>(co_await net::this_coro::executor);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_ > 0 && waiting_.empty()) {
      --free_;
      co_return true;
    }
    waiting_.push_back(waiter);
  }
  // Release() cancels the timer (through this coroutine's executor, so only
  // once the wait has begun) when it hands the slot over.
  waiter->timer.expires_at(deadline);
  beast::error_code ec;
  co_await waiter->timer.async_wait(Await(ec));
  std::lock_guard<std::mutex> lock(mu_);
  if (waiter->granted) co_return true;
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), waiter));
  co_return false;
}

void ScanSlots::Release() {
  std::lock_guard<std::mutex> lock(mu_);
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  std::shared_ptr<Waiter> next = waiting_.front();
  waiting_.pop_front();
  next->granted = true;
  net::post(next->timer.get_executor(), [next] { next->timer.cancel(); });
}

unsigned ScanSlots::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<unsigned>(waiting_.size());
}

}  // namespace akgate::gateway
