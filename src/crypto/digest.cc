#include "crypto/digest.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <stdexcept>

#include "crypto/encoding.h"

namespace egovbox::crypto {

std::string Sha256(std::string_view data) {
  std::string digest(32, '\0');
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()), &length, EVP_sha256(),
                 nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

std::string Sha256Hex(std::string_view data) {
  return HexEncode(Sha256(data));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace egovbox::crypto
