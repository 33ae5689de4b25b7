#include "gateway/users_file.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "gateway/identity.h"
#include "gateway/private_file.h"

namespace akgate::gateway {

namespace {

constexpr std::string_view kScheme = "sha256:";
constexpr size_t kMaxUsersFileBytes = 16u << 20;
constexpr size_t kTokenBytes = 32;
constexpr std::string_view kTokenPrefix = "akgate_";  // so secret scanners can tell what it is

std::array<uint8_t, 32> Sha256(std::string_view data) {
  std::array<uint8_t, 32> out{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_sha256(), nullptr);
  return out;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// 32 random bytes, base64url without padding, behind the prefix.
Status NewToken(std::string* token) {
  std::array<unsigned char, kTokenBytes> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    return Status::Internal("the system's random number generator failed (RAND_bytes)");
  static constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(kTokenPrefix);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : raw) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kUrl[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kUrl[(acc << (6 - bits)) & 63];
  OPENSSL_cleanse(raw.data(), raw.size());
  *token = std::move(out);
  return Status::Ok();
}

// Writes `text` to `path` by way of a file beside it, renamed over it, with
// `mode` and (when `owner`) `uid`/`gid`.
Status ReplaceFile(const std::string& path, const std::string& text, mode_t mode, bool owner, uid_t uid, gid_t gid) {
  std::string tmp = path + ".XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) return Status::IoError("cannot write beside " + path + ": " + std::strerror(errno));
  auto fail = [&](const std::string& what) {
    std::string message = what + ": " + std::strerror(errno);
    close(fd);
    unlink(tmp.c_str());
    return Status::IoError(message);
  };
  if (fchmod(fd, mode) != 0) return fail("cannot set the mode of " + tmp);
  if (owner && fchown(fd, uid, gid) != 0) return fail("cannot give " + tmp + " the owner of " + path);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write " + tmp);
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail("cannot write " + tmp);
  if (close(fd) != 0) {
    unlink(tmp.c_str());
    return Status::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    std::string message = "cannot replace " + path + ": " + std::strerror(errno);
    unlink(tmp.c_str());
    return Status::IoError(message);
  }
  return Status::Ok();
}

}  // namespace

bool ValidUserName(std::string_view name) { return PlausibleName(name) && name.find(':') == std::string_view::npos; }

std::string HashToken(std::string_view token) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kScheme);
  for (uint8_t b : Sha256(token)) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Status UsersFile::Parse(std::string_view text, const std::string& origin, UsersFile* out) {
  UsersFile users;
  std::map<std::string, size_t, std::less<>> first_line;
  std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string where = origin + ":" + std::to_string(i + 1) + ": ";
    std::string_view line = Trim(lines[i]);
    if (line.empty() || line.front() == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return Status::InvalidArgument(where +
                                     "expected name:sha256:<64 hex digits> (one user a line; add users with "
                                     "akgate-gateway add-user)");
    std::string_view name = line.substr(0, colon), hash = line.substr(colon + 1);
    if (!ValidUserName(name))
      return Status::InvalidArgument(
          where + "\"" + std::string(name.substr(0, 64)) +
          "\" is not a user name (printable ASCII without spaces, quotes, backslashes or ':')");
    if (hash.rfind(kScheme, 0) != 0)
      return Status::InvalidArgument(where + "the hash of " + std::string(name) +
                                     " must start with sha256: (a token itself never goes in this file)");
    std::string_view hex = hash.substr(kScheme.size());
    Digest d{};
    bool ok = hex.size() == 2 * d.size();
    for (size_t k = 0; ok && k < d.size(); ++k) {
      int hi = Hex(hex[2 * k]), lo = Hex(hex[2 * k + 1]);
      ok = hi >= 0 && lo >= 0;
      if (ok) d[k] = static_cast<uint8_t>(hi << 4 | lo);
    }
    if (!ok)
      return Status::InvalidArgument(where + "the hash of " + std::string(name) +
                                     " must be sha256: and 64 lowercase hex digits");
    if (auto it = first_line.find(name); it != first_line.end())
      return Status::InvalidArgument(where + std::string(name) + " is listed twice (first on line " +
                                     std::to_string(it->second) + ")");
    first_line.emplace(std::string(name), i + 1);
    users.hashes_.emplace(std::string(name), d);
  }
  *out = std::move(users);
  return Status::Ok();
}

Status UsersFile::Load(const std::string& path, UsersFile* out) {
  std::string text;
  AKGATE_RETURN_IF_ERROR(ReadPrivateFile(path, S_IWGRP | S_IWOTH, "users file", kMaxUsersFileBytes, &text));
  return Parse(text, path, out);
}

bool UsersFile::Verify(std::string_view name, std::string_view token) const {
  static const Digest kNobody{};  // no token hashes to all zeros
  auto it = hashes_.find(name);
  const Digest& want = it != hashes_.end() ? it->second : kNobody;
  Digest got = Sha256(token);
  bool same = CRYPTO_memcmp(got.data(), want.data(), got.size()) == 0;
  return same && it != hashes_.end();
}

Status AddUser(const std::string& path, const std::string& name, bool replace, std::string* token) {
  if (!ValidUserName(name))
    return Status::InvalidArgument("\"" + name +
                                   "\" is not a user name (printable ASCII without spaces, quotes, backslashes "
                                   "or ':')");
  std::string text;
  struct stat st {};
  bool exists = stat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT)
    return Status::IoError("cannot read the users file " + path + ": " + std::strerror(errno));
  UsersFile users;
  if (exists) {
    Status s = ReadPrivateFile(path, S_IWGRP | S_IWOTH, "users file", kMaxUsersFileBytes, &text);
    if (s.ok()) s = UsersFile::Parse(text, path, &users);
    if (!s.ok()) return s;
  }
  if (users.Contains(name) && !replace)
    return Status::InvalidArgument(name + " is already in " + path +
                                   " (--replace gives them a new token; the old one "
                                   "then stops working)");
  std::string fresh;
  Status s = NewToken(&fresh);
  if (!s.ok()) return s;
  std::string line = name + ":" + HashToken(fresh);
  std::string out;
  bool replaced = false;
  for (std::string_view l : Lines(text)) {
    std::string_view t = Trim(l);
    if (!t.empty() && t.front() != '#' && t.substr(0, t.find(':')) == name) {
      out += line + "\n";
      replaced = true;
    } else {
      out.append(l).append("\n");
    }
  }
  if (!replaced) out += line + "\n";
  mode_t mode = exists ? (st.st_mode & 0777 & ~static_cast<mode_t>(S_IWGRP | S_IWOTH)) : 0600;
  s = ReplaceFile(path, out, mode, exists, st.st_uid, st.st_gid);
  if (!s.ok()) {
    OPENSSL_cleanse(fresh.data(), fresh.size());
    return s;
  }
  *token = std::move(fresh);
  return Status::Ok();
}

}  // namespace akgate::gateway
