// The HTTPS server: TLS on one port, HTTP/1.1 keep-alive, limits and timeouts,
// graceful shutdown. Handlers run on a pool of worker threads (they may block on
// the store or argon2); the I/O threads move bytes and answer only what the
// Dispatcher can answer without blocking (HandleWithoutBlocking).
//
// Limits: a connection cap (beyond it new connections are closed at once), header
// and body size caps (431 and 413), and three deadlines: idle (waiting for a
// request to begin), header (the whole header must arrive in time, so a client
// that dribbles bytes cannot hold a connection: slow-loris) and body.
// Shutdown on SIGTERM or SIGINT: stop accepting, close idle connections, let
// requests in flight finish, and stop for good after the grace period.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "http/dispatcher.h"
#include "http/metrics.h"
#include "http/websocket.h"

namespace egovbox::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 8443;  // 0 picks a free port (tests)
  std::filesystem::path certificate_file;
  std::filesystem::path key_file;
  std::size_t max_connections = 2000;
  std::size_t max_header_bytes = 16 * std::size_t{1024};
  std::size_t max_body_bytes = 1024 * std::size_t{1024};
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds shutdown_grace{10000};
  // The WebSocket (see websocket.h): its path, how long a silent socket lives (a ping
  // goes out at half of it), the send queue cap and the largest message accepted.
  std::string websocket_path = "/api/v1/ws";
  std::chrono::milliseconds websocket_idle_timeout{60000};
  std::size_t websocket_max_queued_bytes = 256 * std::size_t{1024};
  std::size_t websocket_max_message_bytes = 16 * std::size_t{1024};
  int io_threads = 2;
  int worker_threads = 4;
};

class Server {
 public:
  // `websocket_endpoint` may be null: then there is no WebSocket.
  Server(ServerOptions options, const Dispatcher& dispatcher, Metrics& metrics,
         WebSocketEndpoint* websocket_endpoint = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves until SIGTERM or SIGINT; returns when shut down. Calls
  // `on_listening` with the bound port once connections are accepted. Throws if
  // the certificate cannot be loaded or the port cannot be bound.
  void Run(const std::function<void(std::uint16_t)>& on_listening);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace egovbox::http
