#include "notify/notifier.h"

#include <algorithm>
#include <thread>

#include "notify/command.h"
#include "notify/webhook.h"

namespace akgate {

namespace {

std::chrono::steady_clock::time_point Bound(double seconds, std::chrono::steady_clock::time_point deadline) {
  auto own = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  return std::min(own, deadline);
}

}  // namespace

std::vector<std::string> SendNotifications(const NotifyTargets& t, const std::string& event_json,
                                           std::chrono::steady_clock::time_point deadline) {
  Status web, cmd;
  std::thread command_thread;
  if (!t.command.empty()) {
    CommandRequest r{t.command, event_json, Bound(t.command_timeout, deadline)};
    command_thread = std::thread([r, &cmd] { cmd = RunNotifyCommand(r); });
  }
  if (!t.webhook_url.empty()) {
    WebhookRequest r{t.webhook_url, event_json, t.webhook_ca_file, Bound(t.webhook_timeout, deadline)};
    web = PostWebhook(r);
  }
  if (command_thread.joinable()) command_thread.join();
  std::vector<std::string> failures;
  if (!web.ok()) failures.push_back(web.message());
  if (!cmd.ok()) failures.push_back(cmd.message());
  return failures;
}

}  // namespace akgate
