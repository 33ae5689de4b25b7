// GitConfigFile: `git config --file`, run without a shell.
#include "installer/git_config_file.h"

#include <fcntl.h>
#include <poll.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace akgate {

namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return lstat(p.c_str(), &st) == 0;
}

std::string Parent(const std::string& p) { return std::filesystem::path(p).parent_path().string(); }

struct GitRun {
  int status = -1;
  std::string out, err;
};

GitRun RunGit(const std::vector<std::string>& args) {
  GitRun r;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return r;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]), close(out[1]);
    return r;
  }
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    r.err = std::string("cannot start git: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    // Outside any repository: no repository discovery, no ownership checks.
    if (chdir("/") != 0) _exit(127);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("git"));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp("git", argv.data());
    dprintf(2, "cannot run git: %s\n", std::strerror(errno));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128;
  while (!r.err.empty() && r.err.back() == '\n') r.err.pop_back();
  return r;
}

Status Failed(const std::string& what, const std::string& path, const GitRun& r) {
  std::string why = r.err.empty() ? "git exited " + std::to_string(r.status) : r.err;
  return Status::IoError("cannot " + what + " " + path + ": " + why);
}

}  // namespace

std::string SystemGitConfigPath() {
  if (const char* p = std::getenv("GIT_CONFIG_SYSTEM"); p && *p) return p;
  return "/etc/gitconfig";
}

Status GitConfigFile::Get(const std::string& key, std::optional<std::string>* value) const {
  value->reset();
  if (!Exists(path_)) return Status::Ok();
  GitRun r = RunGit({"config", "--file", path_, "--get", key});
  if (r.status == 0) {
    std::string v = r.out;
    if (!v.empty() && v.back() == '\n') v.pop_back();
    *value = v;
    return Status::Ok();
  }
  if (r.status == 1) return Status::Ok();  // not set
  return Failed("read " + key + " from", path_, r);
}

Status GitConfigFile::Set(const std::string& key, const std::string& value) const {
  return Change({"config", "--file", path_, key, value}, "set " + key + " in");
}

Status GitConfigFile::Unset(const std::string& key) const {
  GitRun r = RunGit({"config", "--file", path_, "--unset-all", key});
  if (r.status == 0 || r.status == 5) return Status::Ok();  // 5: was not set
  return Failed("unset " + key + " in", path_, r);
}

bool GitConfigFile::HasSectionHeader(const std::string& section) const {
  std::ifstream in(path_, std::ios::binary);
  // A line "[section]" (any case, blanks around), not "[section "sub"]".
  for (std::string line; std::getline(in, line);) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] != '[') continue;
    size_t e = line.find(']', b);
    if (e == std::string::npos) continue;
    std::string name = line.substr(b + 1, e - b - 1);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (strcasecmp(name.c_str(), section.c_str()) == 0) return true;
  }
  return false;
}

bool GitConfigFile::SectionHasKeys(const std::string& section) const {
  if (!Exists(path_)) return false;
  return RunGit({"config", "--file", path_, "--get-regexp", "^" + section + "\\."}).status == 0;
}

Status GitConfigFile::RemoveSection(const std::string& section) const {
  return Change({"config", "--file", path_, "--remove-section", section}, "remove [" + section + "] from");
}

// git rewrites the file through a lock file and a rename: keep its owner.
Status GitConfigFile::Change(const std::vector<std::string>& args, const std::string& what) const {
  struct stat before;
  bool existed = stat(path_.c_str(), &before) == 0;
  GitRun r = RunGit(args);
  if (r.status != 0) return Failed(what, path_, r);
  if (geteuid() == 0) {
    struct stat owner;
    if (existed) {
      if (chown(path_.c_str(), before.st_uid, before.st_gid) != 0) { /* best effort */
      }
    } else if (stat(Parent(path_).c_str(), &owner) == 0) {
      if (chown(path_.c_str(), owner.st_uid, owner.st_gid) != 0) { /* best effort */
      }
    }
  }
  return Status::Ok();
}

}  // namespace akgate
