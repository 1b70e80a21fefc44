// ICE over TCP for one media worker (RFC 6544, passive side): a non-blocking TCP
// listener on the same address and port number as the worker's UDP socket, and
// the connections browsers open to it when their UDP is blocked. Every
// connection carries RFC 4571 frames (tcp_framing.h); each frame is handed to the
// worker exactly like a UDP datagram, from a TransportAddress whose
// tcp_connection names the connection, and whatever the worker sends to such an
// address is framed into that connection's write queue.
//
// Bounds, so that a stranger cannot make the worker grow or take every slot: at
// most kMaxTcpConnections connections and kMaxTcpConnectionsPerHost from one
// source IP. Past either, the oldest connection (of that IP, or of all) the
// worker never answered is closed to make room (counted as evicted); when every
// candidate was answered, the new one is closed at once (refused). A frame that
// is empty or longer than kMaxTcpFrameSize closes its connection; a connection
// whose first frame is not STUN is closed; a connection the worker never
// answered (it answers only an authenticated connectivity check) is closed
// kTcpAuthenticationTimeout after it was accepted. An answered connection that
// sent no frame for kTcpIdleTimeout is closed (the browser's consent checks come
// at least every 5 s, RFC 7675 §5.1), and TCP keepalive plus TCP_USER_TIMEOUT
// make the kernel give up on a peer that vanished without FIN or RST (a tablet
// that lost its Wi-Fi). Writes are queued up to
// kTcpWriteCapacity bytes per connection; media (RTP, RTCP) are dropped and
// counted once kTcpMediaQueueLimit bytes wait, so STUN and DTLS still find room.
//
// Buffers are allocated once per connection slot and reused: nothing allocates
// per packet. A connection the peer closed (or that failed or broke the rules)
// is reported through the closed handler, after which its address leads nowhere.
//
// Thread safety: everything runs on the worker's thread; only statistics() is
// read from others (relaxed atomics).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/tcp_framing.h"
#include "media/transport_address.h"
#include "media/udp_socket.h"

namespace egovbox::media {

inline constexpr std::size_t kMaxTcpConnections = 256;
inline constexpr std::size_t kMaxTcpConnectionsPerHost = 16;
inline constexpr auto kTcpAuthenticationTimeout = std::chrono::seconds(5);
inline constexpr auto kTcpIdleTimeout = std::chrono::seconds(30);
inline constexpr std::size_t kTcpWriteCapacity = 64 * std::size_t{1024};
inline constexpr std::size_t kTcpMediaQueueLimit = 48 * std::size_t{1024};

struct TcpMediaStatistics {
  std::atomic<std::size_t> open{0};                    // connections open now
  std::atomic<std::uint64_t> accepted{0};              // connections accepted
  std::atomic<std::uint64_t> refused{0};               // closed at once: full of answered connections
  std::atomic<std::uint64_t> evicted{0};               // unanswered, closed to make room for a new one
  std::atomic<std::uint64_t> closed_invalid{0};        // bad frame, not STUN first, or never answered
  std::atomic<std::uint64_t> closed_idle{0};           // answered, but no frame for kTcpIdleTimeout
  std::atomic<std::uint64_t> frames_in{0};             // frames handed to the worker
  std::atomic<std::uint64_t> frames_out{0};            // frames queued for writing
  std::atomic<std::uint64_t> dropped_backpressure{0};  // frames refused: the write queue was full
  std::atomic<std::uint64_t> dropped_closed{0};        // frames for a connection that is gone
};

// The Prometheus text for the statistics of every worker's listener, summed.
std::string RenderTcpMetrics(const std::vector<const TcpMediaStatistics*>& workers);

class TcpMediaListener {
 public:
  using Clock = std::chrono::steady_clock;
  // A frame from a connection: `buffer` is kDatagramBufferSize bytes with the
  // frame's `length` bytes at its start (room to grow in place, as for UDP).
  using FrameHandler = std::function<void(std::span<std::uint8_t> buffer, std::size_t length,
                                          const TransportAddress& source, Clock::time_point now)>;
  // A connection is gone; `address` (with its tcp_connection) leads nowhere now.
  using ClosedHandler = std::function<void(const TransportAddress& address)>;

  // Listens on an IPv4 or IPv6 literal and `port` (0: any). "::" also takes IPv4,
  // as the UDP socket does. nullptr and a sentence in `error` on failure.
  static std::unique_ptr<TcpMediaListener> Open(std::string_view bind_ip, std::uint16_t port, std::string* error);
  ~TcpMediaListener();
  TcpMediaListener(const TcpMediaListener&) = delete;
  TcpMediaListener& operator=(const TcpMediaListener&) = delete;

  // Set once, before the first Poll.
  void SetHandlers(FrameHandler on_frame, ClosedHandler on_closed);

  // An epoll descriptor that is readable whenever Poll has something to do: for
  // the worker's own epoll. Still owned by this object.
  int fd() const { return epoll_fd_; }
  std::uint16_t local_port() const { return local_port_; }

  // Accepts, reads and hands out frames, writes where the kernel has room again,
  // closes connections that broke a bound or timed out. Never blocks.
  void Poll(Clock::time_point now);
  // Frames `packet` into the connection `destination` names (a TransportAddress
  // with tcp_connection != 0). False when dropped: no such connection, or no
  // room (counted in statistics()). The bytes go out at the next Flush.
  bool Queue(std::span<const std::uint8_t> packet, const TransportAddress& destination);
  // Writes what Queue queued, as far as the kernel takes it.
  void Flush();
  // Closes the connection `address` names (id and peer IP and port), at the next
  // Poll, which reports it through the closed handler. False for none such.
  bool Disconnect(const TransportAddress& address);

  std::size_t open_connections() const { return open_; }
  const TcpMediaStatistics& statistics() const { return statistics_; }

 private:
  struct Connection;

  TcpMediaListener(int listen_fd, int epoll_fd, std::uint16_t local_port);
  void Accept(Clock::time_point now);
  void Read(Connection& connection, Clock::time_point now);
  void Write(Connection& connection);
  void WatchWritable(Connection& connection, bool writable);
  void MarkClosing(Connection& connection);  // closed at the end of this or the next Poll
  void Close(Connection& connection);
  // Room for a connection from `peer`: false when it is to be refused.
  bool MakeRoom(const TransportAddress& peer);
  Connection* Find(const TransportAddress& address);

  int listen_fd_;
  int epoll_fd_;
  std::uint16_t local_port_;
  FrameHandler on_frame_;
  ClosedHandler on_closed_;
  std::vector<Connection> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint32_t> dirty_slots_;  // queued to since the last Flush
  std::size_t open_ = 0;
  bool any_closing_ = false;
  Clock::time_point next_expiry_check_{};
  // A frame is copied here before it goes to the worker, which works in place.
  std::vector<std::uint8_t> scratch_;
  TcpMediaStatistics statistics_;
};

}  // namespace egovbox::media
