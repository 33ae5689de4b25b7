// Keeping compiled rules between processes.
//
// The hook is a new process for every push, and deriving RE2's atoms and the
// Hyperscan literal database costs tens of milliseconds, more than a small
// push's whole scan. The first process that compiles a rule set writes what it
// derived to a cache file named by a hash of everything that shapes it (every
// pattern, keyword and trigger, the akgate and Hyperscan versions); later
// processes load it, and build each RE2 program only when a rule first needs
// it. A cache entry exists only for a rule set that compiled cleanly, so a hit
// also means every pattern was already validated.
//
// The cache is best effort: an unreadable, corrupt or foreign file is ignored
// (the rules are compiled as if there were none) and rewritten atomically.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rule.h"

namespace akgate {

struct CompileCache {
  struct RuleEntry {
    int group = 0;                   // capture group of the secret
    std::vector<std::string> atoms;  // anchor literals
  };
  std::vector<RuleEntry> rules;       // one per rule, in RuleSet order
  std::string_view literal_database;  // serialized Hyperscan database, in `storage`
  // What literal_database points into: the cache file mapped read-only when
  // loaded (its pages are the page cache's: a small push's hook then copies
  // the few hundred KB only once, into Hyperscan's database), or a string
  // when stored.
  std::shared_ptr<const void> storage;
};

// Hex SHA-256 naming the compiled form of `rules`.
std::string CompileCacheKey(const RuleSet& rules);

bool LoadCompileCache(const std::string& dir, const std::string& key, size_t rule_count, CompileCache* out);
void StoreCompileCache(const std::string& dir, const std::string& key, const CompileCache& cache);

// $AKGATE_CACHE_DIR ("off" disables), else $XDG_CACHE_HOME/akgate, else
// $HOME/.cache/akgate; empty when none is set.
std::string DefaultCompileCacheDir();

}  // namespace akgate
