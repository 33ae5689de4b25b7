// POST <repo>/git-receive-pack, in the order the push travels:
//
//   1. a push slot (limits.max_concurrent_pushes); the pusher's credentials
//      checked with the upstream (nothing is spent on a push it would refuse;
//      in gateway-held mode the pusher signed in already and the check is
//      the route's own credential), its advertisement read for push options;
//      a private spool directory
//   2. the body streams in: every byte to the spool file, the decoded bytes
//      through the command parser, the pack into libgit2's indexer
//      (limits.max_push_bytes bounds it)
//   3. the pack is committed (deltas resolved; a thin pack fails closed) and
//      inspected on a worker thread, by the same code as the hook
//   4. clean (or bypassed): the exact body goes upstream with a known
//      Content-Length and the upstream's answer streams back;
//      dirty: the upstream never sees it and the client gets a report-status
//      (HTTP 200) with `ng` for every ref and the hook's report on band 2
//
// The spool is removed when this coroutine ends, however it ends.
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <exception>
#include <type_traits>

#include "gateway/basic_auth.h"
#include "gateway/body_decoder.h"
#include "gateway/credential_check.h"
#include "gateway/push_handler.h"
#include "gateway/identity.h"
#include "gateway/receive_pack_request.h"
#include "gateway/push_spool.h"
#include "gateway/reply.h"
#include "gateway/report_status.h"
#include "gateway/upstream.h"
#include "gateway/upstream_fetcher.h"

namespace akgate::gateway {

namespace {

constexpr size_t kReadChunk = 64 * 1024;

// Runs f() on the worker pool and resumes the coroutine on its own strand
// with the result. f must not throw, and must capture only what is
// trivially destructible (pointers, references): GCC 12 destroys a lambda
// temporary inside co_await twice.
template <class F>
net::awaitable<std::invoke_result_t<F&>> RunOnWorkers(net::thread_pool& pool, F f) {
  static_assert(std::is_trivially_destructible_v<F>, "GCC 12 destroys it twice: capture pointers only");
  using R = std::invoke_result_t<F&>;
  co_return co_await net::async_initiate<const net::use_awaitable_t<>&, void(R)>(
      [&pool](auto handler, F fn) {
        net::post(pool, [fn = std::move(fn), handler = std::move(handler)]() mutable {
          R result = fn();
          auto ex = net::get_associated_executor(handler);
          net::post(ex, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      net::use_awaitable, std::move(f));
}

// Holds one of limits.max_concurrent_pushes for the life of a push.
class PushSlot {
 public:
  explicit PushSlot(GatewayContext& gw) : gw_(gw) {
    unsigned n = gw_.pushes.fetch_add(1) + 1;
    acquired_ = n <= gw_.config.max_concurrent_pushes;
    gw_.metrics.pushes_in_flight++;
  }
  ~PushSlot() {
    gw_.pushes--;
    gw_.metrics.pushes_in_flight--;
  }
  bool acquired() const { return acquired_; }

 private:
  GatewayContext& gw_;
  bool acquired_ = false;
};

// What the pusher is told when they asked for a right the policy grants by
// name (-o akgate.bypass, -o akgate.allow) and the gateway cannot vouch for
// their name; "" otherwise.
std::string IdentityNote(const Identity& who, const std::vector<std::string>& push_options) {
  if (!who.name.empty()) return "";
  bool asked = false;
  for (const std::string& o : push_options)
    asked = asked || o.rfind("akgate.bypass", 0) == 0 || o.rfind("akgate.allow", 0) == 0;
  if (!asked) return "";
  return "akgate-gateway: rights granted by name (bypass, allow) need a verified identity, and " + who.problem +
         "; the user name you sign in with is not one. Only rights the policy gives to everyone (\"*\") apply.\n";
}

// One of the gateway's scan threads (scan_slots.h), held from Acquire to
// Release or the end of the push, whichever comes first.
class ScanSlot {
 public:
  explicit ScanSlot(ScanSlots& slots) : slots_(slots) {}
  ~ScanSlot() { Release(); }
  net::awaitable<bool> Acquire(Clock::time_point deadline) {
    auto asked = Clock::now();
    held_ = co_await slots_.Acquire(deadline);
    waited_ = Clock::now() - asked;
    co_return held_;
  }
  void Release() {
    if (held_) slots_.Release();
    held_ = false;
  }
  Clock::duration waited() const { return waited_; }

 private:
  ScanSlots& slots_;
  bool held_ = false;
  Clock::duration waited_{};
};

std::string MiB(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / 1048576.0);
  return buf;
}

// The report-status response for a push the gateway refuses.
net::awaitable<bool> SendReport(Exchange& x, const ReceivePackRequest& request, const Rejection& rejection) {
  http::response<http::string_body> res{http::status::ok, x.parser.get().version()};
  res.set(http::field::server, "akgate-gateway");
  res.set(http::field::content_type, "application/x-git-receive-pack-result");
  res.set(http::field::cache_control, "no-cache");
  res.body() = EncodeRejection(request, rejection);
  // The rest of an unread body would be taken for the next request.
  res.keep_alive(x.keep_alive && x.parser.is_done() && !x.gw.draining);
  res.prepare_payload();
  x.status = 200;
  x.bytes_out += res.body().size();
  x.gw.metrics.bytes_to_clients += res.body().size();
  beast::error_code ec;
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write(x.client, res, Await(ec));
  co_return !ec && res.keep_alive();
}

// A refusal before inspection (malformed, too large, thin pack): with the
// command list known, a report-status naming every ref; otherwise plain text.
net::awaitable<bool> Refuse(Exchange& x, const ReceivePackRequest& request, bool commands_known, http::status fallback,
                            const std::string& unpack_status, const std::string& message) {
  x.gw.metrics.pushes_refused++;
  x.note = "refused: " + message;
  if (commands_known && !request.commands.empty()) {
    Rejection r;
    r.unpack_status = unpack_status;
    r.reason = "unpacker error";
    if (unpack_status == "ok") r.reason = message;
    r.human_report = "akgate-gateway: " + message + "\n";
    co_return co_await SendReport(x, request, r);
  }
  co_return co_await SendText(x, fallback, "akgate-gateway: " + message, false);
}

// Sends the spooled body upstream and streams the answer back, with
// `notes` (side-band packets) in front of a successful result.
net::awaitable<bool> Forward(Exchange& x, const PushSpool& spool, std::string_view notes = {}) {
  std::string error;
  std::unique_ptr<Stream> up = co_await ConnectUpstream(x, &error);
  if (!up) co_return co_await SendBadGateway(x, error);
  http::request<http::file_body> req;
  req.base() = x.parser.get().base();
  PrepareUpstreamHeader(x, req.base());
  req.erase(http::field::transfer_encoding);
  beast::error_code ec;
  req.body().open(spool.body_path().c_str(), beast::file_mode::scan, ec);
  if (ec) co_return co_await SendText(x, http::status::internal_server_error,
                                      "akgate-gateway: cannot reopen the spooled push: " + ec.message(), false);
  req.content_length(spool.body_bytes());  // the exact body, with a known length
  up->ArmTimer(x.upstream_idle(), x.deadline);
  co_await http::async_write(*up, req, Await(ec));
  if (ec) co_return co_await SendBadGateway(x, "cannot send the push (" + ec.message() + ")");
  beast::flat_buffer up_buf;
  co_return co_await RelayResponse(x, *up, up_buf, notes);
}

// Asks the upstream whether the pusher's credentials may push here; when
// they may not, answers as the upstream did (its status and challenge) and
// returns false. The body is then only drained a little, never stored.
// *push_options: whether the upstream advertised push options.
net::awaitable<bool> CredentialsAccepted(Exchange& x, bool* push_options) {
  CredentialCheck cred = co_await CheckPusherCredentials(x);
  *push_options = cred.push_options;
  if (cred.status == 0) {
    co_await SendBadGateway(x, cred.error);
    co_return false;
  }
  if (cred.status == 200) co_return true;
  if (x.gw.config.identity.gateway_held()) {
    // The gateway's own credential was refused: the developer can do
    // nothing about it (a challenge would only make git ask them again).
    spdlog::error("held_credential_refused id={} route={} upstream_status={}", x.id, x.route.prefix, cred.status);
    co_await SendBadGateway(x, "it refused the gateway's credential for this route (HTTP " +
                                   std::to_string(cred.status) + "); tell the gateway's administrators");
    co_return false;
  }
  x.gw.metrics.pushes_unauthorized++;
  x.note = "refused before inspection: the upstream answered " + std::to_string(cred.status) +
           " to the pusher's credentials";
  spdlog::info("push_unauthorized id={} route={} upstream_status={}", x.id, x.route.prefix, cred.status);
  unsigned status = cred.status >= 400 && cred.status < 500 ? cred.status : 502;
  http::response<http::string_body> res{static_cast<http::status>(status), x.parser.get().version()};
  res.set(http::field::server, "akgate-gateway");
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  if (!cred.www_authenticate.empty()) res.set(http::field::www_authenticate, cred.www_authenticate);
  res.body() = "akgate-gateway: the upstream refused these credentials for a push (HTTP " +
               std::to_string(cred.status) + ")\n";
  res.keep_alive(false);
  res.prepare_payload();
  x.status = status;
  beast::error_code ec;
  x.client.ArmTimer(x.idle(), x.deadline);
  co_await http::async_write(x.client, res, Await(ec));
  // A little of a body already on its way is read and dropped, so the
  // client reads the answer rather than a reset connection.
  if (!ec) co_await DrainBody(x, kLingerBytes);
  co_return false;
}

}  // namespace

net::awaitable<bool> HandlePush(Exchange& x) {
  GatewayContext& gw = x.gw;
  gw.metrics.requests_push++;
  const Config& cfg = gw.config;
  ReceivePackRequest none;

  // 1. A slot and a spool.
  PushSlot slot(gw);
  if (!slot.acquired()) {
    gw.metrics.pushes_refused++;
    x.note = "busy";
    http::response<http::string_body> res{http::status::service_unavailable, x.parser.get().version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::retry_after, "10");
    res.body() = "akgate-gateway: too many pushes in progress (limits.max_concurrent_pushes = " +
                 std::to_string(cfg.max_concurrent_pushes) + "); try again shortly\n";
    res.keep_alive(false);
    res.prepare_payload();
    x.status = 503;
    beast::error_code ec;
    x.client.ArmTimer(x.idle(), x.deadline);
    co_await http::async_write(x.client, res, Await(ec));
    co_return false;
  }
  auto content_length = x.parser.content_length();
  if (content_length && *content_length > cfg.max_push_bytes) {
    co_return co_await Refuse(x, none, false, http::status::payload_too_large, "ok",
                              "the push is " + MiB(*content_length) + ", more than this gateway accepts (" +
                                  MiB(cfg.max_push_bytes) + ", limits.max_push_bytes)");
  }
  // Credentials before work: the upstream judges the pusher's own
  // credentials before anything is spooled, indexed or scanned.
  bool push_options_accepted = false;
  if (!co_await CredentialsAccepted(x, &push_options_accepted)) co_return false;

  std::unique_ptr<BodyDecoder> decoder;
  DecodeLimits decode_limits;
  decode_limits.max_decoded = cfg.max_push_bytes;
  decode_limits.max_ratio = cfg.max_decompression_ratio;
  if (Status s = BodyDecoder::Create(SV(x.parser.get()[http::field::content_encoding]), &decoder, decode_limits);
      !s.ok())
    co_return co_await Refuse(x, none, false, http::status::unsupported_media_type, "ok", s.message());
  std::unique_ptr<PushSpool> spool;
  if (Status s = PushSpool::Create(cfg.temp_dir, &spool); !s.ok()) {
    spdlog::error("spool_failed id={} error=\"{}\"", x.id, s.message());
    co_return co_await SendText(x, http::status::service_unavailable,
                                "akgate-gateway: cannot store the push for inspection (see the gateway's log)", false);
  }
  if (beast::error_code ec = co_await AnswerExpectContinue(x); ec) co_return false;

  // 2. The body streams in.
  PushSpool* sp = spool.get();
  ReceivePackParser parser([sp](std::string_view pack) { return sp->AppendPack(pack); });
  Status parse_status;
  bool too_large = false;
  auto scan_started = Clock::now();
  std::unique_ptr<char[]> buf(new char[kReadChunk]);
  while (!x.parser.is_done() && !too_large && parse_status.ok()) {
    x.parser.get().body().data = buf.get();
    x.parser.get().body().size = kReadChunk;
    beast::error_code ec;
    x.client.ArmTimer(x.idle(), x.deadline);
    co_await http::async_read(x.client, x.client_buffer, x.parser, Await(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      x.note = "client stopped sending: " + ec.message();
      gw.metrics.bytes_from_clients += x.bytes_in;
      co_return false;  // the spool goes with this frame
    }
    size_t n = kReadChunk - x.parser.get().body().size;
    x.bytes_in += n;
    gw.metrics.bytes_from_clients += n;
    if (x.bytes_in > cfg.max_push_bytes) {
      too_large = true;
      break;
    }
    std::string_view chunk(buf.get(), n);
    parse_status = spool->AppendBody(chunk);
    if (parse_status.ok())
      parse_status = decoder->Decode(chunk, [&parser](std::string_view d) { return parser.Feed(d); });
  }
  if (x.parser.is_done() && parse_status.ok()) {
    parse_status = decoder->Finish();
    if (parse_status.ok()) parse_status = parser.Finish();
  }
  const ReceivePackRequest& request = parser.request();
  if (decoder->limit_exceeded()) {
    // Not a git client (git never compresses a push): a plain 413 says it.
    gw.metrics.pushes_refused++;
    x.note = "refused: " + parse_status.message();
    spdlog::warn("push_refused id={} reason=\"{}\" received={} decoded={}", x.id, parse_status.message(), x.bytes_in,
                 decoder->decoded_bytes());
    if (!co_await DrainBody(x, cfg.max_push_bytes)) co_return false;
    co_return co_await SendText(x, http::status::payload_too_large, "akgate-gateway: " + parse_status.message(),
                                false);
  }
  if (too_large || !parse_status.ok()) {
    std::string message;
    if (too_large)
      message = "the push is larger than this gateway accepts (" + MiB(cfg.max_push_bytes) + ", limits.max_push_bytes)";
    else
      message = "malformed push request: " + parse_status.message();
    bool pack_error = !too_large && parser.commands_complete() && request.has_pack;
    if (!co_await DrainBody(x, cfg.max_push_bytes)) {
      x.note = message;
      gw.metrics.pushes_refused++;
      co_return false;
    }
    // Named values, not conditionals, inside co_await: GCC 12 can destroy a
    // conditional's temporary twice in a coroutine.
    http::status fallback = http::status::bad_request;
    if (too_large) fallback = http::status::payload_too_large;
    std::string unpack_status = "ok";
    if (pack_error) unpack_status = parse_status.message();
    co_return co_await Refuse(x, request, parser.commands_complete(), fallback, unpack_status, message);
  }

  // 3. Index and inspect.
  if (request.commands.empty()) {
    // The probe ("0000") or an empty command list: nothing to inspect, and
    // the upstream must answer it (authentication comes back this way).
    co_return co_await Forward(x, *spool);
  }
  // The push's time budget starts now: waiting for a scan thread and
  // indexing count against it, and at its deadline the indexing stops.
  InspectInput input;
  input.started = Clock::now();
  const Clock::time_point check_deadline = gw.gate.CheckDeadline(x.route.prefix, input.started);
  spdlog::info("push_received id={} refs={} bytes_in={} budget_ms={}", x.id, request.commands.size(), x.bytes_in,
               std::chrono::duration_cast<std::chrono::milliseconds>(check_deadline - input.started).count());
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  net::steady_timer budget(co_await net::this_coro::executor);
  budget.expires_at(check_deadline);
  budget.async_wait([cancel](beast::error_code ec) {
    if (!ec) cancel->store(true);
  });
  ScanSlot scan_slot(gw.scan_slots);
  if (!co_await scan_slot.Acquire(check_deadline)) {
    input.timed_out = true;
  } else {
    // A pointer, not the shared_ptr: a captured shared_ptr was released
    // twice (RunOnWorkers), which corrupted the heap under load.
    const std::atomic<bool>* cancelled = cancel.get();
    Status committed = co_await RunOnWorkers(gw.workers, [sp, cancelled]() -> Status {
      try {
        return sp->CommitPack(cancelled);
      } catch (const std::exception& e) {
        return Status::Internal(e.what());
      }
    });
    if (!committed.ok() && cancel->load()) {
      input.timed_out = true;
    } else if (!committed.ok()) {
      co_return co_await Refuse(x, request, true, http::status::bad_request, committed.message(),
                                committed.message() + " (the gateway needs a self-contained pack; thin packs "
                                                      "are refused)");
    }
  }
  auto queue_ms = std::chrono::duration<double, std::milli>(scan_slot.waited()).count();
  if (spool->has_pack()) input.objects_dir = spool->objects_dir();
  input.commands = request.commands;
  input.push_options = request.push_options;
  input.push_options_accepted = push_options_accepted;
  input.repo = x.path.substr(0, x.path.size() - std::string_view("/git-receive-pack").size());
  input.route = x.route.prefix;
  input.upstream = x.route.upstream;
  // The pusher's name only from a source the operator trusts (identity.h):
  // in gateway-held mode whoever signed in; otherwise the Basic user name is
  // whatever the client typed and is only logged.
  Identity who;
  if (cfg.identity.gateway_held()) {
    who.name = x.user;
    who.source = x.user_source;
  } else {
    std::optional<std::string_view> identity_header;
    if (!cfg.identity.header.empty()) {
      auto it = x.parser.get().find(cfg.identity.header);
      if (it != x.parser.get().end()) identity_header = SV(it->value());
    }
    who = ResolvePusher(cfg.identity, x.client_address, identity_header, x.client_certificate_name);
  }
  input.pusher = who.name;
  std::string claimed = BasicAuthUser(SV(x.parser.get()[http::field::authorization]));
  input.client_address = x.client_address;
  std::unique_ptr<UpstreamFetcher> fetcher;
  if (cfg.fetch_previous && spool->has_pack()) fetcher = std::make_unique<UpstreamFetcher>(x, spool->dir());
  input.fetcher = fetcher.get();
  GateAdapter* gate = &gw.gate;
  PushVerdict verdict = co_await RunOnWorkers(gw.workers, [gate, &input]() -> PushVerdict {
    try {
      PushVerdict v = gate->Inspect(input);
      // An inspection allocates and frees tens of MB on this worker's malloc
      // arena (trees, blobs, the object cache); glibc keeps freed memory
      // for reuse unless told otherwise, so a gateway idle after a large
      // push would hold on to it. Give it back.
      malloc_trim(0);
      return v;
    } catch (const std::exception& e) {
      PushVerdict v;
      v.decision = PushVerdict::Decision::kError;
      v.ref_reason = "akgate could not inspect the push";
      v.report = std::string("akgate-gateway: internal error while inspecting the push: ") + e.what() + "\n";
      return v;
    }
  });
  scan_slot.Release();
  budget.cancel();
  auto scan_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - scan_started).count();
  gw.metrics.scan_microseconds += static_cast<uint64_t>(scan_us);
  gw.metrics.pushes_scanned++;
  std::string identity_note = IdentityNote(who, request.push_options);
  if (!identity_note.empty()) {
    spdlog::warn("pusher_unverified id={} claimed_user={} problem=\"{}\"", x.id, claimed, who.problem);
    verdict.report = identity_note + verdict.report;
  }
  spdlog::info("push id={} repo={} pusher={} pusher_source={} claimed_user={} refs={} pack_bytes={} objects={} commits={} blobs={} findings={} "
               "decision={} cause={} queue_ms={:.1f} scan_ms={:.1f}",
               x.id, input.repo, input.pusher.empty() ? "-" : input.pusher, who.source.empty() ? "none" : who.source,
               claimed.empty() ? "-" : claimed, request.commands.size(),
               request.pack_bytes, spool->pack_objects(), verdict.commits, verdict.blobs, verdict.findings,
               verdict.decision_name, verdict.cause, queue_ms, scan_us / 1000.0);

  // 4. Forward, or answer for the upstream.
  if (verdict.forwards()) {
    if (verdict.decision == PushVerdict::Decision::kBypass) {
      gw.metrics.pushes_bypassed++;
      x.note = "bypassed";
    }
    std::string notes;
    if (request.HasCapability("side-band-64k")) notes = SidebandMessages(verdict.report);
    co_return co_await Forward(x, *spool, notes);
  }
  gw.metrics.pushes_blocked++;
  x.note = "blocked";
  if (verdict.decision == PushVerdict::Decision::kError) x.note = "inspection failed (fail closed)";
  Rejection r;
  r.reason = verdict.ref_reason;
  r.human_report = verdict.report;
  co_return co_await SendReport(x, request, r);
}

}  // namespace akgate::gateway
