// The DTLS identity of one media worker (RFC 5763 §5): an ECDSA P-256 key with a
// self-signed certificate, its SHA-256 fingerprint as the SDP's `a=fingerprint`
// carries it, and the OpenSSL context every DtlsSession of the worker is made from.
//
// Generate() returns nullopt when OpenSSL fails (the reason is logged nowhere; the
// caller decides); it never throws. The object is move-only and owns its SSL_CTX.
// Sessions take their own reference to the context, so a session may outlive the
// certificate it was made from. One certificate belongs to one media worker: its
// methods are const and the context is only read after Generate(), but it is meant
// to be used from that worker's thread.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace egovbox::media {

class DtlsCertificate {
 public:
  // A fresh ECDSA P-256 key and certificate (random serial, CN "egovbox", valid
  // from a day ago for 30 days), and a DTLS 1.2 context configured for WebRTC:
  // SRTP profiles AEAD_AES_128_GCM then AES128_CM_SHA1_80 (RFC 5764 §4.1.2, RFC
  // 7714 §14.2), peer certificate required but its chain not checked (the
  // fingerprint is the check, done by DtlsSession), ECDHE with AES-GCM first, no
  // session cache or tickets, no renegotiation.
  static std::optional<DtlsCertificate> Generate();

  // "AB:CD:..." — 32 bytes as uppercase hex pairs joined by colons, the value
  // after "sha-256 " in `a=fingerprint` (RFC 8122 §5).
  const std::string& fingerprint() const { return fingerprint_; }

  // For DtlsSession: the context its SSL objects are made from.
  SSL_CTX* context() const { return context_.get(); }

  // Offers only `profiles` (OpenSSL's colon-separated names, e.g.
  // "SRTP_AES128_CM_SHA1_80") in the sessions made afterwards: for tools that play a
  // browser offering one profile (bench/sfu). False when OpenSSL refuses the list.
  bool RestrictSrtpProfiles(const std::string& profiles);

 private:
  struct ContextDeleter {
    void operator()(SSL_CTX* context) const noexcept;
  };
  using ContextHandle = std::unique_ptr<SSL_CTX, ContextDeleter>;

  DtlsCertificate(ContextHandle context, std::string fingerprint)
      : context_(std::move(context)), fingerprint_(std::move(fingerprint)) {}

  ContextHandle context_;
  std::string fingerprint_;
};

}  // namespace egovbox::media
