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
// malloc, calloc, realloc and the aligned forms are counted. Every allocation
// function is replaced, so all memory comes from glibc whatever allocator
// the program links (akgate links jemalloc, which brings its own malloc,
// free and operator new/delete): free goes to glibc too, and operator new
// and delete are defined here over malloc and free, so a failure there is a
// std::bad_alloc as in a program without a preload.
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
#include <new>

// glibc's own allocator entry points: reserved names, which is the point.
// NOLINTBEGIN(bugprone-reserved-identifier)
extern "C" {
void __libc_free(void*);
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}
// NOLINTEND(bugprone-reserved-identifier)

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

void free(void* p) { __libc_free(p); }
void cfree(void* p) { __libc_free(p); }

// The hook leaves with _exit once its decision is out; count those runs too.
void _exit(int code) {
  WriteCount();
  syscall(SYS_exit_group, code);
  __builtin_unreachable();
}

}  // extern "C"

// operator new and delete over the functions above (jemalloc defines its own,
// which would bypass them).
void* operator new(size_t n) {
  void* p = malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return malloc(n ? n : 1); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return malloc(n ? n : 1); }
void* operator new(size_t n, std::align_val_t a) {
  void* p = memalign(static_cast<size_t>(a), n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}
void* operator new[](size_t n, std::align_val_t a) { return operator new(n, a); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return memalign(static_cast<size_t>(a), n ? n : 1);
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return memalign(static_cast<size_t>(a), n ? n : 1);
}
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
