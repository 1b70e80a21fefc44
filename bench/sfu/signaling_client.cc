#include "signaling_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

namespace egovbox::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr unsigned char kOpcodeText = 0x1;
constexpr unsigned char kOpcodeClose = 0x8;
constexpr unsigned char kOpcodePing = 0x9;
constexpr unsigned char kOpcodePong = 0xA;
constexpr unsigned char kFinal = 0x80;
constexpr unsigned char kMasked = 0x80;
constexpr std::size_t kShortLength = 125;
constexpr std::size_t kMediumLength = 0xFFFF;

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

SignalingClient::~SignalingClient() {
  Close();
  if (context_ != nullptr) SSL_CTX_free(context_);
}

std::string SignalingClient::Connect(std::uint16_t port, const std::string& cookie, std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return "connect failed";
  context_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(context_, SSL_VERIFY_NONE, nullptr);
  ssl_ = SSL_new(context_);
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, "localhost");
  if (SSL_connect(ssl_) != 1) {
    ERR_clear_error();
    return "TLS handshake failed";
  }
  const std::string host = "127.0.0.1:" + std::to_string(port);
  const std::string request = "GET /api/v1/ws HTTP/1.1\r\nHost: " + host +
                              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                              "Origin: https://" +
                              host + "\r\nCookie: " + cookie + "\r\n\r\n";
  if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) return "upgrade not sent";
  while (inbound_.find("\r\n\r\n") == std::string::npos) {
    if (!ReadSome(RemainingMs(deadline)) || Clock::now() > deadline) return "no answer to the upgrade";
  }
  if (!inbound_.starts_with("HTTP/1.1 101")) return "upgrade refused: " + inbound_.substr(0, inbound_.find('\r'));
  inbound_.erase(0, inbound_.find("\r\n\r\n") + 4);
  ParseFrames();
  if (!Next("hello", std::chrono::milliseconds(RemainingMs(deadline)))) return "no hello";
  return {};
}

bool SignalingClient::ReadSome(int timeout_ms) {
  if (closed_ || ssl_ == nullptr) return false;
  if (SSL_pending(ssl_) == 0) {
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, timeout_ms) <= 0) return !closed_;
  }
  std::array<char, 16384> buffer{};
  const int read = SSL_read(ssl_, buffer.data(), static_cast<int>(buffer.size()));
  if (read <= 0) {
    const int reason = SSL_get_error(ssl_, read);
    ERR_clear_error();
    if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return true;
    closed_ = true;
    return false;
  }
  inbound_.append(buffer.data(), static_cast<std::size_t>(read));
  return true;
}

void SignalingClient::ParseFrames() {
  for (;;) {
    if (inbound_.size() < 2) return;
    const auto first = static_cast<unsigned char>(inbound_[0]);
    std::uint64_t length = static_cast<unsigned char>(inbound_[1]) & 0x7FU;
    std::size_t header = 2;
    if (length == kShortLength + 1) {
      if (inbound_.size() < 4) return;
      length = (static_cast<unsigned>(static_cast<unsigned char>(inbound_[2])) << 8U) |
               static_cast<unsigned char>(inbound_[3]);
      header = 4;
    } else if (length == kShortLength + 2) {
      if (inbound_.size() < 10) return;
      length = 0;
      for (std::size_t i = 2; i < 10; ++i) length = (length << 8U) | static_cast<unsigned char>(inbound_[i]);
      header = 10;
    }
    if (inbound_.size() < header + length) return;
    const std::string payload = inbound_.substr(header, length);
    inbound_.erase(0, header + length);
    switch (first & 0x0FU) {
      case kOpcodeText: {
        auto message = nlohmann::json::parse(payload, nullptr, false);
        if (message.is_object()) messages_.push_back(std::move(message));
        break;
      }
      case kOpcodeClose: closed_ = true; return;
      case kOpcodePing: SendFrame(kOpcodePong, payload); break;
      default: break;
    }
  }
}

bool SignalingClient::SendFrame(unsigned char opcode, const std::string& payload) {
  if (closed_ || ssl_ == nullptr) return false;
  std::string frame;
  frame.push_back(static_cast<char>(kFinal | opcode));
  if (payload.size() <= kShortLength) {
    frame.push_back(static_cast<char>(kMasked | payload.size()));
  } else if (payload.size() <= kMediumLength) {
    frame.push_back(static_cast<char>(kMasked | (kShortLength + 1)));
    frame.push_back(static_cast<char>(payload.size() >> 8U));
    frame.push_back(static_cast<char>(payload.size()));
  } else {
    frame.push_back(static_cast<char>(kMasked | (kShortLength + 2)));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>(payload.size() >> shift));
  }
  frame.append(4, '\0');  // the mask: zero keeps the payload as it is (RFC 6455 §5.3)
  frame.append(payload);
  const int written = SSL_write(ssl_, frame.data(), static_cast<int>(frame.size()));
  ERR_clear_error();
  return written == static_cast<int>(frame.size());
}

bool SignalingClient::Send(const nlohmann::json& message) {
  return SendFrame(kOpcodeText, message.dump());
}

bool SignalingClient::Poll() {
  while (!closed_ && ssl_ != nullptr) {
    pollfd readable{fd_, POLLIN, 0};
    if (SSL_pending(ssl_) == 0 && poll(&readable, 1, 0) <= 0) break;
    if (!ReadSome(0)) break;
  }
  ParseFrames();
  return !closed_;
}

std::optional<nlohmann::json> SignalingClient::Next(const std::string& type, std::chrono::milliseconds wait,
                                                    const std::function<bool(const nlohmann::json&)>& accept) {
  const auto deadline = Clock::now() + wait;
  for (;;) {
    for (auto it = messages_.begin(); it != messages_.end(); ++it) {
      if (it->value("type", "") == type && (!accept || accept(*it))) {
        nlohmann::json found = std::move(*it);
        messages_.erase(it);
        return found;
      }
    }
    if (Clock::now() >= deadline || closed_) return std::nullopt;
    ReadSome(std::min(RemainingMs(deadline), 50));
    ParseFrames();
  }
}

std::deque<nlohmann::json> SignalingClient::TakeAll(const std::string& type) {
  std::deque<nlohmann::json> taken;
  for (auto it = messages_.begin(); it != messages_.end();) {
    if (it->value("type", "") == type) {
      taken.push_back(std::move(*it));
      it = messages_.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

void SignalingClient::Close() {
  if (ssl_ != nullptr) {
    if (!closed_) SendFrame(kOpcodeClose, std::string("\x03\xe8", 2));
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  closed_ = true;
}

}  // namespace egovbox::bench
