#include "crypto/self_signed_certificate.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "crypto/random.h"
#include "temporary_directory.h"

namespace egovbox::crypto {
namespace {

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<X509, X509Free> ReadCertificate(const std::filesystem::path& file) {
  FILE* in = std::fopen(file.c_str(), "r");
  if (in == nullptr) return nullptr;
  std::unique_ptr<X509, X509Free> certificate(PEM_read_X509(in, nullptr, nullptr, nullptr));
  std::fclose(in);
  return certificate;
}

std::unique_ptr<EVP_PKEY, KeyFree> ReadKey(const std::filesystem::path& file) {
  FILE* in = std::fopen(file.c_str(), "r");
  if (in == nullptr) return nullptr;
  std::unique_ptr<EVP_PKEY, KeyFree> key(PEM_read_PrivateKey(in, nullptr, nullptr, nullptr));
  std::fclose(in);
  return key;
}

unsigned Mode(const std::filesystem::path& file) {
  struct stat status {};
  if (stat(file.c_str(), &status) != 0) return 0;
  return status.st_mode & 0777;
}

class SelfSignedCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitializeCrypto();
    WriteSelfSignedCertificate(certificate_file_, key_file_, {"localhost", "egov.example.bg"}, {"127.0.0.1", "::1"});
  }

  unit_test::TemporaryDirectory directory_;
  std::filesystem::path certificate_file_ = directory_.path() / "certificate.pem";
  std::filesystem::path key_file_ = directory_.path() / "key.pem";
};

TEST_F(SelfSignedCertificateTest, WritesKeyOnlyTheOwnerCanReadAndLeavesNoTemporaryFiles) {
  EXPECT_EQ(Mode(key_file_), 0600U);
  EXPECT_EQ(Mode(certificate_file_), 0644U);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory_.path())) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 2U);
}

TEST_F(SelfSignedCertificateTest, CertificateNamesEveryHostAndAddressAndNoOther) {
  const auto certificate = ReadCertificate(certificate_file_);
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(X509_check_host(certificate.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(certificate.get(), "egov.example.bg", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_host(certificate.get(), "other.example.bg", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "10.0.0.1", 0), 0);
}

TEST_F(SelfSignedCertificateTest, CertificateIsSelfSignedByTheWrittenP256KeyForAYear) {
  const auto certificate = ReadCertificate(certificate_file_);
  const auto key = ReadKey(key_file_);
  ASSERT_NE(certificate, nullptr);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 256);
  EXPECT_EQ(X509_check_private_key(certificate.get(), key.get()), 1);
  EXPECT_EQ(X509_verify(certificate.get(), key.get()), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(certificate.get()), X509_get_issuer_name(certificate.get())), 0);
  EXPECT_EQ(X509_get_version(certificate.get()), 2);  // v3, needed for extensions

  // Valid now, and still valid in 364 days, not in 366.
  const std::time_t now = std::time(nullptr);
  std::time_t in_364_days = now + 364L * 24 * 60 * 60;
  std::time_t in_366_days = now + 366L * 24 * 60 * 60;
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(certificate.get())), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(certificate.get()), &in_364_days), 0);
  EXPECT_LT(X509_cmp_time(X509_get0_notAfter(certificate.get()), &in_366_days), 0);

  // A leaf certificate for a TLS server, not a CA.
  EXPECT_EQ(X509_check_ca(certificate.get()), 0);
  EXPECT_NE(X509_get_extended_key_usage(certificate.get()) & XKU_SSL_SERVER, 0U);
}

TEST_F(SelfSignedCertificateTest, WritingAgainReplacesBothFilesWithANewKey) {
  const auto first_key = ReadKey(key_file_);
  WriteSelfSignedCertificate(certificate_file_, key_file_, {"localhost"}, {});
  const auto second_key = ReadKey(key_file_);
  const auto certificate = ReadCertificate(certificate_file_);
  ASSERT_NE(first_key, nullptr);
  ASSERT_NE(second_key, nullptr);
  ASSERT_NE(certificate, nullptr);
  EXPECT_NE(EVP_PKEY_eq(first_key.get(), second_key.get()), 1);
  EXPECT_EQ(X509_check_private_key(certificate.get(), second_key.get()), 1);
  EXPECT_EQ(Mode(key_file_), 0600U);
  EXPECT_EQ(X509_check_host(certificate.get(), "egov.example.bg", 0, 0, nullptr), 0);
}

TEST(SelfSignedCertificateFailureTest, ThrowsWhenTheDirectoryDoesNotExist) {
  InitializeCrypto();
  unit_test::TemporaryDirectory directory;
  const auto missing = directory.path() / "missing";
  EXPECT_THROW(WriteSelfSignedCertificate(missing / "c.pem", missing / "k.pem", {"localhost"}, {}), std::runtime_error);
}

}  // namespace
}  // namespace egovbox::crypto
