// The per-host outbox: deliveries that must reach someone (a notification
// target, later the console) kept in one SQLite file until they do.
//
// A push (or anything else that has something to send) enqueues one row per
// delivery; whoever drains the outbox (the push itself within its time
// budget, a detached drainer after the push, `akgate outbox flush`) claims
// due rows, sends them and marks each delivered, or failed: a failed row
// waits with exponential backoff and jitter, and after max_attempts or
// max_age it is dead, kept and reported (`akgate outbox status`), never
// dropped silently.
//
//   std::unique_ptr<Outbox> box;
//   AKGATE_RETURN_IF_ERROR(Outbox::Open("/var/lib/akgate/outbox.db", &box));
//   box->Enqueue({item});
//   std::vector<OutboxItem> due;
//   box->Claim(NowMillis(), 8, 30000, &due);   // leased for 30 s
//   for (auto& d : due) send(d).ok() ? box->MarkDelivered(d.id, now) : box->MarkFailed(d, why, now);
//
// The file holds what a sender needs (the target's settings, e.g. a robot's
// URL and signing secret, and the event with keys redacted) and is created
// mode 0600 in a directory created 0700. Several processes use it at once:
// WAL journal, a busy timeout, and each claim is one IMMEDIATE transaction,
// so a row is leased to one sender at a time. A sender that dies leaves its
// lease to expire; the row is then sent again (at-least-once).
//
// Rows carry a `kind` ("notify" here; "console" for the console's events,
// issue 15) and an opaque `spec` and `payload`: the outbox stores and
// schedules, the sender of each kind interprets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"

struct sqlite3;

namespace akgate {

// Milliseconds since the Unix epoch (the outbox's clock).
int64_t NowMillis();

struct OutboxItem {
  // Set by the producer.
  std::string id;       // unique; the idempotency key a receiver may get
  std::string kind;     // "notify", "console": which sender handles it
  std::string target;   // a name for messages ("dingtalk ops-robot")
  std::string spec;     // JSON: how to deliver (the sender's business)
  std::string payload;  // JSON: what to deliver
  // Rate limit shared by every row with the same key (a chat robot's URL):
  // at most per_minute sends in any 60 s and per_second in any 1 s; 0: none.
  std::string rate_key;
  int per_minute = 0;
  int per_second = 0;
  int max_attempts = 10;
  int64_t max_age_ms = 2 * 86400 * 1000LL;  // then dead, attempts or not
  int64_t retry_base_ms = 10000;            // the first retry's delay (doubling)
  // Kept by the outbox.
  std::string state = "pending";  // pending | delivered | dead
  int attempts = 0;
  int64_t created_ms = 0;
  int64_t next_attempt_ms = 0;
  std::string last_error;
};

struct OutboxCounts {
  int64_t pending = 0;
  int64_t delivered = 0;
  int64_t dead = 0;
  int64_t next_due_ms = -1;  // earliest next attempt of a pending row; -1: none
};

// The delay before attempt `attempts` + 1 after `attempts` failures:
// base * 2^(attempts-1), at most an hour, scaled by a jitter factor from
// [0.5, 1.0) taken from `random01` in [0, 1) so that many rows failing
// together do not all come back together.
int64_t RetryDelayMillis(int attempts, int64_t base_ms, double random01);

// Which rows a claim may take; empty lists: any.
struct OutboxFilter {
  std::vector<std::string> ids;
  std::vector<std::string> kinds;
  bool Passes(const OutboxItem& i) const;
};

class Outbox {
 public:
  // Opens or creates the file (and its directory), migrating the schema
  // (PRAGMA user_version). A file that is not an outbox (not SQLite, or
  // corrupt, or from a newer akgate) is an error naming it; never a crash.
  static Status Open(const std::string& path, std::unique_ptr<Outbox>* out);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  const std::string& path() const { return path_; }

  // Adds the items in one transaction, due now. An id already present is
  // left as it is (enqueueing twice does not deliver twice).
  Status Enqueue(const std::vector<OutboxItem>& items);

  // Leases up to `max` due rows for `lease_ms` and counts an attempt on
  // each. Due: pending, next attempt reached, no live lease, and within its
  // rate limit; a row held back by its rate limit is rescheduled to when a
  // slot frees, without counting an attempt. Rows past max_age are marked
  // dead here. `filter` restricts the claim (a push sends its own
  // deliveries, not the backlog; a drainer claims only kinds it can send).
  Status Claim(int64_t now_ms, size_t max, int64_t lease_ms, std::vector<OutboxItem>* out,
               const OutboxFilter& filter = {});
  // Makes every pending row due now (`akgate outbox flush --now`, once the
  // receiver is known to be back).
  Status RetryNow(int64_t now_ms);

  Status MarkDelivered(const std::string& id, int64_t now_ms);
  // Schedules the next attempt (RetryDelayMillis), or marks the row dead
  // when it has had max_attempts or is older than max_age.
  Status MarkFailed(const OutboxItem& item, const std::string& error, int64_t now_ms);

  Status Counts(OutboxCounts* out);
  // When the newest pending row was created; -1 when none is pending.
  Status NewestPending(int64_t* created_ms);
  // The earliest next attempt of a pending row that passes `filter` and was
  // created at or after `created_since_ms`; -1 when there is none.
  Status NextDue(int64_t created_since_ms, const OutboxFilter& filter, int64_t* due_ms);
  // Rows in `state`, oldest first (status reports; dead rows above all).
  Status List(const std::string& state, size_t max, std::vector<OutboxItem>* out);
  // Deletes delivered rows older than `before_ms` (dead rows stay).
  Status PruneDelivered(int64_t before_ms);

 private:
  Outbox() = default;
  Status Exec(const char* sql);
  Status Fail(const char* what);  // a Status from the connection's last error
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace akgate
