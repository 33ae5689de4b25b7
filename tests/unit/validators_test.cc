// The named validators a rule can require of its secret (engine/validators.h):
// checksums and structure, checked offline.
#include "engine/validators.h"

#include <doctest/doctest.h>

using namespace akgate;

TEST_CASE("validators: every name resolves, an unknown one does not") {
  for (const char* name : {"github-crc32", "base62-crc32", "bech32", "base64-userpass", "jwt"})
    CHECK_MESSAGE(static_cast<bool>(FindValidator(name)), name);
  CHECK_FALSE(static_cast<bool>(FindValidator("luhn")));
  // npm's tokens use GitHub's scheme: the checksum is over the 30 characters after the prefix.
  CHECK(FindValidator("base62-crc32")("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"));
  CHECK_FALSE(FindValidator("base62-crc32")("npm_16C7e42F292c6912E7710c838347Ae4H2Y7g"));
}

TEST_CASE("validators: bech32, with BIP 173's own test vectors") {
  for (const char* valid :
       {"A12UEL5L", "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl"})
    CHECK_MESSAGE(ValidBech32(valid), valid);
  for (const char* invalid : {"pzry9x0s0muk",   // no separator
                              "1pzry9x0s0muk",  // empty HRP
                              "x1b4n0q5v",      // invalid data character
                              "li1dgmt3",       // checksum too short
                              "A1G7SGD8",       // checksum over upper-case HRP
                              "A12uEL5L",       // mixed case
                              "a12uel5m",       // one character off
                              "split1checkupstagehandshakeupstreamerranterredcaperred2y9e2w"})
    CHECK_FALSE_MESSAGE(ValidBech32(invalid), invalid);
}

TEST_CASE("validators: base64 of user:password") {
  CHECK(ValidBase64UserPass("dXNlcjpwYXNz"));          // user:pass
  CHECK(ValidBase64UserPass("ZGVwbG95OnMzY3IzdA=="));  // deploy:s3cr3t
  CHECK(ValidBase64UserPass("ZGVwbG95OnMzY3IzdA"));    // padding optional
  CHECK_FALSE(ValidBase64UserPass("dXNlcg=="));        // user: no colon
  CHECK_FALSE(ValidBase64UserPass("OnBhc3M="));        // :pass: no user
  CHECK_FALSE(ValidBase64UserPass("dXNlcjo="));        // user: : no password
  CHECK_FALSE(ValidBase64UserPass("AAECAwQ6BQY="));    // binary
  CHECK_FALSE(ValidBase64UserPass("not base64!"));
  CHECK_FALSE(ValidBase64UserPass("dXNlcjpwYXNzx"));  // impossible length
}

TEST_CASE("validators: JWT structure") {
  // {"alg":"HS256","typ":"JWT"} . {"sub":"1"} . 32 bytes
  const char* good =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.Qm9ndXNTaWduYXR1cmVCeXRlc0Zvck9ubHlUaGlzVGVzdA";
  CHECK(ValidJwtStructure(good));
  CHECK_FALSE(ValidJwtStructure("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0"));   // two parts
  CHECK_FALSE(ValidJwtStructure("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0."));  // empty signature
  CHECK_FALSE(ValidJwtStructure("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln"));                // no "alg"
  CHECK_FALSE(ValidJwtStructure("aGVsbG8.eyJzdWIiOiIxIn0.c2ln"));                           // header not JSON
  CHECK_FALSE(ValidJwtStructure("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln.c2ln"));         // four parts
}
