// CRC-32 as in ISO 3309 / ITU-T V.42 (the zlib and Ethernet one: reflected polynomial
// 0xEDB88320, initial value and final XOR 0xFFFFFFFF), for STUN's FINGERPRINT
// (RFC 8489 §14.7). Table-driven, computed at compile time; no allocation, thread-safe.
#pragma once

#include <cstdint>
#include <span>

namespace egovbox::media {

std::uint32_t Crc32(std::span<const std::uint8_t> data) noexcept;

}  // namespace egovbox::media
