#include "gateway/push_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "git/repository.h"

namespace akgate::gateway {

namespace {

std::string GitError(const char* what) {
  const git_error* e = git_error_last();
  return std::string(what) + ": " + (e && e->message ? e->message : "unknown libgit2 error");
}

}  // namespace

Status PushSpool::Create(const std::string& temp_root, std::unique_ptr<PushSpool>* out) {
  std::error_code ec;
  std::filesystem::create_directories(temp_root, ec);
  std::string templ = temp_root + "/push-XXXXXX";
  if (!mkdtemp(templ.data()))
    return Status::Error("cannot create a temporary directory under " + temp_root + ": " + strerror(errno));
  std::unique_ptr<PushSpool> spool(new PushSpool(templ));
  spool->body_fd_ = ::open(spool->body_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (spool->body_fd_ < 0) return Status::Error("cannot create " + spool->body_path() + ": " + strerror(errno));
  *out = std::move(spool);
  return Status::Ok();
}

PushSpool::~PushSpool() {
  if (indexer_) git_indexer_free(indexer_);
  delete progress_;
  if (body_fd_ >= 0) ::close(body_fd_);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status PushSpool::AppendBody(std::string_view raw) {
  while (!raw.empty()) {
    ssize_t n = ::write(body_fd_, raw.data(), raw.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(std::string("cannot write the push to the temporary directory: ") + strerror(errno));
    }
    raw.remove_prefix(static_cast<size_t>(n));
    body_bytes_ += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Status PushSpool::AppendPack(std::string_view bytes) {
  if (!indexer_) {
    InitLibgit2(/*verify_hashes=*/false);  // the indexer hashes every object itself
    std::string pack_dir = objects_dir() + "/pack";
    std::error_code ec;
    std::filesystem::create_directories(pack_dir, ec);
    if (ec) return Status::Error("cannot create " + pack_dir + ": " + ec.message());
    progress_ = new git_indexer_progress{};
    git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
    // No odb: a delta whose base is missing (a thin pack) is an error.
    if (git_indexer_new(&indexer_, pack_dir.c_str(), 0, nullptr, &opts) < 0) {
      indexer_ = nullptr;
      return Status::Error(GitError("cannot start indexing the pack"));
    }
  }
  if (git_indexer_append(indexer_, bytes.data(), bytes.size(), progress_) < 0)
    return Status::Error(GitError("the pack is malformed"));
  objects_ = progress_->total_objects;
  return Status::Ok();
}

Status PushSpool::CommitPack() {
  if (body_fd_ >= 0) {
    ::close(body_fd_);
    body_fd_ = -1;
  }
  if (!indexer_) return Status::Ok();
  if (git_indexer_commit(indexer_, progress_) < 0)
    return Status::Error(GitError("the pack could not be indexed"));
  objects_ = progress_->total_objects;
  return Status::Ok();
}

}  // namespace akgate::gateway
