// May these credentials push here? Asked of the upstream before the gateway
// spends anything on a push (credential_check.cc says how).
#pragma once

#include <string>

#include "gateway/exchange.h"

namespace akgate::gateway {

// What the upstream said to the pusher's credentials: `status` 0 when it
// could not be asked (`error` says why).
struct CredentialCheck {
  unsigned status = 0;
  std::string www_authenticate;  // the upstream's challenge, passed on with a 401
  std::string error;
  // The advertisement offers `push-options` (false when it could not be read:
  // the report then suggests no `git push -o`).
  bool push_options = false;
};

// Asks the route's upstream for the receive-pack advertisement with the
// client's Authorization (gateway-held: the route's): may these credentials
// push here, and does the upstream take push options? A refusal is read no
// further than its headers.
net::awaitable<CredentialCheck> CheckPusherCredentials(Exchange& x);

// The push's first question, asked and acted on: true when the upstream
// accepts the pusher's credentials (*push_options: whether it advertised
// push options). Otherwise the client has been answered as the upstream
// answered (its status and challenge; 502 when the upstream could not be
// asked or refused the gateway's own held credential), a little of the body
// read and dropped, never stored, and the connection is to be closed.
net::awaitable<bool> CredentialsAccepted(Exchange& x, bool* push_options);

}  // namespace akgate::gateway
