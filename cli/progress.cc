// The terminal progress line (see progress.h).
#include "cli/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "report/text_layout.h"

namespace akgate {

ProgressLine::ProgressLine(std::function<std::string()> render, bool enabled, std::chrono::milliseconds every)
    : render_(std::move(render)), every_(every) {
  if (enabled && isatty(STDERR_FILENO)) thread_ = std::thread([this] { Run(); });
}

ProgressLine::~ProgressLine() { Stop(); }

void ProgressLine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    if (drawn_) std::fprintf(stderr, "\r%*s\r", static_cast<int>(drawn_), "");
    std::fflush(stderr);
  }
}

void ProgressLine::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  // Quick jobs show nothing: the first line comes after one period.
  while (!cv_.wait_for(lock, every_, [this] { return stop_; })) Draw(render_());
}

void ProgressLine::Draw(const std::string& raw) {
  std::string line = Truncate(Displayable(raw), 78);  // one terminal line, never wrapped
  size_t width = DisplayWidth(line);
  std::string pad = width < drawn_ ? std::string(drawn_ - width, ' ') : "";
  std::fprintf(stderr, "\r%s%s", line.c_str(), pad.c_str());
  std::fflush(stderr);
  drawn_ = width;
}

std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string HumanDuration(double seconds) {
  if (seconds < 0) seconds = 0;
  auto s = static_cast<uint64_t>(std::llround(seconds));
  char buf[48];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%llu s", static_cast<unsigned long long>(s));
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%llu min %llu s", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  else
    std::snprintf(buf, sizeof buf, "%llu h %llu min", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60));
  return buf;
}

}  // namespace akgate
