// RTCP (RFC 3550 §6) and the feedback WebRTC uses (RFC 4585, RFC 5104,
// draft-alvestrand-rmcat-remb, draft-holmer-rmcat-transport-wide-cc-extensions):
// iterating a compound datagram in place, typed readers of the packets the SFU acts
// on, rewriters for the forwarder and writers of what the SFU sends itself.
//
// RtcpCompound::Parse validates the whole datagram once and then iterates it
// without copying or allocating; every view and reader is a span into the caller's
// bytes, which must outlive them, and the rewriters (SetSsrc, SetRtpTimestamp,
// SetMediaSsrc, SetEntrySsrc) write into those bytes. Each reader's Parse takes one
// packet of the compound and returns nullopt when it is not of its kind or is cut
// short. The writers fill a caller's buffer with one RTCP packet and return its
// size, or 0 when it does not fit (or the arguments cannot be encoded); several
// writes one after the other make a compound packet. Nothing here keeps state
// between datagrams: use it from any thread, one datagram per thread at a time.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

namespace egovbox::media {

inline constexpr std::size_t kRtcpHeaderSize = 4;
inline constexpr std::size_t kRtcpMaxReportBlocks = 31;  // the five-bit count

// RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2: the packet type, the second byte.
namespace rtcp_type {
inline constexpr std::uint8_t kSenderReport = 200;
inline constexpr std::uint8_t kReceiverReport = 201;
inline constexpr std::uint8_t kSdes = 202;
inline constexpr std::uint8_t kBye = 203;
inline constexpr std::uint8_t kApp = 204;
inline constexpr std::uint8_t kRtpFeedback = 205;      // RTPFB
inline constexpr std::uint8_t kPayloadFeedback = 206;  // PSFB
inline constexpr std::uint8_t kExtendedReport = 207;   // XR
}  // namespace rtcp_type

// The feedback message type (FMT), in place of the count in RTPFB and PSFB packets.
namespace rtcp_fmt {
inline constexpr std::uint8_t kNack = 1;               // RTPFB, RFC 4585 §6.2.1
inline constexpr std::uint8_t kTransportCc = 15;       // RTPFB, transport-wide-cc-extensions-01 §3.1
inline constexpr std::uint8_t kPli = 1;                // PSFB, RFC 4585 §6.3.1
inline constexpr std::uint8_t kFir = 4;                // PSFB, RFC 5104 §4.3.1
inline constexpr std::uint8_t kApplicationLayer = 15;  // PSFB, RFC 4585 §6.4: REMB rides here
}  // namespace rtcp_fmt

// One packet of a compound datagram: header, body and (on the last packet only) padding.
class RtcpPacketView {
 public:
  std::uint8_t type() const { return bytes_[1]; }
  // The five-bit field after V and P: the report or source count, or the FMT of a
  // feedback packet (fmt() says the same, for readability there).
  std::uint8_t count() const { return bytes_[0] & 0x1FU; }
  std::uint8_t fmt() const { return count(); }
  std::span<std::uint8_t> bytes() const { return bytes_; }  // header, body and padding
  // After the four-byte header, without the padding.
  std::span<std::uint8_t> body() const {
    return bytes_.subspan(kRtcpHeaderSize, bytes_.size() - kRtcpHeaderSize - padding_size_);
  }
  std::size_t padding_size() const { return padding_size_; }

 private:
  friend class RtcpCompound;
  RtcpPacketView(std::span<std::uint8_t> bytes, std::size_t padding_size)
      : bytes_(bytes), padding_size_(padding_size) {}

  std::span<std::uint8_t> bytes_;
  std::size_t padding_size_ = 0;
};

class RtcpCompound {
 public:
  // RFC 3550 §6.1, appendix A.2: one or more packets, each of version 2 with its
  // length (in 32-bit words, minus one) inside the datagram, filling it exactly;
  // only the last may have the P bit, and then its last byte counts the padding
  // (at least 1, not into the header). Neither the first packet's type nor SDES
  // is required: with rtcp-rsize (RFC 5506) Chromium sends feedback alone.
  static std::optional<RtcpCompound> Parse(std::span<std::uint8_t> datagram) noexcept;

  class Iterator {
   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;  // operator* returns a value
    using value_type = RtcpPacketView;
    using difference_type = std::ptrdiff_t;
    using reference = RtcpPacketView;
    using pointer = void;

    Iterator() = default;
    RtcpPacketView operator*() const noexcept;
    Iterator& operator++() noexcept;
    Iterator operator++(int) noexcept {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    friend class RtcpCompound;
    Iterator(std::span<std::uint8_t> bytes, std::size_t at) : bytes_(bytes), at_(at) {}
    std::size_t PacketSize() const noexcept;

    std::span<std::uint8_t> bytes_;
    std::size_t at_ = 0;
  };

  Iterator begin() const { return {bytes_, 0}; }
  Iterator end() const { return {bytes_, bytes_.size()}; }
  std::size_t size() const { return count_; }  // packets in the datagram
  std::span<std::uint8_t> bytes() const { return bytes_; }

 private:
  RtcpCompound() = default;

  std::span<std::uint8_t> bytes_;
  std::size_t count_ = 0;
};

// RFC 3550 §6.4.1: a reception report block.
struct RtcpReportBlock {
  std::uint32_t ssrc = 0;
  std::uint8_t fraction_lost = 0;         // since the previous report, in 1/256
  std::int32_t cumulative_lost = 0;       // 24-bit signed: duplicates can make it negative
  std::uint32_t highest_sequence = 0;     // extended: cycles in the top 16 bits
  std::uint32_t jitter = 0;               // in RTP timestamp units
  std::uint32_t last_sr = 0;              // middle 32 bits of the last SR's NTP time
  std::uint32_t delay_since_last_sr = 0;  // in 1/65536 s
};

// RFC 3550 §6.4.1: SR.
class RtcpSenderReport {
 public:
  static std::optional<RtcpSenderReport> Parse(const RtcpPacketView& packet) noexcept;

  std::uint32_t ssrc() const;
  std::uint32_t ntp_seconds() const;
  std::uint32_t ntp_fraction() const;
  std::uint64_t ntp_timestamp() const;  // seconds in the top 32 bits
  std::uint32_t rtp_timestamp() const;
  std::uint32_t packet_count() const;
  std::uint32_t octet_count() const;
  std::size_t report_count() const { return report_count_; }
  RtcpReportBlock report_block(std::size_t index) const;  // index < report_count()

  // The forwarder's rewrites: the SFU's SSRC for the stream and the timestamp in
  // its RTP timeline.
  void SetSsrc(std::uint32_t ssrc);
  void SetRtpTimestamp(std::uint32_t rtp_timestamp);

 private:
  RtcpSenderReport() = default;
  std::span<std::uint8_t> body_;
  std::size_t report_count_ = 0;
};

// RFC 3550 §6.4.2: RR.
class RtcpReceiverReport {
 public:
  static std::optional<RtcpReceiverReport> Parse(const RtcpPacketView& packet) noexcept;

  std::uint32_t sender_ssrc() const;
  std::size_t report_count() const { return report_count_; }
  RtcpReportBlock report_block(std::size_t index) const;  // index < report_count()

 private:
  RtcpReceiverReport() = default;
  std::span<std::uint8_t> body_;
  std::size_t report_count_ = 0;
};

// RFC 3550 §6.5: SDES. Only validated: the count's chunks, each an SSRC and items
// ended by a null item and padded to a 32-bit boundary, lie inside the packet.
class RtcpSdes {
 public:
  static std::optional<RtcpSdes> Parse(const RtcpPacketView& packet) noexcept;
  std::size_t chunk_count() const { return chunk_count_; }

 private:
  RtcpSdes() = default;
  std::size_t chunk_count_ = 0;
};

// RFC 3550 §6.6: BYE.
class RtcpBye {
 public:
  static std::optional<RtcpBye> Parse(const RtcpPacketView& packet) noexcept;

  std::size_t ssrc_count() const { return ssrc_count_; }
  std::uint32_t ssrc(std::size_t index) const;         // index < ssrc_count()
  std::string_view reason() const { return reason_; }  // empty when absent

 private:
  RtcpBye() = default;
  std::span<std::uint8_t> body_;
  std::size_t ssrc_count_ = 0;
  std::string_view reason_;
};

// RFC 4585 §6.1: any RTPFB or PSFB packet: FMT, the sender's and the media source's
// SSRC, then the feedback control information (FCI).
class RtcpFeedback {
 public:
  static std::optional<RtcpFeedback> Parse(const RtcpPacketView& packet) noexcept;

  std::uint8_t type() const { return type_; }  // rtcp_type::kRtpFeedback or kPayloadFeedback
  std::uint8_t fmt() const { return fmt_; }
  std::uint32_t sender_ssrc() const;
  std::uint32_t media_ssrc() const;
  std::span<std::uint8_t> fci() const { return body_.subspan(kCommonSize); }

  // The forwarder's rewrite of PLI and NACK: the publisher's SSRC for the stream
  // the subscriber asks about. (FIR names its streams in its entries instead:
  // RtcpFir::SetEntrySsrc.)
  void SetMediaSsrc(std::uint32_t ssrc);

 protected:
  static constexpr std::size_t kCommonSize = 8;
  RtcpFeedback() = default;

  std::span<std::uint8_t> body_;
  std::uint8_t type_ = 0;
  std::uint8_t fmt_ = 0;
};

// RFC 4585 §6.2.1: Generic NACK, items of a PID and a bitmask of the 16 following
// sequence numbers (BLP).
class RtcpNack : public RtcpFeedback {
 public:
  static std::optional<RtcpNack> Parse(const RtcpPacketView& packet) noexcept;

  std::size_t item_count() const { return fci().size() / kItemSize; }
  // How many sequence numbers the items name (each PID and each BLP bit set).
  std::size_t lost_count() const {
    const std::span<const std::uint8_t> items = fci();
    std::size_t count = 0;
    for (std::size_t at = 0; at + kItemSize <= items.size(); at += kItemSize) {
      count += 1U + static_cast<std::size_t>(std::popcount(static_cast<unsigned>(items[at + 2] << 8U | items[at + 3])));
    }
    return count;
  }
  // Calls `lost(std::uint16_t)` for each sequence number the packet reports lost,
  // in the order of the items; within an item, PID first, then BLP's bits from the
  // lowest (PID + 1) up. A `lost` that returns bool ends the walk by returning false.
  template <typename Callback>
  void ForEachLostSequenceNumber(Callback&& lost) const {
    const std::span<const std::uint8_t> items = fci();
    constexpr std::size_t kBlpBits = 16;
    for (std::size_t at = 0; at + kItemSize <= items.size(); at += kItemSize) {
      const auto pid = static_cast<std::uint16_t>(items[at] << 8U | items[at + 1]);
      const auto blp = static_cast<std::uint16_t>(items[at + 2] << 8U | items[at + 3]);
      if (!Visit(lost, pid)) return;
      for (std::size_t bit = 0; bit < kBlpBits; ++bit) {
        if ((blp >> bit & 1U) != 0 && !Visit(lost, static_cast<std::uint16_t>(pid + bit + 1))) return;
      }
    }
  }

 private:
  static constexpr std::size_t kItemSize = 4;
  template <typename Callback>
  static bool Visit(Callback& lost, std::uint16_t sequence_number) {
    if constexpr (std::is_same_v<std::invoke_result_t<Callback&, std::uint16_t>, bool>) {
      return lost(sequence_number);
    } else {
      lost(sequence_number);
      return true;
    }
  }
  RtcpNack() = default;
};

// RFC 4585 §6.3.1: Picture Loss Indication, no FCI.
class RtcpPli : public RtcpFeedback {
 public:
  static std::optional<RtcpPli> Parse(const RtcpPacketView& packet) noexcept;

 private:
  RtcpPli() = default;
};

// RFC 5104 §4.3.1: Full Intra Request. The common header's media SSRC is unused
// (0); each entry names a stream and carries a command sequence number.
class RtcpFir : public RtcpFeedback {
 public:
  struct Entry {
    std::uint32_t ssrc = 0;
    std::uint8_t sequence_number = 0;
  };
  static std::optional<RtcpFir> Parse(const RtcpPacketView& packet) noexcept;

  std::size_t entry_count() const { return fci().size() / kEntrySize; }
  Entry entry(std::size_t index) const;  // index < entry_count()
  void SetEntrySsrc(std::size_t index, std::uint32_t ssrc);

 private:
  static constexpr std::size_t kEntrySize = 8;
  RtcpFir() = default;
};

// draft-alvestrand-rmcat-remb-03 §2.2: Receiver Estimated Maximum Bitrate, an
// application layer PSFB whose FCI starts with "REMB".
class RtcpRemb : public RtcpFeedback {
 public:
  static std::optional<RtcpRemb> Parse(const RtcpPacketView& packet) noexcept;

  // Mantissa (18 bits) shifted by the exponent (6 bits); saturates at the top of
  // std::uint64_t, which a 63-bit shift of a large mantissa would overflow.
  std::uint64_t bitrate_bps() const;
  std::size_t ssrc_count() const;
  std::uint32_t ssrc(std::size_t index) const;  // index < ssrc_count()

 private:
  RtcpRemb() = default;
};

// transport-wide-cc-extensions-01 §3.1: recognised, with its fixed fields; the
// packet status chunks and deltas are not read here.
class RtcpTransportCc : public RtcpFeedback {
 public:
  static std::optional<RtcpTransportCc> Parse(const RtcpPacketView& packet) noexcept;

  std::uint16_t base_sequence_number() const;
  std::uint16_t packet_status_count() const;
  std::int32_t reference_time() const;  // 24-bit signed, in multiples of 64 ms
  std::uint8_t feedback_packet_count() const;

 private:
  RtcpTransportCc() = default;
};

// Writers: one packet each into `buffer`; the size written, or 0.

// RFC 3550 §6.4.1: an SR without report blocks. `ntp_timestamp` has the seconds
// since 1900 in its top 32 bits.
std::size_t WriteSenderReport(std::span<std::uint8_t> buffer, std::uint32_t ssrc, std::uint64_t ntp_timestamp,
                              std::uint32_t rtp_timestamp, std::uint32_t packet_count,
                              std::uint32_t octet_count) noexcept;
// RFC 3550 §6.4.2: at most kRtcpMaxReportBlocks blocks (0 for more); a cumulative
// loss outside 24 signed bits is clamped.
std::size_t WriteReceiverReport(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc,
                                std::span<const RtcpReportBlock> blocks) noexcept;
// RFC 3550 §6.5.1: SDES with one chunk holding CNAME (1..255 bytes).
std::size_t WriteSdesCname(std::span<std::uint8_t> buffer, std::uint32_t ssrc, std::string_view cname) noexcept;
std::size_t WritePli(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint32_t media_ssrc) noexcept;
// One entry for `media_ssrc`; the header's media SSRC is 0 (RFC 5104 §4.3.1.2).
// Increase `sequence_number` for each new request (§4.3.1.1), not for repeats.
std::size_t WriteFir(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint32_t media_ssrc,
                     std::uint8_t sequence_number) noexcept;
// The bitrate is rounded down to what 18 bits of mantissa can say; at most 255
// SSRCs (0 for more). The header's media SSRC is 0.
std::size_t WriteRemb(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint64_t bitrate_bps,
                      std::span<const std::uint32_t> ssrcs) noexcept;
// Packs `lost` into PID+BLP items: a number within 16 after the current item's
// PID joins its bitmask, any other starts a new item, so in ascending order (modulo
// 2^16) the packing is tightest; a number already in the current item adds nothing.
// 0 for an empty list.
std::size_t WriteNack(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint32_t media_ssrc,
                      std::span<const std::uint16_t> lost) noexcept;

}  // namespace egovbox::media
