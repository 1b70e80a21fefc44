#include "media/sfu.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <optional>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "media/media_worker.h"

namespace egovbox::media {

namespace {

bool IsWildcard(const std::string& address) {
  return address == "0.0.0.0" || address == "::" || address.empty();
}

// The listen address as an IP literal: a name ("localhost") is resolved, IPv4 first.
std::optional<std::string> NumericAddress(const std::string& host) {
  if (IsWildcard(host)) return host.empty() ? std::string("0.0.0.0") : host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return std::nullopt;
  std::optional<std::string> best;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    std::array<char, NI_MAXHOST> text{};
    if (getnameinfo(entry->ai_addr, entry->ai_addrlen, text.data(), text.size(), nullptr, 0, NI_NUMERICHOST) != 0) {
      continue;
    }
    if (!best || entry->ai_family == AF_INET) best = std::string(text.data());
    if (entry->ai_family == AF_INET) break;
  }
  freeaddrinfo(found);
  return best;
}

// The machine's addresses a browser could reach: up, not link-local; loopback
// last (a browser on this machine with loopback allowed, as in the tests).
std::vector<std::string> InterfaceAddresses(bool include_ipv6) {
  std::vector<std::string> routable;
  std::vector<std::string> loopback;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {"127.0.0.1"};
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || (entry->ifa_flags & IFF_UP) == 0) continue;
    const int family = entry->ifa_addr->sa_family;
    if (family != AF_INET && !(include_ipv6 && family == AF_INET6)) continue;
    std::array<char, NI_MAXHOST> host{};
    const socklen_t size = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (getnameinfo(entry->ifa_addr, size, host.data(), host.size(), nullptr, 0, NI_NUMERICHOST) != 0) continue;
    const std::string text(host.data());
    if (text.starts_with("fe80") || text.find('%') != std::string::npos) continue;
    ((entry->ifa_flags & IFF_LOOPBACK) != 0 ? loopback : routable).push_back(text);
  }
  freeifaddrs(list);
  routable.insert(routable.end(), loopback.begin(), loopback.end());
  return routable;
}

// Wraps the caller's observer to forget participants that left, whoever ended them.
class ForgettingObserver final : public SfuObserver {
 public:
  ForgettingObserver(SfuObserver& inner, std::function<void(const std::string&)> forget)
      : inner_(inner), forget_(std::move(forget)) {}
  void Deliver(const std::string& participant_id, const nlohmann::json& message) override {
    inner_.Deliver(participant_id, message);
  }
  void ParticipantJoined(const std::string& room_id, const std::string& participant_id,
                         const nlohmann::json& info) override {
    inner_.ParticipantJoined(room_id, participant_id, info);
  }
  void ParticipantLeft(const std::string& room_id, const std::string& participant_id, const nlohmann::json& info,
                       std::string_view reason) override {
    forget_(participant_id);
    inner_.ParticipantLeft(room_id, participant_id, info, reason);
  }

 private:
  SfuObserver& inner_;
  std::function<void(const std::string&)> forget_;
};

}  // namespace

struct Sfu::Internals {
  std::unique_ptr<ForgettingObserver> observer;
};

std::unique_ptr<Sfu> Sfu::Start(const SfuOptions& requested, SfuObserver& observer, std::string* error) {
  SfuOptions options = requested;
  const auto bind_address = NumericAddress(options.bind_address);
  if (!bind_address) {
    *error = fmt::format("cannot resolve the media address \"{}\"", options.bind_address);
    return nullptr;
  }
  options.bind_address = *bind_address;
  std::vector<std::string> announced = options.announced_addresses;
  if (announced.empty()) {
    announced = IsWildcard(options.bind_address) ? InterfaceAddresses(options.bind_address == "::")
                                                 : std::vector<std::string>{options.bind_address};
  }
  const std::size_t workers = std::max<std::size_t>(options.workers, 1);
  if (options.first_port != 0 && options.first_port + workers - 1 > 65535) {
    *error = fmt::format("media ports {} to {} do not fit below 65536", options.first_port,
                         options.first_port + workers - 1);
    return nullptr;
  }
  if (options.first_tcp_port != 0 && options.first_tcp_port + workers - 1 > 65535) {
    *error = fmt::format("media TCP ports {} to {} do not fit below 65536", options.first_tcp_port,
                         options.first_tcp_port + workers - 1);
    return nullptr;
  }
  auto sfu = std::unique_ptr<Sfu>(new Sfu());
  sfu->internals_ = std::make_unique<Internals>();
  Sfu* raw = sfu.get();
  sfu->internals_->observer = std::make_unique<ForgettingObserver>(observer, [raw](const std::string& id) {
    const std::lock_guard lock(raw->mutex_);
    raw->worker_of_participant_.erase(id);
  });
  for (std::size_t i = 0; i < workers; ++i) {
    const auto port = options.first_port == 0 ? 0 : static_cast<std::uint16_t>(options.first_port + i);
    const auto tcp_port = options.first_tcp_port == 0 ? 0 : static_cast<std::uint16_t>(options.first_tcp_port + i);
    auto worker = MediaWorker::Open(options, port, announced, *sfu->internals_->observer, error, tcp_port);
    if (!worker) return nullptr;
    sfu->workers_.push_back(std::move(worker));
  }
  for (const auto& worker : sfu->workers_) worker->Start();
  return sfu;
}

Sfu::Sfu() = default;

Sfu::~Sfu() {
  workers_.clear();
}

MediaWorker& Sfu::WorkerOfRoom(const std::string& room_id) const {
  return *workers_[std::hash<std::string>{}(room_id) % workers_.size()];
}

MediaWorker* Sfu::WorkerOfParticipant(const std::string& participant_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = worker_of_participant_.find(participant_id);
  return found == worker_of_participant_.end() ? nullptr : found->second;
}

std::string Sfu::NewParticipantId() {
  return "p" + crypto::Base64UrlEncode(crypto::RandomBytes(12));
}

void Sfu::Join(const std::string& room_id, const std::string& participant_id, nlohmann::json info) {
  MediaWorker& worker = WorkerOfRoom(room_id);
  {
    const std::lock_guard lock(mutex_);
    worker_of_participant_[participant_id] = &worker;
  }
  worker.Join(room_id, participant_id, std::move(info));
}

void Sfu::HandleMessage(const std::string& participant_id, nlohmann::json message) {
  if (MediaWorker* worker = WorkerOfParticipant(participant_id))
    worker->HandleMessage(participant_id, std::move(message));
}

void Sfu::Leave(const std::string& participant_id, std::string reason) {
  if (MediaWorker* worker = WorkerOfParticipant(participant_id)) worker->Leave(participant_id, std::move(reason));
}

void Sfu::HostMute(const std::string& participant_id, TrackSource source) {
  if (MediaWorker* worker = WorkerOfParticipant(participant_id)) worker->HostMute(participant_id, source);
}

void Sfu::CloseRoom(const std::string& room_id) {
  WorkerOfRoom(room_id).CloseRoom(room_id);
}

std::vector<std::uint16_t> Sfu::ports() const {
  std::vector<std::uint16_t> ports;
  for (const auto& worker : workers_) ports.push_back(worker->port());
  return ports;
}

SfuCounts Sfu::Counts() const {
  SfuCounts total;
  for (const auto& worker : workers_) {
    const SfuCounts counts = worker->Counts();
    total.rooms += counts.rooms;
    total.participants += counts.participants;
    total.transports += counts.transports;
  }
  return total;
}

std::string Sfu::RenderMetrics() const {
  const SfuCounts counts = Counts();
  std::uint64_t received = 0, forwarded = 0, answered = 0, refused = 0, dropped = 0;
  std::uint64_t nacks_received = 0, retransmitted = 0, nacks_sent = 0, rtx_refused = 0;
  for (const auto& worker : workers_) {
    const auto& statistics = worker->statistics();
    received += statistics.datagrams_received.load(std::memory_order_relaxed);
    forwarded += statistics.rtp_forwarded.load(std::memory_order_relaxed);
    answered += statistics.stun_answered.load(std::memory_order_relaxed);
    refused += statistics.stun_refused.load(std::memory_order_relaxed);
    dropped += statistics.dropped.load(std::memory_order_relaxed);
    nacks_received += statistics.nacks_received.load(std::memory_order_relaxed);
    retransmitted += statistics.rtp_retransmitted.load(std::memory_order_relaxed);
    nacks_sent += statistics.nacks_sent.load(std::memory_order_relaxed);
    rtx_refused += statistics.rtx_refused.load(std::memory_order_relaxed);
  }
  std::vector<const TcpMediaStatistics*> tcp;
  for (const auto& worker : workers_) tcp.push_back(&worker->tcp_statistics());
  std::string text = RenderTcpMetrics(tcp);
  text += fmt::format(
      "# HELP egovbox_media_rooms Media rooms open.\n# TYPE egovbox_media_rooms gauge\negovbox_media_rooms {}\n"
      "# HELP egovbox_media_participants Participants in media rooms.\n# TYPE egovbox_media_participants gauge\n"
      "egovbox_media_participants {}\n"
      "# HELP egovbox_media_transports Peer connections.\n# TYPE egovbox_media_transports gauge\n"
      "egovbox_media_transports {}\n"
      "# HELP egovbox_media_datagrams_received_total UDP datagrams read.\n"
      "# TYPE egovbox_media_datagrams_received_total counter\negovbox_media_datagrams_received_total {}\n"
      "# HELP egovbox_media_rtp_forwarded_total RTP packets sent to subscribers.\n"
      "# TYPE egovbox_media_rtp_forwarded_total counter\negovbox_media_rtp_forwarded_total {}\n"
      "# HELP egovbox_media_stun_answered_total STUN Binding requests answered.\n"
      "# TYPE egovbox_media_stun_answered_total counter\negovbox_media_stun_answered_total {}\n"
      "# HELP egovbox_media_stun_refused_total STUN requests ignored: unknown ufrag, wrong credentials, malformed.\n"
      "# TYPE egovbox_media_stun_refused_total counter\negovbox_media_stun_refused_total {}\n"
      "# HELP egovbox_media_dropped_total Datagrams dropped: unknown sender, failed SRTP, unknown stream.\n"
      "# TYPE egovbox_media_dropped_total counter\negovbox_media_dropped_total {}\n"
      "# HELP egovbox_media_nacks_received_total Generic NACKs received from subscribers.\n"
      "# TYPE egovbox_media_nacks_received_total counter\negovbox_media_nacks_received_total {}\n"
      "# HELP egovbox_media_rtp_retransmitted_total RTP packets resent to subscribers for their NACKs.\n"
      "# TYPE egovbox_media_rtp_retransmitted_total counter\negovbox_media_rtp_retransmitted_total {}\n"
      "# HELP egovbox_media_nacks_sent_total Generic NACKs sent to publishers for packets that did not arrive.\n"
      "# TYPE egovbox_media_nacks_sent_total counter\negovbox_media_nacks_sent_total {}\n"
      "# HELP egovbox_media_rtx_refused_total Sequence numbers in subscribers' NACKs not resent: over the resend "
      "budget or the per-NACK limit.\n"
      "# TYPE egovbox_media_rtx_refused_total counter\negovbox_media_rtx_refused_total {}\n",
      counts.rooms, counts.participants, counts.transports, received, forwarded, answered, refused, dropped,
      nacks_received, retransmitted, nacks_sent, rtx_refused);
  return text;
}

}  // namespace egovbox::media
