// Work on a few threads over one repository, each thread with its own
// Repository handle (libgit2 objects are not thread-safe). Used by the
// commit differ (stage 2) and the blob scanner (stage 3) of a push
// inspection; the work itself hands out its items (an atomic index).
#pragma once

#include <atomic>
#include <functional>

#include "engine/status.h"
#include "git/repository.h"

namespace akgate {

// How many threads to use for `items` items of work: `requested` when set,
// otherwise one per core, at most 4; one below `parallel_from` items (a
// thread and a handle cost more than they save on small pushes).
unsigned WorkerThreads(unsigned requested, size_t items, size_t parallel_from);

// Runs work(handle) on `threads` threads: the calling thread with `repo`,
// the others with handles from repo.Reopen (fewer threads when one cannot be
// opened). Returns the first error a call returned or threw; the work should
// stop early once another thread failed (it is told through `*failed`).
Status RunWithHandles(const Repository& repo, unsigned threads,
                      const std::function<Status(const Repository& handle, const std::atomic<bool>& failed)>& work);

}  // namespace akgate
