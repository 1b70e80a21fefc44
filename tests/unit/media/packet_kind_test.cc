#include "media/packet_kind.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace egovbox::media {
namespace {

PacketKind Classify(std::uint8_t first, std::uint8_t second = 0) {
  const std::array<std::uint8_t, 2> datagram{first, second};
  return ClassifyPacket(datagram);
}

TEST(PacketKindTest, ClassifiesByTheRfc7983Ranges) {
  for (int byte = 0; byte < 256; ++byte) {
    const auto first = static_cast<std::uint8_t>(byte);
    PacketKind expected = PacketKind::kUnknown;
    if (byte <= 3) {
      expected = PacketKind::kStun;
    } else if (byte >= 20 && byte <= 63) {
      expected = PacketKind::kDtls;
    } else if (byte >= 128 && byte <= 191) {
      expected = PacketKind::kRtp;
    }
    EXPECT_EQ(Classify(first, 96), expected) << "first byte " << byte;
  }
}

TEST(PacketKindTest, TellsRtcpFromRtpByThePayloadTypeByte) {
  // RFC 5761 §4: RTCP packet types 192..223 (SR 200, RR 201, PSFB 206, ...).
  EXPECT_EQ(Classify(0x80, 191), PacketKind::kRtp);
  EXPECT_EQ(Classify(0x80, 192), PacketKind::kRtcp);
  EXPECT_EQ(Classify(0x81, 200), PacketKind::kRtcp);
  EXPECT_EQ(Classify(0x8f, 206), PacketKind::kRtcp);
  EXPECT_EQ(Classify(0x80, 223), PacketKind::kRtcp);
  EXPECT_EQ(Classify(0x80, 224), PacketKind::kRtp);  // payload type 96 with the marker bit
  EXPECT_EQ(Classify(0x90, 111), PacketKind::kRtp);  // Opus, with an extension
}

TEST(PacketKindTest, BoundariesOfEachRange) {
  EXPECT_EQ(Classify(3), PacketKind::kStun);
  EXPECT_EQ(Classify(4), PacketKind::kUnknown);
  EXPECT_EQ(Classify(16), PacketKind::kUnknown);  // ZRTP
  EXPECT_EQ(Classify(19), PacketKind::kUnknown);
  EXPECT_EQ(Classify(20), PacketKind::kDtls);
  EXPECT_EQ(Classify(22), PacketKind::kDtls);  // handshake
  EXPECT_EQ(Classify(63), PacketKind::kDtls);
  EXPECT_EQ(Classify(64), PacketKind::kUnknown);  // TURN channel
  EXPECT_EQ(Classify(127), PacketKind::kUnknown);
  EXPECT_EQ(Classify(192), PacketKind::kUnknown);  // QUIC long header
  EXPECT_EQ(Classify(255), PacketKind::kUnknown);
}

TEST(PacketKindTest, EmptyAndOneByteRtpAreUnknown) {
  EXPECT_EQ(ClassifyPacket({}), PacketKind::kUnknown);
  const std::array<std::uint8_t, 1> rtp_first_byte{0x80};
  EXPECT_EQ(ClassifyPacket(rtp_first_byte), PacketKind::kUnknown);
  const std::array<std::uint8_t, 1> stun_first_byte{0x00};
  EXPECT_EQ(ClassifyPacket(stun_first_byte), PacketKind::kStun);  // the STUN parser rejects it
}

TEST(PacketKindTest, IsUsableAtCompileTime) {
  static constexpr std::array<std::uint8_t, 2> kDtlsHandshake{22, 0xfe};
  static_assert(ClassifyPacket(kDtlsHandshake) == PacketKind::kDtls);
}

TEST(PacketKindTest, NamesEachKind) {
  EXPECT_EQ(PacketKindName(PacketKind::kStun), "stun");
  EXPECT_EQ(PacketKindName(PacketKind::kDtls), "dtls");
  EXPECT_EQ(PacketKindName(PacketKind::kRtp), "rtp");
  EXPECT_EQ(PacketKindName(PacketKind::kRtcp), "rtcp");
  EXPECT_EQ(PacketKindName(PacketKind::kUnknown), "unknown");
}

}  // namespace
}  // namespace egovbox::media
