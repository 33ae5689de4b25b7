// Finding repositories under the paths given (see repository_finder.h).
#include "cli/repository_finder.h"

#include <git2/errors.h>
#include <git2/repository.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

namespace akgate {

namespace {

namespace fs = std::filesystem;

// The git directory of the repository at `dir` itself (not above it), or
// "" with libgit2's reason in *why.
std::string GitDirAt(const std::string& dir, unsigned flags, std::string* why = nullptr) {
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, dir.c_str(), flags, nullptr) < 0) {
    const git_error* e = git_error_last();
    if (why) *why = e && e->message ? e->message : "unknown error";
    git_error_clear();
    return "";
  }
  std::string git_dir = git_repository_path(repo);
  git_repository_free(repo);
  if (git_dir.size() > 1 && git_dir.back() == '/') git_dir.pop_back();
  return git_dir;
}

class Finder {
 public:
  Finder(int max_depth, RepositorySearch* out) : max_depth_(max_depth), out_(out) {}

  // Returns how many repositories were found at or below `dir`.
  size_t Visit(const std::string& dir, int depth) {
    std::string why;
    std::string git_dir = GitDirAt(dir, GIT_REPOSITORY_OPEN_NO_SEARCH, &why);
    if (!git_dir.empty()) {
      Add(dir, git_dir);
      return 1;
    }
    if (LooksLikeRepository(dir)) {  // a damaged repository: reported, not searched
      Add(dir, dir, "not readable as a git repository: " + why);
      return 1;
    }
    if (depth >= max_depth_) return 0;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
      out_->errors.push_back(dir + ": " + ec.message());
      return 0;
    }
    std::vector<std::string> children;
    for (const fs::directory_entry& e : it) {
      std::error_code sec;
      if (e.is_symlink(sec) || !e.is_directory(sec)) continue;  // never followed: no loops
      children.push_back(e.path().string());
    }
    std::sort(children.begin(), children.end());
    size_t found = 0;
    for (const std::string& c : children) found += Visit(c, depth + 1);
    return found;
  }

  static bool LooksLikeRepository(const std::string& dir) {
    std::error_code ec;
    const fs::path d(dir);
    if (fs::exists(d / ".git", ec)) return true;
    return fs::is_directory(d / "objects", ec) && fs::is_directory(d / "refs", ec);
  }

  void Add(const std::string& path, const std::string& git_dir, const std::string& error = "") {
    std::error_code ec;
    std::string key = fs::weakly_canonical(git_dir, ec).string();
    if (ec) key = git_dir;
    if (!seen_.insert(key).second) return;  // named twice, or found twice
    out_->repositories.push_back({path, git_dir, error});
  }

 private:
  int max_depth_;
  RepositorySearch* out_;
  std::set<std::string> seen_;
};

}  // namespace

RepositorySearch FindRepositories(const std::vector<std::string>& paths, int max_depth) {
  RepositorySearch out;
  Finder finder(max_depth, &out);
  for (const std::string& p : paths) {
    struct stat st;
    if (stat(p.c_str(), &st) != 0) {
      out.errors.push_back(p + ": " + std::strerror(errno));
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      out.errors.push_back(p + ": not a directory (a repository, or a directory holding repositories)");
      continue;
    }
    if (finder.Visit(p, 0) > 0) continue;
    // Inside a work tree (a subdirectory of a clone): its repository.
    std::string git_dir = GitDirAt(p, 0);
    if (!git_dir.empty()) {
      finder.Add(p, git_dir);
      continue;
    }
    out.errors.push_back(p + ": no git repository here or below");
  }
  return out;
}

}  // namespace akgate
