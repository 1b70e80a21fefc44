#include "identity/recovery_codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "crypto/random.h"

namespace egovbox::identity {
namespace {

TEST(RecoveryCodesTest, TenDistinctCodesOfThreeGroupsOfFive) {
  crypto::InitializeCrypto();
  const std::regex shape("[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}");
  const auto codes = GenerateRecoveryCodes();
  ASSERT_EQ(codes.size(), static_cast<std::size_t>(kRecoveryCodeCount));
  for (const auto& code : codes) EXPECT_TRUE(std::regex_match(code, shape)) << code;
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
}

TEST(RecoveryCodesTest, EachSetIsNew) {
  crypto::InitializeCrypto();
  EXPECT_NE(GenerateRecoveryCodes(), GenerateRecoveryCodes());
}

TEST(RecoveryCodesTest, NormalisationDropsCaseSpacesAndDashes) {
  EXPECT_EQ(NormalizeRecoveryCode("k7m4q-x2pz9-3hf8w"), "k7m4qx2pz93hf8w");
  EXPECT_EQ(NormalizeRecoveryCode("K7M4Q X2PZ9 3HF8W"), "k7m4qx2pz93hf8w");
  EXPECT_EQ(NormalizeRecoveryCode(" k7m4qx2pz93hf8w "), "k7m4qx2pz93hf8w");
  EXPECT_EQ(NormalizeRecoveryCode(""), "");
}

TEST(RecoveryCodesTest, NormalisedGeneratedCodesAreFifteenCharacters) {
  crypto::InitializeCrypto();
  for (const auto& code : GenerateRecoveryCodes()) {
    const std::string normalized = NormalizeRecoveryCode(code);
    EXPECT_EQ(normalized.size(), 15U) << code;
    EXPECT_EQ(NormalizeRecoveryCode(normalized), normalized);  // idempotent
  }
}

}  // namespace
}  // namespace egovbox::identity
