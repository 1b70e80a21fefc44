// A WebSocket (RFC 6455, server side) straight on an OpenSSL session and a
// non-blocking socket, after the HTTP upgrade. Internal to the server.
//
// Why not Beast's websocket over Asio's ssl::stream: that pair keeps about 70 KiB
// of buffers per connection for its whole life (Asio's two 17 KiB record buffers
// and OpenSSL's 17 KiB BIO pair halves), and a WebSocket lives for hours, mostly
// idle; 10,000 of them must fit in 20 KiB each. Here the SSL session reads and
// writes the socket itself (SSL_MODE_RELEASE_BUFFERS gives its record buffers back
// when idle), readiness comes from Asio's reactor, frames are read through one
// scratch buffer per thread, and a write buffer exists only while writing.
//
// One connection lives on one io_context thread: no locks; Send and Close post to it.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "http/asio.h"
#include "http/websocket.h"
#include "http/websocket_frames.h"

namespace egovbox::http {

struct TlsWebSocketOptions {
  std::chrono::milliseconds idle_timeout{60000};  // a ping at half of it; closed after it without a word
  std::size_t max_queued_bytes = 256 * 1024;
  std::size_t max_message_bytes = 16 * 1024;
};

class TlsWebSocket : public WebSocketPeer, public std::enable_shared_from_this<TlsWebSocket> {
 public:
  // Takes over `ssl` (one reference) and `socket`; `already_read` is plaintext that
  // arrived after the upgrade request.
  TlsWebSocket(boost::asio::ip::tcp::socket socket, SSL* ssl, Principal principal, TlsWebSocketOptions options,
               std::string already_read);
  ~TlsWebSocket() override;
  TlsWebSocket(const TlsWebSocket&) = delete;
  TlsWebSocket& operator=(const TlsWebSocket&) = delete;

  // Reads until the socket closes, handing text messages to `endpoint`.
  boost::asio::awaitable<void> Run(WebSocketEndpoint& endpoint);

  void Send(std::shared_ptr<const std::string> message) override;
  void Close() override;
  // Drops the connection at once (forced shutdown); on the connection's thread.
  void Abort();
  const Principal& principal() const override { return principal_; }

 private:
  boost::asio::awaitable<bool> ReadMore();
  // Acts on every whole frame read so far; false when the connection must end.
  bool HandleFrames(WebSocketEndpoint& endpoint);
  void Enqueue(std::string frame, bool control);
  void WriteQueued();
  void StartHeartbeat();
  // Sends a close frame and ends the connection once it is written.
  void CloseWith(std::uint16_t code);
  void Finish();

  boost::asio::ip::tcp::socket socket_;
  SSL* ssl_;
  Principal principal_;
  TlsWebSocketOptions options_;
  boost::asio::steady_timer heartbeat_;
  WebSocketFrameReader reader_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t written_of_front_ = 0;
  bool writing_ = false;
  bool close_sent_ = false;
  bool finish_when_flushed_ = false;  // after the close frame is out
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_heard_;
};

// The Sec-WebSocket-Accept value for a Sec-WebSocket-Key.
std::string WebSocketAccept(std::string_view key);

}  // namespace egovbox::http
