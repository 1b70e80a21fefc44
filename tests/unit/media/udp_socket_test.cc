#include "media/udp_socket.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace egovbox::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr int kWaitMilliseconds = 2000;

TransportAddress Loopback4(std::uint16_t port) {
  TransportAddress address;
  address.address = {127, 0, 0, 1};
  address.port = port;
  return address;
}

TransportAddress Loopback6(std::uint16_t port) {
  TransportAddress address;
  address.family = TransportAddress::Family::kIpv6;
  address.address[15] = 1;
  address.port = port;
  return address;
}

UdpSocket OpenOrFail(std::string_view ip) {
  std::string error;
  auto socket = UdpSocket::Open(ip, 0, &error);
  EXPECT_TRUE(socket) << error;
  return std::move(*socket);
}

// Datagram i: a size that varies from 1 byte to kMaxDatagramSize, filled with a
// pattern that names it.
Bytes Datagram(std::size_t i) {
  const std::size_t size = 1 + (i * 373) % kMaxDatagramSize;
  Bytes bytes(size);
  for (std::size_t j = 0; j < size; ++j) bytes[j] = static_cast<std::uint8_t>(i * 7 + j);
  return bytes;
}

struct Received {
  Bytes bytes;
  TransportAddress source;
};

// Receives until `count` datagrams arrived or nothing comes for a while.
std::vector<Received> ReceiveAll(UdpSocket& socket, ReceiveBatch& batch, std::size_t count) {
  std::vector<Received> received;
  while (received.size() < count) {
    pollfd readable{socket.fd(), POLLIN, 0};
    if (poll(&readable, 1, kWaitMilliseconds) <= 0) break;
    const std::size_t n = socket.Receive(batch);
    EXPECT_EQ(n, batch.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto data = batch.data(i);
      received.push_back({Bytes(data.begin(), data.end()), batch.source(i)});
    }
  }
  return received;
}

TEST(UdpSocketTest, OpensOnAnEphemeralLoopbackPort) {
  UdpSocket socket = OpenOrFail("127.0.0.1");
  EXPECT_GE(socket.fd(), 0);
  EXPECT_NE(socket.local_port(), 0);
  EXPECT_FALSE(socket.ipv6());
  EXPECT_GT(socket.receive_buffer_size(), 0);
  EXPECT_GT(socket.send_buffer_size(), 0);
}

TEST(UdpSocketTest, RefusesABadAddressAndATakenPort) {
  std::string error;
  EXPECT_FALSE(UdpSocket::Open("localhost", 0, &error));
  EXPECT_NE(error.find("localhost"), std::string::npos);
  EXPECT_FALSE(UdpSocket::Open("", 0, nullptr));

  UdpSocket first = OpenOrFail("127.0.0.1");
  error.clear();
  // No SO_REUSEADDR: a second socket must not share the port.
  EXPECT_FALSE(UdpSocket::Open("127.0.0.1", first.local_port(), &error));
  EXPECT_NE(error.find("bind"), std::string::npos) << error;
}

TEST(UdpSocketTest, MovesTheDescriptor) {
  UdpSocket first = OpenOrFail("127.0.0.1");
  const int fd = first.fd();
  UdpSocket second = std::move(first);
  EXPECT_EQ(second.fd(), fd);
  UdpSocket third = OpenOrFail("127.0.0.1");
  third = std::move(second);
  EXPECT_EQ(third.fd(), fd);
}

TEST(UdpSocketTest, SendsAndReceivesFortyDatagramsInBatches) {
  UdpSocket sender = OpenOrFail("127.0.0.1");
  UdpSocket receiver = OpenOrFail("127.0.0.1");
  SendBatch out;
  constexpr std::size_t kCount = 40;
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(out.Add(Datagram(i), Loopback4(receiver.local_port())));
  }
  EXPECT_EQ(out.size(), kCount);
  EXPECT_EQ(sender.Send(out), kCount);
  EXPECT_EQ(out.size(), 0U);
  EXPECT_EQ(sender.counters().sent, kCount);

  ReceiveBatch in;  // 32 at a time: two calls at least
  const auto received = ReceiveAll(receiver, in, kCount);
  ASSERT_EQ(received.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(received[i].bytes, Datagram(i)) << "datagram " << i;
    EXPECT_EQ(received[i].source, Loopback4(sender.local_port()));
  }
  EXPECT_EQ(receiver.counters().received, kCount);
  EXPECT_EQ(receiver.counters().dropped_truncated, 0U);
}

TEST(UdpSocketTest, ReceiveReturnsZeroWhenNothingWaits) {
  UdpSocket socket = OpenOrFail("127.0.0.1");
  ReceiveBatch batch(4);
  EXPECT_EQ(socket.Receive(batch), 0U);
  EXPECT_EQ(batch.size(), 0U);
  EXPECT_EQ(socket.counters().receive_errors, 0U);
}

TEST(UdpSocketTest, DropsAndCountsADatagramLargerThanTheLimit) {
  UdpSocket sender = OpenOrFail("127.0.0.1");
  UdpSocket receiver = OpenOrFail("127.0.0.1");
  SendBatch out;
  const Bytes too_long(kMaxDatagramSize + 1, 0xAB);
  const Bytes largest(kMaxDatagramSize, 0xCD);
  ASSERT_TRUE(out.Add(too_long, Loopback4(receiver.local_port())));
  ASSERT_TRUE(out.Add(largest, Loopback4(receiver.local_port())));
  ASSERT_TRUE(out.Add(Datagram(1), Loopback4(receiver.local_port())));
  EXPECT_EQ(sender.Send(out), 3U);

  ReceiveBatch in;
  const auto received = ReceiveAll(receiver, in, 2);
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[0].bytes, largest);
  EXPECT_EQ(received[1].bytes, Datagram(1));
  EXPECT_EQ(receiver.counters().dropped_truncated, 1U);
  EXPECT_EQ(receiver.counters().received, 2U);
}

TEST(UdpSocketTest, LeavesTailroomAfterEveryDatagram) {
  UdpSocket sender = OpenOrFail("127.0.0.1");
  UdpSocket receiver = OpenOrFail("127.0.0.1");
  SendBatch out;
  ASSERT_TRUE(out.Add(Bytes(kMaxDatagramSize, 1), Loopback4(receiver.local_port())));
  ASSERT_EQ(sender.Send(out), 1U);
  ReceiveBatch in(2);
  ASSERT_EQ(ReceiveAll(receiver, in, 1).size(), 1U);
  ASSERT_EQ(in.size(), 1U);
  EXPECT_EQ(in.buffer(0).size(), kDatagramBufferSize);
  EXPECT_EQ(in.buffer(0).data(), in.data(0).data());
  EXPECT_EQ(in.buffer(0).size() - in.data(0).size(), kDatagramTailroom);
  // Growing in place: write the tailroom and send the longer datagram on.
  std::fill(in.buffer(0).begin() + kMaxDatagramSize, in.buffer(0).end(), 2);
  ASSERT_TRUE(out.Add(in.buffer(0), Loopback4(sender.local_port())));
  EXPECT_EQ(receiver.Send(out), 1U);
}

TEST(UdpSocketTest, WritesIntoSlotsAndCommits) {
  UdpSocket sender = OpenOrFail("127.0.0.1");
  UdpSocket receiver = OpenOrFail("127.0.0.1");
  SendBatch out(4);
  for (std::uint8_t i = 0; i < 4; ++i) {
    const std::span<std::uint8_t> slot = out.Slot();
    ASSERT_EQ(slot.size(), kDatagramBufferSize);
    std::fill_n(slot.begin(), 10 + i, i);
    out.Commit(10 + i, Loopback4(receiver.local_port()));
  }
  // Full: no slot, no Add, and a Commit is ignored.
  EXPECT_TRUE(out.full());
  EXPECT_TRUE(out.Slot().empty());
  EXPECT_FALSE(out.Add(Bytes(3, 9), Loopback4(receiver.local_port())));
  EXPECT_EQ(out.size(), 4U);

  EXPECT_EQ(sender.Send(out), 4U);
  EXPECT_FALSE(out.full());
  EXPECT_EQ(out.Slot().size(), kDatagramBufferSize);

  ReceiveBatch in;
  const auto received = ReceiveAll(receiver, in, 4);
  ASSERT_EQ(received.size(), 4U);
  for (std::uint8_t i = 0; i < 4; ++i) EXPECT_EQ(received[i].bytes, Bytes(10 + i, i));
}

TEST(UdpSocketTest, RefusesDatagramsLongerThanASlot) {
  SendBatch out(2);
  EXPECT_FALSE(out.Add(Bytes(kDatagramBufferSize + 1), Loopback4(9)));
  EXPECT_TRUE(out.Add(Bytes(kDatagramBufferSize), Loopback4(9)));
  out.Clear();
  EXPECT_EQ(out.size(), 0U);
}

TEST(UdpSocketTest, SendingAnEmptyBatchSendsNothing) {
  UdpSocket socket = OpenOrFail("127.0.0.1");
  SendBatch out;
  EXPECT_EQ(socket.Send(out), 0U);
  EXPECT_EQ(socket.counters().sent, 0U);
}

TEST(UdpSocketTest, CountsAnIpv6DestinationOnAnIpv4Socket) {
  UdpSocket sender = OpenOrFail("127.0.0.1");
  UdpSocket receiver = OpenOrFail("127.0.0.1");
  SendBatch out;
  ASSERT_TRUE(out.Add(Datagram(2), Loopback6(receiver.local_port())));
  ASSERT_TRUE(out.Add(Datagram(3), Loopback4(receiver.local_port())));
  EXPECT_EQ(sender.Send(out), 1U);
  EXPECT_EQ(sender.counters().send_errors, 1U);
  ReceiveBatch in;
  const auto received = ReceiveAll(receiver, in, 1);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].bytes, Datagram(3));
}

TEST(UdpSocketTest, CountsADatagramTheKernelRefuses) {
  UdpSocket sender = OpenOrFail("127.0.0.1");
  UdpSocket receiver = OpenOrFail("127.0.0.1");
  SendBatch out;
  // Port 0 is no destination (EINVAL); the datagrams around it still go.
  ASSERT_TRUE(out.Add(Datagram(4), Loopback4(receiver.local_port())));
  ASSERT_TRUE(out.Add(Datagram(5), Loopback4(0)));
  ASSERT_TRUE(out.Add(Datagram(6), Loopback4(receiver.local_port())));
  EXPECT_EQ(sender.Send(out), 2U);
  EXPECT_EQ(sender.counters().send_errors, 1U);
  ReceiveBatch in;
  const auto received = ReceiveAll(receiver, in, 2);
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[0].bytes, Datagram(4));
  EXPECT_EQ(received[1].bytes, Datagram(6));
}

std::optional<UdpSocket> OpenIpv6(std::string_view ip) {
  return UdpSocket::Open(ip, 0, nullptr);
}

TEST(UdpSocketTest, SendsAndReceivesOverIpv6Loopback) {
  auto sender = OpenIpv6("::1");
  auto receiver = OpenIpv6("::1");
  if (!sender || !receiver) GTEST_SKIP() << "no IPv6 loopback here";
  EXPECT_TRUE(sender->ipv6());
  SendBatch out;
  for (std::size_t i = 0; i < 5; ++i) ASSERT_TRUE(out.Add(Datagram(i), Loopback6(receiver->local_port())));
  // An IPv4 destination on an IPv6-only socket is refused.
  ASSERT_TRUE(out.Add(Datagram(9), Loopback4(receiver->local_port())));
  EXPECT_EQ(sender->Send(out), 5U);
  EXPECT_EQ(sender->counters().send_errors, 1U);
  ReceiveBatch in;
  const auto received = ReceiveAll(*receiver, in, 5);
  ASSERT_EQ(received.size(), 5U);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(received[i].bytes, Datagram(i));
    EXPECT_EQ(received[i].source, Loopback6(sender->local_port()));
  }
}

TEST(UdpSocketTest, DualStackSocketSeesIpv4PeersAsIpv4) {
  auto dual = OpenIpv6("::");
  if (!dual) GTEST_SKIP() << "no IPv6 here";
  UdpSocket v4 = OpenOrFail("127.0.0.1");
  SendBatch out;
  ASSERT_TRUE(out.Add(Datagram(7), Loopback4(dual->local_port())));
  ASSERT_EQ(v4.Send(out), 1U);
  ReceiveBatch in;
  const auto received = ReceiveAll(*dual, in, 1);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].bytes, Datagram(7));
  EXPECT_EQ(received[0].source, Loopback4(v4.local_port()));

  // And back: an IPv4 destination is mapped for the IPv6 socket.
  ASSERT_TRUE(out.Add(Datagram(8), received[0].source));
  ASSERT_EQ(dual->Send(out), 1U);
  const auto answered = ReceiveAll(v4, in, 1);
  ASSERT_EQ(answered.size(), 1U);
  EXPECT_EQ(answered[0].bytes, Datagram(8));
  EXPECT_EQ(answered[0].source, Loopback4(dual->local_port()));
}

}  // namespace
}  // namespace egovbox::media
