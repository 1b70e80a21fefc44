#include "integrations/oidc_jws.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "crypto/encoding.h"
#include "temporary_database.h"

namespace egovbox::integrations {
namespace {

// An ES256 verifier of our own on OpenSSL, independent of libjwt: RFC 7518 §3.4
// says the signature is R and S as 32-byte big-endian integers, concatenated.
bool VerifyEs256(const OidcSigningKey& key, std::string_view token) {
  const auto last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  const auto signature = crypto::Base64UrlDecode(token.substr(last_dot + 1));
  if (!signature || signature->size() != 64) return false;
  const std::string_view signing_input = token.substr(0, last_dot);

  BIO* bio = BIO_new_mem_buf(key.private_key_pem.data(), static_cast<int>(key.private_key_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(signature->data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool valid =
      EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(context, der, static_cast<std::size_t>(der_length),
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
  EVP_MD_CTX_free(context);
  OPENSSL_free(der);
  EVP_PKEY_free(pkey);
  return valid;
}

nlohmann::json Part(std::string_view token, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  const auto end = token.find('.', start);
  return nlohmann::json::parse(*crypto::Base64UrlDecode(token.substr(start, end - start)));
}

class OidcJwsTest : public ::testing::Test {
 protected:
  void SetUp() override { unit_test::InitializeLibrariesOnce(); }
  const OidcSigningKey key_ = MakeSigningKey();
};

TEST_F(OidcJwsTest, SignsWithEs256UnderTheKeysKid) {
  const nlohmann::json claims = {
      {"iss", "https://egov.example"}, {"sub", "abc"},         {"aud", "client"}, {"exp", 2000000000},
      {"name", "Мария Иванова"},       {"roles", {"employee"}}};
  const auto token = SignJwt(key_, claims);
  ASSERT_TRUE(token);
  const auto header = Part(*token, 0);
  EXPECT_EQ(header.at("alg"), "ES256");
  EXPECT_EQ(header.at("kid"), key_.kid);
  EXPECT_EQ(Part(*token, 1), claims) << "the claims, Cyrillic and arrays included, arrive unchanged";
  EXPECT_TRUE(VerifyEs256(key_, *token));
}

TEST_F(OidcJwsTest, EverySignatureIsRawRAndSOf64BytesThatVerifies) {
  // About one signature in 128 has an R or S below 2^248, which must be left-padded
  // with zeros; a few hundred signatures exercise that.
  for (int i = 0; i < 400; ++i) {
    const auto token = SignJwt(key_, {{"sub", std::to_string(i)}});
    ASSERT_TRUE(token);
    ASSERT_TRUE(VerifyEs256(key_, *token)) << *token;
  }
}

TEST_F(OidcJwsTest, ATamperedPayloadDoesNotVerify) {
  auto token = *SignJwt(key_, {{"sub", "a"}});
  const std::string forged = crypto::Base64UrlEncode(R"({"sub":"b"})");
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  token.replace(first + 1, second - first - 1, forged);
  EXPECT_FALSE(VerifyEs256(key_, token));
}

TEST_F(OidcJwsTest, RefusesClaimsThatAreNotAnObjectAndAKeyThatIsNotOne) {
  EXPECT_FALSE(SignJwt(key_, nlohmann::json::array()));
  OidcSigningKey broken = key_;
  broken.private_key_pem = "not a key";
  EXPECT_FALSE(SignJwt(broken, {{"sub", "a"}}));
}

}  // namespace
}  // namespace egovbox::integrations
