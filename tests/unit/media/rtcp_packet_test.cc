#include "media/rtcp_packet.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/captured_packets.h"
#include "media/packet_kind.h"

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// SSRCs of the "burst" capture session (tests/data/rtp/README.md).
constexpr std::uint32_t kOpusSsrc = test::kCapturedOpusSsrc;
constexpr std::uint32_t kVp8Ssrc = test::kCapturedVp8Ssrc;
constexpr std::uint32_t kRtxSsrc = test::kCapturedRtxSsrc;
constexpr std::uint32_t kVideoReceiverSsrc = 1;
constexpr std::uint32_t kAudioReceiverSsrc = 0xfa17fa17;

using test::ReadCaptured;

std::vector<std::uint8_t> Types(const RtcpCompound& compound) {
  std::vector<std::uint8_t> types;
  for (const RtcpPacketView& packet : compound) types.push_back(packet.type());
  return types;
}

// The n-th packet of a compound (which must have it).
RtcpPacketView At(const RtcpCompound& compound, std::size_t index) {
  auto it = compound.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(index));
  return *it;
}

std::vector<std::uint16_t> LostSequenceNumbers(const RtcpNack& nack) {
  std::vector<std::uint16_t> lost;
  nack.ForEachLostSequenceNumber([&](std::uint16_t sequence_number) { lost.push_back(sequence_number); });
  return lost;
}

// Captured packets.

TEST(RtcpPacketTest, IteratesTheCapturedSenderReportCompound) {
  Bytes bytes = ReadCaptured("sr_sdes.hex");
  EXPECT_EQ(ClassifyPacket(bytes), PacketKind::kRtcp);
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  EXPECT_EQ(compound->size(), 2U);
  EXPECT_EQ(std::distance(compound->begin(), compound->end()), 2);
  EXPECT_EQ(Types(*compound), (std::vector<std::uint8_t>{rtcp_type::kSenderReport, rtcp_type::kSdes}));

  const auto report = RtcpSenderReport::Parse(At(*compound, 0));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->ssrc(), kVp8Ssrc);
  EXPECT_EQ(report->ntp_seconds(), 4004839067U);
  EXPECT_EQ(report->ntp_fraction(), 4172088281U);
  EXPECT_EQ(report->ntp_timestamp(), std::uint64_t{4004839067U} << 32U | 4172088281U);
  EXPECT_EQ(report->rtp_timestamp(), 2437827785U);
  EXPECT_EQ(report->packet_count(), 27U);
  EXPECT_EQ(report->octet_count(), 16552U);
  EXPECT_EQ(report->report_count(), 0U);

  const auto sdes = RtcpSdes::Parse(At(*compound, 1));
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->chunk_count(), 1U);
  EXPECT_FALSE(RtcpSenderReport::Parse(At(*compound, 1)));
  EXPECT_FALSE(RtcpSdes::Parse(At(*compound, 0)));
}

TEST(RtcpPacketTest, IteratesTheCapturedCompoundWithExtendedReport) {
  Bytes bytes = ReadCaptured("sr_sdes_xr.hex");
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  EXPECT_EQ(compound->size(), 3U);
  EXPECT_EQ(Types(*compound),
            (std::vector<std::uint8_t>{rtcp_type::kSenderReport, rtcp_type::kSdes, rtcp_type::kExtendedReport}));
  std::size_t total = 0;
  for (const RtcpPacketView& packet : *compound) total += packet.bytes().size();
  EXPECT_EQ(total, bytes.size());
  EXPECT_EQ(At(*compound, 2).body().size(), 20U);
  const auto report = RtcpSenderReport::Parse(At(*compound, 0));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->packet_count(), 70U);
  EXPECT_EQ(report->octet_count(), 51253U);
}

TEST(RtcpPacketTest, ReadsTheCapturedReceiverReportWithLoss) {
  Bytes bytes = ReadCaptured("rr_loss_xr.hex");
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  EXPECT_EQ(Types(*compound), (std::vector<std::uint8_t>{rtcp_type::kReceiverReport, rtcp_type::kExtendedReport}));
  const auto report = RtcpReceiverReport::Parse(At(*compound, 0));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->sender_ssrc(), kVideoReceiverSsrc);
  ASSERT_EQ(report->report_count(), 2U);

  const RtcpReportBlock rtx = report->report_block(0);
  EXPECT_EQ(rtx.ssrc, kRtxSsrc);
  EXPECT_EQ(rtx.fraction_lost, 0);
  EXPECT_EQ(rtx.cumulative_lost, 0);
  EXPECT_EQ(rtx.highest_sequence, 19548U);

  const RtcpReportBlock video = report->report_block(1);
  EXPECT_EQ(video.ssrc, kVp8Ssrc);
  EXPECT_EQ(video.fraction_lost, 229);
  EXPECT_EQ(video.cumulative_lost, 9);
  EXPECT_EQ(video.highest_sequence, 15303U);
  EXPECT_EQ(video.jitter, 3014U);
  EXPECT_EQ(video.last_sr, 4271875216U);
  EXPECT_EQ(video.delay_since_last_sr, 148846U);
}

TEST(RtcpPacketTest, ReadsTheCapturedRemb) {
  Bytes bytes = ReadCaptured("rr_remb_xr.hex");
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  EXPECT_EQ(Types(*compound), (std::vector<std::uint8_t>{rtcp_type::kReceiverReport, rtcp_type::kPayloadFeedback,
                                                         rtcp_type::kExtendedReport}));
  const RtcpPacketView packet = At(*compound, 1);
  const auto feedback = RtcpFeedback::Parse(packet);
  ASSERT_TRUE(feedback);
  EXPECT_EQ(feedback->fmt(), rtcp_fmt::kApplicationLayer);
  EXPECT_EQ(feedback->sender_ssrc(), kVideoReceiverSsrc);
  EXPECT_EQ(feedback->media_ssrc(), 0U);

  const auto remb = RtcpRemb::Parse(packet);
  ASSERT_TRUE(remb);
  EXPECT_EQ(remb->bitrate_bps(), 2098816U);  // mantissa 131176, exponent 4
  ASSERT_EQ(remb->ssrc_count(), 2U);
  EXPECT_EQ(remb->ssrc(0), 1068214464U);
  EXPECT_EQ(remb->ssrc(1), 1520238017U);
  EXPECT_FALSE(RtcpPli::Parse(packet));
  EXPECT_FALSE(RtcpFir::Parse(packet));
  EXPECT_FALSE(RtcpRemb::Parse(At(*compound, 0)));

  const auto report = RtcpReceiverReport::Parse(At(*compound, 0));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->report_block(1).ssrc, 1520238017U);
  EXPECT_EQ(report->report_block(1).highest_sequence, 28461U);
}

TEST(RtcpPacketTest, RecognisesCapturedTransportFeedback) {
  Bytes bytes = ReadCaptured("transport_cc.hex");
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  ASSERT_EQ(compound->size(), 1U);  // rtcp-rsize: alone, no report first
  const auto feedback = RtcpTransportCc::Parse(*compound->begin());
  ASSERT_TRUE(feedback);
  EXPECT_EQ(feedback->type(), rtcp_type::kRtpFeedback);
  EXPECT_EQ(feedback->sender_ssrc(), kAudioReceiverSsrc);
  EXPECT_EQ(feedback->media_ssrc(), kOpusSsrc);
  EXPECT_EQ(feedback->base_sequence_number(), 1);
  EXPECT_EQ(feedback->packet_status_count(), 2);
  EXPECT_EQ(feedback->reference_time(), 458665);
  EXPECT_EQ(feedback->feedback_packet_count(), 0);
  EXPECT_FALSE(RtcpNack::Parse(*compound->begin()));
}

TEST(RtcpPacketTest, ReadsCapturedPaddedTransportFeedback) {
  Bytes bytes = ReadCaptured("transport_cc_padded.hex");
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  const RtcpPacketView packet = *compound->begin();
  EXPECT_EQ(packet.padding_size(), 1U);
  EXPECT_EQ(packet.bytes().size(), 28U);
  EXPECT_EQ(packet.body().size(), 23U);
  const auto feedback = RtcpTransportCc::Parse(packet);
  ASSERT_TRUE(feedback);
  EXPECT_EQ(feedback->media_ssrc(), kVp8Ssrc);
  EXPECT_EQ(feedback->base_sequence_number(), 17);
  EXPECT_EQ(feedback->packet_status_count(), 5);
  EXPECT_EQ(feedback->reference_time(), 458667);
  EXPECT_EQ(feedback->feedback_packet_count(), 2);
}

TEST(RtcpPacketTest, ReadsTheCapturedNack) {
  Bytes bytes = ReadCaptured("nack.hex");
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  const auto nack = RtcpNack::Parse(*compound->begin());
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->sender_ssrc(), kVideoReceiverSsrc);
  EXPECT_EQ(nack->media_ssrc(), kVp8Ssrc);
  EXPECT_EQ(nack->item_count(), 1U);
  std::vector<std::uint16_t> expected;
  for (std::uint16_t sequence_number = 15310; sequence_number <= 15320; ++sequence_number) {
    expected.push_back(sequence_number);
  }
  EXPECT_EQ(LostSequenceNumbers(*nack), expected);
}

TEST(RtcpPacketTest, ReadsTheCapturedPli) {
  Bytes bytes = ReadCaptured("pli.hex");
  ASSERT_EQ(bytes.size(), 12U);
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  const RtcpPacketView packet = *compound->begin();
  const auto pli = RtcpPli::Parse(packet);
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->sender_ssrc(), kVideoReceiverSsrc);
  EXPECT_EQ(pli->media_ssrc(), kVp8Ssrc);
  EXPECT_TRUE(pli->fci().empty());
  EXPECT_FALSE(RtcpNack::Parse(packet));
  EXPECT_FALSE(RtcpFir::Parse(packet));
  EXPECT_FALSE(RtcpRemb::Parse(packet));
  EXPECT_FALSE(RtcpSenderReport::Parse(packet));
}

// The forwarder's rewrites.

TEST(RtcpPacketTest, RewritesACapturedSenderReportInPlace) {
  Bytes bytes = ReadCaptured("sr_sdes.hex");
  const Bytes original = bytes;
  const auto compound = RtcpCompound::Parse(bytes);
  ASSERT_TRUE(compound);
  auto report = RtcpSenderReport::Parse(At(*compound, 0));
  ASSERT_TRUE(report);
  report->SetSsrc(0x11223344);
  report->SetRtpTimestamp(0x55667788);

  const auto again = RtcpSenderReport::Parse(*RtcpCompound::Parse(bytes)->begin());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ssrc(), 0x11223344U);
  EXPECT_EQ(again->rtp_timestamp(), 0x55667788U);
  EXPECT_EQ(again->ntp_seconds(), 4004839067U);
  EXPECT_EQ(again->packet_count(), 27U);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) changed += bytes[i] != original[i] ? 1 : 0;
  EXPECT_LE(changed, 8U);
}

TEST(RtcpPacketTest, RewritesTheMediaSsrcOfCapturedFeedback) {
  for (const char* name : {"pli.hex", "nack.hex"}) {
    Bytes bytes = ReadCaptured(name);
    const auto compound = RtcpCompound::Parse(bytes);
    ASSERT_TRUE(compound) << name;
    auto feedback = RtcpFeedback::Parse(*compound->begin());
    ASSERT_TRUE(feedback) << name;
    feedback->SetMediaSsrc(0xCAFEBABE);
    const auto again = RtcpFeedback::Parse(*RtcpCompound::Parse(bytes)->begin());
    ASSERT_TRUE(again) << name;
    EXPECT_EQ(again->media_ssrc(), 0xCAFEBABEU) << name;
    EXPECT_EQ(again->sender_ssrc(), kVideoReceiverSsrc) << name;
  }
}

TEST(RtcpPacketTest, RewritesTheSsrcOfAFirEntry) {
  std::array<std::uint8_t, 64> buffer{};
  const std::size_t size = WriteFir(buffer, 1, kVp8Ssrc, 7);
  ASSERT_EQ(size, 20U);
  const auto compound = RtcpCompound::Parse(std::span(buffer).first(size));
  ASSERT_TRUE(compound);
  auto fir = RtcpFir::Parse(*compound->begin());
  ASSERT_TRUE(fir);
  fir->SetEntrySsrc(0, 0xCAFEBABE);
  const auto again = RtcpFir::Parse(*compound->begin());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->entry(0).ssrc, 0xCAFEBABEU);
  EXPECT_EQ(again->entry(0).sequence_number, 7);
}

// Compound validation.

TEST(RtcpPacketTest, RejectsMalformedCompounds) {
  Bytes empty;
  EXPECT_FALSE(RtcpCompound::Parse(empty));
  Bytes short_header = {0x80, 0xC9, 0x00};
  EXPECT_FALSE(RtcpCompound::Parse(short_header));
  Bytes wrong_version = {0x40, 0xC9, 0x00, 0x01, 0, 0, 0, 1};
  EXPECT_FALSE(RtcpCompound::Parse(wrong_version));
  Bytes length_too_long = {0x80, 0xC9, 0x00, 0x02, 0, 0, 0, 1};
  EXPECT_FALSE(RtcpCompound::Parse(length_too_long));
  Bytes trailing_bytes = {0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x80, 0xC9};
  EXPECT_FALSE(RtcpCompound::Parse(trailing_bytes));
  Bytes second_bad_version = {0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x00, 0xC9, 0x00, 0x00};
  EXPECT_FALSE(RtcpCompound::Parse(second_bad_version));

  Bytes good = {0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x81, 0xCE, 0x00, 0x00};
  const auto compound = RtcpCompound::Parse(good);
  ASSERT_TRUE(compound);
  EXPECT_EQ(compound->size(), 2U);
  // A PSFB too short for its SSRCs is in the compound, but no reader takes it.
  EXPECT_FALSE(RtcpFeedback::Parse(At(*compound, 1)));
  EXPECT_FALSE(RtcpPli::Parse(At(*compound, 1)));
}

TEST(RtcpPacketTest, AcceptsPaddingOnlyOnTheLastPacket) {
  // An RR with no blocks, then a PLI padded by four bytes (count 4).
  Bytes padded_last = {0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0xA1, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4};
  const auto compound = RtcpCompound::Parse(padded_last);
  ASSERT_TRUE(compound);
  EXPECT_EQ(At(*compound, 1).padding_size(), 4U);
  const auto pli = RtcpPli::Parse(At(*compound, 1));
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->media_ssrc(), 2U);
  EXPECT_TRUE(pli->fci().empty());

  Bytes padded_first = {0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 4, 0x81, 0xCE, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(RtcpCompound::Parse(padded_first));
  Bytes zero_count = {0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 0};
  EXPECT_FALSE(RtcpCompound::Parse(zero_count));
  Bytes into_the_header = {0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 5};
  EXPECT_FALSE(RtcpCompound::Parse(into_the_header));
  Bytes whole_body = {0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 4};
  const auto padded_rr = RtcpCompound::Parse(whole_body);
  ASSERT_TRUE(padded_rr);
  EXPECT_TRUE((*padded_rr->begin()).body().empty());
  EXPECT_FALSE(RtcpReceiverReport::Parse(*padded_rr->begin()));  // no room left for the SSRC
}

// Readers on hand-built packets.

TEST(RtcpPacketTest, RejectsReportsShorterThanTheirCount) {
  Bytes sender_report(28, 0);
  sender_report[0] = 0x81;  // one block announced, none there
  sender_report[1] = rtcp_type::kSenderReport;
  sender_report[3] = 6;
  const auto compound = RtcpCompound::Parse(sender_report);
  ASSERT_TRUE(compound);
  EXPECT_FALSE(RtcpSenderReport::Parse(*compound->begin()));

  Bytes receiver_report = {0x82, 0xC9, 0x00, 0x07, 0, 0, 0, 1};
  receiver_report.resize(32);  // one block of the two
  const auto rr = RtcpCompound::Parse(receiver_report);
  ASSERT_TRUE(rr);
  EXPECT_FALSE(RtcpReceiverReport::Parse(*rr->begin()));
}

TEST(RtcpPacketTest, ValidatesSdesChunks) {
  // Two chunks: CNAME "ab" with its null and padding; then an empty chunk.
  Bytes two_chunks = {0x82, 0xCA, 0x00, 0x05, 0, 0, 0, 1, 1, 2, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0};
  const auto compound = RtcpCompound::Parse(two_chunks);
  ASSERT_TRUE(compound);
  const auto sdes = RtcpSdes::Parse(*compound->begin());
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->chunk_count(), 2U);

  Bytes item_too_long = {0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 1, 9, 'a', 'b'};
  EXPECT_FALSE(RtcpSdes::Parse(*RtcpCompound::Parse(item_too_long)->begin()));
  Bytes no_end = {0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 1, 2, 'a', 'b'};
  EXPECT_FALSE(RtcpSdes::Parse(*RtcpCompound::Parse(no_end)->begin()));
  Bytes missing_chunk = {0x82, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0};
  EXPECT_FALSE(RtcpSdes::Parse(*RtcpCompound::Parse(missing_chunk)->begin()));
}

TEST(RtcpPacketTest, ReadsByeWithAndWithoutReason) {
  Bytes bye = {0x82, 0xCB, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2, 4, 'l', 'e', 'f', 't', 0, 0, 0};
  const auto compound = RtcpCompound::Parse(bye);
  ASSERT_TRUE(compound);
  const auto parsed = RtcpBye::Parse(*compound->begin());
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->ssrc_count(), 2U);
  EXPECT_EQ(parsed->ssrc(0), 1U);
  EXPECT_EQ(parsed->ssrc(1), 2U);
  EXPECT_EQ(parsed->reason(), "left");

  Bytes no_reason = {0x81, 0xCB, 0x00, 0x01, 0, 0, 0, 7};
  const auto plain = RtcpBye::Parse(*RtcpCompound::Parse(no_reason)->begin());
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->reason().empty());

  Bytes reason_too_long = {0x81, 0xCB, 0x00, 0x02, 0, 0, 0, 7, 9, 'x', 'y', 'z'};
  EXPECT_FALSE(RtcpBye::Parse(*RtcpCompound::Parse(reason_too_long)->begin()));
  Bytes ssrcs_missing = {0x83, 0xCB, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 8};
  EXPECT_FALSE(RtcpBye::Parse(*RtcpCompound::Parse(ssrcs_missing)->begin()));
}

TEST(RtcpPacketTest, RejectsFeedbackWithTheWrongFci) {
  Bytes nack_without_items = {0x81, 0xCD, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_FALSE(RtcpNack::Parse(*RtcpCompound::Parse(nack_without_items)->begin()));
  Bytes fir_half_entry = {0x84, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2};
  EXPECT_FALSE(RtcpFir::Parse(*RtcpCompound::Parse(fir_half_entry)->begin()));
  Bytes not_remb = {0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'X', 0, 0, 0, 1};
  EXPECT_FALSE(RtcpRemb::Parse(*RtcpCompound::Parse(not_remb)->begin()));
  Bytes remb_missing_ssrc = {0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 1, 0, 0, 1};
  EXPECT_FALSE(RtcpRemb::Parse(*RtcpCompound::Parse(remb_missing_ssrc)->begin()));
  Bytes short_transport_cc = {0x8F, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 1};
  EXPECT_FALSE(RtcpTransportCc::Parse(*RtcpCompound::Parse(short_transport_cc)->begin()));
}

TEST(RtcpPacketTest, SaturatesAnOverflowingRembBitrate) {
  // Exponent 63, mantissa 0x3FFFF: far beyond 64 bits.
  Bytes huge = {0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 0, 0xFF, 0xFF, 0xFF};
  const auto remb = RtcpRemb::Parse(*RtcpCompound::Parse(huge)->begin());
  ASSERT_TRUE(remb);
  EXPECT_EQ(remb->bitrate_bps(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(remb->ssrc_count(), 0U);
  // Exponent 46 with a one-bit mantissa still fits.
  Bytes fits = {0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B', 0, 46 << 2, 0, 1};
  EXPECT_EQ(RtcpRemb::Parse(*RtcpCompound::Parse(fits)->begin())->bitrate_bps(), std::uint64_t{1} << 46U);
}

// Writers, read back by the readers.

TEST(RtcpPacketTest, WritesASenderReport) {
  std::array<std::uint8_t, 28> buffer{};
  const std::uint64_t ntp = std::uint64_t{0xE1234567} << 32U | 0x89ABCDEF;
  ASSERT_EQ(WriteSenderReport(buffer, kVp8Ssrc, ntp, 90000, 12, 3456), 28U);
  const auto compound = RtcpCompound::Parse(buffer);
  ASSERT_TRUE(compound);
  const auto report = RtcpSenderReport::Parse(*compound->begin());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->ssrc(), kVp8Ssrc);
  EXPECT_EQ(report->ntp_timestamp(), ntp);
  EXPECT_EQ(report->ntp_seconds(), 0xE1234567U);
  EXPECT_EQ(report->rtp_timestamp(), 90000U);
  EXPECT_EQ(report->packet_count(), 12U);
  EXPECT_EQ(report->octet_count(), 3456U);
  EXPECT_EQ(report->report_count(), 0U);
  EXPECT_EQ(WriteSenderReport(std::span(buffer).first(27), kVp8Ssrc, ntp, 90000, 12, 3456), 0U);
}

TEST(RtcpPacketTest, WritesAReceiverReport) {
  std::array<RtcpReportBlock, 3> blocks{};
  blocks[0] = {kOpusSsrc, 25, -3, 0x00010203, 40, 0x12345678, 65536};
  blocks[1] = {kVp8Ssrc, 255, 0x7FFFFF, 15303, 3014, 4271875216, 148846};
  blocks[2] = {kRtxSsrc, 0, -0x7FFFFFFF, 1, 0, 0, 0};  // clamped to -2^23
  std::array<std::uint8_t, 80> buffer{};
  ASSERT_EQ(WriteReceiverReport(buffer, kVideoReceiverSsrc, blocks), 80U);
  const auto compound = RtcpCompound::Parse(buffer);
  ASSERT_TRUE(compound);
  const auto report = RtcpReceiverReport::Parse(*compound->begin());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->sender_ssrc(), kVideoReceiverSsrc);
  ASSERT_EQ(report->report_count(), 3U);
  for (std::size_t i = 0; i < 2; ++i) {
    const RtcpReportBlock block = report->report_block(i);
    EXPECT_EQ(block.ssrc, blocks[i].ssrc);
    EXPECT_EQ(block.fraction_lost, blocks[i].fraction_lost);
    EXPECT_EQ(block.cumulative_lost, blocks[i].cumulative_lost);
    EXPECT_EQ(block.highest_sequence, blocks[i].highest_sequence);
    EXPECT_EQ(block.jitter, blocks[i].jitter);
    EXPECT_EQ(block.last_sr, blocks[i].last_sr);
    EXPECT_EQ(block.delay_since_last_sr, blocks[i].delay_since_last_sr);
  }
  EXPECT_EQ(report->report_block(2).cumulative_lost, -0x800000);

  EXPECT_EQ(WriteReceiverReport(std::span(buffer).first(8), 9, {}), 8U);
  EXPECT_EQ(RtcpReceiverReport::Parse(*RtcpCompound::Parse(std::span(buffer).first(8))->begin())->report_count(), 0U);
  EXPECT_EQ(WriteReceiverReport(std::span(buffer).first(79), kVideoReceiverSsrc, blocks), 0U);
  std::array<RtcpReportBlock, kRtcpMaxReportBlocks + 1> too_many{};
  std::array<std::uint8_t, 1024> big{};
  EXPECT_EQ(WriteReceiverReport(big, 1, too_many), 0U);
  EXPECT_EQ(WriteReceiverReport(big, 1, std::span(too_many).first(kRtcpMaxReportBlocks)), 8 + 31 * 24U);
}

TEST(RtcpPacketTest, WritesFeedbackThatReadsBack) {
  std::array<std::uint8_t, 64> buffer{};
  ASSERT_EQ(WritePli(buffer, 1, kVp8Ssrc), 12U);
  const auto pli = RtcpPli::Parse(*RtcpCompound::Parse(std::span(buffer).first(12))->begin());
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->sender_ssrc(), 1U);
  EXPECT_EQ(pli->media_ssrc(), kVp8Ssrc);
  EXPECT_EQ(WritePli(std::span(buffer).first(11), 1, kVp8Ssrc), 0U);

  ASSERT_EQ(WriteFir(buffer, 1, kVp8Ssrc, 200), 20U);
  const auto fir = RtcpFir::Parse(*RtcpCompound::Parse(std::span(buffer).first(20))->begin());
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->media_ssrc(), 0U);  // RFC 5104 §4.3.1.2
  ASSERT_EQ(fir->entry_count(), 1U);
  EXPECT_EQ(fir->entry(0).ssrc, kVp8Ssrc);
  EXPECT_EQ(fir->entry(0).sequence_number, 200);
  EXPECT_EQ(WriteFir(std::span(buffer).first(19), 1, kVp8Ssrc, 200), 0U);
}

TEST(RtcpPacketTest, WritesRemb) {
  std::array<std::uint8_t, 64> buffer{};
  const std::array<std::uint32_t, 2> ssrcs = {kOpusSsrc, kVp8Ssrc};
  // The captured REMB's bitrate is exact in 18 bits of mantissa; a gigabit is rounded down.
  for (const std::uint64_t bitrate : {std::uint64_t{2098816}, std::uint64_t{0}, std::uint64_t{262143},
                                      std::uint64_t{1'000'000'000}, std::numeric_limits<std::uint64_t>::max()}) {
    const std::size_t size = WriteRemb(buffer, 1, bitrate, ssrcs);
    ASSERT_EQ(size, 28U);
    const auto remb = RtcpRemb::Parse(*RtcpCompound::Parse(std::span(buffer).first(size))->begin());
    ASSERT_TRUE(remb);
    EXPECT_LE(remb->bitrate_bps(), bitrate);
    EXPECT_GE(remb->bitrate_bps(), bitrate - (bitrate >> 17U)) << bitrate;  // 18 bits of mantissa
    EXPECT_EQ(remb->ssrc_count(), 2U);
    EXPECT_EQ(remb->ssrc(1), kVp8Ssrc);
  }
  WriteRemb(buffer, 1, 2098816, ssrcs);
  EXPECT_EQ(RtcpRemb::Parse(*RtcpCompound::Parse(std::span(buffer).first(28))->begin())->bitrate_bps(), 2098816U);
  EXPECT_EQ(WriteRemb(std::span(buffer).first(27), 1, 1000, ssrcs), 0U);
  EXPECT_EQ(WriteRemb(buffer, 1, 1000, {}), 20U);
}

TEST(RtcpPacketTest, WritesSdesCname) {
  std::array<std::uint8_t, 64> buffer{};
  // 4 + SSRC 4 + type and length 2 + 16 + one null = 27, padded to 28: the captured SDES.
  ASSERT_EQ(WriteSdesCname(buffer, kVp8Ssrc, "T5ZEOQI3K6wkdJWB"), 28U);
  const Bytes captured = ReadCaptured("sr_sdes.hex");
  ASSERT_EQ(captured.size(), 56U);
  EXPECT_TRUE(std::equal(buffer.begin(), buffer.begin() + 28, captured.begin() + 28));
  // With a length that is already a multiple of four, a whole word of nulls.
  ASSERT_EQ(WriteSdesCname(buffer, 1, "ab"), 16U);
  EXPECT_TRUE(RtcpSdes::Parse(*RtcpCompound::Parse(std::span(buffer).first(16))->begin()));
  EXPECT_EQ(WriteSdesCname(buffer, 1, ""), 0U);
  EXPECT_EQ(WriteSdesCname(std::span(buffer).first(15), 1, "ab"), 0U);
}

TEST(RtcpPacketTest, PacksNacksIntoPidAndBlp) {
  std::array<std::uint8_t, 64> buffer{};
  // 100 with 101 and 116 in its mask (bits 0 and 15); 117 is 17 away: a new item.
  const std::array<std::uint16_t, 4> lost = {100, 101, 116, 117};
  const std::size_t size = WriteNack(buffer, 1, kVp8Ssrc, lost);
  ASSERT_EQ(size, 20U);
  EXPECT_EQ(Bytes(buffer.begin() + 12, buffer.begin() + 20), (Bytes{0, 100, 0x80, 0x01, 0, 117, 0, 0}));
  const auto nack = RtcpNack::Parse(*RtcpCompound::Parse(std::span(buffer).first(size))->begin());
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->media_ssrc(), kVp8Ssrc);
  EXPECT_EQ(nack->item_count(), 2U);
  EXPECT_EQ(LostSequenceNumbers(*nack), (std::vector<std::uint16_t>{100, 101, 116, 117}));
}

TEST(RtcpPacketTest, CountsANacksNumbersAndStopsWhereTheCallbackSays) {
  std::array<std::uint8_t, 64> buffer{};
  const std::array<std::uint16_t, 5> lost = {100, 101, 116, 117, 300};
  const std::size_t size = WriteNack(buffer, 1, kVp8Ssrc, lost);
  const auto nack = RtcpNack::Parse(*RtcpCompound::Parse(std::span(buffer).first(size))->begin());
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->lost_count(), 5U);
  std::vector<std::uint16_t> seen;
  nack->ForEachLostSequenceNumber([&](std::uint16_t sequence_number) {
    seen.push_back(sequence_number);
    return seen.size() < 3;  // false after the third: no more calls
  });
  EXPECT_EQ(seen, (std::vector<std::uint16_t>{100, 101, 116}));
}

TEST(RtcpPacketTest, PacksNacksAcrossTheSequenceNumberWrap) {
  std::array<std::uint8_t, 64> buffer{};
  const std::array<std::uint16_t, 4> lost = {65534, 65535, 65535, 3};
  const std::size_t size = WriteNack(buffer, 1, 2, lost);
  ASSERT_EQ(size, 16U);  // one item: 65534, then +1 and +5
  const auto nack = RtcpNack::Parse(*RtcpCompound::Parse(std::span(buffer).first(size))->begin());
  ASSERT_TRUE(nack);
  EXPECT_EQ(LostSequenceNumbers(*nack), (std::vector<std::uint16_t>{65534, 65535, 3}));
}

TEST(RtcpPacketTest, RoundTripsTheCapturedNack) {
  Bytes captured = ReadCaptured("nack.hex");
  const auto parsed = RtcpNack::Parse(*RtcpCompound::Parse(captured)->begin());
  ASSERT_TRUE(parsed);
  const std::vector<std::uint16_t> lost = LostSequenceNumbers(*parsed);
  std::array<std::uint8_t, 64> buffer{};
  const std::size_t size = WriteNack(buffer, kVideoReceiverSsrc, kVp8Ssrc, lost);
  ASSERT_EQ(size, captured.size());
  EXPECT_TRUE(std::equal(captured.begin(), captured.end(), buffer.begin()));
}

TEST(RtcpPacketTest, RefusesNacksThatDoNotFit) {
  std::array<std::uint8_t, 64> buffer{};
  EXPECT_EQ(WriteNack(buffer, 1, 2, {}), 0U);
  const std::array<std::uint16_t, 2> far_apart = {1, 1000};
  EXPECT_EQ(WriteNack(std::span(buffer).first(19), 1, 2, far_apart), 0U);
  EXPECT_EQ(WriteNack(std::span(buffer).first(20), 1, 2, far_apart), 20U);
  const std::array<std::uint16_t, 1> one = {1};
  EXPECT_EQ(WriteNack(std::span(buffer).first(15), 1, 2, one), 0U);
}

TEST(RtcpPacketTest, ConcatenatedWritesMakeACompound) {
  std::array<std::uint8_t, 128> buffer{};
  std::size_t size = WriteSenderReport(buffer, kVp8Ssrc, 1, 2, 3, 4);
  size += WriteSdesCname(std::span(buffer).subspan(size), kVp8Ssrc, "egovbox");
  const std::array<std::uint32_t, 1> ssrcs = {kVp8Ssrc};
  size += WriteRemb(std::span(buffer).subspan(size), 1, 500000, ssrcs);
  const auto compound = RtcpCompound::Parse(std::span(buffer).first(size));
  ASSERT_TRUE(compound);
  EXPECT_EQ(Types(*compound),
            (std::vector<std::uint8_t>{rtcp_type::kSenderReport, rtcp_type::kSdes, rtcp_type::kPayloadFeedback}));
  EXPECT_TRUE(RtcpRemb::Parse(At(*compound, 2)));
}

}  // namespace
}  // namespace egovbox::media
