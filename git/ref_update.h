// The ref updates of one push: what git's pre-receive hook reads on stdin
// (and what a gateway reads from the push's command list).
//
//   <old-oid> SP <new-oid> SP <refname> LF      one line per ref
//
// Old is all zeros when the ref is created, new is all zeros when it is
// deleted. Object ids are 40 hex digits (SHA-1); SHA-256 repositories (64)
// are recognised and refused with a clear message, as libgit2 1.5 cannot
// read them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct RefUpdate {
  std::string old_id;  // 40 lowercase hex digits
  std::string new_id;
  std::string ref;  // "refs/heads/main"

  bool is_create() const;
  bool is_delete() const;
  bool is_tag() const { return ref.rfind("refs/tags/", 0) == 0; }
};

bool IsZeroId(std::string_view hex);

// Parses one line (without its LF). `line_no` (1-based) is used in messages.
Status ParseRefUpdateLine(std::string_view line, size_t line_no, RefUpdate* out);

// Parses everything git wrote on stdin. Blank lines are ignored; any other
// malformed line fails the whole input, naming the line and what was wrong.
// At most `max_refs` lines are accepted (a runaway input is an error, not a hang).
Status ParseRefUpdates(std::string_view input, std::vector<RefUpdate>* out, size_t max_refs = 1000000);

// A ref name shown in a message: at most 200 bytes, control bytes escaped.
std::string Printable(std::string_view s, size_t max = 200);

}  // namespace akgate
