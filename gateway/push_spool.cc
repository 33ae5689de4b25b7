#include "gateway/push_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace akgate::gateway {

Status PushSpool::Create(const std::string& temp_root, std::unique_ptr<PushSpool>* out) {
  std::error_code ec;
  std::filesystem::create_directories(temp_root, ec);
  std::string templ = temp_root + "/push-XXXXXX";
  if (!mkdtemp(templ.data()))
    return Status::IoError("cannot create a temporary directory under " + temp_root + ": " + strerror(errno));
  std::unique_ptr<PushSpool> spool(new PushSpool(templ));
  // Locked before the body exists: RemoveStale takes only spools with a body
  // whose lock it can get.
  spool->lock_fd_ = ::open(templ.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (spool->lock_fd_ < 0 || ::flock(spool->lock_fd_, LOCK_EX) != 0)
    return Status::IoError("cannot lock " + templ + ": " + strerror(errno));
  spool->body_fd_ = ::open(spool->body_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (spool->body_fd_ < 0) return Status::IoError("cannot create " + spool->body_path() + ": " + strerror(errno));
  *out = std::move(spool);
  return Status::Ok();
}

PushSpool::~PushSpool() {
  if (body_fd_ >= 0) ::close(body_fd_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // after the removal: never a half-removed spool to take
}

unsigned PushSpool::RemoveStale(const std::string& temp_root) {
  unsigned removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(temp_root, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("push-", 0) != 0) continue;
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    std::error_code exists_ec;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && std::filesystem::exists(entry.path() / "body", exists_ec)) {
      std::filesystem::remove_all(entry.path(), exists_ec);
      ++removed;
    }
    ::close(fd);
  }
  return removed;
}

Status PushSpool::AppendBody(std::string_view raw) {
  while (!raw.empty()) {
    ssize_t n = ::write(body_fd_, raw.data(), raw.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(std::string("cannot write the push to the temporary directory: ") + strerror(errno));
    }
    raw.remove_prefix(static_cast<size_t>(n));
    body_bytes_ += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Status PushSpool::AppendPack(std::string_view bytes) { return pack_.Append(bytes); }

Status PushSpool::CommitPack(const std::atomic<bool>* cancel) {
  if (body_fd_ >= 0) {
    ::close(body_fd_);
    body_fd_ = -1;
  }
  return pack_.Commit(cancel);
}

}  // namespace akgate::gateway
