// The WebSocket at /api/v1/ws as domain code sees it: no Beast, no Asio. The
// server upgrades a signed-in request, then tells the endpoint (the realtime
// module's hub) about the peer, each text message it sends and its end.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http/request.h"

namespace egovbox::http {

// One open WebSocket. Thread-safe: Send and Close may be called from any thread.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  // Queues a text message. A peer whose queue grows over the limit (a client that
  // does not read) is disconnected rather than buffered without bound.
  virtual void Send(std::shared_ptr<const std::string> message) = 0;
  virtual void Close() = 0;
  virtual const Principal& principal() const = 0;
};

// Called on I/O threads: implementations must not block.
class WebSocketEndpoint {
 public:
  virtual ~WebSocketEndpoint() = default;
  virtual void Opened(const std::shared_ptr<WebSocketPeer>& peer) = 0;
  virtual void Received(const std::shared_ptr<WebSocketPeer>& peer, std::string_view text) = 0;
  virtual void Closed(const std::shared_ptr<WebSocketPeer>& peer) = 0;
};

}  // namespace egovbox::http
