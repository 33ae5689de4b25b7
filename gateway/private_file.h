// Reading a file that holds credentials or decides who may push (the users
// file, a route's upstream credential): refused when its permissions let
// other users read or change it, as ssh refuses a private key others can read.
#pragma once

#include <sys/types.h>

#include <string>

#include "engine/status.h"

namespace akgate::gateway {

// Reads the regular file `path` (at most `max_bytes`) into *out. Fails when it
// cannot be read, is not a regular file, is larger, or has any of the
// permission bits `forbidden` (e.g. S_IWGRP | S_IWOTH: writable by group or
// others). The mode is checked on the descriptor read, so the file cannot be
// swapped between the check and the read. `what` names the file in errors
// ("users file", "upstream credential file").
Status ReadPrivateFile(const std::string& path, mode_t forbidden, const std::string& what, size_t max_bytes,
                       std::string* out);

}  // namespace akgate::gateway
