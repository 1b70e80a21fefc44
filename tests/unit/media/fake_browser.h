// A browser played by our own media classes, for tests of the SFU: the SDP a
// browser would send (Chromium's captured offers with this browser's ICE
// credentials and certificate; answers made from the SFU's offers), and
// FakeBrowser, one peer connection's client side over a real UDP socket on
// loopback — ICE checks as the controlling agent, DTLS as the client (a=setup
// active), SRTP with the exported keys.
//
// The client role itself (checks, DTLS client, SRTP, the SDP a browser sends) is
// media::ClientPeer and client_sdp.h in src/media, shared with bench/sfu's
// egovbox-loadgen; this file adds gtest reporting and test conveniences.
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
#include "media/client_peer.h"
#include "media/client_sdp.h"
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

// The client side's SDP lives in src/media/client_sdp.h, shared with egovbox-loadgen.
using media::IceDtlsIdentity;
using media::RewriteSdpLines;
using media::ServerTransport;
using media::SubscribeAnswerFor;
using media::WithIdentity;

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

// The SFU's end as its SDP (offer or answer) tells it (a failure when it cannot).
inline std::optional<ServerTransport> ServerTransportOf(std::string_view sdp) {
  std::string error;
  auto transport = media::ServerTransportOf(sdp, &error);
  if (!transport) ADD_FAILURE() << error << ":\n" << sdp;
  return transport;
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

// A thin test face over media::ClientPeer (src/media/client_peer.h): the same
// checks, handshake and SRTP, with failures reported to gtest and what arrives
// kept as copies.
class FakeBrowser {
 public:
  // `name` makes the ICE credentials unique and readable in failures: ice-chars only.
  explicit FakeBrowser(const std::string& name) {
    std::string error;
    peer_ = ClientPeer::Open(name, &error);
    EXPECT_TRUE(peer_) << error;
    if (!peer_) return;
    peer_->SetMediaHandler([this](PacketKind kind, std::span<std::uint8_t> packet, bool /*verified*/) {
      (kind == PacketKind::kRtcp ? rtcp_ : rtp_).emplace_back(packet.begin(), packet.end());
    });
  }

  bool ok() const { return peer_ != nullptr; }
  const IceDtlsIdentity& identity() const { return peer_->identity(); }
  std::uint16_t port() const { return peer_->port(); }
  TransportAddress address() const { return LoopbackAddress(port()); }
  ClientPeer& peer() { return *peer_; }

  // Where this browser's peer connection goes, from the SFU's SDP.
  void SetServer(const ServerTransport& server) {
    ServerTransport loopback = server;
    loopback.candidate_ip = "127.0.0.1";
    peer_->SetServer(loopback);
  }

  // --- ICE (RFC 8445 §7.2.4): a check as the controlling agent.

  // A Binding request "<server ufrag>:<our ufrag>", integrity under `password`.
  Bytes BindingRequest(std::string_view server_ufrag, std::string_view password, bool use_candidate,
                       const StunTransactionId& transaction_id) const {
    Bytes request = peer_->BindingRequest(server_ufrag, password, use_candidate, transaction_id);
    EXPECT_FALSE(request.empty());
    return request;
  }

  StunTransactionId NextTransactionId() { return peer_->NextTransactionId(); }

  // Sends a nominating check to the server and waits for its success response,
  // checked as RFC 8445 §7.2.5 says: same transaction, integrity under the
  // server's password, a correct FINGERPRINT, and our own address mapped.
  ::testing::AssertionResult Check(std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    const std::string failure = peer_->Check(wait);
    if (!failure.empty()) return ::testing::AssertionFailure() << failure;
    return ::testing::AssertionSuccess();
  }

  // --- DTLS (RFC 5763 §5) as the active side, then SRTP (RFC 5764 §4.2).

  ::testing::AssertionResult Handshake(std::chrono::milliseconds wait = std::chrono::seconds(3)) {
    const std::string failure = peer_->Handshake(wait);
    if (!failure.empty()) return ::testing::AssertionFailure() << failure;
    return ::testing::AssertionSuccess() << peer_->srtp_profile_name();
  }

  DtlsSession::State dtls_state() const { return peer_->dtls_state(); }

  // --- Media

  void SendRtp(const Bytes& plain) { ASSERT_TRUE(peer_->SendRtp(plain)) << "no SRTP yet, or protect failed"; }
  void SendRtcp(const Bytes& plain) { ASSERT_TRUE(peer_->SendRtcp(plain)) << "no SRTP yet, or protect failed"; }

  // Every datagram that arrives: STUN kept for WaitForStun, DTLS handed to the
  // session, SRTP and SRTCP unprotected and kept (failures counted).
  void ReceiveFor(std::chrono::milliseconds wait) { peer_->ReceiveFor(wait); }

  // Receives until `done()` or the deadline; returns done().
  template <typename Done>
  bool ReceiveUntil(Done&& done, std::chrono::milliseconds wait = std::chrono::seconds(2)) {
    const auto deadline = Clock::now() + wait;
    while (!done() && Clock::now() < deadline) ReceiveFor(std::chrono::milliseconds(10));
    return done();
  }

  std::optional<Bytes> WaitForStun(std::chrono::milliseconds wait) { return peer_->WaitForStun(wait); }

  void Send(const Bytes& datagram) { peer_->Send(datagram); }
  void Send(std::span<const std::uint8_t> datagram, const TransportAddress& to) { peer_->Send(datagram, to); }

  // Unprotected RTP and RTCP received so far, oldest first.
  std::vector<Bytes>& rtp() { return rtp_; }
  std::vector<Bytes>& rtcp() { return rtcp_; }
  std::size_t unprotect_failures() const { return peer_->counters().unprotect_failures; }
  std::size_t stun_received() const { return peer_->counters().stun_received; }

 private:
  std::unique_ptr<ClientPeer> peer_;
  std::vector<Bytes> rtp_;
  std::vector<Bytes> rtcp_;
};

}  // namespace egovbox::media::test
