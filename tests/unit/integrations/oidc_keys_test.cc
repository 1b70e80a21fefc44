#include "integrations/oidc_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "temporary_database.h"
#include "temporary_directory.h"

namespace egovbox::integrations {
namespace {

class OidcKeysTest : public ::testing::Test {
 protected:
  void SetUp() override { unit_test::InitializeLibrariesOnce(); }
  std::filesystem::path Directory() const { return directory_.path() / "keys" / "oidc"; }

  unit_test::TemporaryDirectory directory_;
};

std::string Kids(const nlohmann::json& jwks) {
  std::string kids;
  for (const auto& key : jwks.at("keys")) kids += key.at("kid").get<std::string>() + ",";
  return kids;
}

TEST_F(OidcKeysTest, MakesAPrivateKeyFileInAPrivateDirectoryOnFirstUse) {
  OidcKeySet keys(Directory());
  struct stat status {};
  ASSERT_EQ(::stat((Directory() / "current.pem").c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat(Directory().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0700U);
  EXPECT_FALSE(std::filesystem::exists(Directory() / "previous.pem"));
  EXPECT_EQ(keys.Jwks().at("keys").size(), 1U);
}

TEST_F(OidcKeysTest, PublishesAP256JwkWhoseKidIsItsRfc7638Thumbprint) {
  OidcKeySet keys(Directory());
  const auto jwk = keys.Jwks().at("keys").at(0);
  EXPECT_EQ(jwk.at("kty"), "EC");
  EXPECT_EQ(jwk.at("crv"), "P-256");
  EXPECT_EQ(jwk.at("use"), "sig");
  EXPECT_EQ(jwk.at("alg"), "ES256");
  EXPECT_FALSE(jwk.contains("d")) << "the private part never leaves";
  const std::string x = jwk.at("x");
  const std::string y = jwk.at("y");
  EXPECT_EQ(crypto::Base64UrlDecode(x)->size(), 32U);
  EXPECT_EQ(crypto::Base64UrlDecode(y)->size(), 32U);
  // RFC 7638 §3.2: SHA-256 of the required members in lexicographic order.
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + x + R"(","y":")" + y + R"("})";
  EXPECT_EQ(jwk.at("kid"), crypto::Base64UrlEncode(crypto::Sha256(canonical)));
  EXPECT_EQ(keys.Current()->kid, jwk.at("kid"));
}

TEST_F(OidcKeysTest, KeepsTheSameKeyAcrossRestarts) {
  const std::string kid = OidcKeySet(Directory()).Current()->kid;
  EXPECT_EQ(OidcKeySet(Directory()).Current()->kid, kid);
}

TEST_F(OidcKeysTest, RotationMakesANewCurrentKeyAndKeepsThePreviousOnePublished) {
  OidcKeySet keys(Directory());
  const std::string first = keys.Current()->kid;
  const auto rotation = OidcKeySet::Rotate(Directory());
  EXPECT_NE(rotation.kid, first);
  EXPECT_EQ(rotation.previous_kid, first);
  // The running key set notices the files changed.
  EXPECT_EQ(keys.Current()->kid, rotation.kid);
  EXPECT_EQ(Kids(keys.Jwks()), rotation.kid + "," + first + ",");

  // A second rotation drops the first key.
  const auto again = OidcKeySet::Rotate(Directory());
  EXPECT_EQ(again.previous_kid, rotation.kid);
  EXPECT_EQ(Kids(keys.Jwks()), again.kid + "," + rotation.kid + ",");
  EXPECT_EQ(Kids(OidcKeySet(Directory()).Jwks()), again.kid + "," + rotation.kid + ",");
}

TEST_F(OidcKeysTest, RotationOfAnEmptyDirectoryMakesTheFirstKey) {
  const auto rotation = OidcKeySet::Rotate(Directory());
  EXPECT_FALSE(rotation.previous_kid);
  EXPECT_EQ(OidcKeySet(Directory()).Current()->kid, rotation.kid);
}

TEST_F(OidcKeysTest, RefusesAKeyThatIsNotP256) {
  std::filesystem::create_directories(Directory());
  {
    std::ofstream out(Directory() / "current.pem");
    out << "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
  }
  EXPECT_THROW(OidcKeySet keys(Directory()), std::runtime_error);
  EXPECT_FALSE(ReadSigningKey("garbage"));
}

TEST_F(OidcKeysTest, ReadsBackTheKeyItMade) {
  const OidcSigningKey made = MakeSigningKey();
  const auto read = ReadSigningKey(made.private_key_pem);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->kid, made.kid);
  EXPECT_EQ(read->public_jwk, made.public_jwk);
}

}  // namespace
}  // namespace egovbox::integrations
