// The OpenID Connect provider's signing keys (docs/integrations.md): ES256 keys on
// P-256, kept as PKCS#8 PEM files in the data directory's keys/oidc/ (mode 0600,
// directory 0700): current.pem signs, previous.pem is the key before the last
// rotation and stays published in the JWKS, so that ID tokens signed just before
// a rotation still verify. `egovbox admin oidc rotate-key` calls Rotate while the
// server runs; the server's key set notices the changed files at its next use.
//
// The key ID is the RFC 7638 JWK thumbprint, so the same key always has the same
// kid. OpenSSL (EVP) makes and reads the keys; this file is the one place that
// does so for OIDC. Thread-safe. Failures to read or write a key file throw
// std::runtime_error (a broken data directory stops the server).
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace egovbox::integrations {

struct OidcSigningKey {
  std::string kid;              // RFC 7638 thumbprint, base64url
  std::string private_key_pem;  // PKCS#8, what the JWS signer takes
  nlohmann::json public_jwk;    // {kty: EC, crv: P-256, x, y, kid, use: sig, alg: ES256}
};

struct OidcKeyRotation {
  std::string kid;                          // the new current key
  std::optional<std::string> previous_kid;  // the key it replaced, still published
};

class OidcKeySet {
 public:
  // Loads the keys, making the directory and a first key when there are none.
  explicit OidcKeySet(std::filesystem::path directory);

  // The key that signs now (re-read when the files changed on disk).
  std::shared_ptr<const OidcSigningKey> Current();
  // RFC 7517 §5 JWK Set of the public keys: current first, then previous.
  nlohmann::json Jwks();

  // Makes a new current key; the current one becomes previous, the one before it
  // is dropped. Each file is written under a temporary name and renamed.
  static OidcKeyRotation Rotate(const std::filesystem::path& directory);

 private:
  struct FileStamp {
    ino_t inode = 0;
    std::int64_t modified_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  struct Loaded {
    std::shared_ptr<const OidcSigningKey> current;
    std::shared_ptr<const OidcSigningKey> previous;  // null before the first rotation
    FileStamp current_stamp, previous_stamp;
  };

  // Re-reads the files when their stamps changed. Caller holds mutex_.
  void RefreshLocked();

  const std::filesystem::path directory_;
  std::mutex mutex_;
  Loaded loaded_;  // guarded by mutex_
};

// The signing key in a PKCS#8 PEM, with its JWK; nullopt when the PEM is not a P-256 key.
std::optional<OidcSigningKey> ReadSigningKey(std::string_view pem);
// A new P-256 key.
OidcSigningKey MakeSigningKey();

}  // namespace egovbox::integrations
