#include "cli/file_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/git_files.h"

namespace akgate {

namespace fs = std::filesystem;

namespace {

std::string Join(const std::string& dir, const char* name) {
  std::string path = dir;
  if (path.empty() || path.back() != '/') path += '/';
  return path += name;
}

// readdir's d_type says what an entry is on the file systems that matter
// (ext4, xfs, btrfs, tmpfs); only where it is DT_UNKNOWN does the entry cost
// an lstat. std::filesystem's iterator lstat'ed every entry: one system call
// per file of the scan, as costly as opening it.
void Walk(const std::string& dir, WalkResult* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    out->errors.push_back(dir + ": " + std::strerror(errno));
    return;
  }
  std::vector<std::string> subdirs;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(d);
    if (!e) {
      if (errno != 0) {
        out->errors.push_back(dir + ": " + std::strerror(errno));
        ::closedir(d);
        return;
      }
      break;
    }
    const char* name = e->d_name;
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (::fstatat(::dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        out->errors.push_back(Join(dir, name) + ": " + std::strerror(errno));
        continue;
      }
      type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_LNK) {
      out->symlinks++;
    } else if (type == DT_DIR) {
      if (std::strcmp(name, ".git") != 0) subdirs.push_back(Join(dir, name));
    } else if (type == DT_REG) {
      out->files.push_back(Join(dir, name));
    }
  }
  ::closedir(d);
  for (const std::string& sub : subdirs) Walk(sub, out);
}

// What git lists in `dir`; false when dir is not in a work tree (walked
// as any directory then). A listed directory is a submodule: listed by its
// own git in turn.
bool WalkGit(const std::string& dir, WalkResult* out) {
  std::vector<std::string> listed;
  std::string error;
  GitListing how = ListGitFiles(dir, &listed, &error);
  if (how == GitListing::kNotWorkTree) return false;
  if (how == GitListing::kFailed) {  // scanning more is safe; scanning less is not
    out->notes.push_back(error + "; every file under " + dir + " is scanned");
    return false;
  }
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());  // unmerged paths: once
  for (const std::string& rel : listed) {
    std::string path = Join(dir, rel.c_str());
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno != ENOENT) out->errors.push_back(path + ": " + std::strerror(errno));
      continue;  // tracked, deleted from the work tree: nothing to read (--staged reads the index)
    }
    if (S_ISLNK(st.st_mode)) {
      out->symlinks++;
    } else if (S_ISDIR(st.st_mode)) {
      if (!WalkGit(path, out)) Walk(path, out);
    } else if (S_ISREG(st.st_mode)) {
      out->files.push_back(path);
    }
  }
  return true;
}

}  // namespace

WalkResult WalkPaths(const std::vector<std::string>& paths, bool git_aware) {
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
      if (!git_aware || !WalkGit(p, &out)) Walk(p, &out);
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
  // The buffer only grows: resizing it down and up again for every file
  // zero-filled the difference each time. Growing, its old bytes need no copy.
  if (owned_.size() < size_) {
    owned_.clear();
    owned_.resize(size_);
  }
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
  data_ = std::string_view(owned_.data(), got);
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
