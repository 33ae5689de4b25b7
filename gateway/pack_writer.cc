#include "gateway/pack_writer.h"

#include <git2.h>

#include <filesystem>

#include "git/git_error.h"
#include "git/repository.h"

namespace akgate::gateway {

namespace {

// libgit2 calls this as it indexes and resolves deltas; non-zero stops it.
int Progress(const git_indexer_progress*, void* payload) {
  auto* cancel = *static_cast<const std::atomic<bool>**>(payload);
  return cancel && cancel->load(std::memory_order_relaxed) ? GIT_EUSER : 0;
}

}  // namespace

PackWriter::~PackWriter() {
  if (indexer_) git_indexer_free(indexer_);
  delete progress_;
}

Status PackWriter::Append(std::string_view bytes) {
  if (!indexer_) {
    InitLibgit2(/*verify_hashes=*/false);  // the indexer hashes every object itself
    std::error_code ec;
    std::filesystem::create_directories(pack_dir_, ec);
    if (ec) return Status::IoError("cannot create " + pack_dir_ + ": " + ec.message());
    progress_ = new git_indexer_progress{};
    git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
    opts.progress_cb = Progress;
    opts.progress_cb_payload = &cancel_;
    if (git_indexer_new(&indexer_, pack_dir_.c_str(), 0, nullptr, &opts) < 0) {
      indexer_ = nullptr;
      return GitStatus("cannot start indexing the pack");
    }
  }
  if (git_indexer_append(indexer_, bytes.data(), bytes.size(), progress_) < 0)
    return GitStatus("the pack is malformed");
  objects_ = progress_->total_objects;
  return Status::Ok();
}

Status PackWriter::Commit(const std::atomic<bool>* cancel) {
  if (!indexer_) return Status::Ok();
  cancel_ = cancel;
  int rc = git_indexer_commit(indexer_, progress_);
  cancel_ = nullptr;
  if (cancel && cancel->load()) return Status::DeadlineExceeded("cancelled");
  if (rc < 0) return GitStatus("the pack could not be indexed");
  objects_ = progress_->total_objects;
  return Status::Ok();
}

}  // namespace akgate::gateway
