#include "crypto/digest.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

#include <memory>
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

bool HmacSha1(std::span<const std::uint8_t> key, std::initializer_list<std::span<const std::uint8_t>> parts,
              std::span<std::uint8_t, kHmacSha1Size> out) noexcept {
  // Fetched once and kept for the life of the process (thread-safe static initialisation).
  static EVP_MAC* const kMac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (kMac == nullptr) return false;
  const std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> context(EVP_MAC_CTX_new(kMac), &EVP_MAC_CTX_free);
  if (!context) return false;
  char digest_name[] = "SHA1";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                               OSSL_PARAM_construct_end()};
  // An empty key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static constexpr std::uint8_t kNoKey = 0;
  if (EVP_MAC_init(context.get(), key.empty() ? &kNoKey : key.data(), key.size(), params) != 1) return false;
  for (const auto part : parts) {
    if (!part.empty() && EVP_MAC_update(context.get(), part.data(), part.size()) != 1) return false;
  }
  std::size_t length = 0;
  return EVP_MAC_final(context.get(), out.data(), &length, out.size()) == 1 && length == out.size();
}

}  // namespace egovbox::crypto
