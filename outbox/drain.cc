#include "outbox/drain.h"

#include <algorithm>
#include <thread>

namespace akgate {

namespace {

using Clock = std::chrono::steady_clock;

Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

Status DrainOutbox(Outbox& box, const DrainOptions& o, DrainResult* result) {
  OutboxFilter filter;
  filter.ids = o.only_ids;
  for (const auto& [kind, sender] : o.senders) filter.kinds.push_back(kind);
  // A lease outlasts the send it covers.
  const int64_t lease_ms = static_cast<int64_t>(o.send_timeout * 1000) + 5000;
  while (Clock::now() < o.deadline) {
    std::vector<OutboxItem> batch;
    AKGATE_RETURN_IF_ERROR(box.Claim(NowMillis(), std::max<size_t>(o.parallel, 1), lease_ms, &batch, filter));
    if (batch.empty()) {
      if (!o.wait_for_retries) break;
      int64_t due = -1;
      AKGATE_RETURN_IF_ERROR(box.NextDue(o.follow_since_ms, filter, &due));
      if (due < 0) break;
      // Sleep until then (a second at most, to notice rows others add).
      int64_t wait = std::clamp<int64_t>(due - NowMillis(), 20, 1000);
      Clock::time_point until = std::min(o.deadline, Clock::now() + std::chrono::milliseconds(wait));
      std::this_thread::sleep_until(until);
      continue;
    }
    std::vector<Status> results(batch.size());
    std::vector<std::thread> threads;
    const Clock::time_point send_deadline = std::min(o.deadline, Clock::now() + Seconds(o.send_timeout));
    for (size_t i = 0; i < batch.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          results[i] = o.senders.at(batch[i].kind)(batch[i], send_deadline);
        } catch (const std::exception& e) {
          results[i] = Status::Internal(std::string("sending failed: ") + e.what());
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (size_t i = 0; i < batch.size(); ++i) {
      const int64_t now = NowMillis();
      if (results[i].ok()) {
        AKGATE_RETURN_IF_ERROR(box.MarkDelivered(batch[i].id, now));
        ++result->delivered;
        result->delivered_ids.push_back(batch[i].id);
      } else {
        AKGATE_RETURN_IF_ERROR(box.MarkFailed(batch[i], results[i].message(), now));
        ++result->failed;
        result->errors.push_back(batch[i].target + ": " + results[i].message());
      }
    }
  }
  return Status::Ok();
}

}  // namespace akgate
