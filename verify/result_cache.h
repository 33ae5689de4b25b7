// The answers of identity calls, kept by fingerprint so that a key is not
// checked again and again: one SQLite file, one row per credential.
//
// The row's key is a fingerprint (engine/fingerprint.h: a keyed HMAC, 16 hex
// digits) of the key ID and one of the secret, so a wrong secret's "not live"
// never answers for the right one; nothing in the file can be turned back
// into either. Only answers are kept: "live" and "not live". "unknown"
// (timeout, throttling) is asked again next time.
//
// Concurrent processes (hooks) may share the file: SQLite's locking, a busy
// timeout of two seconds, and a write that loses the race is not an error
// worth more than a log line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/status.h"
#include "verify/identity.h"

struct sqlite3;

namespace akgate::verify {

class ResultCache {
 public:
  // Opens `path`, creating it (mode 0600; its directory 0700) and its table.
  [[nodiscard]] static Status Open(const std::string& path, std::unique_ptr<ResultCache>* out);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // The answer for `fingerprint` checked at most `ttl_seconds` before `now`
  // (Unix seconds); false when there is none. `checked_at` gets its time.
  bool Get(const std::string& fingerprint, int64_t now, int64_t ttl_seconds, Identity* out,
           int64_t* checked_at = nullptr);
  // Keeps a live or not-live answer (an unknown one is ignored).
  [[nodiscard]] Status Put(const std::string& fingerprint, Provider provider, const Identity& identity, int64_t now);

 private:
  explicit ResultCache(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace akgate::verify
