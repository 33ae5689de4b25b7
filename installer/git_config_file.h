// One git config file (a repository's config, /etc/gitconfig, ...), read and
// changed through `git config --file`, so git's own parser, file format and
// lock file are used and the result is exactly what git would write.
//
//   GitConfigFile c("/srv/git/app.git/config");
//   std::optional<std::string> v;
//   Status s = c.Get("receive.advertisePushOptions", &v);   // nullopt: not set
//   s = c.Set("receive.advertisePushOptions", "true");
//
// git runs with / as its working directory (no repository discovery, so no
// "dubious ownership" refusals when root edits another user's repository).
// A changed file keeps its owner when root changes it; a file root creates is
// given to the owner of its directory.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

class GitConfigFile {
 public:
  explicit GitConfigFile(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // The last value of `key`, or nullopt when it is not set (or the file does
  // not exist). Error when git cannot read the file.
  Status Get(const std::string& key, std::optional<std::string>* value) const;
  Status Set(const std::string& key, const std::string& value) const;
  Status Unset(const std::string& key) const;  // every value; ok when not set

  // A "[section]" header line is in the file, with or without keys under it.
  bool HasSectionHeader(const std::string& section) const;
  bool SectionHasKeys(const std::string& section) const;
  Status RemoveSection(const std::string& section) const;

 private:
  Status Change(const std::vector<std::string>& args, const std::string& what) const;
  std::string path_;
};

// The system gitconfig git reads: $GIT_CONFIG_SYSTEM, else /etc/gitconfig.
std::string SystemGitConfigPath();

}  // namespace akgate
