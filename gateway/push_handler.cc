// POST <repo>/git-receive-pack, in the order the push travels. HandlePush,
// at the end of this file, is the list of stages; each stage is a function
// of its own here:
//
//   Admit            a push slot (limits.max_concurrent_pushes), a declared
//                    length within limits.max_push_bytes, and the pusher's
//                    credentials accepted by the upstream (credential_check.h)
//                    before anything is spent on the push
//   ReceiveBody      the body streams in: every byte to the spool, the
//                    decoded bytes through the command parser, the pack into
//                    libgit2's indexer (push_intake.h)
//   CheckRequest     too large, compressed beyond bounds, or malformed: refused
//                    (a report-status naming every ref once they are known)
//   WaitForScanSlot  the push's time budget starts; one of scan_threads
//   IndexPack        deltas resolved on a worker thread (a thin pack fails closed)
//   Inspect          the gate, on a worker thread, by the same code as the hook
//   Answer           clean (or bypassed): the exact body goes upstream with a
//                    known Content-Length and the upstream's answer streams
//                    back; dirty: the upstream never sees it and the client
//                    gets a report-status (HTTP 200) with `ng` for every ref
//                    and the hook's report on band 2
//
// What a push holds (its slot, its spool, its scan thread, its budget) is
// released when HandlePush ends, however it ends. What the client is told
// (forwarded, or a refusal) is written by push_reply.cc.
#include "gateway/push_handler.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <type_traits>

#include "gateway/basic_auth.h"
#include "gateway/credential_check.h"
#include "gateway/identity.h"
#include "gateway/push_intake.h"
#include "gateway/push_reply.h"
#include "gateway/reply.h"
#include "gateway/report_status.h"
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
  PushSlot(const PushSlot&) = delete;
  PushSlot& operator=(const PushSlot&) = delete;
  bool acquired() const { return acquired_; }

 private:
  GatewayContext& gw_;
  bool acquired_ = false;
};

// One of the gateway's scan threads (scan_slots.h), held from Acquire to
// Release or the end of the push, whichever comes first.
class ScanSlot {
 public:
  explicit ScanSlot(ScanSlots& slots) : slots_(slots) {}
  ~ScanSlot() { Release(); }
  ScanSlot(const ScanSlot&) = delete;
  ScanSlot& operator=(const ScanSlot&) = delete;
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

// One push, from admission to the answer: what the stages hand on.
struct Push {
  explicit Push(Exchange& x_in) : x(x_in), cfg(x_in.gw.config), slot(x_in.gw), scan_slot(x_in.gw.scan_slots) {}

  Exchange& x;
  const Config& cfg;
  PushSlot slot;
  bool push_options_accepted = false;  // the upstream advertised push options
  Clock::time_point received_from;     // when the body began to arrive
  std::unique_ptr<PushIntake> intake;  // the spool, removed with it
  Status received;                     // what ReceiveBody made of the body
  // The time budget: waiting for a scan thread, indexing and inspecting
  // count against it, and at its deadline the indexing stops.
  InspectInput input;
  Clock::time_point check_deadline;
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<net::steady_timer> budget;
  ScanSlot scan_slot;
  std::unique_ptr<UpstreamFetcher> fetcher;  // uses the spool: goes before it
  Identity who;
  PushVerdict verdict;

  const ReceivePackRequest& request() const { return intake->request(); }
};

// What a stage did: the push goes on, or the client has had its answer
// (`keep`: whether the connection may serve another request).
struct Step {
  bool answered = false;
  bool keep = false;
};
constexpr Step kGoOn{};
Step Answered(bool keep) { return Step{true, keep}; }

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

// A push slot, a declared length within bounds, credentials the upstream
// accepts: nothing is spooled, indexed or scanned for a push refused here.
net::awaitable<Step> Admit(Push& p) {
  Exchange& x = p.x;
  if (!p.slot.acquired()) {
    bool keep = co_await RefuseBusy(x);
    co_return Answered(keep);
  }
  auto content_length = x.parser.content_length();
  if (content_length && *content_length > p.cfg.max_push_bytes) {
    ReceivePackRequest none;
    std::string message = "the push is " + MiB(*content_length) + ", more than this gateway accepts (" +
                          MiB(p.cfg.max_push_bytes) + ", limits.max_push_bytes)";
    bool keep = co_await Refuse(x, none, false, http::status::payload_too_large, "ok", message);
    co_return Answered(keep);
  }
  bool accepted = co_await CredentialsAccepted(x, &p.push_options_accepted);
  if (!accepted) co_return Answered(false);  // answered as the upstream did
  co_return kGoOn;
}

// The body, read as it arrives and handed to the intake piece by piece.
// p.received says what the intake made of it; the client is answered here
// only when no answer can follow (it stopped sending, the spool failed to
// open).
net::awaitable<Step> ReceiveBody(Push& p) {
  Exchange& x = p.x;
  PushIntake::Limits limits{p.cfg.max_push_bytes, p.cfg.max_decompression_ratio};
  Status created =
      PushIntake::Create(p.cfg.temp_dir, SV(x.parser.get()[http::field::content_encoding]), limits, &p.intake);
  if (!created.ok() && created.code() == StatusCode::kInvalidArgument) {
    ReceivePackRequest none;
    bool keep = co_await Refuse(x, none, false, http::status::unsupported_media_type, "ok", created.message());
    co_return Answered(keep);
  }
  if (!created.ok()) {
    bool keep = co_await RefuseUnstorable(x, created, false);
    co_return Answered(keep);
  }
  beast::error_code ec = co_await AnswerExpectContinue(x);
  if (ec) co_return Answered(false);

  p.received_from = Clock::now();
  std::unique_ptr<char[]> buf(new char[kReadChunk]);
  while (!x.parser.is_done() && p.received.ok()) {
    x.parser.get().body().data = buf.get();
    x.parser.get().body().size = kReadChunk;
    x.client.ArmTimer(x.idle(), x.deadline);
    co_await http::async_read(x.client, x.client_buffer, x.parser, Await(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      x.note = "client stopped sending: " + ec.message();
      co_return Answered(false);
    }
    size_t n = kReadChunk - x.parser.get().body().size;
    x.bytes_in += n;
    x.gw.metrics.bytes_from_clients += n;
    p.received = p.intake->Take(std::string_view(buf.get(), n));
  }
  if (p.received.ok()) p.received = p.intake->Finish();
  co_return kGoOn;
}

// What the body turned out to be: within bounds and well-formed, or refused.
net::awaitable<Step> CheckRequest(Push& p) {
  Exchange& x = p.x;
  const PushIntake& in = *p.intake;
  if (p.received.ok()) co_return kGoOn;
  if (in.spool_failed()) {
    bool keep = co_await RefuseUnstorable(x, p.received, true);
    co_return Answered(keep);
  }
  const std::string& why = p.received.message();
  if (in.decode_limit_exceeded()) {
    // Not a git client (git never compresses a push): a plain 413 says it.
    x.gw.metrics.pushes_refused++;
    x.note = "refused: " + why;
    spdlog::warn("push_refused id={} reason=\"{}\" received={} decoded={}", x.id, why, x.bytes_in, in.decoded_bytes());
    bool drained = co_await DrainBody(x, p.cfg.max_push_bytes);
    if (!drained) co_return Answered(false);
    bool keep = co_await SendText(x, http::status::payload_too_large, "akgate-gateway: " + why, false);
    co_return Answered(keep);
  }
  std::string message = in.too_large() ? why : "malformed push request: " + why;
  bool drained = co_await DrainBody(x, p.cfg.max_push_bytes);
  if (!drained) {
    x.note = message;
    x.gw.metrics.pushes_refused++;
    co_return Answered(false);
  }
  // Named values, not conditionals, inside co_await: GCC 12 can destroy a
  // conditional's temporary twice in a coroutine.
  http::status fallback = http::status::bad_request;
  if (in.too_large()) fallback = http::status::payload_too_large;
  std::string unpack_status = "ok";
  if (in.pack_error()) unpack_status = why;
  bool keep = co_await Refuse(x, in.request(), in.commands_complete(), fallback, unpack_status, message);
  co_return Answered(keep);
}

// The push's time budget starts now, and it waits for one of scan_threads
// until the budget's check deadline at most; when that comes first the push
// is decided as timed out without being read.
net::awaitable<void> WaitForScanSlot(Push& p) {
  Exchange& x = p.x;
  p.input.started = Clock::now();
  p.check_deadline = x.gw.gate.CheckDeadline(x.route.prefix, p.input.started);
  spdlog::info("push_received id={} refs={} bytes_in={} budget_ms={}", x.id, p.request().commands.size(), x.bytes_in,
               std::chrono::duration_cast<std::chrono::milliseconds>(p.check_deadline - p.input.started).count());
  p.budget = std::make_unique<net::steady_timer>(co_await net::this_coro::executor);
  p.budget->expires_at(p.check_deadline);
  p.budget->async_wait([cancel = p.cancel](beast::error_code ec) {
    if (!ec) cancel->store(true);
  });
  bool got = co_await p.scan_slot.Acquire(p.check_deadline);
  if (!got) p.input.timed_out = true;
}

// The pack's deltas resolved and its index written, on a worker thread. A
// thin pack is refused; the budget running out makes it a timeout.
net::awaitable<Step> IndexPack(Push& p) {
  if (p.input.timed_out) co_return kGoOn;
  PushSpool* spool = &p.intake->spool();
  // A pointer, not the shared_ptr: a captured shared_ptr was released
  // twice (RunOnWorkers), which corrupted the heap under load.
  const std::atomic<bool>* cancelled = p.cancel.get();
  Status committed = co_await RunOnWorkers(p.x.gw.workers, [spool, cancelled]() -> Status {
    try {
      return spool->CommitPack(cancelled);
    } catch (const std::exception& e) {
      return Status::Internal(e.what());
    }
  });
  if (committed.ok()) co_return kGoOn;
  if (p.cancel->load()) {
    p.input.timed_out = true;
    co_return kGoOn;
  }
  bool keep =
      co_await Refuse(p.x, p.request(), true, http::status::bad_request, committed.message(),
                      committed.message() + " (the gateway needs a self-contained pack; thin packs are refused)");
  co_return Answered(keep);
}

// Who pushes: the name only from a source the operator trusts (identity.h).
// In gateway-held mode whoever signed in; otherwise the Basic user name is
// whatever the client typed and is only logged.
Identity Pusher(const Exchange& x) {
  const IdentityConfig& ic = x.gw.config.identity;
  Identity who;
  if (ic.gateway_held()) {
    who.name = x.user;
    who.source = x.user_source;
    return who;
  }
  std::optional<std::string_view> identity_header;
  if (!ic.header.empty()) {
    auto it = x.parser.get().find(ic.header);
    if (it != x.parser.get().end()) identity_header = SV(it->value());
  }
  return ResolvePusher(ic, x.client_address, identity_header, x.client_certificate_name);
}

// The gate's question, asked on a worker thread: the push as an InspectInput.
net::awaitable<void> Inspect(Push& p) {
  Exchange& x = p.x;
  const ReceivePackRequest& request = p.request();
  PushSpool& spool = p.intake->spool();
  InspectInput& input = p.input;
  if (spool.has_pack()) input.objects_dir = spool.objects_dir();
  input.commands = request.commands;
  input.push_options = request.push_options;
  input.push_options_accepted = p.push_options_accepted;
  input.repo = x.path.substr(0, x.path.size() - std::string_view("/git-receive-pack").size());
  input.route = x.route.prefix;
  input.upstream = x.route.upstream;
  p.who = Pusher(x);
  input.pusher = p.who.name;
  input.client_address = x.client_address;
  if (p.cfg.fetch_previous && spool.has_pack()) p.fetcher = std::make_unique<UpstreamFetcher>(x, spool.dir());
  input.fetcher = p.fetcher.get();
  GateAdapter* gate = &x.gw.gate;
  p.verdict = co_await RunOnWorkers(x.gw.workers, [gate, &input]() -> PushVerdict {
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
  p.scan_slot.Release();
  p.budget->cancel();
}

// The push's log line and counters, once the gate has spoken.
void RecordVerdict(Push& p) {
  Exchange& x = p.x;
  const ReceivePackRequest& request = p.request();
  auto queue_ms = std::chrono::duration<double, std::milli>(p.scan_slot.waited()).count();
  auto scan_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - p.received_from).count();
  x.gw.metrics.scan_microseconds += static_cast<uint64_t>(scan_us);
  x.gw.metrics.pushes_scanned++;
  std::string claimed = BasicAuthUser(SV(x.parser.get()[http::field::authorization]));
  std::string identity_note = IdentityNote(p.who, request.push_options);
  if (!identity_note.empty()) {
    spdlog::warn("pusher_unverified id={} claimed_user={} problem=\"{}\"", x.id, claimed, p.who.problem);
    p.verdict.report = identity_note + p.verdict.report;
  }
  const PushVerdict& v = p.verdict;
  spdlog::info(
      "push id={} repo={} pusher={} pusher_source={} claimed_user={} refs={} pack_bytes={} objects={} "
      "commits={} blobs={} findings={} decision={} cause={} queue_ms={:.1f} scan_ms={:.1f}",
      x.id, p.input.repo, p.input.pusher.empty() ? "-" : p.input.pusher, p.who.source.empty() ? "none" : p.who.source,
      claimed.empty() ? "-" : claimed, request.commands.size(), request.pack_bytes, p.intake->spool().pack_objects(),
      v.commits, v.blobs, v.findings, v.decision_name, v.cause, queue_ms, scan_us / 1000.0);
}

// Forward, or answer for the upstream: `ng` for every ref and the report.
net::awaitable<bool> Answer(Push& p) {
  Exchange& x = p.x;
  const PushVerdict& v = p.verdict;
  if (v.forwards()) {
    if (v.decision == PushVerdict::Decision::kBypass) {
      x.gw.metrics.pushes_bypassed++;
      x.note = "bypassed";
    } else if (v.decision == PushVerdict::Decision::kMonitor) {
      x.gw.metrics.pushes_monitored++;
      x.note = "would have been blocked (monitor mode)";
    }
    std::string notes;
    if (p.request().HasCapability("side-band-64k")) notes = SidebandMessages(v.report);
    co_return co_await Forward(x, p.intake->spool(), notes);
  }
  x.gw.metrics.pushes_blocked++;
  x.note = "blocked";
  if (v.decision == PushVerdict::Decision::kError) x.note = "inspection failed (fail closed)";
  Rejection r;
  r.reason = v.ref_reason;
  r.human_report = v.report;
  co_return co_await SendReport(x, p.request(), r);
}

}  // namespace

net::awaitable<bool> HandlePush(Exchange& x) {
  x.gw.metrics.requests_push++;
  Push p(x);
  if (Step s = co_await Admit(p); s.answered) co_return s.keep;
  if (Step s = co_await ReceiveBody(p); s.answered) co_return s.keep;
  if (Step s = co_await CheckRequest(p); s.answered) co_return s.keep;
  // The probe ("0000") or an empty command list: nothing to inspect, and
  // the upstream must answer it (authentication comes back this way).
  if (p.request().commands.empty()) co_return co_await Forward(x, p.intake->spool());
  co_await WaitForScanSlot(p);
  if (Step s = co_await IndexPack(p); s.answered) co_return s.keep;
  co_await Inspect(p);
  RecordVerdict(p);
  co_return co_await Answer(p);
}

}  // namespace akgate::gateway
