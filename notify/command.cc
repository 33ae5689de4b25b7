// posix_spawn (not fork: the caller has threads), a non-blocking pipe for
// stdin, and a wait that polls until the deadline.
#include "notify/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace akgate {

namespace {

int MillisLeft(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

// Writes everything unless the deadline passes or the reader goes away.
void WriteAll(int fd, const std::string& data, std::chrono::steady_clock::time_point deadline) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      int ms = MillisLeft(deadline);
      if (ms == 0 || poll(&p, 1, ms) <= 0) return;
      continue;
    }
    return;  // EPIPE: the program does not read its input; that is its business
  }
}

}  // namespace

Status RunNotifyCommand(const CommandRequest& r) {
  if (r.argv.empty()) return Status::InvalidArgument("notify command: empty");
  // A reader that exits early must not kill us with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0)
    return Status::Internal(std::string("notify command: pipe: ") + std::strerror(errno));

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);  // SIGPIPE back to default in the child
  posix_spawnattr_setsigmask(&attr, &none);

  std::vector<char*> argv;
  for (const std::string& a : r.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(pipefd[0]);
  if (rc != 0) {
    close(pipefd[1]);
    return Status::Unavailable("notify command: cannot run " + r.argv[0] + ": " + std::strerror(rc));
  }
  fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
  WriteAll(pipefd[1], r.input, r.deadline);
  close(pipefd[1]);

  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return Status::Internal(std::string("notify command: wait: ") + std::strerror(errno));
    if (MillisLeft(r.deadline) == 0) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return Status::DeadlineExceeded("notify command " + r.argv[0] + ": timed out (killed)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  if (WIFEXITED(status))
    return Status::Unavailable("notify command " + r.argv[0] + ": exited " + std::to_string(WEXITSTATUS(status)));
  return Status::Unavailable("notify command " + r.argv[0] + ": killed by signal " + std::to_string(WTERMSIG(status)));
}

}  // namespace akgate
