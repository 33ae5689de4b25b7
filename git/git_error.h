// libgit2 errors as Status values: every failed libgit2 call in the git layer
// goes through GitStatus, so messages read "<what we tried>: <libgit2's reason>".
#pragma once

#include <git2/errors.h>

#include <string>

#include "engine/status.h"

namespace akgate {

// `what` says what was being done ("reading commit 1a2b3c4"); libgit2's last
// error message (if any) is appended. `rc`, the failed call's return code
// when the caller has it, makes a missing object kNotFound (a partial clone,
// an object the upstream has); otherwise libgit2's error class picks the code.
inline Status GitStatus(const std::string& what, int rc = 0) {
  const git_error* e = git_error_last();
  std::string reason = e && e->message ? e->message : "unknown libgit2 error";
  StatusCode code = StatusCode::kInternal;
  if (rc == GIT_ENOTFOUND) {
    code = StatusCode::kNotFound;
  } else if (e) {
    switch (e->klass) {
      case GIT_ERROR_NOMEMORY:
        code = StatusCode::kResourceExhausted;
        break;
      case GIT_ERROR_OS:
        code = StatusCode::kIoError;
        break;
      case GIT_ERROR_ZLIB:
      case GIT_ERROR_OBJECT:
      case GIT_ERROR_INDEXER:
        code = StatusCode::kCorrupt;
        break;
      default:
        break;
    }
  }
  return Status::Error(code, what + ": " + reason);
}

}  // namespace akgate
