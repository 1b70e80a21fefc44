// RTP packets (RFC 3550 §5.1) with RFC 8285 header extensions, read and rewritten
// in place, and the payload formats the SFU looks into: the header extensions it
// forwards or reads (audio level, abs-send-time, transport-wide sequence number,
// mid, rid), the VP8 payload descriptor (RFC 7741) and H.264 key frames (RFC 6184).
//
// RtpPacket::Parse validates the framing of a datagram and keeps a view of it: it
// copies nothing and allocates nothing, every span it hands out points into the
// caller's bytes, which must outlive the packet, and the setters write into those
// bytes so that the SFU forwards the same buffer it received. Bad input is a nullopt,
// never an exception. A packet is a small value with no state of its own beyond the
// view; one packet (like the bytes under it) is not for concurrent use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace egovbox::media {

inline constexpr std::size_t kRtpHeaderSize = 12;  // RFC 3550 §5.1: the fixed header

// RFC 8285 §4.2: the one-byte form carries ids 1..14; 15 ends the block.
inline constexpr std::uint8_t kRtpMaxOneByteExtensionId = 14;
// What RemapExtensionIds writes when the table asks for an id the packet's form
// cannot carry (0 in either form, 15 and above in the one-byte form). The SFU never
// negotiates it with a subscriber, so the element is ignored there (docs/media.md).
inline constexpr std::uint8_t kRtpFallbackExtensionId = 14;

// Which header extension block a packet carries (RFC 8285 §4.1).
enum class RtpExtensionProfile : std::uint8_t {
  kNone,     // X bit clear
  kOneByte,  // 0xBEDE (§4.2)
  kTwoByte,  // 0x100 followed by four application bits (§4.3)
  kOther,    // any other profile: kept and forwarded, its contents not read
};

struct RtpExtension {
  std::uint8_t id = 0;
  std::span<const std::uint8_t> value;
};

// RemapExtensionIds' table: new_id_of[id] is the id an element with `id` gets.
using RtpExtensionIdMap = std::array<std::uint8_t, 256>;

// A table that renames every id to `ignored_id`; set the entries of the extensions
// you forward on top of it: `auto map = MakeExtensionIdMap(14); map[1] = 1;`.
constexpr RtpExtensionIdMap MakeExtensionIdMap(std::uint8_t ignored_id) {
  RtpExtensionIdMap map{};
  map.fill(ignored_id);
  return map;
}

class RtpPacket {
 public:
  // RFC 3550 §5.1: at least the fixed header, version 2, the CSRC list and the
  // extension block inside the datagram; with the P bit the last byte counts the
  // padding (itself included), which is at least 1 and leaves the header whole.
  // RFC 8285: in a one-byte or two-byte block every element lies inside the block
  // (a packet whose element overruns it is rejected); zero bytes between elements
  // are padding; in the one-byte form an element with id 15 ends the block, and it
  // and what follows are not elements. Does not look at the payload type: telling
  // RTP from RTCP (RFC 5761 §4) is ClassifyPacket's business.
  static std::optional<RtpPacket> Parse(std::span<std::uint8_t> datagram) noexcept;

  std::span<std::uint8_t> bytes() const { return bytes_; }
  bool marker() const { return (bytes_[1] & 0x80U) != 0; }
  std::uint8_t payload_type() const { return bytes_[1] & 0x7FU; }
  std::uint16_t sequence_number() const;
  std::uint32_t timestamp() const;
  std::uint32_t ssrc() const;
  std::size_t csrc_count() const { return bytes_[0] & 0x0FU; }
  std::uint32_t csrc(std::size_t index) const;  // index < csrc_count()

  // Fixed header, CSRCs and the extension block; the payload starts here.
  std::size_t header_size() const { return header_size_; }
  // Between the header and the padding; empty for a padding-only packet.
  std::span<std::uint8_t> payload() const {
    return bytes_.subspan(header_size_, bytes_.size() - header_size_ - padding_size_);
  }
  std::size_t padding_size() const { return padding_size_; }

  RtpExtensionProfile extension_profile() const { return profile_; }
  // The value of the first element with this id, without allocating; nullopt when
  // absent, when `id` is 0, or when the block is neither one- nor two-byte.
  std::optional<std::span<const std::uint8_t>> Extension(std::uint8_t id) const noexcept;
  // The same bytes, writable, for rewriting a value of the same size in place
  // (a transport-wide sequence number per outgoing transport).
  std::optional<std::span<std::uint8_t>> MutableExtension(std::uint8_t id) const noexcept;

  // Calls `visit(RtpExtension)` for every element in order.
  template <typename Visitor>
  void ForEachExtension(Visitor&& visit) const {
    std::size_t at = extension_at_;
    RtpExtension extension;
    while (NextExtension(at, extension)) visit(extension);
  }

  // In place; the other bits of each field are kept.
  void SetMarker(bool marker);
  void SetPayloadType(std::uint8_t payload_type);  // 0..127
  void SetSequenceNumber(std::uint16_t sequence_number);
  void SetTimestamp(std::uint32_t timestamp);
  void SetSsrc(std::uint32_t ssrc);

  // Renames every element in place: an element with id `id` gets new_id_of[id].
  // Build the table with MakeExtensionIdMap(ignored_id) so that an extension the
  // caller did not map lands on an id the receiver never negotiated and is ignored
  // there. A new id the packet's form cannot carry — 0 in either form, above 14 in
  // the one-byte form — becomes kRtpFallbackExtensionId instead, so the block stays
  // well formed. Lengths, values and padding do not move.
  void RemapExtensionIds(const RtpExtensionIdMap& new_id_of) noexcept;

 private:
  RtpPacket() = default;
  // Reads the element at `at` (skipping padding) into `extension` and moves `at`
  // past it; false at the end of the block.
  bool NextExtension(std::size_t& at, RtpExtension& extension) const noexcept;

  std::span<std::uint8_t> bytes_;
  std::size_t header_size_ = 0;
  std::size_t padding_size_ = 0;
  RtpExtensionProfile profile_ = RtpExtensionProfile::kNone;
  // The elements lie in [extension_at_, extension_end_) of bytes_.
  std::size_t extension_at_ = 0;
  std::size_t extension_end_ = 0;
};

// RFC 6464 §3: the client-to-mixer audio level, one byte.
struct AudioLevel {
  bool voice_activity = false;  // the V bit, when the sender runs a voice activity detector
  std::uint8_t level = 0;       // 0..127, in -dBov: 0 is loudest, 127 silence
};
std::optional<AudioLevel> ParseAudioLevel(std::span<const std::uint8_t> value) noexcept;

// abs-send-time (webrtc.org/experiments/rtp-hdrext/abs-send-time): 24 bits, seconds
// in 6.18 fixed point.
std::optional<std::uint32_t> ParseAbsSendTime(std::span<const std::uint8_t> value) noexcept;

// transport-wide-cc-extensions-01: a 16-bit sequence number across the transport.
std::optional<std::uint16_t> ParseTransportSequenceNumber(std::span<const std::uint8_t> value) noexcept;

// RFC 8843 §15.2: the MID as text, 1..255 bytes of SDP token characters.
std::optional<std::string_view> ParseMid(std::span<const std::uint8_t> value) noexcept;
// RFC 8852 §3: the RtpStreamId or RepairedRtpStreamId, 1..255 bytes of the rid-id
// alphabet (RFC 8851 §10: letters, digits, '-' and '_').
std::optional<std::string_view> ParseRid(std::span<const std::uint8_t> value) noexcept;

// RFC 7741 §4.2: the VP8 payload descriptor at the start of an RTP payload.
struct Vp8Descriptor {
  bool start_of_partition = false;  // S
  int partition_index = 0;          // PID, 0..7
  bool non_reference = false;       // N: the frame can be discarded
  std::optional<std::uint16_t> picture_id;
  bool picture_id_15bit = false;  // M: picture_id has 15 bits, otherwise 7
  std::optional<std::uint8_t> tl0_pic_idx;
  std::optional<std::uint8_t> temporal_layer;  // TID, 0..3
  bool layer_sync = false;                     // Y
  // RFC 7741 §4.3: the packet starts partition 0 and the VP8 payload header's P
  // bit (inverse key frame flag) is 0.
  bool is_keyframe = false;
  std::size_t size = 0;  // of the descriptor; the VP8 payload follows
};
// nullopt when the descriptor is cut short or no VP8 data follows it.
std::optional<Vp8Descriptor> ParseVp8Descriptor(std::span<const std::uint8_t> payload) noexcept;

// RFC 6184 §5: the payload holds an IDR slice or a sequence parameter set — as a
// single NAL unit, inside a STAP-A, or at the start of an FU-A.
bool IsH264Keyframe(std::span<const std::uint8_t> payload) noexcept;

}  // namespace egovbox::media
