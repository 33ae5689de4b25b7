#include "engine/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <memory>

namespace akgate {

namespace {

constexpr uint64_t kRatioFloor = 10 << 20;  // below this much expanded, any ratio is harmless

bool StartsWith(std::string_view d, std::string_view magic, size_t at = 0) {
  return d.size() >= at + magic.size() && d.substr(at, magic.size()) == magic;
}

// `k.env.gz` -> `k.env`; a name without such an ending stays as it is.
std::string StreamName(std::string_view path) {
  size_t slash = path.find_last_of("/!");
  std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  for (const char* ext : {".gz", ".gzip", ".bz2", ".xz", ".zst", ".z", ".Z"}) {
    size_t n = std::strlen(ext);
    if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) return name.substr(0, name.size() - n);
  }
  for (const char* ext : {".tgz", ".tbz2", ".txz"})
    if (size_t n = std::strlen(ext); name.size() > n && name.compare(name.size() - n, n, ext) == 0)
      return name.substr(0, name.size() - n) + ".tar";
  return name.empty() ? "data" : name;
}

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

}  // namespace

bool LooksLikeArchive(std::string_view d) {
  return StartsWith(d, "\x1f\x8b") ||  // gzip
         (StartsWith(d, "BZh") && d.size() >= 10 && d[3] >= '1' && d[3] <= '9' &&
          StartsWith(d, "\x31\x41\x59\x26\x53\x59", 4)) ||  // bzip2
         StartsWith(d, std::string_view("\xfd"
                                        "7zXZ\0",
                                        6)) ||  // xz
         StartsWith(d, "\x28\xb5\x2f\xfd") ||   // zstd
         StartsWith(d, "PK\x03\x04") ||
         StartsWith(d, "PK\x05\x06") ||          // zip
         StartsWith(d, "7z\xbc\xaf\x27\x1c") ||  // 7z
         StartsWith(d, "Rar!\x1a\x07") ||        // rar
         StartsWith(d, "ustar", 257);            // tar
}

void ReadArchive(std::string_view path, std::string_view data, const ContentLimits& limits, ArchiveBudget* budget,
                 const ArchiveVisitor& visit) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  // Only filters Debian's libarchive links (never an external program).
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_format_7zip(a.get());
  archive_read_support_format_rar(a.get());
  archive_read_support_format_rar5(a.get());
  archive_read_support_format_raw(a.get());  // a lone compressed stream: one member
  // A compressed stream of nothing (Debian ships 20-byte man pages that are
  // gzip of an empty file): raw needs a byte to bid on, so without this it
  // read as unreadable and blocked. Only a stream that decompresses cleanly to
  // zero bytes is "empty"; a corrupt or truncated one still fails.
  archive_read_support_format_empty(a.get());
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK) {
    visit.unscannable("", SkipReason::kUnreadableArchive);
    return;
  }
  const uint64_t compressed = std::max<uint64_t>(data.size(), 1);
  std::string buffer;
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) return;
    if (rc < ARCHIVE_WARN) {
      visit.unscannable("", archive_read_has_encrypted_entries(a.get()) > 0 ? SkipReason::kEncrypted
                                                                            : SkipReason::kUnreadableArchive);
      return;
    }
    const bool raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
    if (raw && archive_filter_count(a.get()) <= 1) {  // not compressed after all: not a container
      visit.unscannable("", SkipReason::kUnreadableArchive);
      return;
    }
    const char* name_c = archive_entry_pathname(entry);
    std::string name = raw ? StreamName(path) : (name_c ? name_c : "?");
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    if (++budget->members > limits.max_archive_members) {
      visit.unscannable(name, SkipReason::kArchiveTooLarge);
      return;
    }
    if (archive_entry_is_encrypted(entry)) {
      visit.unscannable(name, SkipReason::kEncrypted);
      continue;
    }
    // Read the member, never more than the fragment limit (+1 to tell) and
    // what is left of the archive's budget.
    buffer.clear();
    SkipReason stop = SkipReason::kNone;
    char chunk[64 << 10];
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), chunk, sizeof chunk);
      if (n == 0) break;
      if (n < 0) {
        stop = archive_read_has_encrypted_entries(a.get()) > 0 || archive_entry_is_encrypted(entry)
                   ? SkipReason::kEncrypted
                   : SkipReason::kUnreadableArchive;
        break;
      }
      budget->expanded += static_cast<uint64_t>(n);
      if (budget->expanded > limits.max_archive_bytes) {
        stop = SkipReason::kArchiveTooLarge;
        break;
      }
      if (budget->expanded > kRatioFloor && budget->expanded / compressed >= limits.max_archive_ratio) {
        stop = SkipReason::kCompressionRatio;
        break;
      }
      if (buffer.size() + static_cast<uint64_t>(n) > limits.max_fragment_bytes) {
        stop = SkipReason::kOversize;
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    if (stop == SkipReason::kOversize) {
      visit.unscannable(name, stop);
      // Skipping the rest may mean inflating it: that counts too.
      la_int64_t declared = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
      if (declared < 0 ||
          (budget->expanded += static_cast<uint64_t>(declared) - buffer.size()) > limits.max_archive_bytes) {
        visit.unscannable("", SkipReason::kArchiveTooLarge);
        return;
      }
      continue;  // the next header skips the rest of this member
    }
    if (stop != SkipReason::kNone) {
      visit.unscannable(name, stop);
      return;  // the budget is spent or the stream is broken: nothing further is trusted
    }
    visit.member(name, buffer);
  }
}

}  // namespace akgate
