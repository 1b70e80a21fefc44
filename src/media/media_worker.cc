#include "media/media_worker.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <future>

#include "media/packet_kind.h"
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
  std::size_t hash = address.port;
  for (const std::uint8_t byte : address.address) hash = hash * 131 + byte;
  return hash;
}

std::unique_ptr<MediaWorker> MediaWorker::Open(const SfuOptions& options, std::uint16_t port,
                                               const std::vector<std::string>& announced_addresses,
                                               SfuObserver& observer, std::string* error) {
  auto socket = UdpSocket::Open(options.bind_address, port, error);
  if (!socket) return nullptr;
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
  for (const int fd : {socket->fd(), event_fd}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  }
  return std::unique_ptr<MediaWorker>(new MediaWorker(options, std::move(*socket), std::move(*certificate),
                                                      announced_addresses, observer, epoll_fd, event_fd));
}

MediaWorker::MediaWorker(const SfuOptions& options, UdpSocket socket, DtlsCertificate certificate,
                         std::vector<std::string> announced_addresses, SfuObserver& observer, int epoll_fd,
                         int event_fd)
    : options_(options),
      socket_(std::move(socket)),
      certificate_(std::move(certificate)),
      announced_addresses_(std::move(announced_addresses)),
      observer_(observer),
      epoll_fd_(epoll_fd),
      event_fd_(event_fd),
      ssrc_random_(std::random_device{}()) {}

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
    if (!room) room = std::make_unique<Room>(room_id, static_cast<RoomHost&>(*this));
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
  std::array<epoll_event, 2> events{};
  while (!stopping_) {
    const int ready =
        epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(kLoopWait.count()));
    const auto now = Clock::now();
    for (int i = 0; i < ready; ++i) {
      if (events[static_cast<std::size_t>(i)].data.fd == event_fd_) {
        std::uint64_t count = 0;
        if (read(event_fd_, &count, sizeof count) < 0) count = 0;
      }
    }
    RunCommands();
    ReceiveDatagrams(now);
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
    const bool silent =
        route.address ? connection->ice().ConsentExpired(now) : now - route.created_at > kConnectTimeout;
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
  if (now < next_report_) return;
  next_report_ = now + kReportInterval;
  for (auto& [id, participant] : participants_) SendReceiverReports(*participant, now);
}

// ---------------------------------------------------------------------------
// Sending

void MediaWorker::Send(std::span<const std::uint8_t> bytes, const TransportAddress& destination) {
  if (send_.full()) Flush();
  send_.Add(bytes, destination);
}

void MediaWorker::Flush() {
  if (send_.size() > 0) socket_.Send(send_);
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
  for (const auto& address : announced_addresses_) local.candidates.push_back({address, socket_.local_port()});
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

void MediaWorker::ForgetAddress(Route& route) {
  if (!route.address) return;
  const auto owner = by_address_.find(*route.address);
  if (owner != by_address_.end() && owner->second == route.connection) by_address_.erase(owner);
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

PublishedTrack* TrackOfSsrc(Participant& publisher, std::uint32_t ssrc) {
  for (const auto& track : publisher.tracks) {
    if (track->ssrc == ssrc) return track.get();
  }
  return nullptr;
}

// RFC 3550 appendix A.1, simplified: the extended highest sequence number.
void CountReceived(ReceiveStatistics& statistics, std::uint16_t sequence_number) {
  if (!statistics.started) {
    statistics.started = true;
    statistics.base_sequence = sequence_number;
    statistics.max_sequence = sequence_number;
  } else {
    const auto delta = static_cast<std::uint16_t>(sequence_number - statistics.max_sequence);
    if (delta != 0 && delta < 0x8000) {
      if (sequence_number < statistics.max_sequence) statistics.cycles += 1U << 16U;
      statistics.max_sequence = sequence_number;
    }
  }
  ++statistics.received;
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
  const auto packet = plain_length ? RtpPacket::Parse(buffer.first(*plain_length)) : std::nullopt;
  PublishedTrack* track = packet ? TrackOfSsrc(publisher, packet->ssrc()) : nullptr;
  if (track == nullptr || packet->payload_type() != track->payload_type) {
    statistics_.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  CountReceived(track->statistics, packet->sequence_number());
  for (SubscribeSection* section : track->subscribers) {
    PeerConnection* out = section->subscriber->subscribe.get();
    if (!section->negotiated || out == nullptr || !out->media_ready() || !out->address()) continue;
    const std::span<std::uint8_t> slot = NextSlot();
    std::memcpy(slot.data(), buffer.data(), *plain_length);
    auto copy = RtpPacket::Parse(slot.first(*plain_length));
    const auto rewritten = section->rewriter.Rewrite(packet->ssrc(), packet->sequence_number(), packet->timestamp(),
                                                     track->clock_rate, now);
    copy->SetSsrc(section->ssrc);
    copy->SetSequenceNumber(rewritten.sequence_number);
    copy->SetTimestamp(rewritten.timestamp);
    copy->SetPayloadType(track->out_payload_type);
    copy->RemapExtensionIds(track->extension_ids);
    const auto protected_length = out->outbound().ProtectRtp(slot, *plain_length);
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
    // From a subscriber: keyframe requests go to the publisher of that section's track.
    if (const auto pli = RtcpPli::Parse(packet)) {
      SubscribeSection* section = SectionOfSsrc(participant, pli->media_ssrc());
      if (section != nullptr && section->track != nullptr) RequestKeyframe(*section->publisher, *section->track);
    } else if (const auto fir = RtcpFir::Parse(packet)) {
      for (std::size_t i = 0; i < fir->entry_count(); ++i) {
        SubscribeSection* section = SectionOfSsrc(participant, fir->entry(i).ssrc);
        if (section != nullptr && section->track != nullptr) RequestKeyframe(*section->publisher, *section->track);
      }
    }
  }
}

void MediaWorker::ForwardSenderReport(PublishedTrack& track, const RtcpSenderReport& report) {
  for (SubscribeSection* section : track.subscribers) {
    PeerConnection* out = section->subscriber->subscribe.get();
    if (!section->negotiated || !section->rewriter.started() || out == nullptr || !out->media_ready()) continue;
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
  for (const auto& track : publisher.tracks) {
    if (block_count == blocks.size()) break;
    if (!track->statistics.started) continue;
    blocks[block_count++] = ReportBlock(track->ssrc, track->statistics, now);
    if (track->kind == MediaKind::kVideo) video_ssrcs[video_count++] = track->ssrc;
  }
  if (block_count == 0) return;
  const std::span<std::uint8_t> slot = NextSlot();
  std::size_t length = WriteReceiverReport(slot, kSfuSsrc, std::span(blocks).first(block_count));
  if (video_count > 0) {
    length += WriteRemb(slot.subspan(length), kSfuSsrc, options_.max_video_bitrate,
                        std::span(video_ssrcs).first(video_count));
  }
  SendRtcp(*connection, slot, length);
}

void MediaWorker::RequestKeyframe(Participant& publisher, PublishedTrack& track) {
  const auto now = Clock::now();
  PeerConnection* connection = publisher.publish.get();
  if (track.kind != MediaKind::kVideo || connection == nullptr || !connection->media_ready()) return;
  if (now - track.last_keyframe_request < kKeyframeRequestInterval) return;
  track.last_keyframe_request = now;
  const std::span<std::uint8_t> slot = NextSlot();
  SendRtcp(*connection, slot, WritePli(slot, kSfuSsrc, track.ssrc));
}

}  // namespace egovbox::media
