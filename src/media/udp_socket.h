// The media worker's UDP socket (Linux): one non-blocking socket that reads and
// writes datagrams in batches with recvmmsg/sendmmsg.
//
// Nothing on the per-packet path allocates: ReceiveBatch and SendBatch allocate
// their buffers, message headers and address storage once, in their constructors,
// and are reused for every call. Every buffer is kDatagramBufferSize bytes: a
// datagram is at most kMaxDatagramSize bytes, so kDatagramTailroom bytes always
// follow it, which lets the SFU unprotect and protect SRTP in place (SRTP adds at
// most a 16-byte tag; SRTCP a 4-byte index and a tag) and rewrite RTP headers.
//
// Errors are counted, never thrown: a datagram larger than kMaxDatagramSize is
// dropped on receipt (it cannot be RTP over a 1500-byte MTU), and datagrams the
// kernel will not take now (EAGAIN) are dropped on send, as UDP would anyway.
//
// Addresses: an IPv4 socket serves IPv4 only, an IPv6 one IPv6 only, except one
// bound to "::", which also serves IPv4; its IPv4 peers appear as IPv4
// TransportAddresses (never as ::ffff:a.b.c.d) and IPv4 destinations are mapped
// for it. IPv6 scope ids are not kept, so link-local peers are not supported.
//
// Thread safety: a socket and a batch are used by one thread (the worker's);
// the counters are plain integers.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/transport_address.h"

struct mmsghdr;
struct iovec;
struct sockaddr_storage;

namespace egovbox::media {

// The largest datagram we accept: the UDP payload of any packet over a 1500-byte
// MTU fits (1472 bytes over IPv4, 1452 over IPv6). Larger ones are dropped.
inline constexpr std::size_t kMaxDatagramSize = 1500;
// Room after any received datagram for in-place growth (SRTP tags, SRTCP index,
// header extensions).
inline constexpr std::size_t kDatagramTailroom = 64;
// The size of every buffer of ReceiveBatch and SendBatch.
inline constexpr std::size_t kDatagramBufferSize = kMaxDatagramSize + kDatagramTailroom;

struct UdpSocketCounters {
  std::uint64_t received = 0;           // datagrams handed out by Receive
  std::uint64_t sent = 0;               // datagrams the kernel accepted
  std::uint64_t dropped_truncated = 0;  // larger than kMaxDatagramSize
  std::uint64_t dropped_send_full = 0;  // EAGAIN/ENOBUFS on send: the rest of the batch
  std::uint64_t send_errors = 0;        // one datagram refused (bad destination, EMSGSIZE, ...)
  std::uint64_t receive_errors = 0;     // recvmmsg failed other than EAGAIN
};

// Buffers for up to `capacity` datagrams. After UdpSocket::Receive, datagrams
// 0..size()-1 are valid until the next Receive on this batch.
class ReceiveBatch {
 public:
  explicit ReceiveBatch(std::size_t capacity = 32);
  ~ReceiveBatch();
  ReceiveBatch(const ReceiveBatch&) = delete;
  ReceiveBatch& operator=(const ReceiveBatch&) = delete;

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return size_; }  // datagrams read by the last Receive
  // Datagram i, mutable: the SFU decrypts and rewrites it in place.
  std::span<std::uint8_t> data(std::size_t i);
  // The whole buffer of datagram i (kDatagramBufferSize bytes; the datagram at its
  // start): for growing a packet in place.
  std::span<std::uint8_t> buffer(std::size_t i);
  const TransportAddress& source(std::size_t i) const { return sources_[i]; }

 private:
  friend class UdpSocket;

  std::size_t capacity_;
  std::size_t size_ = 0;
  std::vector<std::uint8_t> storage_;  // capacity_ buffers, one after another
  std::vector<mmsghdr> messages_;
  std::vector<iovec> vectors_;
  std::vector<sockaddr_storage> names_;
  // For datagram i (in order of arrival, truncated ones skipped): its slot and length.
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint32_t> lengths_;
  std::vector<TransportAddress> sources_;
};

// Up to `capacity` datagrams waiting for UdpSocket::Send, each in its own
// kDatagramBufferSize buffer.
class SendBatch {
 public:
  explicit SendBatch(std::size_t capacity = 64);
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // The next free slot's buffer (kDatagramBufferSize bytes), to write a datagram
  // into and then Commit; empty when the batch is full.
  std::span<std::uint8_t> Slot();
  // Queues the first `length` bytes of Slot() for `destination`. Ignored when the
  // batch is full or `length` exceeds the slot (a programmer error).
  void Commit(std::size_t length, const TransportAddress& destination);
  // Copies `bytes` into the next slot. False when full or too long for a slot.
  bool Add(std::span<const std::uint8_t> bytes, const TransportAddress& destination);

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool full() const { return size_ == capacity_; }
  void Clear() { size_ = 0; }
  // Datagram i of the batch and where it goes (i < size()).
  std::span<const std::uint8_t> datagram(std::size_t i) const;
  const TransportAddress& destination(std::size_t i) const { return destinations_[i]; }

 private:
  friend class UdpSocket;

  std::size_t capacity_;
  std::size_t size_ = 0;
  std::vector<std::uint8_t> storage_;
  std::vector<std::uint32_t> lengths_;
  std::vector<TransportAddress> destinations_;
  std::vector<mmsghdr> messages_;
  std::vector<iovec> vectors_;
  std::vector<sockaddr_storage> names_;
};

// A socket address as a TransportAddress (IPv4-mapped IPv6 becomes IPv4; the
// family unknown: all zero): for the ICE-TCP listener's accepted peers.
TransportAddress TransportAddressOf(const sockaddr_storage& name);

// Where a socket binds: an IPv4 or IPv6 literal ("0.0.0.0", "::1", ...) and a port.
struct BindAddress {
  sockaddr_storage name{};
  socklen_t length = 0;
  bool ipv6 = false;
  bool any_ipv6 = false;  // "::": the only IPv6 address that serves both families
};
// The socket address of `ip` and `port`; nullopt when `ip` is neither literal.
// Shared by the UDP sockets and the ICE-TCP listener.
std::optional<BindAddress> ParseBindAddress(const std::string& ip, std::uint16_t port);

class UdpSocket {
 public:
  // Binds a non-blocking UDP socket to an IPv4 or IPv6 literal ("0.0.0.0",
  // "127.0.0.1", "::", "::1", ...) and `port` (0: the kernel picks). Asks for 4 MiB
  // receive and send buffers and takes what the kernel grants. Without
  // SO_REUSEADDR: for UDP on Linux it would let a second process bind the same
  // port and silently take its traffic. On failure: nullopt and a sentence in
  // `error` (when not null).
  static std::optional<UdpSocket> Open(std::string_view bind_ip, std::uint16_t port, std::string* error);

  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  ~UdpSocket();

  int fd() const { return fd_; }  // for epoll; still owned by this object
  std::uint16_t local_port() const { return local_port_; }
  bool ipv6() const { return ipv6_; }
  int receive_buffer_size() const { return receive_buffer_size_; }  // granted, as getsockopt reports it
  int send_buffer_size() const { return send_buffer_size_; }

  // One recvmmsg(MSG_DONTWAIT) into `batch`: returns batch.size(), 0 when nothing
  // is waiting. Truncated datagrams are dropped and counted.
  std::size_t Receive(ReceiveBatch& batch);
  // sendmmsg until the whole batch is sent or the kernel says EAGAIN (the rest is
  // dropped and counted); a datagram the kernel refuses is skipped and counted.
  // Datagrams for an ICE-TCP connection (destination.tcp_connection != 0) are not
  // this socket's: skipped, not counted (the worker hands them to its TCP
  // listener first). Clears the batch. Returns the number sent.
  std::size_t Send(SendBatch& batch);

  const UdpSocketCounters& counters() const { return counters_; }

 private:
  UdpSocket(int fd, bool ipv6, std::uint16_t local_port);
  void Close();

  int fd_ = -1;
  bool ipv6_ = false;
  std::uint16_t local_port_ = 0;
  int receive_buffer_size_ = 0;
  int send_buffer_size_ = 0;
  UdpSocketCounters counters_;
};

}  // namespace egovbox::media
