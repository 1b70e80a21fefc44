// RTP retransmission payload format (RFC 4588): wrapping a packet into a
// retransmission packet for a subscriber, and unwrapping a publisher's
// retransmission packet into the original it repairs. Both work on caller's
// bytes, never allocate and never throw; bad input is 0 or nullopt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp_packet.h"

namespace egovbox::media {

// RFC 4588 §4: the original sequence number (OSN) leads the retransmission payload.
inline constexpr std::size_t kRtxHeaderSize = 2;

// RFC 4588 §4, in place: the packet in the first `length` bytes of `buffer`
// becomes its retransmission packet: the header (CSRCs, extensions, marker and
// timestamp kept) with the RTX payload type, SSRC and sequence number, then the
// original sequence number, then the payload (padding left out, the P bit
// cleared). Returns the new length, or 0 when the packet does not parse or
// `buffer` has no room for the kRtxHeaderSize more bytes.
std::size_t WrapRtxPacket(std::span<std::uint8_t> buffer, std::size_t length, std::uint8_t rtx_payload_type,
                          std::uint32_t rtx_ssrc, std::uint16_t rtx_sequence_number) noexcept;

// RFC 4588 §4, the receiver's side, in place: `packet` is an RTX packet; its
// header moves forward over the OSN, and takes the OSN as sequence number and
// `payload_type` and `ssrc` of the stream it repairs. Returns the original packet
// (a view that starts kRtxHeaderSize bytes into `packet`), or nullopt when the
// packet does not parse or its payload has no OSN (padding only, as a sender's
// bandwidth probes on the RTX stream are).
std::optional<std::span<std::uint8_t>> UnwrapRtxPacket(std::span<std::uint8_t> packet, std::uint8_t payload_type,
                                                       std::uint32_t ssrc) noexcept;

}  // namespace egovbox::media
