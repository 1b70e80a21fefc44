// One tab's signaling for egovbox-loadgen: a WebSocket to /api/v1/ws over TLS on
// 127.0.0.1, signed in with a session cookie, speaking the JSON messages of
// docs/media.md. Blocking with deadlines (setup is not the measured part); during
// the measurement Poll() reads whatever arrived without waiting.
//
// Frames as in RFC 6455: client frames masked (a zero mask, as bench/realtime's
// client does), pings answered, text messages parsed as JSON and queued.
// Does not check the server's certificate: the benchmark's own server on loopback.
// Not thread-safe.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace egovbox::bench {

class SignalingClient {
 public:
  SignalingClient() = default;
  SignalingClient(const SignalingClient&) = delete;
  SignalingClient& operator=(const SignalingClient&) = delete;
  ~SignalingClient();

  // TCP + TLS + the upgrade, then waits for the server's {type: "hello"}. Empty on
  // success, else why not.
  std::string Connect(std::uint16_t port, const std::string& cookie, std::chrono::milliseconds wait);
  bool Send(const nlohmann::json& message);
  // Reads what is waiting, without blocking; false once the connection is gone.
  bool Poll();
  // The first queued message of `type` (for which `accept` is true), waiting up to
  // `wait` for it; taken out of the queue.
  std::optional<nlohmann::json> Next(const std::string& type, std::chrono::milliseconds wait,
                                     const std::function<bool(const nlohmann::json&)>& accept = nullptr);
  // Takes every queued message of `type`.
  std::deque<nlohmann::json> TakeAll(const std::string& type);
  void Close();

 private:
  bool ReadSome(int timeout_ms);
  void ParseFrames();
  bool SendFrame(unsigned char opcode, const std::string& payload);

  int fd_ = -1;
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string inbound_;
  std::deque<nlohmann::json> messages_;
  bool closed_ = false;
};

}  // namespace egovbox::bench
