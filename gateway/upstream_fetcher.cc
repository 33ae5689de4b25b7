#include "gateway/upstream_fetcher.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "gateway/fetch_protocol.h"
#include "gateway/pack_writer.h"
#include "gateway/upstream.h"

namespace akgate::gateway {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr std::string_view kReceivePack = "git-receive-pack";

// One request to the upstream on a connection of its own: headers for a git
// client with the pusher's Authorization (gateway-held: the route's), the answer's body handed to
// `on_body` as it comes (at most `max_bytes`). Sets *result.
net::awaitable<void> RunRequest(Exchange& x, http::verb method, std::string target, std::string body,
                                const char* accept, uint64_t max_bytes, std::function<Status(std::string_view)> on_body,
                                Status* result) {
  std::string error;
  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &error);
  if (!up) {
    *result = Status::Unavailable(error);
    co_return;
  }
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, x.route.url.host_header);
  req.set(http::field::user_agent, "akgate-gateway");
  if (method == http::verb::post) req.set(http::field::content_type, "application/x-git-upload-pack-request");
  req.set(http::field::accept, accept);
  req.set(http::field::accept_encoding, "identity");
  req.set(http::field::connection, "close");
  req.set("Git-Protocol", "version=2");
  ApplyUpstreamCredentials(x, req.base());
  req.body() = std::move(body);
  req.prepare_payload();
  beast::error_code ec;
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_write(*up, req, Await(ec));
  if (ec) {
    *result = Status::Unavailable("cannot send the request (" + ec.message() + ")");
    co_return;
  }
  beast::flat_buffer buf;
  http::response_parser<http::buffer_body> p;
  p.body_limit(max_bytes);
  p.header_limit(64 * 1024);
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_read_header(*up, buf, p, Await(ec));
  if (ec == http::error::body_limit) {  // a Content-Length over the limit
    *result = Status::ResourceExhausted("the upstream's answer is larger than the gateway's limit");
    co_return;
  }
  if (ec) {
    *result = Status::Unavailable("no valid answer (" + ec.message() + ")");
    co_return;
  }
  if (p.get().result() != http::status::ok) {
    *result = Status::Unavailable("the upstream answered HTTP " + std::to_string(p.get().result_int()));
    co_return;
  }
  if (p.get()[http::field::content_type] != accept) {
    *result = Status::Unavailable("the upstream did not answer as a git server");
    co_return;
  }
  std::unique_ptr<char[]> chunk(new char[kReadChunk]);
  while (!p.is_done()) {
    p.get().body().data = chunk.get();
    p.get().body().size = kReadChunk;
    up->ArmTimer(x.upstream_idle(), x.deadline);
    co_await http::async_read(*up, buf, p, Await(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) {
      *result = Status::ResourceExhausted("the upstream's answer is larger than the gateway's limit");
      co_return;
    }
    if (ec) {
      *result = Status::Unavailable("the answer was cut short (" + ec.message() + ")");
      co_return;
    }
    Status s = on_body(std::string_view(chunk.get(), kReadChunk - p.get().body().size));
    if (!s.ok()) {
      *result = s;
      co_return;
    }
  }
  *result = Status::Ok();
}

}  // namespace

Status UpstreamFetcher::Run(const std::atomic<bool>* cancel, http::verb method, const std::string& target,
                            std::string body, const char* accept, uint64_t max_bytes,
                            std::function<Status(std::string_view)> on_body) {
  Status result = Status::Unavailable("the request did not finish");
  net::io_context ioc(1);
  net::co_spawn(ioc, RunRequest(x_, method, target, std::move(body), accept, max_bytes, std::move(on_body), &result),
                [&result](std::exception_ptr e) {
                  if (!e) return;
                  try {
                    std::rethrow_exception(e);
                  } catch (const std::exception& ex) {
                    result = Status::Unavailable(ex.what());
                  }
                });
  while (!ioc.stopped()) {
    ioc.run_for(std::chrono::milliseconds(100));
    if (cancel && cancel->load(std::memory_order_relaxed)) {
      ioc.stop();
      result = Status::DeadlineExceeded("cancelled");
    }
  }
  return result;  // the connection and the coroutine end with ioc
}

Status UpstreamFetcher::Fetch(const FetchWants& wants, const std::atomic<bool>* cancel, std::string* objects_dir) {
  auto started = Clock::now();
  uint64_t bytes = 0;
  unsigned objects = 0;
  std::string dir;
  Status result = FetchInto(wants, cancel, &dir, &bytes, &objects);
  spdlog::info("fetch_previous id={} commits={} trees={} blobs={} bytes={} objects={} ms={:.1f} result=\"{}\"", x_.id,
               wants.commits.size(), wants.trees.size(), wants.blobs.size(), bytes, objects,
               std::chrono::duration<double, std::milli>(Clock::now() - started).count(),
               result.ok() ? "ok" : result.message());
  if (!result.ok()) return result;
  *objects_dir = dir;
  return Status::Ok();
}

Status UpstreamFetcher::FetchInto(const FetchWants& wants, const std::atomic<bool>* cancel, std::string* objects_dir,
                                  uint64_t* bytes, unsigned* objects) {
  std::string base = x_.upstream_target.substr(0, x_.upstream_target.find('?'));
  if (base.size() < kReceivePack.size() ||
      base.compare(base.size() - kReceivePack.size(), kReceivePack.size(), kReceivePack) != 0)
    return Status::InvalidArgument("not a receive-pack request");
  base.resize(base.size() - kReceivePack.size());
  if (!capabilities_checked_) {
    // What the upstream's upload-pack serves (protocol v2 capabilities): a
    // clear reason beats a fetch that fails half-way.
    std::string adv;
    Status s = Run(cancel, http::verb::get, base + "info/refs?service=git-upload-pack", "",
                   "application/x-git-upload-pack-advertisement", x_.gw.config.max_advertisement_bytes,
                   [&adv](std::string_view b) {
                     adv.append(b);
                     return Status::Ok();
                   });
    if (s.ok()) s = ParseFetchCapabilities(adv, &capabilities_);
    if (!s.ok()) return Status::Unavailable("cannot read the upstream's capabilities: " + s.message());
    capabilities_checked_ = true;
  }
  if (Status s = CheckFetchCapabilities(capabilities_, wants); !s.ok()) return s;

  std::string dir = spool_dir_ + "/upstream-" + std::to_string(++fetches_) + "/objects";
  PackWriter pack(dir + "/pack");
  FetchResponseParser parser([&pack](std::string_view b) { return pack.Append(b); });
  Status s = Run(cancel, http::verb::post, base + "git-upload-pack", FetchRequestBody(wants),
                 "application/x-git-upload-pack-result", x_.gw.config.max_push_bytes,
                 [&parser](std::string_view b) { return parser.Feed(b); });
  if (s.ok()) s = parser.Finish();
  if (s.ok()) s = pack.Commit();
  if (s.ok() && !pack.started()) s = Status::Unavailable("the upstream sent no objects");
  *bytes = parser.pack_bytes();
  *objects = pack.objects();
  if (s.ok()) *objects_dir = dir;
  return s;
}

}  // namespace akgate::gateway
