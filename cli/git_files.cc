// `git ls-files -co --exclude-standard -z` in a directory, run without a
// shell (paths are data), its output read in full.
#include "cli/git_files.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace akgate {

namespace {

// Reads all of `fd` into *out (then closes it).
void ReadAll(int fd, std::string* out) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
}

}  // namespace

GitListing ListGitFiles(const std::string& dir, std::vector<std::string>* files, std::string* error) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    *error = std::string("cannot run git: ") + std::strerror(errno);
    return GitListing::kFailed;
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    *error = std::string("cannot run git: ") + std::strerror(errno);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return GitListing::kFailed;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  const char* argv[] = {"git", "-C", dir.c_str(), "ls-files", "-z", "-co", "--exclude-standard", nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {  // no git: no work tree git could tell about
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return GitListing::kNotWorkTree;
  }
  // git writes little on stderr; reading stdout to the end first cannot
  // block it for long, and stderr is read after.
  std::string out, err;
  ReadAll(out_pipe[0], &out);
  ReadAll(err_pipe[0], &err);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // Not a repository, or inside .git: walk the directory as it is.
    if (err.find("not a git repository") != std::string::npos || err.find("work tree") != std::string::npos)
      return GitListing::kNotWorkTree;
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    *error = "git ls-files in " + dir + " failed: " + (err.empty() ? "exit status " + std::to_string(status) : err);
    return GitListing::kFailed;
  }
  for (size_t start = 0; start < out.size();) {
    size_t end = out.find('\0', start);
    if (end == std::string::npos) end = out.size();
    if (end > start) files->push_back(out.substr(start, end - start));
    start = end + 1;
  }
  return GitListing::kListed;
}

}  // namespace akgate
