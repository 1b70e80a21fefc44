#include "media/srtp_session.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes FromHex(std::string_view hex) {
  Bytes bytes;
  int high = -1;
  for (const char c : hex) {
    int nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      nibble = c - 'A' + 10;
    } else {
      continue;  // spaces between groups
    }
    if (high < 0) {
      high = nibble;
    } else {
      bytes.push_back(static_cast<std::uint8_t>(high << 4 | nibble));
      high = -1;
    }
  }
  return bytes;
}

Bytes Concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  Bytes joined;
  for (const auto part : parts) joined.insert(joined.end(), part.begin(), part.end());
  return joined;
}

Bytes Uint32(std::uint32_t value) {
  return {static_cast<std::uint8_t>(value >> 24U), static_cast<std::uint8_t>(value >> 16U),
          static_cast<std::uint8_t>(value >> 8U), static_cast<std::uint8_t>(value)};
}

std::uint32_t ReadUint32(const std::uint8_t* at) {
  return std::uint32_t{at[0]} << 24U | std::uint32_t{at[1]} << 16U | std::uint32_t{at[2]} << 8U | at[3];
}

// ---------------------------------------------------------------------------------
// An independent SRTP reference on OpenSSL's primitives, written from RFC 3711 and
// RFC 7714 and checked against their appendix vectors below. The libsrtp-backed
// SrtpSession is then compared byte for byte with it.

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

Bytes AesCtr(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv, std::span<const std::uint8_t> data) {
  const CipherContext context(EVP_CIPHER_CTX_new());
  Bytes out(data.size() + 16);
  int written = 0;
  int final_written = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(context.get(), EVP_aes_128_ctr(), nullptr, key.data(), iv.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(context.get(), out.data(), &written, data.data(), static_cast<int>(data.size())), 1);
  EXPECT_EQ(EVP_EncryptFinal_ex(context.get(), out.data() + written, &final_written), 1);
  out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written));
  return out;
}

// AES-128-GCM: ciphertext followed by the 16-byte tag.
Bytes AesGcmSeal(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                 std::span<const std::uint8_t> plaintext) {
  const CipherContext context(EVP_CIPHER_CTX_new());
  Bytes out(plaintext.size() + 16);
  int written = 0;
  int ignored = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(context.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr), 1);
  EXPECT_EQ(EVP_EncryptInit_ex(context.get(), nullptr, nullptr, key.data(), iv.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(context.get(), nullptr, &ignored, aad.data(), static_cast<int>(aad.size())), 1);
  EXPECT_EQ(
      EVP_EncryptUpdate(context.get(), out.data(), &written, plaintext.data(), static_cast<int>(plaintext.size())), 1);
  EXPECT_EQ(EVP_EncryptFinal_ex(context.get(), out.data() + written, &ignored), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + plaintext.size()), 1);
  return out;
}

Bytes HmacSha1(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  EXPECT_NE(HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &length),
            nullptr);
  out.resize(length);
  return out;
}

// RFC 3711 §4.3.1 with key derivation rate 0: x = (label << 48) XOR master_salt,
// the session key is the AES-CM keystream under the master key from IV x * 2^16.
// A 96-bit GCM master salt is first multiplied by 2^16 (RFC 7714 §11, erratum 4938).
Bytes DeriveSessionKey(std::span<const std::uint8_t> master_key, std::span<const std::uint8_t> master_salt,
                       std::uint8_t label, std::size_t length) {
  std::array<std::uint8_t, 16> iv{};
  std::copy(master_salt.begin(), master_salt.end(), iv.begin());
  iv[7] ^= label;
  return AesCtr(master_key, iv, Bytes(length, 0));
}

// RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), where i is the
// 48-bit packet index for SRTP and the 31-bit SRTCP index for SRTCP.
Bytes AesCmIv(std::span<const std::uint8_t> session_salt, std::uint32_t ssrc, std::uint64_t index) {
  Bytes iv(16, 0);
  std::copy(session_salt.begin(), session_salt.end(), iv.begin());
  for (int i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<std::uint8_t>(ssrc >> (24U - 8U * i));
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<std::uint8_t>(index >> (40U - 8U * i));
  return iv;
}

// RFC 7714 §8.1: 00 00 | SSRC | ROC | SEQ, XOR the 96-bit session salt.
Bytes GcmRtpIv(std::span<const std::uint8_t> session_salt, std::uint32_t ssrc, std::uint32_t roc,
               std::uint16_t sequence) {
  Bytes iv = Concat({Bytes{0, 0}, Uint32(ssrc), Uint32(roc),
                     Bytes{static_cast<std::uint8_t>(sequence >> 8U), static_cast<std::uint8_t>(sequence)}});
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] ^= session_salt[i];
  return iv;
}

// RFC 7714 §9.1: 00 00 | SSRC | 00 00 | 0 + 31-bit SRTCP index, XOR the session salt.
Bytes GcmRtcpIv(std::span<const std::uint8_t> session_salt, std::uint32_t ssrc, std::uint32_t index) {
  Bytes iv = Concat({Bytes{0, 0}, Uint32(ssrc), Bytes{0, 0}, Uint32(index & 0x7FFFFFFFU)});
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] ^= session_salt[i];
  return iv;
}

constexpr std::size_t kRtpHeader = 12;  // the test packets carry no CSRC and no extension
constexpr std::size_t kRtcpPrefix = 8;  // RFC 3711 §3.4: header and sender SSRC stay clear
constexpr std::uint32_t kEncryptedFlag = 0x80000000U;

// RFC 3711 §3.1, §4.1, §4.2: header | AES-CM(payload) | HMAC-SHA1(header | payload' | ROC)[0..10).
Bytes ReferenceAesCmSrtp(std::span<const std::uint8_t> master_key, std::span<const std::uint8_t> master_salt,
                         std::span<const std::uint8_t> rtp, std::uint32_t roc) {
  const Bytes key = DeriveSessionKey(master_key, master_salt, 0x00, 16);
  const Bytes auth_key = DeriveSessionKey(master_key, master_salt, 0x01, 20);
  const Bytes salt = DeriveSessionKey(master_key, master_salt, 0x02, 14);
  const std::uint16_t sequence = static_cast<std::uint16_t>(rtp[2] << 8U | rtp[3]);
  const std::uint64_t index = std::uint64_t{roc} << 16U | sequence;
  const Bytes iv = AesCmIv(salt, ReadUint32(rtp.data() + 8), index);
  Bytes out = Concat({rtp.first(kRtpHeader), AesCtr(key, iv, rtp.subspan(kRtpHeader))});
  const Bytes tag = HmacSha1(auth_key, Concat({out, Uint32(roc)}));
  out.insert(out.end(), tag.begin(), tag.begin() + 10);
  return out;
}

// RFC 3711 §3.4: first 8 bytes | AES-CM(rest) | E + index | HMAC-SHA1(all before)[0..10).
Bytes ReferenceAesCmSrtcp(std::span<const std::uint8_t> master_key, std::span<const std::uint8_t> master_salt,
                          std::span<const std::uint8_t> rtcp, std::uint32_t index) {
  const Bytes key = DeriveSessionKey(master_key, master_salt, 0x03, 16);
  const Bytes auth_key = DeriveSessionKey(master_key, master_salt, 0x04, 20);
  const Bytes salt = DeriveSessionKey(master_key, master_salt, 0x05, 14);
  const Bytes iv = AesCmIv(salt, ReadUint32(rtcp.data() + 4), index);
  Bytes out =
      Concat({rtcp.first(kRtcpPrefix), AesCtr(key, iv, rtcp.subspan(kRtcpPrefix)), Uint32(kEncryptedFlag | index)});
  const Bytes tag = HmacSha1(auth_key, out);
  out.insert(out.end(), tag.begin(), tag.begin() + 10);
  return out;
}

// RFC 7714 §8.2: header | AES-GCM(payload) with the header as AAD, tag appended.
Bytes ReferenceGcmSrtp(std::span<const std::uint8_t> master_key, std::span<const std::uint8_t> master_salt,
                       std::span<const std::uint8_t> rtp, std::uint32_t roc) {
  const Bytes key = DeriveSessionKey(master_key, master_salt, 0x00, 16);
  const Bytes salt = DeriveSessionKey(master_key, master_salt, 0x02, 12);
  const std::uint16_t sequence = static_cast<std::uint16_t>(rtp[2] << 8U | rtp[3]);
  const Bytes iv = GcmRtpIv(salt, ReadUint32(rtp.data() + 8), roc, sequence);
  return Concat({rtp.first(kRtpHeader), AesGcmSeal(key, iv, rtp.first(kRtpHeader), rtp.subspan(kRtpHeader))});
}

// RFC 7714 §9: first 8 bytes | AES-GCM(rest) + tag | E + index; the AAD is the first
// 8 bytes followed by E + index.
Bytes ReferenceGcmSrtcp(std::span<const std::uint8_t> master_key, std::span<const std::uint8_t> master_salt,
                        std::span<const std::uint8_t> rtcp, std::uint32_t index) {
  const Bytes key = DeriveSessionKey(master_key, master_salt, 0x03, 16);
  const Bytes salt = DeriveSessionKey(master_key, master_salt, 0x05, 12);
  const Bytes iv = GcmRtcpIv(salt, ReadUint32(rtcp.data() + 4), index);
  const Bytes trailer = Uint32(kEncryptedFlag | index);
  const Bytes aad = Concat({rtcp.first(kRtcpPrefix), trailer});
  return Concat({rtcp.first(kRtcpPrefix), AesGcmSeal(key, iv, aad, rtcp.subspan(kRtcpPrefix)), trailer});
}

// RFC 3711 Appendix B.3 master key and salt; the session keys are listed there.
const Bytes kRfc3711MasterKey = FromHex("E1F97A0D3E018BE0D64FA32C06DE4139");
const Bytes kRfc3711MasterSalt = FromHex("0EC675AD498AFEEBB6960B3AABE6");
// RFC 7714 §16's key and salt ("Quid pro quo"); used here as a GCM master key.
const Bytes kRfc7714Key = FromHex("000102030405060708090a0b0c0d0e0f");
const Bytes kRfc7714Salt = FromHex("517569642070726f2071756f");

TEST(SrtpReferenceTest, DerivesTheRfc3711AppendixB3SessionKeys) {
  EXPECT_EQ(DeriveSessionKey(kRfc3711MasterKey, kRfc3711MasterSalt, 0x00, 16),
            FromHex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(DeriveSessionKey(kRfc3711MasterKey, kRfc3711MasterSalt, 0x02, 14), FromHex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(DeriveSessionKey(kRfc3711MasterKey, kRfc3711MasterSalt, 0x01, 20),
            FromHex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpReferenceTest, ProducesTheRfc3711AppendixB2Keystream) {
  // Session salt F0..FD with SSRC 0 and index 0: the IV is the salt times 2^16.
  const Bytes key = FromHex("2B7E151628AED2A6ABF7158809CF4F3C");
  const Bytes iv = AesCmIv(FromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0, 0);
  EXPECT_EQ(iv, FromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"));
  EXPECT_EQ(AesCtr(key, iv, Bytes(48, 0)), FromHex("E03EAD0935C95E80E166B16DD92B4EB4"
                                                   "D23513162B02D0F72A43A2FE4A5F97AB"
                                                   "41E95B3BB0A2E8DD477901E4FCA894C0"));
}

TEST(SrtpReferenceTest, ProducesTheRfc7714Section16GcmPacket) {
  // RFC 7714 §16.1.1: session key and salt given directly, ROC 0.
  const Bytes rtp = FromHex(
      "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 "
      "6573");
  const Bytes iv = GcmRtpIv(kRfc7714Salt, 0x5501a0b2, 0, 0xf17b);
  EXPECT_EQ(iv, FromHex("51753c6580c2726f20718414"));
  const std::span<const std::uint8_t> header(rtp.data(), kRtpHeader);
  EXPECT_EQ(Concat({header, AesGcmSeal(kRfc7714Key, iv, header, std::span(rtp).subspan(kRtpHeader))}),
            FromHex("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a "
                    "51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce"));
  // RFC 7714 §17.1: SRTCP IV for SSRC "Mars" and SRTCP index 0x5d4.
  EXPECT_EQ(GcmRtcpIv(kRfc7714Salt, 0x4d617273, 0x5d4), FromHex("517524055203726f207170bb"));
}

// ---------------------------------------------------------------------------------
// Packets and sessions for the tests of SrtpSession.

Bytes RtpPacket(std::uint32_t ssrc, std::uint16_t sequence, std::size_t payload_size) {
  Bytes packet =
      Concat({Bytes{0x80, 0x60, static_cast<std::uint8_t>(sequence >> 8U), static_cast<std::uint8_t>(sequence)},
              Uint32(std::uint32_t{sequence} * 3000), Uint32(ssrc)});
  for (std::size_t i = 0; i < payload_size; ++i) packet.push_back(static_cast<std::uint8_t>(i * 31 + sequence));
  return packet;
}

// RFC 3550 §6.4.1: a sender report without report blocks, 28 bytes.
Bytes RtcpSenderReport(std::uint32_t ssrc, std::uint32_t packet_count) {
  return Concat({Bytes{0x80, 200, 0x00, 0x06}, Uint32(ssrc), Uint32(0xE8F0A1B2), Uint32(0x12345678),
                 Uint32(packet_count * 3000), Uint32(packet_count), Uint32(packet_count * 1100)});
}

Bytes MasterKeyAndSalt(SrtpProfile profile, std::uint8_t seed) {
  Bytes key(SrtpMasterKeyLength(profile) + SrtpMasterSaltLength(profile));
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(seed + i * 13);
  return key;
}

SrtpSession MakeSession(SrtpProfile profile, SrtpSession::Direction direction, std::span<const std::uint8_t> key) {
  std::optional<SrtpSession> session = SrtpSession::Create(profile, direction, key);
  EXPECT_TRUE(session.has_value());
  return std::move(session).value();
}

constexpr std::uint8_t kCanary = 0x5A;
constexpr std::size_t kCanaryLength = 64;

// A packet in a buffer with exactly `room` bytes after it, then canary bytes the
// transform must not touch.
struct Buffer {
  Buffer(std::span<const std::uint8_t> packet, std::size_t room) : length(packet.size()), usable(packet.size() + room) {
    bytes.assign(usable + kCanaryLength, kCanary);
    std::copy(packet.begin(), packet.end(), bytes.begin());
  }
  std::span<std::uint8_t> span() { return std::span(bytes).first(usable); }
  Bytes packet() const { return Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)); }
  bool CanaryIntact() const {
    return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(usable), bytes.end(),
                       [](std::uint8_t byte) { return byte == kCanary; });
  }

  Bytes bytes;
  std::size_t length;
  std::size_t usable;
};

// Protects `packet` on `sender` with exactly the trailer's room; empty on failure.
Bytes Protect(SrtpSession& sender, std::span<const std::uint8_t> packet, bool rtcp) {
  const std::size_t room = rtcp ? SrtpRtcpTrailerLength(sender.profile()) : SrtpRtpTrailerLength(sender.profile());
  Buffer buffer(packet, room);
  const auto length =
      rtcp ? sender.ProtectRtcp(buffer.span(), buffer.length) : sender.ProtectRtp(buffer.span(), buffer.length);
  EXPECT_TRUE(buffer.CanaryIntact());
  if (!length) return {};
  buffer.length = *length;
  return buffer.packet();
}

std::optional<Bytes> Unprotect(SrtpSession& receiver, std::span<const std::uint8_t> packet, bool rtcp) {
  Buffer buffer(packet, 0);
  const auto length =
      rtcp ? receiver.UnprotectRtcp(buffer.span(), buffer.length) : receiver.UnprotectRtp(buffer.span(), buffer.length);
  EXPECT_TRUE(buffer.CanaryIntact());
  if (!length) return std::nullopt;
  buffer.length = *length;
  return buffer.packet();
}

// ---------------------------------------------------------------------------------

TEST(SrtpSessionTest, MapsOpenSslProfileNames) {
  EXPECT_EQ(SrtpProfileFromDtlsName("SRTP_AES128_CM_SHA1_80"), SrtpProfile::kAes128CmHmacSha1Tag80);
  EXPECT_EQ(SrtpProfileFromDtlsName("SRTP_AEAD_AES_128_GCM"), SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(SrtpProfileFromDtlsName("SRTP_AES128_CM_SHA1_32"), std::nullopt);
  EXPECT_EQ(SrtpProfileFromDtlsName("SRTP_AEAD_AES_256_GCM"), std::nullopt);
  EXPECT_EQ(SrtpProfileFromDtlsName(""), std::nullopt);
  EXPECT_EQ(SrtpProfileDtlsName(SrtpProfile::kAes128CmHmacSha1Tag80), "SRTP_AES128_CM_SHA1_80");
  EXPECT_EQ(SrtpProfileDtlsName(SrtpProfile::kAeadAes128Gcm), "SRTP_AEAD_AES_128_GCM");
}

TEST(SrtpSessionTest, ReportsKeyAndTrailerLengths) {
  EXPECT_EQ(SrtpMasterKeyLength(SrtpProfile::kAes128CmHmacSha1Tag80), 16U);
  EXPECT_EQ(SrtpMasterSaltLength(SrtpProfile::kAes128CmHmacSha1Tag80), 14U);
  EXPECT_EQ(SrtpKeyingMaterialLength(SrtpProfile::kAes128CmHmacSha1Tag80), 60U);
  EXPECT_EQ(SrtpRtpTrailerLength(SrtpProfile::kAes128CmHmacSha1Tag80), 10U);
  EXPECT_EQ(SrtpRtcpTrailerLength(SrtpProfile::kAes128CmHmacSha1Tag80), 14U);
  EXPECT_EQ(SrtpMasterKeyLength(SrtpProfile::kAeadAes128Gcm), 16U);
  EXPECT_EQ(SrtpMasterSaltLength(SrtpProfile::kAeadAes128Gcm), 12U);
  EXPECT_EQ(SrtpKeyingMaterialLength(SrtpProfile::kAeadAes128Gcm), 56U);
  EXPECT_EQ(SrtpRtpTrailerLength(SrtpProfile::kAeadAes128Gcm), 16U);
  EXPECT_EQ(SrtpRtcpTrailerLength(SrtpProfile::kAeadAes128Gcm), 20U);
  EXPECT_EQ(kSrtpMaxTrailerLength, 20U);
}

TEST(SrtpSessionTest, SplitsAesCmKeyingMaterialByRole) {
  // RFC 5764 §4.2: client key 0..15 | server key 16..31 | client salt 32..45 | server salt 46..59.
  Bytes material(60);
  for (std::size_t i = 0; i < material.size(); ++i) material[i] = static_cast<std::uint8_t>(i);
  const auto range = [](int first, int count) {
    Bytes bytes;
    for (int i = first; i < first + count; ++i) bytes.push_back(static_cast<std::uint8_t>(i));
    return bytes;
  };
  const Bytes client = Concat({range(0, 16), range(32, 14)});
  const Bytes server = Concat({range(16, 16), range(46, 14)});

  const auto as_client = SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAes128CmHmacSha1Tag80, material, true);
  ASSERT_TRUE(as_client.has_value());
  EXPECT_EQ(as_client->local_key_and_salt, client);
  EXPECT_EQ(as_client->remote_key_and_salt, server);

  const auto as_server = SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAes128CmHmacSha1Tag80, material, false);
  ASSERT_TRUE(as_server.has_value());
  EXPECT_EQ(as_server->local_key_and_salt, server);
  EXPECT_EQ(as_server->remote_key_and_salt, client);
}

TEST(SrtpSessionTest, SplitsGcmKeyingMaterialByRole) {
  // client key 0..15 | server key 16..31 | client salt 32..43 | server salt 44..55.
  Bytes material(56);
  for (std::size_t i = 0; i < material.size(); ++i) material[i] = static_cast<std::uint8_t>(0xA0 + i);
  const Bytes client = Concat({std::span(material).subspan(0, 16), std::span(material).subspan(32, 12)});
  const Bytes server = Concat({std::span(material).subspan(16, 16), std::span(material).subspan(44, 12)});

  const auto as_client = SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAeadAes128Gcm, material, true);
  ASSERT_TRUE(as_client.has_value());
  EXPECT_EQ(as_client->local_key_and_salt, client);
  EXPECT_EQ(as_client->remote_key_and_salt, server);
  const auto as_server = SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAeadAes128Gcm, material, false);
  ASSERT_TRUE(as_server.has_value());
  EXPECT_EQ(as_server->local_key_and_salt, server);
  EXPECT_EQ(as_server->remote_key_and_salt, client);
}

TEST(SrtpSessionTest, RefusesKeyingMaterialOfTheWrongLength) {
  EXPECT_FALSE(SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAeadAes128Gcm, Bytes(60), true));
  EXPECT_FALSE(SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAes128CmHmacSha1Tag80, Bytes(56), false));
  EXPECT_FALSE(SplitDtlsSrtpKeyingMaterial(SrtpProfile::kAes128CmHmacSha1Tag80, {}, false));
}

TEST(SrtpSessionTest, RefusesAMasterKeyOfTheWrongLength) {
  EXPECT_FALSE(SrtpSession::Create(SrtpProfile::kAeadAes128Gcm, SrtpSession::Direction::kInbound, Bytes(30)));
  EXPECT_FALSE(SrtpSession::Create(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpSession::Direction::kOutbound, Bytes(28)));
  EXPECT_FALSE(SrtpSession::Create(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpSession::Direction::kOutbound, {}));
}

// The known answers: libsrtp's output equals the reference above, byte for byte.

TEST(SrtpSessionTest, AesCmProtectRtpMatchesTheReference) {
  const Bytes master = Concat({kRfc3711MasterKey, kRfc3711MasterSalt});
  SrtpSession sender = MakeSession(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpSession::Direction::kOutbound, master);
  const Bytes first = RtpPacket(0xCAFEBABE, 0xFFFF, 45);
  EXPECT_EQ(Protect(sender, first, false), ReferenceAesCmSrtp(kRfc3711MasterKey, kRfc3711MasterSalt, first, 0));
  // The sequence number wraps: the rollover counter is now 1 (RFC 3711 §3.3.1) and
  // enters both the IV and the authenticated data.
  const Bytes second = RtpPacket(0xCAFEBABE, 0x0000, 160);
  EXPECT_EQ(Protect(sender, second, false), ReferenceAesCmSrtp(kRfc3711MasterKey, kRfc3711MasterSalt, second, 1));
}

TEST(SrtpSessionTest, AesCmProtectRtcpMatchesTheReference) {
  const Bytes master = Concat({kRfc3711MasterKey, kRfc3711MasterSalt});
  SrtpSession sender = MakeSession(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpSession::Direction::kOutbound, master);
  // libsrtp numbers the first SRTCP packet of a stream 1, then counts up.
  for (std::uint32_t index = 1; index <= 2; ++index) {
    const Bytes report = RtcpSenderReport(0xDECAFBAD, index);
    EXPECT_EQ(Protect(sender, report, true), ReferenceAesCmSrtcp(kRfc3711MasterKey, kRfc3711MasterSalt, report, index));
  }
}

TEST(SrtpSessionTest, GcmProtectRtpMatchesTheReference) {
  const Bytes master = Concat({kRfc7714Key, kRfc7714Salt});
  SrtpSession sender = MakeSession(SrtpProfile::kAeadAes128Gcm, SrtpSession::Direction::kOutbound, master);
  const Bytes first = RtpPacket(0x5501A0B2, 0xFFFF, 38);
  EXPECT_EQ(Protect(sender, first, false), ReferenceGcmSrtp(kRfc7714Key, kRfc7714Salt, first, 0));
  const Bytes second = RtpPacket(0x5501A0B2, 0x0000, 1100);
  EXPECT_EQ(Protect(sender, second, false), ReferenceGcmSrtp(kRfc7714Key, kRfc7714Salt, second, 1));
}

TEST(SrtpSessionTest, GcmProtectRtcpMatchesTheReference) {
  const Bytes master = Concat({kRfc7714Key, kRfc7714Salt});
  SrtpSession sender = MakeSession(SrtpProfile::kAeadAes128Gcm, SrtpSession::Direction::kOutbound, master);
  for (std::uint32_t index = 1; index <= 2; ++index) {
    const Bytes report = RtcpSenderReport(0x4D617273, index);
    EXPECT_EQ(Protect(sender, report, true), ReferenceGcmSrtcp(kRfc7714Key, kRfc7714Salt, report, index));
  }
}

TEST(SrtpSessionTest, UnprotectsThePacketsOfTheReference) {
  // The other way round: what the reference protects, libsrtp accepts and restores.
  const Bytes rtp = RtpPacket(0x01020304, 1000, 200);
  const Bytes rtcp = RtcpSenderReport(0x01020304, 7);
  {
    const Bytes master = Concat({kRfc3711MasterKey, kRfc3711MasterSalt});
    SrtpSession receiver = MakeSession(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpSession::Direction::kInbound, master);
    EXPECT_EQ(Unprotect(receiver, ReferenceAesCmSrtp(kRfc3711MasterKey, kRfc3711MasterSalt, rtp, 0), false), rtp);
    EXPECT_EQ(Unprotect(receiver, ReferenceAesCmSrtcp(kRfc3711MasterKey, kRfc3711MasterSalt, rtcp, 7), true), rtcp);
  }
  {
    const Bytes master = Concat({kRfc7714Key, kRfc7714Salt});
    SrtpSession receiver = MakeSession(SrtpProfile::kAeadAes128Gcm, SrtpSession::Direction::kInbound, master);
    EXPECT_EQ(Unprotect(receiver, ReferenceGcmSrtp(kRfc7714Key, kRfc7714Salt, rtp, 0), false), rtp);
    EXPECT_EQ(Unprotect(receiver, ReferenceGcmSrtcp(kRfc7714Key, kRfc7714Salt, rtcp, 7), true), rtcp);
  }
}

// Behaviour common to both profiles.

class SrtpSessionProfileTest : public testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpProfile profile() const { return GetParam(); }
  Bytes key_ = MasterKeyAndSalt(GetParam(), 0x31);
  SrtpSession sender_ = MakeSession(GetParam(), SrtpSession::Direction::kOutbound, key_);
  SrtpSession receiver_ = MakeSession(GetParam(), SrtpSession::Direction::kInbound, key_);
};

TEST_P(SrtpSessionProfileTest, RtpRoundTripRestoresThePacket) {
  for (const std::size_t payload : {0U, 1U, 15U, 16U, 17U, 1100U}) {
    const Bytes packet = RtpPacket(0x11223344, static_cast<std::uint16_t>(500 + payload), payload);
    const Bytes protected_packet = Protect(sender_, packet, false);
    ASSERT_EQ(protected_packet.size(), packet.size() + SrtpRtpTrailerLength(profile()));
    EXPECT_TRUE(std::equal(packet.begin(), packet.begin() + kRtpHeader, protected_packet.begin()));
    if (payload >= 4) {
      EXPECT_FALSE(std::equal(packet.begin() + kRtpHeader, packet.end(), protected_packet.begin() + kRtpHeader));
    }
    EXPECT_EQ(Unprotect(receiver_, protected_packet, false), packet);
    EXPECT_EQ(receiver_.last_error(), SrtpError::kNone);
  }
}

TEST_P(SrtpSessionProfileTest, RtcpRoundTripRestoresThePacket) {
  for (std::uint32_t count = 1; count <= 3; ++count) {
    const Bytes packet = RtcpSenderReport(0x55667788, count);
    const Bytes protected_packet = Protect(sender_, packet, true);
    ASSERT_EQ(protected_packet.size(), packet.size() + kSrtcpIndexLength + SrtpAuthTagLength(profile()));
    EXPECT_EQ(Unprotect(receiver_, protected_packet, true), packet);
  }
}

TEST_P(SrtpSessionProfileTest, OneSessionServesEverySsrc) {
  for (std::uint32_t ssrc = 1; ssrc <= 5; ++ssrc) {
    const Bytes packet = RtpPacket(ssrc * 0x01010101U, 42, 100);
    EXPECT_EQ(Unprotect(receiver_, Protect(sender_, packet, false), false), packet);
    const Bytes report = RtcpSenderReport(ssrc * 0x01010101U, 1);
    EXPECT_EQ(Unprotect(receiver_, Protect(sender_, report, true), true), report);
  }
}

TEST_P(SrtpSessionProfileTest, RefusesAReplayedPacket) {
  const Bytes packet = Protect(sender_, RtpPacket(0x11223344, 7, 100), false);
  ASSERT_TRUE(Unprotect(receiver_, packet, false).has_value());
  EXPECT_FALSE(Unprotect(receiver_, packet, false).has_value());
  EXPECT_EQ(receiver_.last_error(), SrtpError::kReplay);

  const Bytes report = Protect(sender_, RtcpSenderReport(0x11223344, 1), true);
  ASSERT_TRUE(Unprotect(receiver_, report, true).has_value());
  EXPECT_FALSE(Unprotect(receiver_, report, true).has_value());
  EXPECT_EQ(receiver_.last_error(), SrtpError::kReplay);
}

TEST_P(SrtpSessionProfileTest, AcceptsReorderingInsideTheWindowButNotOlder) {
  std::vector<Bytes> sent;
  for (std::uint16_t sequence = 0; sequence < 3; ++sequence) {
    sent.push_back(Protect(sender_, RtpPacket(0x99, sequence, 20), false));
  }
  EXPECT_TRUE(Unprotect(receiver_, sent[2], false).has_value());
  EXPECT_TRUE(Unprotect(receiver_, sent[0], false).has_value());
  EXPECT_TRUE(Unprotect(receiver_, sent[1], false).has_value());

  // 1100 sequence numbers later, packet 3 is older than the 1024-packet window.
  const Bytes old = Protect(sender_, RtpPacket(0x99, 3, 20), false);
  const Bytes later = Protect(sender_, RtpPacket(0x99, 1103, 20), false);
  EXPECT_TRUE(Unprotect(receiver_, later, false).has_value());
  EXPECT_FALSE(Unprotect(receiver_, old, false).has_value());
  EXPECT_EQ(receiver_.last_error(), SrtpError::kReplay);
}

TEST_P(SrtpSessionProfileTest, OutboundAllowsIdenticalRetransmissions) {
  // A NACK answered from the retransmission buffer: same packet, same bytes.
  const Bytes packet = RtpPacket(0x11223344, 9, 300);
  const Bytes first = Protect(sender_, packet, false);
  static_cast<void>(Protect(sender_, RtpPacket(0x11223344, 10, 300), false));
  const Bytes again = Protect(sender_, packet, false);
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again, first);

  // Not once the packet has fallen out of the 1024-packet window.
  static_cast<void>(Protect(sender_, RtpPacket(0x11223344, 1200, 300), false));
  Buffer stale(packet, kSrtpMaxTrailerLength);
  EXPECT_FALSE(sender_.ProtectRtp(stale.span(), stale.length).has_value());
  EXPECT_EQ(sender_.last_error(), SrtpError::kReplay);
}

TEST_P(SrtpSessionProfileTest, RefusesAPacketWithOneFlippedBit) {
  const Bytes packet = Protect(sender_, RtpPacket(0x11223344, 11, 64), false);
  // A bit in the header (authenticated, not encrypted), the payload, and the tag.
  for (const std::size_t at : {std::size_t{1}, kRtpHeader + 5, packet.size() - 1}) {
    Bytes tampered = packet;
    tampered[at] ^= 0x01U;
    EXPECT_FALSE(Unprotect(receiver_, tampered, false).has_value()) << "bit flipped at " << at;
    EXPECT_EQ(receiver_.last_error(), SrtpError::kAuthentication);
  }
  EXPECT_TRUE(Unprotect(receiver_, packet, false).has_value());  // the original still passes

  const Bytes report = Protect(sender_, RtcpSenderReport(0x11223344, 1), true);
  for (const std::size_t at : {std::size_t{6}, kRtcpPrefix + 3, report.size() - 1}) {
    Bytes tampered = report;
    tampered[at] ^= 0x80U;
    EXPECT_FALSE(Unprotect(receiver_, tampered, true).has_value()) << "bit flipped at " << at;
  }
}

TEST_P(SrtpSessionProfileTest, RefusesPacketsUnderAnotherKey) {
  SrtpSession stranger = MakeSession(profile(), SrtpSession::Direction::kInbound, MasterKeyAndSalt(profile(), 0x32));
  EXPECT_FALSE(Unprotect(stranger, Protect(sender_, RtpPacket(0x11223344, 12, 80), false), false).has_value());
  EXPECT_EQ(stranger.last_error(), SrtpError::kAuthentication);
  EXPECT_FALSE(Unprotect(stranger, Protect(sender_, RtcpSenderReport(0x11223344, 1), true), true).has_value());
}

TEST_P(SrtpSessionProfileTest, RefusesABufferWithoutRoomForTheTrailer) {
  for (const bool rtcp : {false, true}) {
    const Bytes packet = rtcp ? RtcpSenderReport(0x1, 1) : RtpPacket(0x1, 1, 40);
    const std::size_t trailer = rtcp ? SrtpRtcpTrailerLength(profile()) : SrtpRtpTrailerLength(profile());
    Buffer buffer(packet, trailer - 1);
    const auto length =
        rtcp ? sender_.ProtectRtcp(buffer.span(), buffer.length) : sender_.ProtectRtp(buffer.span(), buffer.length);
    EXPECT_FALSE(length.has_value());
    EXPECT_EQ(sender_.last_error(), SrtpError::kBufferTooSmall);
    EXPECT_EQ(buffer.packet(), packet);  // untouched
    EXPECT_TRUE(buffer.CanaryIntact());
  }
  Bytes small(10);
  EXPECT_FALSE(sender_.ProtectRtp(small, 11).has_value());  // length beyond the buffer
  EXPECT_FALSE(receiver_.UnprotectRtp(small, 11).has_value());
}

TEST_P(SrtpSessionProfileTest, RefusesShortAndGarbagePackets) {
  for (std::size_t size = 0; size <= 64; ++size) {
    Bytes garbage(size + kSrtpMaxTrailerLength);
    for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<std::uint8_t>(0x80 + i * 7);
    EXPECT_FALSE(receiver_.UnprotectRtp(garbage, size).has_value()) << size;
    EXPECT_FALSE(receiver_.UnprotectRtcp(garbage, size).has_value()) << size;
  }
  Bytes header(kRtpHeader - 1 + kSrtpMaxTrailerLength, 0x80);
  EXPECT_FALSE(sender_.ProtectRtp(header, kRtpHeader - 1).has_value());
  EXPECT_EQ(sender_.last_error(), SrtpError::kMalformed);
  EXPECT_FALSE(sender_.ProtectRtcp(header, kRtcpPrefix - 1).has_value());
}

TEST_P(SrtpSessionProfileTest, RefusesTheWrongDirection) {
  Buffer buffer(RtpPacket(0x1, 1, 40), kSrtpMaxTrailerLength);
  EXPECT_FALSE(receiver_.ProtectRtp(buffer.span(), buffer.length).has_value());
  EXPECT_EQ(receiver_.last_error(), SrtpError::kWrongDirection);
  EXPECT_FALSE(receiver_.ProtectRtcp(buffer.span(), buffer.length).has_value());
  EXPECT_FALSE(sender_.UnprotectRtp(buffer.span(), buffer.length).has_value());
  EXPECT_FALSE(sender_.UnprotectRtcp(buffer.span(), buffer.length).has_value());
  EXPECT_EQ(sender_.last_error(), SrtpError::kWrongDirection);
}

TEST_P(SrtpSessionProfileTest, WorksAfterAMoveAndTheMovedFromSessionRefuses) {
  SrtpSession moved = std::move(sender_);
  const Bytes packet = RtpPacket(0x1, 1, 40);
  EXPECT_EQ(Unprotect(receiver_, Protect(moved, packet, false), false), packet);
  Buffer buffer(packet, kSrtpMaxTrailerLength);
  EXPECT_FALSE(sender_.ProtectRtp(buffer.span(), buffer.length).has_value());  // NOLINT(bugprone-use-after-move)
}

TEST_P(SrtpSessionProfileTest, DtlsClientAndServerKeysInteroperate) {
  Bytes material(SrtpKeyingMaterialLength(profile()));
  for (std::size_t i = 0; i < material.size(); ++i) material[i] = static_cast<std::uint8_t>(i * 5 + 1);
  const auto client = SplitDtlsSrtpKeyingMaterial(profile(), material, true);
  const auto server = SplitDtlsSrtpKeyingMaterial(profile(), material, false);
  ASSERT_TRUE(client && server);
  SrtpSession client_out = MakeSession(profile(), SrtpSession::Direction::kOutbound, client->local_key_and_salt);
  SrtpSession client_in = MakeSession(profile(), SrtpSession::Direction::kInbound, client->remote_key_and_salt);
  SrtpSession server_out = MakeSession(profile(), SrtpSession::Direction::kOutbound, server->local_key_and_salt);
  SrtpSession server_in = MakeSession(profile(), SrtpSession::Direction::kInbound, server->remote_key_and_salt);

  const Bytes up = RtpPacket(0xAAAA, 1, 100);
  const Bytes down = RtpPacket(0xBBBB, 1, 100);
  EXPECT_EQ(Unprotect(server_in, Protect(client_out, up, false), false), up);
  EXPECT_EQ(Unprotect(client_in, Protect(server_out, down, false), false), down);
  // The two directions use different keys: a packet does not come back to its sender.
  EXPECT_FALSE(Unprotect(client_in, Protect(client_out, RtpPacket(0xAAAA, 2, 100), false), false).has_value());
}

// The reviewer's attack: a peer holding the keys sends authenticating packets, each
// with a new SSRC. Past the cap they are refused before any crypto and the session
// stays at the cap, so neither its memory nor its lookups grow with the attempts.
TEST_P(SrtpSessionProfileTest, InboundRefusesNewRtpSsrcsPastTheCapAndServesKnownOnes) {
  constexpr std::uint32_t kFirstSsrc = 0x1000;
  for (std::uint32_t i = 0; i < kSrtpMaxInboundStreams; ++i) {
    const Bytes packet = RtpPacket(kFirstSsrc + i, 1, 40);
    ASSERT_EQ(Unprotect(receiver_, Protect(sender_, packet, false), false), packet) << i;
  }
  EXPECT_EQ(receiver_.stream_count(), kSrtpMaxInboundStreams);

  constexpr std::uint32_t kAttempts = 500;
  for (std::uint32_t i = 0; i < kAttempts; ++i) {
    const std::uint32_t ssrc = kFirstSsrc + static_cast<std::uint32_t>(kSrtpMaxInboundStreams) + i;
    const Bytes attack = Protect(sender_, RtpPacket(ssrc, 1, 40), false);
    ASSERT_FALSE(attack.empty());  // it authenticates under the session's key
    EXPECT_FALSE(Unprotect(receiver_, attack, false).has_value());
    EXPECT_EQ(receiver_.last_error(), SrtpError::kTooManyStreams);
    // Nor does SRTCP of a new SSRC get in.
    EXPECT_FALSE(Unprotect(receiver_, Protect(sender_, RtcpSenderReport(ssrc, 1), true), true).has_value());
    EXPECT_EQ(receiver_.last_error(), SrtpError::kTooManyStreams);
  }
  EXPECT_EQ(receiver_.stream_count(), kSrtpMaxInboundStreams);

  // Every known SSRC still works, RTP and RTCP, the first one (not the last hit) too.
  for (std::uint32_t i = 0; i < kSrtpMaxInboundStreams; ++i) {
    const Bytes packet = RtpPacket(kFirstSsrc + i, 2, 40);
    EXPECT_EQ(Unprotect(receiver_, Protect(sender_, packet, false), false), packet) << i;
    const Bytes report = RtcpSenderReport(kFirstSsrc + i, 1);
    EXPECT_EQ(Unprotect(receiver_, Protect(sender_, report, true), true), report) << i;
  }
  EXPECT_EQ(receiver_.stream_count(), kSrtpMaxInboundStreams);
}

TEST_P(SrtpSessionProfileTest, InboundRefusesNewRtcpSsrcsPastTheCapAndServesKnownOnes) {
  constexpr std::uint32_t kFirstSsrc = 0x2000;
  for (std::uint32_t i = 0; i < kSrtpMaxInboundStreams; ++i) {
    const Bytes report = RtcpSenderReport(kFirstSsrc + i, 1);
    ASSERT_EQ(Unprotect(receiver_, Protect(sender_, report, true), true), report) << i;
  }
  EXPECT_EQ(receiver_.stream_count(), kSrtpMaxInboundStreams);
  for (std::uint32_t i = 0; i < 100; ++i) {
    const std::uint32_t ssrc = kFirstSsrc + static_cast<std::uint32_t>(kSrtpMaxInboundStreams) + i;
    EXPECT_FALSE(Unprotect(receiver_, Protect(sender_, RtcpSenderReport(ssrc, 1), true), true).has_value());
    EXPECT_EQ(receiver_.last_error(), SrtpError::kTooManyStreams);
    EXPECT_FALSE(Unprotect(receiver_, Protect(sender_, RtpPacket(ssrc, 1, 40), false), false).has_value());
    EXPECT_EQ(receiver_.last_error(), SrtpError::kTooManyStreams);
  }
  EXPECT_EQ(receiver_.stream_count(), kSrtpMaxInboundStreams);
  for (std::uint32_t i = 0; i < kSrtpMaxInboundStreams; ++i) {
    const Bytes report = RtcpSenderReport(kFirstSsrc + i, 2);
    EXPECT_EQ(Unprotect(receiver_, Protect(sender_, report, true), true), report) << i;
    const Bytes packet = RtpPacket(kFirstSsrc + i, 1, 40);
    EXPECT_EQ(Unprotect(receiver_, Protect(sender_, packet, false), false), packet) << i;
  }
}

TEST_P(SrtpSessionProfileTest, AFailedPacketAddsNoStream) {
  SrtpSession stranger = MakeSession(profile(), SrtpSession::Direction::kInbound, MasterKeyAndSalt(profile(), 0x32));
  for (std::uint32_t ssrc = 1; ssrc <= 2 * kSrtpMaxInboundStreams; ++ssrc) {
    EXPECT_FALSE(Unprotect(stranger, Protect(sender_, RtpPacket(ssrc, 1, 40), false), false).has_value());
    EXPECT_FALSE(Unprotect(stranger, Protect(sender_, RtcpSenderReport(ssrc, 1), true), true).has_value());
  }
  EXPECT_EQ(stranger.stream_count(), 0U);
}

TEST_P(SrtpSessionProfileTest, OutboundHoldsMoreThanAnInboundCapByDefaultAndHonoursItsOwn) {
  constexpr std::uint32_t kSsrcs = 2 * kSrtpMaxInboundStreams;
  for (std::uint32_t ssrc = 1; ssrc <= kSsrcs; ++ssrc) {
    ASSERT_FALSE(Protect(sender_, RtpPacket(ssrc, 1, 40), false).empty()) << ssrc;
  }
  EXPECT_EQ(sender_.stream_count(), kSsrcs);

  constexpr std::size_t kCap = 3;
  auto small = SrtpSession::Create(profile(), SrtpSession::Direction::kOutbound, key_, kCap);
  ASSERT_TRUE(small.has_value());
  ASSERT_FALSE(Protect(*small, RtpPacket(1, 1, 40), false).empty());
  ASSERT_FALSE(Protect(*small, RtcpSenderReport(2, 1), true).empty());
  ASSERT_FALSE(Protect(*small, RtpPacket(3, 1, 40), false).empty());
  for (const bool rtcp : {false, true}) {
    const Bytes packet = rtcp ? RtcpSenderReport(4, 1) : RtpPacket(4, 1, 40);
    Buffer buffer(packet, kSrtpMaxTrailerLength);
    const auto length =
        rtcp ? small->ProtectRtcp(buffer.span(), buffer.length) : small->ProtectRtp(buffer.span(), buffer.length);
    EXPECT_FALSE(length.has_value());
    EXPECT_EQ(small->last_error(), SrtpError::kTooManyStreams);
    EXPECT_EQ(buffer.packet(), packet);  // untouched
  }
  EXPECT_EQ(small->stream_count(), kCap);
  // The known ones go on; the receiver (inbound, cap 32) takes them.
  const Bytes packet = RtpPacket(1, 2, 40);
  EXPECT_EQ(Unprotect(receiver_, Protect(*small, packet, false), false), packet);
  const Bytes report = RtcpSenderReport(3, 1);
  EXPECT_EQ(Unprotect(receiver_, Protect(*small, report, true), true), report);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpSessionProfileTest,
                         testing::Values(SrtpProfile::kAes128CmHmacSha1Tag80, SrtpProfile::kAeadAes128Gcm),
                         [](const testing::TestParamInfo<SrtpProfile>& info) {
                           return info.param == SrtpProfile::kAeadAes128Gcm ? std::string("AeadAes128Gcm")
                                                                            : std::string("Aes128CmHmacSha1Tag80");
                         });

}  // namespace
}  // namespace egovbox::media
