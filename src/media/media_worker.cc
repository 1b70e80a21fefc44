#include "media/media_worker.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <future>

#include "media/packet_kind.h"
#include "media/receive_statistics.h"
#include "media/rtcp_packet.h"
#include "media/rtp_packet.h"
#include "media/stun.h"

namespace egovbox::media {

using nlohmann::json;

namespace {

constexpr auto kLoopWait = std::chrono::milliseconds(20);
constexpr auto kReportInterval = std::chrono::seconds(1);
constexpr auto kKeyframeRequestInterval = std::chrono::milliseconds(500);
// A connection whose browser never completed a connectivity check is given up.
constexpr auto kConnectTimeout = std::chrono::seconds(30);
// The SSRC the SFU signs its own RTCP with (receiver reports, PLI, REMB).
constexpr std::uint32_t kSfuSsrc = 1;

}  // namespace

std::size_t TransportAddressHash::operator()(const TransportAddress& address) const noexcept {
  std::size_t hash = address.port ^ (std::size_t{address.tcp_connection} << 16U);
  for (const std::uint8_t byte : address.address) hash = hash * 131 + byte;
  return hash;
}

std::unique_ptr<MediaWorker> MediaWorker::Open(const SfuOptions& options, std::uint16_t port,
                                               const std::vector<std::string>& announced_addresses,
                                               SfuObserver& observer, std::string* error, std::uint16_t tcp_port) {
  // RFC 6544: the passive ICE-TCP candidate; on the UDP socket's port number
  // unless that is taken for TCP by the HTTPS server (docs/media.md). A UDP port
  // the system chose (port 0, in tests) may be taken for TCP: then another is tried.
  constexpr int kPortAttempts = 16;
  std::optional<UdpSocket> socket;
  std::unique_ptr<TcpMediaListener> tcp;
  for (int attempt = 1; !tcp; ++attempt) {
    socket = UdpSocket::Open(options.bind_address, port, error);
    if (!socket) return nullptr;
    tcp = TcpMediaListener::Open(options.bind_address, tcp_port == 0 ? socket->local_port() : tcp_port, error);
    if (!tcp && (port != 0 || tcp_port != 0 || attempt == kPortAttempts)) return nullptr;
  }
  auto certificate = DtlsCertificate::Generate();
  if (!certificate) {
    *error = "cannot make the DTLS certificate";
    return nullptr;
  }
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  const int event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd < 0 || event_fd < 0) {
    *error = std::string("epoll/eventfd: ") + std::strerror(errno);
    if (epoll_fd >= 0) close(epoll_fd);
    if (event_fd >= 0) close(event_fd);
    return nullptr;
  }
  for (const int fd : {socket->fd(), tcp->fd(), event_fd}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  }
  return std::unique_ptr<MediaWorker>(new MediaWorker(options, std::move(*socket), std::move(tcp),
                                                      std::move(*certificate), announced_addresses, observer, epoll_fd,
                                                      event_fd));
}

MediaWorker::MediaWorker(const SfuOptions& options, UdpSocket socket, std::unique_ptr<TcpMediaListener> tcp,
                         DtlsCertificate certificate, std::vector<std::string> announced_addresses,
                         SfuObserver& observer, int epoll_fd, int event_fd)
    : options_(options),
      socket_(std::move(socket)),
      tcp_(std::move(tcp)),
      certificate_(std::move(certificate)),
      announced_addresses_(std::move(announced_addresses)),
      observer_(observer),
      epoll_fd_(epoll_fd),
      event_fd_(event_fd),
      ssrc_random_(std::random_device{}()) {
  tcp_->SetHandlers(
      [this](auto buffer, auto length, const auto& source, auto now) { HandleDatagram(buffer, length, source, now); },
      [this](const auto& address) { StreamClosed(address); });
}

MediaWorker::~MediaWorker() {
  stopping_ = true;
  const std::uint64_t one = 1;
  if (write(event_fd_, &one, sizeof one) < 0) spdlog::debug("media: wake-up write failed");
  if (thread_.joinable()) thread_.join();
  rooms_.clear();  // before the routes they unregister from
  close(epoll_fd_);
  close(event_fd_);
}

void MediaWorker::Start() {
  thread_ = std::thread([this] { Run(); });
  // Named so that tools find it in /proc/PID/task/*/comm (bench/sfu pins it to a core).
  pthread_setname_np(thread_.native_handle(), "media-worker");
}

void MediaWorker::Post(std::function<void()> command) {
  {
    const std::lock_guard lock(commands_mutex_);
    commands_.push_back(std::move(command));
  }
  const std::uint64_t one = 1;
  if (write(event_fd_, &one, sizeof one) < 0) spdlog::debug("media: wake-up write failed");
}

void MediaWorker::Join(std::string room_id, std::string participant_id, json info) {
  Post([this, room_id = std::move(room_id), participant_id = std::move(participant_id),
        info = std::move(info)]() mutable {
    auto& room = rooms_[room_id];
    if (!room) {
      room = std::make_unique<Room>(room_id, static_cast<RoomHost&>(*this));
      room->SetLastN(options_.last_n);
    }
    Participant& joined = room->Join(participant_id, info);
    participants_[participant_id] = &joined;
    observer_.ParticipantJoined(room_id, participant_id, info);
  });
}

void MediaWorker::HandleMessage(std::string participant_id, json message) {
  Post([this, participant_id = std::move(participant_id), message = std::move(message)] {
    const auto found = participants_.find(participant_id);
    if (found == participants_.end()) return;
    rooms_.at(found->second->room_id)->HandleMessage(*found->second, message);
  });
}

void MediaWorker::Leave(std::string participant_id, std::string reason) {
  Post([this, participant_id = std::move(participant_id), reason = std::move(reason)] {
    const auto found = participants_.find(participant_id);
    if (found != participants_.end()) DropParticipant(*found->second, reason);
  });
}

void MediaWorker::HostMute(std::string participant_id, TrackSource source) {
  Post([this, participant_id = std::move(participant_id), source] {
    const auto found = participants_.find(participant_id);
    if (found != participants_.end()) rooms_.at(found->second->room_id)->HostMute(*found->second, source);
  });
}

void MediaWorker::CloseRoom(std::string room_id) {
  Post([this, room_id = std::move(room_id)] {
    // Looked up again each time: dropping the last participant erases the room.
    for (auto room = rooms_.find(room_id); room != rooms_.end(); room = rooms_.find(room_id)) {
      DropParticipant(*room->second->participants().back(), "closed");
    }
  });
}

SfuCounts MediaWorker::Counts() const {
  SfuCounts counts;
  counts.rooms = statistics_.rooms.load(std::memory_order_relaxed);
  counts.participants = statistics_.participants.load(std::memory_order_relaxed);
  counts.transports = statistics_.transports.load(std::memory_order_relaxed);
  return counts;
}

void MediaWorker::PublishCounts() {
  statistics_.rooms.store(rooms_.size(), std::memory_order_relaxed);
  statistics_.participants.store(participants_.size(), std::memory_order_relaxed);
  statistics_.transports.store(routes_.size(), std::memory_order_relaxed);
}

void MediaWorker::DropParticipant(Participant& participant, std::string_view reason) {
  const std::string room_id = participant.room_id;
  const std::string participant_id = participant.id;
  const json info = participant.info;
  auto& room = rooms_.at(room_id);
  participants_.erase(participant_id);
  room->Leave(participant);
  if (room->empty()) rooms_.erase(room_id);
  observer_.ParticipantLeft(room_id, participant_id, info, reason);
}

// ---------------------------------------------------------------------------
// The loop

void MediaWorker::Run() {
  std::array<epoll_event, 3> events{};
  while (!stopping_) {
    const int ready =
        epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(kLoopWait.count()));
    const auto now = Clock::now();
    bool streams_ready = false;
    for (int i = 0; i < ready; ++i) {
      streams_ready = streams_ready || events[static_cast<std::size_t>(i)].data.fd == tcp_->fd();
      if (events[static_cast<std::size_t>(i)].data.fd == event_fd_) {
        std::uint64_t count = 0;
        if (read(event_fd_, &count, sizeof count) < 0) count = 0;
      }
    }
    RunCommands();
    ReceiveDatagrams(now);
    ReceiveStreams(now, streams_ready);
    Tick(now);
    Flush();
    PublishCounts();
  }
}

void MediaWorker::RunCommands() {
  std::deque<std::function<void()>> commands;
  {
    const std::lock_guard lock(commands_mutex_);
    commands.swap(commands_);
  }
  for (auto& command : commands) {
    // One bad command must not end the worker and every room on it.
    try {
      command();
    } catch (const std::exception& error) {
      spdlog::error("media: a command failed: {}", error.what());
    }
  }
}

void MediaWorker::ReceiveDatagrams(Clock::time_point now) {
  // Bounded, so commands and timers are not starved under a flood.
  for (int round = 0; round < 64; ++round) {
    const std::size_t count = socket_.Receive(receive_);
    for (std::size_t i = 0; i < count; ++i) {
      HandleDatagram(receive_.buffer(i), receive_.data(i).size(), receive_.source(i), now);
    }
    statistics_.datagrams_received.fetch_add(count, std::memory_order_relaxed);
    if (count < receive_.capacity()) return;
  }
}

void MediaWorker::HandleDatagram(std::span<std::uint8_t> buffer, std::size_t length, const TransportAddress& source,
                                 Clock::time_point now) {
  const auto datagram = buffer.first(length);
  const PacketKind kind = ClassifyPacket(datagram);
  if (kind == PacketKind::kStun) return HandleStun(datagram, source, now);
  const auto found = by_address_.find(source);
  if (found == by_address_.end()) {
    // DTLS may come from an address before a nominating check names it.
    if (kind != PacketKind::kDtls) {
      statistics_.dropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  if (kind == PacketKind::kDtls) {
    if (found == by_address_.end()) return;
    Route& route = routes_.at(found->second);
    route.connection->ReceiveDtls(datagram, source, [this](auto bytes, const auto& to) { Send(bytes, to); });
    if (route.connection->TakeBecameReady() && route.connection == route.participant->subscribe.get()) {
      rooms_.at(route.participant->room_id)->SubscriberReady(*route.participant);
    }
    return;
  }
  Route& route = routes_.at(found->second);
  if (kind == PacketKind::kRtp) return HandleRtp(route, buffer, length, now);
  if (kind == PacketKind::kRtcp) return HandleRtcp(route, buffer, length, now);
  statistics_.dropped.fetch_add(1, std::memory_order_relaxed);
}

void MediaWorker::HandleStun(std::span<const std::uint8_t> datagram, const TransportAddress& source,
                             Clock::time_point now) {
  const auto message = StunMessage::Parse(datagram);
  const auto ufrag = message ? LocalUfragOf(*message) : std::nullopt;
  const auto found = ufrag ? by_ufrag_.find(*ufrag) : by_ufrag_.end();
  if (found == by_ufrag_.end()) {
    // Unknown or stale ufrag: nothing is answered (RFC 8445 §7.3: no response to
    // a request we cannot authenticate), only counted.
    statistics_.stun_refused.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Route& route = routes_.at(found->second);
  std::array<std::uint8_t, kIceResponseCapacity> response{};
  const auto outcome = route.connection->ice().HandleStun(*message, source, now, response);
  if (outcome.response_length > 0) {
    Send(std::span(response).first(outcome.response_length), source);
    statistics_.stun_answered.fetch_add(1, std::memory_order_relaxed);
  } else if (outcome.verdict != IceLiteAgent::Verdict::kNotForUs) {
    statistics_.stun_refused.fetch_add(1, std::memory_order_relaxed);
  }
  if (outcome.selected_changed) SelectAddress(route);
}

void MediaWorker::SelectAddress(Route& route) {
  const auto selected = route.connection->ice().selected_address();
  ForgetAddress(route);
  route.address = selected;
  if (selected) {
    // An address belongs to one connection: a browser may reuse a port for a new one.
    auto& owner = by_address_[*selected];
    if (owner != nullptr && owner != route.connection) routes_.at(owner).address.reset();
    owner = route.connection;
  }
  route.connection->AddressSelected([this](auto bytes, const auto& to) { Send(bytes, to); });
}

// ---------------------------------------------------------------------------
// Timers

void MediaWorker::Tick(Clock::time_point now) {
  // By id: a participant may appear twice (both connections), and the first drop destroys it.
  std::vector<std::pair<std::string, std::string_view>> gone;
  for (auto& [connection, route] : routes_) {
    const auto timeout = connection->NextDtlsTimeout();
    if (timeout && *timeout <= now) {
      connection->HandleDtlsTimeout([this](auto bytes, const auto& to) { Send(bytes, to); });
    }
    // Consent once given, it expires (RFC 7675), even after a closed ICE-TCP connection took the address.
    const bool silent = connection->ice().consented() ? connection->ice().ConsentExpired(now)
                                                      : now - route.created_at > kConnectTimeout;
    const bool stuck = !connection->media_ready() && now - route.created_at > kConnectTimeout;
    if (silent) {
      gone.emplace_back(route.participant->id, "timeout");
    } else if (connection->failed() || stuck) {
      gone.emplace_back(route.participant->id, "failed");
    }
  }
  for (const auto& [participant_id, reason] : gone) {
    const auto found = participants_.find(participant_id);
    if (found != participants_.end()) DropParticipant(*found->second, reason);
  }
  SendPublisherNacks(now);
  for (auto& [id, room] : rooms_) room->DetectSpeakers(now);
  if (now < next_report_) return;
  next_report_ = now + kReportInterval;
  for (auto& [id, participant] : participants_) SendReceiverReports(*participant, now);
  SelectLayers(now);
}

// ---------------------------------------------------------------------------
// Sending

void MediaWorker::Send(std::span<const std::uint8_t> bytes, const TransportAddress& destination) {
  if (send_.full()) Flush();
  send_.Add(bytes, destination);
}

void MediaWorker::Flush() {
  if (send_.size() == 0) return;
  FlushStreams();  // the ICE-TCP destinations first: the socket skips them
  socket_.Send(send_);
}

void MediaWorker::SendRtcp(PeerConnection& connection, std::span<std::uint8_t> slot, std::size_t length) {
  const auto address = connection.address();
  if (length == 0 || !address || !connection.media_ready()) return;
  const auto protected_length = connection.outbound().ProtectRtcp(slot, length);
  if (protected_length) send_.Commit(*protected_length, *address);
}

// ---------------------------------------------------------------------------
// RoomHost

void MediaWorker::Deliver(const Participant& to, json message) {
  observer_.Deliver(to.id, message);
}

LocalTransport MediaWorker::LocalTransportOf(const PeerConnection& connection) const {
  LocalTransport local;
  local.ice_ufrag = connection.ice().local_ufrag();
  local.ice_pwd = connection.ice().local_pwd();
  local.fingerprint = certificate_.fingerprint();
  for (const auto& address : announced_addresses_) {
    local.candidates.push_back({address, socket_.local_port(), tcp_->local_port()});
  }
  return local;
}

void MediaWorker::Register(PeerConnection& connection, Participant& owner) {
  Route route;
  route.participant = &owner;
  route.connection = &connection;
  route.created_at = Clock::now();
  routes_[&connection] = route;
  by_ufrag_[connection.ice().local_ufrag()] = &connection;
}

void MediaWorker::RenewIceCredentials(PeerConnection& connection) {
  by_ufrag_.erase(connection.ice().local_ufrag());
  connection.ice().RenewLocalCredentials();
  by_ufrag_[connection.ice().local_ufrag()] = &connection;
}

void MediaWorker::ForgetAddress(Route& route) {
  if (!route.address) return;
  const auto owner = by_address_.find(*route.address);
  if (owner != by_address_.end() && owner->second == route.connection) {
    by_address_.erase(owner);
    // An ICE-TCP connection no other route uses any more is closed (its slot freed).
    if (route.address->tcp_connection != 0 && !AddressInUse(*route.address, route)) tcp_->Disconnect(*route.address);
  }
  route.address.reset();
}

void MediaWorker::Unregister(PeerConnection& connection) {
  connection.Close([this](auto bytes, const auto& to) { Send(bytes, to); });
  const auto found = routes_.find(&connection);
  if (found == routes_.end()) return;
  ForgetAddress(found->second);
  by_ufrag_.erase(connection.ice().local_ufrag());
  routes_.erase(found);
}

void MediaWorker::RemoteParametersSet(PeerConnection& connection) {
  connection.AddressSelected([this](auto bytes, const auto& to) { Send(bytes, to); });
}

std::uint32_t MediaWorker::NewSsrc() {
  std::uint32_t ssrc = 0;
  while (ssrc <= kSfuSsrc) ssrc = static_cast<std::uint32_t>(ssrc_random_());
  return ssrc;
}

}  // namespace egovbox::media

namespace egovbox::media {

// ---------------------------------------------------------------------------
// RTP: from a publisher, to every subscriber of the track

namespace {

// Any published stream: a track, or a layer of a simulcast track.
PublishedTrack* TrackOfSsrc(Participant& publisher, std::uint32_t ssrc) {
  PublishedTrack* found = nullptr;
  ForEachPublishedStream(publisher, [&](PublishedTrack& stream) {
    if (found == nullptr && stream.ssrc != 0 && stream.ssrc == ssrc) found = &stream;
  });
  return found;
}

}  // namespace

void MediaWorker::HandleRtp(Route& route, std::span<std::uint8_t> buffer, std::size_t length, Clock::time_point now) {
  Participant& publisher = *route.participant;
  PeerConnection& connection = *route.connection;
  if (&connection != publisher.publish.get() || !connection.media_ready()) {
    statistics_.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto plain_length = connection.inbound().UnprotectRtp(buffer, length);
  std::span<std::uint8_t> plain = plain_length ? buffer.first(*plain_length) : std::span<std::uint8_t>();
  // An RTX packet becomes the original it repairs, `plain` narrowed to it.
  PublishedTrack* track = plain_length ? UnwrapPublished(publisher, plain) : nullptr;
  if (track == nullptr && plain_length) track = UnwrapSimulcastLayer(publisher, plain, now);  // simulcast
  const auto packet = track && track->layers.empty() ? RtpPacket::Parse(plain) : std::nullopt;
  if (!packet || packet->payload_type() != track->payload_type) {
    statistics_.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  CountReceived(track->statistics, *packet, track->clock_rate, now);
  // Kept for NACKs, its gaps NACKed; a repeat of what was forwarded goes no further.
  if (!KeepForRecovery(*track, *packet, now)) return;
  // Simulcast: a layer is measured, then forwarded as its track to the sections on it.
  PublishedTrack* const layer = track->layer_of != nullptr ? track : nullptr;
  if (layer != nullptr) {
    layer->meter.Add(plain.size(), packet->payload(), now);
    track = layer->layer_of;
  }
  // Muted by a host: received (the publisher's reports stay true), never forwarded.
  if (track->held) return;
  if (track->kind == MediaKind::kAudio) publisher.voice.AddPacket(*packet, track->audio_level_id);
  for (SubscribeSection* section : track->subscribers) {
    PeerConnection* out = section->subscriber->subscribe.get();
    if (!section->negotiated || out == nullptr || !out->media_ready() || !out->address()) continue;
    if (layer != nullptr && !ForwardsLayer(*section, *layer, *packet)) continue;  // simulcast
    if (!ForwardsOnStage(*section, *track, *packet)) continue;                    // Last-N
    const std::span<std::uint8_t> slot = NextSlot();
    std::memcpy(slot.data(), plain.data(), plain.size());
    auto copy = RtpPacket::Parse(slot.first(plain.size()));
    const auto rewritten = section->rewriter.Rewrite(packet->ssrc(), packet->sequence_number(), packet->timestamp(),
                                                     track->clock_rate, now);
    copy->SetSsrc(section->ssrc);
    copy->SetSequenceNumber(rewritten.sequence_number);
    copy->SetTimestamp(rewritten.timestamp);
    copy->SetPayloadType(track->out_payload_type);
    copy->RemapExtensionIds(track->extension_ids);
    if (layer != nullptr) section->simulcast.pictures.Rewrite(copy->payload(), layer->ssrc);
    const auto protected_length = out->outbound().ProtectRtp(slot, plain.size());
    if (!protected_length) continue;
    send_.Commit(*protected_length, *out->address());
    statistics_.rtp_forwarded.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace egovbox::media

namespace egovbox::media {

// ---------------------------------------------------------------------------
// RTCP

namespace {

SubscribeSection* SectionOfSsrc(Participant& subscriber, std::uint32_t ssrc) {
  for (const auto& section : subscriber.sections) {
    if (section->ssrc == ssrc) return section.get();
  }
  return nullptr;
}

// RFC 3550 §6.4.1 and appendix A.3: one report block for a received stream.
RtcpReportBlock ReportBlock(std::uint32_t ssrc, ReceiveStatistics& statistics,
                            std::chrono::steady_clock::time_point now) {
  RtcpReportBlock block;
  block.ssrc = ssrc;
  const std::uint32_t extended_max = statistics.cycles + statistics.max_sequence;
  const std::uint64_t expected = extended_max - statistics.base_sequence + 1;
  const auto lost = static_cast<std::int64_t>(expected) - static_cast<std::int64_t>(statistics.received);
  block.cumulative_lost = static_cast<std::int32_t>(std::clamp<std::int64_t>(lost, -0x800000, 0x7FFFFF));
  const std::int64_t expected_interval = static_cast<std::int64_t>(expected - statistics.expected_prior);
  const std::int64_t received_interval = static_cast<std::int64_t>(statistics.received - statistics.received_prior);
  const std::int64_t lost_interval = expected_interval - received_interval;
  statistics.expected_prior = expected;
  statistics.received_prior = statistics.received;
  block.fraction_lost =
      expected_interval <= 0 || lost_interval <= 0
          ? 0
          : static_cast<std::uint8_t>(std::min<std::int64_t>(255, (lost_interval << 8) / expected_interval));
  block.highest_sequence = extended_max;
  block.jitter = statistics.jitter >> 4U;  // appendix A.8 keeps it times 16
  block.last_sr = statistics.last_sender_report;
  if (statistics.last_sender_report != 0) {
    const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(now - statistics.last_sender_report_at);
    block.delay_since_last_sr = static_cast<std::uint32_t>(delay.count() * 65536 / 1'000'000);
  }
  return block;
}

}  // namespace

std::span<std::uint8_t> MediaWorker::NextSlot() {
  if (send_.full()) Flush();
  return send_.Slot();
}

void MediaWorker::HandleRtcp(Route& route, std::span<std::uint8_t> buffer, std::size_t length, Clock::time_point now) {
  Participant& participant = *route.participant;
  PeerConnection& connection = *route.connection;
  if (!connection.media_ready()) return;
  const auto plain_length = connection.inbound().UnprotectRtcp(buffer, length);
  const auto compound = plain_length ? RtcpCompound::Parse(buffer.first(*plain_length)) : std::nullopt;
  if (!compound) {
    statistics_.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const bool from_publisher = &connection == participant.publish.get();
  for (const RtcpPacketView packet : *compound) {
    if (from_publisher) {
      const auto report = RtcpSenderReport::Parse(packet);
      PublishedTrack* track = report ? TrackOfSsrc(participant, report->ssrc()) : nullptr;
      if (track == nullptr) continue;
      track->statistics.last_sender_report = static_cast<std::uint32_t>(report->ntp_timestamp() >> 16U);
      track->statistics.last_sender_report_at = now;
      ForwardSenderReport(*track, *report);
      continue;
    }
    NoteSubscriberFeedback(participant, packet, now);  // simulcast: REMB and loss
    // From a subscriber: keyframe requests go to the publisher of that section's track.
    if (const auto pli = RtcpPli::Parse(packet)) {
      SubscribeSection* section = SectionOfSsrc(participant, pli->media_ssrc());
      if (section != nullptr && section->track != nullptr) RequestKeyframe(*section->publisher, *section->track);
    } else if (const auto fir = RtcpFir::Parse(packet)) {
      for (std::size_t i = 0; i < fir->entry_count(); ++i) {
        SubscribeSection* section = SectionOfSsrc(participant, fir->entry(i).ssrc);
        if (section != nullptr && section->track != nullptr) RequestKeyframe(*section->publisher, *section->track);
      }
    } else if (const auto nack = RtcpNack::Parse(packet)) {
      SubscribeSection* section = SectionOfSsrc(participant, nack->media_ssrc());
      if (section != nullptr && section->track != nullptr) HandleSubscriberNack(*section, *nack, now);
    }
  }
}

void MediaWorker::ForwardSenderReport(PublishedTrack& track, const RtcpSenderReport& report) {
  // A simulcast layer's report goes to the sections that forward that layer now.
  const PublishedTrack& forwarded = track.layer_of != nullptr ? *track.layer_of : track;
  for (SubscribeSection* section : forwarded.subscribers) {
    if (track.layer_of != nullptr && section->simulcast.current != static_cast<int>(track.layer)) continue;
    PeerConnection* out = section->subscriber->subscribe.get();
    if (!section->negotiated || !section->rewriter.started() || out == nullptr || !out->media_ready()) continue;
    if (!section->on_stage || section->awaiting_keyframe) continue;  // Last-N: nothing is forwarded now
    const std::span<std::uint8_t> slot = NextSlot();
    const std::size_t written = WriteSenderReport(slot, section->ssrc, report.ntp_timestamp(),
                                                  report.rtp_timestamp() + section->rewriter.timestamp_offset(),
                                                  report.packet_count(), report.octet_count());
    SendRtcp(*out, slot, written);
  }
}

void MediaWorker::SendReceiverReports(Participant& publisher, Clock::time_point now) {
  PeerConnection* connection = publisher.publish.get();
  if (connection == nullptr || !connection->media_ready() || publisher.tracks.empty()) return;
  std::array<RtcpReportBlock, kRtcpMaxReportBlocks> blocks{};
  std::array<std::uint32_t, kRtcpMaxReportBlocks> video_ssrcs{};
  std::size_t block_count = 0;
  std::size_t video_count = 0;
  bool simulcast = false;
  ForEachPublishedStream(publisher, [&](PublishedTrack& stream) {
    simulcast = simulcast || stream.layer_of != nullptr;
    if (block_count == blocks.size() || !stream.statistics.started) return;
    blocks[block_count++] = ReportBlock(stream.ssrc, stream.statistics, now);
    if (stream.kind == MediaKind::kVideo) video_ssrcs[video_count++] = stream.ssrc;
  });
  if (block_count == 0) return;
  const std::span<std::uint8_t> slot = NextSlot();
  std::size_t length = WriteReceiverReport(slot, kSfuSsrc, std::span(blocks).first(block_count));
  if (video_count > 0) {
    // Simulcast: half as much again, for the lower layers beside the top one.
    const std::uint64_t bitrate = options_.max_video_bitrate + (simulcast ? options_.max_video_bitrate / 2 : 0);
    length += WriteRemb(slot.subspan(length), kSfuSsrc, bitrate, std::span(video_ssrcs).first(video_count));
  }
  SendRtcp(*connection, slot, length);
}

void MediaWorker::RequestKeyframe(Participant& publisher, PublishedTrack& track) {
  if (!track.layers.empty()) return RequestLayerKeyframes(publisher, track);  // simulcast
  const auto now = Clock::now();
  PeerConnection* connection = publisher.publish.get();
  if (track.kind != MediaKind::kVideo || connection == nullptr || !connection->media_ready()) return;
  if (now - track.last_keyframe_request < kKeyframeRequestInterval) return;
  track.last_keyframe_request = now;
  const std::span<std::uint8_t> slot = NextSlot();
  SendRtcp(*connection, slot, WritePli(slot, kSfuSsrc, track.ssrc));
}

}  // namespace egovbox::media
