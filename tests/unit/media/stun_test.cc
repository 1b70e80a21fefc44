#include "media/stun.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/packet_kind.h"

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// RFC 5769 §2.1: sample request. Username "evtj:h6vY", password below, SOFTWARE
// "STUN test client"; USERNAME is padded with spaces.
const Bytes kSampleRequest = {
    0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87,
    0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c,
    0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f,
    0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
    0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
    0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf};

// RFC 5769 §2.2: sample IPv4 response. SOFTWARE "test vector" padded with a space,
// mapped address 192.0.2.1 port 32853.
const Bytes kSampleIpv4Response = {0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                   0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
                                   0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01,
                                   0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43, 0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99,
                                   0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b,
                                   0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96};

// RFC 5769 §2.3: sample IPv6 response, mapped address 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
const Bytes kSampleIpv6Response = {
    0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf,
    0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20,
    0x00, 0x14, 0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe,
    0xd2, 0xb9, 0xd9, 0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84, 0xc9, 0x7c,
    0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41, 0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c};

// RFC 5769 §2.4: sample request with long-term authentication. USERNAME
// "マトリックス", NONCE "f//499k954d6OL34oL9FSTvy64sA", REALM "example.org",
// password "TheMatrIX" after SASLprep; no FINGERPRINT.
const Bytes kSampleLongTermRequest = {
    0x00, 0x01, 0x00, 0x60, 0x21, 0x12, 0xa4, 0x42, 0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29,
    0xda, 0x41, 0x2e, 0x00, 0x06, 0x00, 0x12, 0xe3, 0x83, 0x9e, 0xe3, 0x83, 0x88, 0xe3, 0x83, 0xaa, 0xe3,
    0x83, 0x83, 0xe3, 0x82, 0xaf, 0xe3, 0x82, 0xb9, 0x00, 0x00, 0x00, 0x15, 0x00, 0x1c, 0x66, 0x2f, 0x2f,
    0x34, 0x39, 0x39, 0x6b, 0x39, 0x35, 0x34, 0x64, 0x36, 0x4f, 0x4c, 0x33, 0x34, 0x6f, 0x4c, 0x39, 0x46,
    0x53, 0x54, 0x76, 0x79, 0x36, 0x34, 0x73, 0x41, 0x00, 0x14, 0x00, 0x0b, 0x65, 0x78, 0x61, 0x6d, 0x70,
    0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x00, 0x00, 0x08, 0x00, 0x14, 0xf6, 0x70, 0x24, 0x65, 0x6d, 0xd6,
    0x4a, 0x3e, 0x02, 0xb8, 0xe0, 0x71, 0x2e, 0x85, 0xc9, 0xa2, 0x8c, 0xa8, 0x96, 0x66};

constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";
constexpr StunTransactionId kTransactionId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
// RFC 8489 §9.2.2: the long-term key is MD5("マトリックス:example.org:TheMatrIX"),
// computed once with `openssl md5` and typed in here.
constexpr std::array<std::uint8_t, 16> kLongTermKey = {0xe8, 0xca, 0x7a, 0xd5, 0x9d, 0x5e, 0xb0, 0x51,
                                                       0x8e, 0x31, 0x29, 0x11, 0xd2, 0xda, 0xb2, 0xa9};

TransportAddress Ipv4MappedAddress() {
  TransportAddress address;
  address.family = TransportAddress::Family::kIpv4;
  address.address = {192, 0, 2, 1};
  address.port = 32853;
  return address;
}

TransportAddress Ipv6MappedAddress() {
  TransportAddress address;
  address.family = TransportAddress::Family::kIpv6;
  address.address = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
  address.port = 32853;
  return address;
}

bool SameBytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::string Text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Every byte of the message, flipped one at a time, breaks MESSAGE-INTEGRITY (when
// the byte is covered by it) and FINGERPRINT, or the parse itself.
void ExpectEveryFlipDetected(const Bytes& vector, std::string_view key, bool has_fingerprint) {
  const auto message = StunMessage::Parse(vector);
  ASSERT_TRUE(message);
  const std::size_t integrity_end =
      has_fingerprint ? vector.size() - 8 : vector.size();  // the attribute ends before FINGERPRINT
  for (std::size_t i = 0; i < vector.size(); ++i) {
    Bytes flipped = vector;
    flipped[i] ^= 0x01;
    const auto parsed = StunMessage::Parse(flipped);
    if (!parsed) continue;  // a header or attribute length byte: rejected outright
    if (i < integrity_end) {
      EXPECT_FALSE(parsed->CheckMessageIntegrity(key)) << "byte " << i;
    }
    if (has_fingerprint) {
      EXPECT_FALSE(parsed->CheckFingerprint()) << "byte " << i;
    }
  }
}

TEST(StunTest, ParsesTheRfc5769SampleRequest) {
  EXPECT_EQ(ClassifyPacket(kSampleRequest), PacketKind::kStun);
  const auto message = StunMessage::Parse(kSampleRequest);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->message_class(), StunClass::kRequest);
  EXPECT_EQ(message->method(), kStunBindingMethod);
  EXPECT_TRUE(SameBytes(message->transaction_id(), kTransactionId));
  EXPECT_EQ(message->Software(), "STUN test client");
  EXPECT_EQ(message->Priority(), 0x6e0001ffU);
  EXPECT_EQ(message->IceControlled(), 0x932ff9b151263b36U);
  EXPECT_FALSE(message->IceControlling());
  EXPECT_FALSE(message->UseCandidate());
  EXPECT_EQ(message->Username(), "evtj:h6vY");
  EXPECT_FALSE(message->XorMappedAddress());
  EXPECT_FALSE(message->ErrorCode());
  EXPECT_TRUE(message->HasMessageIntegrity());
  EXPECT_TRUE(message->MessageIntegritySha256().empty());
  EXPECT_TRUE(message->HasFingerprint());
  EXPECT_TRUE(message->CheckMessageIntegrity(kPassword));
  EXPECT_TRUE(message->CheckFingerprint());
  EXPECT_FALSE(message->CheckMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"));
  EXPECT_FALSE(message->CheckMessageIntegrity(""));
}

TEST(StunTest, ListsTheSampleRequestsAttributesInOrder) {
  const auto message = StunMessage::Parse(kSampleRequest);
  ASSERT_TRUE(message);
  std::vector<std::uint16_t> types;
  std::vector<std::size_t> sizes;
  message->ForEachAttribute([&](const StunAttribute& attribute) {
    types.push_back(attribute.type);
    sizes.push_back(attribute.value.size());
  });
  EXPECT_EQ(types, (std::vector<std::uint16_t>{stun_attribute::kSoftware, stun_attribute::kPriority,
                                               stun_attribute::kIceControlled, stun_attribute::kUsername,
                                               stun_attribute::kMessageIntegrity, stun_attribute::kFingerprint}));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{16, 4, 8, 9, 20, 4}));
}

TEST(StunTest, ParsesTheRfc5769Ipv4Response) {
  const auto message = StunMessage::Parse(kSampleIpv4Response);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->message_class(), StunClass::kSuccessResponse);
  EXPECT_EQ(message->method(), kStunBindingMethod);
  EXPECT_TRUE(SameBytes(message->transaction_id(), kTransactionId));
  EXPECT_EQ(message->Software(), "test vector");
  EXPECT_EQ(message->XorMappedAddress(), Ipv4MappedAddress());
  EXPECT_TRUE(message->CheckMessageIntegrity(kPassword));
  EXPECT_TRUE(message->CheckFingerprint());
}

TEST(StunTest, ParsesTheRfc5769Ipv6Response) {
  const auto message = StunMessage::Parse(kSampleIpv6Response);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->message_class(), StunClass::kSuccessResponse);
  EXPECT_EQ(message->Software(), "test vector");
  EXPECT_EQ(message->XorMappedAddress(), Ipv6MappedAddress());
  EXPECT_TRUE(message->CheckMessageIntegrity(kPassword));
  EXPECT_TRUE(message->CheckFingerprint());
}

TEST(StunTest, ParsesTheRfc5769LongTermRequest) {
  const auto message = StunMessage::Parse(kSampleLongTermRequest);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->message_class(), StunClass::kRequest);
  EXPECT_EQ(message->method(), kStunBindingMethod);
  EXPECT_EQ(message->Username(), "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9");
  const auto nonce = message->Find(stun_attribute::kNonce);
  ASSERT_TRUE(nonce);
  EXPECT_EQ(Text(nonce->value), "f//499k954d6OL34oL9FSTvy64sA");
  const auto realm = message->Find(stun_attribute::kRealm);
  ASSERT_TRUE(realm);
  EXPECT_EQ(Text(realm->value), "example.org");
  EXPECT_FALSE(message->HasFingerprint());
  EXPECT_FALSE(message->CheckFingerprint());
  EXPECT_TRUE(message->CheckMessageIntegrity(kLongTermKey));
  EXPECT_FALSE(message->CheckMessageIntegrity("TheMatrIX"));
}

TEST(StunTest, DetectsEveryFlippedByteInTheVectors) {
  ExpectEveryFlipDetected(kSampleRequest, kPassword, true);
  ExpectEveryFlipDetected(kSampleIpv4Response, kPassword, true);
  ExpectEveryFlipDetected(kSampleIpv6Response, kPassword, true);
  ExpectEveryFlipDetected(kSampleLongTermRequest,
                          std::string_view(reinterpret_cast<const char*>(kLongTermKey.data()), kLongTermKey.size()),
                          false);
}

// The RFC's responses, built attribute by attribute, byte for byte.
Bytes BuildSampleResponse(const TransportAddress& mapped) {
  Bytes buffer(200);
  StunWriter writer(buffer, StunClass::kSuccessResponse, kStunBindingMethod, kTransactionId);
  writer.set_padding_byte(0x20);
  EXPECT_TRUE(writer.AddText(stun_attribute::kSoftware, "test vector"));
  EXPECT_TRUE(writer.AddXorMappedAddress(mapped));
  EXPECT_TRUE(writer.AddMessageIntegrity(kPassword));
  EXPECT_TRUE(writer.AddFingerprint());
  buffer.resize(writer.size());
  return buffer;
}

TEST(StunTest, BuildsTheRfc5769Ipv4ResponseByteForByte) {
  EXPECT_EQ(BuildSampleResponse(Ipv4MappedAddress()), kSampleIpv4Response);
}

TEST(StunTest, BuildsTheRfc5769Ipv6ResponseByteForByte) {
  EXPECT_EQ(BuildSampleResponse(Ipv6MappedAddress()), kSampleIpv6Response);
}

TEST(StunTest, BuildsTheRfc5769SampleRequestByteForByte) {
  Bytes buffer(200);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  writer.set_padding_byte(0x20);
  writer.AddText(stun_attribute::kSoftware, "STUN test client");
  writer.AddUint32(stun_attribute::kPriority, 0x6e0001ff);
  writer.AddUint64(stun_attribute::kIceControlled, 0x932ff9b151263b36);
  writer.AddText(stun_attribute::kUsername, "evtj:h6vY");
  writer.AddMessageIntegrity(kPassword);
  writer.AddFingerprint();
  ASSERT_TRUE(writer.ok());
  buffer.resize(writer.size());
  EXPECT_EQ(buffer, kSampleRequest);
}

TEST(StunTest, WritesABindingSuccessThatChecks) {
  std::array<std::uint8_t, 128> buffer{};
  for (const auto& mapped : {Ipv4MappedAddress(), Ipv6MappedAddress()}) {
    const std::size_t size = WriteBindingSuccess(buffer, kTransactionId, mapped, kPassword);
    ASSERT_GT(size, 0U);
    const auto response = StunMessage::Parse(std::span(buffer).first(size));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->message_class(), StunClass::kSuccessResponse);
    EXPECT_EQ(response->method(), kStunBindingMethod);
    EXPECT_TRUE(SameBytes(response->transaction_id(), kTransactionId));
    EXPECT_EQ(response->XorMappedAddress(), mapped);
    EXPECT_TRUE(response->CheckMessageIntegrity(kPassword));
    EXPECT_TRUE(response->CheckFingerprint());
  }
}

TEST(StunTest, WritesBindingErrors) {
  std::array<std::uint8_t, 128> buffer{};
  for (const int code : {400, 401, 487}) {
    const std::string_view password = code == 487 ? kPassword : std::string_view{};
    const std::size_t size = WriteBindingError(buffer, kTransactionId, code, password);
    ASSERT_GT(size, 0U);
    const auto response = StunMessage::Parse(std::span(buffer).first(size));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->message_class(), StunClass::kErrorResponse);
    EXPECT_EQ(response->method(), kStunBindingMethod);
    const auto error = response->ErrorCode();
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, code);
    EXPECT_EQ(error->reason, StunReasonPhrase(code));
    EXPECT_EQ(response->HasMessageIntegrity(), code == 487);
    if (code == 487) {
      EXPECT_TRUE(response->CheckMessageIntegrity(kPassword));
    }
    EXPECT_TRUE(response->CheckFingerprint());
  }
  EXPECT_EQ(StunReasonPhrase(401), "Unauthenticated");
}

TEST(StunTest, WriterFailsWhenTheBufferIsTooSmall) {
  std::array<std::uint8_t, 64> buffer{};
  EXPECT_EQ(WriteBindingSuccess(std::span(buffer).first(19), kTransactionId, Ipv4MappedAddress(), kPassword), 0U);
  // 20 header + 12 address + 24 integrity fit in 56; the fingerprint does not.
  EXPECT_EQ(WriteBindingSuccess(std::span(buffer).first(59), kTransactionId, Ipv4MappedAddress(), kPassword), 0U);
  EXPECT_EQ(WriteBindingSuccess(std::span(buffer).first(64), kTransactionId, Ipv4MappedAddress(), kPassword), 64U);
  StunWriter writer(buffer, StunClass::kErrorResponse, kStunBindingMethod, kTransactionId);
  EXPECT_FALSE(writer.AddErrorCode(200, "OK"));  // not an error class
  EXPECT_FALSE(writer.ok());
  EXPECT_EQ(writer.size(), 0U);
}

TEST(StunTest, ReadsUseCandidateAndIceControlling) {
  Bytes buffer(100);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  writer.AddText(stun_attribute::kUsername, "local:remote");
  writer.AddUint64(stun_attribute::kIceControlling, 42);
  writer.AddFlag(stun_attribute::kUseCandidate);
  writer.AddUint32(stun_attribute::kPriority, 1853824767);
  writer.AddMessageIntegrity(kPassword);
  writer.AddFingerprint();
  ASSERT_TRUE(writer.ok());
  const auto message = StunMessage::Parse(writer.message());
  ASSERT_TRUE(message);
  EXPECT_EQ(message->Username(), "local:remote");
  EXPECT_EQ(message->IceControlling(), 42U);
  EXPECT_FALSE(message->IceControlled());
  EXPECT_TRUE(message->UseCandidate());
  EXPECT_EQ(message->Priority(), 1853824767U);
  EXPECT_TRUE(message->CheckMessageIntegrity(kPassword));
  EXPECT_TRUE(message->CheckFingerprint());
}

TEST(StunTest, IgnoresAttributesAfterMessageIntegrity) {
  Bytes buffer(100);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  writer.AddMessageIntegrity(kPassword);
  writer.AddText(stun_attribute::kUsername, "smuggled:in");  // RFC 8489 §14.5: must be ignored
  writer.AddFingerprint();
  ASSERT_TRUE(writer.ok());
  const auto message = StunMessage::Parse(writer.message());
  ASSERT_TRUE(message);
  EXPECT_FALSE(message->Username());
  EXPECT_TRUE(message->Find(stun_attribute::kFingerprint));
  EXPECT_TRUE(message->CheckMessageIntegrity(kPassword));
  EXPECT_TRUE(message->CheckFingerprint());
}

TEST(StunTest, ParsesMessageIntegritySha256WithoutCheckingIt) {
  Bytes buffer(100);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  const std::array<std::uint8_t, 32> mac{1, 2, 3};
  writer.AddBytes(stun_attribute::kMessageIntegritySha256, mac);
  ASSERT_TRUE(writer.ok());
  const auto message = StunMessage::Parse(writer.message());
  ASSERT_TRUE(message);
  EXPECT_TRUE(SameBytes(message->MessageIntegritySha256(), mac));
  EXPECT_FALSE(message->HasMessageIntegrity());
  EXPECT_FALSE(message->CheckMessageIntegrity(kPassword));
}

TEST(StunTest, RejectsTruncatedMessages) {
  for (std::size_t size = 0; size < kSampleRequest.size(); ++size) {
    EXPECT_FALSE(StunMessage::Parse(std::span(kSampleRequest).first(size))) << "size " << size;
  }
  // The length field agrees with a truncation at an attribute boundary, but not with the datagram.
  Bytes extra = kSampleRequest;
  extra.insert(extra.end(), {0, 0, 0, 0});
  EXPECT_FALSE(StunMessage::Parse(extra));
}

TEST(StunTest, RejectsABadHeader) {
  Bytes bad_cookie = kSampleRequest;
  bad_cookie[4] = 0x20;
  EXPECT_FALSE(StunMessage::Parse(bad_cookie));

  Bytes top_bits = kSampleRequest;
  top_bits[0] |= 0x40;
  EXPECT_FALSE(StunMessage::Parse(top_bits));

  // A length that is not a multiple of 4, with the datagram to match it.
  Bytes odd_length = kSampleRequest;
  odd_length.push_back(0);
  odd_length[3] = 0x59;
  EXPECT_FALSE(StunMessage::Parse(odd_length));
}

TEST(StunTest, RejectsAnAttributeThatOverrunsTheMessage) {
  Bytes overrun = kSampleRequest;
  overrun[23] = 0x60;  // SOFTWARE claims 96 bytes
  EXPECT_FALSE(StunMessage::Parse(overrun));

  // The value fits but its padding does not: a 3-byte attribute at the very end.
  Bytes unpadded = {0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                    0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x05, 0x61, 0x62, 0x63, 0x64};
  EXPECT_FALSE(StunMessage::Parse(unpadded));
  unpadded[23] = 0x04;
  EXPECT_TRUE(StunMessage::Parse(unpadded));

  // A known attribute of the wrong size still parses; its accessor then finds nothing.
  const Bytes stray = {0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                       0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x00, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
  const auto with_valued_flag = StunMessage::Parse(stray);  // USE-CANDIDATE with 4 bytes
  ASSERT_TRUE(with_valued_flag);
  EXPECT_FALSE(with_valued_flag->UseCandidate());
}

TEST(StunTest, RejectsFingerprintThatIsNotLast) {
  Bytes buffer(100);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  writer.AddFingerprint();
  writer.AddText(stun_attribute::kSoftware, "late");
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE(StunMessage::Parse(writer.message()));
}

TEST(StunTest, RejectsIntegrityAttributesOfTheWrongSize) {
  Bytes buffer(100);
  StunWriter short_integrity(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  short_integrity.AddBytes(stun_attribute::kMessageIntegrity, std::array<std::uint8_t, 16>{});
  EXPECT_FALSE(StunMessage::Parse(short_integrity.message()));

  StunWriter long_fingerprint(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  long_fingerprint.AddBytes(stun_attribute::kFingerprint, std::array<std::uint8_t, 8>{});
  EXPECT_FALSE(StunMessage::Parse(long_fingerprint.message()));

  StunWriter odd_sha256(buffer, StunClass::kRequest, kStunBindingMethod, kTransactionId);
  odd_sha256.AddBytes(stun_attribute::kMessageIntegritySha256, std::array<std::uint8_t, 18>{});
  EXPECT_FALSE(StunMessage::Parse(odd_sha256.message()));
}

}  // namespace
}  // namespace egovbox::media
