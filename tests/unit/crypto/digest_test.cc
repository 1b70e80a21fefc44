#include "crypto/digest.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace egovbox::crypto
