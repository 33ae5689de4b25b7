// A one-line progress display on a terminal (standard error), redrawn a few
// times a second by a thread of its own while a long job runs:
//
//   ProgressLine line([&] { return "blobs 1,200/40,000 ..."; });   // starts
//   ...                                                            // the job
//   line.Stop();                                                   // erased
//
// Not shown when standard error is not a terminal (logs, CI, pipes) or when
// `enabled` is false; then it costs nothing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace akgate {

class ProgressLine {
 public:
  explicit ProgressLine(std::function<std::string()> render, bool enabled = true,
                        std::chrono::milliseconds every = std::chrono::milliseconds(250));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void Stop();  // erases the line; idempotent
  bool shown() const { return thread_.joinable(); }

 private:
  void Run();
  void Draw(const std::string& line);

  std::function<std::string()> render_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  size_t drawn_ = 0;  // columns of the last line drawn
  std::thread thread_;
};

// "1,234,567"
std::string Thousands(uint64_t n);

// "42 s", "3 min 5 s", "1 h 2 min"
std::string HumanDuration(double seconds);

}  // namespace akgate
