#include "media/udp_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace egovbox::media {
namespace {

// Buffers start on cache-line boundaries.
constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kBufferStride = (kDatagramBufferSize + kCacheLine - 1) / kCacheLine * kCacheLine;
constexpr int kWantedSocketBufferSize = 4 * 1024 * 1024;
constexpr std::size_t kIpv4Size = 4;
constexpr std::size_t kIpv6Size = 16;
// ::ffff:0:0/96, the IPv4-mapped IPv6 addresses (RFC 4291 §2.5.5.2).
constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

// The one place where TransportAddress meets sockaddr. An IPv4-mapped IPv6 source
// becomes IPv4.
TransportAddress FromSockaddr(const sockaddr_storage& name) {
  TransportAddress address;
  if (name.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&name);
    std::memcpy(address.address.data(), &v4->sin_addr, kIpv4Size);
    address.port = ntohs(v4->sin_port);
  } else if (name.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&name);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&v6->sin6_addr);
    if (std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes)) {
      std::copy_n(bytes + kV4MappedPrefix.size(), kIpv4Size, address.address.begin());
    } else {
      address.family = TransportAddress::Family::kIpv6;
      std::copy_n(bytes, kIpv6Size, address.address.begin());
    }
    address.port = ntohs(v6->sin6_port);
  }
  return address;
}

// For a socket of the given family; IPv4 on an IPv6 socket is mapped. False for
// IPv6 on an IPv4 socket.
bool ToSockaddr(const TransportAddress& address, bool ipv6_socket, sockaddr_storage& name, socklen_t& length) {
  std::memset(&name, 0, sizeof(name));
  if (!ipv6_socket) {
    if (address.family != TransportAddress::Family::kIpv4) return false;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&name);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(address.port);
    std::memcpy(&v4->sin_addr, address.address.data(), kIpv4Size);
    length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&name);
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(address.port);
  auto* bytes = reinterpret_cast<std::uint8_t*>(&v6->sin6_addr);
  if (address.family == TransportAddress::Family::kIpv4) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes);
    std::copy_n(address.address.begin(), kIpv4Size, bytes + kV4MappedPrefix.size());
  } else {
    std::copy_n(address.address.begin(), kIpv6Size, bytes);
  }
  length = sizeof(sockaddr_in6);
  return true;
}

std::string ErrnoText(std::string_view what, int error_number) {
  std::string text(what);
  text += ": ";
  text += std::strerror(error_number);
  return text;
}

void SetError(std::string* error, std::string text) {
  if (error != nullptr) *error = std::move(text);
}

int SocketBufferSize(int fd, int option) {
  int size = 0;
  socklen_t length = sizeof(size);
  if (getsockopt(fd, SOL_SOCKET, option, &size, &length) != 0) return 0;
  return size;
}

}  // namespace

ReceiveBatch::ReceiveBatch(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      storage_(capacity_ * kBufferStride),
      messages_(capacity_),
      vectors_(capacity_),
      names_(capacity_),
      slots_(capacity_),
      lengths_(capacity_),
      sources_(capacity_) {
  for (std::size_t i = 0; i < capacity_; ++i) {
    // Only kMaxDatagramSize bytes are offered to the kernel: the tailroom stays free.
    vectors_[i].iov_base = storage_.data() + i * kBufferStride;
    vectors_[i].iov_len = kMaxDatagramSize;
    std::memset(&messages_[i], 0, sizeof(mmsghdr));
    messages_[i].msg_hdr.msg_iov = &vectors_[i];
    messages_[i].msg_hdr.msg_iovlen = 1;
    messages_[i].msg_hdr.msg_name = &names_[i];
  }
}

ReceiveBatch::~ReceiveBatch() = default;

std::span<std::uint8_t> ReceiveBatch::data(std::size_t i) {
  return {storage_.data() + std::size_t{slots_[i]} * kBufferStride, lengths_[i]};
}

std::span<std::uint8_t> ReceiveBatch::buffer(std::size_t i) {
  return {storage_.data() + std::size_t{slots_[i]} * kBufferStride, kDatagramBufferSize};
}

SendBatch::SendBatch(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      storage_(capacity_ * kBufferStride),
      lengths_(capacity_),
      destinations_(capacity_),
      messages_(capacity_),
      vectors_(capacity_),
      names_(capacity_) {}

SendBatch::~SendBatch() = default;

std::span<const std::uint8_t> SendBatch::datagram(std::size_t i) const {
  return {storage_.data() + i * kBufferStride, lengths_[i]};
}

TransportAddress TransportAddressOf(const sockaddr_storage& name) {
  return FromSockaddr(name);
}

std::span<std::uint8_t> SendBatch::Slot() {
  if (full()) return {};
  return {storage_.data() + size_ * kBufferStride, kDatagramBufferSize};
}

void SendBatch::Commit(std::size_t length, const TransportAddress& destination) {
  assert(length <= kDatagramBufferSize && "Commit: a datagram longer than its slot");
  if (full() || length > kDatagramBufferSize) return;
  lengths_[size_] = static_cast<std::uint32_t>(length);
  destinations_[size_] = destination;
  ++size_;
}

bool SendBatch::Add(std::span<const std::uint8_t> bytes, const TransportAddress& destination) {
  if (full() || bytes.size() > kDatagramBufferSize) return false;
  std::copy(bytes.begin(), bytes.end(), Slot().begin());
  Commit(bytes.size(), destination);
  return true;
}

std::optional<BindAddress> ParseBindAddress(const std::string& ip, std::uint16_t port) {
  BindAddress address;
  if (auto* v4 = reinterpret_cast<sockaddr_in*>(&address.name); inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    address.length = sizeof(sockaddr_in);
    return address;
  }
  if (auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.name); inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    address.length = sizeof(sockaddr_in6);
    address.ipv6 = true;
    address.any_ipv6 = IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr);
    return address;
  }
  return std::nullopt;
}

std::optional<UdpSocket> UdpSocket::Open(std::string_view bind_ip, std::uint16_t port, std::string* error) {
  const std::string ip(bind_ip);
  const auto bind_address = ParseBindAddress(ip, port);
  if (!bind_address) {
    SetError(error, "not an IPv4 or IPv6 address: \"" + ip + "\"");
    return std::nullopt;
  }
  const auto& [name, name_length, ipv6, any_ipv6] = *bind_address;

  const int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    SetError(error, ErrnoText("socket", errno));
    return std::nullopt;
  }
  UdpSocket socket_owner(fd, ipv6, 0);  // closes fd on every failure below

  // Only "::" serves both families; any other IPv6 address serves IPv6 alone.
  if (ipv6) {
    const int v6only = any_ipv6 ? 0 : 1;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0) {
      SetError(error, ErrnoText("IPV6_V6ONLY", errno));
      return std::nullopt;
    }
  }
  // Best effort: the kernel caps these at net.core.rmem_max / wmem_max.
  const int wanted = kWantedSocketBufferSize;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &wanted, sizeof(wanted));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &wanted, sizeof(wanted));

  if (bind(fd, reinterpret_cast<const sockaddr*>(&name), name_length) != 0) {
    SetError(error, ErrnoText("bind " + ip + " port " + std::to_string(port), errno));
    return std::nullopt;
  }
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length) != 0) {
    SetError(error, ErrnoText("getsockname", errno));
    return std::nullopt;
  }
  socket_owner.local_port_ = FromSockaddr(bound).port;
  socket_owner.receive_buffer_size_ = SocketBufferSize(fd, SO_RCVBUF);
  socket_owner.send_buffer_size_ = SocketBufferSize(fd, SO_SNDBUF);
  return socket_owner;
}

UdpSocket::UdpSocket(int fd, bool ipv6, std::uint16_t local_port) : fd_(fd), ipv6_(ipv6), local_port_(local_port) {}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ipv6_(other.ipv6_),
      local_port_(other.local_port_),
      receive_buffer_size_(other.receive_buffer_size_),
      send_buffer_size_(other.send_buffer_size_),
      counters_(other.counters_) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    ipv6_ = other.ipv6_;
    local_port_ = other.local_port_;
    receive_buffer_size_ = other.receive_buffer_size_;
    send_buffer_size_ = other.send_buffer_size_;
    counters_ = other.counters_;
  }
  return *this;
}

UdpSocket::~UdpSocket() {
  Close();
}

void UdpSocket::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::size_t UdpSocket::Receive(ReceiveBatch& batch) {
  batch.size_ = 0;
  // recvmmsg overwrites the name lengths and flags; reset them for this call.
  for (std::size_t i = 0; i < batch.capacity_; ++i) {
    batch.messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    batch.messages_[i].msg_hdr.msg_flags = 0;
    batch.messages_[i].msg_len = 0;
  }
  int count = 0;
  do {
    count = recvmmsg(fd_, batch.messages_.data(), static_cast<unsigned>(batch.capacity_), MSG_DONTWAIT, nullptr);
  } while (count < 0 && errno == EINTR);
  if (count < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) ++counters_.receive_errors;
    return 0;
  }
  for (std::size_t slot = 0; slot < static_cast<std::size_t>(count); ++slot) {
    const mmsghdr& message = batch.messages_[slot];
    // A datagram longer than the kMaxDatagramSize offered: the kernel cut it.
    if ((message.msg_hdr.msg_flags & MSG_TRUNC) != 0 || message.msg_len > kMaxDatagramSize) {
      ++counters_.dropped_truncated;
      continue;
    }
    batch.slots_[batch.size_] = static_cast<std::uint32_t>(slot);
    batch.lengths_[batch.size_] = message.msg_len;
    batch.sources_[batch.size_] = FromSockaddr(batch.names_[slot]);
    ++batch.size_;
  }
  counters_.received += batch.size_;
  return batch.size_;
}

std::size_t UdpSocket::Send(SendBatch& batch) {
  // Lay out the headers for the datagrams we can address from this socket.
  std::size_t total = 0;
  for (std::size_t i = 0; i < batch.size_; ++i) {
    if (batch.destinations_[i].tcp_connection != 0) continue;  // ICE-TCP: queued on its connection
    socklen_t name_length = 0;
    if (!ToSockaddr(batch.destinations_[i], ipv6_, batch.names_[total], name_length)) {
      ++counters_.send_errors;
      continue;
    }
    batch.vectors_[total].iov_base = batch.storage_.data() + i * kBufferStride;
    batch.vectors_[total].iov_len = batch.lengths_[i];
    std::memset(&batch.messages_[total], 0, sizeof(mmsghdr));
    msghdr& header = batch.messages_[total].msg_hdr;
    header.msg_name = &batch.names_[total];
    header.msg_namelen = name_length;
    header.msg_iov = &batch.vectors_[total];
    header.msg_iovlen = 1;
    ++total;
  }
  batch.Clear();

  std::size_t done = 0;
  std::size_t sent = 0;
  while (done < total) {
    const int count = sendmmsg(fd_, batch.messages_.data() + done, static_cast<unsigned>(total - done), MSG_DONTWAIT);
    if (count > 0) {
      done += static_cast<std::size_t>(count);
      sent += static_cast<std::size_t>(count);
      continue;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
      // The socket's send buffer is full: UDP would lose these anyway.
      counters_.dropped_send_full += total - done;
      break;
    }
    // sendmmsg reports the first failing datagram's error: skip it, go on with the rest.
    ++counters_.send_errors;
    ++done;
  }
  counters_.sent += sent;
  return sent;
}

}  // namespace egovbox::media
