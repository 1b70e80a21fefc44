#include "crypto/password_hasher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "crypto/random.h"

namespace egovbox::crypto {
namespace {

// The smallest cost libsodium allows, so that the tests stay fast.
PasswordHasher::Cost MinimalCost() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

class PasswordHasherTest : public ::testing::Test {
 protected:
  void SetUp() override { InitializeCrypto(); }
};

TEST_F(PasswordHasherTest, HashIsSelfDescribingArgon2id) {
  const PasswordHasher hasher(MinimalCost());
  const std::string hash = hasher.Hash("correct horse battery staple");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$", 0), 0U) << hash;
  // The cost travels in the string: m is in KiB, t the number of passes.
  EXPECT_NE(hash.find("m=" + std::to_string(crypto_pwhash_MEMLIMIT_MIN / 1024) + ","), std::string::npos) << hash;
  EXPECT_NE(hash.find("t=" + std::to_string(crypto_pwhash_OPSLIMIT_MIN) + ","), std::string::npos) << hash;
}

TEST_F(PasswordHasherTest, HashVerifiesItsOwnPassword) {
  const PasswordHasher hasher(MinimalCost());
  const std::string password = "Дълга парола за проба 2024";
  EXPECT_TRUE(hasher.Verify(password, hasher.Hash(password)));
}

TEST_F(PasswordHasherTest, WrongPasswordFails) {
  const PasswordHasher hasher(MinimalCost());
  const std::string hash = hasher.Hash("correct horse battery staple");
  EXPECT_FALSE(hasher.Verify("correct horse battery stapl", hash));
  EXPECT_FALSE(hasher.Verify("Correct horse battery staple", hash));
  EXPECT_FALSE(hasher.Verify("", hash));
}

TEST_F(PasswordHasherTest, TwoHashesOfOnePasswordDifferButBothVerify) {
  const PasswordHasher hasher(MinimalCost());
  const std::string first = hasher.Hash("same password");
  const std::string second = hasher.Hash("same password");
  EXPECT_NE(first, second);  // a fresh salt each time
  EXPECT_TRUE(hasher.Verify("same password", first));
  EXPECT_TRUE(hasher.Verify("same password", second));
}

TEST_F(PasswordHasherTest, VerifiesHashesMadeAtAnotherCost) {
  // The server verifies one-time passwords hashed at the minimal cost with the
  // interactive-cost hasher: the cost is read from the stored string.
  const PasswordHasher cheap(MinimalCost());
  const PasswordHasher other({crypto_pwhash_OPSLIMIT_MIN + 1, crypto_pwhash_MEMLIMIT_MIN * 2});
  EXPECT_TRUE(other.Verify("one-time", cheap.Hash("one-time")));
}

TEST_F(PasswordHasherTest, PasswordsWithNulBytesAreHashedWhole) {
  const PasswordHasher hasher(MinimalCost());
  const std::string password("abc\0def", 7);
  const std::string hash = hasher.Hash(password);
  EXPECT_TRUE(hasher.Verify(password, hash));
  EXPECT_FALSE(hasher.Verify("abc", hash));
}

TEST_F(PasswordHasherTest, GarbageStoredHashFailsWithoutThrowing) {
  const PasswordHasher hasher(MinimalCost());
  EXPECT_FALSE(hasher.Verify("anything", ""));
  EXPECT_FALSE(hasher.Verify("anything", "not a hash"));
  EXPECT_FALSE(hasher.Verify("anything", "$argon2id$v=19$m=8,t=1,p=1$AAAA$AAAA"));
  EXPECT_NO_THROW(hasher.VerifyAgainstDummy("anything"));
}

TEST(PasswordHasherCostTest, InteractiveCostIsLibsodiumsInteractiveLimits) {
  const auto cost = PasswordHasher::InteractiveCost();
  EXPECT_EQ(cost.operations, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(cost.memory_bytes, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

}  // namespace
}  // namespace egovbox::crypto
