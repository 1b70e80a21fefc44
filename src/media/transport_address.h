// An IP address and UDP port as bytes in network order: what XOR-MAPPED-ADDRESS
// carries and, later, what the media socket reads from recvmmsg. A plain value.
// For ICE over TCP (RFC 6544) the same value names a TCP connection instead:
// the peer's address and port plus the id of the connection they came over.
#pragma once

#include <array>
#include <cstdint>

namespace egovbox::media {

struct TransportAddress {
  enum class Family : std::uint8_t { kIpv4, kIpv6 };

  Family family = Family::kIpv4;
  // IPv4 uses the first four bytes; the rest stay zero.
  std::array<std::uint8_t, 16> address{};
  std::uint16_t port = 0;
  // 0: a UDP peer. Otherwise the id of the ICE-TCP connection (tcp_media_listener.h)
  // packets from this peer came over and packets to it go back on.
  std::uint32_t tcp_connection = 0;

  friend bool operator==(const TransportAddress&, const TransportAddress&) = default;
};

}  // namespace egovbox::media
