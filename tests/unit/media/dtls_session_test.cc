#include "media/dtls_session.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "media/dtls_certificate.h"
#include "media/dtls_role.h"
#include "media/packet_kind.h"

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;
using State = DtlsSession::State;

// RFC 5764 §4.2: two keys and two salts, 2 × (16 + 14) bytes for AES128_CM_SHA1_80.
constexpr std::size_t kKeyingMaterialSize = 60;
constexpr int kMaxRounds = 50;

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c; });
  return text;
}

// A DTLS record: header (RFC 6347 §4.1) with the given length and `length` payload bytes.
Bytes Record(std::uint8_t content_type, std::size_t length) {
  Bytes record = {content_type,
                  0xFE,
                  0xFD,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  static_cast<std::uint8_t>(length >> 8U),
                  static_cast<std::uint8_t>(length)};
  record.resize(kDtlsRecordHeaderSize + length, 0xAB);
  return record;
}

TEST(DtlsCertificateTest, FingerprintIsUppercaseHexPairsJoinedByColons) {
  const auto certificate = DtlsCertificate::Generate();
  ASSERT_TRUE(certificate);
  EXPECT_TRUE(std::regex_match(certificate->fingerprint(), std::regex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")))
      << certificate->fingerprint();
  EXPECT_NE(certificate->context(), nullptr);
}

TEST(DtlsCertificateTest, EachCertificateIsNew) {
  const auto first = DtlsCertificate::Generate();
  const auto second = DtlsCertificate::Generate();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->fingerprint(), second->fingerprint());
}

TEST(SendDtlsRecordsTest, PacksWholeRecordsUpToTheMtu) {
  Bytes flush;
  for (const std::size_t length : {500, 500, 100, 1000, 50}) {
    const Bytes record = Record(22, length);
    flush.insert(flush.end(), record.begin(), record.end());
  }
  std::vector<std::size_t> sizes;
  SendDtlsRecords(flush, kDtlsMtu, [&](std::span<const std::uint8_t> datagram) { sizes.push_back(datagram.size()); });
  // 513 + 513 + 113 = 1139 fits; 1013 does not join it; 1013 + 63 = 1076 fits.
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1139, 1076}));
}

TEST(SendDtlsRecordsTest, SendsAnOversizedRecordAndAnUnparsableTailAsTheyAre) {
  Bytes flush = Record(22, 1300);
  flush.insert(flush.end(), {0x16, 0xFE, 0xFD, 0x00});  // a header cut short
  std::vector<std::size_t> sizes;
  SendDtlsRecords(flush, kDtlsMtu, [&](std::span<const std::uint8_t> datagram) { sizes.push_back(datagram.size()); });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1313, 4}));

  sizes.clear();
  SendDtlsRecords({}, kDtlsMtu, [&](std::span<const std::uint8_t> datagram) { sizes.push_back(datagram.size()); });
  EXPECT_TRUE(sizes.empty());
}

// Two sessions joined by in-memory queues: what one side sends waits in the
// other's inbox until Pump delivers it.
class DtlsSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(client_certificate_ && server_certificate_ && stranger_certificate_); }

  void MakeSessions(const std::string& client_expects, const std::string& server_expects) {
    client_ = std::make_unique<DtlsSession>(*client_certificate_, DtlsRole::kClient, client_expects);
    server_ = std::make_unique<DtlsSession>(*server_certificate_, DtlsRole::kServer, server_expects);
  }
  void MakeSessions() { MakeSessions(server_certificate_->fingerprint(), client_certificate_->fingerprint()); }

  DtlsSession::Send SendTo(std::deque<Bytes>& inbox) {
    return [this, &inbox](std::span<const std::uint8_t> datagram) {
      EXPECT_LE(datagram.size(), kDtlsMtu);
      EXPECT_EQ(ClassifyPacket(datagram), PacketKind::kDtls);
      largest_datagram_ = std::max(largest_datagram_, datagram.size());
      inbox.emplace_back(datagram.begin(), datagram.end());
    };
  }
  DtlsSession::Send ToClient() { return SendTo(to_client_); }
  DtlsSession::Send ToServer() { return SendTo(to_server_); }

  void Pump() {
    for (int round = 0; round < kMaxRounds && !(to_client_.empty() && to_server_.empty()); ++round) {
      while (!to_server_.empty()) {
        const Bytes datagram = std::move(to_server_.front());
        to_server_.pop_front();
        server_->Receive(datagram, ToClient());
        EXPECT_EQ(ERR_peek_error(), 0UL) << "OpenSSL's error queue must be left empty";
      }
      while (!to_client_.empty()) {
        const Bytes datagram = std::move(to_client_.front());
        to_client_.pop_front();
        client_->Receive(datagram, ToServer());
        EXPECT_EQ(ERR_peek_error(), 0UL) << "OpenSSL's error queue must be left empty";
      }
    }
  }

  void Handshake() {
    server_->Start(ToClient());
    client_->Start(ToServer());
    Pump();
  }

  std::optional<DtlsCertificate> client_certificate_ = DtlsCertificate::Generate();
  std::optional<DtlsCertificate> server_certificate_ = DtlsCertificate::Generate();
  std::optional<DtlsCertificate> stranger_certificate_ = DtlsCertificate::Generate();
  std::unique_ptr<DtlsSession> client_;
  std::unique_ptr<DtlsSession> server_;
  std::deque<Bytes> to_client_;
  std::deque<Bytes> to_server_;
  std::size_t largest_datagram_ = 0;
};

TEST_F(DtlsSessionTest, HandshakeConnectsBothSidesWithTheSameKeys) {
  MakeSessions();
  EXPECT_EQ(client_->state(), State::kNew);
  Handshake();
  ASSERT_EQ(client_->state(), State::kConnected) << client_->failure();
  ASSERT_EQ(server_->state(), State::kConnected) << server_->failure();
  EXPECT_TRUE(client_->failure().empty());
  EXPECT_EQ(client_->srtp_profile_name(), server_->srtp_profile_name());

  const Bytes client_keys = client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize);
  const Bytes server_keys = server_->ExportSrtpKeyingMaterial(kKeyingMaterialSize);
  ASSERT_EQ(client_keys.size(), kKeyingMaterialSize);
  EXPECT_EQ(client_keys, server_keys);
  EXPECT_NE(client_keys, Bytes(kKeyingMaterialSize, 0));
  EXPECT_FALSE(client_->NextTimeout());
  EXPECT_FALSE(server_->NextTimeout());
}

TEST_F(DtlsSessionTest, KeysDifferBetweenAssociations) {
  MakeSessions();
  Handshake();
  const Bytes first = client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize);
  MakeSessions();
  Handshake();
  ASSERT_EQ(client_->state(), State::kConnected);
  EXPECT_NE(client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize), first);
}

TEST_F(DtlsSessionTest, PrefersAeadAes128GcmWhenBothOfferIt) {
  MakeSessions();
  Handshake();
  ASSERT_EQ(server_->state(), State::kConnected);
  EXPECT_EQ(client_->srtp_profile_name(), "SRTP_AEAD_AES_128_GCM");
  EXPECT_EQ(server_->srtp_profile_name(), "SRTP_AEAD_AES_128_GCM");
}

TEST_F(DtlsSessionTest, DatagramsNeverExceedTheMtu) {
  MakeSessions();
  Handshake();
  ASSERT_EQ(server_->state(), State::kConnected);
  EXPECT_GT(largest_datagram_, 0U);
  EXPECT_LE(largest_datagram_, kDtlsMtu);  // also checked on every datagram by SendTo
}

TEST_F(DtlsSessionTest, ComparesTheFingerprintCaseInsensitively) {
  MakeSessions(Lowercase(server_certificate_->fingerprint()), Lowercase(client_certificate_->fingerprint()));
  Handshake();
  EXPECT_EQ(client_->state(), State::kConnected) << client_->failure();
  EXPECT_EQ(server_->state(), State::kConnected) << server_->failure();
}

TEST_F(DtlsSessionTest, ServerRejectsAClientWhoseFingerprintDiffers) {
  MakeSessions(server_certificate_->fingerprint(), stranger_certificate_->fingerprint());
  Handshake();
  EXPECT_EQ(server_->state(), State::kFailed);
  EXPECT_EQ(server_->failure(), "fingerprint mismatch");
  EXPECT_TRUE(server_->ExportSrtpKeyingMaterial(kKeyingMaterialSize).empty());
  // The server's bad_certificate alert reaches the client.
  EXPECT_EQ(client_->state(), State::kFailed);
  EXPECT_FALSE(client_->failure().empty());
  EXPECT_TRUE(client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize).empty());
}

TEST_F(DtlsSessionTest, ClientRejectsAServerWhoseFingerprintDiffers) {
  MakeSessions(stranger_certificate_->fingerprint(), client_certificate_->fingerprint());
  Handshake();
  EXPECT_EQ(client_->state(), State::kFailed);
  EXPECT_EQ(client_->failure(), "fingerprint mismatch");
  EXPECT_EQ(server_->state(), State::kFailed);
  EXPECT_FALSE(server_->failure().empty());
}

TEST_F(DtlsSessionTest, AnUnreadableExpectedFingerprintFailsTheHandshake) {
  MakeSessions("sha-256 " + server_certificate_->fingerprint(), client_certificate_->fingerprint());
  Handshake();
  EXPECT_EQ(client_->state(), State::kFailed);
  EXPECT_EQ(client_->failure(), "fingerprint mismatch");
  EXPECT_NE(server_->state(), State::kConnected);
}

TEST_F(DtlsSessionTest, ServerWaitsForTheClientHello) {
  MakeSessions();
  server_->Start(ToClient());
  EXPECT_EQ(server_->state(), State::kHandshaking);
  EXPECT_TRUE(to_client_.empty());
  EXPECT_FALSE(server_->NextTimeout());
  EXPECT_TRUE(server_->ExportSrtpKeyingMaterial(kKeyingMaterialSize).empty());
  EXPECT_TRUE(server_->srtp_profile_name().empty());
}

TEST_F(DtlsSessionTest, ServerStartsOnTheFirstDatagramWithoutStart) {
  MakeSessions();
  client_->Start(ToServer());
  Pump();
  EXPECT_EQ(client_->state(), State::kConnected) << client_->failure();
  EXPECT_EQ(server_->state(), State::kConnected) << server_->failure();
}

// OpenSSL's timer cannot be faked: this waits for its first expiry, about a second.
TEST_F(DtlsSessionTest, LostFirstFlightIsSentAgainWhenTheTimerExpires) {
  MakeSessions();
  client_->Start(ToServer());
  ASSERT_EQ(to_server_.size(), 1U);
  to_server_.clear();  // the ClientHello is lost

  const auto deadline = client_->NextTimeout();
  ASSERT_TRUE(deadline);
  EXPECT_LE(*deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(1500));
  client_->HandleTimeout(ToServer());  // too early: nothing
  EXPECT_TRUE(to_server_.empty());

  std::this_thread::sleep_until(*deadline + std::chrono::milliseconds(20));
  client_->HandleTimeout(ToServer());
  ASSERT_EQ(to_server_.size(), 1U);
  EXPECT_EQ(client_->state(), State::kHandshaking);
  Pump();
  EXPECT_EQ(client_->state(), State::kConnected) << client_->failure();
  EXPECT_EQ(server_->state(), State::kConnected) << server_->failure();
}

// Datagrams that RFC 7983 calls DTLS but that hold no well-formed record: cut short,
// TLS's version, random bytes.
std::vector<Bytes> Garbage() {
  std::vector<Bytes> garbage = {{0x16}, {0x17, 0xFE, 0xFD}, Record(22, 40), Record(21, 2)};
  garbage[2].resize(30);   // shorter than its length field says
  garbage[3][1] = 0x03;    // TLS's version, not DTLS's
  std::mt19937 random(7);  // a fixed seed: the test must repeat
  for (int i = 0; i < 50; ++i) {
    Bytes bytes(1 + random() % 300);
    std::generate(bytes.begin(), bytes.end(), [&] { return static_cast<std::uint8_t>(random()); });
    bytes[0] = static_cast<std::uint8_t>(20 + random() % 44);
    garbage.push_back(std::move(bytes));
  }
  return garbage;
}

// Well-formed records that make no sense here: plaintext application data, an
// alert and a handshake message of nonsense, a record of epoch 1 that fails its MAC.
std::vector<Bytes> MisplacedRecords() {
  std::vector<Bytes> records = {Record(23, 100), Record(21, 2), Record(22, 40), Record(23, 64)};
  records[3][4] = 1;  // epoch 1
  return records;
}

TEST_F(DtlsSessionTest, GarbageIsDroppedAndCompletesNothing) {
  MakeSessions();
  const auto feed = [](DtlsSession& session, const std::vector<Bytes>& datagrams, const DtlsSession::Send& send) {
    for (const Bytes& datagram : datagrams) session.Receive(datagram, send);
  };

  feed(*server_, Garbage(), ToClient());  // before anything
  EXPECT_EQ(server_->state(), State::kHandshaking) << server_->failure();
  EXPECT_TRUE(server_->ExportSrtpKeyingMaterial(kKeyingMaterialSize).empty());
  EXPECT_TRUE(to_client_.empty());

  client_->Start(ToServer());
  feed(*client_, Garbage(), ToServer());  // while it waits for the server's flight
  EXPECT_EQ(client_->state(), State::kHandshaking) << client_->failure();
  EXPECT_TRUE(client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize).empty());
  EXPECT_EQ(to_server_.size(), 1U);  // the ClientHello only

  Pump();  // the real handshake is unharmed
  ASSERT_EQ(client_->state(), State::kConnected) << client_->failure();
  ASSERT_EQ(server_->state(), State::kConnected) << server_->failure();
  const Bytes keys = client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize);

  for (const auto& datagrams : {Garbage(), MisplacedRecords()}) {  // and after it
    feed(*client_, datagrams, ToServer());
    feed(*server_, datagrams, ToClient());
  }
  EXPECT_TRUE(to_client_.empty());
  EXPECT_TRUE(to_server_.empty());
  EXPECT_EQ(client_->state(), State::kConnected) << client_->failure();
  EXPECT_EQ(server_->state(), State::kConnected) << server_->failure();
  EXPECT_EQ(server_->ExportSrtpKeyingMaterial(kKeyingMaterialSize), keys);
}

// OpenSSL ends a handshake on a well-formed plaintext record it did not expect
// (RFC 6347 leaves that to the implementation): the session fails, never connects.
TEST_F(DtlsSessionTest, AMisplacedRecordDuringTheHandshakeFailsIt) {
  for (const Bytes& record : MisplacedRecords()) {
    if (record[4] != 0) continue;  // epoch 1 does not exist yet: that one is dropped
    MakeSessions();
    client_->Start(ToServer());
    client_->Receive(record, ToServer());
    EXPECT_EQ(client_->state(), State::kFailed);
    EXPECT_FALSE(client_->failure().empty());
    EXPECT_EQ(ERR_peek_error(), 0UL);
    EXPECT_TRUE(client_->ExportSrtpKeyingMaterial(kKeyingMaterialSize).empty());
    Pump();
    EXPECT_NE(server_->state(), State::kConnected);
    EXPECT_EQ(client_->state(), State::kFailed);
  }
}

TEST_F(DtlsSessionTest, CloseDeliversCloseNotify) {
  MakeSessions();
  Handshake();
  ASSERT_EQ(server_->state(), State::kConnected);
  client_->Close(ToServer());
  EXPECT_EQ(client_->state(), State::kClosed);
  ASSERT_FALSE(to_server_.empty());
  Pump();
  EXPECT_EQ(server_->state(), State::kClosed) << server_->failure();
  EXPECT_EQ(client_->state(), State::kClosed);
  EXPECT_TRUE(server_->failure().empty());

  // Closed sessions ignore what still arrives.
  client_->Close(ToServer());
  EXPECT_TRUE(to_server_.empty());
}

TEST_F(DtlsSessionTest, ServerCanCloseToo) {
  MakeSessions();
  Handshake();
  server_->Close(ToClient());
  Pump();
  EXPECT_EQ(client_->state(), State::kClosed) << client_->failure();
  EXPECT_EQ(server_->state(), State::kClosed);
}

TEST_F(DtlsSessionTest, CloseDuringTheHandshakeSendsNothing) {
  MakeSessions();
  client_->Start(ToServer());
  to_server_.clear();
  client_->Close(ToServer());
  EXPECT_EQ(client_->state(), State::kClosed);
  EXPECT_TRUE(to_server_.empty());
  EXPECT_FALSE(client_->NextTimeout());
}

}  // namespace
}  // namespace egovbox::media
