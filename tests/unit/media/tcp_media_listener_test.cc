#include "media/tcp_media_listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

// A STUN Binding request header alone: enough for the listener, which only
// classifies (the worker authenticates).
const Bytes kStun = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

Bytes Framed(const Bytes& packet) {
  Bytes framed = {static_cast<std::uint8_t>(packet.size() >> 8U), static_cast<std::uint8_t>(packet.size())};
  framed.insert(framed.end(), packet.begin(), packet.end());
  return framed;
}

// An RTP-looking packet (RFC 7983: first byte 128..191) numbered `n`.
Bytes Media(std::uint16_t n, std::size_t size = 1200) {
  Bytes packet(size, 0x55);
  packet[0] = 0x80;
  packet[1] = 96;
  packet[2] = static_cast<std::uint8_t>(n >> 8U);
  packet[3] = static_cast<std::uint8_t>(n);
  return packet;
}

class TcpMediaListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    listener_ = TcpMediaListener::Open("127.0.0.1", 0, &error);
    ASSERT_TRUE(listener_) << error;
    listener_->SetHandlers(
        [this](std::span<std::uint8_t> buffer, std::size_t length, const TransportAddress& source, Clock::time_point) {
          EXPECT_GE(buffer.size(), kDatagramBufferSize);
          frames_.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(length));
          source_ = source;
        },
        [this](const TransportAddress& address) { closed_.push_back(address); });
  }

  void TearDown() override {
    for (const int fd : clients_) ::close(fd);
  }

  // A client connected to the listener (receive buffer `receive_buffer` when not 0),
  // from the loopback address 127.0.0.`host`.
  int Connect(int receive_buffer = 0, std::uint8_t host = 1) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (receive_buffer > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (host != 1) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      from.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + host);
      EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from), 0) << std::strerror(errno);
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(listener_->local_port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0) << std::strerror(errno);
    clients_.push_back(fd);
    return fd;
  }

  static void Write(int fd, const Bytes& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  // Polls the listener until `done()` or two seconds passed.
  template <typename Done>
  bool PollUntil(Done&& done, Clock::time_point now = Clock::now()) {
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    while (!done() && Clock::now() < deadline) {
      pollfd readable{listener_->fd(), POLLIN, 0};
      poll(&readable, 1, 10);
      listener_->Poll(now);
    }
    return done();
  }

  std::unique_ptr<TcpMediaListener> listener_;
  std::vector<Bytes> frames_;
  std::optional<TransportAddress> source_;
  std::vector<TransportAddress> closed_;
  std::vector<int> clients_;
};

TEST_F(TcpMediaListenerTest, HandsOutFramesFromAConnectionTaggedWithIt) {
  const int client = Connect();
  Bytes two = Framed(kStun);
  const Bytes media = Framed(Media(1));
  two.insert(two.end(), media.begin(), media.end());
  Write(client, two);
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 2; }));
  EXPECT_EQ(frames_[0], kStun);
  EXPECT_EQ(frames_[1], Media(1));
  ASSERT_TRUE(source_);
  EXPECT_NE(source_->tcp_connection, 0U);
  sockaddr_in local{};
  socklen_t length = sizeof local;
  getsockname(client, reinterpret_cast<sockaddr*>(&local), &length);
  EXPECT_EQ(source_->port, ntohs(local.sin_port));
  EXPECT_EQ(listener_->statistics().open.load(), 1U);
  EXPECT_EQ(listener_->statistics().frames_in.load(), 2U);

  // Answered on the same connection, framed.
  EXPECT_TRUE(listener_->Queue(kStun, *source_));
  listener_->Flush();
  std::array<std::uint8_t, 64> answer{};
  pollfd readable{client, POLLIN, 0};
  ASSERT_EQ(poll(&readable, 1, 2000), 1);
  ASSERT_EQ(::recv(client, answer.data(), answer.size(), 0), static_cast<ssize_t>(kStun.size() + 2));
  EXPECT_EQ(Bytes(answer.begin(), answer.begin() + static_cast<std::ptrdiff_t>(kStun.size() + 2)), Framed(kStun));

  // The peer closes: reported once, and its address leads nowhere.
  ::close(client);
  clients_.clear();
  ASSERT_TRUE(PollUntil([&] { return !closed_.empty(); }));
  EXPECT_EQ(closed_.front(), *source_);
  EXPECT_FALSE(listener_->Queue(kStun, *source_));
  EXPECT_EQ(listener_->statistics().open.load(), 0U);
}

TEST_F(TcpMediaListenerTest, ClosesAConnectionTheWorkerNeverAnswered) {
  Write(Connect(), Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 1; }));
  const auto accepted_at = Clock::now();
  listener_->Poll(accepted_at + kTcpAuthenticationTimeout - std::chrono::seconds(1));
  EXPECT_TRUE(closed_.empty()) << "closed before its time";
  listener_->Poll(accepted_at + kTcpAuthenticationTimeout + std::chrono::seconds(2));
  ASSERT_EQ(closed_.size(), 1U);
  EXPECT_EQ(listener_->statistics().closed_invalid.load(), 1U);

  // One the worker answered stays.
  Write(Connect(), Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 2; }));
  ASSERT_TRUE(listener_->Queue(kStun, *source_));
  listener_->Flush();
  listener_->Poll(Clock::now() + kTcpAuthenticationTimeout + std::chrono::seconds(5));
  EXPECT_EQ(closed_.size(), 1U);
}

TEST_F(TcpMediaListenerTest, DropsMediaButNotControlWhenThePeerDoesNotRead) {
  constexpr int kSmallReceiveBuffer = 4096;
  const int client = Connect(kSmallReceiveBuffer);
  Write(client, Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 1; }));
  const TransportAddress peer = *source_;

  // The client reads nothing: the kernel's buffers fill, then the queue, then media are dropped.
  constexpr std::uint16_t kPackets = 12000;
  std::uint16_t queued = 0;
  for (std::uint16_t n = 0; n < kPackets; ++n) {
    if (listener_->Queue(Media(n), peer)) ++queued;
    listener_->Flush();
  }
  EXPECT_LT(queued, kPackets);
  EXPECT_EQ(listener_->statistics().dropped_backpressure.load(), std::uint64_t{kPackets} - queued);
  // A DTLS record (RFC 7983: first byte 20..63) still goes in.
  Bytes dtls(200, 0x17);
  dtls[0] = 23;
  EXPECT_TRUE(listener_->Queue(dtls, peer));
  listener_->Flush();

  // Now the client reads: whole frames, media in rising order, then the DTLS record.
  Bytes stream;
  std::vector<Bytes> received;
  std::array<std::uint8_t, 65536> chunk{};
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while ((received.empty() || received.back() != dtls) && Clock::now() < deadline) {
    listener_->Poll(Clock::now());  // EPOLLOUT: writes the rest of the queue
    pollfd readable{client, POLLIN, 0};
    if (poll(&readable, 1, 10) <= 0) continue;
    const ssize_t count = ::recv(client, chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (count <= 0) continue;
    stream.insert(stream.end(), chunk.begin(), chunk.begin() + count);
    while (stream.size() >= 2 && stream.size() >= 2 + (std::size_t{stream[0]} << 8U | stream[1])) {
      const std::size_t length = std::size_t{stream[0]} << 8U | stream[1];
      received.emplace_back(stream.begin() + 2, stream.begin() + static_cast<std::ptrdiff_t>(2 + length));
      stream.erase(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(2 + length));
    }
  }
  ASSERT_FALSE(received.empty());
  EXPECT_EQ(received.back(), dtls);
  EXPECT_EQ(received.size(), std::size_t{queued} + 1);
  int previous = -1;
  for (std::size_t i = 0; i + 1 < received.size(); ++i) {
    ASSERT_EQ(received[i].size(), 1200U);
    const int n = received[i][2] << 8 | received[i][3];
    EXPECT_GT(n, previous);
    previous = n;
  }
}

TEST_F(TcpMediaListenerTest, RefusesConnectionsBeyondTheCapWhenAllWereAnswered) {
  // Accepted as they come, so that the listen backlog never fills (connect would
  // wait); from as many hosts as the per-host cap needs. Each answered.
  constexpr std::size_t kHosts = kMaxTcpConnections / kMaxTcpConnectionsPerHost;
  for (std::size_t i = 0; i < kMaxTcpConnections; ++i) {
    Write(Connect(0, static_cast<std::uint8_t>(2 + i / kMaxTcpConnectionsPerHost)), Framed(kStun));
    ASSERT_TRUE(PollUntil([&] { return frames_.size() == i + 1; }));
    ASSERT_TRUE(listener_->Queue(kStun, *source_));
    listener_->Flush();
  }
  for (std::size_t i = 0; i < 3; ++i) Connect(0, static_cast<std::uint8_t>(2 + kHosts + i));
  ASSERT_TRUE(PollUntil([&] { return listener_->statistics().refused.load() >= 3; }));
  EXPECT_EQ(listener_->open_connections(), kMaxTcpConnections);
  EXPECT_EQ(listener_->statistics().refused.load(), 3U);
  EXPECT_EQ(listener_->statistics().evicted.load(), 0U);
}

TEST_F(TcpMediaListenerTest, EvictsTheOldestUnansweredConnectionWhenFull) {
  // A stranger fills every slot from many hosts without ever authenticating.
  for (std::size_t i = 0; i < kMaxTcpConnections; ++i) {
    Connect(0, static_cast<std::uint8_t>(2 + i / kMaxTcpConnectionsPerHost));
    ASSERT_TRUE(PollUntil([&] { return listener_->statistics().accepted.load() == i + 1; }));
  }
  ASSERT_EQ(listener_->open_connections(), kMaxTcpConnections);
  // A browser still gets in: the first of the stranger's connections gives way.
  Write(Connect(0, 200), Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 1; }));
  EXPECT_EQ(listener_->open_connections(), kMaxTcpConnections);
  EXPECT_EQ(listener_->statistics().refused.load(), 0U);
  EXPECT_EQ(listener_->statistics().evicted.load(), 1U);
  ASSERT_EQ(closed_.size(), 1U);
  EXPECT_EQ(closed_[0].address[3], 2U) << "not the oldest was evicted";
  EXPECT_EQ(source_->address[3], 200U);
  EXPECT_NE(RenderTcpMetrics({&listener_->statistics()}).find("egovbox_media_tcp_evicted_total 1\n"),
            std::string::npos);
}

TEST_F(TcpMediaListenerTest, CapsConnectionsPerHost) {
  // One host's unanswered connections beyond the cap make its oldest give way.
  for (std::size_t i = 0; i < kMaxTcpConnectionsPerHost + 1; ++i) {
    Write(Connect(), Framed(kStun));
    ASSERT_TRUE(PollUntil([&] { return frames_.size() == i + 1; }));
  }
  EXPECT_EQ(listener_->open_connections(), kMaxTcpConnectionsPerHost);
  EXPECT_EQ(listener_->statistics().evicted.load(), 1U);
  ASSERT_EQ(closed_.size(), 1U);
  // Once all of the host's connections were answered, another from it is refused.
  // Each open one sends a frame again so that its address is known, and is answered.
  std::vector<TransportAddress> sources;
  listener_->SetHandlers([&](std::span<std::uint8_t>, std::size_t, const TransportAddress& source,
                             Clock::time_point) { sources.push_back(source); },
                         [this](const TransportAddress& address) { closed_.push_back(address); });
  for (std::size_t i = 1; i < clients_.size(); ++i) Write(clients_[i], Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return sources.size() == kMaxTcpConnectionsPerHost; }));
  for (const TransportAddress& source : sources) ASSERT_TRUE(listener_->Queue(kStun, source));
  listener_->Flush();
  Connect();
  ASSERT_TRUE(PollUntil([&] { return listener_->statistics().refused.load() == 1; }));
  EXPECT_EQ(listener_->open_connections(), kMaxTcpConnectionsPerHost);
  // Another host is not affected.
  Connect(0, 2);
  ASSERT_TRUE(PollUntil([&] { return listener_->open_connections() == kMaxTcpConnectionsPerHost + 1; }));
}

TEST_F(TcpMediaListenerTest, ClosesAnAnsweredConnectionThatWentSilent) {
  // A tablet that lost its Wi-Fi: no FIN, no RST, just no more frames.
  Write(Connect(), Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 1; }));
  ASSERT_TRUE(listener_->Queue(kStun, *source_));
  listener_->Flush();
  const auto last_frame = Clock::now();
  listener_->Poll(last_frame + kTcpIdleTimeout - std::chrono::seconds(2));
  EXPECT_TRUE(closed_.empty()) << "closed before its time";
  listener_->Poll(last_frame + kTcpIdleTimeout + std::chrono::seconds(2));
  ASSERT_EQ(closed_.size(), 1U);
  EXPECT_EQ(closed_[0], *source_);
  EXPECT_EQ(listener_->statistics().closed_idle.load(), 1U);
  EXPECT_EQ(listener_->open_connections(), 0U);
}

TEST_F(TcpMediaListenerTest, DisconnectsByTheWholeAddress) {
  Write(Connect(), Framed(kStun));
  ASSERT_TRUE(PollUntil([&] { return frames_.size() == 1; }));
  // The same id with another peer port (a new connection that inherited the id) is not it.
  TransportAddress stranger = *source_;
  stranger.port = static_cast<std::uint16_t>(stranger.port + 1);
  EXPECT_FALSE(listener_->Queue(kStun, stranger));
  EXPECT_FALSE(listener_->Disconnect(stranger));
  EXPECT_EQ(listener_->statistics().dropped_closed.load(), 1U);
  EXPECT_TRUE(listener_->Disconnect(*source_));
  listener_->Poll(Clock::now());
  ASSERT_EQ(closed_.size(), 1U);
  EXPECT_EQ(closed_[0], *source_);
  EXPECT_EQ(listener_->open_connections(), 0U);
  std::array<std::uint8_t, 1> byte{};
  pollfd readable{clients_[0], POLLIN, 0};
  ASSERT_EQ(poll(&readable, 1, 2000), 1);
  EXPECT_EQ(::read(clients_[0], byte.data(), byte.size()), 0) << "the peer did not see the close";
}

TEST(TcpMediaListenerBounds, AuthenticateWithinFiveSeconds) {
  EXPECT_LE(kTcpAuthenticationTimeout, std::chrono::seconds(5));
  EXPECT_GE(kTcpIdleTimeout, std::chrono::seconds(15)) << "consent checks come every 4 to 6 s (RFC 7675)";
}

}  // namespace
}  // namespace egovbox::media
