#include "media/srtp_session.h"

#include <srtp2/srtp.h>

#include <climits>
#include <mutex>

namespace egovbox::media {
namespace {

constexpr std::size_t kAes128KeyLength = 16;
constexpr std::size_t kAesCmSaltLength = 14;    // RFC 3711 §8.2: 112-bit master salt
constexpr std::size_t kGcmSaltLength = 12;      // RFC 7714 §12: 96-bit master salt
constexpr std::size_t kHmacSha1TagLength = 10;  // RFC 3711 §5.2: HMAC-SHA1 truncated to 80 bits
constexpr std::size_t kGcmTagLength = 16;       // RFC 7714 §14.2: AEAD_AES_128_GCM, 16-octet tag
// Sequence numbers (RTP) the replay database remembers; libsrtp accepts 64..32767.
constexpr decltype(srtp_policy_t::window_size) kReplayWindow = 1024;
constexpr std::size_t kRtpFixedHeaderLength = 12;   // RFC 3550 §5.1
constexpr std::size_t kRtcpSenderPrefixLength = 8;  // RFC 3711 §3.4: header + SSRC stay clear

constexpr std::string_view kDtlsNameAesCm = "SRTP_AES128_CM_SHA1_80";
constexpr std::string_view kDtlsNameGcm = "SRTP_AEAD_AES_128_GCM";

// srtp_init() once per process; srtp_shutdown() never, since a session may outlive
// any point where we could call it.
srtp_err_status_t InitialiseLibrary() {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_init_fail;
  std::call_once(once, [] { status = srtp_init(); });
  return status;
}

SrtpError ErrorFromStatus(srtp_err_status_t status) {
  switch (status) {
    case srtp_err_status_auth_fail: return SrtpError::kAuthentication;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
    case srtp_err_status_pkt_idx_old: return SrtpError::kReplay;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err: return SrtpError::kMalformed;
    default: return SrtpError::kOther;
  }
}

}  // namespace

std::optional<SrtpProfile> SrtpProfileFromDtlsName(std::string_view name) noexcept {
  if (name == kDtlsNameAesCm) return SrtpProfile::kAes128CmHmacSha1Tag80;
  if (name == kDtlsNameGcm) return SrtpProfile::kAeadAes128Gcm;
  return std::nullopt;
}

std::string_view SrtpProfileDtlsName(SrtpProfile profile) noexcept {
  return profile == SrtpProfile::kAeadAes128Gcm ? kDtlsNameGcm : kDtlsNameAesCm;
}

std::size_t SrtpMasterKeyLength(SrtpProfile /*profile*/) noexcept {
  return kAes128KeyLength;
}

std::size_t SrtpMasterSaltLength(SrtpProfile profile) noexcept {
  return profile == SrtpProfile::kAeadAes128Gcm ? kGcmSaltLength : kAesCmSaltLength;
}

std::size_t SrtpAuthTagLength(SrtpProfile profile) noexcept {
  return profile == SrtpProfile::kAeadAes128Gcm ? kGcmTagLength : kHmacSha1TagLength;
}

std::size_t SrtpRtpTrailerLength(SrtpProfile profile) noexcept {
  return SrtpAuthTagLength(profile);
}

std::size_t SrtpRtcpTrailerLength(SrtpProfile profile) noexcept {
  return kSrtcpIndexLength + SrtpAuthTagLength(profile);
}

static_assert(kSrtpMaxTrailerLength == kSrtcpIndexLength + kGcmTagLength);
static_assert(kSrtpMaxTrailerLength >= kSrtcpIndexLength + kHmacSha1TagLength);

std::size_t SrtpKeyingMaterialLength(SrtpProfile profile) noexcept {
  return 2 * (SrtpMasterKeyLength(profile) + SrtpMasterSaltLength(profile));
}

std::optional<SrtpKeys> SplitDtlsSrtpKeyingMaterial(SrtpProfile profile, std::span<const std::uint8_t> material,
                                                    bool local_is_dtls_client) {
  if (material.size() != SrtpKeyingMaterialLength(profile)) return std::nullopt;
  const std::size_t key_length = SrtpMasterKeyLength(profile);
  const std::size_t salt_length = SrtpMasterSaltLength(profile);
  // RFC 5764 §4.2: client_write_SRTP_master_key | server_write_SRTP_master_key |
  // client_write_SRTP_master_salt | server_write_SRTP_master_salt.
  const auto client_key = material.subspan(0, key_length);
  const auto server_key = material.subspan(key_length, key_length);
  const auto client_salt = material.subspan(2 * key_length, salt_length);
  const auto server_salt = material.subspan(2 * key_length + salt_length, salt_length);

  const auto join = [](std::span<const std::uint8_t> key, std::span<const std::uint8_t> salt) {
    std::vector<std::uint8_t> joined(key.begin(), key.end());
    joined.insert(joined.end(), salt.begin(), salt.end());
    return joined;
  };
  SrtpKeys keys;
  keys.local_key_and_salt = local_is_dtls_client ? join(client_key, client_salt) : join(server_key, server_salt);
  keys.remote_key_and_salt = local_is_dtls_client ? join(server_key, server_salt) : join(client_key, client_salt);
  return keys;
}

void SrtpSession::ContextDeleter::operator()(srtp_ctx_t_* context) const noexcept {
  srtp_dealloc(context);
}

std::optional<SrtpSession> SrtpSession::Create(SrtpProfile profile, Direction direction,
                                               std::span<const std::uint8_t> master_key_and_salt) noexcept {
  if (master_key_and_salt.size() != SrtpMasterKeyLength(profile) + SrtpMasterSaltLength(profile)) {
    return std::nullopt;
  }
  if (InitialiseLibrary() != srtp_err_status_ok) return std::nullopt;

  srtp_policy_t policy{};
  switch (profile) {
    case SrtpProfile::kAes128CmHmacSha1Tag80:
      srtp_crypto_policy_set_rtp_default(&policy.rtp);
      srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
      break;
    case SrtpProfile::kAeadAes128Gcm:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      break;
  }
  const bool outbound = direction == Direction::kOutbound;
  policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
  policy.ssrc.value = 0;
  // srtp_create only reads the key (it derives the session keys from a copy), though
  // the field is not const.
  policy.key = const_cast<unsigned char*>(master_key_and_salt.data());
  policy.window_size = kReplayWindow;
  // The SFU resends identical packets in answer to NACKs (RFC 4585 §6.2.1).
  policy.allow_repeat_tx = outbound ? 1 : 0;
  policy.next = nullptr;

  srtp_t context = nullptr;
  if (srtp_create(&context, &policy) != srtp_err_status_ok) return std::nullopt;
  return SrtpSession(profile, direction, context);
}

std::optional<std::size_t> SrtpSession::ProtectRtp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  return Transform(Operation::kProtectRtp, buffer, length);
}

std::optional<std::size_t> SrtpSession::ProtectRtcp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  return Transform(Operation::kProtectRtcp, buffer, length);
}

std::optional<std::size_t> SrtpSession::UnprotectRtp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  return Transform(Operation::kUnprotectRtp, buffer, length);
}

std::optional<std::size_t> SrtpSession::UnprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  return Transform(Operation::kUnprotectRtcp, buffer, length);
}

std::optional<std::size_t> SrtpSession::Transform(Operation operation, std::span<std::uint8_t> buffer,
                                                  std::size_t length) noexcept {
  const bool protect = operation == Operation::kProtectRtp || operation == Operation::kProtectRtcp;
  const bool rtp = operation == Operation::kProtectRtp || operation == Operation::kUnprotectRtp;
  if (!context_ || protect != (direction_ == Direction::kOutbound)) {
    last_error_ = SrtpError::kWrongDirection;
    return std::nullopt;
  }

  // libsrtp trusts the caller for room after the packet: it writes the trailer
  // (SrtpRtpTrailerLength / SrtpRtcpTrailerLength) without a bound.
  const std::size_t trailer = rtp ? SrtpRtpTrailerLength(profile_) : SrtpRtcpTrailerLength(profile_);
  if (length > buffer.size() || (protect && buffer.size() - length < trailer) ||
      length > static_cast<std::size_t>(INT_MAX) - kSrtpMaxTrailerLength) {
    last_error_ = SrtpError::kBufferTooSmall;
    return std::nullopt;
  }
  // Shorter than a header (plus what unprotect strips) is refused before libsrtp
  // reads it, so its own length checks are not the only guard.
  const std::size_t minimum = (rtp ? kRtpFixedHeaderLength : kRtcpSenderPrefixLength) + (protect ? 0 : trailer);
  if (length < minimum) {
    last_error_ = SrtpError::kMalformed;
    return std::nullopt;
  }

  int new_length = static_cast<int>(length);
  srtp_ctx_t* context = context_.get();
  std::uint8_t* packet = buffer.data();
  srtp_err_status_t status = srtp_err_status_fail;
  switch (operation) {
    case Operation::kProtectRtp: status = srtp_protect(context, packet, &new_length); break;
    case Operation::kProtectRtcp: status = srtp_protect_rtcp(context, packet, &new_length); break;
    case Operation::kUnprotectRtp: status = srtp_unprotect(context, packet, &new_length); break;
    case Operation::kUnprotectRtcp: status = srtp_unprotect_rtcp(context, packet, &new_length); break;
  }
  if (status != srtp_err_status_ok) {
    last_error_ = ErrorFromStatus(status);
    return std::nullopt;
  }
  if (new_length < 0 || static_cast<std::size_t>(new_length) > buffer.size()) {
    last_error_ = SrtpError::kOther;  // cannot happen with a sane libsrtp; refuse rather than trust it
    return std::nullopt;
  }
  last_error_ = SrtpError::kNone;
  return static_cast<std::size_t>(new_length);
}

}  // namespace egovbox::media
