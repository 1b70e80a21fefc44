// RFC 7983 demultiplexing: what a UDP datagram on the media socket carries, told
// from its first byte (and, for RTP against RTCP, its second). Pure functions over
// the datagram's bytes: no allocation, no state, safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace egovbox::media {

enum class PacketKind : std::uint8_t { kUnknown, kStun, kDtls, kRtp, kRtcp };

// RFC 7983 §7: [0..3] STUN, [20..63] DTLS, [128..191] RTP or RTCP; everything else
// (ZRTP, TURN channels, QUIC, an empty datagram) is unknown to us and dropped.
// RFC 5761 §4: with rtcp-mux, RTCP's packet type (the second byte) is 192..223,
// which RTP leaves free by not using payload types 64..95 (the marker bit set).
constexpr PacketKind ClassifyPacket(std::span<const std::uint8_t> datagram) noexcept {
  if (datagram.empty()) return PacketKind::kUnknown;
  const std::uint8_t first = datagram[0];
  if (first <= 3) return PacketKind::kStun;
  if (first >= 20 && first <= 63) return PacketKind::kDtls;
  if (first >= 128 && first <= 191) {
    if (datagram.size() < 2) return PacketKind::kUnknown;
    const std::uint8_t second = datagram[1];
    return second >= 192 && second <= 223 ? PacketKind::kRtcp : PacketKind::kRtp;
  }
  return PacketKind::kUnknown;
}

// "stun", "dtls", "rtp", "rtcp" or "unknown": for metrics labels and logs.
std::string_view PacketKindName(PacketKind kind) noexcept;

}  // namespace egovbox::media
