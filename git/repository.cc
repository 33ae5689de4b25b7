#include "git/repository.h"

#include <git2/common.h>
#include <git2/config.h>
#include <git2/errors.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "git/git_error.h"
#include "git/loose_reader.h"
#include "git/pack_reader.h"
#include "git/quoted_path.h"

namespace akgate {

namespace fs = std::filesystem;

namespace {

bool IsDirectory(const std::string& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// git sets GIT_QUARANTINE_PATH unquoted, but quotes the same directory in
// GIT_ALTERNATE_OBJECT_DIRECTORIES; accept either form.
std::string ResolveQuarantine(const std::string& value) {
  if (value.empty() || IsDirectory(value)) return value;
  return PathFromGitEnv(value);
}

// The object directories `objects_dir` borrows from (objects/info/alternates),
// depth first, as git reads them: one path a line, '#' comments, C-quoted
// when it starts with '"', relative to `objects_dir`; nested up to git's
// limit of 5 levels; each directory once.
void Alternates(const fs::path& objects_dir, int depth, std::vector<std::string>* out) {
  if (depth > 5) return;
  std::ifstream in(objects_dir / "info" / "alternates");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    fs::path p = PathFromGitEnv(line);
    if (p.is_relative()) p = objects_dir / p;
    std::error_code ec;
    fs::path canonical = fs::canonical(p, ec);
    if (ec || !IsDirectory(canonical.string())) continue;  // git warns and goes on; so does libgit2
    if (std::find(out->begin(), out->end(), canonical.string()) != out->end()) continue;
    out->push_back(canonical.string());
    Alternates(canonical, depth + 1, out);
  }
}

}  // namespace

Repository::~Repository() {
  git_odb_free(odb_);
  git_repository_free(repo_);
}

Status Repository::Open(const RepositoryOptions& o, std::unique_ptr<Repository>* out) {
  InitLibgit2(o.verify_object_hashes);
  std::unique_ptr<Repository> r(new Repository());
  r->options_ = o;
  r->path_ = o.git_dir.empty() ? "." : o.git_dir;
  std::error_code ec;
  fs::path abs = fs::absolute(r->path_, ec);
  if (!ec) r->path_ = abs.lexically_normal().string();
  if (r->path_.size() > 1 && r->path_.back() == '/') r->path_.pop_back();
  if (git_repository_open_bare(&r->repo_, r->path_.c_str()) < 0)
    return GitStatus("cannot open the repository " + r->path_);
  if (git_repository_odb(&r->odb_, r->repo_) < 0) return GitStatus("cannot open the objects of " + r->path_);

  r->quarantine_dir_ = ResolveQuarantine(o.quarantine_dir);
  if (!r->quarantine_dir_.empty()) {
    if (!IsDirectory(r->quarantine_dir_))
      return Status::NotFound("the quarantine directory " + r->quarantine_dir_ +
                              " (GIT_QUARANTINE_PATH) does not exist");
    if (git_odb_add_disk_alternate(r->odb_, r->quarantine_dir_.c_str()) < 0)
      return GitStatus("cannot read the pushed objects in " + r->quarantine_dir_);
    r->object_dirs_.push_back(r->quarantine_dir_);
  }
  r->object_dirs_.push_back((fs::path(r->path_) / "objects").string());
  // Loose objects are read checked, wherever they are (loose_reader.h).
  for (const std::string& dir : r->object_dirs_) {
    Status s = AddLooseReaderBackend(r->odb_, dir);
    if (!s.ok()) return s;
  }
  // The pushed objects: the quarantine's packs (or, with no quarantine, the
  // repository's own).
  if (o.fast_pack_reader) {
    AKGATE_RETURN_IF_ERROR(AddPackReaderBackend(r->odb_, r->object_dirs_.front(), o.object_cache_bytes));
  }
  if (o.read_alternates) {
    std::vector<std::string> alternates;
    Alternates(fs::path(r->path_) / "objects", 1, &alternates);
    for (const std::string& dir : alternates) {
      if (o.fast_pack_reader) AKGATE_RETURN_IF_ERROR(AddPackReaderBackend(r->odb_, dir, o.object_cache_bytes));
      r->object_dirs_.push_back(dir);
    }
  }
  *out = std::move(r);
  return Status::Ok();
}

Status Repository::OpenObjectsOnly(const std::string& objects_dir, const RepositoryOptions& o,
                                   std::unique_ptr<Repository>* out) {
  InitLibgit2(o.verify_object_hashes);
  std::unique_ptr<Repository> r(new Repository());
  r->objects_only_ = true;
  r->options_ = o;
  r->path_ = objects_dir;
  if (!IsDirectory(objects_dir)) return Status::NotFound("the objects directory " + objects_dir + " does not exist");
  if (git_odb_open(&r->odb_, objects_dir.c_str()) < 0) return GitStatus("cannot open the objects in " + objects_dir);
  AKGATE_RETURN_IF_ERROR(AddLooseReaderBackend(r->odb_, objects_dir));
  if (o.fast_pack_reader) {
    AKGATE_RETURN_IF_ERROR(AddPackReaderBackend(r->odb_, objects_dir, o.object_cache_bytes));
  }
  if (git_repository_wrap_odb(&r->repo_, r->odb_) < 0) return GitStatus("cannot use the objects in " + objects_dir);
  r->object_dirs_.push_back(objects_dir);
  *out = std::move(r);
  return Status::Ok();
}

Status Repository::Reopen(std::unique_ptr<Repository>* out) const {
  if (objects_only_) return OpenObjectsOnly(path_, options_, out);
  RepositoryOptions o = options_;
  o.git_dir = path_;
  o.quarantine_dir = quarantine_dir_;
  return Open(o, out);
}

bool Repository::AcceptsPushOptions() const {
  if (objects_only_) return true;
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo_) < 0) return true;
  int value = 0;
  int rc = git_config_get_bool(&value, config, "receive.advertisepushoptions");
  git_config_free(config);
  if (rc == GIT_ENOTFOUND) return false;
  return rc < 0 || value != 0;
}

}  // namespace akgate
