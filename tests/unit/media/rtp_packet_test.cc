#include "media/rtp_packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/captured_packets.h"
#include "media/packet_kind.h"

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Packets Chromium sent in the capture sessions that tests/data/rtp/README.md
// describes; the ids and payload types below are the ones those sessions negotiated.
constexpr std::uint8_t kAudioLevelId = 1;
constexpr std::uint8_t kAbsSendTimeId = 2;
constexpr std::uint8_t kTransportCcId = 3;
constexpr std::uint8_t kMidId = 4;
constexpr std::uint8_t kVideoTimingId = 7;
constexpr std::uint8_t kColorSpaceId = 8;
constexpr std::uint8_t kVideoOrientationId = 13;
constexpr std::uint8_t kTwoByteTransportCcId = 17;  // the "twobyte" session
constexpr std::uint8_t kOpus = 111;
constexpr std::uint8_t kVp8 = 96;
constexpr std::uint8_t kRtx = 97;
constexpr std::uint32_t kOpusSsrc = test::kCapturedOpusSsrc;
constexpr std::uint32_t kVp8Ssrc = test::kCapturedVp8Ssrc;
constexpr std::uint32_t kRtxSsrc = test::kCapturedRtxSsrc;

using test::ReadCaptured;

std::string_view Text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A fixed header (V=2, PT 96, seq 0x1234, ts 0x01020304, SSRC 0xAABBCCDD) with the
// given first byte's low bits, followed by `rest`.
Bytes Packet(std::uint8_t first_byte, const Bytes& rest = {}) {
  const std::array<std::uint8_t, kRtpHeaderSize> header = {first_byte, 0x60, 0x12, 0x34, 0x01, 0x02,
                                                           0x03,       0x04, 0xAA, 0xBB, 0xCC, 0xDD};
  // Sized once and copied into: g++ 12 warns (falsely) about inserting into a vector of 12.
  Bytes packet(kRtpHeaderSize + rest.size());
  std::copy(header.begin(), header.end(), packet.begin());
  std::copy(rest.begin(), rest.end(), packet.begin() + kRtpHeaderSize);
  return packet;
}

constexpr std::uint8_t kPlain = 0x80;          // V=2
constexpr std::uint8_t kWithExtension = 0x90;  // V=2, X
constexpr std::uint8_t kWithPadding = 0xA0;    // V=2, P

std::vector<std::uint8_t> ExtensionIds(const RtpPacket& packet) {
  std::vector<std::uint8_t> ids;
  packet.ForEachExtension([&](const RtpExtension& extension) { ids.push_back(extension.id); });
  return ids;
}

// Captured packets.

TEST(RtpPacketTest, ParsesCapturedOpusPacketWithAudioLevel) {
  Bytes bytes = ReadCaptured("opus_audio_level.hex");
  ASSERT_EQ(bytes.size(), 108U);
  EXPECT_EQ(ClassifyPacket(bytes), PacketKind::kRtp);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payload_type(), kOpus);
  EXPECT_FALSE(packet->marker());
  EXPECT_EQ(packet->sequence_number(), 6399);
  EXPECT_EQ(packet->timestamp(), 519828233U);
  EXPECT_EQ(packet->ssrc(), kOpusSsrc);
  EXPECT_EQ(packet->csrc_count(), 0U);
  EXPECT_EQ(packet->extension_profile(), RtpExtensionProfile::kOneByte);
  EXPECT_EQ(packet->header_size(), 28U);  // 12 + the 0xBEDE header + 3 words
  EXPECT_EQ(packet->padding_size(), 0U);
  EXPECT_EQ(packet->payload().size(), 80U);
  EXPECT_EQ(packet->payload()[0], 0x78);  // RFC 6716 §3.1 TOC: config 15 (hybrid, fullband, 20 ms), mono, one frame
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{kAbsSendTimeId, kTransportCcId, kMidId, kAudioLevelId}));

  const auto level_value = packet->Extension(kAudioLevelId);
  ASSERT_TRUE(level_value);
  const auto level = ParseAudioLevel(*level_value);
  ASSERT_TRUE(level);
  EXPECT_TRUE(level->voice_activity);
  EXPECT_EQ(level->level, 7);
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(kTransportCcId)), 45);
  EXPECT_EQ(ParseAbsSendTime(*packet->Extension(kAbsSendTimeId)), 0x6f872eU);
  EXPECT_EQ(ParseMid(*packet->Extension(kMidId)), "0");
  EXPECT_FALSE(packet->Extension(kColorSpaceId));
}

TEST(RtpPacketTest, ParsesTheFirstCapturedOpusPacketOfTheStream) {
  Bytes bytes = ReadCaptured("opus_first.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->marker());  // the first packet of a talkspurt
  EXPECT_EQ(packet->payload_type(), kOpus);
  EXPECT_EQ(packet->sequence_number(), 6379);
  EXPECT_EQ(packet->timestamp(), 519809033U);
  EXPECT_EQ(packet->ssrc(), kOpusSsrc);
  const auto level = ParseAudioLevel(*packet->Extension(kAudioLevelId));
  ASSERT_TRUE(level);
  EXPECT_TRUE(level->voice_activity);
  EXPECT_EQ(level->level, 127);  // silence
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(kTransportCcId)), 1);
  EXPECT_EQ(ParseAbsSendTime(*packet->Extension(kAbsSendTimeId)), 0x6ded55U);
}

TEST(RtpPacketTest, DetectsTheCapturedVp8KeyframeStart) {
  Bytes bytes = ReadCaptured("vp8_keyframe_start.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payload_type(), kVp8);
  EXPECT_FALSE(packet->marker());
  EXPECT_EQ(packet->sequence_number(), 15144);
  EXPECT_EQ(packet->timestamp(), 2437786115U);
  EXPECT_EQ(packet->ssrc(), kVp8Ssrc);
  EXPECT_EQ(ParseMid(*packet->Extension(kMidId)), "1");
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(kTransportCcId)), 4);

  const auto descriptor = ParseVp8Descriptor(packet->payload());
  ASSERT_TRUE(descriptor);
  EXPECT_TRUE(descriptor->start_of_partition);
  EXPECT_EQ(descriptor->partition_index, 0);
  EXPECT_FALSE(descriptor->non_reference);
  EXPECT_EQ(descriptor->picture_id, 15101);
  EXPECT_TRUE(descriptor->picture_id_15bit);
  EXPECT_FALSE(descriptor->tl0_pic_idx);
  EXPECT_FALSE(descriptor->temporal_layer);
  EXPECT_TRUE(descriptor->is_keyframe);
  EXPECT_EQ(descriptor->size, 4U);

  // RFC 6386 §9.1: a key frame's header has the start code 9d 01 2a after the
  // three-byte frame tag, then the width and height (14 bits each).
  const auto vp8 = packet->payload().subspan(descriptor->size);
  ASSERT_GE(vp8.size(), 10U);
  EXPECT_EQ(vp8[3], 0x9d);
  EXPECT_EQ(vp8[4], 0x01);
  EXPECT_EQ(vp8[5], 0x2a);
  EXPECT_EQ((vp8[6] | vp8[7] << 8U) & 0x3FFFU, 320U);
  EXPECT_EQ((vp8[8] | vp8[9] << 8U) & 0x3FFFU, 240U);
}

TEST(RtpPacketTest, TheCapturedKeyframesSecondPacketIsNoKeyframeStart) {
  Bytes bytes = ReadCaptured("vp8_keyframe_end.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->marker());  // the frame's last packet
  EXPECT_EQ(packet->sequence_number(), 15145);
  EXPECT_EQ(packet->timestamp(), 2437786115U);  // same frame
  EXPECT_EQ(packet->header_size(), 48U);
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{kAbsSendTimeId, kTransportCcId, kMidId, kColorSpaceId,
                                                              kVideoOrientationId, kVideoTimingId}));
  EXPECT_EQ(packet->Extension(kColorSpaceId)->size(), 4U);
  EXPECT_EQ(packet->Extension(kVideoOrientationId)->size(), 1U);
  EXPECT_EQ(packet->Extension(kVideoTimingId)->size(), 13U);

  const auto descriptor = ParseVp8Descriptor(packet->payload());
  ASSERT_TRUE(descriptor);
  EXPECT_FALSE(descriptor->start_of_partition);
  EXPECT_EQ(descriptor->picture_id, 15101);
  EXPECT_FALSE(descriptor->is_keyframe);
}

TEST(RtpPacketTest, TellsTheCapturedDeltaFrameFromAKeyframe) {
  Bytes bytes = ReadCaptured("vp8_delta.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->sequence_number(), 15146);
  const auto descriptor = ParseVp8Descriptor(packet->payload());
  ASSERT_TRUE(descriptor);
  EXPECT_TRUE(descriptor->start_of_partition);
  EXPECT_EQ(descriptor->partition_index, 0);
  EXPECT_EQ(descriptor->picture_id, 15102);
  EXPECT_FALSE(descriptor->is_keyframe);
}

TEST(RtpPacketTest, ParsesTheCapturedPaddingOnlyProbe) {
  Bytes bytes = ReadCaptured("rtx_padding.hex");
  ASSERT_EQ(bytes.size(), 283U);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payload_type(), kRtx);
  EXPECT_EQ(packet->sequence_number(), 19535);
  EXPECT_EQ(packet->ssrc(), kRtxSsrc);
  EXPECT_EQ(packet->header_size(), 28U);
  EXPECT_EQ(packet->padding_size(), 255U);
  EXPECT_TRUE(packet->payload().empty());
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(kTransportCcId)), 3);
}

TEST(RtpPacketTest, ParsesTheCapturedRetransmission) {
  Bytes bytes = ReadCaptured("rtx_keyframe.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payload_type(), kRtx);
  EXPECT_EQ(packet->sequence_number(), 19540);
  EXPECT_EQ(packet->ssrc(), kRtxSsrc);
  // RFC 4588 §4: the original sequence number, then the original payload.
  const auto payload = packet->payload();
  ASSERT_GT(payload.size(), 2U);
  EXPECT_EQ(payload[0] << 8U | payload[1], 15145U);
  const auto descriptor = ParseVp8Descriptor(payload.subspan(2));
  ASSERT_TRUE(descriptor);
  EXPECT_EQ(descriptor->picture_id, 15101);
  EXPECT_FALSE(descriptor->start_of_partition);
}

TEST(RtpPacketTest, ParsesCapturedTwoByteExtensions) {
  Bytes bytes = ReadCaptured("opus_two_byte_extensions.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->extension_profile(), RtpExtensionProfile::kTwoByte);
  EXPECT_EQ(packet->payload_type(), kOpus);
  EXPECT_EQ(packet->sequence_number(), 26723);
  EXPECT_EQ(packet->header_size(), 32U);
  EXPECT_EQ(ExtensionIds(*packet),
            (std::vector<std::uint8_t>{kAbsSendTimeId, kTwoByteTransportCcId, kMidId, kAudioLevelId}));
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(kTwoByteTransportCcId)), 1);
  EXPECT_FALSE(packet->Extension(kTransportCcId));
  EXPECT_EQ(ParseAbsSendTime(*packet->Extension(kAbsSendTimeId)), 0x008a53U);
  EXPECT_EQ(ParseMid(*packet->Extension(kMidId)), "0");
  EXPECT_EQ(ParseAudioLevel(*packet->Extension(kAudioLevelId))->level, 127);
}

TEST(RtpPacketTest, RewritesTheHeaderInPlace) {
  Bytes bytes = ReadCaptured("vp8_keyframe_start.hex");
  const Bytes original = bytes;
  auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  packet->SetPayloadType(100);
  packet->SetSequenceNumber(65535);
  packet->SetTimestamp(0xFEDCBA98);
  packet->SetSsrc(0x01020304);
  packet->SetMarker(true);

  const auto again = RtpPacket::Parse(bytes);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->payload_type(), 100);
  EXPECT_TRUE(again->marker());
  EXPECT_EQ(again->sequence_number(), 65535);
  EXPECT_EQ(again->timestamp(), 0xFEDCBA98U);
  EXPECT_EQ(again->ssrc(), 0x01020304U);
  EXPECT_EQ(bytes[0], original[0]);  // V, P, X and CC untouched
  EXPECT_TRUE(std::equal(bytes.begin() + kRtpHeaderSize, bytes.end(), original.begin() + kRtpHeaderSize));

  packet->SetPayloadType(kVp8);  // keeps the marker
  EXPECT_TRUE(packet->marker());
  packet->SetMarker(false);
  EXPECT_EQ(packet->payload_type(), kVp8);
  EXPECT_EQ(bytes[1], original[1]);
}

TEST(RtpPacketTest, RewritesAnExtensionValueInPlace) {
  Bytes bytes = ReadCaptured("opus_audio_level.hex");
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  const auto value = packet->MutableExtension(kTransportCcId);
  ASSERT_TRUE(value);
  ASSERT_EQ(value->size(), 2U);
  (*value)[0] = 0x12;
  (*value)[1] = 0x34;
  EXPECT_EQ(ParseTransportSequenceNumber(*RtpPacket::Parse(bytes)->Extension(kTransportCcId)), 0x1234);
  EXPECT_FALSE(packet->MutableExtension(kColorSpaceId));
}

TEST(RtpPacketTest, RemapsCapturedOneByteExtensionIds) {
  Bytes bytes = ReadCaptured("opus_first.hex");
  const Bytes original = bytes;
  auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  // The subscriber negotiated audio level as 5 and abs-send-time as 2; the rest
  // (transport-cc, mid) goes to 14, which it never negotiated.
  auto map = MakeExtensionIdMap(14);
  map[kAudioLevelId] = 5;
  map[kAbsSendTimeId] = kAbsSendTimeId;
  packet->RemapExtensionIds(map);

  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{2, 14, 14, 5}));
  EXPECT_FALSE(packet->Extension(kAudioLevelId));
  EXPECT_EQ(ParseAudioLevel(*packet->Extension(5))->level, 127);
  EXPECT_EQ(ParseAbsSendTime(*packet->Extension(2)), 0x6ded55U);
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(14)), 1);  // the first of the two
  // Only the id nibbles changed: lengths, values and the payload stay.
  ASSERT_EQ(bytes.size(), original.size());
  std::size_t changed = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != original[i]) {
      ++changed;
      EXPECT_EQ(bytes[i] & 0x0F, original[i] & 0x0F) << "byte " << i;
    }
  }
  EXPECT_EQ(changed, 3U);  // audio level, transport-cc and mid; abs-send-time kept its id
  EXPECT_TRUE(RtpPacket::Parse(bytes));
}

TEST(RtpPacketTest, RemapsTwoByteExtensionIds) {
  Bytes bytes = ReadCaptured("opus_two_byte_extensions.hex");
  auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  auto map = MakeExtensionIdMap(200);
  map[kTwoByteTransportCcId] = 3;
  map[kMidId] = 0;  // cannot be written: becomes the fallback id
  packet->RemapExtensionIds(map);
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{200, 3, kRtpFallbackExtensionId, 200}));
  EXPECT_EQ(ParseTransportSequenceNumber(*packet->Extension(3)), 1);
  EXPECT_EQ(ParseMid(*packet->Extension(kRtpFallbackExtensionId)), "0");
}

TEST(RtpPacketTest, RemapsToIdsTheOneByteFormCannotCarryAsTheFallback) {
  Bytes bytes = ReadCaptured("opus_first.hex");
  auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  RtpExtensionIdMap map{};  // everything to 0
  map[kAudioLevelId] = 15;
  map[kTransportCcId] = 200;
  map[kMidId] = 6;
  packet->RemapExtensionIds(map);
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{14, 14, 6, 14}));
  EXPECT_TRUE(RtpPacket::Parse(bytes));
}

// Hand-built packets.

TEST(RtpPacketTest, RejectsTruncatedHeaders) {
  const Bytes full = Packet(kPlain);
  for (std::size_t size = 0; size < kRtpHeaderSize; ++size) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_FALSE(RtpPacket::Parse(cut)) << size;
  }
  Bytes header_only = full;
  const auto packet = RtpPacket::Parse(header_only);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->payload().empty());
  EXPECT_EQ(packet->sequence_number(), 0x1234);
  EXPECT_EQ(packet->timestamp(), 0x01020304U);
  EXPECT_EQ(packet->ssrc(), 0xAABBCCDDU);
  EXPECT_EQ(packet->extension_profile(), RtpExtensionProfile::kNone);
}

TEST(RtpPacketTest, RejectsOtherVersions) {
  for (const std::uint8_t first : {0x00, 0x40, 0xC0}) {
    Bytes bytes = Packet(first, {1, 2, 3});
    EXPECT_FALSE(RtpPacket::Parse(bytes)) << int{first};
  }
}

TEST(RtpPacketTest, ReadsCsrcs) {
  Bytes bytes = Packet(kPlain | 2U, {0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE, 0x42});
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->csrc_count(), 2U);
  EXPECT_EQ(packet->csrc(0), 1U);
  EXPECT_EQ(packet->csrc(1), 0xFFFFFFFEU);
  EXPECT_EQ(packet->header_size(), 20U);
  ASSERT_EQ(packet->payload().size(), 1U);
  EXPECT_EQ(packet->payload()[0], 0x42);
}

TEST(RtpPacketTest, RejectsACsrcListLongerThanThePacket) {
  Bytes fifteen_csrcs = Packet(kPlain | 15U, Bytes(std::size_t{15} * 4, 0x11));
  const auto packet = RtpPacket::Parse(fifteen_csrcs);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->csrc(14), 0x11111111U);
  EXPECT_TRUE(packet->payload().empty());

  Bytes one_short = Packet(kPlain | 15U, Bytes(std::size_t{15} * 4 - 1, 0x11));
  EXPECT_FALSE(RtpPacket::Parse(one_short));
  Bytes no_room = Packet(kPlain | 1U);
  EXPECT_FALSE(RtpPacket::Parse(no_room));
}

TEST(RtpPacketTest, ReadsPadding) {
  Bytes bytes = Packet(kWithPadding, {0xAB, 0xCD, 0, 0, 3});
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->padding_size(), 3U);
  ASSERT_EQ(packet->payload().size(), 2U);
  EXPECT_EQ(packet->payload()[1], 0xCD);

  Bytes all_padding = Packet(kWithPadding, {0, 0, 0, 4});
  const auto empty = RtpPacket::Parse(all_padding);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->payload().empty());
}

TEST(RtpPacketTest, RejectsBadPadding) {
  Bytes zero_count = Packet(kWithPadding, {0xAB, 0});
  EXPECT_FALSE(RtpPacket::Parse(zero_count));
  Bytes into_the_header = Packet(kWithPadding, {0, 0, 5});
  EXPECT_FALSE(RtpPacket::Parse(into_the_header));
  Bytes no_padding_byte = Packet(kWithPadding);  // the count would be the SSRC's last byte
  EXPECT_FALSE(RtpPacket::Parse(no_padding_byte));
  // Padding may not reach into the extension block either.
  Bytes into_the_extension = Packet(kWithExtension | kWithPadding, {0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0, 1});
  EXPECT_TRUE(RtpPacket::Parse(into_the_extension));
  into_the_extension.back() = 2;
  EXPECT_FALSE(RtpPacket::Parse(into_the_extension));
}

TEST(RtpPacketTest, RejectsAnExtensionBlockOverflowingThePacket) {
  Bytes header_cut = Packet(kWithExtension, {0xBE, 0xDE, 0});
  EXPECT_FALSE(RtpPacket::Parse(header_cut));
  Bytes block_cut = Packet(kWithExtension, {0xBE, 0xDE, 0, 2, 0x10, 0xAA, 0, 0, 0x20, 0xBB, 0});
  EXPECT_FALSE(RtpPacket::Parse(block_cut));
  block_cut.push_back(0);
  EXPECT_TRUE(RtpPacket::Parse(block_cut));
  Bytes huge_length = Packet(kWithExtension, {0xBE, 0xDE, 0xFF, 0xFF, 0x10, 0xAA, 0, 0});
  EXPECT_FALSE(RtpPacket::Parse(huge_length));
}

TEST(RtpPacketTest, RejectsAnElementOverflowingItsBlock) {
  // One-byte: id 1 with length 4 in a block of one word leaves 3 bytes for it.
  Bytes one_byte = Packet(kWithExtension, {0xBE, 0xDE, 0, 1, 0x13, 1, 2, 3, 0xEE, 0xEE});
  EXPECT_FALSE(RtpPacket::Parse(one_byte));
  // Two-byte: id 5, length 3, with 2 bytes left; and an id without its length byte.
  Bytes two_byte = Packet(kWithExtension, {0x10, 0x00, 0, 1, 5, 3, 1, 2});
  EXPECT_FALSE(RtpPacket::Parse(two_byte));
  Bytes lone_id = Packet(kWithExtension, {0x10, 0x00, 0, 1, 5, 1, 1, 7});
  EXPECT_FALSE(RtpPacket::Parse(lone_id));
  lone_id[lone_id.size() - 1] = 0;  // now padding
  EXPECT_TRUE(RtpPacket::Parse(lone_id));
}

TEST(RtpPacketTest, SkipsPaddingBetweenOneByteElements) {
  Bytes bytes = Packet(kWithExtension, {0xBE, 0xDE, 0, 2, 0x10, 0xAA, 0, 0, 0, 0x21, 0xBB, 0xCC, 0xFF});
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{1, 2}));
  const auto second = packet->Extension(2);
  ASSERT_TRUE(second);
  EXPECT_EQ(Bytes(second->begin(), second->end()), (Bytes{0xBB, 0xCC}));
  ASSERT_EQ(packet->payload().size(), 1U);
  EXPECT_EQ(packet->payload()[0], 0xFF);
  EXPECT_FALSE(packet->Extension(0));
}

TEST(RtpPacketTest, OneByteIdFifteenEndsTheBlock) {
  Bytes bytes = Packet(kWithExtension, {0xBE, 0xDE, 0, 2, 0x10, 0xAA, 0xF3, 0x20, 0xBB, 0, 0, 0});
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{1}));
  EXPECT_FALSE(packet->Extension(2));
  EXPECT_FALSE(packet->Extension(15));
  // What follows id 15 is not read, so it need not even be well formed.
  Bytes garbage_after = Packet(kWithExtension, {0xBE, 0xDE, 0, 1, 0xF0, 0x1F, 0, 0});
  EXPECT_TRUE(RtpPacket::Parse(garbage_after));
  // Remapping stops there too.
  auto remappable = RtpPacket::Parse(bytes);
  remappable->RemapExtensionIds(MakeExtensionIdMap(9));
  EXPECT_EQ(bytes[16], 0x90);
  EXPECT_EQ(bytes[19], 0x20);
}

TEST(RtpPacketTest, ReadsTwoByteElementsOfEveryLength) {
  Bytes bytes = Packet(kWithExtension, {0x10, 0x05, 0, 2, 42, 0, 0, 255, 3, 'a', 'b', 'c', 0});
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->extension_profile(), RtpExtensionProfile::kTwoByte);  // any low four bits
  EXPECT_EQ(ExtensionIds(*packet), (std::vector<std::uint8_t>{42, 255}));
  const auto empty = packet->Extension(42);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(Text(*packet->Extension(255)), "abc");
}

TEST(RtpPacketTest, KeepsAnUnknownProfileUnread) {
  Bytes bytes = Packet(kWithExtension, {0x12, 0x34, 0, 1, 0x10, 0xAA, 0, 0, 0x55});
  auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->extension_profile(), RtpExtensionProfile::kOther);
  EXPECT_EQ(packet->header_size(), 20U);
  EXPECT_FALSE(packet->Extension(1));
  EXPECT_TRUE(ExtensionIds(*packet).empty());
  packet->RemapExtensionIds(MakeExtensionIdMap(3));  // nothing to rename
  EXPECT_EQ(bytes[16], 0x10);
}

// Extension values.

TEST(RtpPacketTest, ParsesAudioLevels) {
  EXPECT_EQ(ParseAudioLevel(Bytes{0x00})->level, 0);
  EXPECT_FALSE(ParseAudioLevel(Bytes{0x00})->voice_activity);
  EXPECT_EQ(ParseAudioLevel(Bytes{0xFF})->level, 127);
  EXPECT_TRUE(ParseAudioLevel(Bytes{0xFF})->voice_activity);
  EXPECT_FALSE(ParseAudioLevel(Bytes{}));
  EXPECT_FALSE(ParseAudioLevel(Bytes{0x80, 0}));
}

TEST(RtpPacketTest, ParsesFixedSizeExtensions) {
  EXPECT_EQ(ParseAbsSendTime(Bytes{0xAB, 0xCD, 0xEF}), 0xABCDEFU);
  EXPECT_FALSE(ParseAbsSendTime(Bytes{0xAB, 0xCD}));
  EXPECT_FALSE(ParseAbsSendTime(Bytes{0xAB, 0xCD, 0xEF, 0}));
  EXPECT_EQ(ParseTransportSequenceNumber(Bytes{0xFF, 0xFE}), 0xFFFE);
  EXPECT_FALSE(ParseTransportSequenceNumber(Bytes{0xFF}));
  EXPECT_FALSE(ParseTransportSequenceNumber(Bytes{1, 2, 3, 4}));
}

TEST(RtpPacketTest, ParsesMidAndRidText) {
  const std::string_view mid = "audio-0.x";
  EXPECT_EQ(ParseMid({reinterpret_cast<const std::uint8_t*>(mid.data()), mid.size()}), mid);
  EXPECT_FALSE(ParseMid(Bytes{}));
  EXPECT_FALSE(ParseMid(Bytes{'a', ' ', 'b'}));
  EXPECT_FALSE(ParseMid(Bytes{'a', 0}));
  EXPECT_FALSE(ParseMid(Bytes{'a', ':'}));
  EXPECT_EQ(ParseMid(Bytes{'{', '}', '~'}), "{}~");  // RFC 4566 allows them in a token
  EXPECT_EQ(ParseRid(Bytes{'h', 'i', '-', '_', '9'}), "hi-_9");
  EXPECT_FALSE(ParseRid(Bytes{'h', '.'}));
  EXPECT_FALSE(ParseRid(Bytes{}));
  EXPECT_TRUE(ParseRid(Bytes(255, 'r')));
  EXPECT_FALSE(ParseRid(Bytes(256, 'r')));
}

// VP8 payload descriptor (RFC 7741 §4.2).

TEST(RtpPacketTest, ParsesTheShortestVp8Descriptor) {
  const auto key = ParseVp8Descriptor(Bytes{0x10, 0x00});
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size, 1U);
  EXPECT_TRUE(key->is_keyframe);
  EXPECT_FALSE(key->picture_id);

  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x10, 0x01})->is_keyframe);  // P = 1
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x00, 0x00})->is_keyframe);  // not a partition start
  const auto second_partition = ParseVp8Descriptor(Bytes{0x13, 0x00});
  EXPECT_EQ(second_partition->partition_index, 3);
  EXPECT_FALSE(second_partition->is_keyframe);
  EXPECT_TRUE(ParseVp8Descriptor(Bytes{0x30, 0x00})->non_reference);
}

TEST(RtpPacketTest, ParsesEveryOptionalVp8Field) {
  // X, S; I L T K; 7-bit picture id 0x55; TL0PICIDX 9; TID 2, Y, KEYIDX 3; P=0.
  const auto descriptor = ParseVp8Descriptor(Bytes{0x90, 0xF0, 0x55, 0x09, 0xA3, 0x00});
  ASSERT_TRUE(descriptor);
  EXPECT_EQ(descriptor->picture_id, 0x55);
  EXPECT_FALSE(descriptor->picture_id_15bit);
  EXPECT_EQ(descriptor->tl0_pic_idx, 9);
  EXPECT_EQ(descriptor->temporal_layer, 2);
  EXPECT_TRUE(descriptor->layer_sync);
  EXPECT_EQ(descriptor->size, 5U);
  EXPECT_TRUE(descriptor->is_keyframe);

  // K without T: the byte is there, but no temporal layer.
  const auto key_index_only = ParseVp8Descriptor(Bytes{0x90, 0x10, 0xA3, 0x01});
  ASSERT_TRUE(key_index_only);
  EXPECT_FALSE(key_index_only->temporal_layer);
  EXPECT_EQ(key_index_only->size, 3U);
}

TEST(RtpPacketTest, RejectsTruncatedVp8Descriptors) {
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{}));
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x10}));                    // no VP8 data after it
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x90}));                    // X without its byte
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x90, 0x80}));              // I without picture id
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x90, 0x80, 0x80}));        // 15-bit id cut short
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x90, 0x80, 0x80, 0x01}));  // no VP8 data
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x90, 0x40}));              // L without TL0PICIDX
  EXPECT_FALSE(ParseVp8Descriptor(Bytes{0x90, 0x20}));              // T without its byte
  EXPECT_TRUE(ParseVp8Descriptor(Bytes{0x90, 0x80, 0x80, 0x01, 0x00}));
}

// H.264 (RFC 6184).

TEST(RtpPacketTest, FindsH264Keyframes) {
  EXPECT_TRUE(IsH264Keyframe(Bytes{0x65, 0x88}));   // IDR slice
  EXPECT_TRUE(IsH264Keyframe(Bytes{0x67, 0x42}));   // SPS
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x41, 0x9A}));  // non-IDR slice
  EXPECT_FALSE(IsH264Keyframe(Bytes{}));
  // STAP-A with SPS and PPS; with only SEI and a non-IDR slice; with a size past the end.
  EXPECT_TRUE(IsH264Keyframe(Bytes{0x78, 0, 2, 0x68, 0xCE, 0, 2, 0x67, 0x42}));
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x78, 0, 2, 0x06, 0x05, 0, 2, 0x41, 0x9A}));
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x78, 0, 9, 0x67, 0x42}));
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x78, 0}));
  // FU-A: the first fragment of an IDR slice, a later one, and a non-IDR start.
  EXPECT_TRUE(IsH264Keyframe(Bytes{0x7C, 0x85, 0xB8}));
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x7C, 0x05, 0xB8}));
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x7C, 0x81, 0xB8}));
  EXPECT_FALSE(IsH264Keyframe(Bytes{0x7C}));
}

}  // namespace
}  // namespace egovbox::media
