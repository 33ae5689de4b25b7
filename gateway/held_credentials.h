// What a gateway in gateway-held mode holds (docs/gateway.md, Identity):
// the users file (who may sign in to the gateway) and, per route, the
// upstream write credential the gateway pushes and fetches with.
//
// A route's credential file holds one line, `user:token` (HTTP Basic; for
// GitHub or GitLab a bot account or deploy token, e.g.
// "x-access-token:ghp_..."), comments (#) and blank lines aside. It must be
// readable by the gateway's user alone: mode 0600 or 0400 (under systemd,
// LoadCredential= gives such a file). The users file holds hashes only and
// may be world-readable, never writable by group or others.
#pragma once

#include <string>

#include "engine/status.h"
#include "gateway/config.h"

namespace akgate::gateway {

// Loads config->identity.users and every route's upstream_authorization.
// Errors name the file (and line); a credential's text is never in them.
Status LoadHeldCredentials(Config* config);

// "Basic ..." from a route's credential file's contents (`origin` names it
// in errors).
Status ParseUpstreamCredential(const std::string& text, const std::string& origin, std::string* authorization);

}  // namespace akgate::gateway
