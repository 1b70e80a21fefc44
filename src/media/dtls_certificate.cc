#include "media/dtls_certificate.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace egovbox::media {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const noexcept { Free(pointer); }
};
using KeyHandle = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertificateHandle = std::unique_ptr<X509, Deleter<X509, X509_free>>;

constexpr long kSecondsPerDay = 24L * 60 * 60;
constexpr long kValidBefore = kSecondsPerDay;  // notBefore a day back, for clocks that lag
constexpr long kValidFor = 30 * kSecondsPerDay;
constexpr std::size_t kSha256Size = 32;

// WebRTC's usual suite order: ECDHE with AES-GCM first (ECDSA, our key type, ahead of
// RSA, which a peer's own certificate may still use), ChaCha20, then CBC for old stacks.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";

// RFC 5764 §4.1.2 and RFC 7714 §14.2, in our order of preference (the server's
// order decides in OpenSSL).
constexpr const char* kSrtpProfiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";

// Browsers' certificates are self-signed and never chain to anything we trust:
// the chain is accepted here and DtlsSession checks the fingerprint from the SDP.
int AcceptAnyChain(int /*preverify_ok*/, X509_STORE_CTX* /*store*/) {
  return 1;
}

CertificateHandle MakeCertificate(EVP_PKEY* key) {
  CertificateHandle certificate(X509_new());
  if (certificate == nullptr) return nullptr;
  if (X509_set_version(certificate.get(), 2) != 1) return nullptr;  // X.509 v3

  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 63 random bits.
  std::array<unsigned char, sizeof(std::uint64_t)> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) return nullptr;
  std::uint64_t serial = 0;
  for (const unsigned char byte : random) serial = (serial << 8U) | byte;
  serial = (serial >> 1U) | 1U;
  if (ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate.get()), serial) != 1) return nullptr;

  if (X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -kValidBefore) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate.get()), kValidFor) == nullptr) {
    return nullptr;
  }
  if (X509_set_pubkey(certificate.get(), key) != 1) return nullptr;

  X509_NAME* name = X509_get_subject_name(certificate.get());
  const auto* common_name = reinterpret_cast<const unsigned char*>("egovbox");
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, common_name, -1, -1, 0) != 1) return nullptr;
  if (X509_set_issuer_name(certificate.get(), name) != 1) return nullptr;
  if (X509_sign(certificate.get(), key, EVP_sha256()) <= 0) return nullptr;
  return certificate;
}

std::optional<std::string> Sha256Fingerprint(const X509* certificate) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (X509_digest(certificate, EVP_sha256(), digest.data(), &size) != 1 || size != kSha256Size) return std::nullopt;
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string text;
  text.reserve(std::size_t{size} * 3);
  for (unsigned int i = 0; i < size; ++i) {
    if (i != 0) text.push_back(':');
    text.push_back(kHex[digest[i] >> 4U]);
    text.push_back(kHex[digest[i] & 0x0FU]);
  }
  return text;
}

bool Configure(SSL_CTX* context, X509* certificate, EVP_PKEY* key) {
  if (SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION) != 1) return false;
  if (SSL_CTX_use_certificate(context, certificate) != 1 || SSL_CTX_use_PrivateKey(context, key) != 1 ||
      SSL_CTX_check_private_key(context) != 1) {
    return false;
  }
  if (SSL_CTX_set_cipher_list(context, kCipherList) != 1) return false;
  // OpenSSL's inverted convention: 0 is success here.
  if (SSL_CTX_set_tlsext_use_srtp(context, kSrtpProfiles) != 0) return false;
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, AcceptAnyChain);
  // One datagram at a time through memory BIOs; the MTU is set per session
  // (DTLS_set_link_mtu), never probed from a socket.
  SSL_CTX_set_read_ahead(context, 0);
  SSL_CTX_set_options(
      context, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
  return true;
}

}  // namespace

void DtlsCertificate::ContextDeleter::operator()(SSL_CTX* context) const noexcept {
  SSL_CTX_free(context);
}

std::optional<DtlsCertificate> DtlsCertificate::Generate() {
  ERR_clear_error();
  const KeyHandle key(EVP_EC_gen("P-256"));
  CertificateHandle certificate = key ? MakeCertificate(key.get()) : nullptr;
  std::optional<std::string> fingerprint = certificate ? Sha256Fingerprint(certificate.get()) : std::nullopt;
  ContextHandle context(fingerprint ? SSL_CTX_new(DTLS_method()) : nullptr);
  if (context == nullptr || !Configure(context.get(), certificate.get(), key.get())) {
    ERR_clear_error();
    return std::nullopt;
  }
  // The context holds its own references to the key and the certificate.
  return DtlsCertificate(std::move(context), std::move(*fingerprint));
}

bool DtlsCertificate::RestrictSrtpProfiles(const std::string& profiles) {
  // OpenSSL's inverted convention: 0 is success here.
  return SSL_CTX_set_tlsext_use_srtp(context_.get(), profiles.c_str()) == 0;
}

}  // namespace egovbox::media
