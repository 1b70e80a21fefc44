#include "crypto/random.h"

#include <sodium.h>

#include <stdexcept>

#include "crypto/encoding.h"

namespace egovbox::crypto {

void InitializeCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string RandomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

std::string RandomToken(std::size_t byte_count) {
  return Base64UrlEncode(RandomBytes(byte_count));
}

std::uint32_t RandomBelow(std::uint32_t upper_bound) {
  return randombytes_uniform(upper_bound);
}

}  // namespace egovbox::crypto
