// Reading loose objects, checked, as a libgit2 object-database backend.
//
// libgit2 1.5 reads a loose object whose header declares more bytes than it
// holds as the bytes it holds padded with NULs (the scanner then saw a
// "binary" file and skipped it), and trusts the header's size for
// git_odb_read_header; the hook turns libgit2's hash verification off for
// speed. Loose objects are few in a push (git unpacks a push of fewer than
// receive.unpackLimit objects, 100 by default, as loose objects), so this
// backend, ahead of libgit2's own loose backend, reads each one in full and
// checks it: a known type, exactly the declared size, nothing after the zlib
// stream, and a SHA-1 equal to the object's name. An object that fails is an
// error naming the object and what is wrong (the push gets on_error); such an
// object can only come from corruption on disk, as git checked it on arrival.
#pragma once

#include <git2/odb.h>

#include <string>

#include "engine/status.h"

namespace akgate {

// Puts a checked reader of `objects_dir`'s loose objects in front of `odb`'s
// own loose backends (the odb owns it).
Status AddLooseReaderBackend(git_odb* odb, const std::string& objects_dir);

}  // namespace akgate
