// SrtpSession (on OpenSSL EVP) against libsrtp2 both ways: what one protects the
// other unprotects, byte for byte the same packet, for both profiles, RTP across the
// sequence number's wrap (the rollover counter, RFC 3711 §3.3.1) and SRTCP, and
// packets of both are identical for the same input. libsrtp2 is the reference here
// only; the product no longer uses it.
#include <gtest/gtest.h>
#include <srtp2/srtp.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/srtp_session.h"

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

// One libsrtp session configured as the product's SrtpSession used to be.
class LibSrtp {
 public:
  LibSrtp(SrtpProfile profile, bool outbound, std::span<const std::uint8_t> key_and_salt) {
    static const srtp_err_status_t initialised = srtp_init();
    EXPECT_EQ(initialised, srtp_err_status_ok);
    srtp_policy_t policy{};
    if (profile == SrtpProfile::kAeadAes128Gcm) {
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    } else {
      srtp_crypto_policy_set_rtp_default(&policy.rtp);
      srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
    }
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    key_.assign(key_and_salt.begin(), key_and_salt.end());
    policy.key = key_.data();
    policy.window_size = 1024;
    policy.allow_repeat_tx = outbound ? 1 : 0;
    EXPECT_EQ(srtp_create(&session_, &policy), srtp_err_status_ok);
  }
  ~LibSrtp() { srtp_dealloc(session_); }
  LibSrtp(const LibSrtp&) = delete;
  LibSrtp& operator=(const LibSrtp&) = delete;

  std::optional<Bytes> Protect(const Bytes& plain, bool rtcp) {
    Bytes buffer = plain;
    buffer.resize(plain.size() + SRTP_MAX_TRAILER_LEN);
    int length = static_cast<int>(plain.size());
    const auto status =
        rtcp ? srtp_protect_rtcp(session_, buffer.data(), &length) : srtp_protect(session_, buffer.data(), &length);
    if (status != srtp_err_status_ok) return std::nullopt;
    buffer.resize(static_cast<std::size_t>(length));
    return buffer;
  }
  std::optional<Bytes> Unprotect(const Bytes& packet, bool rtcp) {
    Bytes buffer = packet;
    int length = static_cast<int>(packet.size());
    const auto status =
        rtcp ? srtp_unprotect_rtcp(session_, buffer.data(), &length) : srtp_unprotect(session_, buffer.data(), &length);
    if (status != srtp_err_status_ok) return std::nullopt;
    buffer.resize(static_cast<std::size_t>(length));
    return buffer;
  }

 private:
  Bytes key_;
  srtp_t session_ = nullptr;
};

std::optional<Bytes> Ours(SrtpSession& session, const Bytes& packet, bool rtcp) {
  Bytes buffer = packet;
  buffer.resize(packet.size() + kSrtpMaxTrailerLength);
  const bool protect = session.direction() == SrtpSession::Direction::kOutbound;
  std::optional<std::size_t> length;
  if (protect) {
    length = rtcp ? session.ProtectRtcp(buffer, packet.size()) : session.ProtectRtp(buffer, packet.size());
  } else {
    length = rtcp ? session.UnprotectRtcp(buffer, packet.size()) : session.UnprotectRtp(buffer, packet.size());
  }
  if (!length) return std::nullopt;
  buffer.resize(*length);
  return buffer;
}

// An RTP packet, with a one-byte header extension on odd sequence numbers and a CSRC
// on every fifth, so the header's length varies.
Bytes Rtp(std::uint32_t ssrc, std::uint16_t sequence, std::size_t payload) {
  const bool extension = sequence % 2 == 1;
  const bool csrc = sequence % 5 == 0;
  Bytes packet = {static_cast<std::uint8_t>(0x80U | (extension ? 0x10U : 0U) | (csrc ? 1U : 0U)),
                  0x60,
                  static_cast<std::uint8_t>(sequence >> 8U),
                  static_cast<std::uint8_t>(sequence),
                  0x12,
                  0x34,
                  static_cast<std::uint8_t>(sequence >> 8U),
                  static_cast<std::uint8_t>(sequence),
                  static_cast<std::uint8_t>(ssrc >> 24U),
                  static_cast<std::uint8_t>(ssrc >> 16U),
                  static_cast<std::uint8_t>(ssrc >> 8U),
                  static_cast<std::uint8_t>(ssrc)};
  if (csrc) packet.insert(packet.end(), {0xAA, 0xBB, 0xCC, 0xDD});
  if (extension) packet.insert(packet.end(), {0xBE, 0xDE, 0x00, 0x01, 0x22, 0x01, 0x02, 0x03});
  for (std::size_t i = 0; i < payload; ++i) packet.push_back(static_cast<std::uint8_t>(i * 7 + sequence));
  return packet;
}

Bytes Rtcp(std::uint32_t ssrc, std::uint8_t count) {
  Bytes packet = {0x80,
                  200,
                  0x00,
                  0x06,
                  static_cast<std::uint8_t>(ssrc >> 24U),
                  static_cast<std::uint8_t>(ssrc >> 16U),
                  static_cast<std::uint8_t>(ssrc >> 8U),
                  static_cast<std::uint8_t>(ssrc)};
  for (std::size_t i = 0; i < 20; ++i) packet.push_back(static_cast<std::uint8_t>(count * 11 + i));
  return packet;
}

Bytes Key(SrtpProfile profile) {
  Bytes key(SrtpMasterKeyLength(profile) + SrtpMasterSaltLength(profile));
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0x9D + i * 17);
  return key;
}

class SrtpLibSrtpInteropTest : public testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpProfile profile() const { return GetParam(); }
  Bytes key_ = Key(GetParam());
};

// The sequence numbers of a stream that starts just before the wrap and runs past it.
std::vector<std::uint16_t> AcrossTheWrap() {
  std::vector<std::uint16_t> sequences;
  for (std::uint32_t i = 65520; i < 65536 + 40; ++i) sequences.push_back(static_cast<std::uint16_t>(i));
  return sequences;
}

TEST_P(SrtpLibSrtpInteropTest, OursProtectsWhatLibSrtpUnprotectsAcrossTheRollover) {
  auto ours = SrtpSession::Create(profile(), SrtpSession::Direction::kOutbound, key_);
  ASSERT_TRUE(ours);
  LibSrtp theirs(profile(), false, key_);
  LibSrtp theirs_sender(profile(), true, key_);
  for (const std::uint32_t ssrc : {0x11111111U, 0xCAFEBABEU}) {
    for (const std::uint16_t sequence : AcrossTheWrap()) {
      const Bytes plain = Rtp(ssrc, sequence, 30 + sequence % 1100);
      const auto protected_packet = Ours(*ours, plain, false);
      ASSERT_TRUE(protected_packet) << sequence;
      // The same bytes as libsrtp makes of the same packet.
      EXPECT_EQ(protected_packet, theirs_sender.Protect(plain, false)) << sequence;
      EXPECT_EQ(theirs.Unprotect(*protected_packet, false), plain) << "ssrc " << ssrc << " sequence " << sequence;
    }
  }
}

TEST_P(SrtpLibSrtpInteropTest, OursUnprotectsWhatLibSrtpProtectsAcrossTheRollover) {
  LibSrtp theirs(profile(), true, key_);
  auto ours = SrtpSession::Create(profile(), SrtpSession::Direction::kInbound, key_);
  ASSERT_TRUE(ours);
  for (const std::uint32_t ssrc : {0x22222222U, 0x0BADF00DU}) {
    const auto sequences = AcrossTheWrap();
    std::vector<Bytes> sent;
    for (const std::uint16_t sequence : sequences) {
      const auto protected_packet = theirs.Protect(Rtp(ssrc, sequence, 1100), false);
      ASSERT_TRUE(protected_packet);
      sent.push_back(*protected_packet);
    }
    // In order, except two pairs swapped around the wrap: reordering inside the window.
    std::swap(sent[14], sent[17]);
    std::swap(sent[20], sent[21]);
    for (const Bytes& packet : sent) {
      const auto plain = Ours(*ours, packet, false);
      ASSERT_TRUE(plain) << "error " << static_cast<int>(ours->last_error());
      const auto sequence = static_cast<std::uint16_t>((*plain)[2] << 8U | (*plain)[3]);
      EXPECT_EQ(*plain, Rtp(ssrc, sequence, 1100));
    }
    // And each of them again is a replay.
    EXPECT_FALSE(Ours(*ours, sent[30], false));
    EXPECT_EQ(ours->last_error(), SrtpError::kReplay);
  }
}

TEST_P(SrtpLibSrtpInteropTest, SrtcpWorksBothWays) {
  auto ours_out = SrtpSession::Create(profile(), SrtpSession::Direction::kOutbound, key_);
  auto ours_in = SrtpSession::Create(profile(), SrtpSession::Direction::kInbound, key_);
  ASSERT_TRUE(ours_out && ours_in);
  LibSrtp theirs_in(profile(), false, key_);
  LibSrtp theirs_out(profile(), true, key_);
  for (std::uint8_t count = 1; count <= 20; ++count) {
    const Bytes report = Rtcp(0x33333333U + count % 3, count);
    const auto from_ours = Ours(*ours_out, report, true);
    ASSERT_TRUE(from_ours);
    EXPECT_EQ(from_ours, theirs_out.Protect(report, true)) << static_cast<int>(count);
    EXPECT_EQ(theirs_in.Unprotect(*from_ours, true), report) << static_cast<int>(count);
    const auto from_theirs = theirs_out.Protect(Rtcp(0x44444444U, count), true);
    ASSERT_TRUE(from_theirs);
    EXPECT_EQ(Ours(*ours_in, *from_theirs, true), Rtcp(0x44444444U, count)) << static_cast<int>(count);
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpLibSrtpInteropTest,
                         testing::Values(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpProfile::kAeadAes128Gcm),
                         [](const testing::TestParamInfo<SrtpProfile>& info) {
                           return info.param == SrtpProfile::kAeadAes128Gcm ? std::string("AeadAes128Gcm")
                                                                            : std::string("Aes128CmHmacSha1Tag80");
                         });

}  // namespace
}  // namespace egovbox::media
