#include "identity/totp.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "temporary_database.h"

namespace egovbox::identity {
namespace {

// RFC 6238 Appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
const std::string kRfcSecret = crypto::Base32Encode("12345678901234567890");

class TotpTest : public ::testing::Test {
 protected:
  void SetUp() override { unit_test::InitializeLibrariesOnce(); }
};

TEST_F(TotpTest, RfcSecretIsTheKnownBase32) {
  EXPECT_EQ(kRfcSecret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST_F(TotpTest, GeneratesTheRfc6238Sha1VectorsAsSixDigits) {
  // Appendix B gives eight digits; six digits are the last six of them.
  EXPECT_EQ(GenerateTotp(kRfcSecret, 59), "287082");             // 94287082
  EXPECT_EQ(GenerateTotp(kRfcSecret, 1111111109), "081804");     // 07081804
  EXPECT_EQ(GenerateTotp(kRfcSecret, 1111111111), "050471");     // 14050471
  EXPECT_EQ(GenerateTotp(kRfcSecret, 1234567890), "005924");     // 89005924
  EXPECT_EQ(GenerateTotp(kRfcSecret, 2000000000), "279037");     // 69279037
  EXPECT_EQ(GenerateTotp(kRfcSecret, 20000000000LL), "353130");  // 65353130, past 2038
}

TEST_F(TotpTest, VerifyReturnsTheStepOfTheCode) {
  EXPECT_EQ(VerifyTotp(kRfcSecret, "287082", 59), 1);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "081804", 1111111109), 1111111109 / 30);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "005924", 1234567890), 1234567890 / 30);
}

TEST_F(TotpTest, AcceptsOneStepOfClockDriftEitherWay) {
  const std::time_t at = 1111111109;  // step 37037036, code 081804
  const std::int64_t step = at / 30;
  EXPECT_EQ(VerifyTotp(kRfcSecret, "081804", at + 30), step);  // the phone is 30 s behind
  EXPECT_EQ(VerifyTotp(kRfcSecret, "081804", at - 30), step);  // the phone is 30 s ahead
}

TEST_F(TotpTest, RefusesTwoStepsOfDrift) {
  const std::time_t at = 1111111109;
  EXPECT_EQ(VerifyTotp(kRfcSecret, "081804", at + 60), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "081804", at - 60), std::nullopt);
}

TEST_F(TotpTest, RefusesAWrongCode) {
  EXPECT_EQ(VerifyTotp(kRfcSecret, "081805", 1111111109), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "000000", 1111111109), std::nullopt);
}

TEST_F(TotpTest, RefusesCodesThatAreNotSixDigits) {
  for (const char* code : {"", "08180", "0818044", "07081804", "08180a", " 81804", "+81804", "٠٨١٨٠٤"}) {
    EXPECT_EQ(VerifyTotp(kRfcSecret, code, 1111111109), std::nullopt) << code;
  }
}

TEST_F(TotpTest, RefusesWithABrokenSecretRatherThanThrowing) {
  EXPECT_EQ(VerifyTotp("", "081804", 1111111109), std::nullopt);
  EXPECT_EQ(VerifyTotp("not base32!", "081804", 1111111109), std::nullopt);
  EXPECT_THROW(GenerateTotp("not base32!", 59), std::invalid_argument);
}

TEST_F(TotpTest, SecretSpellingDoesNotMatter) {
  // Lower case and spaces, as a person might copy it from the screen.
  EXPECT_EQ(VerifyTotp("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", "287082", 59), 1);
}

TEST_F(TotpTest, NewSecretsAre160BitsOfBase32AndDiffer) {
  const std::string first = GenerateTotpSecret();
  const std::string second = GenerateTotpSecret();
  EXPECT_EQ(first.size(), 32U);
  ASSERT_TRUE(crypto::Base32Decode(first).has_value());
  EXPECT_EQ(crypto::Base32Decode(first)->size(), 20U);
  EXPECT_NE(first, second);
}

TEST_F(TotpTest, GeneratedCodeVerifiesAtItsOwnTime) {
  const std::string secret = GenerateTotpSecret();
  const std::time_t now = std::time(nullptr);
  const std::string code = GenerateTotp(secret, now);
  EXPECT_EQ(code.size(), 6U);
  EXPECT_EQ(VerifyTotp(secret, code, now), now / 30);
}

TEST_F(TotpTest, ProvisioningUriIsWhatAuthenticatorAppsRead) {
  EXPECT_EQ(TotpProvisioningUri("GEZDGNBV", "K7M4-QX2P"),
            "otpauth://totp/eGov%20box:K7M4-QX2P?secret=GEZDGNBV&issuer=eGov%20box&algorithm=SHA1&digits=6"
            "&period=30");
}

}  // namespace
}  // namespace egovbox::identity
