#include "media/rtx.h"

#include <cstring>

namespace egovbox::media {

namespace {
constexpr std::uint8_t kPaddingBit = 0x20;  // RFC 3550 §5.1: P, in the first byte
}  // namespace

std::size_t WrapRtxPacket(std::span<std::uint8_t> buffer, std::size_t length, std::uint8_t rtx_payload_type,
                          std::uint32_t rtx_ssrc, std::uint16_t rtx_sequence_number) noexcept {
  if (length > buffer.size()) return 0;
  auto packet = RtpPacket::Parse(buffer.first(length));
  if (!packet) return 0;
  const std::size_t header_size = packet->header_size();
  const std::size_t payload_size = packet->payload().size();
  const std::size_t size = header_size + kRtxHeaderSize + payload_size;
  if (size > buffer.size()) return 0;
  const std::uint16_t original_sequence = packet->sequence_number();
  packet->SetPayloadType(rtx_payload_type);
  packet->SetSsrc(rtx_ssrc);
  packet->SetSequenceNumber(rtx_sequence_number);
  std::uint8_t* const payload = buffer.data() + header_size;
  std::memmove(payload + kRtxHeaderSize, payload, payload_size);
  payload[0] = static_cast<std::uint8_t>(original_sequence >> 8U);
  payload[1] = static_cast<std::uint8_t>(original_sequence);
  buffer[0] = static_cast<std::uint8_t>(buffer[0] & ~kPaddingBit);
  return size;
}

std::optional<std::span<std::uint8_t>> UnwrapRtxPacket(std::span<std::uint8_t> packet, std::uint8_t payload_type,
                                                       std::uint32_t ssrc) noexcept {
  const auto rtx = RtpPacket::Parse(packet);
  if (!rtx || rtx->payload().size() < kRtxHeaderSize) return std::nullopt;
  const std::size_t header_size = rtx->header_size();
  const auto original_sequence = static_cast<std::uint16_t>(packet[header_size] << 8U | packet[header_size + 1]);
  std::memmove(packet.data() + kRtxHeaderSize, packet.data(), header_size);
  const std::span<std::uint8_t> unwrapped = packet.subspan(kRtxHeaderSize);
  auto original = RtpPacket::Parse(unwrapped);
  if (!original) return std::nullopt;
  original->SetSequenceNumber(original_sequence);
  original->SetPayloadType(payload_type);
  original->SetSsrc(ssrc);
  return unwrapped;
}

}  // namespace egovbox::media
