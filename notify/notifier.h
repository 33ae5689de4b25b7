// Notifying a push's event to every target that wants it, through the
// outbox (outbox/outbox.h) so that nothing is lost:
//
//   1. one delivery per target (one message per push, whatever the number
//      of findings) is enqueued;
//   2. each is attempted at once, all at the same time, bounded by the
//      caller's deadline (what is left of the push's time budget);
//   3. what failed or was late stays in the outbox, and a detached drainer
//      (`akgate outbox flush --detached`) retries it with backoff after the
//      push has ended; `akgate outbox flush` (a systemd timer) does too.
//
// Without an outbox (none configured, or it cannot be opened) each target
// gets one attempt, as before the outbox existed, and the failures say so.
// Failures come back as messages for the audit log; they never change the
// decision.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "notify/target.h"

namespace akgate {

struct NotifySettings {
  std::vector<NotifyTarget> targets;
  std::string console_url;  // "" : no console links
  // The outbox ([outbox] in the policy).
  std::string outbox;  // the SQLite file; "": none
  int max_attempts = 24;
  double max_age = 2 * 86400;  // seconds
  double retry_base = 10;      // seconds before the first retry
  double follow_for = 600;     // seconds the detached drainer follows a push's deliveries
  bool spawn_drainer = true;   // start the detached drainer when something is left
};

struct NotifyResult {
  size_t wanted = 0;                  // targets whose filter took the event
  size_t delivered = 0;               // delivered before the deadline
  size_t queued = 0;                  // left in the outbox, to be retried
  std::vector<std::string> failures;  // one per failed attempt, and outbox problems
};

// A new event id: 32 hex digits from the system's CSPRNG.
std::string NewEventId();

// `event` is "block", "bypass", "monitor" or "allow"; `message` the audit record with
// "event" and "event_id" set.
NotifyResult Notify(const NotifySettings& settings, const std::string& event, const nlohmann::json& message,
                    std::chrono::steady_clock::time_point deadline);

}  // namespace akgate
