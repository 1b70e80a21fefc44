#include "crypto/random.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace egovbox::crypto {
namespace {

class RandomTest : public ::testing::Test {
 protected:
  void SetUp() override { InitializeCrypto(); }
};

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

TEST_F(RandomTest, RandomBytesHasTheAskedLength) {
  EXPECT_EQ(RandomBytes(0).size(), 0U);
  EXPECT_EQ(RandomBytes(1).size(), 1U);
  EXPECT_EQ(RandomBytes(64).size(), 64U);
}

TEST_F(RandomTest, RandomTokenIsUnpaddedBase64UrlOfTheByteCount) {
  // ceil(8n / 6) characters for n bytes, no '='.
  EXPECT_EQ(RandomToken(0), "");
  EXPECT_EQ(RandomToken(12).size(), 16U);
  EXPECT_EQ(RandomToken(16).size(), 22U);
  EXPECT_EQ(RandomToken(32).size(), 43U);
  for (int i = 0; i < 200; ++i) {
    const std::string token = RandomToken(32);
    for (char c : token) ASSERT_TRUE(IsBase64UrlCharacter(c)) << token;
  }
}

TEST_F(RandomTest, RandomTokensDoNotRepeat) {
  std::set<std::string> tokens;
  for (int i = 0; i < 1000; ++i) tokens.insert(RandomToken(16));
  EXPECT_EQ(tokens.size(), 1000U);
}

TEST_F(RandomTest, RandomBelowStaysInBoundsAndReachesEveryValue) {
  std::array<int, 10> counts{};
  for (int i = 0; i < 10000; ++i) {
    const std::uint32_t value = RandomBelow(10);
    ASSERT_LT(value, 10U);
    ++counts[value];
  }
  // 1000 expected per value, standard deviation 30: 700..1300 is ten deviations wide.
  for (std::size_t value = 0; value < counts.size(); ++value) {
    EXPECT_GT(counts[value], 700) << value;
    EXPECT_LT(counts[value], 1300) << value;
  }
}

TEST_F(RandomTest, RandomBelowOneIsAlwaysZero) {
  for (int i = 0; i < 100; ++i) EXPECT_EQ(RandomBelow(1), 0U);
}

TEST_F(RandomTest, RandomBelowHandlesTheLargestBound) {
  bool above_half = false;
  for (int i = 0; i < 64; ++i) above_half = above_half || RandomBelow(0xFFFFFFFFU) > 0x80000000U;
  EXPECT_TRUE(above_half);  // false with probability 2^-64
}

}  // namespace
}  // namespace egovbox::crypto
