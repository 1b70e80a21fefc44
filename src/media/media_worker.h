// One media worker: a thread, the UDP socket it owns, and the rooms it runs.
// Everything about those rooms happens on this thread: STUN answered, DTLS
// driven, SRTP removed and added, RTP rewritten and forwarded, RTCP answered,
// signaling applied. Other threads talk to it only through Post (a queue and
// an eventfd), so nothing here is locked on the packet path.
//
// The forwarding path allocates nothing: datagrams are read into a
// preallocated ReceiveBatch, decrypted in place, and each copy for a
// subscriber is written straight into a preallocated SendBatch slot.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>

#include "media/dtls_certificate.h"
#include "media/room.h"
#include "media/rtcp_packet.h"
#include "media/rtp_packet.h"
#include "media/sfu.h"
#include "media/tcp_media_listener.h"
#include "media/udp_socket.h"

namespace egovbox::media {

struct TransportAddressHash {
  std::size_t operator()(const TransportAddress& address) const noexcept;
};

class MediaWorker final : private RoomHost {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens the socket and makes the certificate; nullptr and `error` on failure.
  // `tcp_port`: the ICE-TCP listener's; 0: the UDP socket's number.
  static std::unique_ptr<MediaWorker> Open(const SfuOptions& options, std::uint16_t port,
                                           const std::vector<std::string>& announced_addresses, SfuObserver& observer,
                                           std::string* error, std::uint16_t tcp_port = 0);
  ~MediaWorker() override;  // stops the thread
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  void Start();
  std::uint16_t port() const { return socket_.local_port(); }

  // Thread-safe: each queues a command for the worker's thread.
  void Join(std::string room_id, std::string participant_id, nlohmann::json info);
  void HandleMessage(std::string participant_id, nlohmann::json message);
  void Leave(std::string participant_id, std::string reason);
  void HostMute(std::string participant_id, TrackSource source);
  void CloseRoom(std::string room_id);
  // As of the worker's last loop (at most ~20 ms old); never waits.
  SfuCounts Counts() const;

  struct Statistics {
    std::atomic<std::uint64_t> datagrams_received{0};
    std::atomic<std::uint64_t> rtp_forwarded{0};
    std::atomic<std::uint64_t> stun_answered{0};
    std::atomic<std::uint64_t> stun_refused{0};       // wrong credentials or malformed: never answered
    std::atomic<std::uint64_t> dropped{0};            // unknown sender, failed SRTP, unknown stream
    std::atomic<std::uint64_t> nacks_received{0};     // Generic NACK packets from subscribers
    std::atomic<std::uint64_t> rtp_retransmitted{0};  // packets resent to subscribers for them
    std::atomic<std::uint64_t> nacks_sent{0};         // Generic NACK packets to publishers
    std::atomic<std::uint64_t> rtx_refused{0};        // NACKed numbers over the resend budget or per-NACK limit
    std::atomic<std::size_t> rooms{0};
    std::atomic<std::size_t> participants{0};
    std::atomic<std::size_t> transports{0};
  };
  const Statistics& statistics() const { return statistics_; }
  // ICE over TCP (tcp_media_listener.h): connections and frames.
  const TcpMediaStatistics& tcp_statistics() const { return tcp_->statistics(); }

 private:
  struct Route {
    Participant* participant = nullptr;
    PeerConnection* connection = nullptr;
    std::optional<TransportAddress> address;  // the selected address it is routed by
    Clock::time_point created_at{};
  };

  MediaWorker(const SfuOptions& options, UdpSocket socket, std::unique_ptr<TcpMediaListener> tcp,
              DtlsCertificate certificate, std::vector<std::string> announced_addresses, SfuObserver& observer,
              int epoll_fd, int event_fd);
  void Post(std::function<void()> command);
  void Run();
  void RunCommands();
  void ReceiveDatagrams(Clock::time_point now);
  // ICE-TCP (media_worker_tcp.cc): frames read as datagrams; the batch's packets
  // for TCP connections queued on them and written; a closed connection forgotten.
  // `ready`: the listener's epoll said so; otherwise it is polled once a second
  // (timeouts, closes found while writing).
  void ReceiveStreams(Clock::time_point now, bool ready);
  void FlushStreams();
  void StreamClosed(const TransportAddress& address);
  void HandleDatagram(std::span<std::uint8_t> buffer, std::size_t length, const TransportAddress& source,
                      Clock::time_point now);
  void HandleStun(std::span<const std::uint8_t> datagram, const TransportAddress& source, Clock::time_point now);
  void HandleRtp(Route& route, std::span<std::uint8_t> buffer, std::size_t length, Clock::time_point now);
  void HandleRtcp(Route& route, std::span<std::uint8_t> buffer, std::size_t length, Clock::time_point now);
  void ForwardSenderReport(PublishedTrack& track, const RtcpSenderReport& report);
  // Loss and recovery (media_worker_recovery.cc, docs/media.md "Loss and recovery").
  // The publisher's stream of a packet; an RTX packet is unwrapped in place and
  // `plain` narrowed to the original. Null for no stream of the publisher.
  PublishedTrack* UnwrapPublished(Participant& publisher, std::span<std::uint8_t>& plain);
  // Keeps a video packet for NACKs and notes its gaps (not while a host holds the
  // track: nothing of that time is ever resent or asked for); false for a repeat
  // of a packet already kept (not to be forwarded again).
  bool KeepForRecovery(PublishedTrack& track, const RtpPacket& packet, Clock::time_point now);
  void HandleSubscriberNack(SubscribeSection& section, const RtcpNack& nack, Clock::time_point now);
  // Sends `stored` again as the section's `sequence_number`, without touching the
  // section's rewriter; nothing when it is not from the source forwarded now.
  void Resend(SubscribeSection& section, std::uint16_t sequence_number, std::span<const std::uint8_t> stored);
  // NACKs what publishers' video misses (due ones only); a keyframe request for what was given up.
  void SendPublisherNacks(Clock::time_point now);
  // Simulcast (media_worker_simulcast.cc, docs/media.md "Simulcast"). A packet of a
  // simulcast layer, found by its SSRC or bound to its layer by its mid and rid
  // extensions (an RTX packet by its repaired rid, unwrapped in place like
  // UnwrapPublished does); null for none. A layer's SSRC is replaced by a new one
  // at most once a second (the layer's state reset in place, nothing allocated);
  // packets of another new SSRC in between are dropped.
  PublishedTrack* UnwrapSimulcastLayer(Participant& publisher, std::span<std::uint8_t>& plain, Clock::time_point now);
  // Per section and packet of `layer`: whether to forward it (the section's
  // layer; a keyframe of the layer chosen switches to it).
  static bool ForwardsLayer(SubscribeSection& section, const PublishedTrack& layer, const RtpPacket& packet);
  // The published stream behind a section now: the layer it forwards, else its track.
  static PublishedTrack& StreamOf(SubscribeSection& section);
  // A keyframe request for a simulcast track: to the layers its sections forward or switch to.
  void RequestLayerKeyframes(Participant& publisher, PublishedTrack& track);
  // A subscriber's REMB and receiver reports (loss per section).
  void NoteSubscriberFeedback(Participant& subscriber, const RtcpPacketView& packet, Clock::time_point now);
  // Once a second: each simulcast section's layer chosen, keyframes asked for switches.
  void SelectLayers(Clock::time_point now);
  void Tick(Clock::time_point now);
  void SendReceiverReports(Participant& publisher, Clock::time_point now);
  void DropParticipant(Participant& participant, std::string_view reason);
  void SelectAddress(Route& route);
  // Drops the route's address from by_address_ if it still leads to this connection.
  void ForgetAddress(Route& route);
  // Another route than `except` is routed by `address` (media_worker_tcp.cc).
  bool AddressInUse(const TransportAddress& address, const Route& except) const;
  void PublishCounts();
  void Flush();
  // A free slot of the send batch (flushing a full one first).
  std::span<std::uint8_t> NextSlot();
  // Queues one datagram; flushes when the batch is full.
  void Send(std::span<const std::uint8_t> bytes, const TransportAddress& destination);
  // Protects an RTCP packet written in `slot` and queues it for the connection.
  void SendRtcp(PeerConnection& connection, std::span<std::uint8_t> slot, std::size_t length);

  // RoomHost
  void Deliver(const Participant& to, nlohmann::json message) override;
  LocalTransport LocalTransportOf(const PeerConnection& connection) const override;
  const DtlsCertificate& certificate() const override { return certificate_; }
  void Register(PeerConnection& connection, Participant& owner) override;
  void RenewIceCredentials(PeerConnection& connection) override;
  void Unregister(PeerConnection& connection) override;
  void RemoteParametersSet(PeerConnection& connection) override;
  void RequestKeyframe(Participant& publisher, PublishedTrack& track) override;
  std::uint32_t NewSsrc() override;

  const SfuOptions options_;
  UdpSocket socket_;
  std::unique_ptr<TcpMediaListener> tcp_;  // same port number as socket_
  DtlsCertificate certificate_;
  std::vector<std::string> announced_addresses_;
  SfuObserver& observer_;
  int epoll_fd_;
  int event_fd_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  std::mutex commands_mutex_;
  std::deque<std::function<void()>> commands_;  // GUARDED_BY(commands_mutex_)

  // Owned by the worker's thread from here on.
  ReceiveBatch receive_;
  SendBatch send_;
  std::unordered_map<std::string, std::unique_ptr<Room>> rooms_;
  std::unordered_map<std::string, Participant*> participants_;
  std::unordered_map<PeerConnection*, Route> routes_;
  // Found by the string_view of a STUN USERNAME without building a string.
  struct UfragHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view ufrag) const noexcept { return std::hash<std::string_view>{}(ufrag); }
  };
  std::unordered_map<std::string, PeerConnection*, UfragHash, std::equal_to<>> by_ufrag_;
  std::unordered_map<TransportAddress, PeerConnection*, TransportAddressHash> by_address_;
  std::mt19937 ssrc_random_;
  Clock::time_point next_report_{};
  Clock::time_point next_stream_poll_{};
  Statistics statistics_;
};

}  // namespace egovbox::media
