// Password hashing with argon2id (libsodium's crypto_pwhash_str). Each call takes
// tens of milliseconds and 64 MiB on purpose: run it on a worker thread.
#pragma once

#include <string>
#include <string_view>

namespace egovbox::crypto {

class PasswordHasher {
 public:
  // The cost parameters are libsodium's "interactive" limits; tests may lower them.
  struct Cost {
    unsigned long long operations;
    std::size_t memory_bytes;
  };
  static Cost InteractiveCost();

  explicit PasswordHasher(Cost cost);

  // A self-describing string ("$argon2id$v=19$m=...") that carries its own salt and cost.
  std::string Hash(std::string_view password) const;
  bool Verify(std::string_view password, const std::string& stored_hash) const;
  // Spends the same time as Verify on a hash nobody has, so that an unknown personal
  // code is answered in the same time class as a wrong password.
  void VerifyAgainstDummy(std::string_view password) const;
  // True when `stored_hash` was made with other cost parameters than this hasher's
  // (or is no argon2id string): one-time passwords are hashed at a lower cost, and
  // such a hash verifies much faster than VerifyAgainstDummy.
  bool NeedsRehash(const std::string& stored_hash) const;

 private:
  Cost cost_;
  std::string dummy_hash_;
};

}  // namespace egovbox::crypto
