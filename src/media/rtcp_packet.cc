#include "media/rtcp_packet.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "media/byte_order.h"

namespace egovbox::media {
namespace {

constexpr std::uint8_t kRtcpVersion = 2;
constexpr std::uint8_t kVersionBits = kRtcpVersion << 6U;
constexpr std::uint8_t kPaddingBit = 0x20;
constexpr std::size_t kWordSize = 4;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::size_t kSenderInfoSize = 24;  // SSRC, NTP (8), RTP timestamp, packet and octet counts
constexpr std::size_t kSsrcSize = 4;
constexpr std::size_t kFeedbackCommonSize = 8;  // sender SSRC, media SSRC
constexpr std::size_t kMaxLengthWords = 0xFFFF;
// RFC 3550 §6.4.1: cumulative number of packets lost is a 24-bit signed integer.
constexpr std::int32_t kMaxCumulativeLost = 0x7FFFFF;
constexpr std::int32_t kMinCumulativeLost = -0x800000;
constexpr std::uint32_t kUint24Mask = 0xFFFFFF;
constexpr std::uint32_t kSign24Bit = 0x800000;
constexpr std::uint32_t kUint24Range = 0x1000000;
// draft-alvestrand-rmcat-remb-03 §2.2.
constexpr std::string_view kRembIdentifier = "REMB";
constexpr std::size_t kRembFixedSize = 8;  // identifier, Num SSRC, BR Exp and BR Mantissa
constexpr std::uint32_t kRembMaxMantissa = (1U << 18U) - 1;
constexpr std::size_t kRembMaxSsrcs = 255;
constexpr std::size_t kTransportCcFixedSize = 8;
constexpr unsigned kUint64Bits = std::numeric_limits<std::uint64_t>::digits;
constexpr std::uint8_t kSdesEnd = 0;
constexpr std::uint8_t kSdesCname = 1;
constexpr std::size_t kMaxSdesText = 255;

std::int32_t SignExtend24(std::uint32_t value) {
  return (value & kSign24Bit) != 0 ? static_cast<std::int32_t>(value) - static_cast<std::int32_t>(kUint24Range)
                                   : static_cast<std::int32_t>(value);
}

// RFC 3550 §6.4.1: V=2, P=0, the count (or FMT), the type, the length in 32-bit
// words minus one. `size` is a multiple of 4 and at least the header.
void WriteHeader(std::uint8_t* at, std::uint8_t count, std::uint8_t type, std::size_t size) {
  at[0] = static_cast<std::uint8_t>(kVersionBits | count);
  at[1] = type;
  WriteUint16(at + 2, static_cast<std::uint16_t>(size / kWordSize - 1));
}

RtcpReportBlock ReadReportBlock(const std::uint8_t* at) {
  RtcpReportBlock block;
  block.ssrc = ReadUint32(at);
  block.fraction_lost = at[4];
  block.cumulative_lost = SignExtend24(ReadUint24(at + 5));
  block.highest_sequence = ReadUint32(at + 8);
  block.jitter = ReadUint32(at + 12);
  block.last_sr = ReadUint32(at + 16);
  block.delay_since_last_sr = ReadUint32(at + 20);
  return block;
}

void WriteReportBlock(std::uint8_t* at, const RtcpReportBlock& block) {
  WriteUint32(at, block.ssrc);
  at[4] = block.fraction_lost;
  const std::int32_t lost = std::clamp(block.cumulative_lost, kMinCumulativeLost, kMaxCumulativeLost);
  WriteUint24(at + 5, static_cast<std::uint32_t>(lost) & kUint24Mask);
  WriteUint32(at + 8, block.highest_sequence);
  WriteUint32(at + 12, block.jitter);
  WriteUint32(at + 16, block.last_sr);
  WriteUint32(at + 20, block.delay_since_last_sr);
}

// The common part of the feedback readers' Parse: type, FMT and the two SSRCs.
bool IsFeedback(const RtcpPacketView& packet, std::uint8_t type, std::uint8_t fmt) {
  return packet.type() == type && packet.fmt() == fmt && packet.body().size() >= kFeedbackCommonSize;
}

}  // namespace

std::optional<RtcpCompound> RtcpCompound::Parse(std::span<std::uint8_t> datagram) noexcept {
  if (datagram.empty()) return std::nullopt;
  const std::uint8_t* data = datagram.data();
  RtcpCompound compound;
  compound.bytes_ = datagram;
  for (std::size_t at = 0; at < datagram.size();) {
    const std::size_t remaining = datagram.size() - at;
    if (remaining < kRtcpHeaderSize) return std::nullopt;
    if (data[at] >> 6U != kRtcpVersion) return std::nullopt;
    const std::size_t size = (ReadUint16(data + at + 2) + std::size_t{1}) * kWordSize;
    if (size > remaining) return std::nullopt;
    if ((data[at] & kPaddingBit) != 0) {
      // RFC 3550 §6.4.1: only the last packet of a compound is padded; its last
      // octet counts the padding, itself included.
      if (size != remaining) return std::nullopt;
      const std::size_t padding = data[at + size - 1];
      if (padding == 0 || padding > size - kRtcpHeaderSize) return std::nullopt;
    }
    at += size;
    ++compound.count_;
  }
  return compound;
}

std::size_t RtcpCompound::Iterator::PacketSize() const noexcept {
  const std::size_t remaining = bytes_.size() - at_;
  if (remaining < kRtcpHeaderSize) return remaining;
  return std::min((ReadUint16(bytes_.data() + at_ + 2) + std::size_t{1}) * kWordSize, remaining);
}

RtcpPacketView RtcpCompound::Iterator::operator*() const noexcept {
  const std::span<std::uint8_t> packet = bytes_.subspan(at_, PacketSize());
  std::size_t padding = 0;
  if ((packet[0] & kPaddingBit) != 0) padding = std::min<std::size_t>(packet.back(), packet.size() - kRtcpHeaderSize);
  return {packet, padding};
}

RtcpCompound::Iterator& RtcpCompound::Iterator::operator++() noexcept {
  at_ += PacketSize();
  return *this;
}

// SR.

std::optional<RtcpSenderReport> RtcpSenderReport::Parse(const RtcpPacketView& packet) noexcept {
  if (packet.type() != rtcp_type::kSenderReport) return std::nullopt;
  const std::size_t count = packet.count();
  // RFC 3550 §6.4.1: sender info, the blocks, then perhaps profile-specific extensions.
  if (packet.body().size() < kSenderInfoSize + count * kReportBlockSize) return std::nullopt;
  RtcpSenderReport report;
  report.body_ = packet.body();
  report.report_count_ = count;
  return report;
}

std::uint32_t RtcpSenderReport::ssrc() const {
  return ReadUint32(body_.data());
}
std::uint32_t RtcpSenderReport::ntp_seconds() const {
  return ReadUint32(body_.data() + 4);
}
std::uint32_t RtcpSenderReport::ntp_fraction() const {
  return ReadUint32(body_.data() + 8);
}
std::uint64_t RtcpSenderReport::ntp_timestamp() const {
  return std::uint64_t{ntp_seconds()} << 32U | ntp_fraction();
}
std::uint32_t RtcpSenderReport::rtp_timestamp() const {
  return ReadUint32(body_.data() + 12);
}
std::uint32_t RtcpSenderReport::packet_count() const {
  return ReadUint32(body_.data() + 16);
}
std::uint32_t RtcpSenderReport::octet_count() const {
  return ReadUint32(body_.data() + 20);
}

RtcpReportBlock RtcpSenderReport::report_block(std::size_t index) const {
  return ReadReportBlock(body_.data() + kSenderInfoSize + index * kReportBlockSize);
}

void RtcpSenderReport::SetSsrc(std::uint32_t ssrc) {
  WriteUint32(body_.data(), ssrc);
}
void RtcpSenderReport::SetRtpTimestamp(std::uint32_t rtp_timestamp) {
  WriteUint32(body_.data() + 12, rtp_timestamp);
}

// RR.

std::optional<RtcpReceiverReport> RtcpReceiverReport::Parse(const RtcpPacketView& packet) noexcept {
  if (packet.type() != rtcp_type::kReceiverReport) return std::nullopt;
  const std::size_t count = packet.count();
  if (packet.body().size() < kSsrcSize + count * kReportBlockSize) return std::nullopt;
  RtcpReceiverReport report;
  report.body_ = packet.body();
  report.report_count_ = count;
  return report;
}

std::uint32_t RtcpReceiverReport::sender_ssrc() const {
  return ReadUint32(body_.data());
}

RtcpReportBlock RtcpReceiverReport::report_block(std::size_t index) const {
  return ReadReportBlock(body_.data() + kSsrcSize + index * kReportBlockSize);
}

// SDES.

std::optional<RtcpSdes> RtcpSdes::Parse(const RtcpPacketView& packet) noexcept {
  if (packet.type() != rtcp_type::kSdes) return std::nullopt;
  const std::span<const std::uint8_t> body = packet.body();
  std::size_t at = 0;
  for (std::size_t chunk = 0; chunk < packet.count(); ++chunk) {
    if (body.size() - at < kSsrcSize) return std::nullopt;
    at += kSsrcSize;
    // RFC 3550 §6.5: items (type, length, text) until a null octet, then null
    // octets up to the next 32-bit boundary, where the next chunk starts.
    while (true) {
      if (at >= body.size()) return std::nullopt;
      if (body[at] == kSdesEnd) break;
      if (body.size() - at < 2) return std::nullopt;
      const std::size_t length = body[at + 1];
      if (length > body.size() - at - 2) return std::nullopt;
      at += 2 + length;
    }
    at = (at + kWordSize) & ~(kWordSize - 1);  // past the null octet, to the boundary
    if (at > body.size()) return std::nullopt;
  }
  RtcpSdes sdes;
  sdes.chunk_count_ = packet.count();
  return sdes;
}

// BYE.

std::optional<RtcpBye> RtcpBye::Parse(const RtcpPacketView& packet) noexcept {
  if (packet.type() != rtcp_type::kBye) return std::nullopt;
  const std::span<std::uint8_t> body = packet.body();
  const std::size_t count = packet.count();
  if (body.size() < count * kSsrcSize) return std::nullopt;
  RtcpBye bye;
  bye.body_ = body;
  bye.ssrc_count_ = count;
  // RFC 3550 §6.6: an optional reason, a length octet and the text.
  const std::size_t reason_at = count * kSsrcSize;
  if (body.size() > reason_at) {
    const std::size_t length = body[reason_at];
    if (length > body.size() - reason_at - 1) return std::nullopt;
    bye.reason_ = std::string_view(reinterpret_cast<const char*>(body.data() + reason_at + 1), length);
  }
  return bye;
}

std::uint32_t RtcpBye::ssrc(std::size_t index) const {
  return ReadUint32(body_.data() + index * kSsrcSize);
}

// Feedback.

std::optional<RtcpFeedback> RtcpFeedback::Parse(const RtcpPacketView& packet) noexcept {
  if (packet.type() != rtcp_type::kRtpFeedback && packet.type() != rtcp_type::kPayloadFeedback) return std::nullopt;
  if (packet.body().size() < kCommonSize) return std::nullopt;
  RtcpFeedback feedback;
  feedback.body_ = packet.body();
  feedback.type_ = packet.type();
  feedback.fmt_ = packet.fmt();
  return feedback;
}

std::uint32_t RtcpFeedback::sender_ssrc() const {
  return ReadUint32(body_.data());
}
std::uint32_t RtcpFeedback::media_ssrc() const {
  return ReadUint32(body_.data() + 4);
}
void RtcpFeedback::SetMediaSsrc(std::uint32_t ssrc) {
  WriteUint32(body_.data() + 4, ssrc);
}

std::optional<RtcpNack> RtcpNack::Parse(const RtcpPacketView& packet) noexcept {
  // RFC 4585 §6.2.1: one or more items.
  if (!IsFeedback(packet, rtcp_type::kRtpFeedback, rtcp_fmt::kNack)) return std::nullopt;
  const std::size_t fci_size = packet.body().size() - kCommonSize;
  if (fci_size == 0 || fci_size % kItemSize != 0) return std::nullopt;
  RtcpNack nack;
  nack.body_ = packet.body();
  nack.type_ = packet.type();
  nack.fmt_ = packet.fmt();
  return nack;
}

std::optional<RtcpPli> RtcpPli::Parse(const RtcpPacketView& packet) noexcept {
  // RFC 4585 §6.3.1 wants no FCI; anything after the SSRCs is ignored.
  if (!IsFeedback(packet, rtcp_type::kPayloadFeedback, rtcp_fmt::kPli)) return std::nullopt;
  RtcpPli pli;
  pli.body_ = packet.body();
  pli.type_ = packet.type();
  pli.fmt_ = packet.fmt();
  return pli;
}

std::optional<RtcpFir> RtcpFir::Parse(const RtcpPacketView& packet) noexcept {
  // RFC 5104 §4.3.1.1: one or more entries of SSRC, Seq nr. and 24 reserved bits.
  if (!IsFeedback(packet, rtcp_type::kPayloadFeedback, rtcp_fmt::kFir)) return std::nullopt;
  const std::size_t fci_size = packet.body().size() - kCommonSize;
  if (fci_size == 0 || fci_size % kEntrySize != 0) return std::nullopt;
  RtcpFir fir;
  fir.body_ = packet.body();
  fir.type_ = packet.type();
  fir.fmt_ = packet.fmt();
  return fir;
}

RtcpFir::Entry RtcpFir::entry(std::size_t index) const {
  const std::uint8_t* at = fci().data() + index * kEntrySize;
  return {ReadUint32(at), at[4]};
}

void RtcpFir::SetEntrySsrc(std::size_t index, std::uint32_t ssrc) {
  WriteUint32(fci().data() + index * kEntrySize, ssrc);
}

std::optional<RtcpRemb> RtcpRemb::Parse(const RtcpPacketView& packet) noexcept {
  // draft-alvestrand-rmcat-remb-03 §2.2: "REMB", Num SSRC, BR Exp (6 bits), BR
  // Mantissa (18 bits), then Num SSRC SSRCs.
  if (!IsFeedback(packet, rtcp_type::kPayloadFeedback, rtcp_fmt::kApplicationLayer)) return std::nullopt;
  const std::span<const std::uint8_t> fci = packet.body().subspan(kCommonSize);
  if (fci.size() < kRembFixedSize) return std::nullopt;
  if (std::string_view(reinterpret_cast<const char*>(fci.data()), kRembIdentifier.size()) != kRembIdentifier) {
    return std::nullopt;
  }
  if (fci.size() < kRembFixedSize + fci[4] * kSsrcSize) return std::nullopt;
  RtcpRemb remb;
  remb.body_ = packet.body();
  remb.type_ = packet.type();
  remb.fmt_ = packet.fmt();
  return remb;
}

std::uint64_t RtcpRemb::bitrate_bps() const {
  const std::span<const std::uint8_t> remb = fci();
  const unsigned exponent = remb[5] >> 2U;
  const std::uint64_t mantissa = ReadUint24(remb.data() + 5) & kRembMaxMantissa;
  if (mantissa != 0 && static_cast<unsigned>(std::bit_width(mantissa)) + exponent > kUint64Bits) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return mantissa << exponent;
}

std::size_t RtcpRemb::ssrc_count() const {
  return fci()[4];
}

std::uint32_t RtcpRemb::ssrc(std::size_t index) const {
  return ReadUint32(fci().data() + kRembFixedSize + index * kSsrcSize);
}

std::optional<RtcpTransportCc> RtcpTransportCc::Parse(const RtcpPacketView& packet) noexcept {
  // transport-wide-cc-extensions-01 §3.1: base sequence number, packet status
  // count, reference time (24 bits), feedback packet count, then chunks and deltas.
  if (!IsFeedback(packet, rtcp_type::kRtpFeedback, rtcp_fmt::kTransportCc)) return std::nullopt;
  if (packet.body().size() - kCommonSize < kTransportCcFixedSize) return std::nullopt;
  RtcpTransportCc feedback;
  feedback.body_ = packet.body();
  feedback.type_ = packet.type();
  feedback.fmt_ = packet.fmt();
  return feedback;
}

std::uint16_t RtcpTransportCc::base_sequence_number() const {
  return ReadUint16(fci().data());
}
std::uint16_t RtcpTransportCc::packet_status_count() const {
  return ReadUint16(fci().data() + 2);
}
std::int32_t RtcpTransportCc::reference_time() const {
  return SignExtend24(ReadUint24(fci().data() + 4));
}
std::uint8_t RtcpTransportCc::feedback_packet_count() const {
  return fci()[7];
}

// Writers.

std::size_t WriteSenderReport(std::span<std::uint8_t> buffer, std::uint32_t ssrc, std::uint64_t ntp_timestamp,
                              std::uint32_t rtp_timestamp, std::uint32_t packet_count,
                              std::uint32_t octet_count) noexcept {
  constexpr std::size_t kSize = kRtcpHeaderSize + kSenderInfoSize;
  if (buffer.size() < kSize) return 0;
  std::uint8_t* at = buffer.data();
  WriteHeader(at, 0, rtcp_type::kSenderReport, kSize);
  WriteUint32(at + 4, ssrc);
  WriteUint32(at + 8, static_cast<std::uint32_t>(ntp_timestamp >> 32U));
  WriteUint32(at + 12, static_cast<std::uint32_t>(ntp_timestamp));
  WriteUint32(at + 16, rtp_timestamp);
  WriteUint32(at + 20, packet_count);
  WriteUint32(at + 24, octet_count);
  return kSize;
}

std::size_t WriteReceiverReport(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc,
                                std::span<const RtcpReportBlock> blocks) noexcept {
  if (blocks.size() > kRtcpMaxReportBlocks) return 0;
  const std::size_t size = kRtcpHeaderSize + kSsrcSize + blocks.size() * kReportBlockSize;
  if (buffer.size() < size) return 0;
  std::uint8_t* at = buffer.data();
  WriteHeader(at, static_cast<std::uint8_t>(blocks.size()), rtcp_type::kReceiverReport, size);
  WriteUint32(at + 4, sender_ssrc);
  at += kRtcpHeaderSize + kSsrcSize;
  for (const RtcpReportBlock& block : blocks) {
    WriteReportBlock(at, block);
    at += kReportBlockSize;
  }
  return size;
}

std::size_t WriteSdesCname(std::span<std::uint8_t> buffer, std::uint32_t ssrc, std::string_view cname) noexcept {
  if (cname.empty() || cname.size() > kMaxSdesText) return 0;
  // RFC 3550 §6.5: the chunk is the SSRC, the CNAME item, at least one null octet
  // and nulls up to a 32-bit boundary.
  const std::size_t chunk = (kSsrcSize + 2 + cname.size() + 1 + kWordSize - 1) & ~(kWordSize - 1);
  const std::size_t size = kRtcpHeaderSize + chunk;
  if (buffer.size() < size) return 0;
  std::uint8_t* at = buffer.data();
  WriteHeader(at, 1, rtcp_type::kSdes, size);
  WriteUint32(at + 4, ssrc);
  at[8] = kSdesCname;
  at[9] = static_cast<std::uint8_t>(cname.size());
  std::copy(cname.begin(), cname.end(), at + 10);
  std::fill(at + 10 + cname.size(), at + size, std::uint8_t{0});
  return size;
}

std::size_t WritePli(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint32_t media_ssrc) noexcept {
  constexpr std::size_t kSize = kRtcpHeaderSize + kFeedbackCommonSize;
  if (buffer.size() < kSize) return 0;
  std::uint8_t* at = buffer.data();
  WriteHeader(at, rtcp_fmt::kPli, rtcp_type::kPayloadFeedback, kSize);
  WriteUint32(at + 4, sender_ssrc);
  WriteUint32(at + 8, media_ssrc);
  return kSize;
}

std::size_t WriteFir(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint32_t media_ssrc,
                     std::uint8_t sequence_number) noexcept {
  constexpr std::size_t kEntrySize = 8;
  constexpr std::size_t kSize = kRtcpHeaderSize + kFeedbackCommonSize + kEntrySize;
  if (buffer.size() < kSize) return 0;
  std::uint8_t* at = buffer.data();
  WriteHeader(at, rtcp_fmt::kFir, rtcp_type::kPayloadFeedback, kSize);
  WriteUint32(at + 4, sender_ssrc);
  WriteUint32(at + 8, 0);
  WriteUint32(at + 12, media_ssrc);
  at[16] = sequence_number;
  WriteUint24(at + 17, 0);
  return kSize;
}

std::size_t WriteRemb(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint64_t bitrate_bps,
                      std::span<const std::uint32_t> ssrcs) noexcept {
  if (ssrcs.size() > kRembMaxSsrcs) return 0;
  const std::size_t size = kRtcpHeaderSize + kFeedbackCommonSize + kRembFixedSize + ssrcs.size() * kSsrcSize;
  if (buffer.size() < size) return 0;
  unsigned exponent = 0;
  while ((bitrate_bps >> exponent) > kRembMaxMantissa) ++exponent;
  const auto mantissa = static_cast<std::uint32_t>(bitrate_bps >> exponent);
  std::uint8_t* at = buffer.data();
  WriteHeader(at, rtcp_fmt::kApplicationLayer, rtcp_type::kPayloadFeedback, size);
  WriteUint32(at + 4, sender_ssrc);
  WriteUint32(at + 8, 0);
  std::copy(kRembIdentifier.begin(), kRembIdentifier.end(), at + 12);
  at[16] = static_cast<std::uint8_t>(ssrcs.size());
  WriteUint24(at + 17, exponent << 18U | mantissa);
  at += 20;
  for (const std::uint32_t ssrc : ssrcs) {
    WriteUint32(at, ssrc);
    at += kSsrcSize;
  }
  return size;
}

std::size_t WriteNack(std::span<std::uint8_t> buffer, std::uint32_t sender_ssrc, std::uint32_t media_ssrc,
                      std::span<const std::uint16_t> lost) noexcept {
  constexpr std::size_t kItemSize = 4;
  constexpr int kBlpBits = 16;
  if (lost.empty()) return 0;
  std::size_t size = kRtcpHeaderSize + kFeedbackCommonSize;
  if (buffer.size() < size) return 0;
  std::uint8_t* data = buffer.data();

  // RFC 4585 §6.2.1: PID is a lost packet, bit i of BLP the packet PID + i + 1.
  std::uint16_t pid = lost.front();
  std::uint16_t blp = 0;
  const auto flush = [&]() {
    if (buffer.size() - size < kItemSize) return false;
    WriteUint16(data + size, pid);
    WriteUint16(data + size + 2, blp);
    size += kItemSize;
    return true;
  };
  for (const std::uint16_t sequence_number : lost.subspan(1)) {
    const auto distance = static_cast<std::uint16_t>(sequence_number - pid);
    if (distance == 0) continue;
    if (distance <= kBlpBits) {
      blp = static_cast<std::uint16_t>(blp | 1U << (distance - 1U));
      continue;
    }
    if (!flush()) return 0;
    pid = sequence_number;
    blp = 0;
  }
  if (!flush()) return 0;
  if (size / kWordSize - 1 > kMaxLengthWords) return 0;
  WriteHeader(data, rtcp_fmt::kNack, rtcp_type::kRtpFeedback, size);
  WriteUint32(data + 4, sender_ssrc);
  WriteUint32(data + 8, media_ssrc);
  return size;
}

}  // namespace egovbox::media
