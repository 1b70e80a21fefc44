// One browser peer connection as the SFU sees it: its ICE-lite agent, its DTLS
// association, and the two SRTP sessions made from the DTLS keys (inbound for what
// the browser sends, outbound for what the SFU sends it). Knows nothing of tracks:
// the room decides what flows. Owned and used by one media worker thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "media/dtls_certificate.h"
#include "media/dtls_role.h"
#include "media/dtls_session.h"
#include "media/ice_lite.h"
#include "media/srtp_session.h"
#include "media/transport_address.h"

namespace egovbox::media {

class PeerConnection {
 public:
  using Clock = std::chrono::steady_clock;
  // Sends one datagram to an address (the worker's socket).
  using SendTo = std::function<void(std::span<const std::uint8_t>, const TransportAddress&)>;

  explicit PeerConnection(const DtlsCertificate& certificate);

  IceLiteAgent& ice() { return ice_; }
  const IceLiteAgent& ice() const { return ice_; }

  // From the browser's SDP. A first call, or a new fingerprint, starts a new DTLS
  // association; the same parameters again (a renegotiation) change nothing.
  void SetRemoteParameters(const std::string& ufrag, const std::string& pwd, const std::string& fingerprint,
                           DtlsRole local_role);

  // After a STUN request nominated or changed the selected address. As DTLS
  // client, the handshake starts once there is an address to send to.
  void AddressSelected(const SendTo& send);
  void ReceiveDtls(std::span<const std::uint8_t> datagram, const TransportAddress& source, const SendTo& send);
  std::optional<Clock::time_point> NextDtlsTimeout() const;
  void HandleDtlsTimeout(const SendTo& send);
  void Close(const SendTo& send);

  // DTLS is done and both SRTP sessions exist.
  bool media_ready() const { return inbound_.has_value() && outbound_.has_value(); }
  bool failed() const;
  // True once, the first time media became ready (to ask publishers for keyframes).
  bool TakeBecameReady();
  std::optional<TransportAddress> address() const { return ice_.selected_address(); }
  SrtpSession& inbound() { return *inbound_; }
  SrtpSession& outbound() { return *outbound_; }

 private:
  void MakeSrtpSessions();
  const DtlsCertificate& certificate_;
  IceLiteAgent ice_;
  std::string remote_fingerprint_;
  DtlsRole local_role_ = DtlsRole::kServer;
  std::unique_ptr<DtlsSession> dtls_;
  bool dtls_started_ = false;
  std::optional<SrtpSession> inbound_;
  std::optional<SrtpSession> outbound_;
  bool ready_reported_ = false;
};

}  // namespace egovbox::media
