#include "media/rtx.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "fake_browser.h"

namespace egovbox::media {
namespace {

using test::Bytes;

constexpr std::uint8_t kVp8 = 96;
constexpr std::uint8_t kRtx = 97;
constexpr std::uint32_t kMediaSsrc = 0x11223344;
constexpr std::uint32_t kRtxSsrc = 0x55667788;
constexpr std::uint8_t kAbsSendTimeId = 2;

Bytes Original() {
  return test::MakeRtpPacket(kVp8, true, 4321, 0xA0B0C0D0, kMediaSsrc, Bytes{0x10, 0x00, 0x9D, 0x01, 0x2A, 0x77},
                             {{kAbsSendTimeId, {0x01, 0x02, 0x03}}});
}

TEST(RtxTest, WrapsAPacketWithItsOriginalSequenceNumberFirst) {
  const Bytes original = Original();
  Bytes buffer = original;
  buffer.resize(original.size() + kRtxHeaderSize);
  const std::size_t length = WrapRtxPacket(buffer, original.size(), kRtx, kRtxSsrc, 7);
  ASSERT_EQ(length, original.size() + kRtxHeaderSize);
  const auto rtx = RtpPacket::Parse(std::span(buffer).first(length));
  ASSERT_TRUE(rtx);
  // RFC 4588 §4: its own payload type, SSRC and sequence number; marker, timestamp and extensions kept.
  EXPECT_EQ(rtx->payload_type(), kRtx);
  EXPECT_EQ(rtx->ssrc(), kRtxSsrc);
  EXPECT_EQ(rtx->sequence_number(), 7);
  EXPECT_TRUE(rtx->marker());
  EXPECT_EQ(rtx->timestamp(), 0xA0B0C0D0);
  const auto extension = rtx->Extension(kAbsSendTimeId);
  ASSERT_TRUE(extension);
  EXPECT_EQ(Bytes(extension->begin(), extension->end()), (Bytes{0x01, 0x02, 0x03}));
  const Bytes payload(rtx->payload().begin(), rtx->payload().end());
  EXPECT_EQ(payload, (Bytes{0x10, 0xE1, 0x10, 0x00, 0x9D, 0x01, 0x2A, 0x77})) << "OSN 4321 = 0x10E1, then the payload";
}

TEST(RtxTest, LeavesThePaddingOutAndNeedsRoomForTheOsn) {
  Bytes padded = Original();
  padded[0] |= 0x20;  // P
  padded.insert(padded.end(), {0, 0, 3});
  Bytes buffer = padded;
  buffer.resize(padded.size() + kRtxHeaderSize);
  const std::size_t length = WrapRtxPacket(buffer, padded.size(), kRtx, kRtxSsrc, 8);
  ASSERT_EQ(length, Original().size() + kRtxHeaderSize);
  const auto rtx = RtpPacket::Parse(std::span(buffer).first(length));
  ASSERT_TRUE(rtx);
  EXPECT_EQ(rtx->padding_size(), 0U);

  Bytes tight = Original();
  EXPECT_EQ(WrapRtxPacket(tight, tight.size(), kRtx, kRtxSsrc, 9), 0U) << "no room for the OSN";
  Bytes garbage(5, 0x80);
  EXPECT_EQ(WrapRtxPacket(garbage, garbage.size(), kRtx, kRtxSsrc, 9), 0U);
}

TEST(RtxTest, UnwrapsBackToTheOriginalByteForByte) {
  const Bytes original = Original();
  Bytes buffer = original;
  buffer.resize(original.size() + kRtxHeaderSize);
  const std::size_t length = WrapRtxPacket(buffer, original.size(), kRtx, kRtxSsrc, 65535);
  buffer.resize(length);
  const auto unwrapped = UnwrapRtxPacket(buffer, kVp8, kMediaSsrc);
  ASSERT_TRUE(unwrapped);
  EXPECT_EQ(Bytes(unwrapped->begin(), unwrapped->end()), original);
  EXPECT_EQ(unwrapped->data(), buffer.data() + kRtxHeaderSize) << "in place";
}

TEST(RtxTest, UnwrapRefusesAPaddingOnlyProbe) {
  // What a sender's bandwidth probe on the RTX stream looks like: no payload, only padding.
  Bytes probe = test::MakeRtpPacket(kRtx, false, 99, 1, kRtxSsrc, {});
  probe[0] |= 0x20;
  probe.insert(probe.end(), {0, 0, 0, 4});
  EXPECT_FALSE(UnwrapRtxPacket(probe, kVp8, kMediaSsrc));
  Bytes short_payload = test::MakeRtpPacket(kRtx, false, 99, 1, kRtxSsrc, {0x01});
  EXPECT_FALSE(UnwrapRtxPacket(short_payload, kVp8, kMediaSsrc));
  Bytes not_rtp(3, 0);
  EXPECT_FALSE(UnwrapRtxPacket(not_rtp, kVp8, kMediaSsrc));
}

}  // namespace
}  // namespace egovbox::media
