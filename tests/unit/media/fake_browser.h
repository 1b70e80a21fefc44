// A browser played by our own media classes, for tests of the SFU: the SDP a
// browser would send (Chromium's captured offers with this browser's ICE
// credentials and certificate; answers made from the SFU's offers), and
// FakeBrowser, one peer connection's client side over a real UDP socket on
// loopback — ICE checks as the controlling agent, DTLS as the client (a=setup
// active), SRTP with the exported keys.
//
// Header-only (only *_test.cc files are built). Everything here is for one test
// thread: a FakeBrowser is not thread-safe. Waits poll the socket with a
// deadline; nothing sleeps for a fixed time.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "media/captured_sdp.h"
#include "media/dtls_certificate.h"
#include "media/dtls_role.h"
#include "media/dtls_session.h"
#include "media/packet_kind.h"
#include "media/sdp.h"
#include "media/srtp_session.h"
#include "media/stun.h"
#include "media/transport_address.h"
#include "media/udp_socket.h"

namespace egovbox::media::test {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

// --- SDP -------------------------------------------------------------------------

// Calls `rewrite(line)` for each line of `sdp` (without its end) and joins what it
// returns with CRLF; a nullopt drops the line.
template <typename Rewrite>
std::string RewriteSdpLines(std::string_view sdp, Rewrite&& rewrite) {
  std::string out;
  while (!sdp.empty()) {
    const std::size_t end = sdp.find('\n');
    std::string_view line = sdp.substr(0, end);
    sdp = end == std::string_view::npos ? std::string_view() : sdp.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::optional<std::string> kept = rewrite(line);
    if (kept) out += *kept + "\r\n";
  }
  return out;
}

// The credentials and certificate of one end of a peer connection.
struct IceDtlsIdentity {
  std::string ufrag;
  std::string pwd;
  std::string fingerprint;  // "AB:CD:...", sha-256
};

// `sdp` with every a=ice-ufrag, a=ice-pwd and a=fingerprint replaced by `identity`'s.
inline std::string WithIdentity(std::string_view sdp, const IceDtlsIdentity& identity) {
  return RewriteSdpLines(sdp, [&](std::string_view line) -> std::optional<std::string> {
    if (line.starts_with("a=ice-ufrag:")) return "a=ice-ufrag:" + identity.ufrag;
    if (line.starts_with("a=ice-pwd:")) return "a=ice-pwd:" + identity.pwd;
    if (line.starts_with("a=fingerprint:")) return "a=fingerprint:sha-256 " + identity.fingerprint;
    return std::string(line);
  });
}

// What a browser answers to the SFU's subscribe offer: the same m-sections, DTLS
// client (a=setup:active), each sendonly section received (recvonly), inactive
// ones left inactive, no SSRCs or msid of its own, no candidates (the SFU is
// ICE-lite and learns the browser's address from its checks), its own ICE
// credentials and certificate.
inline std::string SubscribeAnswerFor(std::string_view offer, const IceDtlsIdentity& identity) {
  return RewriteSdpLines(WithIdentity(offer, identity), [](std::string_view line) -> std::optional<std::string> {
    if (line == "a=ice-lite" || line == "a=end-of-candidates") return std::nullopt;
    if (line.starts_with("a=candidate:") || line.starts_with("a=ssrc:") || line.starts_with("a=msid:")) {
      return std::nullopt;
    }
    if (line == "a=setup:actpass") return std::string("a=setup:active");
    if (line == "a=sendonly") return std::string("a=recvonly");
    return std::string(line);
  });
}

inline std::optional<SessionDescription> ParseOrFail(std::string_view sdp) {
  auto parsed = ParseSdp(sdp);
  if (const auto* error = std::get_if<SdpParseError>(&parsed)) {
    ADD_FAILURE() << "SDP line " << error->line << ": " << error->reason << "\n" << sdp;
    return std::nullopt;
  }
  return std::get<SessionDescription>(std::move(parsed));
}

// The SSRC of each m-section's first a=ssrc line, by mid (sections without one are left out).
inline std::map<std::string, std::uint32_t> SsrcsByMid(std::string_view sdp) {
  std::map<std::string, std::uint32_t> ssrcs;
  const auto description = ParseOrFail(sdp);
  if (!description) return ssrcs;
  for (const SdpMediaSection& section : description->media) {
    const auto mid = section.Find("mid");
    const auto line = section.Find("ssrc");
    const auto ssrc = line ? ParseSsrc(*line) : std::nullopt;
    if (mid && ssrc) ssrcs[std::string(*mid)] = ssrc->ssrc;
  }
  return ssrcs;
}

// The direction of each m-section, by mid ("sendonly", "inactive", ...).
inline std::map<std::string, std::string> DirectionsByMid(std::string_view sdp) {
  std::map<std::string, std::string> directions;
  const auto description = ParseOrFail(sdp);
  if (!description) return directions;
  for (const SdpMediaSection& section : description->media) {
    const auto mid = section.Find("mid");
    const auto direction = FindDirection(section);
    if (mid) directions[std::string(*mid)] = direction ? std::string(SdpDirectionName(*direction)) : "";
  }
  return directions;
}

// The SFU's end as its SDP (offer or answer) tells it: ICE credentials,
// certificate fingerprint and the first host candidate.
struct ServerTransport {
  IceDtlsIdentity identity;
  std::string setup;
  std::string candidate_ip;
  std::uint16_t candidate_port = 0;
};

inline std::optional<ServerTransport> ServerTransportOf(std::string_view sdp) {
  const auto description = ParseOrFail(sdp);
  if (!description || description->media.empty()) return std::nullopt;
  const SdpMediaSection& first = description->media.front();
  const auto ufrag = first.Find("ice-ufrag");
  const auto pwd = first.Find("ice-pwd");
  const auto fingerprint_line = first.Find("fingerprint");
  const auto fingerprint = fingerprint_line ? ParseFingerprint(*fingerprint_line) : std::nullopt;
  const auto setup = first.Find("setup");
  const auto candidate_line = first.Find("candidate");
  const auto candidate = candidate_line ? ParseCandidate(*candidate_line) : std::nullopt;
  if (!ufrag || !pwd || !fingerprint || !setup || !candidate) {
    ADD_FAILURE() << "the SFU's SDP lacks its transport:\n" << sdp;
    return std::nullopt;
  }
  return ServerTransport{{std::string(*ufrag), std::string(*pwd), fingerprint->value},
                         std::string(*setup),
                         candidate->address,
                         candidate->port};
}

// --- RTP -------------------------------------------------------------------------

struct RtpExtensionElement {
  std::uint8_t id = 0;  // 1..14
  Bytes value;          // 1..16 bytes
};

// An RTP packet (RFC 3550 §5.1) with an optional one-byte extension block (RFC 8285 §4.2).
inline Bytes MakeRtpPacket(std::uint8_t payload_type, bool marker, std::uint16_t sequence_number,
                           std::uint32_t timestamp, std::uint32_t ssrc, const Bytes& payload,
                           const std::vector<RtpExtensionElement>& extensions = {}) {
  constexpr std::uint8_t kVersion2 = 0x80;
  constexpr std::uint8_t kExtensionBit = 0x10;
  constexpr std::uint8_t kMarkerBit = 0x80;
  Bytes packet = {static_cast<std::uint8_t>(kVersion2 | (extensions.empty() ? 0 : kExtensionBit)),
                  static_cast<std::uint8_t>((marker ? kMarkerBit : 0) | payload_type),
                  static_cast<std::uint8_t>(sequence_number >> 8U),
                  static_cast<std::uint8_t>(sequence_number),
                  static_cast<std::uint8_t>(timestamp >> 24U),
                  static_cast<std::uint8_t>(timestamp >> 16U),
                  static_cast<std::uint8_t>(timestamp >> 8U),
                  static_cast<std::uint8_t>(timestamp),
                  static_cast<std::uint8_t>(ssrc >> 24U),
                  static_cast<std::uint8_t>(ssrc >> 16U),
                  static_cast<std::uint8_t>(ssrc >> 8U),
                  static_cast<std::uint8_t>(ssrc)};
  if (!extensions.empty()) {
    Bytes elements;
    for (const RtpExtensionElement& element : extensions) {
      elements.push_back(static_cast<std::uint8_t>(element.id << 4U | (element.value.size() - 1)));
      elements.insert(elements.end(), element.value.begin(), element.value.end());
    }
    while (elements.size() % 4 != 0) elements.push_back(0);
    const std::size_t words = elements.size() / 4;
    packet.insert(packet.end(), {0xBE, 0xDE, static_cast<std::uint8_t>(words >> 8U), static_cast<std::uint8_t>(words)});
    packet.insert(packet.end(), elements.begin(), elements.end());
  }
  packet.insert(packet.end(), payload.begin(), payload.end());
  return packet;
}

// --- The browser -----------------------------------------------------------------

inline TransportAddress LoopbackAddress(std::uint16_t port) {
  TransportAddress address;
  address.address = {127, 0, 0, 1};
  address.port = port;
  return address;
}

class FakeBrowser {
 public:
  // `name` makes the ICE credentials unique and readable in failures: ice-chars only.
  explicit FakeBrowser(const std::string& name)
      : certificate_(DtlsCertificate::Generate()),
        identity_{"fake" + name, "FakeBrowserPassword" + name + "0123456789", ""} {
    std::string error;
    socket_ = UdpSocket::Open("127.0.0.1", 0, &error);
    EXPECT_TRUE(socket_) << error;
    EXPECT_TRUE(certificate_);
    if (certificate_) identity_.fingerprint = certificate_->fingerprint();
  }

  bool ok() const { return socket_.has_value() && certificate_.has_value(); }
  const IceDtlsIdentity& identity() const { return identity_; }
  std::uint16_t port() const { return socket_->local_port(); }
  TransportAddress address() const { return LoopbackAddress(port()); }

  // Where this browser's peer connection goes, from the SFU's SDP.
  void SetServer(const ServerTransport& server) {
    server_ = server;
    server_address_ = LoopbackAddress(server.candidate_port);
  }

  // --- ICE (RFC 8445 §7.2.4): a check as the controlling agent.

  // A Binding request "<server ufrag>:<our ufrag>", integrity under `password`.
  Bytes BindingRequest(std::string_view server_ufrag, std::string_view password, bool use_candidate,
                       const StunTransactionId& transaction_id) const {
    constexpr std::uint32_t kPeerReflexivePriority = 1853824767;  // RFC 8445 §5.1.2: what Chromium sends
    constexpr std::uint64_t kTieBreaker = 0x0123456789ABCDEF;
    Bytes buffer(256);
    StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, transaction_id);
    writer.AddText(stun_attribute::kUsername, std::string(server_ufrag) + ":" + identity_.ufrag);
    writer.AddUint32(stun_attribute::kPriority, kPeerReflexivePriority);
    writer.AddUint64(stun_attribute::kIceControlling, kTieBreaker);
    if (use_candidate) writer.AddFlag(stun_attribute::kUseCandidate);
    writer.AddMessageIntegrity(password);
    writer.AddFingerprint();
    EXPECT_TRUE(writer.ok());
    buffer.resize(writer.size());
    return buffer;
  }

  StunTransactionId NextTransactionId() {
    StunTransactionId id{};
    id.fill(static_cast<std::uint8_t>(++transactions_));
    id[0] = static_cast<std::uint8_t>(port());
    return id;
  }

  // Sends a nominating check to the server and waits for its success response,
  // checked as RFC 8445 §7.2.5 says: same transaction, integrity under the
  // server's password, a correct FINGERPRINT, and our own address mapped.
  ::testing::AssertionResult Check(std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    const StunTransactionId id = NextTransactionId();
    Send(BindingRequest(server_.identity.ufrag, server_.identity.pwd, true, id));
    const auto response = WaitForStun(wait);
    if (!response) return ::testing::AssertionFailure() << "no answer to the connectivity check";
    const auto message = StunMessage::Parse(*response);
    if (!message) return ::testing::AssertionFailure() << "the answer is not STUN";
    if (message->message_class() != StunClass::kSuccessResponse) {
      return ::testing::AssertionFailure() << "not a success response";
    }
    if (!std::equal(id.begin(), id.end(), message->transaction_id().begin())) {
      return ::testing::AssertionFailure() << "another transaction";
    }
    if (!message->CheckMessageIntegrity(server_.identity.pwd)) {
      return ::testing::AssertionFailure() << "MESSAGE-INTEGRITY fails under the server's ice-pwd";
    }
    if (!message->CheckFingerprint()) return ::testing::AssertionFailure() << "bad FINGERPRINT";
    if (message->XorMappedAddress() != address()) {
      return ::testing::AssertionFailure() << "XOR-MAPPED-ADDRESS is not our address";
    }
    return ::testing::AssertionSuccess();
  }

  // --- DTLS (RFC 5763 §5) as the active side, then SRTP (RFC 5764 §4.2).

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
      return ::testing::AssertionFailure() << "DTLS did not connect: " << dtls_->failure();
    }
    if (!outbound_ || !inbound_) return ::testing::AssertionFailure() << "no SRTP sessions after DTLS";
    return ::testing::AssertionSuccess() << dtls_->srtp_profile_name();
  }

  DtlsSession::State dtls_state() const { return dtls_ ? dtls_->state() : DtlsSession::State::kNew; }

  // --- Media

  void SendRtp(const Bytes& plain) { SendProtected(plain, false); }
  void SendRtcp(const Bytes& plain) { SendProtected(plain, true); }

  // Every datagram that arrives: STUN kept for WaitForStun, DTLS handed to the
  // session, SRTP and SRTCP unprotected and kept (failures counted).
  void ReceiveFor(std::chrono::milliseconds wait) {
    pollfd readable{socket_->fd(), POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(wait.count())) <= 0) return;
    const std::size_t count = socket_->Receive(batch_);
    for (std::size_t i = 0; i < count; ++i) {
      const auto data = batch_.data(i);
      Handle(Bytes(data.begin(), data.end()));
    }
  }

  // Receives until `done()` or the deadline; returns done().
  template <typename Done>
  bool ReceiveUntil(Done&& done, std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    const auto deadline = Clock::now() + wait;
    while (!done() && Clock::now() < deadline) ReceiveFor(std::chrono::milliseconds(10));
    return done();
  }

  std::optional<Bytes> WaitForStun(std::chrono::milliseconds wait) {
    ReceiveUntil([this] { return !stun_.empty(); }, wait);
    if (stun_.empty()) return std::nullopt;
    Bytes first = std::move(stun_.front());
    stun_.pop_front();
    return first;
  }

  void Send(const Bytes& datagram) { Send(datagram, server_address_); }
  void Send(std::span<const std::uint8_t> datagram, const TransportAddress& to) {
    SendBatch batch(1);
    EXPECT_TRUE(batch.Add(datagram, to));
    socket_->Send(batch);
  }

  // Unprotected RTP and RTCP received so far, oldest first.
  std::vector<Bytes>& rtp() { return rtp_; }
  std::vector<Bytes>& rtcp() { return rtcp_; }
  std::size_t unprotect_failures() const { return unprotect_failures_; }
  std::size_t stun_received() const { return stun_received_; }

 private:
  DtlsSession::Send DtlsSend() {
    return [this](std::span<const std::uint8_t> bytes) { Send(bytes, server_address_); };
  }

  void Handle(Bytes datagram) {
    switch (ClassifyPacket(datagram)) {
      case PacketKind::kStun:
        ++stun_received_;
        stun_.push_back(std::move(datagram));
        return;
      case PacketKind::kDtls:
        if (!dtls_) return;
        dtls_->Receive(datagram, DtlsSend());
        if (dtls_->state() == DtlsSession::State::kConnected && !inbound_) MakeSrtpSessions();
        return;
      case PacketKind::kRtp:
      case PacketKind::kRtcp: {
        const bool rtcp = ClassifyPacket(datagram) == PacketKind::kRtcp;
        if (!inbound_) {
          ++unprotect_failures_;
          return;
        }
        const std::size_t length = datagram.size();
        const auto plain = rtcp ? inbound_->UnprotectRtcp(datagram, length) : inbound_->UnprotectRtp(datagram, length);
        if (!plain) {
          ++unprotect_failures_;
          return;
        }
        datagram.resize(*plain);
        (rtcp ? rtcp_ : rtp_).push_back(std::move(datagram));
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

  void SendProtected(const Bytes& plain, bool rtcp) {
    ASSERT_TRUE(outbound_) << "no SRTP yet";
    Bytes buffer = plain;
    buffer.resize(plain.size() + kSrtpMaxTrailerLength);
    const auto length =
        rtcp ? outbound_->ProtectRtcp(buffer, plain.size()) : outbound_->ProtectRtp(buffer, plain.size());
    ASSERT_TRUE(length);
    Send(std::span<const std::uint8_t>(buffer).first(*length), server_address_);
  }

  std::optional<DtlsCertificate> certificate_;
  IceDtlsIdentity identity_;
  std::optional<UdpSocket> socket_;
  ReceiveBatch batch_;
  ServerTransport server_;
  TransportAddress server_address_;
  std::uint32_t transactions_ = 0;
  std::unique_ptr<DtlsSession> dtls_;
  std::optional<SrtpSession> outbound_;
  std::optional<SrtpSession> inbound_;
  std::deque<Bytes> stun_;
  std::vector<Bytes> rtp_;
  std::vector<Bytes> rtcp_;
  std::size_t unprotect_failures_ = 0;
  std::size_t stun_received_ = 0;
};

}  // namespace egovbox::media::test
