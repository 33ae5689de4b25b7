#include "gateway/held_credentials.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include "gateway/basic_auth.h"
#include "gateway/private_file.h"

namespace akgate::gateway {

namespace {

constexpr size_t kMaxCredentialBytes = 64 * 1024;

// Printable ASCII without spaces: what a user name and token can be.
bool Printable(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return !s.empty();
}

}  // namespace

Status ParseUpstreamCredential(const std::string& text, const std::string& origin, std::string* authorization) {
  std::string_view found;
  size_t found_line = 0, line_no = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (found_line != 0)
      return Status::InvalidArgument(origin + ":" + std::to_string(line_no) +
                                     ": a second credential (the file holds one "
                                     "line, user:token; the first is on line " +
                                     std::to_string(found_line) + ")");
    found = line;
    found_line = line_no;
  }
  if (found_line == 0) return Status::InvalidArgument(origin + ": no credential in it (one line, user:token)");
  std::string where = origin + ":" + std::to_string(found_line) + ": ";
  size_t colon = found.find(':');
  // The text itself is never quoted: it is a secret.
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == found.size())
    return Status::InvalidArgument(where + "expected user:token (a user name, ':', then the token or password)");
  if (!Printable(found.substr(0, colon)) || !Printable(found.substr(colon + 1)))
    return Status::InvalidArgument(where + "the user name and token must be printable ASCII without spaces");
  *authorization = EncodeBasicAuth(found.substr(0, colon), found.substr(colon + 1));
  return Status::Ok();
}

Status LoadHeldCredentials(Config* c) {
  Status s = UsersFile::Load(c->identity.users_file, &c->identity.users);
  if (!s.ok()) return s;
  for (Route& r : c->routes) {
    std::string text;
    s = ReadPrivateFile(r.upstream_credential_file, S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH,
                        "upstream credential file (route " + r.prefix + ")", kMaxCredentialBytes, &text);
    if (s.ok()) s = ParseUpstreamCredential(text, r.upstream_credential_file, &r.upstream_authorization);
    if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace akgate::gateway
