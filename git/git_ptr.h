// Ownership of libgit2 objects: a libgit2 lookup hands the caller an object
// that the caller must free with the matching git_<type>_free. GitPtr<T>
// does that when it goes out of scope, early returns included.
//
//   GitPtr<git_commit> c;
//   if (git_commit_lookup(c.out(), repo, &id) < 0) return ...;
//   use(c.get());                      // freed here, whichever way we leave
#pragma once

#include <git2/commit.h>
#include <git2/object.h>
#include <git2/odb.h>
#include <git2/refs.h>
#include <git2/tag.h>
#include <git2/tree.h>

namespace akgate {

template <typename T>
struct GitFree;
template <>
struct GitFree<git_commit> {
  void operator()(git_commit* p) const { git_commit_free(p); }
};
template <>
struct GitFree<git_tree> {
  void operator()(git_tree* p) const { git_tree_free(p); }
};
template <>
struct GitFree<git_tag> {
  void operator()(git_tag* p) const { git_tag_free(p); }
};
template <>
struct GitFree<git_object> {
  void operator()(git_object* p) const { git_object_free(p); }
};
template <>
struct GitFree<git_reference> {
  void operator()(git_reference* p) const { git_reference_free(p); }
};
template <>
struct GitFree<git_odb_object> {
  void operator()(git_odb_object* p) const { git_odb_object_free(p); }
};

template <typename T>
class GitPtr {
 public:
  GitPtr() = default;
  GitPtr(const GitPtr&) = delete;
  GitPtr& operator=(const GitPtr&) = delete;
  ~GitPtr() { reset(); }

  T* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // Where a libgit2 call writes the object it hands over (the old one freed).
  T** out() {
    reset();
    return &p_;
  }
  void reset() {
    if (p_) GitFree<T>()(p_);
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};

}  // namespace akgate
