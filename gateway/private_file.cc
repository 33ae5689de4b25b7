#include "gateway/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace akgate::gateway {

namespace {

std::string Octal(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

}  // namespace

Status ReadPrivateFile(const std::string& path, mode_t forbidden, const std::string& what, size_t max_bytes,
                       std::string* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Status::IoError("cannot read the " + what + " " + path + ": " + std::strerror(errno));
  struct stat st {};
  Status result;
  if (fstat(fd, &st) != 0) {
    result = Status::IoError("cannot read the " + what + " " + path + ": " + std::strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    result = Status::InvalidArgument("the " + what + " " + path + " is not a regular file");
  } else if ((st.st_mode & forbidden) != 0) {
    std::string who = (forbidden & (S_IRGRP | S_IROTH)) ? "readable or writable" : "writable";
    result = Status::PermissionDenied("the " + what + " " + path + " has mode " + Octal(st.st_mode) +
                                      ": it must not be " + who + " by group or others (chmod " +
                                      Octal(st.st_mode & ~forbidden & 0777) + " " + path + ")");
  } else if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    result = Status::ResourceExhausted("the " + what + " " + path + " is larger than " + std::to_string(max_bytes) +
                                       " bytes");
  } else {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 && text.size() <= max_bytes) text.append(buf, static_cast<size_t>(n));
    if (n < 0)
      result = Status::IoError("cannot read the " + what + " " + path + ": " + std::strerror(errno));
    else if (text.size() > max_bytes)
      result = Status::ResourceExhausted("the " + what + " " + path + " is larger than " + std::to_string(max_bytes) +
                                         " bytes");
    else
      *out = std::move(text);
  }
  close(fd);
  return result;
}

}  // namespace akgate::gateway
