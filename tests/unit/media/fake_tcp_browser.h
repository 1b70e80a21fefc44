// A browser whose UDP is blocked, played by our own media classes: the active
// side of ICE over TCP (RFC 6544) against the SFU's passive candidate. One TCP
// connection to the server's port carries RFC 4571 frames — the connectivity
// check as the controlling agent, DTLS as the client, SRTP with the exported
// keys — as FakeBrowser does over UDP.
//
// The framing here is written independently of src/media/tcp_framing.h, so the
// tests check the server's framing against a second reading of RFC 4571.
// Header-only, for one test thread; waits poll with a deadline.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fake_browser.h"
#include "media/dtls_certificate.h"
#include "media/dtls_session.h"
#include "media/packet_kind.h"
#include "media/srtp_session.h"
#include "media/stun.h"

namespace egovbox::media::test {

class FakeTcpBrowser {
 public:
  explicit FakeTcpBrowser(const std::string& name)
      : certificate_(DtlsCertificate::Generate()),
        identity_{"tcp" + name, "FakeTcpBrowserPassword" + name + "0123456789", ""} {
    EXPECT_TRUE(certificate_);
    if (certificate_) identity_.fingerprint = certificate_->fingerprint();
  }
  ~FakeTcpBrowser() { Close(); }
  FakeTcpBrowser(const FakeTcpBrowser&) = delete;
  FakeTcpBrowser& operator=(const FakeTcpBrowser&) = delete;

  const IceDtlsIdentity& identity() const { return identity_; }

  // Connects to the server's candidate port on 127.0.0.1 (the SDP's TCP candidate).
  ::testing::AssertionResult Connect(const ServerTransport& server, std::uint16_t port) {
    server_ = server;
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
      return ::testing::AssertionFailure() << "connect: " << std::strerror(errno);
    }
    const int on = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    sockaddr_in local{};
    socklen_t length = sizeof local;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);
    local_ = LoopbackAddress(ntohs(local.sin_port));
    return ::testing::AssertionSuccess();
  }

  // Our end as the server sees it (what XOR-MAPPED-ADDRESS must say).
  const TransportAddress& address() const { return local_; }
  bool connected() const { return fd_ >= 0; }
  // The server closed the connection (read returned 0 or failed).
  bool closed_by_server() const { return closed_by_server_; }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // --- Framing (RFC 4571 §2)

  static Bytes Frame(std::span<const std::uint8_t> packet) {
    Bytes framed = {static_cast<std::uint8_t>(packet.size() >> 8U), static_cast<std::uint8_t>(packet.size())};
    framed.insert(framed.end(), packet.begin(), packet.end());
    return framed;
  }
  // Writes raw bytes: a frame, part of one, several, or garbage.
  void SendRaw(std::span<const std::uint8_t> bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
      const ssize_t count = ::send(fd_, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
      if (count <= 0) {
        ADD_FAILURE() << "send: " << std::strerror(errno);
        return;
      }
      at += static_cast<std::size_t>(count);
    }
  }
  void Send(std::span<const std::uint8_t> packet) { SendRaw(Frame(packet)); }

  // --- ICE: a nominating check, answered on this connection.

  Bytes BindingRequest(bool use_candidate, const StunTransactionId& transaction_id) const {
    constexpr std::uint32_t kPeerReflexivePriority = 1853824767;
    constexpr std::uint64_t kTieBreaker = 0x0123456789ABCDEF;
    Bytes buffer(256);
    StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, transaction_id);
    writer.AddText(stun_attribute::kUsername, server_.identity.ufrag + ":" + identity_.ufrag);
    writer.AddUint32(stun_attribute::kPriority, kPeerReflexivePriority);
    writer.AddUint64(stun_attribute::kIceControlling, kTieBreaker);
    if (use_candidate) writer.AddFlag(stun_attribute::kUseCandidate);
    writer.AddMessageIntegrity(server_.identity.pwd);
    writer.AddFingerprint();
    EXPECT_TRUE(writer.ok());
    buffer.resize(writer.size());
    return buffer;
  }

  ::testing::AssertionResult Check(std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    StunTransactionId id{};
    id.fill(static_cast<std::uint8_t>(++transactions_));
    Send(BindingRequest(true, id));
    ReceiveUntil([this] { return !stun_.empty(); }, wait);
    if (stun_.empty()) return ::testing::AssertionFailure() << "no answer to the check over TCP";
    const Bytes response = std::move(stun_.front());
    stun_.pop_front();
    const auto message = StunMessage::Parse(response);
    if (!message || message->message_class() != StunClass::kSuccessResponse) {
      return ::testing::AssertionFailure() << "not a success response";
    }
    if (!std::equal(id.begin(), id.end(), message->transaction_id().begin())) {
      return ::testing::AssertionFailure() << "another transaction";
    }
    if (!message->CheckMessageIntegrity(server_.identity.pwd) || !message->CheckFingerprint()) {
      return ::testing::AssertionFailure() << "integrity or fingerprint wrong";
    }
    if (message->XorMappedAddress() != local_) {
      return ::testing::AssertionFailure() << "XOR-MAPPED-ADDRESS is not our TCP address";
    }
    return ::testing::AssertionSuccess();
  }

  // --- DTLS as the client, then SRTP

  ::testing::AssertionResult Handshake(std::chrono::milliseconds wait = std::chrono::seconds(3)) {
    dtls_ = std::make_unique<DtlsSession>(*certificate_, DtlsRole::kClient, server_.identity.fingerprint);
    dtls_->Start(DtlsSend());
    const auto deadline = Clock::now() + wait;
    while (dtls_->state() == DtlsSession::State::kHandshaking && Clock::now() < deadline) {
      ReceiveFor(std::chrono::milliseconds(10));
      const auto timeout = dtls_->NextTimeout();
      if (timeout && *timeout <= Clock::now()) dtls_->HandleTimeout(DtlsSend());
    }
    if (dtls_->state() != DtlsSession::State::kConnected) {
      return ::testing::AssertionFailure() << "DTLS over TCP did not connect: " << dtls_->failure();
    }
    if (!outbound_ || !inbound_) return ::testing::AssertionFailure() << "no SRTP sessions after DTLS";
    return ::testing::AssertionSuccess() << dtls_->srtp_profile_name();
  }

  void SendRtp(const Bytes& plain) { SendProtected(plain, false); }
  void SendRtcp(const Bytes& plain) { SendProtected(plain, true); }

  // --- Receiving

  void ReceiveFor(std::chrono::milliseconds wait) {
    if (fd_ < 0) return;
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(wait.count())) <= 0) return;
    std::array<std::uint8_t, 8192> chunk{};
    const ssize_t count = ::recv(fd_, chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (count <= 0) {
      if (count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        closed_by_server_ = true;
        Close();
      }
      return;
    }
    stream_.insert(stream_.end(), chunk.begin(), chunk.begin() + count);
    while (stream_.size() >= 2) {
      const std::size_t length = std::size_t{stream_[0]} << 8U | stream_[1];
      if (stream_.size() < 2 + length) break;
      Handle(Bytes(stream_.begin() + 2, stream_.begin() + static_cast<std::ptrdiff_t>(2 + length)));
      stream_.erase(stream_.begin(), stream_.begin() + static_cast<std::ptrdiff_t>(2 + length));
    }
  }

  template <typename Done>
  bool ReceiveUntil(Done&& done, std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    const auto deadline = Clock::now() + wait;
    while (!done() && Clock::now() < deadline && fd_ >= 0) ReceiveFor(std::chrono::milliseconds(10));
    return done();
  }

  std::vector<Bytes>& rtp() { return rtp_; }
  std::vector<Bytes>& rtcp() { return rtcp_; }
  std::size_t unprotect_failures() const { return unprotect_failures_; }
  std::size_t frames_received() const { return frames_received_; }

 private:
  DtlsSession::Send DtlsSend() {
    return [this](std::span<const std::uint8_t> bytes) { Send(bytes); };
  }

  void Handle(Bytes packet) {
    ++frames_received_;
    switch (ClassifyPacket(packet)) {
      case PacketKind::kStun: stun_.push_back(std::move(packet)); return;
      case PacketKind::kDtls:
        if (!dtls_) return;
        dtls_->Receive(packet, DtlsSend());
        if (dtls_->state() == DtlsSession::State::kConnected && !inbound_) MakeSrtpSessions();
        return;
      case PacketKind::kRtp:
      case PacketKind::kRtcp: {
        const bool is_rtcp = ClassifyPacket(packet) == PacketKind::kRtcp;
        if (!inbound_) {
          ++unprotect_failures_;
          return;
        }
        const auto plain =
            is_rtcp ? inbound_->UnprotectRtcp(packet, packet.size()) : inbound_->UnprotectRtp(packet, packet.size());
        if (!plain) {
          ++unprotect_failures_;
          return;
        }
        packet.resize(*plain);
        (is_rtcp ? rtcp_ : rtp_).push_back(std::move(packet));
        return;
      }
      case PacketKind::kUnknown: return;
    }
  }

  void MakeSrtpSessions() {
    const auto profile = SrtpProfileFromDtlsName(dtls_->srtp_profile_name());
    ASSERT_TRUE(profile) << dtls_->srtp_profile_name();
    const auto material = dtls_->ExportSrtpKeyingMaterial(SrtpKeyingMaterialLength(*profile));
    const auto keys = SplitDtlsSrtpKeyingMaterial(*profile, material, /*local_is_dtls_client=*/true);
    ASSERT_TRUE(keys);
    outbound_ = SrtpSession::Create(*profile, SrtpSession::Direction::kOutbound, keys->local_key_and_salt);
    inbound_ = SrtpSession::Create(*profile, SrtpSession::Direction::kInbound, keys->remote_key_and_salt);
    ASSERT_TRUE(outbound_ && inbound_);
  }

  void SendProtected(const Bytes& plain, bool is_rtcp) {
    ASSERT_TRUE(outbound_) << "no SRTP yet";
    Bytes buffer = plain;
    buffer.resize(plain.size() + kSrtpMaxTrailerLength);
    const auto length =
        is_rtcp ? outbound_->ProtectRtcp(buffer, plain.size()) : outbound_->ProtectRtp(buffer, plain.size());
    ASSERT_TRUE(length);
    Send(std::span<const std::uint8_t>(buffer).first(*length));
  }

  std::optional<DtlsCertificate> certificate_;
  IceDtlsIdentity identity_;
  ServerTransport server_;
  int fd_ = -1;
  TransportAddress local_;
  bool closed_by_server_ = false;
  std::uint32_t transactions_ = 0;
  Bytes stream_;
  std::unique_ptr<DtlsSession> dtls_;
  std::optional<SrtpSession> outbound_;
  std::optional<SrtpSession> inbound_;
  std::deque<Bytes> stun_;
  std::vector<Bytes> rtp_;
  std::vector<Bytes> rtcp_;
  std::size_t unprotect_failures_ = 0;
  std::size_t frames_received_ = 0;
};

}  // namespace egovbox::media::test
