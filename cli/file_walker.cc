#include "cli/file_walker.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace akgate {

namespace fs = std::filesystem;

namespace {

void Walk(const fs::path& dir, WalkResult* out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    out->errors.push_back(dir.string() + ": " + ec.message());
    return;
  }
  std::vector<fs::path> subdirs;
  for (; it != end; it.increment(ec)) {
    if (ec) {
      out->errors.push_back(dir.string() + ": " + ec.message());
      return;
    }
    const fs::directory_entry& e = *it;
    std::error_code sec;
    fs::file_status st = e.symlink_status(sec);
    if (sec) {
      out->errors.push_back(e.path().string() + ": " + sec.message());
      continue;
    }
    if (fs::is_symlink(st)) {
      out->symlinks++;
    } else if (fs::is_directory(st)) {
      if (e.path().filename() != ".git") subdirs.push_back(e.path());
    } else if (fs::is_regular_file(st)) {
      out->files.push_back(e.path().string());
    }
  }
  for (const fs::path& d : subdirs) Walk(d, out);
}

}  // namespace

WalkResult WalkPaths(const std::vector<std::string>& paths) {
  WalkResult out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.files.push_back(p);
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);  // a path named explicitly is followed
    if (ec) {
      out.bad_paths.push_back(p + ": " + ec.message());
    } else if (fs::is_directory(st)) {
      Walk(p, &out);
    } else if (fs::is_regular_file(st)) {
      out.files.push_back(p);
    } else {
      out.bad_paths.push_back(p + ": not a regular file or directory");
    }
  }
  return out;
}

FileBytes::~FileBytes() {
  if (map_) munmap(map_, size_);
}

bool FileBytes::Open(const std::string& path, uint64_t max_bytes, std::string* error, bool* too_large) {
  *too_large = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *error = path + ": " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  size_ = static_cast<uint64_t>(st.st_size);
  if (size_ > max_bytes) {
    *too_large = true;
    ::close(fd);
    return true;
  }
  if (size_ >= (16u << 20)) {
    void* m = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      madvise(m, size_, MADV_SEQUENTIAL);
      map_ = m;
      data_ = std::string_view(static_cast<const char*>(m), size_);
      ::close(fd);
      return true;
    }
  }
  owned_.resize(size_);
  uint64_t got = 0;
  while (got < size_) {
    ssize_t n = ::read(fd, owned_.data() + got, size_ - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = path + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;  // file shrank while reading
    got += static_cast<uint64_t>(n);
  }
  owned_.resize(got);
  data_ = owned_;
  ::close(fd);
  return true;
}

bool FileBytes::ReadStdin(uint64_t max_bytes, std::string* error, bool* too_large) {
  *too_large = false;
  owned_.clear();
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::string("<stdin>: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    if (owned_.size() + static_cast<uint64_t>(n) > max_bytes) {
      *too_large = true;  // keep draining so the writer is not killed by SIGPIPE
      owned_.clear();
      while (::read(0, buf, sizeof buf) > 0) {
      }
      return true;
    }
    owned_.append(buf, static_cast<size_t>(n));
  }
  size_ = owned_.size();
  data_ = owned_;
  return true;
}

}  // namespace akgate
