// `akgate outbox status` and `akgate outbox flush`: the notification outbox
// (outbox/outbox.h, docs/notifications.md) seen and drained from the
// command line, by an administrator or a systemd timer; `flush --detached`
// is the drainer a push starts when something is left to retry.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace akgate {

class OutboxCommand {
 public:
  explicit OutboxCommand(CLI::App* app);
  bool selected() const;
  int Run();

 private:
  int Status();
  int Flush();
  CLI::App* cmd_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* flush_ = nullptr;
  std::string policy_, outbox_, format_ = "text";
  bool now_ = false, wait_ = false, detached_ = false;
  double timeout_ = 300, follow_ = 0;
  size_t list_ = 20;
};

}  // namespace akgate
