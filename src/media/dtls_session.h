// One DTLS 1.2 association of a peer connection, run for DTLS-SRTP (RFC 5764) over
// memory BIOs: the caller moves datagrams between this object and the socket, and
// asks for the SRTP keys once it is connected.
//
// The handshake's result: kConnected only when the peer's certificate has the SHA-256
// fingerprint its SDP announced (RFC 5763 §5; checked while the certificate arrives,
// so a mismatch sends the peer a bad_certificate alert, and again after the
// handshake) and an SRTP profile was negotiated. Failures are a state (kFailed) and
// a reason (failure()), never an exception; OpenSSL's per-thread error queue is left
// empty after every call.
//
// Not thread-safe: the media worker thread that owns the peer connection owns this
// object. The object keeps a pointer to itself inside OpenSSL, so it cannot be copied
// or moved (hold it by unique_ptr). It does not need the DtlsCertificate to outlive it.
// `send` callbacks are called synchronously, zero or more times, with a view of a
// buffer that is only valid during the call; they must not call back into the session.
#pragma once

#include <openssl/types.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/dtls_certificate.h"
#include "media/dtls_role.h"

namespace egovbox::media {

// No datagram handed to `send` is larger than this (RFC 6347 §4.1.1.1): the path MTU
// WebRTC stacks assume, with room for IPv6, UDP and a TURN relay's overhead.
inline constexpr std::size_t kDtlsMtu = 1200;
// RFC 6347 §4.1: content type, version, epoch, sequence number, length.
inline constexpr std::size_t kDtlsRecordHeaderSize = 13;

class DtlsSession {
 public:
  enum class State : std::uint8_t { kNew, kHandshaking, kConnected, kFailed, kClosed };
  using Send = std::function<void(std::span<const std::uint8_t>)>;

  // expected_fingerprint: the remote's sha-256 fingerprint from its SDP ("AB:CD:...",
  // compared case-insensitively). One that does not parse fails every handshake.
  DtlsSession(const DtlsCertificate& certificate, DtlsRole role, std::string_view expected_fingerprint);
  ~DtlsSession();
  DtlsSession(const DtlsSession&) = delete;
  DtlsSession& operator=(const DtlsSession&) = delete;
  DtlsSession(DtlsSession&&) = delete;
  DtlsSession& operator=(DtlsSession&&) = delete;

  // kNew → kHandshaking. The client sends its ClientHello; the server waits for one.
  // Does nothing in any other state.
  void Start(const Send& send);
  // One datagram from the peer (RFC 7983 said DTLS). In kNew a server starts as if
  // Start had been called; a client starts and drops the datagram (nothing from the
  // server can come before our ClientHello). Records that do not parse, or fail
  // their MAC, are dropped silently (RFC 6347 §4.1.2.7); a well-formed plaintext
  // record out of place (epoch-0 application data, a garbled handshake message)
  // fails a handshake in progress, as OpenSSL decides. After the handshake,
  // application data is read and dropped; a close_notify leads to kClosed (and is
  // answered), a fatal alert to kFailed. Ignored in kFailed and kClosed.
  void Receive(std::span<const std::uint8_t> datagram, const Send& send);
  // When HandleTimeout should run next: OpenSSL's retransmission timer (RFC 6347
  // §4.2.4; 1 s, doubling), only while handshaking and only once a flight is out.
  std::optional<std::chrono::steady_clock::time_point> NextTimeout() const;
  // Retransmits the last flight if its timer has expired. Gives up (kFailed,
  // "handshake timeout") after kMaxRetransmissions or kHandshakeTimeout since the
  // handshake started (the client's Start, the server's first datagram).
  void HandleTimeout(const Send& send);
  // Sends close_notify when connected (RFC 5246 §7.2.1) and goes kClosed. During the
  // handshake OpenSSL cannot send one: the session just goes kClosed.
  void Close(const Send& send);

  State state() const { return state_; }
  // After kConnected: OpenSSL's name of the negotiated SRTP profile,
  // "SRTP_AEAD_AES_128_GCM" or "SRTP_AES128_CM_SHA1_80"; empty before.
  std::string_view srtp_profile_name() const { return srtp_profile_name_; }
  // RFC 5764 §4.2: `length` bytes from the TLS exporter with label
  // "EXTRACTOR-dtls_srtp" and no context. Empty unless connected (or closed after
  // connecting), or on failure.
  std::vector<std::uint8_t> ExportSrtpKeyingMaterial(std::size_t length) const;
  // Why it failed, for logs: "fingerprint mismatch", "no SRTP profile", "handshake
  // timeout", or OpenSSL's reason (e.g. "tlsv1 alert ..."). Empty unless kFailed.
  std::string_view failure() const { return failure_; }

  static constexpr int kMaxRetransmissions = 6;
  static constexpr std::chrono::seconds kHandshakeTimeout{30};

 private:
  struct SslDeleter {
    void operator()(SSL* ssl) const noexcept;
  };
  using Fingerprint = std::array<std::uint8_t, 32>;

  void Begin(const Send& send);
  void ContinueHandshake(const Send& send);
  void FinishHandshake();
  void ReadApplicationData(const Send& send);
  // Hands everything OpenSSL wrote since the last call to `send`, cut at record boundaries.
  void Flush(const Send& send);
  // kFailed with `reason` unless a more precise reason was already recorded; empties
  // OpenSSL's error queue.
  void Fail(std::string_view reason);
  void FailFromOpenSsl(int error, std::string_view fallback);
  bool PeerMatches(const X509* certificate) const;
  static int VerifyCallback(int preverify_ok, X509_STORE_CTX* store);

  std::unique_ptr<SSL, SslDeleter> ssl_;
  BIO* incoming_ = nullptr;  // owned by ssl_
  BIO* outgoing_ = nullptr;  // owned by ssl_
  DtlsRole role_;
  State state_ = State::kNew;
  std::optional<Fingerprint> expected_fingerprint_;
  std::string_view srtp_profile_name_;
  std::string failure_;
  std::optional<std::chrono::steady_clock::time_point> handshake_started_;
  int retransmissions_ = 0;
  bool handshake_done_ = false;
  bool certificate_rejected_ = false;       // by VerifyCallback: the fingerprint did not match
  std::vector<std::uint8_t> flush_buffer_;  // reused across flushes
};

// RFC 6347 §4.1.1: several records may share a datagram, one record may not span
// two. Cuts `records` (DTLS records back to back, one flush of OpenSSL's output)
// into datagrams of at most `mtu` bytes at record boundaries, packing greedily, and
// calls `send` with each. A single record larger than `mtu`, or bytes that do not
// parse as records, go out as they are. Exposed for tests.
void SendDtlsRecords(std::span<const std::uint8_t> records, std::size_t mtu, const DtlsSession::Send& send);

}  // namespace egovbox::media
