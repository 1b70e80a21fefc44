// Fuzz target for media::RtpPacket and the payload readers beside it, which see
// every RTP datagram a publisher sends once SRTP has decrypted it. Invariants: a
// packet that parses has its header, payload and padding inside the datagram and
// adding up to it; every extension element lies inside the header and is found
// again by its id; the value readers, the VP8 descriptor and the H.264 check stay
// inside what they are given; and the in-place rewrites (header fields, extension
// ids) leave a packet that parses again with the same layout; RTX wrapping
// (RFC 4588) is undone by unwrapping.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/packet_kind.h"
#include "media/rtp_packet.h"
#include "media/rtx.h"

namespace {

using egovbox::media::RtpExtension;
using egovbox::media::RtpPacket;

bool Inside(std::span<const std::uint8_t> part, const std::uint8_t* begin, const std::uint8_t* end) {
  return part.data() >= begin && part.data() + part.size() <= end;
}

std::size_t CountExtensions(const RtpPacket& packet) {
  std::size_t count = 0;
  packet.ForEachExtension([&](const RtpExtension&) { ++count; });
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The parser works on the caller's mutable bytes; copy the input so it can.
  std::vector<std::uint8_t> bytes(data, data + size);
  (void)egovbox::media::ClassifyPacket(bytes);
  auto packet = RtpPacket::Parse(bytes);
  if (!packet) return 0;
  const std::uint8_t* const begin = bytes.data();
  const std::uint8_t* const end = begin + bytes.size();

  if (packet->bytes().data() != begin || packet->bytes().size() != bytes.size()) __builtin_trap();
  if (packet->header_size() < egovbox::media::kRtpHeaderSize) __builtin_trap();
  if (packet->header_size() + packet->payload().size() + packet->padding_size() != bytes.size()) __builtin_trap();
  if (packet->payload().data() != begin + packet->header_size()) __builtin_trap();
  for (std::size_t i = 0; i < packet->csrc_count(); ++i) (void)packet->csrc(i);

  // Every element inside the header; the first with each id is what Extension finds.
  const std::uint8_t* const header_end = begin + packet->header_size();
  std::array<bool, 256> seen{};
  packet->ForEachExtension([&](const RtpExtension& extension) {
    if (extension.id == 0) __builtin_trap();
    if (!Inside(extension.value, begin + egovbox::media::kRtpHeaderSize, header_end)) __builtin_trap();
    if (!seen[extension.id]) {
      seen[extension.id] = true;
      const auto found = packet->Extension(extension.id);
      if (!found || found->data() != extension.value.data() || found->size() != extension.value.size()) {
        __builtin_trap();
      }
    }
    (void)egovbox::media::ParseAudioLevel(extension.value);
    (void)egovbox::media::ParseAbsSendTime(extension.value);
    (void)egovbox::media::ParseTransportSequenceNumber(extension.value);
    if (const auto mid = egovbox::media::ParseMid(extension.value)) {
      if (mid->empty() || mid->size() != extension.value.size()) __builtin_trap();
    }
    (void)egovbox::media::ParseRid(extension.value);
  });
  if (packet->Extension(0)) __builtin_trap();

  const auto payload = packet->payload();
  if (const auto vp8 = egovbox::media::ParseVp8Descriptor(payload)) {
    if (vp8->size == 0 || vp8->size >= payload.size()) __builtin_trap();
    if (vp8->partition_index < 0 || vp8->partition_index > 7) __builtin_trap();
    if (vp8->is_keyframe && (!vp8->start_of_partition || vp8->partition_index != 0)) __builtin_trap();
  }
  (void)egovbox::media::IsH264Keyframe(payload);
  if (!Inside(payload, begin, end)) __builtin_trap();

  // Rewrites in place: the layout stays, the fields read back.
  const std::size_t header_size = packet->header_size();
  const std::size_t padding_size = packet->padding_size();
  const std::size_t extensions = CountExtensions(*packet);
  const std::uint8_t new_payload_type = size > 0 ? data[size - 1] & 0x7FU : 0;
  packet->SetPayloadType(new_payload_type);
  packet->SetMarker(!packet->marker());
  packet->SetSequenceNumber(0xFFFF);
  packet->SetTimestamp(0x80000000U);
  packet->SetSsrc(0xDEADBEEFU);
  // A table from the input's first bytes, so ids 0, 15 and above get tried too.
  egovbox::media::RtpExtensionIdMap map = egovbox::media::MakeExtensionIdMap(size > 1 ? data[1] : 14);
  for (std::size_t i = 0; i < size && i < map.size(); ++i) map[i] = data[i];
  packet->RemapExtensionIds(map);

  const auto again = RtpPacket::Parse(bytes);
  if (!again) __builtin_trap();
  if (again->header_size() != header_size || again->padding_size() != padding_size) __builtin_trap();
  if (CountExtensions(*again) != extensions) __builtin_trap();
  if (again->payload_type() != new_payload_type || again->sequence_number() != 0xFFFF ||
      again->timestamp() != 0x80000000U || again->ssrc() != 0xDEADBEEFU) {
    __builtin_trap();
  }
  const bool one_byte = again->extension_profile() == egovbox::media::RtpExtensionProfile::kOneByte;
  again->ForEachExtension([&](const RtpExtension& extension) {
    if (extension.id == 0 || (one_byte && extension.id > egovbox::media::kRtpMaxOneByteExtensionId)) __builtin_trap();
  });

  // RFC 4588 (rtx.h): wrapping and unwrapping again gives the packet back without
  // its padding, and unwrapping the input itself stays inside it.
  const std::size_t unpadded = bytes.size() - padding_size;
  std::vector<std::uint8_t> rtx(bytes.size() + egovbox::media::kRtxHeaderSize);
  std::copy(bytes.begin(), bytes.end(), rtx.begin());
  const std::size_t wrapped = egovbox::media::WrapRtxPacket(rtx, bytes.size(), 97, 0x01020304U, 7);
  if (wrapped != unpadded + egovbox::media::kRtxHeaderSize) __builtin_trap();
  rtx.resize(wrapped);
  const auto original = egovbox::media::UnwrapRtxPacket(rtx, new_payload_type, 0xDEADBEEFU);
  if (!original || original->size() != unpadded) __builtin_trap();
  if (!std::equal(original->begin() + 1, original->end(), bytes.begin() + 1)) __builtin_trap();  // P bit aside
  const auto unwrapped = egovbox::media::UnwrapRtxPacket(bytes, 96, 1);
  if (unwrapped && !Inside(*unwrapped, begin, end)) __builtin_trap();
  return 0;
}
