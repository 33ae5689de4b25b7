// POST <repo>/git-receive-pack: the push inspected before it may go upstream.
#pragma once

#include "gateway/exchange.h"

namespace akgate::gateway {

// Admits, receives, parses, indexes and inspects the push, then forwards
// the exact body upstream or answers with a report-status that refuses
// every ref (push_handler.cc lists the stages). Returns whether the client
// connection may be kept.
net::awaitable<bool> HandlePush(Exchange& x);

}  // namespace akgate::gateway
