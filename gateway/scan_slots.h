// The gateway's scan threads, handed out in arrival order with a deadline.
//
// Indexing and inspecting a push are CPU work on one of `scan_threads`
// threads. A push that must wait for one waits in line here (not in the
// thread pool's queue, where it could neither give up nor be counted), and
// gives up at its own check deadline: the wait is part of its time budget, so
// it never waits longer than its budget whatever runs before it.
//
//   bool got = co_await gw.scan_slots.Acquire(check_deadline);
//   ... run on the workers ...
//   if (got) gw.scan_slots.Release();
//
// Thread-safe; a waiting coroutine is resumed on its own executor.
#pragma once

#include <deque>
#include <memory>
#include <mutex>

#include "gateway/http_stream.h"

namespace akgate::gateway {

class ScanSlots {
 public:
  explicit ScanSlots(unsigned slots) : free_(slots) {}
  // Waits for a slot until `deadline`; true when one was taken (then
  // Release it), false when the deadline came first.
  net::awaitable<bool> Acquire(Clock::time_point deadline);
  void Release();
  unsigned waiting() const;

 private:
  struct Waiter {
    explicit Waiter(const net::any_io_executor& ex) : timer(ex) {}
    net::steady_timer timer;
    bool granted = false;  // under mu_
  };
  mutable std::mutex mu_;
  unsigned free_;
  std::deque<std::shared_ptr<Waiter>> waiting_;
};

}  // namespace akgate::gateway
