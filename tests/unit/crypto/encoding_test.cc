#include "crypto/encoding.h"

#include <gtest/gtest.h>

namespace egovbox::crypto {
namespace {

TEST(EncodingTest, Base32MatchesRfc4648Vectors) {
  // RFC 4648 §10, without padding.
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
}

TEST(EncodingTest, Base32DecodesWhatItEncodesInAnyCase) {
  const std::string bytes("\x00\xff\x10secret\x7f", 10);
  EXPECT_EQ(Base32Decode(Base32Encode(bytes)), bytes);
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW 6YTB OI======"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1").has_value());  // 1 is not in the alphabet
}

TEST(EncodingTest, Base64UrlHasNoPaddingOrUnsafeCharacters) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
}

TEST(EncodingTest, HexIsLowerCase) {
  EXPECT_EQ(HexEncode("\x01\xab"), "01ab");
}

}  // namespace
}  // namespace egovbox::crypto
