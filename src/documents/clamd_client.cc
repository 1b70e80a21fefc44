// clamd's protocol (clamd(8), "COMMANDS"): a command prefixed with 'z' ends with a
// NUL and so does its reply. Each call opens its own connection, so a ClamdClient is
// safe to use from several threads at once. Blocking: run it off the I/O threads.
// The timeout bounds each wait (the connection, each send, the answer), not the whole
// scan, which for a large file takes as long as the bytes take to arrive and be read.
#include "documents/clamd_client.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace egovbox::documents {
namespace {

constexpr std::string_view kTcpPrefix = "tcp://";
constexpr std::size_t kChunkBytes = 64 * std::size_t{1024};
constexpr std::size_t kMaxReplyBytes = 4096;

ScanVerdict Unavailable(std::string reason) {
  return {ScanVerdict::Outcome::kUnavailable, std::move(reason)};
}

std::string ErrnoText(std::string_view what, int error) {
  return std::string(what) + ": " + std::strerror(error);
}

// A socket, closed when it goes out of scope.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() { Close(); }

  int fd() const { return fd_; }

 private:
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

// Waits for `events` on the socket, at most `timeout`; the events that came, 0 on timeout.
int Wait(const Socket& socket, short events, std::chrono::milliseconds timeout) {
  pollfd ready{socket.fd(), events, 0};
  const int timeout_ms = static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 0, 1 << 30));
  while (true) {
    const int result = ::poll(&ready, 1, timeout_ms);
    if (result >= 0) return result == 0 ? 0 : ready.revents;
    if (errno != EINTR) return POLLERR;
  }
}

// Connects a non-blocking socket to `address` within `timeout`; the reason on failure.
std::string ConnectTo(Socket& socket, const sockaddr* address, socklen_t length, std::chrono::milliseconds timeout) {
  socket = Socket(::socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) return ErrnoText("socket", errno);
  if (::connect(socket.fd(), address, length) == 0) return {};
  if (errno != EINPROGRESS && errno != EINTR) return ErrnoText("connect", errno);
  if (Wait(socket, POLLOUT, timeout) == 0) return "connect: timed out";
  int error = 0;
  socklen_t error_length = sizeof error;
  if (::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &error_length) != 0) return ErrnoText("connect", errno);
  if (error != 0) return ErrnoText("connect", error);
  return {};
}

struct AddrInfoDeleter {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};

// Opens a connection to the Unix socket path or "tcp://host:port"; the reason on failure.
std::string Connect(const std::string& address, std::chrono::milliseconds timeout, Socket& socket) {
  if (!address.starts_with(kTcpPrefix)) {
    sockaddr_un unix_address{};
    unix_address.sun_family = AF_UNIX;
    if (address.empty() || address.size() >= sizeof unix_address.sun_path) return "bad socket path: " + address;
    std::memcpy(unix_address.sun_path, address.data(), address.size());
    const std::string reason =
        ConnectTo(socket, reinterpret_cast<const sockaddr*>(&unix_address), sizeof unix_address, timeout);
    return reason.empty() ? reason : reason + " (" + address + ")";
  }

  // "host:port" or "[v6 address]:port".
  const std::string_view rest = std::string_view(address).substr(kTcpPrefix.size());
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) return "bad address: " + address;
  std::string host(rest.substr(0, colon));
  const std::string port(rest.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  // getaddrinfo has no timeout of its own; clamd is normally on loopback or a name in
  // /etc/hosts, so the lookup does not go far.
  const int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (status != 0) return "resolve " + host + ": " + ::gai_strerror(status);
  const std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);
  std::string reason = "no address for " + host;
  for (const addrinfo* candidate = list.get(); candidate != nullptr; candidate = candidate->ai_next) {
    reason = ConnectTo(socket, candidate->ai_addr, candidate->ai_addrlen, timeout);
    if (reason.empty()) return {};
  }
  return reason + " (" + address + ")";
}

// A conversation with clamd over one connection, every wait bounded by `timeout`.
class Conversation {
 public:
  explicit Conversation(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  std::string Open(const std::string& address) { return Connect(address, timeout_, socket_); }

  // Sends all of `bytes`; "" on success. When clamd answers early (it answers and
  // hangs up once the stream passes its StreamMaxLength), its answer is read, "" is
  // returned and replied() is true.
  std::string Send(std::string_view bytes) {
    while (!bytes.empty()) {
      // MSG_NOSIGNAL: a daemon that closes the connection must not raise SIGPIPE here.
      const ssize_t sent = ::send(socket_.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(sent));
        continue;
      }
      if (sent < 0 && errno == EINTR) continue;
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        const int error = errno;
        // The daemon may have said why before closing.
        if (ReadReply().empty() && !reply_.empty()) return {};
        return ErrnoText("send", error);
      }
      const int events = Wait(socket_, POLLOUT | POLLIN, timeout_);
      if (events == 0) return "send: timed out";
      if ((events & (POLLIN | POLLHUP | POLLERR)) != 0 && (events & POLLOUT) == 0) {
        std::string reason = ReadReply();
        if (!reason.empty()) return reason;
        if (!reply_.empty()) return {};
        return "connection closed while sending";
      }
    }
    return {};
  }

  // Reads the reply up to its NUL (or the end of the connection); "" on success.
  std::string ReadReply() {
    if (reply_done_) return {};
    std::array<char, 512> buffer{};
    while (reply_.size() < kMaxReplyBytes) {
      const ssize_t received = ::recv(socket_.fd(), buffer.data(), buffer.size(), 0);
      if (received > 0) {
        const std::string_view part(buffer.data(), static_cast<std::size_t>(received));
        const auto nul = part.find('\0');
        reply_.append(part.substr(0, nul));
        if (nul != std::string_view::npos) break;
        continue;
      }
      if (received == 0) break;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return ErrnoText("recv", errno);
      if (Wait(socket_, POLLIN, timeout_) == 0) return "no answer: timed out";
    }
    reply_done_ = true;
    while (!reply_.empty() && (reply_.back() == '\n' || reply_.back() == '\r')) reply_.pop_back();
    return {};
  }

  bool replied() const { return reply_done_ && !reply_.empty(); }
  const std::string& reply() const { return reply_; }

 private:
  std::chrono::milliseconds timeout_;
  Socket socket_;
  std::string reply_;
  bool reply_done_ = false;
};

// "stream: OK", "stream: Eicar-Signature FOUND", or an error such as "INSTREAM size
// limit exceeded. ERROR".
ScanVerdict ParseScanReply(std::string_view reply) {
  constexpr std::string_view kStream = "stream: ";
  constexpr std::string_view kFound = " FOUND";
  if (reply == "stream: OK") return {ScanVerdict::Outcome::kClean, {}};
  if (reply.starts_with(kStream) && reply.ends_with(kFound) && reply.size() > kStream.size() + kFound.size()) {
    const std::string_view signature = reply.substr(kStream.size(), reply.size() - kStream.size() - kFound.size());
    return {ScanVerdict::Outcome::kInfected, std::string(signature)};
  }
  if (reply.empty()) return Unavailable("clamd closed the connection without an answer");
  if (reply.find("size limit exceeded") != std::string_view::npos) {
    return {ScanVerdict::Outcome::kTooLarge, "clamd: the file is larger than its StreamMaxLength"};
  }
  // The reason goes to the log: no control characters from the other end.
  std::string reason = "clamd: ";
  for (const char c : reply) reason += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
  return Unavailable(std::move(reason));
}

}  // namespace

ClamdClient::ClamdClient(std::string address, std::chrono::milliseconds timeout)
    : address_(std::move(address)), timeout_(timeout) {}

ScanVerdict ClamdClient::Scan(const ByteSource& source) const {
  Conversation conversation(timeout_);
  if (std::string reason = conversation.Open(address_); !reason.empty()) return Unavailable(std::move(reason));

  // A 4-byte big-endian length before each chunk, then a zero length (clamd(8), INSTREAM).
  constexpr std::string_view kCommand("zINSTREAM\0", 10);
  std::vector<char> chunk(4 + kChunkBytes);
  std::string reason = conversation.Send(kCommand);
  while (reason.empty() && !conversation.replied()) {
    const std::size_t filled = std::min(source(std::span<char>(chunk.data() + 4, kChunkBytes)), kChunkBytes);
    const auto length = static_cast<std::uint32_t>(filled);
    chunk[0] = static_cast<char>(length >> 24);
    chunk[1] = static_cast<char>(length >> 16);
    chunk[2] = static_cast<char>(length >> 8);
    chunk[3] = static_cast<char>(length);
    reason = conversation.Send(std::string_view(chunk.data(), 4 + filled));
    if (filled == 0) break;
  }
  if (reason.empty()) reason = conversation.ReadReply();
  if (!reason.empty()) return Unavailable(std::move(reason));
  return ParseScanReply(conversation.reply());
}

bool ClamdClient::Ping() const {
  Conversation conversation(timeout_);
  if (!conversation.Open(address_).empty()) return false;
  constexpr std::string_view kCommand("zPING\0", 6);
  if (!conversation.Send(kCommand).empty() || !conversation.ReadReply().empty()) return false;
  return conversation.reply() == "PONG";
}

}  // namespace egovbox::documents
