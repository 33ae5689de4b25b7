// An allocator that fails on request, preloaded into a program under test
// (LD_PRELOAD) to see what it does when memory runs out.
//
//   AKGATE_FAIL_ALLOC_AT=N      the Nth allocation (counted from 1) fails
//   AKGATE_FAIL_ALLOC_AFTER=1   ... and every one after it (memory is gone)
//   AKGATE_FAIL_ALLOC_ABOVE=B   every allocation of more than B bytes fails
//                               (memory pressure: large blocks run out first)
//   AKGATE_ALLOC_COUNT_FILE=F   at exit (exit or _exit), write the number of
//                               allocations made to F, to choose N from
//
// malloc, calloc, realloc and the aligned forms are counted; operator new
// and libstdc++ go through malloc, so a failure there is a std::bad_alloc.
// Built by tests/CMakeLists.txt; used by tests/hook/alloc_failure_test.sh.
#include <fcntl.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {

std::atomic<unsigned long> calls{0};
std::atomic<int> configured{0};
unsigned long fail_at = 0, fail_above = 0;
bool fail_after = false;

unsigned long Number(const char* s) {
  unsigned long v = 0;
  for (; s && *s >= '0' && *s <= '9'; ++s) v = v * 10 + static_cast<unsigned long>(*s - '0');
  return v;
}

// getenv allocates nothing, so it is safe here.
void Configure() {
  if (configured.load(std::memory_order_acquire)) return;
  fail_at = Number(getenv("AKGATE_FAIL_ALLOC_AT"));
  const char* after = getenv("AKGATE_FAIL_ALLOC_AFTER");
  fail_after = after && after[0] == '1';
  fail_above = Number(getenv("AKGATE_FAIL_ALLOC_ABOVE"));
  configured.store(1, std::memory_order_release);
}

bool ShouldFail(size_t bytes) {
  Configure();
  unsigned long n = calls.fetch_add(1, std::memory_order_relaxed) + 1;
  if (fail_above != 0 && bytes > fail_above) return true;
  return fail_at != 0 && (n == fail_at || (fail_after && n > fail_at));
}

void WriteCount() {
  const char* path = getenv("AKGATE_ALLOC_COUNT_FILE");
  if (!path) return;
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%lu\n", calls.load());
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t w = write(fd, buf, static_cast<size_t>(n));
  (void)w;
  close(fd);
}

struct Report {
  ~Report() { WriteCount(); }
} report;

}  // namespace

extern "C" {

void* malloc(size_t n) {
  if (ShouldFail(n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_malloc(n);
}

void* calloc(size_t a, size_t b) {
  if (ShouldFail(b && a > SIZE_MAX / b ? SIZE_MAX : a * b)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_calloc(a, b);
}

void* realloc(void* p, size_t n) {
  if (ShouldFail(n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_realloc(p, n);
}

void* memalign(size_t align, size_t n) {
  if (ShouldFail(n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return __libc_memalign(align, n);
}

void* aligned_alloc(size_t align, size_t n) { return memalign(align, n); }

int posix_memalign(void** out, size_t align, size_t n) {
  void* p = memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

// The hook leaves with _exit once its decision is out; count those runs too.
void _exit(int code) {
  WriteCount();
  syscall(SYS_exit_group, code);
  __builtin_unreachable();
}

}  // extern "C"
