#include "notify/notifier.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

#include "notify/deliver.h"
#include "outbox/detach.h"
#include "outbox/drain.h"
#include "outbox/outbox.h"

namespace akgate {

namespace {

std::string Dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// One attempt per target, no outbox.
NotifyResult SendOnce(const std::vector<NotifyTarget>& targets, const std::string& event_json,
                      const std::string& event_id, const std::string& console_url,
                      std::chrono::steady_clock::time_point deadline) {
  NotifyResult r;
  std::vector<Status> results(targets.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < targets.size(); ++i)
    threads.emplace_back([&, i] {
      results[i] = DeliverToTarget(targets[i], event_json, event_id + "." + targets[i].name, console_url, deadline);
    });
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < targets.size(); ++i) {
    if (results[i].ok())
      ++r.delivered;
    else
      r.failures.push_back(std::string(TargetKindName(targets[i].kind)) + " " + targets[i].name + ": " +
                           results[i].message());
  }
  return r;
}

}  // namespace

std::string NewEventId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Never expected; still unique enough with the clock and the pid.
    uint64_t a = static_cast<uint64_t>(NowMillis()), b = static_cast<uint64_t>(getpid());
    std::memcpy(bytes, &a, 8);
    std::memcpy(bytes + 8, &b, 8);
  }
  static const char* kHex = "0123456789abcdef";
  std::string id;
  for (unsigned char c : bytes) {
    id += kHex[c >> 4];
    id += kHex[c & 15];
  }
  return id;
}

NotifyResult Notify(const NotifySettings& s, const std::string& event, const nlohmann::json& message,
                    std::chrono::steady_clock::time_point deadline) {
  std::vector<NotifyTarget> wanted;
  for (const NotifyTarget& t : s.targets)
    if (TargetWants(t, event, message)) wanted.push_back(t);
  NotifyResult result;
  result.wanted = wanted.size();
  if (wanted.empty()) return result;
  const std::string event_json = Dump(message);
  const std::string event_id = message.value("event_id", "");

  std::unique_ptr<Outbox> box;
  Status opened = s.outbox.empty() ? Status::NotFound("no outbox is configured") : Outbox::Open(s.outbox, &box);
  if (!opened.ok()) {
    NotifyResult once = SendOnce(wanted, event_json, event_id, s.console_url, deadline);
    once.wanted = wanted.size();
    if (!once.failures.empty() && !s.outbox.empty())
      once.failures.push_back("not queued for a retry: " + opened.message());
    return once;
  }

  std::vector<OutboxItem> items;
  double longest = 0;
  for (const NotifyTarget& t : wanted) {
    OutboxItem i;
    i.id = event_id + "." + t.name;
    i.kind = kNotifyKind;
    i.target = std::string(TargetKindName(t.kind)) + " " + t.name;
    i.spec = Dump({{"target", TargetToJson(t)}, {"console_url", s.console_url}});
    i.payload = event_json;
    RateLimit limit = RateLimitOf(t.kind);
    if (limit.per_minute || limit.per_second) i.rate_key = std::string(TargetKindName(t.kind)) + " " + t.url;
    i.per_minute = limit.per_minute;
    i.per_second = limit.per_second;
    i.max_attempts = s.max_attempts;
    i.max_age_ms = static_cast<int64_t>(s.max_age * 1000);
    i.retry_base_ms = static_cast<int64_t>(s.retry_base * 1000);
    longest = std::max(longest, t.timeout);
    items.push_back(std::move(i));
  }
  Status st = box->Enqueue(items);
  if (!st.ok()) {
    NotifyResult once = SendOnce(wanted, event_json, event_id, s.console_url, deadline);
    once.wanted = wanted.size();
    if (!once.failures.empty()) once.failures.push_back("not queued for a retry: " + st.message());
    return once;
  }

  DrainOptions o;
  o.senders[kNotifyKind] = SendNotifyItem;
  o.deadline = deadline;
  o.send_timeout = longest;
  o.parallel = items.size();
  for (const OutboxItem& i : items) o.only_ids.push_back(i.id);
  DrainResult drained;
  st = DrainOutbox(*box, o, &drained);
  result.delivered = drained.delivered;
  result.failures = drained.errors;
  if (!st.ok()) result.failures.push_back(st.message());
  result.queued = items.size() - std::min(items.size(), drained.delivered);
  if (result.queued > 0 && st.ok() && drained.errors.empty() && drained.delivered < items.size())
    result.failures.push_back(std::to_string(result.queued) + " not attempted in time (rate limit or time budget)");

  if (result.queued > 0 && s.spawn_drainer) {
    std::string program = AkgateProgram();
    std::error_code ec;
    std::string path = std::filesystem::absolute(s.outbox, ec).string();
    Status spawned = program.empty() ? Status::NotFound("cannot find the akgate program to retry later")
                                     : SpawnDetached({program, "outbox", "flush", "--detached", "--outbox", path,
                                                      "--follow", std::to_string(static_cast<int64_t>(s.follow_for))});
    if (!spawned.ok())
      result.failures.push_back(spawned.message() + " (the outbox keeps them for `akgate outbox flush`)");
  }
  return result;
}

}  // namespace akgate
