#include "verify/result_cache.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace akgate::verify {

namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS verification ("
    " fingerprint TEXT PRIMARY KEY,"
    " provider TEXT NOT NULL,"
    " liveness TEXT NOT NULL,"
    " principal TEXT NOT NULL,"
    " account_id TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " arn TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " message TEXT NOT NULL,"
    " checked_at INTEGER NOT NULL)";

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status::IoError("verification cache: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A statement, finalised when out of scope.
struct Statement {
  sqlite3_stmt* s = nullptr;
  ~Statement() { sqlite3_finalize(s); }
  void Text(int i, const std::string& v) const {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  std::string Column(int i) const {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
};

}  // namespace

Status ResultCache::Open(const std::string& path, std::unique_ptr<ResultCache>* out) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path() && !std::filesystem::exists(p.parent_path(), ec)) {
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec)
      return Status::IoError("verification cache: cannot create " + p.parent_path().string() + ": " + ec.message());
    ::chmod(p.parent_path().c_str(), 0700);
  }
  // Created private before SQLite opens it: the file names which keys are live.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("verification cache: cannot open " + path);
  ::close(fd);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    Status s = SqliteError(db, "cannot open " + path);
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 2000);
  char* err = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    sqlite3_close(db);
    return Status::IoError("verification cache: " + path + " is not a cache this version can use: " + m);
  }
  out->reset(new ResultCache(db));
  return Status::Ok();
}

ResultCache::~ResultCache() { sqlite3_close(db_); }

bool ResultCache::Get(const std::string& fingerprint, int64_t now, int64_t ttl_seconds, Identity* out,
                      int64_t* checked_at) {
  Statement st;
  if (sqlite3_prepare_v2(db_,
                         "SELECT liveness, principal, account_id, name, arn, reason, message, checked_at "
                         "FROM verification WHERE fingerprint = ?1",
                         -1, &st.s, nullptr) != SQLITE_OK)
    return false;
  st.Text(1, fingerprint);
  if (sqlite3_step(st.s) != SQLITE_ROW) return false;
  int64_t at = sqlite3_column_int64(st.s, 7);
  if (at > now || now - at > ttl_seconds) return false;
  Identity id;
  std::string liveness = st.Column(0), principal = st.Column(1);
  if (liveness == "live")
    id.liveness = Liveness::kLive;
  else if (liveness == "not-live")
    id.liveness = Liveness::kNotLive;
  else
    return false;
  if (principal == "root")
    id.principal = Principal::kRoot;
  else if (principal == "user")
    id.principal = Principal::kUser;
  else if (principal == "session")
    id.principal = Principal::kSession;
  id.account_id = st.Column(2);
  id.name = st.Column(3);
  id.arn = st.Column(4);
  id.reason = st.Column(5);
  id.message = st.Column(6);
  *out = id;
  if (checked_at) *checked_at = at;
  return true;
}

Status ResultCache::Put(const std::string& fingerprint, Provider provider, const Identity& identity, int64_t now) {
  if (identity.liveness == Liveness::kUnknown) return Status::Ok();
  Statement st;
  if (sqlite3_prepare_v2(db_,
                         "INSERT OR REPLACE INTO verification (fingerprint, provider, liveness, principal, "
                         "account_id, name, arn, reason, message, checked_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                         -1, &st.s, nullptr) != SQLITE_OK)
    return SqliteError(db_, "preparing a write");
  st.Text(1, fingerprint);
  st.Text(2, std::string(ProviderName(provider)));
  st.Text(3, std::string(LivenessName(identity.liveness)));
  st.Text(4, std::string(PrincipalName(identity.principal)));
  st.Text(5, identity.account_id);
  st.Text(6, identity.name);
  st.Text(7, identity.arn);
  st.Text(8, identity.reason);
  st.Text(9, identity.message);
  sqlite3_bind_int64(st.s, 10, now);
  if (sqlite3_step(st.s) != SQLITE_DONE) return SqliteError(db_, "writing");
  return Status::Ok();
}

}  // namespace akgate::verify
