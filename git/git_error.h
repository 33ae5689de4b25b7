// libgit2 errors as Status values: every failed libgit2 call in the git layer
// goes through GitStatus, so messages read "<what we tried>: <libgit2's reason>".
#pragma once

#include <git2/errors.h>

#include <string>

#include "engine/status.h"

namespace akgate {

// `what` says what was being done ("reading commit 1a2b3c4"); libgit2's last
// error message (if any) is appended.
inline Status GitStatus(const std::string& what) {
  const git_error* e = git_error_last();
  std::string reason = e && e->message ? e->message : "unknown libgit2 error";
  return Status::Error(what + ": " + reason);
}

}  // namespace akgate
