#include "crypto/capability.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "temporary_database.h"
#include "temporary_directory.h"

namespace egovbox::crypto {
namespace {

constexpr std::int64_t kNow = 1796112000;  // 2026-12-01T08:00:00Z

class CapabilityTest : public ::testing::Test {
 protected:
  CapabilityTest() { unit_test::InitializeLibrariesOnce(); }

  CapabilityClaims Claims() const { return {"meeting-1", "ana", "host", kNow + 120}; }

  CapabilitySigner signer_{std::string(32, 'k')};
};

// Another character of the base64url alphabet at `index`.
std::string Flipped(std::string text, std::size_t index) {
  text[index] = text[index] == 'A' ? 'B' : 'A';
  return text;
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(CapabilityTest, SignedClaimsOpenAndVerify) {
  const std::string capability = signer_.Sign(Claims());
  EXPECT_EQ(capability.substr(0, 3), "v1.");
  const auto claims = signer_.Open(capability);
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->meeting_id, "meeting-1");
  EXPECT_EQ(claims->employee_id, "ana");
  EXPECT_EQ(claims->role, "host");
  EXPECT_EQ(claims->expires_at, kNow + 120);
  EXPECT_EQ(signer_.Verify(capability, "meeting-1", "ana", kNow), CapabilityCheck::kValid);
  EXPECT_EQ(CapabilityCheckName(CapabilityCheck::kValid), "valid");
}

TEST_F(CapabilityTest, SomethingElseIsMalformed) {
  for (const std::string text : {"", "v1", "v1.", "v1.payload-without-mac", "v2.e30.AAAA", "V1.e30.AAAA", "e30.AAAA"}) {
    EXPECT_EQ(signer_.Verify(text, "meeting-1", "ana", kNow), CapabilityCheck::kMalformed) << text;
    EXPECT_FALSE(signer_.Open(text).has_value()) << text;
  }
  EXPECT_EQ(CapabilityCheckName(CapabilityCheck::kMalformed), "malformed");
}

TEST_F(CapabilityTest, AnyChangedCharacterOfPayloadOrMacBreaksTheSignature) {
  const std::string capability = signer_.Sign(Claims());
  const auto dot = capability.rfind('.');
  ASSERT_NE(dot, std::string::npos);
  for (std::size_t i = 3; i < capability.size(); ++i) {
    if (i == dot) continue;
    const std::string changed = Flipped(capability, i);
    EXPECT_EQ(signer_.Verify(changed, "meeting-1", "ana", kNow), CapabilityCheck::kBadSignature)
        << (i < dot ? "payload" : "mac") << " character " << i;
    EXPECT_FALSE(signer_.Open(changed).has_value());
  }
  EXPECT_EQ(signer_.Verify(capability.substr(0, capability.size() - 1), "meeting-1", "ana", kNow),
            CapabilityCheck::kBadSignature);
  EXPECT_EQ(signer_.Verify(capability + "A", "meeting-1", "ana", kNow), CapabilityCheck::kBadSignature);
  EXPECT_EQ(CapabilityCheckName(CapabilityCheck::kBadSignature), "invalid");
}

TEST_F(CapabilityTest, CapabilityOfAnotherKeyHasABadSignature) {
  const CapabilitySigner other(std::string(32, 'o'));
  const std::string capability = other.Sign(Claims());
  EXPECT_EQ(signer_.Verify(capability, "meeting-1", "ana", kNow), CapabilityCheck::kBadSignature);
  EXPECT_FALSE(signer_.Open(capability).has_value());
}

TEST_F(CapabilityTest, ExpiresAtExactlyItsExpiry) {
  const std::string capability = signer_.Sign(Claims());
  EXPECT_EQ(signer_.Verify(capability, "meeting-1", "ana", kNow + 119), CapabilityCheck::kValid);
  EXPECT_EQ(signer_.Verify(capability, "meeting-1", "ana", kNow + 120), CapabilityCheck::kExpired);
  EXPECT_EQ(signer_.Verify(capability, "meeting-1", "ana", kNow + 3600), CapabilityCheck::kExpired);
  // Opening does not look at the time.
  EXPECT_TRUE(signer_.Open(capability).has_value());
  EXPECT_EQ(CapabilityCheckName(CapabilityCheck::kExpired), "expired");
}

TEST_F(CapabilityTest, IsForOneMeetingAndOneEmployee) {
  const std::string capability = signer_.Sign(Claims());
  EXPECT_EQ(signer_.Verify(capability, "meeting-2", "ana", kNow), CapabilityCheck::kOtherMeeting);
  EXPECT_EQ(signer_.Verify(capability, "meeting-1", "boris", kNow), CapabilityCheck::kOtherEmployee);
  EXPECT_EQ(signer_.Verify(capability, "", "ana", kNow), CapabilityCheck::kOtherMeeting);
  EXPECT_EQ(CapabilityCheckName(CapabilityCheck::kOtherMeeting), "other-meeting");
  EXPECT_EQ(CapabilityCheckName(CapabilityCheck::kOtherEmployee), "other-employee");
}

TEST_F(CapabilityTest, KeyMustBe32Bytes) {
  EXPECT_THROW(CapabilitySigner(std::string(31, 'k')), std::invalid_argument);
  EXPECT_THROW(CapabilitySigner(std::string(33, 'k')), std::invalid_argument);
  EXPECT_THROW(CapabilitySigner(""), std::invalid_argument);
}

TEST_F(CapabilityTest, KeyFileIsCreatedPrivateAndReadBack) {
  unit_test::TemporaryDirectory directory;
  const auto file = directory.path() / "keys" / "capability.key";
  const CapabilitySigner created = CapabilitySigner::FromKeyFile(file);
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(std::filesystem::file_size(file), 32U);
  struct stat status {};
  ASSERT_EQ(stat(file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  const std::string key = ReadFile(file);

  // The second start reads the same key: what the first signed still verifies.
  const CapabilitySigner again = CapabilitySigner::FromKeyFile(file);
  EXPECT_EQ(ReadFile(file), key);
  EXPECT_EQ(again.Verify(created.Sign(Claims()), "meeting-1", "ana", kNow), CapabilityCheck::kValid);
  EXPECT_EQ(CapabilitySigner(key).Verify(created.Sign(Claims()), "meeting-1", "ana", kNow), CapabilityCheck::kValid);

  // Another data directory has another key.
  unit_test::TemporaryDirectory elsewhere;
  const CapabilitySigner other = CapabilitySigner::FromKeyFile(elsewhere.path() / "capability.key");
  EXPECT_EQ(other.Verify(created.Sign(Claims()), "meeting-1", "ana", kNow), CapabilityCheck::kBadSignature);
}

TEST_F(CapabilityTest, KeyFileOfTheWrongSizeIsRefused) {
  unit_test::TemporaryDirectory directory;
  const auto file = directory.path() / "capability.key";
  for (const std::size_t size : {0, 31, 33, 64}) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << std::string(size, 'k');
    EXPECT_THROW(CapabilitySigner::FromKeyFile(file), std::runtime_error) << size;
    EXPECT_EQ(std::filesystem::file_size(file), size);  // left as it was, not replaced
  }
}

}  // namespace
}  // namespace egovbox::crypto
