// The outbox on real SQLite files: enqueue, claim, backoff, dead, leases,
// rate limits, two processes at once, and files that are not an outbox.
#include "outbox/outbox.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "git_fixture.h"
#include "outbox/drain.h"

using namespace akgate;
using namespace akgate::testing;

namespace {

OutboxItem Item(const std::string& id) {
  OutboxItem i;
  i.id = id;
  i.kind = "notify";
  i.target = "webhook t";
  i.spec = "{}";
  i.payload = "{\"event\":\"block\"}";
  i.retry_base_ms = 1000;
  i.max_attempts = 3;
  return i;
}

std::unique_ptr<Outbox> Open(const std::string& path) {
  std::unique_ptr<Outbox> box;
  Status s = Outbox::Open(path, &box);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return box;
}

}  // namespace

TEST_CASE("outbox: enqueue, claim, deliver; an id enqueued twice is one delivery") {
  TempDir dir;
  auto box = Open(dir.path() + "/state/outbox.db");
  CHECK((std::filesystem::status(dir.path() + "/state/outbox.db").permissions() &
         std::filesystem::perms::others_read) == std::filesystem::perms::none);
  REQUIRE(box->Enqueue({Item("e1.a"), Item("e1.b")}).ok());
  REQUIRE(box->Enqueue({Item("e1.a")}).ok());
  OutboxCounts c;
  REQUIRE(box->Counts(&c).ok());
  CHECK(c.pending == 2);
  std::vector<OutboxItem> got;
  REQUIRE(box->Claim(NowMillis(), 10, 30000, &got).ok());
  REQUIRE(got.size() == 2);
  CHECK(got[0].attempts == 1);
  // Leased: nobody else gets them while the lease runs.
  std::vector<OutboxItem> again;
  REQUIRE(box->Claim(NowMillis(), 10, 30000, &again).ok());
  CHECK(again.empty());
  REQUIRE(box->MarkDelivered("e1.a", NowMillis()).ok());
  REQUIRE(box->Counts(&c).ok());
  CHECK(c.pending == 1);
  CHECK(c.delivered == 1);
  // A sender that died: its lease runs out and the row is claimed again.
  REQUIRE(box->Claim(NowMillis() + 31000, 10, 30000, &again).ok());
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == "e1.b");
  CHECK(again[0].attempts == 2);
  // A claim restricted to some ids leaves the others.
  REQUIRE(box->Enqueue({Item("e2.a"), Item("e2.b")}).ok());
  OutboxFilter only;
  only.ids = {"e2.b"};
  REQUIRE(box->Claim(NowMillis(), 10, 30000, &again, only).ok());
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == "e2.b");
}

TEST_CASE("outbox: a failure waits with exponential backoff and jitter, then the row is dead, not dropped") {
  CHECK(RetryDelayMillis(1, 1000, 0.0) == 500);
  CHECK(RetryDelayMillis(1, 1000, 0.999) < 1000);
  CHECK(RetryDelayMillis(3, 1000, 0.0) == 2000);
  CHECK(RetryDelayMillis(40, 1000, 0.999) <= 3600 * 1000);
  TempDir dir;
  auto box = Open(dir.path() + "/outbox.db");
  REQUIRE(box->Enqueue({Item("x")}).ok());
  int64_t now = NowMillis();
  for (int attempt = 1; attempt <= 3; ++attempt) {
    std::vector<OutboxItem> got;
    REQUIRE(box->Claim(now, 1, 30000, &got).ok());
    REQUIRE(got.size() == 1);
    REQUIRE(box->MarkFailed(got[0], "HTTP 500", now).ok());
    std::vector<OutboxItem> rows;
    REQUIRE(box->List(attempt < 3 ? "pending" : "dead", 10, &rows).ok());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].last_error == "HTTP 500");
    if (attempt < 3) {
      int64_t delay = rows[0].next_attempt_ms - now;
      int64_t full = 1000LL << (attempt - 1);
      CHECK(delay >= full / 2);
      CHECK(delay < full);
      // Not due before then.
      std::vector<OutboxItem> early;
      REQUIRE(box->Claim(now + delay - 1, 1, 30000, &early).ok());
      CHECK(early.empty());
      now += delay;
    }
  }
  OutboxCounts c;
  REQUIRE(box->Counts(&c).ok());
  CHECK(c.dead == 1);
  CHECK(c.pending == 0);

  // Too old: dead when claimed, with why.
  OutboxItem old = Item("old");
  old.max_age_ms = 1000;
  REQUIRE(box->Enqueue({old}).ok());
  std::vector<OutboxItem> got;
  REQUIRE(box->Claim(NowMillis() + 2000, 1, 30000, &got).ok());
  CHECK(got.empty());
  std::vector<OutboxItem> dead;
  REQUIRE(box->List("dead", 10, &dead).ok());
  REQUIRE(dead.size() == 2);
  CHECK(dead[1].last_error.find("expired") != std::string::npos);

  // Pruning removes old delivered rows, never dead ones.
  REQUIRE(box->Enqueue({Item("done")}).ok());
  REQUIRE(box->Claim(NowMillis(), 1, 30000, &got).ok());
  REQUIRE(box->MarkDelivered("done", NowMillis()).ok());
  REQUIRE(box->PruneDelivered(NowMillis() + 1).ok());
  REQUIRE(box->Counts(&c).ok());
  CHECK(c.delivered == 0);
  CHECK(c.dead == 2);
}

TEST_CASE("outbox: a robot's rate limit holds sends back to when a slot frees") {
  TempDir dir;
  auto box = Open(dir.path() + "/outbox.db");
  std::vector<OutboxItem> items;
  for (int i = 0; i < 4; ++i) {
    OutboxItem it = Item("r" + std::to_string(i));
    it.rate_key = "dingtalk https://robot/1";
    it.per_minute = 2;
    items.push_back(it);
  }
  REQUIRE(box->Enqueue(items).ok());
  const int64_t now = NowMillis();
  std::vector<OutboxItem> got;
  REQUIRE(box->Claim(now, 10, 30000, &got).ok());
  CHECK(got.size() == 2);
  std::vector<OutboxItem> rows;
  REQUIRE(box->List("pending", 10, &rows).ok());
  int held = 0;
  for (const OutboxItem& r : rows)
    if (r.attempts == 0) {
      ++held;
      CHECK(r.next_attempt_ms == now + 60000);  // when the first send leaves the window
    }
  CHECK(held == 2);
  std::vector<OutboxItem> later;
  REQUIRE(box->Claim(now + 60001, 10, 30000, &later).ok());
  CHECK(later.size() == 2);
}

TEST_CASE("outbox: two processes enqueue and drain the same file at once; every row once") {
  TempDir dir;
  const std::string path = dir.path() + "/outbox.db";
  { Open(path); }  // the schema, before the race
  auto run = [&](int who) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    int rc = 0;
    {
      std::unique_ptr<Outbox> box;
      if (!Outbox::Open(path, &box).ok()) _exit(3);
      for (int i = 0; i < 150; ++i)
        if (!box->Enqueue({Item("p" + std::to_string(who) + "." + std::to_string(i))}).ok()) _exit(4);
      // Then drain: claim in small batches, record what this process sent.
      std::ofstream sent(dir.path() + "/sent." + std::to_string(who));
      for (int round = 0; round < 2000; ++round) {
        std::vector<OutboxItem> got;
        if (!box->Claim(NowMillis(), 5, 60000, &got).ok()) {
          rc = 5;
          break;
        }
        if (got.empty()) {
          OutboxCounts c;
          if (box->Counts(&c).ok() && c.pending == 0) break;
          usleep(1000);
          continue;
        }
        for (const OutboxItem& g : got) {
          sent << g.id << "\n";
          if (!box->MarkDelivered(g.id, NowMillis()).ok()) rc = 6;
        }
      }
    }
    _exit(rc);
  };
  pid_t a = run(1), b = run(2);
  int sa = 0, sb = 0;
  waitpid(a, &sa, 0);
  waitpid(b, &sb, 0);
  CHECK(WEXITSTATUS(sa) == 0);
  CHECK(WEXITSTATUS(sb) == 0);
  std::multiset<std::string> sent;
  for (int who : {1, 2}) {
    std::ifstream in(dir.path() + "/sent." + std::to_string(who));
    for (std::string line; std::getline(in, line);) sent.insert(line);
  }
  CHECK(sent.size() == 300);
  std::set<std::string> unique(sent.begin(), sent.end());
  CHECK(unique.size() == 300);  // none sent twice
  auto box = Open(path);
  OutboxCounts c;
  REQUIRE(box->Counts(&c).ok());
  CHECK(c.delivered == 300);
  CHECK(c.pending == 0);
}

TEST_CASE("outbox: a file that is not an outbox is an error naming it, never a crash") {
  TempDir dir;
  const std::string garbage = dir.path() + "/garbage.db";
  {
    std::ofstream out(garbage);
    for (int i = 0; i < 2000; ++i) out << "this is not an SQLite database\n";
  }
  std::unique_ptr<Outbox> box;
  Status s = Outbox::Open(garbage, &box);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find(garbage) != std::string::npos);
  CHECK(s.message().find("not a usable outbox") != std::string::npos);

  // A real outbox whose pages were overwritten.
  const std::string path = dir.path() + "/outbox.db";
  {
    auto b = Open(path);
    std::vector<OutboxItem> many;
    for (int i = 0; i < 200; ++i) many.push_back(Item("c" + std::to_string(i)));
    REQUIRE(b->Enqueue(many).ok());
  }
  {
    // Checkpointed into the main file when the last connection closed.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    std::string junk(8192, '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  s = Outbox::Open(path, &box);
  if (s.ok()) {
    OutboxCounts c;
    std::vector<OutboxItem> got;
    Status r = box->Counts(&c);
    if (r.ok()) r = box->Claim(NowMillis(), 500, 1000, &got);
    CHECK_FALSE(r.ok());
    CHECK(r.message().find(path) != std::string::npos);
  } else {
    CHECK(s.message().find(path) != std::string::npos);
  }

  // From a newer akgate.
  const std::string newer = dir.path() + "/newer.db";
  { Open(newer); }
  {
    std::unique_ptr<Outbox> b;
    REQUIRE(Outbox::Open(newer, &b).ok());
  }
  REQUIRE(std::system(("python3 -c \"import sqlite3; c=sqlite3.connect('" + newer +
                       "'); c.execute('PRAGMA user_version = 99'); c.commit()\"")
                          .c_str()) == 0);
  s = Outbox::Open(newer, &box);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("newer") != std::string::npos);
}

TEST_CASE("outbox drain: sends due rows through the sender of their kind, leaves other kinds alone") {
  TempDir dir;
  auto box = Open(dir.path() + "/outbox.db");
  OutboxItem console = Item("c1");
  console.kind = "console";
  REQUIRE(box->Enqueue({Item("n1"), Item("n2"), console}).ok());
  int calls = 0;
  DrainOptions o;
  o.senders["notify"] = [&](const OutboxItem& i, std::chrono::steady_clock::time_point) {
    ++calls;
    return i.id == "n1" ? Status::Ok() : Status::Unavailable("HTTP 500");
  };
  o.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  DrainResult r;
  REQUIRE(DrainOutbox(*box, o, &r).ok());
  CHECK(calls == 2);
  CHECK(r.delivered == 1);
  CHECK(r.failed == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "webhook t: HTTP 500");
  OutboxCounts c;
  REQUIRE(box->Counts(&c).ok());
  CHECK(c.pending == 2);  // n2 waits for its retry; c1 waits for a console sender
}
