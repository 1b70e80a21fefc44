// SHA-256, HMAC-SHA1 and constant-time comparison.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace egovbox::crypto {

std::string Sha256(std::string_view data);     // 32 raw bytes
std::string Sha256Hex(std::string_view data);  // 64 lower-case hex digits
// Compares without an early exit, so timing does not reveal where two secrets differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

inline constexpr std::size_t kHmacSha1Size = 20;
// HMAC-SHA1 (RFC 2104) under `key` of the concatenation of `parts`, written to `out`.
// In parts because STUN's MESSAGE-INTEGRITY (RFC 8489 §14.5) covers a header with an
// adjusted length followed by the rest of the message in place. Returns false only if
// OpenSSL fails; never throws. OpenSSL allocates a context inside each call.
bool HmacSha1(std::span<const std::uint8_t> key, std::initializer_list<std::span<const std::uint8_t>> parts,
              std::span<std::uint8_t, kHmacSha1Size> out) noexcept;

}  // namespace egovbox::crypto
