#include "git/lfs_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/sha256.h"

namespace akgate {

namespace {

constexpr size_t kMaxPointerBytes = 1024;  // git-lfs's own limit for a pointer

bool IsLowerHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

bool ParseLfsPointer(std::string_view blob, LfsPointer* out) {
  if (blob.size() > kMaxPointerBytes || blob.empty() || blob.back() != '\n') return false;
  bool first = true, have_oid = false, have_size = false;
  while (!blob.empty()) {
    size_t nl = blob.find('\n');
    std::string_view line = blob.substr(0, nl);
    blob.remove_prefix(nl + 1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0) return false;
    std::string_view key = line.substr(0, space), value = line.substr(space + 1);
    if (first) {
      if (key != "version" ||
          (value != "https://git-lfs.github.com/spec/v1" && value != "https://hawser.github.com/spec/v1"))
        return false;
      first = false;
    } else if (key == "oid") {
      if (value.size() != 7 + 64 || value.substr(0, 7) != "sha256:" || !IsLowerHex(value.substr(7))) return false;
      out->oid = std::string(value.substr(7));
      have_oid = true;
    } else if (key == "size") {
      if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
      out->size = std::stoull(std::string(value));
      have_size = true;
    }
  }
  return have_oid && have_size;
}

std::string LfsStores::Describe() const {
  std::string s;
  for (const std::string& d : git_lfs) s += (s.empty() ? "" : ", ") + d;
  for (const std::string& d : gitlab) s += (s.empty() ? "" : ", ") + d + " (GitLab)";
  return s.empty() ? "no LFS store is configured" : s;
}

Status ReadLfsObject(const LfsStores& stores, const LfsPointer& pointer, uint64_t max_bytes, std::string* content,
                     LfsRead* result) {
  const std::string& oid = pointer.oid;
  const std::string fan = oid.substr(0, 2) + "/" + oid.substr(2, 2) + "/";
  std::vector<std::string> candidates;
  for (const std::string& d : stores.git_lfs) candidates.push_back(d + "/" + fan + oid);
  for (const std::string& d : stores.gitlab) candidates.push_back(d + "/" + fan + oid.substr(4));
  *result = LfsRead::kMissing;
  for (const std::string& path : candidates) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) continue;
      return Status::IoError("cannot read the Git LFS object " + path + ": " + std::strerror(errno));
    }
    struct Close {
      int fd;
      ~Close() { ::close(fd); }
    } closer{fd};
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
      return Status::Corrupt("the Git LFS object " + path + " is not a regular file");
    uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size != pointer.size)
      return Status::Corrupt("the Git LFS object " + path + " holds " + std::to_string(size) +
                             " bytes where its pointer says " + std::to_string(pointer.size));
    if (size > max_bytes) {
      *result = LfsRead::kOversize;
      return Status::Ok();
    }
    content->resize(size);
    size_t got = 0;
    while (got < size) {
      ssize_t n = ::read(fd, content->data() + got, size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::IoError("cannot read the Git LFS object " + path);
      got += static_cast<size_t>(n);
    }
    Sha256 sha;
    sha.Update(*content);
    if (sha.FinalHex() != oid)
      return Status::Corrupt("the Git LFS object " + path + " does not hash to the oid its pointer names");
    *result = LfsRead::kFound;
    return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace akgate
