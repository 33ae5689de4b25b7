// Audit log, webhook and notification command: bounded, and failures are
// values, never exceptions or hangs.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "git_fixture.h"
#include "notify/audit_log.h"
#include "notify/command.h"
#include "notify/deliver.h"
#include "notify/notifier.h"
#include "notify/webhook.h"
#include "outbox/drain.h"
#include "outbox/outbox.h"

using namespace akgate;
using namespace akgate::testing;
using Clock = std::chrono::steady_clock;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A loopback TCP listener that accepts connections (kernel backlog) but
// never answers: the worst kind of webhook receiver.
struct SilentListener {
  int fd = -1;
  int port = 0;
  SilentListener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(fd, 8) == 0);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~SilentListener() { close(fd); }
};

// A free loopback port with nothing listening.
int ClosedPort() {
  SilentListener l;
  return l.port;  // closed when l goes away
}

// A one-shot HTTP server answering `status` and keeping the request.
struct OneShotServer {
  SilentListener l;
  std::string request;
  std::thread t;
  explicit OneShotServer(int status) {
    t = std::thread([this, status] {
      int c = accept(l.fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[65536];
      for (;;) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, n);
        size_t end = request.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        size_t cl = request.find("Content-Length: ");
        size_t len = cl == std::string::npos ? 0 : std::stoul(request.substr(cl + 16));
        if (request.size() >= end + 4 + len) break;
      }
      std::string resp = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!write(c, resp.data(), resp.size());
      close(c);
    });
  }
  ~OneShotServer() { t.join(); }
};

}  // namespace

TEST_CASE("webhook URLs") {
  WebhookUrl u;
  REQUIRE(ParseWebhookUrl("https://hooks.example.com/a/b?token=x", &u).ok());
  CHECK(u.tls);
  CHECK(u.host == "hooks.example.com");
  CHECK(u.port == "443");
  CHECK(u.target == "/a/b?token=x");
  REQUIRE(ParseWebhookUrl("http://127.0.0.1:8080", &u).ok());
  CHECK(u.port == "8080");
  CHECK(u.target == "/");
  REQUIRE(ParseWebhookUrl("http://[::1]:9/x", &u).ok());
  CHECK(u.host == "::1");
  CHECK_FALSE(ParseWebhookUrl("ftp://x", &u).ok());
  CHECK_FALSE(ParseWebhookUrl("http://user:pw@x/", &u).ok());
  CHECK_FALSE(ParseWebhookUrl("http://x:port/", &u).ok());
  CHECK_FALSE(ParseWebhookUrl("http:///path", &u).ok());
}

TEST_CASE("webhook: delivered, refused, rejected, and never past its deadline") {
  {
    OneShotServer server(204);
    WebhookRequest r{"http://127.0.0.1:" + std::to_string(server.l.port) + "/hook", "{\"event\":\"block\"}", "",
                     Clock::now() + std::chrono::seconds(5)};
    Status s = PostWebhook(r);
    CHECK_MESSAGE(s.ok(), s.message());
    server.t.join();
    server.t = std::thread([] {});
    CHECK(server.request.rfind("POST /hook HTTP/1.1\r\n", 0) == 0);
    CHECK(server.request.find("Content-Type: application/json") != std::string::npos);
    CHECK(server.request.find("{\"event\":\"block\"}") != std::string::npos);
  }
  {
    OneShotServer server(500);
    WebhookRequest r{"http://127.0.0.1:" + std::to_string(server.l.port) + "/", "{}", "",
                     Clock::now() + std::chrono::seconds(5)};
    Status s = PostWebhook(r);
    CHECK(s.message().find("HTTP 500") != std::string::npos);
  }
  {
    WebhookRequest r{"http://127.0.0.1:" + std::to_string(ClosedPort()) + "/", "{}", "",
                     Clock::now() + std::chrono::seconds(5)};
    Status s = PostWebhook(r);
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("cannot connect") != std::string::npos);
  }
  {
    SilentListener silent;
    auto start = Clock::now();
    WebhookRequest r{"http://127.0.0.1:" + std::to_string(silent.port) + "/", "{}", "",
                     start + std::chrono::milliseconds(300)};
    Status s = PostWebhook(r);
    auto took = Clock::now() - start;
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("timed out") != std::string::npos);
    CHECK(took < std::chrono::milliseconds(3000));
  }
  {
    SilentListener silent;  // TLS handshake against a silent peer: bounded too
    auto start = Clock::now();
    WebhookRequest r{"https://127.0.0.1:" + std::to_string(silent.port) + "/", "{}", "",
                     start + std::chrono::milliseconds(300)};
    CHECK_FALSE(PostWebhook(r).ok());
    CHECK(Clock::now() - start < std::chrono::milliseconds(3000));
  }
}

TEST_CASE("notification command: gets the JSON on stdin, is bounded, failures are values") {
  TempDir d;
  std::string out = d.path() + "/got.json";
  CommandRequest ok{
      {"/bin/sh", "-c", "cat > '" + out + "'"}, "{\"event\":\"bypass\"}", Clock::now() + std::chrono::seconds(5)};
  Status s = RunNotifyCommand(ok);
  CHECK_MESSAGE(s.ok(), s.message());
  CHECK(Slurp(out) == "{\"event\":\"bypass\"}");

  CommandRequest fails{{"/bin/sh", "-c", "exit 3"}, "{}", Clock::now() + std::chrono::seconds(5)};
  CHECK(RunNotifyCommand(fails).message().find("exited 3") != std::string::npos);

  CommandRequest missing{{"/nonexistent/notify"}, "{}", Clock::now() + std::chrono::seconds(5)};
  CHECK(RunNotifyCommand(missing).message().find("cannot run") != std::string::npos);

  auto start = Clock::now();
  CommandRequest slow{{"/bin/sh", "-c", "sleep 10"}, std::string(1 << 20, 'x'), start + std::chrono::milliseconds(300)};
  Status t = RunNotifyCommand(slow);
  CHECK(t.message().find("timed out") != std::string::npos);
  CHECK(Clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("notifier: webhook and command together; failures listed") {
  TempDir d;
  NotifySettings s;
  s.outbox = "";  // one attempt each
  NotifyTarget web;
  web.name = "webhook";
  web.url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/";
  NotifyTarget cmd;
  cmd.name = "command";
  cmd.kind = TargetKind::kCommand;
  cmd.command = {"/bin/sh", "-c", "cat > '" + d.path() + "/n.json'"};
  s.targets = {web, cmd};
  nlohmann::json message = {{"a", 1}};
  NotifyResult r = Notify(s, "block", message, Clock::now() + std::chrono::seconds(5));
  CHECK(r.wanted == 2);
  CHECK(r.delivered == 1);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].find("webhook") != std::string::npos);
  CHECK(Slurp(d.path() + "/n.json") == "{\"a\":1}");
}

TEST_CASE("notifier: through the outbox, a failed delivery stays for a retry and is sent once the receiver is back") {
  TempDir d;
  NotifySettings s;
  s.outbox = d.path() + "/outbox.db";
  s.spawn_drainer = false;
  s.retry_base = 0.01;
  NotifyTarget cmd;
  cmd.name = "flaky";
  cmd.kind = TargetKind::kCommand;
  // Fails until the flag file exists.
  cmd.command = {"/bin/sh", "-c", "test -e '" + d.path() + "/up' && cat >> '" + d.path() + "/got'"};
  s.targets = {cmd};
  nlohmann::json message = {{"event", "block"}, {"event_id", "e1"}};
  NotifyResult r = Notify(s, "block", message, Clock::now() + std::chrono::seconds(5));
  CHECK(r.delivered == 0);
  CHECK(r.queued == 1);
  std::unique_ptr<Outbox> box;
  REQUIRE(Outbox::Open(s.outbox, &box).ok());
  std::vector<OutboxItem> pending;
  REQUIRE(box->List("pending", 10, &pending).ok());
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].id == "e1.flaky");
  CHECK(pending[0].last_error.find("exited 1") != std::string::npos);
  std::ofstream(d.path() + "/up") << "";
  REQUIRE(box->RetryNow(NowMillis()).ok());
  DrainOptions o;
  o.senders[kNotifyKind] = SendNotifyItem;
  o.deadline = Clock::now() + std::chrono::seconds(5);
  DrainResult dr;
  REQUIRE(DrainOutbox(*box, o, &dr).ok());
  CHECK(dr.delivered == 1);
  CHECK(nlohmann::json::parse(Slurp(d.path() + "/got"))["event_id"] == "e1");
}

TEST_CASE("audit log: one JSON line per record, appended") {
  TempDir d;
  std::string path = d.path() + "/sub/dir/audit.log";
  {
    std::unique_ptr<AuditLog> log;
    REQUIRE(AuditLog::Open(path, &log).ok());
    CHECK(log->Write({{"decision", "reject"}, {"n", 1}}).ok());
    CHECK(log->Write({{"decision", "accept"}, {"path", "bad\xff utf8"}}).ok());
  }
  std::unique_ptr<AuditLog> again;
  REQUIRE(AuditLog::Open(path, &again).ok());
  CHECK(again->Write({{"decision", "bypass"}}).ok());
  std::string text = Slurp(path);
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    nlohmann::json record;
    CHECK_NOTHROW(record = nlohmann::json::parse(line));
    CHECK(record.is_object());
    ++n;
  }
  CHECK(n == 3);

  std::unique_ptr<AuditLog> bad;
  CHECK_FALSE(AuditLog::Open("/proc/akgate-cannot-write/audit.log", &bad).ok());
}
