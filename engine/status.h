// Errors as values at module boundaries (after LevelDB's and Abseil's Status).
//
// A Status is either ok() or carries a code and a message meant for a human:
// the message names the thing that failed (file, rule id, option, object)
// and why. It never contains secret material. The code says what kind of
// failure it is, for callers that act differently on kinds (a missing object
// in a partial clone is skipped, a corrupt one is not; a push over a limit
// is refused with the limit's name).
//
// One way to propagate: AKGATE_RETURN_IF_ERROR(expr) returns a failed Status
// to the caller; a Status that is neither checked nor returned is a compiler
// warning ([[nodiscard]]), an error in CI's -Werror build. Where dropping a
// failure is the right thing, say so: `status.IgnoreError();` with a comment.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace akgate {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // bad input from a person: a config, rule or policy file, an option, a request
  kNotFound,           // a file, object or ref that is not there
  kCorrupt,            // data that is not what it claims: an object, a pack, a protocol stream
  kResourceExhausted,  // a limit: size, count, memory, disk
  kDeadlineExceeded,   // a time limit
  kPermissionDenied,   // the OS or a peer refused access; unsafe file permissions
  kUnavailable,        // a peer (upstream, webhook) that could not be reached or answered badly
  kIoError,            // a read or write of a local file or pipe that failed
  kInternal,           // a broken invariant or a library failure with no better name
};

// "invalid argument", "not found", ...: for logs and tests.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(StatusCode code, std::string message) { return Status(code, std::move(message)); }

  static Status InvalidArgument(std::string m) { return Error(StatusCode::kInvalidArgument, std::move(m)); }
  static Status NotFound(std::string m) { return Error(StatusCode::kNotFound, std::move(m)); }
  static Status Corrupt(std::string m) { return Error(StatusCode::kCorrupt, std::move(m)); }
  static Status ResourceExhausted(std::string m) { return Error(StatusCode::kResourceExhausted, std::move(m)); }
  static Status DeadlineExceeded(std::string m) { return Error(StatusCode::kDeadlineExceeded, std::move(m)); }
  static Status PermissionDenied(std::string m) { return Error(StatusCode::kPermissionDenied, std::move(m)); }
  static Status Unavailable(std::string m) { return Error(StatusCode::kUnavailable, std::move(m)); }
  static Status IoError(std::string m) { return Error(StatusCode::kIoError, std::move(m)); }
  static Status Internal(std::string m) { return Error(StatusCode::kInternal, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // The same failure with `context` in front: "reading policy.toml: <message>".
  // An ok Status stays ok.
  Status WithContext(std::string_view context) const {
    if (ok()) return *this;
    return Status(code_, std::string(context) + ": " + message_);
  }

  // Drops a failure on purpose (the caller has said why in a comment).
  void IgnoreError() const {}

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {
    if (code_ == StatusCode::kOk) code_ = StatusCode::kInternal;  // an error always has a kind
  }
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kCorrupt:
      return "corrupt";
    case StatusCode::kResourceExhausted:
      return "resource exhausted";
    case StatusCode::kDeadlineExceeded:
      return "deadline exceeded";
    case StatusCode::kPermissionDenied:
      return "permission denied";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kIoError:
      return "I/O error";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace akgate

// Returns from the enclosing function when `expr` (a Status) failed.
#define AKGATE_RETURN_IF_ERROR(expr)                                                           \
  do {                                                                                         \
    if (::akgate::Status akgate_status_ = (expr); !akgate_status_.ok()) return akgate_status_; \
  } while (false)
