// git's C-style path quoting, undone.
//
// git quotes a path it puts into an environment variable or a protocol line
// when the path contains the list separator ':' or starts with '"':
// `"/srv/git/a\"b:c.git/objects"` (see git's quote_c_style). The quoting uses
// C escapes (\" \\ \a \b \f \n \r \t \v) and three-digit octal bytes (\303).
// libgit2's GIT_REPOSITORY_OPEN_FROM_ENV splits on ':' without undoing it,
// which is why the git layer reads these variables itself.
#pragma once

#include <string>
#include <string_view>

namespace akgate {

// If `in` is a complete C-quoted string ("..."), stores the unquoted bytes in
// *out and returns true. Returns false (and leaves *out alone) when `in` is
// not quoted or the quoting is malformed.
bool UnquoteCStyle(std::string_view in, std::string* out);

// A path from git's environment: unquoted when quoted, else as given.
std::string PathFromGitEnv(std::string_view value);

}  // namespace akgate
