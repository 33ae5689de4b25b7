// One HTTPS request with a hard deadline: the transport of the identity
// calls. https:// only (the request carries a signature and, for a temporary
// credential, its session token); the peer's certificate is verified against
// the system CAs and an optional extra CA file, its name checked, SNI sent.
//
// Every network step shares one deadline, and the request runs on a thread
// of its own that the caller stops waiting for at the deadline (a DNS lookup
// cannot be cancelled; a late one is left behind with its own copy of the
// request, which holds signed headers, never a secret).
//
// notify/webhook.cc has a POST-only client built the same way; the two
// should become one (a general client in a shared place).
#pragma once

#include <chrono>
#include <string>

#include "engine/status.h"
#include "verify/signing.h"

namespace akgate::verify {

struct HttpsRequest {
  std::string method = "POST";
  std::string host;  // to connect to and to check the certificate against
  std::string port = "443";
  std::string target = "/";  // path and query, as sent
  Headers headers;           // Host among them, as signed
  std::string body;
  std::string ca_file;  // extra CA bundle ("" = the system's only)
  std::chrono::steady_clock::time_point deadline;
};

struct HttpsResponse {
  unsigned status = 0;
  std::string body;  // at most 256 KiB; an answer longer is an error
};

// Ok with the answer, whatever its HTTP status; DeadlineExceeded when the
// deadline passed first; Unavailable for the network, TLS and protocol
// failures (a certificate that does not verify among them).
Status SendHttps(const HttpsRequest& request, HttpsResponse* response);

// "https://host[:port]" (an endpoint override) -> host and port; a path,
// user info, or another scheme is refused.
Status ParseEndpoint(const std::string& endpoint, std::string* host, std::string* port);

}  // namespace akgate::verify
