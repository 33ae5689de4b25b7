// What a request asks for, decided on the decoded path, never the raw one.
//
// The upstream's web server percent-decodes the path before it runs git
// (`/app.git/git-receive-%70ack` is a push to git-http-backend). So the
// gateway decodes the target exactly once, refuses anything that a second
// decoding or a normalising server could read differently, routes on what is
// left, and sends the upstream that same canonical form:
//
//   RequestTarget t;
//   Status s = ParseRequestTarget("/h/app.git/git-receive%2Dpack", &t);
//   // s.ok(); t.path == "/h/app.git/git-receive-pack"; t.kind == kReceivePack
//   ParseRequestTarget("/h/app.git/git-receive%252Dpack", &t);
//   // refused: "%" left after decoding (double encoding)
//
// Refused (the Status names what was wrong): a path that is not absolute;
// a malformed escape; "%" left after decoding; an encoded or raw NUL, control
// character or backslash; `//`; `;` (path parameters); `.` or `..` segments;
// a trailing slash or other case after a git service name
// (`git-receive-pack/`, `GIT-Receive-Pack`, `info/REFS`); a query with
// `service` given twice, or a service name in any case but git's.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace akgate::gateway {

struct RequestTarget {
  enum class Kind {
    kOther,                     // fetch, clone and anything else: relayed as a stream
    kReceivePack,               // .../git-receive-pack: a push, inspected
    kReceivePackAdvertisement,  // .../info/refs?service=git-receive-pack
  };
  std::string path;     // decoded, checked ("/h/app.git/git-receive-pack")
  std::string service;  // decoded `service=` value, "" when absent
  std::string query;    // the query re-encoded from its decoded parameters ("" when none)
  Kind kind = Kind::kOther;
};

// Splits `target` (origin form, as on the request line) into path and query,
// decodes both once and checks them.
Status ParseRequestTarget(std::string_view target, RequestTarget* out);

// Percent-decodes `in` once. '+' stays '+' unless `plus_is_space` (query
// parameters, as git-http-backend reads them). Fails on a malformed escape.
Status PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

// Percent-encodes what an upstream must not read as syntax: everything but
// RFC 3986 unreserved characters, sub-delims other than ';', '+', '&' and
// '=', ':' and '@' (and '/' when `keep_slash`).
std::string PercentEncode(std::string_view decoded, bool keep_slash);

}  // namespace akgate::gateway
