// Starting the detached drainer after a push: a process that outlives the
// hook and holds nothing of it.
//
// git receive-pack waits until every process holding the hook's standard
// output or error has closed it: a drainer that kept them would hold the
// push open for as long as it runs. So: fork, setsid (its own session, no
// controlling terminal, out of the hook's process group), fork again (the
// session leader exits: the drainer can never reacquire a terminal, and is
// reparented to init, so no zombie is left to the hook), standard streams
// on /dev/null, every other descriptor closed, working directory /, then
// exec. The hook waits only for the first child, which exits at once.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

// Runs argv (argv[0] an absolute path) detached as above; returns once the
// intermediate child has exited (milliseconds).
Status SpawnDetached(const std::vector<std::string>& argv);

// The akgate program to run for `akgate outbox flush`: this program when it
// is akgate, else `akgate` next to it (the gateway's akgate-gateway).
std::string AkgateProgram();

}  // namespace akgate
