// libgit2's process-wide set-up, without the part akgate never uses.
//
// Debian's libgit2 1.5 is built with mbedTLS, and git_libgit2_init() parses
// the whole system CA bundle (/etc/ssl/certs/ca-certificates.crt, about 140
// certificates, base64 and ASN.1) for its HTTPS transport. akgate reads
// objects from local repositories only and never opens a libgit2 transport
// (the gateway's TLS is OpenSSL, through Asio), yet that parse was 60 % of the
// instructions of a small push's hook (callgrind: 55 M of 90 M).
//
// So, during git_libgit2_init() only, this executable's definition of
// mbedtls_x509_crt_parse_file (found before libmbedx509's by the dynamic
// linker, like any symbol an executable defines) loads nothing. At any other
// time it forwards to the real function (dlsym RTLD_NEXT). With a libgit2
// built against OpenSSL it is never called and changes nothing.
#include <dlfcn.h>
#include <git2/common.h>
#include <git2/global.h>

#include <atomic>
#include <mutex>

#include "git/repository.h"

namespace {

std::atomic<bool> initialising{false};

}  // namespace

extern "C" {

// mbedTLS's prototype, declared here so the build does not need its headers.
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);

__attribute__((visibility("default"))) int mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path) {
  if (initialising.load(std::memory_order_acquire)) return 0;  // an empty chain: no CA loaded
  using Real = int (*)(mbedtls_x509_crt*, const char*);
  static Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "mbedtls_x509_crt_parse_file"));
  return real ? real(chain, path) : -1;
}

}  // extern "C"

namespace akgate {

void InitLibgit2(bool verify_hashes) {
  static std::once_flag once;
  std::call_once(once, [] {
    initialising.store(true, std::memory_order_release);
    git_libgit2_init();
    initialising.store(false, std::memory_order_release);
    // git has already opened this repository to run the hook (or the gateway
    // created the directory itself): libgit2's safe.directory check would only
    // refuse repositories shared between users that git serves fine.
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    // Trees are not kept in libgit2's object cache: the commit differ holds
    // the ones it needs (tree_diff.h), and on a long push the cache only
    // churned (and held 300 MB more for a 20,000-commit push).
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t{0});
    // libgit2 maps packs in windows of 1 GiB, up to 8 GiB in all, on 64-bit
    // systems: indexing a 2 GB push in the gateway (or reading a large
    // repository's own pack in the hook) would keep all of it resident.
    // Smaller windows under a bound keep that part of the memory flat; a
    // window is only an mmap, so remapping one costs little.
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, size_t{64} << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, size_t{256} << 20);
  });
  // A process-wide libgit2 setting: only touched when it changes, so threads
  // opening repositories with the same choice (the gateway) never race on it.
  static std::atomic<int> current{-1};
  int want = verify_hashes ? 1 : 0;
  if (current.exchange(want) != want) git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, want);
}

}  // namespace akgate
