// Errors as values at module boundaries (after LevelDB's Status).
//
// A Status is either ok() or carries a message meant for a human: it names
// the thing that failed (file, rule id, option) and why. It never contains
// secret material.
#pragma once

#include <string>
#include <utility>

namespace akgate {

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace akgate
