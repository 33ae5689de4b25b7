// The developer's clone as a push: the index as a commit, a range, or what
// git's pre-push hook says it will send (see local_changes.h).
#include "git/local_changes.h"

#include <git2/commit.h>
#include <git2/errors.h>
#include <git2/index.h>
#include <git2/odb.h>
#include <git2/odb_backend.h>
#include <git2/refs.h>
#include <git2/remote.h>
#include <git2/repository.h>
#include <git2/revparse.h>
#include <git2/signature.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "git/git_error.h"
#include "git/git_ptr.h"
#include "git/oid_map.h"

namespace akgate {

namespace {

constexpr char kZeroId[] = "0000000000000000000000000000000000000000";
constexpr size_t kMaxPrePushLines = 1000000;

// The commit `spec` names (through tags), and the ref it is when it is one.
Status ResolveCommit(git_repository* repo, const std::string& spec, git_oid* commit, std::string* ref_name) {
  if (spec.empty()) return Status::InvalidArgument("an empty revision");
  GitPtr<git_object> obj;
  GitPtr<git_reference> ref;
  int rc = git_revparse_ext(obj.out(), ref.out(), repo, spec.c_str());
  if (rc < 0) return GitStatus("no commit \"" + Printable(spec) + "\" in this repository", rc);
  GitPtr<git_object> peeled;
  rc = git_object_peel(peeled.out(), obj.get(), GIT_OBJECT_COMMIT);
  if (rc < 0) return GitStatus("\"" + Printable(spec) + "\" is not a commit", rc);
  *commit = *git_object_id(peeled.get());
  if (ref_name && ref) {
    GitPtr<git_reference> resolved;
    if (git_reference_resolve(resolved.out(), ref.get()) == 0) *ref_name = git_reference_name(resolved.get());
  }
  return Status::Ok();
}

// The commit an object id names, when it is here and is (or tags) a commit.
bool PresentCommit(git_repository* repo, const std::string& hex, git_oid* commit) {
  git_oid id;
  if (IsZeroId(hex) || git_oid_fromstr(&id, hex.c_str()) < 0) return false;
  GitPtr<git_object> obj;
  if (git_object_lookup(obj.out(), repo, &id, GIT_OBJECT_ANY) < 0) {
    git_error_clear();
    return false;
  }
  GitPtr<git_object> peeled;
  if (git_object_peel(peeled.out(), obj.get(), GIT_OBJECT_COMMIT) < 0) {
    git_error_clear();
    return false;
  }
  *commit = *git_object_id(peeled.get());
  return true;
}

bool IsHexId(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

LocalRepository::~LocalRepository() {
  repo_.reset();
  git_repository_free(handle_);
  if (!staging_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(staging_dir_, ec);  // best effort: a temporary directory
  }
}

Status LocalRepository::Discover(LocalRepository* out, const std::string& start) {
  int rc = start.empty() ? git_repository_open_ext(&out->handle_, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr)
                         : git_repository_open_ext(&out->handle_, start.c_str(), 0, nullptr);
  if (rc < 0) {
    const std::string where = start.empty() ? "here" : start;
    if (rc == GIT_ENOTFOUND)
      return Status::NotFound("not inside a git repository (" + where +
                              "): --staged and commit ranges read one; give paths to scan files instead");
    return GitStatus("cannot open the git repository " + where, rc);
  }
  out->git_dir_ = git_repository_commondir(out->handle_);
  if (const char* w = git_repository_workdir(out->handle_)) out->work_tree_ = w;
  return Status::Ok();
}

Status LocalRepository::Open(const std::string& quarantine) {
  RepositoryOptions o;
  o.git_dir = git_dir_;
  o.quarantine_dir = quarantine;
  repo_.reset();
  return Repository::Open(o, &repo_);
}

Status StagedPush(LocalRepository* local, LocalPush* out) {
  git_repository* repo = local->handle_;
  out->what = "the staged changes";
  if (git_repository_is_bare(repo) == 1)
    return Status::InvalidArgument(local->git_dir_ + " is a bare repository: it has no staged changes");
  git_index* index_raw = nullptr;
  int rc = git_repository_index(&index_raw, repo);
  if (rc < 0) return GitStatus("cannot read the index of " + local->git_dir_, rc);
  std::unique_ptr<git_index, void (*)(git_index*)> index(index_raw, git_index_free);
  if (git_index_has_conflicts(index.get()))
    return Status::InvalidArgument(
        "the index has unmerged paths: resolve them and git add them first (git commit refuses too)");

  // A temporary objects directory takes what git commit would write (the
  // trees, the commit); objects already in the repository are not copied.
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/akgate-staged-XXXXXX";
  if (!mkdtemp(tmpl.data())) return Status::IoError("cannot create a temporary directory in " + tmpl);
  local->staging_dir_ = tmpl;
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return GitStatus("cannot open the object database of " + local->git_dir_);
  std::unique_ptr<git_odb, void (*)(git_odb*)> odb_owner(odb, git_odb_free);
  git_odb_backend* staging = nullptr;
  if (git_odb_backend_loose(&staging, tmpl.c_str(), -1, 0, 0, 0) < 0)
    return GitStatus("cannot write objects into " + tmpl);
  // Above the repository's own backends (loose: 1, packs: 2): written objects go here.
  if (git_odb_add_backend(odb, staging, 100) < 0) {
    staging->free(staging);
    return GitStatus("cannot write objects into " + tmpl);
  }
  git_oid tree_id;
  rc = git_index_write_tree(&tree_id, index.get());
  if (rc < 0) return GitStatus("cannot write the index as a tree", rc);
  GitPtr<git_tree> tree;
  if (git_tree_lookup(tree.out(), repo, &tree_id) < 0) return GitStatus("cannot read the staged tree");

  GitPtr<git_commit> parent;
  std::string head_ref = "HEAD";
  GitPtr<git_reference> head;
  rc = git_repository_head(head.out(), repo);
  if (rc == 0) {
    head_ref = git_reference_name(head.get());
    GitPtr<git_object> obj;
    if (git_reference_peel(obj.out(), head.get(), GIT_OBJECT_COMMIT) < 0) return GitStatus("cannot read HEAD");
    if (git_commit_lookup(parent.out(), repo, git_object_id(obj.get())) < 0) return GitStatus("cannot read HEAD");
  } else if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
    git_error_clear();  // the first commit: everything staged is new
    git_reference* unborn = nullptr;
    if (git_reference_lookup(&unborn, repo, "HEAD") == 0) {
      if (const char* t = git_reference_symbolic_target(unborn)) head_ref = t;
      git_reference_free(unborn);
    }
    git_error_clear();
  } else {
    return GitStatus("cannot read HEAD", rc);
  }

  git_signature* sig = nullptr;
  if (git_signature_default(&sig, repo) < 0) {
    git_error_clear();
    if (git_signature_now(&sig, "akgate", "akgate@localhost") < 0) return GitStatus("cannot make a signature");
  }
  std::unique_ptr<git_signature, void (*)(git_signature*)> sig_owner(sig, git_signature_free);
  const git_commit* parents[1] = {parent.get()};
  git_oid commit_id;
  rc = git_commit_create(&commit_id, repo, nullptr, sig, sig, nullptr, "(the staged changes)\n", tree.get(),
                         parent ? 1 : 0, parents);
  if (rc < 0) return GitStatus("cannot write the staged changes as a commit", rc);

  RefUpdate u;
  u.old_id = parent ? OidHex(*git_commit_id(parent.get())) : kZeroId;
  u.new_id = OidHex(commit_id);
  u.ref = head_ref;
  out->updates = {u};
  out->hide.clear();
  if (parent) out->hide.push_back(*git_commit_id(parent.get()));
  return local->Open(tmpl);
}

Status RangePush(LocalRepository* local, const std::string& range, LocalPush* out) {
  out->what = range;
  std::string from = range, to = "HEAD";
  if (size_t dots = range.find(".."); dots != std::string::npos) {
    if (range.compare(dots, 3, "...") == 0)
      return Status::InvalidArgument("\"" + Printable(range) +
                                     "\": A...B is not what a push sends; give A..B (what B has that A has not)");
    from = range.substr(0, dots);
    to = range.substr(dots + 2);
    if (to.empty()) to = "HEAD";
    if (from.empty()) return Status::InvalidArgument("\"" + Printable(range) + "\": the range needs a start (A..B)");
  }
  git_oid from_id, to_id;
  std::string ref = "HEAD";
  AKGATE_RETURN_IF_ERROR(ResolveCommit(local->handle_, from, &from_id, nullptr));
  AKGATE_RETURN_IF_ERROR(ResolveCommit(local->handle_, to, &to_id, &ref));
  out->updates = {{OidHex(from_id), OidHex(to_id), ref}};
  out->hide = {from_id};
  return local->Open("");
}

Status PrePush(LocalRepository* local, const std::string& remote, std::string_view input, LocalPush* out) {
  out->what = "the push to " + Printable(remote);
  out->updates.clear();
  out->hide.clear();
  git_repository* repo = local->handle_;
  size_t line_no = 0;
  while (!input.empty()) {
    size_t nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    if (line_no > kMaxPrePushLines) return Status::ResourceExhausted("more than a million refs on stdin");
    std::string_view f[4];
    for (int i = 0; i < 4; ++i) {
      size_t sp = i < 3 ? line.find(' ') : std::string_view::npos;
      if (i < 3 && sp == std::string_view::npos)
        return Status::InvalidArgument("pre-push input line " + std::to_string(line_no) +
                                       ": expected \"<local ref> <local oid> <remote ref> <remote oid>\"");
      f[i] = line.substr(0, sp);
      line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    }
    if (f[1].size() == 64 || f[3].size() == 64)
      return Status::InvalidArgument("pre-push input line " + std::to_string(line_no) +
                                     ": a SHA-256 repository, which akgate cannot read yet (libgit2 1.5)");
    if (!IsHexId(f[1]) || !IsHexId(f[3]))
      return Status::InvalidArgument("pre-push input line " + std::to_string(line_no) +
                                     ": object ids must be 40 lowercase hex digits");
    if (IsZeroId(f[1])) continue;  // a deletion sends nothing
    out->updates.push_back({std::string(f[3]), std::string(f[1]), std::string(f[2])});
    git_oid have;
    if (PresentCommit(repo, std::string(f[3]), &have)) out->hide.push_back(have);
  }
  // What the remote is known to have: its remote-tracking refs.
  int valid = 0;
  if (git_remote_name_is_valid(&valid, remote.c_str()) == 0 && valid) {
    git_reference_iterator* it = nullptr;
    const std::string glob = "refs/remotes/" + remote + "/*";
    if (git_reference_iterator_glob_new(&it, repo, glob.c_str()) == 0) {
      git_reference* ref = nullptr;
      while (git_reference_next(&ref, it) == 0) {
        git_oid c;
        if (const git_oid* t = git_reference_target(ref); t && PresentCommit(repo, OidHex(*t), &c))
          out->hide.push_back(c);
        git_reference_free(ref);
      }
      git_reference_iterator_free(it);
    }
  }
  git_error_clear();
  return local->Open("");
}

}  // namespace akgate
