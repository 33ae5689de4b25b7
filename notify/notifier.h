// Notifications on block, on bypass and on an allowed finding: the policy's
// webhook and command, run at the same time, each bounded by its own timeout
// and by the caller's deadline (what is left of the hook's time budget).
// Failures come back as messages for the audit log; they never change the
// decision.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace akgate {

struct NotifyTargets {
  std::string webhook_url;
  double webhook_timeout = 3;  // seconds
  std::string webhook_ca_file;
  std::vector<std::string> command;
  double command_timeout = 5;  // seconds
  bool empty() const { return webhook_url.empty() && command.empty(); }
};

// Sends `event_json` to every target; returns one message per failure.
std::vector<std::string> SendNotifications(const NotifyTargets& targets, const std::string& event_json,
                                           std::chrono::steady_clock::time_point deadline);

}  // namespace akgate
