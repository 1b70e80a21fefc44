// Network byte order (big-endian) reads and writes at a pointer, for the packet
// formats (STUN, RTP, RTCP). The caller has checked the bounds.
#pragma once

#include <cstdint>

namespace egovbox::media {

inline std::uint16_t ReadUint16(const std::uint8_t* at) {
  return static_cast<std::uint16_t>(at[0] << 8U | at[1]);
}

inline std::uint32_t ReadUint24(const std::uint8_t* at) {
  return std::uint32_t{at[0]} << 16U | std::uint32_t{at[1]} << 8U | at[2];
}

inline std::uint32_t ReadUint32(const std::uint8_t* at) {
  return std::uint32_t{at[0]} << 24U | ReadUint24(at + 1);
}

inline void WriteUint16(std::uint8_t* at, std::uint16_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 8U);
  at[1] = static_cast<std::uint8_t>(value);
}

inline void WriteUint24(std::uint8_t* at, std::uint32_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 16U);
  WriteUint16(at + 1, static_cast<std::uint16_t>(value));
}

inline void WriteUint32(std::uint8_t* at, std::uint32_t value) {
  WriteUint16(at, static_cast<std::uint16_t>(value >> 16U));
  WriteUint16(at + 2, static_cast<std::uint16_t>(value));
}

}  // namespace egovbox::media
