// Random values from libsodium's CSPRNG (getrandom on Linux). Thread-safe once
// InitializeCrypto has run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace egovbox::crypto {

// Call once at start, before any thread uses this module. Throws if libsodium fails.
void InitializeCrypto();

std::string RandomBytes(std::size_t count);
// `byte_count` random bytes as unpadded base64url: IDs, session tokens, CSRF tokens.
std::string RandomToken(std::size_t byte_count);
// A uniformly chosen integer in [0, upper_bound).
std::uint32_t RandomBelow(std::uint32_t upper_bound);

}  // namespace egovbox::crypto
