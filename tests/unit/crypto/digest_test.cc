#include "crypto/digest.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "crypto/encoding.h"

namespace egovbox::crypto {
namespace {

TEST(DigestTest, Sha256MatchesNistVectors) {
  // FIPS 180-2 Appendix B.1 and B.2, and the empty message.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DigestTest, Sha256IsThirtyTwoRawBytesOfTheHexDigest) {
  const std::string raw = Sha256("abc");
  ASSERT_EQ(raw.size(), 32U);
  EXPECT_EQ(HexEncode(raw), Sha256Hex("abc"));
}

TEST(DigestTest, Sha256HashesEmbeddedNulBytes) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(Sha256Hex(with_nul), Sha256Hex("a"));
  EXPECT_NE(Sha256Hex(with_nul), Sha256Hex("ab"));
}

TEST(DigestTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret-token", "secret-token"));
  EXPECT_FALSE(ConstantTimeEquals("secret-token", "Xecret-token"));  // first byte differs
  EXPECT_FALSE(ConstantTimeEquals("secret-token", "secret-tokeX"));  // last byte differs
  EXPECT_FALSE(ConstantTimeEquals("secret-token", "secret-toke"));   // a prefix is not equal
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));  // past a NUL
}

TEST(DigestTest, HmacSha1MatchesRfc2202Vectors) {
  // RFC 2202 §3, test cases 1 and 2; the second split in two parts to check that parts concatenate.
  const std::vector<std::uint8_t> key1(20, 0x0b);
  const std::string data1 = "Hi There";
  std::array<std::uint8_t, kHmacSha1Size> mac{};
  ASSERT_TRUE(HmacSha1(key1, {std::span(reinterpret_cast<const std::uint8_t*>(data1.data()), data1.size())}, mac));
  EXPECT_EQ(HexEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size())),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  const std::string key2 = "Jefe";
  const std::string first = "what do ya want ";
  const std::string second = "for nothing?";
  ASSERT_TRUE(HmacSha1(std::span(reinterpret_cast<const std::uint8_t*>(key2.data()), key2.size()),
                       {std::span(reinterpret_cast<const std::uint8_t*>(first.data()), first.size()),
                        std::span(reinterpret_cast<const std::uint8_t*>(second.data()), second.size())},
                       mac));
  EXPECT_EQ(HexEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size())),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

}  // namespace
}  // namespace egovbox::crypto
