#include "media/tcp_media_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "media/packet_kind.h"
#include "media/udp_socket.h"

namespace egovbox::media {

namespace {

constexpr int kListenBacklog = 128;
// epoll's user data for the listening socket; connections use their slot index.
constexpr std::uint32_t kListenerTag = 0xFFFFFFFF;
constexpr std::size_t kEventsPerPoll = 64;
constexpr int kAcceptsPerPoll = 16;
// Reads per readable connection per Poll: a busy connection cannot starve the others.
constexpr int kReadsPerEvent = 8;
// A connection id is its slot + 1 in the low bits and the slot's generation above,
// so that an id of a closed connection never reaches the next one in its slot.
constexpr std::uint32_t kSlotBits = 12;
constexpr std::uint32_t kSlotMask = (1U << kSlotBits) - 1;
constexpr std::uint32_t kGenerationMask = 0xFFFFFFFFU >> kSlotBits;
static_assert(kMaxTcpConnections < kSlotMask, "slot numbers must fit below the generation");
constexpr auto kExpiryCheckInterval = std::chrono::seconds(1);
// TCP keepalive on accepted sockets: probes after 10 s of silence, every 5 s,
// given up after 3; TCP_USER_TIMEOUT ends one whose sent data stays unacknowledged.
constexpr int kKeepaliveIdleSeconds = 10;
constexpr int kKeepaliveIntervalSeconds = 5;
constexpr int kKeepaliveProbes = 3;
constexpr unsigned kUserTimeoutMilliseconds = 30'000;

bool SameHost(const TransportAddress& a, const TransportAddress& b) {
  return a.family == b.family && a.address == b.address;
}

void SetSocketOption(int fd, int level, int name, int value) {
  setsockopt(fd, level, name, &value, sizeof value);
}

void CloseFd(int fd) {
  if (fd >= 0) ::close(fd);
}

}  // namespace

struct TcpMediaListener::Connection {
  int fd = -1;
  std::uint32_t generation = 0;
  TransportAddress address;  // the peer's, tcp_connection set to the connection's id
  Clock::time_point accepted_at{};
  Clock::time_point last_frame_at{};
  // The worker has sent something on it: it answers only authenticated checks.
  bool answered = false;
  bool seen_stun = false;
  bool closing = false;  // close at the next Poll (found while writing)
  bool dirty = false;
  bool watching_writable = false;
  std::unique_ptr<TcpFrameReader> reader;
  std::unique_ptr<TcpFrameWriter> writer;
};

std::unique_ptr<TcpMediaListener> TcpMediaListener::Open(std::string_view bind_ip, std::uint16_t port,
                                                         std::string* error) {
  const std::string ip(bind_ip);
  const auto bind_address = ParseBindAddress(ip, port);
  if (!bind_address) {
    if (error != nullptr) *error = "not an IPv4 or IPv6 address: \"" + ip + "\"";
    return nullptr;
  }
  const auto& [name, name_length, ipv6, any_ipv6] = *bind_address;
  const auto fail = [error](std::string_view what, int fd) {
    if (error != nullptr) *error = std::string("ICE-TCP listener: ") + std::string(what) + ": " + std::strerror(errno);
    CloseFd(fd);
    return nullptr;
  };
  const int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket", -1);
  const int on = 1;
  // For TCP, SO_REUSEADDR only lets a restarted server bind while old
  // connections linger in TIME_WAIT; two listeners still cannot share the port.
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) return fail("SO_REUSEADDR", fd);
  if (ipv6) {
    const int v6only = any_ipv6 ? 0 : 1;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) != 0) return fail("IPV6_V6ONLY", fd);
  }
  if (bind(fd, reinterpret_cast<const sockaddr*>(&name), name_length) != 0) {
    return fail("bind " + ip + " port " + std::to_string(port), fd);
  }
  if (listen(fd, kListenBacklog) != 0) return fail("listen", fd);
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof bound;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length) != 0) return fail("getsockname", fd);
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return fail("epoll_create1", fd);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u32 = kListenerTag;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
    CloseFd(epoll_fd);
    return fail("epoll_ctl", fd);
  }
  return std::unique_ptr<TcpMediaListener>(new TcpMediaListener(fd, epoll_fd, TransportAddressOf(bound).port));
}

TcpMediaListener::TcpMediaListener(int listen_fd, int epoll_fd, std::uint16_t local_port)
    : listen_fd_(listen_fd),
      epoll_fd_(epoll_fd),
      local_port_(local_port),
      slots_(kMaxTcpConnections),
      scratch_(kDatagramBufferSize) {
  free_slots_.reserve(kMaxTcpConnections);
  dirty_slots_.reserve(kMaxTcpConnections);
  // Lowest slot first.
  for (std::size_t slot = kMaxTcpConnections; slot > 0; --slot) {
    free_slots_.push_back(static_cast<std::uint32_t>(slot - 1));
  }
}

TcpMediaListener::~TcpMediaListener() {
  for (Connection& connection : slots_) CloseFd(connection.fd);
  CloseFd(listen_fd_);
  CloseFd(epoll_fd_);
}

void TcpMediaListener::SetHandlers(FrameHandler on_frame, ClosedHandler on_closed) {
  on_frame_ = std::move(on_frame);
  on_closed_ = std::move(on_closed);
}

TcpMediaListener::Connection* TcpMediaListener::Find(const TransportAddress& address) {
  const std::uint32_t slot_plus_one = address.tcp_connection & kSlotMask;
  if (slot_plus_one == 0 || slot_plus_one > slots_.size()) return nullptr;
  Connection& connection = slots_[slot_plus_one - 1];
  // The whole address: the generation wraps, the peer's IP and port do not repeat with it.
  if (connection.fd < 0 || connection.closing || connection.address != address) return nullptr;
  return &connection;
}

bool TcpMediaListener::Disconnect(const TransportAddress& address) {
  Connection* connection = Find(address);
  if (connection == nullptr) return false;
  MarkClosing(*connection);
  return true;
}

bool TcpMediaListener::MakeRoom(const TransportAddress& peer) {
  std::size_t from_peer = 0;
  Connection* oldest_of_peer = nullptr;
  Connection* oldest = nullptr;
  for (Connection& connection : slots_) {
    if (connection.fd < 0 || connection.closing) continue;
    const bool same = SameHost(connection.address, peer);
    if (same) ++from_peer;
    if (connection.answered) continue;
    if (same && (oldest_of_peer == nullptr || connection.accepted_at < oldest_of_peer->accepted_at)) {
      oldest_of_peer = &connection;
    }
    if (oldest == nullptr || connection.accepted_at < oldest->accepted_at) oldest = &connection;
  }
  Connection* victim = nullptr;
  if (from_peer >= kMaxTcpConnectionsPerHost) {
    victim = oldest_of_peer;
  } else if (free_slots_.empty()) {
    victim = oldest;
  } else {
    return true;
  }
  // Past a cap: an unanswered connection (no valid check yet) gives way; answered ones stay.
  if (victim == nullptr) return false;
  statistics_.evicted.fetch_add(1, std::memory_order_relaxed);
  Close(*victim);
  return !free_slots_.empty();
}

void TcpMediaListener::Poll(Clock::time_point now) {
  std::array<epoll_event, kEventsPerPoll> events{};
  const int ready = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 0);
  for (int i = 0; i < ready; ++i) {
    const epoll_event& event = events[static_cast<std::size_t>(i)];
    if (event.data.u32 == kListenerTag) {
      Accept(now);
      continue;
    }
    Connection& connection = slots_[event.data.u32];
    if (connection.fd < 0 || connection.closing) continue;
    if ((event.events & EPOLLOUT) != 0) Write(connection);
    if ((event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && !connection.closing) Read(connection, now);
  }
  if (now >= next_expiry_check_) {
    next_expiry_check_ = now + kExpiryCheckInterval;
    for (Connection& connection : slots_) {
      if (connection.fd < 0 || connection.closing) continue;
      if (!connection.answered && now - connection.accepted_at > kTcpAuthenticationTimeout) {
        MarkClosing(connection);
        statistics_.closed_invalid.fetch_add(1, std::memory_order_relaxed);
      } else if (connection.answered && now - connection.last_frame_at > kTcpIdleTimeout) {
        MarkClosing(connection);
        statistics_.closed_idle.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }
  if (!any_closing_) return;
  any_closing_ = false;
  for (Connection& connection : slots_) {
    if (connection.fd >= 0 && connection.closing) Close(connection);
  }
}

void TcpMediaListener::Accept(Clock::time_point now) {
  for (int round = 0; round < kAcceptsPerPoll; ++round) {
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &peer_length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or an error of a connection that is already gone
    const TransportAddress peer_address = TransportAddressOf(peer);
    if (!MakeRoom(peer_address)) {
      statistics_.refused.fetch_add(1, std::memory_order_relaxed);
      CloseFd(fd);
      continue;
    }
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    // Media must not wait for Nagle's algorithm to fill a segment.
    SetSocketOption(fd, IPPROTO_TCP, TCP_NODELAY, 1);
    // A peer gone without FIN or RST: keepalive finds it when idle, TCP_USER_TIMEOUT
    // when our data stays unacknowledged (Linux tcp(7)).
    SetSocketOption(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
    SetSocketOption(fd, IPPROTO_TCP, TCP_KEEPIDLE, kKeepaliveIdleSeconds);
    SetSocketOption(fd, IPPROTO_TCP, TCP_KEEPINTVL, kKeepaliveIntervalSeconds);
    SetSocketOption(fd, IPPROTO_TCP, TCP_KEEPCNT, kKeepaliveProbes);
    SetSocketOption(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, static_cast<int>(kUserTimeoutMilliseconds));
    Connection& connection = slots_[slot];
    if (!connection.reader) {
      connection.reader = std::make_unique<TcpFrameReader>();
      connection.writer = std::make_unique<TcpFrameWriter>(kTcpWriteCapacity, kTcpMediaQueueLimit);
    }
    connection.fd = fd;
    connection.generation = (connection.generation + 1) & kGenerationMask;
    connection.address = peer_address;
    connection.address.tcp_connection = connection.generation << kSlotBits | (slot + 1);
    connection.accepted_at = connection.last_frame_at = now;
    connection.answered = connection.seen_stun = connection.closing = false;
    connection.dirty = connection.watching_writable = false;
    connection.reader->Reset();
    connection.writer->Clear();
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u32 = slot;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      CloseFd(fd);
      connection.fd = -1;
      free_slots_.push_back(slot);
      continue;
    }
    ++open_;
    statistics_.open.store(open_, std::memory_order_relaxed);
    statistics_.accepted.fetch_add(1, std::memory_order_relaxed);
  }
}

void TcpMediaListener::Read(Connection& connection, Clock::time_point now) {
  TcpFrameReader& reader = *connection.reader;
  for (int round = 0; round < kReadsPerEvent; ++round) {
    const std::span<std::uint8_t> space = reader.Space();
    const ssize_t count = ::read(connection.fd, space.data(), space.size());
    if (count == 0) {
      MarkClosing(connection);  // the peer closed
      return;
    }
    if (count < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) MarkClosing(connection);
      return;
    }
    reader.Commit(static_cast<std::size_t>(count));
    std::span<const std::uint8_t> frame;
    TcpFrameReader::Status status = TcpFrameReader::Status::kNeedMore;
    while ((status = reader.Next(frame)) == TcpFrameReader::Status::kFrame) {
      // RFC 6544 §7.1 and RFC 8445: the first thing on a new connection is a
      // connectivity check; anything else is not a browser of ours.
      if (!connection.seen_stun && ClassifyPacket(frame) != PacketKind::kStun) {
        status = TcpFrameReader::Status::kBroken;
        break;
      }
      connection.seen_stun = true;
      connection.last_frame_at = now;
      std::memcpy(scratch_.data(), frame.data(), frame.size());
      statistics_.frames_in.fetch_add(1, std::memory_order_relaxed);
      on_frame_(scratch_, frame.size(), connection.address, now);
      if (connection.closing) return;
    }
    if (status == TcpFrameReader::Status::kBroken) {
      MarkClosing(connection);
      statistics_.closed_invalid.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (static_cast<std::size_t>(count) < space.size()) return;  // drained
  }
}

bool TcpMediaListener::Queue(std::span<const std::uint8_t> packet, const TransportAddress& destination) {
  Connection* connection = Find(destination);
  if (connection == nullptr) {
    statistics_.dropped_closed.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  // RFC 7983 classes: RTP and RTCP may be dropped under backpressure, as UDP
  // would lose them; STUN answers and DTLS records get the reserved room.
  const PacketKind kind = ClassifyPacket(packet);
  const bool media = kind == PacketKind::kRtp || kind == PacketKind::kRtcp;
  if (!connection->writer->Push(packet, media)) {
    statistics_.dropped_backpressure.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  connection->answered = true;
  statistics_.frames_out.fetch_add(1, std::memory_order_relaxed);
  if (!connection->dirty) {
    connection->dirty = true;
    dirty_slots_.push_back((connection->address.tcp_connection & kSlotMask) - 1);
  }
  return true;
}

void TcpMediaListener::Flush() {
  for (const std::uint32_t slot : dirty_slots_) {
    Connection& connection = slots_[slot];
    connection.dirty = false;
    // One waiting for EPOLLOUT is written when the kernel has room.
    if (connection.fd >= 0 && !connection.closing && !connection.watching_writable) Write(connection);
  }
  dirty_slots_.clear();
}

void TcpMediaListener::Write(Connection& connection) {
  TcpFrameWriter& writer = *connection.writer;
  while (!writer.empty()) {
    const std::span<const std::uint8_t> pending = writer.Pending();
    const ssize_t count = ::send(connection.fd, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (count > 0) {
      writer.Consume(static_cast<std::size_t>(count));
      continue;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WatchWritable(connection, true);
      return;
    }
    // EPIPE, ECONNRESET: the connection is gone; closed at the next Poll.
    writer.Clear();
    MarkClosing(connection);
    return;
  }
  WatchWritable(connection, false);
}

void TcpMediaListener::MarkClosing(Connection& connection) {
  connection.closing = true;
  any_closing_ = true;
}

void TcpMediaListener::WatchWritable(Connection& connection, bool writable) {
  if (connection.watching_writable == writable) return;
  epoll_event event{};
  event.events = writable ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
  event.data.u32 = (connection.address.tcp_connection & kSlotMask) - 1;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event) == 0) connection.watching_writable = writable;
}

void TcpMediaListener::Close(Connection& connection) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection.fd, nullptr);
  CloseFd(connection.fd);
  connection.fd = -1;
  connection.closing = false;
  connection.writer->Clear();
  const TransportAddress address = connection.address;
  connection.address.tcp_connection = 0;
  free_slots_.push_back((address.tcp_connection & kSlotMask) - 1);
  --open_;
  statistics_.open.store(open_, std::memory_order_relaxed);
  if (on_closed_) on_closed_(address);
}

}  // namespace egovbox::media

namespace egovbox::media {

std::string RenderTcpMetrics(const std::vector<const TcpMediaStatistics*>& workers) {
  std::uint64_t open = 0, frames_in = 0, frames_out = 0, dropped = 0, refused = 0, invalid = 0, evicted = 0, idle = 0,
                gone = 0;
  for (const TcpMediaStatistics* statistics : workers) {
    open += statistics->open.load(std::memory_order_relaxed);
    frames_in += statistics->frames_in.load(std::memory_order_relaxed);
    frames_out += statistics->frames_out.load(std::memory_order_relaxed);
    dropped += statistics->dropped_backpressure.load(std::memory_order_relaxed);
    refused += statistics->refused.load(std::memory_order_relaxed);
    invalid += statistics->closed_invalid.load(std::memory_order_relaxed);
    evicted += statistics->evicted.load(std::memory_order_relaxed);
    idle += statistics->closed_idle.load(std::memory_order_relaxed);
    gone += statistics->dropped_closed.load(std::memory_order_relaxed);
  }
  return fmt::format(
      "# HELP egovbox_media_tcp_connections ICE-TCP connections open.\n"
      "# TYPE egovbox_media_tcp_connections gauge\negovbox_media_tcp_connections {}\n"
      "# HELP egovbox_media_tcp_frames_received_total RFC 4571 frames read from ICE-TCP connections.\n"
      "# TYPE egovbox_media_tcp_frames_received_total counter\negovbox_media_tcp_frames_received_total {}\n"
      "# HELP egovbox_media_tcp_frames_sent_total RFC 4571 frames queued on ICE-TCP connections.\n"
      "# TYPE egovbox_media_tcp_frames_sent_total counter\negovbox_media_tcp_frames_sent_total {}\n"
      "# HELP egovbox_media_tcp_dropped_backpressure_total Frames dropped: an ICE-TCP connection's write queue "
      "was full.\n"
      "# TYPE egovbox_media_tcp_dropped_backpressure_total counter\negovbox_media_tcp_dropped_backpressure_total {}\n"
      "# HELP egovbox_media_tcp_refused_total ICE-TCP connections closed at once: full of answered connections.\n"
      "# TYPE egovbox_media_tcp_refused_total counter\negovbox_media_tcp_refused_total {}\n"
      "# HELP egovbox_media_tcp_closed_invalid_total ICE-TCP connections closed for a bad frame or no valid check.\n"
      "# TYPE egovbox_media_tcp_closed_invalid_total counter\negovbox_media_tcp_closed_invalid_total {}\n"
      "# HELP egovbox_media_tcp_evicted_total Unanswered ICE-TCP connections closed to make room for a new one.\n"
      "# TYPE egovbox_media_tcp_evicted_total counter\negovbox_media_tcp_evicted_total {}\n"
      "# HELP egovbox_media_tcp_closed_idle_total ICE-TCP connections closed: no frame for 30 s.\n"
      "# TYPE egovbox_media_tcp_closed_idle_total counter\negovbox_media_tcp_closed_idle_total {}\n"
      "# HELP egovbox_media_tcp_dropped_closed_total Frames dropped: their ICE-TCP connection was gone.\n"
      "# TYPE egovbox_media_tcp_dropped_closed_total counter\negovbox_media_tcp_dropped_closed_total {}\n",
      open, frames_in, frames_out, dropped, refused, invalid, evicted, idle, gone);
}

}  // namespace egovbox::media
