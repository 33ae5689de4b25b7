// Command notifications: run an admin-configured program with the JSON event
// on its standard input ([notify] command in the policy).
//
// Bounded in time: the program gets until the deadline to read its input and
// exit, then its whole process group is killed. Its output goes to
// /dev/null (the hook's own output is the pusher's terminal). A failure is
// returned for the log; it never changes a push decision.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct CommandRequest {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
  std::string input;              // written to its stdin, then closed
  std::chrono::steady_clock::time_point deadline;
};

// Ok when the program exits 0 before the deadline.
Status RunNotifyCommand(const CommandRequest& request);

}  // namespace akgate
