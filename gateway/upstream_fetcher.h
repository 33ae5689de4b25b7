// Earlier versions of pushed files, fetched from the push's upstream
// (git/object_fetcher.h says when and what): a protocol v2 fetch
// (fetch_protocol.h) POSTed to the repository's git-upload-pack with the
// pusher's own Authorization header, so the pusher can read nothing through
// it that they could not clone, and the pack indexed into the push's spool
// (upstream-N/objects), removed with it.
//
// Called on an inspection worker thread while the push's coroutine waits:
// each Fetch runs its own io_context on that thread, bounded by the
// upstream's timeouts, the request's deadline, limits.max_push_bytes, and
// the inspection's cancel flag (its time budget).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "gateway/exchange.h"
#include "gateway/fetch_protocol.h"
#include "git/object_fetcher.h"

namespace akgate::gateway {

class UpstreamFetcher : public ObjectFetcher {
 public:
  // `x` is the push's exchange (route, credentials, deadline); `spool_dir`
  // the push's private directory. Both outlive the fetcher.
  UpstreamFetcher(Exchange& x, std::string spool_dir) : x_(x), spool_dir_(std::move(spool_dir)) {}

  Status Fetch(const FetchWants& wants, const std::atomic<bool>* cancel, std::string* objects_dir) override;

 private:
  Status FetchInto(const FetchWants& wants, const std::atomic<bool>* cancel, std::string* objects_dir, uint64_t* bytes,
                   unsigned* objects);
  // One request on this thread's own io_context (see the file comment).
  Status Run(const std::atomic<bool>* cancel, http::verb method, const std::string& target, std::string body,
             const char* accept, uint64_t max_bytes, std::function<Status(std::string_view)> on_body);

  Exchange& x_;
  std::string spool_dir_;
  unsigned fetches_ = 0;
  bool capabilities_checked_ = false;
  FetchCapabilities capabilities_;
};

}  // namespace akgate::gateway
