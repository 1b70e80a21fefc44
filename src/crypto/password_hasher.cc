#include "crypto/password_hasher.h"

#include <sodium.h>

#include <stdexcept>

namespace egovbox::crypto {

PasswordHasher::Cost PasswordHasher::InteractiveCost() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHasher::PasswordHasher(Cost cost) : cost_(cost) {
  dummy_hash_ = Hash("dummy password nobody has");
}

std::string PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.operations, cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

bool PasswordHasher::Verify(std::string_view password, const std::string& stored_hash) const {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyAgainstDummy(std::string_view password) const {
  (void)Verify(password, dummy_hash_);
}

bool PasswordHasher::NeedsRehash(const std::string& stored_hash) const {
  return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), cost_.operations, cost_.memory_bytes) != 0;
}

}  // namespace egovbox::crypto
