// A push body as the gateway takes it in (gateway/push_intake.h, push_spool.h):
// spooled exactly as sent, decoded, parsed and indexed within the limits,
// and the spool gone afterwards on every path, the failing ones first.
#include <doctest/doctest.h>
#include <git2.h>
#include <openssl/sha.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/pkt_line.h"
#include "gateway/push_intake.h"
#include "git_fixture.h"
#include "gzip_helper.h"

using namespace akgate;
using namespace akgate::gateway;
using akgate::testing::Gzip;
using akgate::testing::Hex;
using akgate::testing::PackOf;
using akgate::testing::TempDir;
using akgate::testing::TestRepo;

namespace {

const std::string kZero(40, '0');

// Entries in `dir` (the spools under a temp root).
size_t Entries(const std::string& dir) {
  size_t n = 0;
  for (auto it = std::filesystem::directory_iterator(dir); it != std::filesystem::directory_iterator(); ++it) ++n;
  return n;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A thin pack: one delta against a base the pack does not hold.
std::string ThinPack() {
  std::string delta = std::string("\x05\x05\x05", 3) + "hello";  // base size 5, result size 5, insert "hello"
  std::string pack("PACK\0\0\0\2\0\0\0\1", 12);
  pack += static_cast<char>((7 << 4) | static_cast<int>(delta.size()));  // OBJ_REF_DELTA, size 8
  pack += std::string(20, '\x42');                                       // the missing base
  uLongf len = compressBound(delta.size());
  std::string z(len, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(z.data()), &len, reinterpret_cast<const Bytef*>(delta.data()),
                   delta.size()) == Z_OK);
  pack += z.substr(0, len);
  unsigned char sha[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(pack.data()), pack.size(), sha);
  pack.append(reinterpret_cast<const char*>(sha), sizeof sha);
  return pack;
}

std::string Commands(const std::string& old_id, const std::string& new_id, const std::string& ref) {
  return PktLine(old_id + " " + new_id + " " + ref + std::string("\0", 1) + "report-status side-band-64k\n") + "0000";
}

PushIntake::Limits Limits(uint64_t max_push_bytes, unsigned ratio = 20) {
  return PushIntake::Limits{max_push_bytes, ratio};
}

std::unique_ptr<PushIntake> Intake(const std::string& root, PushIntake::Limits limits, std::string_view encoding = "") {
  std::unique_ptr<PushIntake> in;
  Status s = PushIntake::Create(root, encoding, limits, &in);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return in;
}

// Hands `body` over in pieces of `step` bytes; the first error, or Finish's.
Status TakeAll(PushIntake& in, const std::string& body, size_t step) {
  for (size_t i = 0; i < body.size(); i += step)
    if (Status s = in.Take(std::string_view(body).substr(i, step)); !s.ok()) return s;
  return in.Finish();
}

}  // namespace

TEST_CASE("push intake: a real push is spooled byte for byte, parsed, its pack indexed, the spool removed after") {
  TestRepo repo;
  git_oid c = repo.Commit({{"a.txt", "hello\n"}, {"dir/b.txt", "world\n"}}, {});
  std::string body = Commands(kZero, Hex(c), "refs/heads/main") + PackOf(repo, c) + "0000";
  TempDir root;
  std::string spool_dir;
  {
    auto in = Intake(root.path(), Limits(1 << 20));
    Status s = TakeAll(*in, body, 1000);
    REQUIRE_MESSAGE(s.ok(), s.message());
    REQUIRE(in->request().commands.size() == 1);
    CHECK(in->request().commands[0].new_id == Hex(c));
    CHECK(in->request().commands[0].is_create());
    CHECK(in->request().HasCapability("side-band-64k"));
    CHECK(in->received_bytes() == body.size());
    CHECK(in->spool().body_bytes() == body.size());
    Status committed = in->spool().CommitPack();
    REQUIRE_MESSAGE(committed.ok(), committed.message());
    CHECK(Slurp(in->spool().body_path()) == body);  // what is forwarded is what was sent
    CHECK(in->spool().pack_objects() == 5);         // commit, two trees, two blobs
    spool_dir = in->spool().dir();
    CHECK(std::filesystem::is_directory(spool_dir + "/objects/pack"));
    CHECK(spool_dir.rfind(root.path() + "/push-", 0) == 0);
    CHECK((std::filesystem::status(spool_dir).permissions() & std::filesystem::perms::all) ==
          std::filesystem::perms::owner_all);  // 0700: the push is nobody else's
  }
  CHECK_FALSE(std::filesystem::exists(spool_dir));
  CHECK(Entries(root.path()) == 0);
}

TEST_CASE("push intake: more than limits.max_push_bytes is refused, nothing past the limit is spooled") {
  TestRepo repo;
  git_oid c = repo.Commit({{"big.txt", akgate::testing::RandomAlnum(200000)}}, {});  // does not compress
  std::string body = Commands(kZero, Hex(c), "refs/heads/main") + PackOf(repo, c);
  TempDir root;
  {
    const uint64_t limit = body.size() / 2;
    auto in = Intake(root.path(), Limits(limit));
    Status s = TakeAll(*in, body, 4096);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kResourceExhausted);
    CHECK(s.message().find("limits.max_push_bytes") != std::string::npos);
    CHECK(in->too_large());
    CHECK_FALSE(in->pack_error());
    CHECK(in->spool().body_bytes() <= limit);
    CHECK(in->Take("more").message() == s.message());  // the first error sticks
  }
  CHECK(Entries(root.path()) == 0);
}

TEST_CASE("push intake: a compressed body that expands beyond the limits is a limit, not corruption") {
  // 60000 shallow lines (3 MB) compress more than a hundredfold.
  std::string plain;
  for (int i = 0; i < 60000; ++i) plain += PktLine("shallow " + std::string(40, 'a') + "\n");
  std::string gz = Gzip(plain);
  TempDir root;
  {
    auto in = Intake(root.path(), Limits(64 << 20, 20), "gzip");
    Status s = TakeAll(*in, gz, 4096);
    REQUIRE_FALSE(s.ok());
    CHECK(in->decode_limit_exceeded());
    CHECK_FALSE(in->too_large());
    CHECK(s.message().find("expands more than 20") != std::string::npos);
  }
  {
    auto in = Intake(root.path(), Limits(1 << 20, 0), "gzip");  // no ratio: the decoded size still counts
    Status s = TakeAll(*in, gz, 4096);
    REQUIRE_FALSE(s.ok());
    CHECK(in->decode_limit_exceeded());
  }
  CHECK(Entries(root.path()) == 0);
}

TEST_CASE("push intake: malformed bodies name what was wrong; only a broken pack is a pack error") {
  TempDir root;
  {
    auto in = Intake(root.path(), Limits(1 << 20));
    Status s = TakeAll(*in, PktLine("not a command\n") + "0000", 3);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("malformed object id in command 1") != std::string::npos);
    CHECK_FALSE(in->commands_complete());
    CHECK_FALSE(in->pack_error());
  }
  {
    auto in = Intake(root.path(), Limits(1 << 20));
    std::string body = Commands(kZero, std::string(40, 'b'), "refs/heads/x") + std::string("PACK\0\0", 6);
    Status s = TakeAll(*in, body, 64);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("the pack is truncated") != std::string::npos);
    CHECK(in->commands_complete());
    CHECK(in->pack_error());  // git shows it as the unpack status
  }
  {
    auto in = Intake(root.path(), Limits(1 << 20));
    Status s = TakeAll(*in, Commands(kZero, std::string(40, 'b'), "refs/heads/x") + "GARBAGE GARBAGE", 64);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("does not start with \"PACK\"") != std::string::npos);
    CHECK(in->commands_complete());
  }
  {
    auto in = Intake(root.path(), Limits(1 << 20), "gzip");
    Status s = TakeAll(*in, "not gzip at all", 4);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("compressed request body") != std::string::npos);
    CHECK_FALSE(in->decode_limit_exceeded());
  }
  {
    auto in = Intake(root.path(), Limits(1 << 20));
    Status s = TakeAll(*in, Commands(kZero, std::string(40, 'b'), "refs/heads/x").substr(0, 30), 7);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("ended inside the command list") != std::string::npos);
  }
  CHECK(Entries(root.path()) == 0);
}

TEST_CASE("push intake: a thin pack fails when it is committed, and the spool is still removed") {
  TempDir root;
  {
    auto in = Intake(root.path(), Limits(1 << 20));
    Status s = TakeAll(*in, Commands(kZero, std::string(40, 'b'), "refs/heads/x") + ThinPack(), 5);
    // Well-formed as it streams; the missing base is found out by the indexer.
    Status committed = s.ok() ? in->spool().CommitPack() : s;
    CHECK_FALSE(committed.ok());
    CHECK_FALSE(committed.message().empty());
  }
  CHECK(Entries(root.path()) == 0);
}

TEST_CASE("push intake: an unsupported encoding or an unusable temp_dir is refused before anything is stored") {
  TempDir root;
  std::unique_ptr<PushIntake> in;
  Status s = PushIntake::Create(root.path(), "br", Limits(1 << 20), &in);
  CHECK(s.code() == StatusCode::kInvalidArgument);  // the handler answers 415
  CHECK(s.message().find("unsupported Content-Encoding \"br\"") != std::string::npos);
  CHECK(in == nullptr);
  CHECK(Entries(root.path()) == 0);

  std::ofstream(root.path() + "/file") << "not a directory";
  s = PushIntake::Create(root.path() + "/file/spool", "", Limits(1 << 20), &in);
  CHECK(s.code() == StatusCode::kIoError);  // the handler answers 503
  CHECK(s.message().find(root.path() + "/file/spool") != std::string::npos);
  CHECK(in == nullptr);
}

TEST_CASE("push spool: a full disk (a file size limit) fails the write clearly, and the spool is removed") {
  TempDir root;
  {
    auto in = Intake(root.path(), Limits(64 << 20));
    rlimit saved{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto old_handler = signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
    rlimit small = saved;
    small.rlim_cur = 64 * 1024;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    Status s = in->Take(std::string(256 * 1024, '0'));
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, old_handler);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kIoError);
    CHECK(s.message().find("cannot write the push to the temporary directory") != std::string::npos);
    CHECK(in->spool_failed());
    CHECK_FALSE(in->pack_error());
    CHECK_FALSE(in->too_large());
  }
  CHECK(Entries(root.path()) == 0);
}

TEST_CASE("push spool: at start, only the spools no living process holds are removed") {
  TempDir root;
  std::unique_ptr<PushSpool> live;
  REQUIRE(PushSpool::Create(root.path(), &live).ok());
  REQUIRE(live->AppendBody("live push").ok());
  // What a SIGKILLed gateway leaves: a spool with a body and no lock.
  const std::string dead = root.path() + "/push-dead01";
  std::filesystem::create_directories(dead + "/objects/pack");
  std::ofstream(dead + "/body") << "dead push";
  // Being created right now (mkdtemp done, body not yet): not taken.
  std::filesystem::create_directory(root.path() + "/push-young1");
  // Not a spool, and a link that must not be followed out of temp_dir.
  TempDir elsewhere;
  std::ofstream(elsewhere.path() + "/body") << "not ours";
  std::filesystem::create_directory(root.path() + "/other");
  std::ofstream(root.path() + "/other/body") << "not a spool";
  std::filesystem::create_directory_symlink(elsewhere.path(), root.path() + "/push-link01");

  CHECK(PushSpool::RemoveStale(root.path()) == 1);
  CHECK_FALSE(std::filesystem::exists(dead));
  CHECK(std::filesystem::exists(live->body_path()));
  CHECK(std::filesystem::exists(root.path() + "/push-young1"));
  CHECK(std::filesystem::exists(root.path() + "/other/body"));
  CHECK(std::filesystem::exists(elsewhere.path() + "/body"));
  CHECK(PushSpool::RemoveStale(root.path()) == 0);
  CHECK(PushSpool::RemoveStale(root.path() + "/missing") == 0);  // no temp_dir yet: nothing to do, no error
}
