#include "gateway/receive_pack_request.h"

#include <openssl/evp.h>

#include <algorithm>

namespace akgate::gateway {

namespace {

constexpr size_t kMaxRefLength = 4096;
constexpr size_t kTrailer = 20;    // SHA-1 pack checksum
constexpr size_t kHeldBack = 256;  // trailer + any number of flushes that fit

bool ValidRefName(std::string_view ref) {
  if (ref.empty() || ref.size() > kMaxRefLength) return false;
  for (unsigned char c : ref)
    if (c <= 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

bool IsObjectId(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void ReceivePackParser::ShaDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

bool ReceivePackRequest::HasCapability(std::string_view name) const {
  for (const std::string& c : capabilities)
    if (c == name) return true;
  return false;
}

bool ReceivePackRequest::AllDeletes() const {
  return std::all_of(commands.begin(), commands.end(), [](const RefUpdate& c) { return c.is_delete(); });
}

Status ReceivePackParser::Fail(std::string message) {
  state_ = State::kFailed;
  error_ = Status::Corrupt(std::move(message));
  return error_;
}

Status ReceivePackParser::Feed(std::string_view bytes) {
  if (state_ == State::kFailed) return error_;
  body_bytes_ += bytes.size();
  if (state_ == State::kPack) return FeedPack(bytes);
  reader_.Feed(bytes);
  PktReader::Packet p;
  while (state_ == State::kCommands || state_ == State::kPushOptions) {
    PktReader::Result r = reader_.Next(&p);
    if (r == PktReader::kNeedMore) return Status::Ok();
    if (r == PktReader::kError) return Fail(reader_.error());
    AKGATE_RETURN_IF_ERROR(OnPacket(p));
  }
  if (state_ == State::kPack) {
    commands_complete_ = true;
    std::string rest = reader_.TakeRest();
    if (!rest.empty()) return FeedPack(rest);
  }
  return state_ == State::kFailed ? error_ : Status::Ok();
}

Status ReceivePackParser::OnPacket(const PktReader::Packet& p) {
  if (state_ == State::kPushOptions) {
    if (p.type == PktReader::Type::kFlush) {
      state_ = State::kPack;
      return Status::Ok();
    }
    if (p.type != PktReader::Type::kData) return Fail("unexpected special packet among push options");
    if (req_.push_options.size() >= limits_.max_push_options)
      return Fail("more than " + std::to_string(limits_.max_push_options) + " push options");
    std::string opt = p.payload;
    if (!opt.empty() && opt.back() == '\n') opt.pop_back();
    if (opt.find('\0') != std::string::npos) return Fail("push option contains a NUL byte");
    req_.push_options.push_back(std::move(opt));
    return Status::Ok();
  }
  // Command section.
  if (p.type == PktReader::Type::kFlush) {
    if (req_.commands.empty()) {
      // The probe request, or a push that updates nothing: nothing may follow.
      req_.probe = req_.shallow.empty();
      state_ = State::kPack;
      return Status::Ok();
    }
    state_ = req_.HasCapability("push-options") ? State::kPushOptions : State::kPack;
    return Status::Ok();
  }
  if (p.type != PktReader::Type::kData)
    return Fail("unexpected special packet (delim or response-end) in the command list");
  if (p.payload.rfind("shallow ", 0) == 0 && req_.commands.empty()) {
    std::string oid = p.payload.substr(8);
    if (!oid.empty() && oid.back() == '\n') oid.pop_back();
    if (!IsObjectId(oid)) return Fail("malformed shallow line");
    if (req_.shallow.size() >= limits_.max_shallow)
      return Fail("more than " + std::to_string(limits_.max_shallow) + " shallow lines");
    req_.shallow.push_back(std::move(oid));
    return Status::Ok();
  }
  return ParseCommand(p.payload);
}

Status ReceivePackParser::ParseCommand(std::string payload) {
  if (req_.commands.size() >= limits_.max_commands)
    return Fail("more than " + std::to_string(limits_.max_commands) + " ref updates in one push");
  size_t nul = payload.find('\0');
  if (nul != std::string::npos) {
    if (!req_.commands.empty()) return Fail("capabilities after the first command");
    std::string caps = payload.substr(nul + 1);
    if (!caps.empty() && caps.back() == '\n') caps.pop_back();
    req_.capabilities = SplitCapabilities(caps);
    payload.resize(nul);
  }
  if (!payload.empty() && payload.back() == '\n') payload.pop_back();
  size_t sp1 = payload.find(' ');
  size_t sp2 = sp1 == std::string::npos ? std::string::npos : payload.find(' ', sp1 + 1);
  std::string index = std::to_string(req_.commands.size() + 1);
  if (sp2 == std::string::npos) return Fail("malformed command " + index + " (expected \"<old> <new> <ref>\")");
  RefUpdate c;
  c.old_id = payload.substr(0, sp1);
  c.new_id = payload.substr(sp1 + 1, sp2 - sp1 - 1);
  c.ref = payload.substr(sp2 + 1);
  if (!IsObjectId(c.old_id) || !IsObjectId(c.new_id) || c.old_id.size() != c.new_id.size())
    return Fail("malformed object id in command " + index);
  if (!ValidRefName(c.ref)) return Fail("malformed ref name in command " + index);
  req_.commands.push_back(std::move(c));
  return Status::Ok();
}

Status ReceivePackParser::FeedPack(std::string_view bytes) {
  if (bytes.empty()) return Status::Ok();
  if (req_.commands.empty()) return Fail("data after the flush of a request without commands");
  if (req_.AllDeletes()) return Fail("data after the commands of a delete-only push");
  if (pack_magic_.size() < 4) {
    size_t take = std::min(bytes.size(), 4 - pack_magic_.size());
    pack_magic_.append(bytes.substr(0, take));
    if (std::string_view("PACK").substr(0, pack_magic_.size()) != pack_magic_)
      return Fail("the pack data does not start with \"PACK\"");
  }
  if (!req_.has_pack) {
    sha_.reset(EVP_MD_CTX_new());
    if (!sha_ || EVP_DigestInit_ex(sha_.get(), EVP_sha1(), nullptr) != 1) return Fail("cannot hash the pack");
  }
  req_.has_pack = true;
  held_.append(bytes);
  if (held_.size() > kHeldBack) {
    size_t n = held_.size() - kHeldBack;
    Status s = Deliver(std::string_view(held_).substr(0, n));
    held_.erase(0, n);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ReceivePackParser::Deliver(std::string_view bytes) {
  EVP_DigestUpdate(sha_.get(), bytes.data(), bytes.size());
  req_.pack_bytes += bytes.size();
  Status s = sink_(bytes);
  if (!s.ok()) return Fail(s.message());
  return Status::Ok();
}

// The pack ends where its trailer is the SHA-1 of everything before it; what
// follows may only be flushes ("0000").
Status ReceivePackParser::FinishPack() {
  std::string_view held = held_;
  for (size_t strip = 0; strip + kTrailer <= held.size(); strip += 4) {
    std::string_view after = held.substr(held.size() - strip);
    if (after.find_first_not_of('0') != std::string_view::npos) break;
    size_t end = held.size() - strip;
    std::unique_ptr<EVP_MD_CTX, ShaDeleter> ctx(EVP_MD_CTX_new());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), sha_.get()) != 1 ||
        EVP_DigestUpdate(ctx.get(), held.data(), end - kTrailer) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1)
      break;
    if (len == kTrailer &&
        std::string_view(reinterpret_cast<const char*>(digest), kTrailer) == held.substr(end - kTrailer, kTrailer))
      return Deliver(held.substr(0, end));
  }
  // No valid trailer: hand everything over; the indexer says what is wrong.
  return Deliver(held);
}

Status ReceivePackParser::Finish() {
  if (state_ == State::kFailed) return error_;
  if (state_ == State::kCommands) {
    if (body_bytes_ == 0) return Fail("empty request body");
    return Fail("the request body ended inside the command list (no flush)");
  }
  if (state_ == State::kPushOptions) return Fail("the request body ended inside the push options");
  if (req_.has_pack) {
    AKGATE_RETURN_IF_ERROR(FinishPack());
    if (req_.pack_bytes < 32) return Fail("the pack is truncated");
  }
  return Status::Ok();
}

}  // namespace akgate::gateway
