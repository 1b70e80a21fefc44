// One peer connection's client side, as a browser plays it against the SFU, over a
// real UDP socket: ICE checks as the controlling agent (RFC 8445 §7.2.4), DTLS as
// the client (a=setup:active, RFC 5763 §5), SRTP with the exported keys (RFC 5764
// §4.2). Shared by the unit tests' FakeBrowser and bench/sfu's egovbox-loadgen, so
// what the tests check is what the benchmark drives.
//
// Receiving: Drain() reads every waiting datagram (recvmmsg) and dispatches it:
// STUN is queued for TakeStun (at most kMaxQueuedStun kept), DTLS goes to the
// session, SRTP and SRTCP are unprotected in place and handed to the media handler
// (failures counted). Sending media: Slot() + CommitRtp/CommitRtcp protect in place
// into a send batch that Flush() (or a full batch) sends with sendmmsg; no
// allocation per packet on either path once running.
//
// The blocking helpers (Check, Handshake, ReceiveFor) poll the socket with a
// deadline and report failure as a sentence (empty on success); nothing throws.
// Not thread-safe: one thread drives a ClientPeer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/client_sdp.h"
#include "media/dtls_certificate.h"
#include "media/dtls_session.h"
#include "media/packet_kind.h"
#include "media/srtp_session.h"
#include "media/stun.h"
#include "media/transport_address.h"
#include "media/udp_socket.h"

namespace egovbox::media {

struct ClientPeerCounters {
  std::uint64_t stun_received = 0;
  std::uint64_t rtp_received = 0;   // unprotected and handed to the handler
  std::uint64_t rtcp_received = 0;  // likewise
  std::uint64_t unprotect_failures = 0;
  std::uint64_t rtp_unverified = 0;  // passed on without unprotecting (set_unprotect_one_in)
};

class ClientPeer {
 public:
  // An RTP or RTCP packet (kind kRtp or kRtcp), valid during the call: unprotected
  // when `verified`, else an SRTP packet passed on as it came (see
  // set_unprotect_one_in; its RTP header is readable, its payload is not).
  using MediaHandler = std::function<void(PacketKind kind, std::span<std::uint8_t> packet, bool verified)>;
  static constexpr std::size_t kMaxQueuedStun = 64;

  // A socket on 127.0.0.1 (port chosen by the kernel), a fresh certificate, and ICE
  // credentials made from `name` (ice-chars only). Null with a sentence in `error`.
  // `only_profile`: offer just that SRTP profile in DTLS (a browser offers both).
  static std::unique_ptr<ClientPeer> Open(std::string_view name, std::string* error, std::size_t receive_batch = 32,
                                          std::optional<SrtpProfile> only_profile = std::nullopt);

  ClientPeer(const ClientPeer&) = delete;
  ClientPeer& operator=(const ClientPeer&) = delete;
  ~ClientPeer();

  const IceDtlsIdentity& identity() const { return identity_; }
  std::uint16_t port() const { return socket_.local_port(); }
  TransportAddress address() const;
  int fd() const { return socket_.fd(); }
  UdpSocket& socket() { return socket_; }

  // Where this peer connection goes, from the SFU's SDP.
  void SetServer(const ServerTransport& server);
  const ServerTransport& server() const { return server_; }
  const TransportAddress& server_address() const { return server_address_; }
  void SetMediaHandler(MediaHandler handler) { media_handler_ = std::move(handler); }
  // Unprotect only one SRTP packet in `n` (1, the default: all), handing the others
  // to the media handler unverified: for a load generator that must cost the
  // receiving side less than the SFU it measures. RTCP is always unprotected.
  void set_unprotect_one_in(std::uint32_t n) { unprotect_one_in_ = n == 0 ? 1 : n; }

  // --- ICE (RFC 8445 §7.2.4): checks as the controlling agent.

  // A Binding request "<server ufrag>:<our ufrag>", integrity under `password`.
  std::vector<std::uint8_t> BindingRequest(std::string_view server_ufrag, std::string_view password, bool use_candidate,
                                           const StunTransactionId& transaction_id) const;
  StunTransactionId NextTransactionId();
  // Sends a nominating check to the server without waiting (consent freshness, RFC
  // 7675); its answer lands in the STUN queue.
  StunTransactionId SendCheck();
  // Checks an answer to `id` as RFC 8445 §7.2.5 says: same transaction, integrity
  // under the server's password, a correct FINGERPRINT, our own address mapped.
  // Empty on success, else why not.
  std::string VerifyCheckResponse(std::span<const std::uint8_t> response, const StunTransactionId& id) const;
  // SendCheck, then waits for the answer and verifies it.
  std::string Check(std::chrono::milliseconds wait = std::chrono::seconds(2));

  // --- DTLS as the client, then SRTP. Empty on success (srtp_profile_name() then
  // names the profile), else why not.
  std::string Handshake(std::chrono::milliseconds wait = std::chrono::seconds(3));
  DtlsSession::State dtls_state() const { return dtls_ ? dtls_->state() : DtlsSession::State::kNew; }
  std::string_view srtp_profile_name() const { return dtls_ ? dtls_->srtp_profile_name() : std::string_view(); }
  bool media_ready() const { return outbound_.has_value() && inbound_.has_value(); }

  // --- Receiving

  // Reads and dispatches every waiting datagram; returns how many.
  std::size_t Drain();
  // Waits up to `wait` for the socket to be readable, then Drain.
  std::size_t ReceiveFor(std::chrono::milliseconds wait);
  // The oldest queued STUN message, if any.
  std::optional<std::vector<std::uint8_t>> TakeStun();
  std::optional<std::vector<std::uint8_t>> WaitForStun(std::chrono::milliseconds wait);

  // --- Sending

  // Sends one datagram at once.
  void Send(std::span<const std::uint8_t> datagram, const TransportAddress& to);
  void Send(std::span<const std::uint8_t> datagram) { Send(datagram, server_address_); }
  // Protects a copy of `plain` and sends it at once. False before SRTP or on failure.
  bool SendRtp(std::span<const std::uint8_t> plain);
  bool SendRtcp(std::span<const std::uint8_t> plain);
  // The next send slot (kDatagramBufferSize bytes): write a plain packet at its
  // start, then CommitRtp/CommitRtcp its length to protect it in place and queue it
  // for the server. False before SRTP or when protection fails.
  std::span<std::uint8_t> Slot();
  bool CommitRtp(std::size_t plain_length);
  bool CommitRtcp(std::size_t plain_length);
  std::size_t Flush();

  const ClientPeerCounters& counters() const { return counters_; }
  SrtpError last_protect_error() const { return outbound_ ? outbound_->last_error() : SrtpError::kOther; }

 private:
  ClientPeer(UdpSocket socket, DtlsCertificate certificate, IceDtlsIdentity identity, std::size_t receive_batch);
  DtlsSession::Send DtlsSend();
  void Handle(std::span<std::uint8_t> buffer, std::size_t length);
  void MakeSrtpSessions();
  bool Commit(std::size_t plain_length, bool rtcp);

  UdpSocket socket_;
  DtlsCertificate certificate_;
  IceDtlsIdentity identity_;
  ReceiveBatch receive_;
  SendBatch send_;
  ServerTransport server_;
  TransportAddress server_address_;
  std::uint32_t transactions_ = 0;
  std::unique_ptr<DtlsSession> dtls_;
  std::optional<SrtpSession> outbound_;
  std::optional<SrtpSession> inbound_;
  std::string srtp_failure_;
  std::deque<std::vector<std::uint8_t>> stun_;
  MediaHandler media_handler_;
  std::uint32_t unprotect_one_in_ = 1;
  std::uint32_t rtp_until_verified_ = 0;
  ClientPeerCounters counters_;
};

}  // namespace egovbox::media
