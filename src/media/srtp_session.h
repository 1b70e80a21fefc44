// SRTP and SRTCP (RFC 3711, AES-GCM per RFC 7714) for DTLS-SRTP (RFC 5764), on
// OpenSSL's EVP primitives: AES-128 in counter mode with HMAC-SHA1-80, or
// AES-128-GCM. This file is the one place that does SRTP.
//
// An SrtpSession is one direction of one DTLS-SRTP association: the outbound session
// protects what we send under our master key, the inbound session unprotects what the
// peer sends under its master key. One session serves every SSRC of the connection:
// a stream (rollover counter, replay window, SRTCP index) for a new SSRC is added on
// its first packet — for inbound packets only after that packet authenticated — and
// kept for the session's life. A session holds at most max_streams streams
// (kSrtpMaxInboundStreams, kSrtpMaxOutboundStreams by default); a packet of a new
// SSRC beyond that is refused (kTooManyStreams) before any crypto and changes
// nothing, so a peer holding the keys cannot grow the session or its lookups (a linear
// scan of the SSRCs, the last hit tried first). Create reserves room for 32 streams,
// so a session with the inbound cap never allocates after Create; a larger one (the
// outbound cap) only for its 33rd and later SSRCs. The session keys are derived once
// (RFC 3711 §4.3.1, key derivation rate 0) and the cipher contexts are made once and
// re-keyed per packet only with the IV; HMAC-SHA1 copies precomputed inner and outer
// states. So no transform allocates, here or inside OpenSSL. (Until issue 5 this
// was libsrtp2, which Debian builds on NSS: about 14 heap allocations per AES-CM
// transform and several times the cost; the tests still check this code both ways
// against libsrtp2.)
//
// Replay protection is on in both directions with a window of 1024 packets: inbound,
// a packet seen before or older than the window is refused; outbound, an identical
// retransmission (same SSRC and sequence number, for NACKs) is allowed, but one older
// than the window is refused. SRTCP keeps a 128-index window, as libsrtp does. The
// rollover counter follows RFC 3711 §3.3.1; the first SRTCP packet of a stream is
// numbered 1.
//
// Every transform works in place on a caller's buffer and reports failure as nullopt
// (too little room, a malformed packet, failed authentication, a replay, or the wrong
// direction); it never throws. An SrtpSession is movable, not copyable, and not for
// concurrent use: one media worker owns it. Sessions on different threads are
// independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace egovbox::media {

// The DTLS-SRTP protection profiles we offer (RFC 5764 §4.1.2, RFC 7714 §14.2).
enum class SrtpProfile : std::uint8_t {
  kAes128CmHmacSha1Tag80,  // SRTP_AES128_CM_HMAC_SHA1_80
  kAeadAes128Gcm,          // SRTP_AEAD_AES_128_GCM
};

// OpenSSL's profile names, as in SSL_get_selected_srtp_profile()->name:
// "SRTP_AES128_CM_SHA1_80" and "SRTP_AEAD_AES_128_GCM". Anything else is nullopt.
std::optional<SrtpProfile> SrtpProfileFromDtlsName(std::string_view name) noexcept;
std::string_view SrtpProfileDtlsName(SrtpProfile profile) noexcept;

std::size_t SrtpMasterKeyLength(SrtpProfile profile) noexcept;   // 16 for both
std::size_t SrtpMasterSaltLength(SrtpProfile profile) noexcept;  // 14 (RFC 3711 §8.2), 12 (RFC 7714 §12)
std::size_t SrtpAuthTagLength(SrtpProfile profile) noexcept;     // 10 (HMAC-SHA1-80), 16 (GCM)

// What protect appends: RTP gets the tag; RTCP gets the E flag and 31-bit SRTCP index
// (RFC 3711 §3.4) plus the tag. No MKI is ever used.
inline constexpr std::size_t kSrtcpIndexLength = 4;
std::size_t SrtpRtpTrailerLength(SrtpProfile profile) noexcept;
std::size_t SrtpRtcpTrailerLength(SrtpProfile profile) noexcept;
// The room a caller leaves after any packet, RTP or RTCP, in either profile (GCM's
// SRTCP: 4 + 16). libsrtp's own SRTP_MAX_TRAILER_LEN (144) makes room for an MKI we
// never configure; the tests check that nothing is written past this.
inline constexpr std::size_t kSrtpMaxTrailerLength = 20;

// RFC 5764 §4.2: the DTLS exporter ("EXTRACTOR-dtls_srtp", no context) gives
// client_key | server_key | client_salt | server_salt, 2 * (key + salt) bytes.
std::size_t SrtpKeyingMaterialLength(SrtpProfile profile) noexcept;

// Each side's master key followed by its master salt, the form SrtpSession::Create takes.
// The local one keys the outbound session, the remote one the inbound session.
struct SrtpKeys {
  std::vector<std::uint8_t> local_key_and_salt;
  std::vector<std::uint8_t> remote_key_and_salt;
};

// nullopt when `material` is not exactly SrtpKeyingMaterialLength(profile) bytes.
std::optional<SrtpKeys> SplitDtlsSrtpKeyingMaterial(SrtpProfile profile, std::span<const std::uint8_t> material,
                                                    bool local_is_dtls_client);

// Why the last transform failed, for the caller's drop counters.
enum class SrtpError : std::uint8_t {
  kNone,
  kBufferTooSmall,  // no room for the trailer, or length > buffer.size()
  kMalformed,       // too short or not parseable as RTP/RTCP
  kAuthentication,  // tag (or GCM tag) did not verify
  kReplay,          // seen before, or older than the replay window
  kWrongDirection,  // protect on an inbound session or the other way round
  kTooManyStreams,  // a new SSRC while the session already holds max_streams streams
  kOther,           // anything else (OpenSSL failed; the SRTCP index ran out)
};

// Streams (SSRCs) per session. Inbound: what one browser sends on one peer connection
// — a publisher at most about 10 (audio; camera with 3 simulcast layers, each with
// RTX; screen with RTX), a subscriber's RTCP a few. Outbound: the SSRCs we send one
// subscriber over the connection's life (two per video subscription, one per audio,
// new ones each time a track is subscribed again).
inline constexpr std::size_t kSrtpMaxInboundStreams = 32;
inline constexpr std::size_t kSrtpMaxOutboundStreams = 1024;

class SrtpSession {
 public:
  enum class Direction : std::uint8_t { kInbound, kOutbound };

  // `master_key_and_salt` is SrtpMasterKeyLength + SrtpMasterSaltLength bytes (one half
  // of SplitDtlsSrtpKeyingMaterial); only the derived session keys are kept.
  // `max_streams` 0: kSrtpMaxInboundStreams or kSrtpMaxOutboundStreams by direction (a
  // client that receives a whole room's streams, as ClientPeer does, may pass more).
  // nullopt on a wrong length or if OpenSSL fails.
  static std::optional<SrtpSession> Create(SrtpProfile profile, Direction direction,
                                           std::span<const std::uint8_t> master_key_and_salt,
                                           std::size_t max_streams = 0) noexcept;

  SrtpSession(SrtpSession&&) noexcept = default;
  SrtpSession& operator=(SrtpSession&&) noexcept = default;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;
  ~SrtpSession() = default;

  SrtpProfile profile() const { return profile_; }
  Direction direction() const { return direction_; }
  SrtpError last_error() const { return last_error_; }
  std::size_t stream_count() const noexcept;  // SSRCs seen so far, at most max_streams

  // In place: `buffer` holds the packet in its first `length` bytes. Protect needs
  // SrtpRtpTrailerLength / SrtpRtcpTrailerLength (at most kSrtpMaxTrailerLength) bytes
  // of room after it. Returns the new length, or nullopt (see last_error()); on failure
  // the bytes may have been changed. Protect* only on an outbound session, Unprotect*
  // only on an inbound one.
  std::optional<std::size_t> ProtectRtp(std::span<std::uint8_t> buffer, std::size_t length) noexcept;
  std::optional<std::size_t> ProtectRtcp(std::span<std::uint8_t> buffer, std::size_t length) noexcept;
  std::optional<std::size_t> UnprotectRtp(std::span<std::uint8_t> buffer, std::size_t length) noexcept;
  std::optional<std::size_t> UnprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length) noexcept;

 private:
  struct State;  // keys, cipher contexts and streams (srtp_session.cc)
  struct StateDeleter {
    void operator()(State* state) const noexcept;
  };

  SrtpSession(SrtpProfile profile, Direction direction, State* state)
      : state_(state), profile_(profile), direction_(direction) {}
  std::optional<std::size_t> Fail(SrtpError error) noexcept;

  std::unique_ptr<State, StateDeleter> state_;  // null only after a move
  SrtpProfile profile_;
  Direction direction_;
  SrtpError last_error_ = SrtpError::kNone;
};

}  // namespace egovbox::media
