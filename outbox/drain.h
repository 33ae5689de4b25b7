// Draining the outbox: claim due deliveries, hand each to the sender of its
// kind, record the result. The push drains its own deliveries within its
// time budget; `akgate outbox flush` and the detached drainer drain
// everything due (the drainer also waits for retries that come due while
// it runs).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/status.h"
#include "outbox/outbox.h"

namespace akgate {

// Delivers one item by `deadline`; Ok when the receiver took it.
using OutboxSender = std::function<Status(const OutboxItem& item, std::chrono::steady_clock::time_point deadline)>;

struct DrainOptions {
  std::map<std::string, OutboxSender> senders;  // by kind; other kinds are left alone
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now();  // no send outlives it
  double send_timeout = 10;           // seconds, each send (also bounded by the deadline)
  size_t parallel = 4;                // sends at once
  std::vector<std::string> only_ids;  // when not empty: these rows only
  // Keep going until the deadline, sleeping until the next retry of a row
  // created at or after `follow_since_ms` comes due; stop when none is left.
  bool wait_for_retries = false;
  int64_t follow_since_ms = 0;
};

struct DrainResult {
  size_t delivered = 0;
  size_t failed = 0;  // attempts that failed (the row waits for a retry or is dead)
  std::vector<std::string> delivered_ids;
  std::vector<std::string> errors;  // "TARGET: why", one per failed attempt
};

Status DrainOutbox(Outbox& box, const DrainOptions& options, DrainResult* result);

}  // namespace akgate
