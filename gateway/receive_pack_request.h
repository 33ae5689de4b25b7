// The body of POST <repo>/git-receive-pack, parsed as it streams in
// (gitprotocol-pack, "Reference Update Request and Packfile Transfer"):
//
//   *shallow-line                      "shallow <oid>"
//   command *command flush             "<old> <new> <ref>" (first: "\0<caps>")
//   [*push-option flush]               only when "push-options" is in the caps
//   [PACK...]                          absent when every command is a delete
//   [0000...]                          git's HTTP client ends the body with
//                                      flushes after the pack
//
// Usage:
//
//   ReceivePackParser parser([&](std::string_view pack_bytes) { indexer.Append(pack_bytes); });
//   for each decoded body chunk: if (!parser.Feed(chunk).ok()) -> reject
//   if (!parser.Finish().ok()) -> reject
//   parser.request().commands ...
//
// Hostile input is bounded: every pkt-line is at most 65520 bytes, the number
// of commands, shallow lines and push options is capped (Limits), and every
// error names what was wrong and at which byte.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "gateway/pkt_line.h"
#include "git/ref_update.h"

struct evp_md_ctx_st;

namespace akgate::gateway {

struct ReceivePackRequest {
  std::vector<std::string> shallow;
  // In the client's order, each as the hook reads it (git/ref_update.h). The
  // parser checked every id: 40 or 64 lowercase hex digits, both of one
  // command the same length; the ref non-empty, printable, at most 4096 bytes.
  std::vector<RefUpdate> commands;
  std::vector<std::string> capabilities;  // from the first command
  std::vector<std::string> push_options;
  bool has_pack = false;
  uint64_t pack_bytes = 0;
  bool probe = false;  // the body was exactly a flush ("0000")

  bool HasCapability(std::string_view name) const;
  bool AllDeletes() const;
};

class ReceivePackParser {
 public:
  struct Limits {
    size_t max_commands = 100000;
    size_t max_shallow = 100000;
    size_t max_push_options = 1000;
  };
  using PackSink = std::function<Status(std::string_view)>;

  explicit ReceivePackParser(PackSink sink) : ReceivePackParser(std::move(sink), Limits()) {}
  ReceivePackParser(PackSink sink, Limits limits) : sink_(std::move(sink)), limits_(limits) {}

  // Consumes the next bytes of the (decoded) body. After an error every call
  // returns the same error.
  Status Feed(std::string_view bytes);
  // The body ended: fails when it ended inside the command section or the
  // pack is too short to be one.
  Status Finish();

  const ReceivePackRequest& request() const { return req_; }
  // True once the command list (and push options) were complete, even if
  // the pack after them then failed.
  bool commands_complete() const { return commands_complete_; }

 private:
  enum class State { kCommands, kPushOptions, kPack, kFailed };
  Status Fail(std::string message);
  Status OnPacket(const PktReader::Packet& p);
  Status ParseCommand(std::string payload);
  Status FeedPack(std::string_view bytes);
  Status Deliver(std::string_view bytes);
  Status FinishPack();

  PackSink sink_;
  Limits limits_;
  PktReader reader_;
  ReceivePackRequest req_;
  State state_ = State::kCommands;
  bool commands_complete_ = false;
  Status error_;
  std::string pack_magic_;  // first bytes of the pack, to check "PACK"
  // The pack's end is where its SHA-1 trailer matches what came before it;
  // the last bytes are held back until the body ends so the flushes git's
  // client sends after the pack never reach the indexer.
  std::string held_;
  struct ShaDeleter {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, ShaDeleter> sha_;
  uint64_t body_bytes_ = 0;
};

// Validates an object id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
bool IsObjectId(std::string_view s);

}  // namespace akgate::gateway
