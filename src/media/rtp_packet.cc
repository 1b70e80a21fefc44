#include "media/rtp_packet.h"

#include "media/byte_order.h"

namespace egovbox::media {
namespace {

constexpr std::uint8_t kRtpVersion = 2;
constexpr std::size_t kCsrcSize = 4;
constexpr std::size_t kExtensionHeaderSize = 4;  // profile, length in 32-bit words
constexpr std::size_t kWordSize = 4;
// RFC 8285 §4.2, §4.3: the "defined by profile" field of each form.
constexpr std::uint16_t kOneByteProfile = 0xBEDE;
constexpr std::uint16_t kTwoByteProfile = 0x1000;
constexpr std::uint16_t kTwoByteProfileMask = 0xFFF0;
constexpr std::uint8_t kOneByteStopId = 15;
constexpr std::size_t kMaxTextExtensionSize = 255;

RtpExtensionProfile ProfileOf(std::uint16_t bits) {
  if (bits == kOneByteProfile) return RtpExtensionProfile::kOneByte;
  if ((bits & kTwoByteProfileMask) == kTwoByteProfile) return RtpExtensionProfile::kTwoByte;
  return RtpExtensionProfile::kOther;
}

// RFC 8285 §4.2, §4.3: walks the elements of the block and says whether each
// one fits. Stops at the end or, in the one-byte form, at id 15.
bool ExtensionElementsFit(const std::uint8_t* block, std::size_t size, RtpExtensionProfile profile) {
  std::size_t at = 0;
  while (at < size) {
    const std::uint8_t first = block[at];
    if (first == 0) {  // padding between elements
      ++at;
      continue;
    }
    std::size_t length = 0;
    std::size_t header = 0;
    if (profile == RtpExtensionProfile::kOneByte) {
      if (first >> 4U == kOneByteStopId) return true;
      // An id of 0 with a nonzero length is no element either: skipped like padding.
      if (first >> 4U == 0) {
        ++at;
        continue;
      }
      header = 1;
      length = (first & 0x0FU) + 1U;
    } else {
      if (size - at < 2) return false;
      header = 2;
      length = block[at + 1];
    }
    if (length > size - at - header) return false;
    at += header + length;
  }
  return true;
}

bool IsTokenChar(char c) {
  // RFC 4566 §9 token-char: printable ASCII other than these.
  constexpr std::string_view kSeparators = "\"(),/:;<=>?@[\\]";
  return c >= 0x21 && c <= 0x7E && kSeparators.find(c) == std::string_view::npos;
}

bool IsRidChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

template <typename Predicate>
std::optional<std::string_view> ParseText(std::span<const std::uint8_t> value, Predicate allowed) {
  if (value.empty() || value.size() > kMaxTextExtensionSize) return std::nullopt;
  const std::string_view text(reinterpret_cast<const char*>(value.data()), value.size());
  for (const char c : text) {
    if (!allowed(c)) return std::nullopt;
  }
  return text;
}

}  // namespace

std::optional<RtpPacket> RtpPacket::Parse(std::span<std::uint8_t> datagram) noexcept {
  // RFC 3550 §5.1: V=2, P, X, CC, then M and PT, sequence number, timestamp, SSRC.
  if (datagram.size() < kRtpHeaderSize) return std::nullopt;
  const std::uint8_t* data = datagram.data();
  if (data[0] >> 6U != kRtpVersion) return std::nullopt;
  const bool has_padding = (data[0] & 0x20U) != 0;
  const bool has_extension = (data[0] & 0x10U) != 0;
  const std::size_t csrc_count = data[0] & 0x0FU;

  RtpPacket packet;
  packet.bytes_ = datagram;
  std::size_t header_size = kRtpHeaderSize + csrc_count * kCsrcSize;
  if (header_size > datagram.size()) return std::nullopt;

  // RFC 3550 §5.3.1: a 16-bit profile field and the length in 32-bit words,
  // not counting this four-byte header.
  if (has_extension) {
    if (datagram.size() - header_size < kExtensionHeaderSize) return std::nullopt;
    const std::uint16_t profile_bits = ReadUint16(data + header_size);
    const std::size_t block_size = ReadUint16(data + header_size + 2) * kWordSize;
    const std::size_t block_at = header_size + kExtensionHeaderSize;
    if (block_size > datagram.size() - block_at) return std::nullopt;
    packet.profile_ = ProfileOf(profile_bits);
    if (packet.profile_ != RtpExtensionProfile::kOther) {
      if (!ExtensionElementsFit(data + block_at, block_size, packet.profile_)) return std::nullopt;
      packet.extension_at_ = block_at;
      packet.extension_end_ = block_at + block_size;
    }
    header_size = block_at + block_size;
  }
  packet.header_size_ = header_size;

  // RFC 3550 §5.1: the last octet of the padding counts the padding, itself included.
  if (has_padding) {
    const std::size_t padding = data[datagram.size() - 1];
    if (padding == 0 || padding > datagram.size() - header_size) return std::nullopt;
    packet.padding_size_ = padding;
  }
  return packet;
}

std::uint16_t RtpPacket::sequence_number() const {
  return ReadUint16(bytes_.data() + 2);
}
std::uint32_t RtpPacket::timestamp() const {
  return ReadUint32(bytes_.data() + 4);
}
std::uint32_t RtpPacket::ssrc() const {
  return ReadUint32(bytes_.data() + 8);
}

std::uint32_t RtpPacket::csrc(std::size_t index) const {
  return ReadUint32(bytes_.data() + kRtpHeaderSize + index * kCsrcSize);
}

bool RtpPacket::NextExtension(std::size_t& at, RtpExtension& extension) const noexcept {
  const std::uint8_t* data = bytes_.data();
  while (at < extension_end_) {
    const std::uint8_t first = data[at];
    if (profile_ == RtpExtensionProfile::kOneByte) {
      const std::uint8_t id = first >> 4U;
      if (id == kOneByteStopId) break;
      if (id == 0) {
        ++at;
        continue;
      }
      const std::size_t length = (first & 0x0FU) + 1U;
      if (length > extension_end_ - at - 1) break;
      extension = {id, std::span<const std::uint8_t>(data + at + 1, length)};
      at += 1 + length;
      return true;
    }
    if (first == 0) {
      ++at;
      continue;
    }
    if (extension_end_ - at < 2) break;
    const std::size_t length = data[at + 1];
    if (length > extension_end_ - at - 2) break;
    extension = {first, std::span<const std::uint8_t>(data + at + 2, length)};
    at += 2 + length;
    return true;
  }
  at = extension_end_;
  return false;
}

std::optional<std::span<const std::uint8_t>> RtpPacket::Extension(std::uint8_t id) const noexcept {
  if (id == 0) return std::nullopt;
  std::size_t at = extension_at_;
  RtpExtension extension;
  while (NextExtension(at, extension)) {
    if (extension.id == id) return extension.value;
  }
  return std::nullopt;
}

std::optional<std::span<std::uint8_t>> RtpPacket::MutableExtension(std::uint8_t id) const noexcept {
  const auto value = Extension(id);
  if (!value) return std::nullopt;
  return bytes_.subspan(static_cast<std::size_t>(value->data() - bytes_.data()), value->size());
}

void RtpPacket::SetMarker(bool marker) {
  bytes_[1] = static_cast<std::uint8_t>((bytes_[1] & 0x7FU) | (marker ? 0x80U : 0U));
}

void RtpPacket::SetPayloadType(std::uint8_t payload_type) {
  bytes_[1] = static_cast<std::uint8_t>((bytes_[1] & 0x80U) | (payload_type & 0x7FU));
}

void RtpPacket::SetSequenceNumber(std::uint16_t sequence_number) {
  WriteUint16(bytes_.data() + 2, sequence_number);
}
void RtpPacket::SetTimestamp(std::uint32_t timestamp) {
  WriteUint32(bytes_.data() + 4, timestamp);
}
void RtpPacket::SetSsrc(std::uint32_t ssrc) {
  WriteUint32(bytes_.data() + 8, ssrc);
}

void RtpPacket::RemapExtensionIds(const RtpExtensionIdMap& new_id_of) noexcept {
  std::uint8_t* data = bytes_.data();
  std::size_t at = extension_at_;
  RtpExtension extension;
  while (NextExtension(at, extension)) {
    std::uint8_t new_id = new_id_of[extension.id];
    if (profile_ == RtpExtensionProfile::kOneByte) {
      if (new_id == 0 || new_id > kRtpMaxOneByteExtensionId) new_id = kRtpFallbackExtensionId;
      // The id byte sits just before the value: id in the high nibble, length - 1 in the low.
      std::uint8_t& id_byte = data[extension.value.data() - data - 1];
      id_byte = static_cast<std::uint8_t>(new_id << 4U | (id_byte & 0x0FU));
    } else {
      if (new_id == 0) new_id = kRtpFallbackExtensionId;
      data[extension.value.data() - data - 2] = new_id;
    }
  }
}

std::optional<AudioLevel> ParseAudioLevel(std::span<const std::uint8_t> value) noexcept {
  // RFC 6464 §3: V, then the level in seven bits.
  if (value.size() != 1) return std::nullopt;
  return AudioLevel{(value[0] & 0x80U) != 0, static_cast<std::uint8_t>(value[0] & 0x7FU)};
}

std::optional<std::uint32_t> ParseAbsSendTime(std::span<const std::uint8_t> value) noexcept {
  if (value.size() != 3) return std::nullopt;
  return std::uint32_t{value[0]} << 16U | std::uint32_t{value[1]} << 8U | value[2];
}

std::optional<std::uint16_t> ParseTransportSequenceNumber(std::span<const std::uint8_t> value) noexcept {
  if (value.size() != 2) return std::nullopt;
  return ReadUint16(value.data());
}

std::optional<std::string_view> ParseMid(std::span<const std::uint8_t> value) noexcept {
  return ParseText(value, IsTokenChar);
}

std::optional<std::string_view> ParseRid(std::span<const std::uint8_t> value) noexcept {
  return ParseText(value, IsRidChar);
}

std::optional<Vp8Descriptor> ParseVp8Descriptor(std::span<const std::uint8_t> payload) noexcept {
  // RFC 7741 §4.2:
  //   X R N S R PID(3)            always
  //   I L T K RSV(4)              if X
  //   M PictureID(7 or 15)        if I
  //   TL0PICIDX                   if L
  //   TID(2) Y KEYIDX(5)          if T or K
  if (payload.empty()) return std::nullopt;
  Vp8Descriptor descriptor;
  const std::uint8_t first = payload[0];
  descriptor.non_reference = (first & 0x20U) != 0;
  descriptor.start_of_partition = (first & 0x10U) != 0;
  descriptor.partition_index = static_cast<int>(first & 0x07U);
  std::size_t at = 1;
  if ((first & 0x80U) != 0) {
    if (at >= payload.size()) return std::nullopt;
    const std::uint8_t extension = payload[at++];
    const bool has_picture_id = (extension & 0x80U) != 0;
    const bool has_tl0_pic_idx = (extension & 0x40U) != 0;
    const bool has_tid = (extension & 0x20U) != 0;
    const bool has_key_idx = (extension & 0x10U) != 0;
    if (has_picture_id) {
      if (at >= payload.size()) return std::nullopt;
      if ((payload[at] & 0x80U) != 0) {
        if (payload.size() - at < 2) return std::nullopt;
        descriptor.picture_id = static_cast<std::uint16_t>(ReadUint16(payload.data() + at) & 0x7FFFU);
        descriptor.picture_id_15bit = true;
        at += 2;
      } else {
        descriptor.picture_id = payload[at];
        at += 1;
      }
    }
    if (has_tl0_pic_idx) {
      if (at >= payload.size()) return std::nullopt;
      descriptor.tl0_pic_idx = payload[at++];
    }
    if (has_tid || has_key_idx) {
      if (at >= payload.size()) return std::nullopt;
      const std::uint8_t byte = payload[at++];
      if (has_tid) {
        descriptor.temporal_layer = static_cast<std::uint8_t>(byte >> 6U);
        descriptor.layer_sync = (byte & 0x20U) != 0;
      }
    }
  }
  if (at >= payload.size()) return std::nullopt;
  descriptor.size = at;
  // RFC 7741 §4.3: the VP8 payload header opens partition 0; its lowest bit P is
  // the inverse key frame flag.
  descriptor.is_keyframe =
      descriptor.start_of_partition && descriptor.partition_index == 0 && (payload[at] & 0x01U) == 0;
  return descriptor;
}

bool IsH264Keyframe(std::span<const std::uint8_t> payload) noexcept {
  // RFC 6184 §5.3: the low five bits of a NAL unit header are its type.
  constexpr std::uint8_t kTypeMask = 0x1F;
  constexpr std::uint8_t kIdrSlice = 5;
  constexpr std::uint8_t kSequenceParameterSet = 7;
  constexpr std::uint8_t kStapA = 24;
  constexpr std::uint8_t kFuA = 28;
  constexpr std::size_t kStapSizeField = 2;
  const auto is_key = [](std::uint8_t type) { return type == kIdrSlice || type == kSequenceParameterSet; };

  if (payload.empty()) return false;
  const std::uint8_t type = payload[0] & kTypeMask;
  if (type == kStapA) {
    // §5.7.1: after the STAP-A header, units each preceded by a 16-bit size.
    for (std::size_t at = 1; payload.size() - at > kStapSizeField;) {
      const std::size_t size = ReadUint16(payload.data() + at);
      at += kStapSizeField;
      if (size == 0 || size > payload.size() - at) return false;
      if (is_key(payload[at] & kTypeMask)) return true;
      at += size;
    }
    return false;
  }
  if (type == kFuA) {
    // §5.8: the FU header's S bit marks the first fragment; its type is the unit's.
    if (payload.size() < 2) return false;
    return (payload[1] & 0x80U) != 0 && is_key(payload[1] & kTypeMask);
  }
  return is_key(type);
}

}  // namespace egovbox::media
