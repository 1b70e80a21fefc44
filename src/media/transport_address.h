// An IP address and UDP port as bytes in network order: what XOR-MAPPED-ADDRESS
// carries and, later, what the media socket reads from recvmmsg. A plain value.
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

  friend bool operator==(const TransportAddress&, const TransportAddress&) = default;
};

}  // namespace egovbox::media
