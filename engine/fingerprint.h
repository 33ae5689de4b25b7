// Fingerprints: which credential a finding is, without saying what it is.
//
// A fingerprint is 16 hex digits (64 bits) of
//
//   HMAC-SHA256(installation key, "akgate-fp-2" NUL kind NUL provider NUL value)
//
// where `provider` is the rule's provider, normalised ("Alibaba Cloud" ->
// "alibaba-cloud"; none -> "generic") and `value` the credential itself. The
// rule id is not in it: renaming or splitting a rule changes no fingerprint.
// A pair's fingerprint is its first part's (the key ID, for every built-in
// pair), so the same AccessKey found as a pair in one file and as a lone ID
// in another has one fingerprint; each part keeps its own (the secret's is
// that of the same secret found alone).
//
// The key (FingerprintKey: 32 random bytes, one per installation) makes a
// fingerprint useless to someone trying a dictionary of passwords: without
// the key, the 64 bits say nothing about the value. Where the key lives:
//   - the hook: `fingerprint.key` next to the server-wide policy file
//     (/etc/akgate/fingerprint.key), created by `akgate install`;
//   - the gateway: [inspect] fingerprint_key, else the same default;
//   - `akgate scan`: --fingerprint-key FILE, else $AKGATE_FINGERPRINT_KEY, else
//     $XDG_CONFIG_HOME/akgate/fingerprint.key (~/.config/...), created on
//     first use.
// A key file that is missing (where it is not created), unreadable, not 64
// hex digits, or readable by other users is an error naming the file: the
// hook and the gateway then fail closed, never fall back to an unkeyed hash.
//
// Fingerprints of akgate before 0.2 were SHA-256(rule id, secrets), unkeyed
// (LegacyFingerprint). Allowlists written with them still match (computed in
// memory, never printed), and each entry that matched is reported with its
// new fingerprint, so administrators can replace it (docs/hook.md,
// "Fingerprints").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace akgate {

class FingerprintKey {
 public:
  static constexpr size_t kBytes = 32;
  // The all-zero key: a Scanner created without a key uses it. It protects
  // nothing; tests and library users that do not care use it. The hook,
  // the gateway and `akgate scan` always load an installation's key.
  FingerprintKey() { bytes_.fill(0); }
  explicit FingerprintKey(const std::array<uint8_t, kBytes>& bytes) : bytes_(bytes) {}
  const std::array<uint8_t, kBytes>& bytes() const { return bytes_; }

  // Reads a key file: 64 hex digits (32 bytes), optionally followed by a
  // newline. Fails, naming the file, when it is missing, not a regular file,
  // readable or writable by others (mode & 0007, or writable by its group),
  // or not exactly that.
  [[nodiscard]] static Status Load(const std::string& path, FingerprintKey* out);
  // Load, or, when the file does not exist, a new random key written there
  // (mode 0600, its directory created mode 0700 if needed). An existing file
  // is never replaced.
  [[nodiscard]] static Status LoadOrCreate(const std::string& path, FingerprintKey* out);
  // A new random key (OpenSSL's RAND_bytes) in the file's format.
  [[nodiscard]] static Status Generate(std::string* hex);

 private:
  std::array<uint8_t, kBytes> bytes_;
};

// What a fingerprint identifies.
enum class FingerprintKind {
  kCredential,   // a key, token or password: value = the secret
  kFile,         // a path-only rule's file: value = the path
  kUnscannable,  // content that could not be scanned: value = member NUL content hash
};

// "Alibaba Cloud" -> "alibaba-cloud": lower case, every run of other
// characters than [a-z0-9] one '-', none at either end; "" -> "generic".
std::string NormaliseProvider(std::string_view provider);

// The one function that makes a fingerprint (see the top of this file).
std::string Fingerprint(const FingerprintKey& key, FingerprintKind kind, std::string_view provider,
                        std::string_view value);

// The fingerprint of akgate before 0.2: the first 64 bits of
// SHA-256(rule_id NUL secret NUL ...). Only to match old allowlist entries;
// never shown.
std::string LegacyFingerprint(std::string_view rule_id, const std::vector<std::string_view>& secrets);

// HMAC-SHA256 (RFC 2104), over the low-level SHA-256 of sha256.h: OpenSSL's
// EVP HMAC fetches its implementation on first use, which costs a small
// push's hook more than its whole decision (see sha256.h). Checked against
// RFC 4231's vectors and OpenSSL's HMAC() in the unit tests.
std::array<uint8_t, 32> HmacSha256(const std::array<uint8_t, FingerprintKey::kBytes>& key, std::string_view message);

// The key file `akgate scan` uses when given none: $XDG_CONFIG_HOME/akgate/
// fingerprint.key, else $HOME/.config/akgate/fingerprint.key ("" when
// neither variable is set).
std::string DefaultUserFingerprintKeyFile();

}  // namespace akgate
