#include "crypto/self_signed_certificate.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>

#include "crypto/random.h"

namespace egovbox::crypto {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using KeyHandle = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertificateHandle = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtensionHandle = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("certificate generation failed: ") + what);
}

void AddExtension(X509* certificate, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  ExtensionHandle extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  Check(extension != nullptr, "extension");
  Check(X509_add_ext(certificate, extension.get(), -1) == 1, "add extension");
}

// Writes through a temporary file and a rename, with the mode set before any byte is written.
void WritePem(const std::filesystem::path& file, mode_t mode, const std::function<int(FILE*)>& write) {
  const auto temporary = std::filesystem::path(file.string() + ".tmp");
  const mode_t previous = umask(0077);
  FILE* out = std::fopen(temporary.c_str(), "w");
  umask(previous);
  Check(out != nullptr, "open file");
  const bool written = write(out) == 1;
  const bool flushed = std::fflush(out) == 0 && fsync(fileno(out)) == 0;
  std::fclose(out);
  Check(written && flushed, "write file");
  chmod(temporary.c_str(), mode);
  std::filesystem::rename(temporary, file);
}

}  // namespace

void WriteSelfSignedCertificate(const std::filesystem::path& certificate_file, const std::filesystem::path& key_file,
                                const std::vector<std::string>& dns_names,
                                const std::vector<std::string>& ip_addresses) {
  KeyHandle key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "key");

  CertificateHandle certificate(X509_new());
  Check(certificate != nullptr, "X509_new");
  X509_set_version(certificate.get(), 2);
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 63 random bits will do.
  const std::string serial_bytes = RandomBytes(8);
  std::uint64_t serial = 0;
  for (unsigned char byte : serial_bytes) serial = (serial << 8) | byte;
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate.get()), serial >> 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60L * 60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 60 * 60);
  Check(X509_set_pubkey(certificate.get(), key.get()) == 1, "public key");

  X509_NAME* name = X509_get_subject_name(certificate.get());
  const std::string common_name = dns_names.empty() ? "localhost" : dns_names.front();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("eGov box"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(certificate.get(), name);

  std::string alt_names;
  for (const auto& dns : dns_names) alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + dns;
  for (const auto& ip : ip_addresses) alt_names += (alt_names.empty() ? "IP:" : ",IP:") + ip;
  AddExtension(certificate.get(), NID_subject_alt_name, alt_names);
  AddExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(certificate.get(), NID_key_usage, "critical,digitalSignature");
  AddExtension(certificate.get(), NID_ext_key_usage, "serverAuth");
  Check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "sign");

  WritePem(key_file, 0600,
           [&](FILE* out) { return PEM_write_PrivateKey(out, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  WritePem(certificate_file, 0644, [&](FILE* out) { return PEM_write_X509(out, certificate.get()); });
}

}  // namespace egovbox::crypto
