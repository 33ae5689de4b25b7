#include "git/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace akgate {

unsigned WorkerThreads(unsigned requested, size_t items, size_t parallel_from) {
  unsigned n = requested ? requested : std::min(4u, std::max(1u, std::thread::hardware_concurrency()));
  return items < parallel_from ? 1 : n;
}

Status RunWithHandles(const Repository& repo, unsigned threads,
                      const std::function<Status(const Repository&, const std::atomic<bool>&)>& work) {
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;
  auto fail = [&](Status s) {
    std::lock_guard<std::mutex> lock(mu);
    if (first_error.ok()) first_error = std::move(s);
    failed = true;
  };
  auto run = [&](const Repository& r) {
    try {
      Status s = work(r, failed);
      if (!s.ok()) fail(std::move(s));
    } catch (const std::exception& e) {
      fail(Status::Internal(std::string("inspection failed: ") + e.what()));
    }
  };
  std::vector<std::unique_ptr<Repository>> handles;
  for (unsigned i = 1; i < threads; ++i) {
    std::unique_ptr<Repository> h;
    if (!repo.Reopen(&h).ok()) break;  // fewer threads, not an error
    handles.push_back(std::move(h));
  }
  std::vector<std::thread> pool;
  pool.reserve(handles.size());
  for (const auto& h : handles) pool.emplace_back(run, std::cref(*h));
  run(repo);
  for (std::thread& t : pool) t.join();
  return first_error;
}

}  // namespace akgate
