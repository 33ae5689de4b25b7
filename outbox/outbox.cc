// SQLite underneath: one table of deliveries, one of recent sends (for the
// rate limits), schema version in PRAGMA user_version.
#include "outbox/outbox.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

namespace akgate {

namespace {

constexpr int kSchemaVersion = 1;

// Version 1. Times are Unix milliseconds. A row is leased to one sender
// while lease_until_ms is in the future.
constexpr const char* kSchemaV1 = R"(
CREATE TABLE delivery (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  target          TEXT NOT NULL,
  spec            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  rate_key        TEXT NOT NULL DEFAULT '',
  per_minute      INTEGER NOT NULL DEFAULT 0,
  per_second      INTEGER NOT NULL DEFAULT 0,
  max_attempts    INTEGER NOT NULL,
  max_age_ms      INTEGER NOT NULL,
  retry_base_ms   INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_ms      INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  lease_until_ms  INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  done_ms         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX delivery_due ON delivery (state, next_attempt_ms);
CREATE TABLE send_log (
  rate_key TEXT NOT NULL,
  at_ms    INTEGER NOT NULL
);
CREATE INDEX send_log_key ON send_log (rate_key, at_ms);
)";

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  int Step() { return sqlite3_step(s_); }
  sqlite3_stmt* raw() const { return s_; }
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(s_, col)) : std::string();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

constexpr const char* kColumns =
    "id, kind, target, spec, payload, rate_key, per_minute, per_second, max_attempts, max_age_ms, retry_base_ms, "
    "state, attempts, created_ms, next_attempt_ms, last_error";

OutboxItem ReadItem(const Stmt& s) {
  OutboxItem i;
  i.id = s.Text(0);
  i.kind = s.Text(1);
  i.target = s.Text(2);
  i.spec = s.Text(3);
  i.payload = s.Text(4);
  i.rate_key = s.Text(5);
  i.per_minute = static_cast<int>(s.Int(6));
  i.per_second = static_cast<int>(s.Int(7));
  i.max_attempts = static_cast<int>(s.Int(8));
  i.max_age_ms = s.Int(9);
  i.retry_base_ms = s.Int(10);
  i.state = s.Text(11);
  i.attempts = static_cast<int>(s.Int(12));
  i.created_ms = s.Int(13);
  i.next_attempt_ms = s.Int(14);
  i.last_error = s.Text(15);
  return i;
}

double Random01() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// Commits on Commit(), rolls back otherwise.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { rc_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); }
  ~Transaction() {
    if (rc_ == SQLITE_OK && !done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  bool Commit() {
    done_ = true;
    return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }

 private:
  sqlite3* db_;
  int rc_;
  bool done_ = false;
};

}  // namespace

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t RetryDelayMillis(int attempts, int64_t base_ms, double random01) {
  constexpr int64_t kMaxDelay = 3600 * 1000;
  double delay = static_cast<double>(std::max<int64_t>(base_ms, 1)) * std::pow(2.0, std::clamp(attempts - 1, 0, 30));
  delay = std::min(delay, static_cast<double>(kMaxDelay));
  return static_cast<int64_t>(delay * (0.5 + 0.5 * std::clamp(random01, 0.0, 1.0)));
}

Outbox::~Outbox() { sqlite3_close_v2(db_); }

Status Outbox::Fail(const char* what) {
  int code = sqlite3_extended_errcode(db_);
  std::string msg = "outbox " + path_ + ": " + what + ": " + sqlite3_errmsg(db_);
  if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
    return Status::Corrupt(msg + " (not a usable outbox: move it aside; a new one is created)");
  if ((code & 0xff) == SQLITE_BUSY) return Status::Unavailable(msg + " (another process holds it)");
  return Status::IoError(msg);
}

Status Outbox::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return Fail("cannot update");
  return Status::Ok();
}

Status Outbox::Open(const std::string& path, std::unique_ptr<Outbox>* out) {
  namespace fs = std::filesystem;
  if (path.empty()) return Status::InvalidArgument("no outbox file is configured");
  std::unique_ptr<Outbox> box(new Outbox());
  box->path_ = path;
  fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError("outbox " + path + ": cannot create its directory: " + ec.message());
    chmod(dir.c_str(), 0700);
  }
  // Created 0600 by us, not by SQLite's default (0644 less umask).
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("outbox " + path + ": cannot open: " + std::strerror(errno));
  close(fd);
  if (sqlite3_open_v2(path.c_str(), &box->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK)
    return box->db_ ? box->Fail("cannot open") : Status::ResourceExhausted("outbox " + path + ": out of memory");
  sqlite3_busy_timeout(box->db_, 5000);
  sqlite3_extended_result_codes(box->db_, 1);

  int version = -1;
  {
    Stmt s(box->db_, "PRAGMA user_version");
    if (!s.ok() || s.Step() != SQLITE_ROW) return box->Fail("cannot read");
    version = static_cast<int>(s.Int(0));
  }
  if (version > kSchemaVersion)
    return Status::InvalidArgument("outbox " + path + ": schema version " + std::to_string(version) +
                                   " is newer than this akgate's (" + std::to_string(kSchemaVersion) + ")");
  AKGATE_RETURN_IF_ERROR(box->Exec("PRAGMA journal_mode=WAL"));
  AKGATE_RETURN_IF_ERROR(box->Exec("PRAGMA synchronous=NORMAL"));
  if (version < kSchemaVersion) {
    Transaction t(box->db_);
    if (!t.ok()) return box->Fail("cannot lock to create the schema");
    // Another process may have migrated it while we waited for the lock.
    Stmt s(box->db_, "PRAGMA user_version");
    if (!s.ok() || s.Step() != SQLITE_ROW) return box->Fail("cannot read");
    int now = static_cast<int>(s.Int(0));
    if (now < 1) {
      AKGATE_RETURN_IF_ERROR(box->Exec(kSchemaV1));
      AKGATE_RETURN_IF_ERROR(box->Exec("PRAGMA user_version = 1"));
    }
    // Later versions: if (now < 2) { ALTER ...; PRAGMA user_version = 2; }
    if (!t.Commit()) return box->Fail("cannot create the schema");
  }
  *out = std::move(box);
  return Status::Ok();
}

Status Outbox::Enqueue(const std::vector<OutboxItem>& items) {
  Transaction t(db_);
  if (!t.ok()) return Fail("cannot lock to enqueue");
  const int64_t now = NowMillis();
  for (const OutboxItem& i : items) {
    Stmt row(db_,
             "INSERT OR IGNORE INTO delivery (id, kind, target, spec, payload, rate_key, per_minute, per_second, "
             "max_attempts, max_age_ms, retry_base_ms, state, attempts, created_ms, next_attempt_ms) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', 0, ?12, ?12)");
    row.Bind(1, i.id).Bind(2, i.kind).Bind(3, i.target).Bind(4, i.spec).Bind(5, i.payload).Bind(6, i.rate_key);
    row.Bind(7, int64_t{i.per_minute}).Bind(8, int64_t{i.per_second}).Bind(9, int64_t{std::max(i.max_attempts, 1)});
    row.Bind(10, i.max_age_ms).Bind(11, i.retry_base_ms).Bind(12, now);
    if (row.Step() != SQLITE_DONE) return Fail("cannot enqueue");
  }
  if (!t.Commit()) return Fail("cannot commit the enqueued deliveries");
  return Status::Ok();
}

Status Outbox::RetryNow(int64_t now_ms) {
  Stmt s(db_, "UPDATE delivery SET next_attempt_ms = ?1 WHERE state = 'pending' AND next_attempt_ms > ?1");
  s.Bind(1, now_ms);
  if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot reschedule");
  return Status::Ok();
}

bool OutboxFilter::Passes(const OutboxItem& i) const {
  return (ids.empty() || std::find(ids.begin(), ids.end(), i.id) != ids.end()) &&
         (kinds.empty() || std::find(kinds.begin(), kinds.end(), i.kind) != kinds.end());
}

Status Outbox::Claim(int64_t now, size_t max, int64_t lease_ms, std::vector<OutboxItem>* out,
                     const OutboxFilter& filter) {
  out->clear();
  Transaction t(db_);
  if (!t.ok()) return Fail("cannot lock to claim");
  {
    Stmt dead(db_,
              "UPDATE delivery SET state = 'dead', done_ms = ?1, last_error = CASE WHEN last_error = '' "
              "THEN 'expired before any attempt succeeded' ELSE last_error END "
              "WHERE state = 'pending' AND lease_until_ms <= ?1 AND created_ms + max_age_ms <= ?1");
    dead.Bind(1, now);
    if (!dead.ok() || dead.Step() != SQLITE_DONE) return Fail("cannot expire");
  }
  std::vector<OutboxItem> candidates;
  {
    std::string sql = std::string("SELECT ") + kColumns +
                      " FROM delivery WHERE state = 'pending' AND lease_until_ms <= ?1 AND next_attempt_ms <= ?1 "
                      "ORDER BY next_attempt_ms, created_ms";
    Stmt s(db_, sql.c_str());
    if (!s.ok()) return Fail("cannot read");
    s.Bind(1, now);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      OutboxItem i = ReadItem(s);
      if (!filter.Passes(i)) continue;
      candidates.push_back(std::move(i));
    }
    if (rc != SQLITE_DONE) return Fail("cannot read");
  }
  for (OutboxItem& i : candidates) {
    if (out->size() >= max) break;
    if (!i.rate_key.empty() && (i.per_minute > 0 || i.per_second > 0)) {
      // The earliest time a send fits in both windows, from the sends in them.
      int64_t free_at = now;
      struct Window {
        int limit;
        int64_t span;
      };
      for (Window w : {Window{i.per_minute, 60000}, Window{i.per_second, 1000}}) {
        if (w.limit <= 0) continue;
        Stmt s(db_,
               "SELECT at_ms FROM send_log WHERE rate_key = ?1 AND at_ms > ?2 ORDER BY at_ms DESC LIMIT 1 OFFSET ?3");
        s.Bind(1, i.rate_key).Bind(2, now - w.span).Bind(3, int64_t{w.limit - 1});
        if (!s.ok()) return Fail("cannot read the send log");
        // The limit-th most recent send in the window: the next one may go
        // when it leaves the window.
        if (s.Step() == SQLITE_ROW) free_at = std::max(free_at, s.Int(0) + w.span);
      }
      if (free_at > now) {
        Stmt s(db_, "UPDATE delivery SET next_attempt_ms = ?2 WHERE id = ?1");
        s.Bind(1, i.id).Bind(2, free_at);
        if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot reschedule");
        continue;
      }
      Stmt log(db_, "INSERT INTO send_log (rate_key, at_ms) VALUES (?1, ?2)");
      log.Bind(1, i.rate_key).Bind(2, now);
      if (!log.ok() || log.Step() != SQLITE_DONE) return Fail("cannot write the send log");
    }
    Stmt s(db_, "UPDATE delivery SET attempts = attempts + 1, lease_until_ms = ?2 WHERE id = ?1");
    s.Bind(1, i.id).Bind(2, now + lease_ms);
    if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot lease");
    i.attempts += 1;
    out->push_back(std::move(i));
  }
  {
    Stmt s(db_, "DELETE FROM send_log WHERE at_ms <= ?1");
    s.Bind(1, now - 60000);
    if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot trim the send log");
  }
  if (!t.Commit()) {
    out->clear();
    return Fail("cannot commit the claim");
  }
  return Status::Ok();
}

Status Outbox::MarkDelivered(const std::string& id, int64_t now_ms) {
  Stmt s(db_,
         "UPDATE delivery SET state = 'delivered', done_ms = ?2, lease_until_ms = 0, last_error = '' "
         "WHERE id = ?1 AND state = 'pending'");
  s.Bind(1, id).Bind(2, now_ms);
  if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot mark delivered");
  return Status::Ok();
}

Status Outbox::MarkFailed(const OutboxItem& i, const std::string& error, int64_t now_ms) {
  const bool dead = i.attempts >= i.max_attempts || now_ms - i.created_ms >= i.max_age_ms;
  Stmt s(db_,
         "UPDATE delivery SET state = ?2, next_attempt_ms = ?3, lease_until_ms = 0, last_error = ?4, done_ms = ?5 "
         "WHERE id = ?1 AND state = 'pending'");
  s.Bind(1, i.id).Bind(2, std::string(dead ? "dead" : "pending"));
  s.Bind(3, dead ? now_ms : now_ms + RetryDelayMillis(i.attempts, i.retry_base_ms, Random01()));
  s.Bind(4, error).Bind(5, dead ? now_ms : int64_t{0});
  if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot record a failed attempt");
  return Status::Ok();
}

Status Outbox::NextDue(int64_t created_since_ms, const OutboxFilter& filter, int64_t* due_ms) {
  *due_ms = -1;
  // A leased row is due again only when its lease runs out.
  Stmt s(db_,
         "SELECT id, kind, MAX(next_attempt_ms, lease_until_ms) AS due FROM delivery "
         "WHERE state = 'pending' AND created_ms >= ?1 ORDER BY due");
  if (!s.ok()) return Fail("cannot read");
  s.Bind(1, created_since_ms);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    OutboxItem i;
    i.id = s.Text(0);
    i.kind = s.Text(1);
    if (!filter.Passes(i)) continue;
    *due_ms = s.Int(2);
    return Status::Ok();
  }
  if (rc != SQLITE_DONE) return Fail("cannot read");
  return Status::Ok();
}

Status Outbox::NewestPending(int64_t* created_ms) {
  *created_ms = -1;
  Stmt s(db_, "SELECT MAX(created_ms) FROM delivery WHERE state = 'pending'");
  if (!s.ok() || s.Step() != SQLITE_ROW) return Fail("cannot read");
  if (sqlite3_column_type(s.raw(), 0) != SQLITE_NULL) *created_ms = s.Int(0);
  return Status::Ok();
}

Status Outbox::Counts(OutboxCounts* out) {
  *out = OutboxCounts();
  Stmt s(db_, "SELECT state, COUNT(*), MIN(next_attempt_ms) FROM delivery GROUP BY state");
  if (!s.ok()) return Fail("cannot read");
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    std::string state = s.Text(0);
    if (state == "pending") {
      out->pending = s.Int(1);
      out->next_due_ms = s.Int(2);
    } else if (state == "delivered") {
      out->delivered = s.Int(1);
    } else if (state == "dead") {
      out->dead = s.Int(1);
    }
  }
  if (rc != SQLITE_DONE) return Fail("cannot read");
  return Status::Ok();
}

Status Outbox::List(const std::string& state, size_t max, std::vector<OutboxItem>* out) {
  out->clear();
  std::string sql = std::string("SELECT ") + kColumns + " FROM delivery WHERE state = ?1 ORDER BY created_ms LIMIT ?2";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Fail("cannot read");
  s.Bind(1, state).Bind(2, static_cast<int64_t>(max));
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out->push_back(ReadItem(s));
  if (rc != SQLITE_DONE) return Fail("cannot read");
  return Status::Ok();
}

Status Outbox::PruneDelivered(int64_t before_ms) {
  Stmt s(db_, "DELETE FROM delivery WHERE state = 'delivered' AND done_ms < ?1");
  s.Bind(1, before_ms);
  if (!s.ok() || s.Step() != SQLITE_DONE) return Fail("cannot prune");
  return Status::Ok();
}

}  // namespace akgate
