// The developers of a gateway in gateway-held mode ([identity] users_file):
// who may use the gateway, each with a token only they know. One line each:
//
//   # comments and blank lines are ignored
//   alice:sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//
// The gateway stores the SHA-256 of each token, never the token. A token is
// 32 random bytes from the gateway (RAND_bytes), not a password a person
// chose: with 256 bits to guess, a stolen hash cannot be reversed, so a slow
// hash (PBKDF2, bcrypt) would buy nothing and would cost CPU on every
// request a developer makes, to anyone who cares to send bad tokens.
//
//   UsersFile users;
//   Status s = UsersFile::Load("/etc/akgate/gateway-users", &users);
//   bool ok = users.Verify("alice", token);   // constant time in the token
//
//   std::string token;                         // printed once, then forgotten
//   AddUser("/etc/akgate/gateway-users", "bob", /*replace=*/false, &token);
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace akgate::gateway {

class UsersFile {
 public:
  // Parses the lines above; errors name `origin`:<line> and what is wrong.
  static Status Parse(std::string_view text, const std::string& origin, UsersFile* out);
  // Reads and parses `path`, refused when group or others may write to it.
  static Status Load(const std::string& path, UsersFile* out);

  // Whether `token` is `name`'s. Names not in the file cost the same hash
  // and comparison, so timing tells nothing about the token.
  bool Verify(std::string_view name, std::string_view token) const;
  bool Contains(std::string_view name) const { return hashes_.count(name) != 0; }
  size_t size() const { return hashes_.size(); }

 private:
  using Digest = std::array<uint8_t, 32>;
  std::map<std::string, Digest, std::less<>> hashes_;
};

// "sha256:<64 lowercase hex digits>" of the token: what a users file stores.
std::string HashToken(std::string_view token);

// Adds `name` with a new random token to the users file at `path` (created,
// mode 0600, when absent) and returns the token in *token: the only time it
// exists outside the developer's hands. The file is replaced whole (written
// beside it, then renamed) and keeps its mode and owner. A name already in
// the file is an error unless `replace` (a new token; the old stops working).
Status AddUser(const std::string& path, const std::string& name, bool replace, std::string* token);

// A name fit for a users file and for logs: printable ASCII, no spaces,
// quotes, backslashes or ':' (Basic authentication ends the name at ':'),
// at most 256 bytes.
bool ValidUserName(std::string_view name);

}  // namespace akgate::gateway
