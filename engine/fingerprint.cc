#include "engine/fingerprint.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "engine/sha256.h"

namespace akgate {

namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string Hex(const uint8_t* p, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Where(const std::string& path) { return "fingerprint key " + path; }

// Creating a key: how to make one by hand, for messages.
std::string HowToCreate(const std::string& path) {
  return " (create one with `akgate install`, or: umask 077; openssl rand -hex 32 > " + path + ")";
}

}  // namespace

std::array<uint8_t, 32> HmacSha256(const std::array<uint8_t, FingerprintKey::kBytes>& key, std::string_view message) {
  // The key is shorter than SHA-256's 64-byte block: padded with zeros.
  uint8_t ipad[64], opad[64];
  for (size_t i = 0; i < 64; ++i) {
    uint8_t k = i < key.size() ? key[i] : 0;
    ipad[i] = k ^ 0x36;
    opad[i] = k ^ 0x5c;
  }
  Sha256 inner;
  inner.Update(std::string_view(reinterpret_cast<const char*>(ipad), sizeof ipad));
  inner.Update(message);
  std::array<uint8_t, 32> ih = inner.Final();
  Sha256 outer;
  outer.Update(std::string_view(reinterpret_cast<const char*>(opad), sizeof opad));
  outer.Update(std::string_view(reinterpret_cast<const char*>(ih.data()), ih.size()));
  return outer.Final();
}

std::string NormaliseProvider(std::string_view provider) {
  std::string out;
  bool dash = false;
  for (char c : provider) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 'A' && u <= 'Z') u = static_cast<unsigned char>(u - 'A' + 'a');
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(u);
    } else {
      dash = true;
    }
  }
  return out.empty() ? "generic" : out;
}

std::string Fingerprint(const FingerprintKey& key, FingerprintKind kind, std::string_view provider,
                        std::string_view value) {
  const char* kind_name = kind == FingerprintKind::kCredential ? "credential"
                          : kind == FingerprintKind::kFile     ? "file"
                                                               : "unscannable";
  std::string message = "akgate-fp-2";
  message += '\0';
  message += kind_name;
  message += '\0';
  message += NormaliseProvider(provider);
  message += '\0';
  message.append(value);
  std::array<uint8_t, 32> mac = HmacSha256(key.bytes(), message);
  return Hex(mac.data(), 8);
}

std::string LegacyFingerprint(std::string_view rule_id, const std::vector<std::string_view>& secrets) {
  Sha256 sha;
  sha.Update(rule_id);
  static constexpr char kSeparator = '\0';  // between the parts: ("ab","c") != ("a","bc")
  for (std::string_view s : secrets) {
    sha.Update(std::string_view(&kSeparator, 1));
    sha.Update(s);
  }
  return sha.FinalHex(8);
}

Status FingerprintKey::Load(const std::string& path, FingerprintKey* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    std::string why = std::strerror(e);
    if (e == ENOENT) return Status::NotFound(Where(path) + ": no such file" + HowToCreate(path));
    if (e == EACCES) return Status::PermissionDenied(Where(path) + ": " + why);
    return Status::IoError(Where(path) + ": " + why);
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::InvalidArgument(Where(path) + ": not a regular file");
  }
  // As ssh with a private key: a key others can read protects nothing.
  if (st.st_mode & (S_IRWXO | S_IWGRP)) {
    close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::PermissionDenied(Where(path) + ": mode " + mode + " lets other users read or change it; chmod 600 " +
                                    path);
  }
  char buf[80];
  size_t n = 0;
  while (n < sizeof buf) {
    ssize_t r = read(fd, buf + n, sizeof buf - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      std::string why = std::strerror(errno);
      close(fd);
      return Status::IoError(Where(path) + ": " + why);
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  close(fd);
  std::string_view text(buf, n);
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  std::array<uint8_t, kBytes> bytes{};
  bool ok = text.size() == 2 * kBytes;
  for (size_t i = 0; ok && i < kBytes; ++i) {
    int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) ok = false;
    bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  if (!ok)
    return Status::InvalidArgument(Where(path) + ": must hold 64 hex digits (32 random bytes), and holds " +
                                   (n >= sizeof buf ? "more" : std::to_string(n) + " bytes") + HowToCreate(path));
  *out = FingerprintKey(bytes);
  return Status::Ok();
}

Status FingerprintKey::Generate(std::string* hex) {
  uint8_t bytes[kBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Internal("cannot get random bytes for a fingerprint key");
  *hex = Hex(bytes, sizeof bytes) + "\n";
  return Status::Ok();
}

Status FingerprintKey::LoadOrCreate(const std::string& path, FingerprintKey* out) {
  Status s = Load(path, out);
  if (s.code() != StatusCode::kNotFound) return s;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError(Where(path) + ": cannot create its directory: " + ec.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  std::string hex;
  AKGATE_RETURN_IF_ERROR(Generate(&hex));
  // Written whole to a temporary name, then linked into place: a process
  // that loses a race to create it reads the winner's key, never half of one.
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::IoError(Where(path) + ": cannot create it: " + std::strerror(errno));
  bool written = write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  bool synced = fsync(fd) == 0;
  close(fd);
  if (!written || !synced) {
    unlink(tmp.c_str());
    return Status::IoError(Where(path) + ": cannot write it");
  }
  int linked = link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST)
    return Status::IoError(Where(path) + ": cannot create it: " + std::strerror(link_errno));
  return Load(path, out);
}

std::string DefaultUserFingerprintKeyFile() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/akgate/fingerprint.key";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/akgate/fingerprint.key";
  return "";
}

}  // namespace akgate
