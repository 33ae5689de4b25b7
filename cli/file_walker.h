// Which files `akgate scan PATH...` reads, and reading them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace akgate {

struct WalkResult {
  std::vector<std::string> files;  // regular files, in walk order
  // "PATH: reason" for a path named on the command line that does not exist
  // or is neither a file nor a directory: nothing was scanned for it.
  std::vector<std::string> bad_paths;
  std::vector<std::string> errors;  // "PATH: reason", for directories that could not be read
  uint64_t symlinks = 0;            // inside directories: not followed (so never a loop), counted
  // Directories git could not list (a repository owned by another user, a
  // damaged index): walked in full instead, and said ("PATH: reason").
  std::vector<std::string> notes;
};

// Expands files and directories (recursively, skipping `.git` directories
// and not following symlinks; a path named on the command line is followed).
// "-" stands for standard input and is kept. With `git_aware`, a directory
// inside a git work tree gives what git lists there (cli/git_files.h):
// tracked files and untracked ones that are not ignored; a tracked file
// deleted from the work tree is not there to read and is left out. A file
// named on the command line is read whatever git thinks of it.
WalkResult WalkPaths(const std::vector<std::string>& paths, bool git_aware = false);

// A file's bytes: read into a caller-owned buffer that is reused from file to
// file (cheaper than mapping small files), memory-mapped when large. Empty
// `error` means success; `too_large` is set (and nothing read) when the size
// exceeds `max_bytes`.
class FileBytes {
 public:
  explicit FileBytes(std::string* buffer) : owned_(*buffer) {}
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

  bool Open(const std::string& path, uint64_t max_bytes, std::string* error, bool* too_large);
  bool ReadStdin(uint64_t max_bytes, std::string* error, bool* too_large);
  std::string_view data() const { return data_; }
  uint64_t size_on_disk() const { return size_; }

 private:
  std::string_view data_;
  std::string& owned_;
  void* map_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace akgate
