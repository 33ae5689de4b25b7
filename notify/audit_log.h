// The audit log: one JSON line per push decision (report/audit_record.h),
// appended with spdlog to the file the policy names ([audit] log).
//
// spdlog's file sink opens the file in append mode, so lines from concurrent
// hooks (one process per push) and from the gateway's threads never
// interleave. A write that fails is reported to the caller, who tells the
// pusher; it never changes the decision.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/status.h"

namespace spdlog {
class logger;
}

namespace akgate {

class AuditLog {
 public:
  // Opens (creating the file and its directory if needed) for appending.
  static Status Open(const std::string& path, std::unique_ptr<AuditLog>* out);
  ~AuditLog();

  // Appends `record` as one line and flushes. Thread-safe.
  Status Write(const nlohmann::json& record);

  const std::string& path() const { return path_; }

 private:
  AuditLog() = default;
  std::string path_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mu_;      // one Write at a time, so error_ belongs to it
  std::string error_;  // set by spdlog's error handler
};

}  // namespace akgate
