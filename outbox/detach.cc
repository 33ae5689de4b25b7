// Only async-signal-safe calls between fork and exec: the caller may have
// threads (the gateway, the webhook's workers).
#include "outbox/detach.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

namespace akgate {

namespace {

// In the child: closes every descriptor from 3 up.
void CloseFrom3() {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 1 << 20) max = 1 << 20;
  for (long fd = 3; fd < max; ++fd) close(static_cast<int>(fd));
}

}  // namespace

Status SpawnDetached(const std::vector<std::string>& args) {
  if (args.empty() || args[0].empty() || args[0][0] != '/')
    return Status::InvalidArgument("detached program must be an absolute path");
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  sigset_t all, old;
  sigfillset(&all);
  // No signal handler of ours may run in the child before exec.
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    pid_t grandchild = fork();
    if (grandchild != 0) _exit(grandchild < 0 ? 1 : 0);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
    }
    CloseFrom3();
    if (chdir("/") != 0) _exit(127);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int saved = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0)
    return Status::Unavailable(std::string("cannot start the outbox drainer: fork: ") + std::strerror(saved));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::Unavailable("cannot start the outbox drainer (second fork failed)");
  return Status::Ok();
}

std::string AkgateProgram() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  if (self.filename() == "akgate") return self.string();
  fs::path sibling = self.parent_path() / "akgate";
  return fs::exists(sibling, ec) ? sibling.string() : "";
}

}  // namespace akgate
