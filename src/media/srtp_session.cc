// SHA1_Init/Update/Final: their SHA_CTX is a plain struct, so HMAC's precomputed
// inner and outer states are copied per packet without allocating (EVP_MD_CTX copies
// allocate in OpenSSL 3.0).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "media/srtp_session.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>

namespace egovbox::media {
namespace {

constexpr std::size_t kAes128KeyLength = 16;
constexpr std::size_t kAesCmSaltLength = 14;        // RFC 3711 §8.2: 112-bit master salt
constexpr std::size_t kGcmSaltLength = 12;          // RFC 7714 §12: 96-bit master salt
constexpr std::size_t kHmacSha1TagLength = 10;      // RFC 3711 §5.2: HMAC-SHA1 truncated to 80 bits
constexpr std::size_t kHmacSha1KeyLength = 20;      // RFC 3711 §8.2: n_a = 160 bits
constexpr std::size_t kGcmTagLength = 16;           // RFC 7714 §14.2: AEAD_AES_128_GCM, 16-octet tag
constexpr std::size_t kRtpFixedHeaderLength = 12;   // RFC 3550 §5.1
constexpr std::size_t kRtcpSenderPrefixLength = 8;  // RFC 3711 §3.4: header + SSRC stay clear
constexpr std::size_t kRtpReplayWindow = 1024;      // sequence numbers remembered per stream
constexpr std::size_t kRtcpReplayWindow = 128;      // SRTCP indices, as libsrtp keeps them
constexpr std::uint32_t kSrtcpEncryptedFlag = 0x80000000U;
constexpr std::uint32_t kSrtcpIndexMask = 0x7FFFFFFFU;
constexpr std::uint32_t kSequenceSpace = 0x10000;
constexpr std::uint32_t kHalfSequenceSpace = 0x8000;
constexpr std::size_t kStreamsPreallocated = 32;  // what Create reserves (all of an inbound session's)
constexpr std::size_t kAesBlockLength = 16;
constexpr std::size_t kGcmIvLength = 12;
constexpr std::size_t kSha1BlockLength = 64;

// RFC 3711 §4.3.2 labels (and §4.3.1's SRTCP ones, +3).
constexpr std::uint8_t kLabelRtpEncryption = 0x00;
constexpr std::uint8_t kLabelRtpAuthentication = 0x01;
constexpr std::uint8_t kLabelRtpSalt = 0x02;
constexpr std::uint8_t kLabelRtcpEncryption = 0x03;
constexpr std::uint8_t kLabelRtcpAuthentication = 0x04;
constexpr std::uint8_t kLabelRtcpSalt = 0x05;

constexpr std::string_view kDtlsNameAesCm = "SRTP_AES128_CM_SHA1_80";
constexpr std::string_view kDtlsNameGcm = "SRTP_AEAD_AES_128_GCM";

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* context) const noexcept { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

std::uint32_t ReadUint32(const std::uint8_t* at) {
  return std::uint32_t{at[0]} << 24U | std::uint32_t{at[1]} << 16U | std::uint32_t{at[2]} << 8U | at[3];
}

void WriteUint32(std::uint8_t* at, std::uint32_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 24U);
  at[1] = static_cast<std::uint8_t>(value >> 16U);
  at[2] = static_cast<std::uint8_t>(value >> 8U);
  at[3] = static_cast<std::uint8_t>(value);
}

// RFC 2104 HMAC with SHA-1, the key's inner and outer states computed once.
class HmacSha1 {
 public:
  void SetKey(std::span<const std::uint8_t> key) {
    std::array<std::uint8_t, kSha1BlockLength> pad{};
    constexpr std::uint8_t kInnerPad = 0x36;
    constexpr std::uint8_t kOuterPad = 0x5C;
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = (i < key.size() ? key[i] : 0) ^ kInnerPad;
    SHA1_Init(&inner_);
    SHA1_Update(&inner_, pad.data(), pad.size());
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = (i < key.size() ? key[i] : 0) ^ kOuterPad;
    SHA1_Init(&outer_);
    SHA1_Update(&outer_, pad.data(), pad.size());
    OPENSSL_cleanse(pad.data(), pad.size());
  }

  // The MAC of `first` followed by `second`.
  std::array<std::uint8_t, SHA_DIGEST_LENGTH> Compute(std::span<const std::uint8_t> first,
                                                      std::span<const std::uint8_t> second) const {
    SHA_CTX context = inner_;
    SHA1_Update(&context, first.data(), first.size());
    if (!second.empty()) SHA1_Update(&context, second.data(), second.size());
    std::array<std::uint8_t, SHA_DIGEST_LENGTH> digest{};
    SHA1_Final(digest.data(), &context);
    context = outer_;
    SHA1_Update(&context, digest.data(), digest.size());
    SHA1_Final(digest.data(), &context);
    return digest;
  }

 private:
  SHA_CTX inner_{};
  SHA_CTX outer_{};
};

// RFC 3711 §4.3.1 with key derivation rate 0 (and RFC 7714 §11 for the 96-bit GCM
// salt, placed as the high bits of the 112-bit one): x = (label << 48) XOR salt, and
// the session key is AES-CM's keystream under the master key from IV x * 2^16.
bool DeriveSessionKey(std::span<const std::uint8_t> master_key, std::span<const std::uint8_t> master_salt,
                      std::uint8_t label, std::span<std::uint8_t> out) {
  std::array<std::uint8_t, kAesBlockLength> iv{};
  std::copy(master_salt.begin(), master_salt.end(), iv.begin());
  constexpr std::size_t kLabelByte = 7;  // bits 48..55 of the 112-bit x
  iv[kLabelByte] ^= label;
  const CipherContext context(EVP_CIPHER_CTX_new());
  std::fill(out.begin(), out.end(), 0);
  int written = 0;
  return context && EVP_EncryptInit_ex(context.get(), EVP_aes_128_ctr(), nullptr, master_key.data(), iv.data()) == 1 &&
         EVP_EncryptUpdate(context.get(), out.data(), &written, out.data(), static_cast<int>(out.size())) == 1;
}

// Which indices of a stream were seen, `Bits` of them up to the highest.
template <std::size_t Bits>
struct ReplayWindow {
  enum class Verdict : std::uint8_t { kNew, kSeen, kTooOld };

  Verdict Check(std::uint64_t index) const {
    if (!started || index > highest) return Verdict::kNew;
    if (highest - index >= Bits) return Verdict::kTooOld;
    return Marked(index) ? Verdict::kSeen : Verdict::kNew;
  }

  void Accept(std::uint64_t index) {
    if (!started || index >= highest + Bits) {
      bits.fill(0);
    } else {
      for (std::uint64_t skipped = highest + 1; skipped < index; ++skipped) Unmark(skipped);
    }
    if (!started || index > highest) highest = index;
    started = true;
    bits[(index % Bits) / 64] |= std::uint64_t{1} << (index % 64);
  }

  bool Marked(std::uint64_t index) const { return (bits[(index % Bits) / 64] >> (index % 64) & 1U) != 0; }
  void Unmark(std::uint64_t index) { bits[(index % Bits) / 64] &= ~(std::uint64_t{1} << (index % 64)); }

  bool started = false;
  std::uint64_t highest = 0;
  std::array<std::uint64_t, Bits / 64> bits{};
};

struct SrtpStream {
  std::uint32_t ssrc = 0;
  ReplayWindow<kRtpReplayWindow> rtp;    // by 48-bit packet index: ROC << 16 | SEQ
  ReplayWindow<kRtcpReplayWindow> rtcp;  // by 31-bit SRTCP index
  std::uint32_t rtcp_last_index = 0;     // outbound: the last SRTCP index sent
};

// RFC 3711 §3.3.1: the packet index of `sequence` guessed from the highest index
// seen; nullopt for a packet from before the stream's first rollover counter.
std::optional<std::uint64_t> EstimateIndex(const ReplayWindow<kRtpReplayWindow>& window, std::uint16_t sequence) {
  if (!window.started) return sequence;  // the rollover counter starts at 0
  const std::uint64_t roc = window.highest >> 16U;
  const auto highest_sequence = static_cast<std::uint32_t>(window.highest & (kSequenceSpace - 1));
  std::uint64_t guess = roc;
  if (highest_sequence < kHalfSequenceSpace) {
    if (sequence > highest_sequence + kHalfSequenceSpace) {
      if (roc == 0) return std::nullopt;
      guess = roc - 1;
    }
  } else if (sequence < highest_sequence - kHalfSequenceSpace) {
    guess = roc + 1;
  }
  return guess << 16U | sequence;
}

// RFC 3550 §5.1: the header with its CSRCs and extension; nullopt when it does not
// fit in `length` or is not version 2.
std::optional<std::size_t> RtpHeaderLength(std::span<const std::uint8_t> packet, std::size_t length) {
  constexpr std::uint8_t kVersion2 = 2;
  constexpr std::uint8_t kExtensionBit = 0x10;
  constexpr std::uint8_t kCsrcCountMask = 0x0F;
  if (length < kRtpFixedHeaderLength || (packet[0] >> 6U) != kVersion2) return std::nullopt;
  std::size_t header = kRtpFixedHeaderLength + 4 * static_cast<std::size_t>(packet[0] & kCsrcCountMask);
  if ((packet[0] & kExtensionBit) != 0) {
    if (length < header + 4) return std::nullopt;
    header += 4 + 4 * (std::size_t{packet[header + 2]} << 8U | packet[header + 3]);
  }
  if (header > length) return std::nullopt;
  return header;
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

// ---------------------------------------------------------------------------------
// The transforms

struct SrtpSession::State {
  bool gcm = false;
  CipherContext rtp_cipher;  // AES-128-CTR, or AES-128-GCM for this session's direction
  CipherContext rtcp_cipher;
  HmacSha1 rtp_auth;  // AES-CM only
  HmacSha1 rtcp_auth;
  std::array<std::uint8_t, kAesCmSaltLength> rtp_salt{};  // the first 12 bytes for GCM
  std::array<std::uint8_t, kAesCmSaltLength> rtcp_salt{};
  // At most max_streams, never removed. The SSRCs are kept apart from the (~190-byte)
  // streams so a lookup scans one dense array; the last hit is tried first.
  std::vector<std::uint32_t> ssrcs;
  std::vector<SrtpStream> streams;
  std::size_t max_streams = 0;
  std::size_t last_stream = 0;

  SrtpStream* Find(std::uint32_t ssrc) {
    if (last_stream < ssrcs.size() && ssrcs[last_stream] == ssrc) return &streams[last_stream];
    for (std::size_t i = 0; i < ssrcs.size(); ++i) {
      if (ssrcs[i] == ssrc) {
        last_stream = i;
        return &streams[i];
      }
    }
    return nullptr;
  }
  bool Full() const { return streams.size() >= max_streams; }
  // Only when !Full(); allocates only past kStreamsPreallocated (outbound sessions).
  SrtpStream& Add(const SrtpStream& stream) {
    ssrcs.push_back(stream.ssrc);
    streams.push_back(stream);
    last_stream = streams.size() - 1;
    return streams.back();
  }

  // RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).
  static std::array<std::uint8_t, kAesBlockLength> CounterIv(std::span<const std::uint8_t, kAesCmSaltLength> salt,
                                                             std::uint32_t ssrc, std::uint64_t index) {
    std::array<std::uint8_t, kAesBlockLength> iv{};
    std::copy(salt.begin(), salt.end(), iv.begin());
    for (std::size_t i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<std::uint8_t>(ssrc >> (24U - 8U * i));
    for (std::size_t i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<std::uint8_t>(index >> (40U - 8U * i));
    return iv;
  }

  // RFC 7714 §8.1 (RTP: 00 00 | SSRC | ROC | SEQ) and §9.1 (RTCP: 00 00 | SSRC | 00 00 |
  // 0 + index), XOR the 96-bit session salt.
  static std::array<std::uint8_t, kGcmIvLength> GcmIv(std::span<const std::uint8_t, kAesCmSaltLength> salt,
                                                      std::uint32_t ssrc, std::uint32_t high, std::uint32_t low,
                                                      bool rtcp) {
    std::array<std::uint8_t, kGcmIvLength> iv{};
    WriteUint32(iv.data() + 2, ssrc);
    if (rtcp) {
      WriteUint32(iv.data() + 8, low);
    } else {
      WriteUint32(iv.data() + 6, high);
      iv[10] = static_cast<std::uint8_t>(low >> 8U);
      iv[11] = static_cast<std::uint8_t>(low);
    }
    for (std::size_t i = 0; i < iv.size(); ++i) iv[i] ^= salt[i];
    return iv;
  }

  // In place over [from, to) of `packet`: AES-CTR from `iv`.
  static bool Counter(EVP_CIPHER_CTX* cipher, const std::array<std::uint8_t, kAesBlockLength>& iv, std::uint8_t* packet,
                      std::size_t from, std::size_t to) {
    int written = 0;
    if (EVP_EncryptInit_ex(cipher, nullptr, nullptr, nullptr, iv.data()) != 1) return false;
    return to == from ||
           EVP_EncryptUpdate(cipher, packet + from, &written, packet + from, static_cast<int>(to - from)) == 1;
  }

  // AES-GCM seal in place: `aad` parts authenticated, [from, to) encrypted, the tag
  // written at `tag`.
  static bool GcmSeal(EVP_CIPHER_CTX* cipher, const std::array<std::uint8_t, kGcmIvLength>& iv,
                      std::span<const std::uint8_t> aad, std::span<const std::uint8_t> aad_more, std::uint8_t* packet,
                      std::size_t from, std::size_t to, std::uint8_t* tag) {
    int written = 0;
    if (EVP_EncryptInit_ex(cipher, nullptr, nullptr, nullptr, iv.data()) != 1) return false;
    if (EVP_EncryptUpdate(cipher, nullptr, &written, aad.data(), static_cast<int>(aad.size())) != 1) return false;
    if (!aad_more.empty() &&
        EVP_EncryptUpdate(cipher, nullptr, &written, aad_more.data(), static_cast<int>(aad_more.size())) != 1) {
      return false;
    }
    if (to > from &&
        EVP_EncryptUpdate(cipher, packet + from, &written, packet + from, static_cast<int>(to - from)) != 1) {
      return false;
    }
    return EVP_EncryptFinal_ex(cipher, packet + to, &written) == 1 &&
           EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_GET_TAG, kGcmTagLength, tag) == 1;
  }

  // AES-GCM open in place; false when the tag does not verify.
  static bool GcmOpen(EVP_CIPHER_CTX* cipher, const std::array<std::uint8_t, kGcmIvLength>& iv,
                      std::span<const std::uint8_t> aad, std::span<const std::uint8_t> aad_more, std::uint8_t* packet,
                      std::size_t from, std::size_t to, std::uint8_t* tag) {
    int written = 0;
    if (EVP_DecryptInit_ex(cipher, nullptr, nullptr, nullptr, iv.data()) != 1) return false;
    if (EVP_DecryptUpdate(cipher, nullptr, &written, aad.data(), static_cast<int>(aad.size())) != 1) return false;
    if (!aad_more.empty() &&
        EVP_DecryptUpdate(cipher, nullptr, &written, aad_more.data(), static_cast<int>(aad_more.size())) != 1) {
      return false;
    }
    if (to > from &&
        EVP_DecryptUpdate(cipher, packet + from, &written, packet + from, static_cast<int>(to - from)) != 1) {
      return false;
    }
    return EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_TAG, kGcmTagLength, tag) == 1 &&
           EVP_DecryptFinal_ex(cipher, packet + to, &written) == 1;
  }
};

void SrtpSession::StateDeleter::operator()(State* state) const noexcept {
  delete state;
}

std::optional<SrtpSession> SrtpSession::Create(SrtpProfile profile, Direction direction,
                                               std::span<const std::uint8_t> master_key_and_salt,
                                               std::size_t max_streams) noexcept {
  const std::size_t key_length = SrtpMasterKeyLength(profile);
  const std::size_t salt_length = SrtpMasterSaltLength(profile);
  if (master_key_and_salt.size() != key_length + salt_length) return std::nullopt;
  const auto master_key = master_key_and_salt.first(key_length);
  const auto master_salt = master_key_and_salt.subspan(key_length);

  auto state = std::make_unique<State>();
  state->gcm = profile == SrtpProfile::kAeadAes128Gcm;
  const std::size_t default_max = direction == Direction::kInbound ? kSrtpMaxInboundStreams : kSrtpMaxOutboundStreams;
  state->max_streams = max_streams != 0 ? max_streams : default_max;
  const std::size_t preallocated = std::min(state->max_streams, kStreamsPreallocated);
  state->ssrcs.reserve(preallocated);
  state->streams.reserve(preallocated);
  std::array<std::uint8_t, kAes128KeyLength> rtp_key{};
  std::array<std::uint8_t, kAes128KeyLength> rtcp_key{};
  std::array<std::uint8_t, kHmacSha1KeyLength> auth_key{};
  bool ok = DeriveSessionKey(master_key, master_salt, kLabelRtpEncryption, rtp_key) &&
            DeriveSessionKey(master_key, master_salt, kLabelRtcpEncryption, rtcp_key) &&
            DeriveSessionKey(master_key, master_salt, kLabelRtpSalt, std::span(state->rtp_salt).first(salt_length)) &&
            DeriveSessionKey(master_key, master_salt, kLabelRtcpSalt, std::span(state->rtcp_salt).first(salt_length));
  if (ok && !state->gcm) {
    ok = DeriveSessionKey(master_key, master_salt, kLabelRtpAuthentication, auth_key);
    state->rtp_auth.SetKey(auth_key);
    ok = ok && DeriveSessionKey(master_key, master_salt, kLabelRtcpAuthentication, auth_key);
    state->rtcp_auth.SetKey(auth_key);
  }
  const EVP_CIPHER* cipher = state->gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
  // Counter mode is the same both ways; GCM's context is made for this session's direction.
  const bool encrypt = !state->gcm || direction == Direction::kOutbound;
  for (auto [context, key] : {std::pair{&state->rtp_cipher, &rtp_key}, std::pair{&state->rtcp_cipher, &rtcp_key}}) {
    context->reset(EVP_CIPHER_CTX_new());
    ok = ok && *context &&
         EVP_CipherInit_ex(context->get(), cipher, nullptr, key->data(), nullptr, encrypt ? 1 : 0) == 1;
  }
  OPENSSL_cleanse(rtp_key.data(), rtp_key.size());
  OPENSSL_cleanse(rtcp_key.data(), rtcp_key.size());
  OPENSSL_cleanse(auth_key.data(), auth_key.size());
  if (!ok) return std::nullopt;
  return SrtpSession(profile, direction, state.release());
}

std::size_t SrtpSession::stream_count() const noexcept {
  return state_ ? state_->streams.size() : 0;
}

std::optional<std::size_t> SrtpSession::Fail(SrtpError error) noexcept {
  last_error_ = error;
  return std::nullopt;
}

std::optional<std::size_t> SrtpSession::ProtectRtp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  if (!state_ || direction_ != Direction::kOutbound) return Fail(SrtpError::kWrongDirection);
  const std::size_t tag_length = SrtpRtpTrailerLength(profile_);
  if (length > buffer.size() || buffer.size() - length < tag_length) return Fail(SrtpError::kBufferTooSmall);
  const auto header = RtpHeaderLength(buffer, length);
  if (!header) return Fail(SrtpError::kMalformed);
  std::uint8_t* packet = buffer.data();
  const std::uint32_t ssrc = ReadUint32(packet + 8);
  const auto sequence = static_cast<std::uint16_t>(packet[2] << 8U | packet[3]);
  State& state = *state_;
  SrtpStream* stream = state.Find(ssrc);
  if (stream == nullptr && state.Full()) return Fail(SrtpError::kTooManyStreams);
  SrtpStream fresh{ssrc, {}, {}, 0};
  const auto index = EstimateIndex(stream != nullptr ? stream->rtp : fresh.rtp, sequence);
  // An identical retransmission inside the window is allowed (RFC 4585 §6.2.1 NACKs).
  if (!index || (stream != nullptr && stream->rtp.Check(*index) == ReplayWindow<kRtpReplayWindow>::Verdict::kTooOld)) {
    return Fail(SrtpError::kReplay);
  }
  const auto roc = static_cast<std::uint32_t>(*index >> 16U);
  bool ok = false;
  if (state.gcm) {
    const auto iv = State::GcmIv(state.rtp_salt, ssrc, roc, sequence, false);
    ok = State::GcmSeal(state.rtp_cipher.get(), iv, std::span<const std::uint8_t>(packet, *header), {}, packet, *header,
                        length, packet + length);
  } else {
    ok =
        State::Counter(state.rtp_cipher.get(), State::CounterIv(state.rtp_salt, ssrc, *index), packet, *header, length);
    std::array<std::uint8_t, 4> roc_bytes{};
    WriteUint32(roc_bytes.data(), roc);
    // RFC 3711 §4.2: the tag covers the authenticated portion and the ROC.
    const auto tag = state.rtp_auth.Compute(std::span<const std::uint8_t>(packet, length), roc_bytes);
    std::copy_n(tag.begin(), kHmacSha1TagLength, packet + length);
  }
  if (!ok) return Fail(SrtpError::kOther);
  if (stream == nullptr) stream = &state.Add(fresh);
  stream->rtp.Accept(*index);
  last_error_ = SrtpError::kNone;
  return length + tag_length;
}

std::optional<std::size_t> SrtpSession::UnprotectRtp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  if (!state_ || direction_ != Direction::kInbound) return Fail(SrtpError::kWrongDirection);
  if (length > buffer.size()) return Fail(SrtpError::kBufferTooSmall);
  const std::size_t tag_length = SrtpRtpTrailerLength(profile_);
  if (length < kRtpFixedHeaderLength + tag_length) return Fail(SrtpError::kMalformed);
  const std::size_t body_end = length - tag_length;
  const auto header = RtpHeaderLength(buffer, body_end);
  if (!header) return Fail(SrtpError::kMalformed);
  std::uint8_t* packet = buffer.data();
  const std::uint32_t ssrc = ReadUint32(packet + 8);
  const auto sequence = static_cast<std::uint16_t>(packet[2] << 8U | packet[3]);
  State& state = *state_;
  SrtpStream* stream = state.Find(ssrc);
  // Refused before any crypto: a peer cannot grow the session or its lookups.
  if (stream == nullptr && state.Full()) return Fail(SrtpError::kTooManyStreams);
  SrtpStream fresh{ssrc, {}, {}, 0};
  const ReplayWindow<kRtpReplayWindow>& window = stream != nullptr ? stream->rtp : fresh.rtp;
  const auto index = EstimateIndex(window, sequence);
  if (!index || window.Check(*index) != ReplayWindow<kRtpReplayWindow>::Verdict::kNew) {
    return Fail(SrtpError::kReplay);
  }
  const auto roc = static_cast<std::uint32_t>(*index >> 16U);
  if (state.gcm) {
    const auto iv = State::GcmIv(state.rtp_salt, ssrc, roc, sequence, false);
    if (!State::GcmOpen(state.rtp_cipher.get(), iv, std::span<const std::uint8_t>(packet, *header), {}, packet, *header,
                        body_end, packet + body_end)) {
      return Fail(SrtpError::kAuthentication);
    }
  } else {
    std::array<std::uint8_t, 4> roc_bytes{};
    WriteUint32(roc_bytes.data(), roc);
    const auto tag = state.rtp_auth.Compute(std::span<const std::uint8_t>(packet, body_end), roc_bytes);
    if (CRYPTO_memcmp(tag.data(), packet + body_end, kHmacSha1TagLength) != 0) {
      return Fail(SrtpError::kAuthentication);
    }
    if (!State::Counter(state.rtp_cipher.get(), State::CounterIv(state.rtp_salt, ssrc, *index), packet, *header,
                        body_end)) {
      return Fail(SrtpError::kOther);
    }
  }
  // Only an authenticated packet makes a stream or moves its window.
  if (stream == nullptr) stream = &state.Add(fresh);
  stream->rtp.Accept(*index);
  last_error_ = SrtpError::kNone;
  return body_end;
}

std::optional<std::size_t> SrtpSession::ProtectRtcp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  if (!state_ || direction_ != Direction::kOutbound) return Fail(SrtpError::kWrongDirection);
  const std::size_t trailer = SrtpRtcpTrailerLength(profile_);
  if (length > buffer.size() || buffer.size() - length < trailer) return Fail(SrtpError::kBufferTooSmall);
  if (length < kRtcpSenderPrefixLength) return Fail(SrtpError::kMalformed);
  std::uint8_t* packet = buffer.data();
  const std::uint32_t ssrc = ReadUint32(packet + 4);
  State& state = *state_;
  SrtpStream* stream = state.Find(ssrc);
  if (stream == nullptr) {
    if (state.Full()) return Fail(SrtpError::kTooManyStreams);
    stream = &state.Add(SrtpStream{ssrc, {}, {}, 0});
  }
  // RFC 3711 §3.3.2: the index must not repeat under one key.
  if (stream->rtcp_last_index == kSrtcpIndexMask) return Fail(SrtpError::kOther);
  const std::uint32_t index = ++stream->rtcp_last_index;
  std::array<std::uint8_t, kSrtcpIndexLength> word{};
  WriteUint32(word.data(), kSrtcpEncryptedFlag | index);
  bool ok = false;
  if (state.gcm) {
    // RFC 7714 §9: prefix | ciphertext | tag | E + index; the AAD is prefix and E + index.
    const auto iv = State::GcmIv(state.rtcp_salt, ssrc, 0, index, true);
    ok = State::GcmSeal(state.rtcp_cipher.get(), iv, std::span<const std::uint8_t>(packet, kRtcpSenderPrefixLength),
                        word, packet, kRtcpSenderPrefixLength, length, packet + length);
    std::copy(word.begin(), word.end(), packet + length + kGcmTagLength);
  } else {
    // RFC 3711 §3.4: prefix | ciphertext | E + index | tag over everything before it.
    ok = State::Counter(state.rtcp_cipher.get(), State::CounterIv(state.rtcp_salt, ssrc, index), packet,
                        kRtcpSenderPrefixLength, length);
    std::copy(word.begin(), word.end(), packet + length);
    const auto tag = state.rtcp_auth.Compute(std::span<const std::uint8_t>(packet, length + kSrtcpIndexLength), {});
    std::copy_n(tag.begin(), kHmacSha1TagLength, packet + length + kSrtcpIndexLength);
  }
  if (!ok) return Fail(SrtpError::kOther);
  last_error_ = SrtpError::kNone;
  return length + trailer;
}

std::optional<std::size_t> SrtpSession::UnprotectRtcp(std::span<std::uint8_t> buffer, std::size_t length) noexcept {
  if (!state_ || direction_ != Direction::kInbound) return Fail(SrtpError::kWrongDirection);
  if (length > buffer.size()) return Fail(SrtpError::kBufferTooSmall);
  const std::size_t trailer = SrtpRtcpTrailerLength(profile_);
  if (length < kRtcpSenderPrefixLength + trailer) return Fail(SrtpError::kMalformed);
  std::uint8_t* packet = buffer.data();
  const std::uint32_t ssrc = ReadUint32(packet + 4);
  State& state = *state_;
  const std::size_t body_end = length - trailer;
  // Where E + index sits: last for GCM, before the tag for AES-CM.
  std::uint8_t* word_at = state.gcm ? packet + length - kSrtcpIndexLength : packet + body_end;
  const std::uint32_t word = ReadUint32(word_at);
  const std::uint32_t index = word & kSrtcpIndexMask;
  const bool encrypted = (word & kSrtcpEncryptedFlag) != 0;
  SrtpStream* stream = state.Find(ssrc);
  if (stream == nullptr && state.Full()) return Fail(SrtpError::kTooManyStreams);
  if (stream != nullptr && stream->rtcp.Check(index) != ReplayWindow<kRtcpReplayWindow>::Verdict::kNew) {
    return Fail(SrtpError::kReplay);
  }
  if (state.gcm) {
    const auto iv = State::GcmIv(state.rtcp_salt, ssrc, 0, index, true);
    const std::span<const std::uint8_t> word_bytes(word_at, kSrtcpIndexLength);
    // RFC 7714 §9.2: without E, the whole packet is authenticated data and nothing is encrypted.
    const std::size_t clear_end = encrypted ? kRtcpSenderPrefixLength : body_end;
    if (!State::GcmOpen(state.rtcp_cipher.get(), iv, std::span<const std::uint8_t>(packet, clear_end), word_bytes,
                        packet, clear_end, body_end, packet + body_end)) {
      return Fail(SrtpError::kAuthentication);
    }
  } else {
    const std::size_t tag_at = length - kHmacSha1TagLength;
    const auto tag = state.rtcp_auth.Compute(std::span<const std::uint8_t>(packet, tag_at), {});
    if (CRYPTO_memcmp(tag.data(), packet + tag_at, kHmacSha1TagLength) != 0) return Fail(SrtpError::kAuthentication);
    if (encrypted && !State::Counter(state.rtcp_cipher.get(), State::CounterIv(state.rtcp_salt, ssrc, index), packet,
                                     kRtcpSenderPrefixLength, body_end)) {
      return Fail(SrtpError::kOther);
    }
  }
  if (stream == nullptr) stream = &state.Add(SrtpStream{ssrc, {}, {}, 0});
  stream->rtcp.Accept(index);
  last_error_ = SrtpError::kNone;
  return body_end;
}

}  // namespace egovbox::media
