// MediaWorker's side of ICE over TCP (RFC 6544): the worker's TcpMediaListener
// hands it frames as if they were datagrams, and takes from each send batch the
// packets whose destination is a TCP connection.
#include "media/media_worker.h"

namespace egovbox::media {

namespace {

// How often the listener is polled when its epoll has not said so: for its
// timeouts and for closing connections a write found broken.
constexpr auto kStreamPollInterval = std::chrono::seconds(1);

}  // namespace

void MediaWorker::ReceiveStreams(Clock::time_point now, bool ready) {
  // No epoll_wait of the listener's on the busy UDP path when it has nothing.
  if (!ready && now < next_stream_poll_) return;
  next_stream_poll_ = now + kStreamPollInterval;
  tcp_->Poll(now);
}

void MediaWorker::FlushStreams() {
  if (tcp_->open_connections() == 0) return;
  for (std::size_t i = 0; i < send_.size(); ++i) {
    const TransportAddress& destination = send_.destination(i);
    if (destination.tcp_connection != 0) tcp_->Queue(send_.datagram(i), destination);
  }
  tcp_->Flush();
}

void MediaWorker::StreamClosed(const TransportAddress& address) {
  by_address_.erase(address);
  // Nothing more is protected and sent to it: the routes and ICE agents it was
  // selected in forget it. Consent still expires on time unless the browser
  // selects another pair (a new connection, or UDP) by then.
  for (auto& [connection, route] : routes_) {
    if (route.address == address) route.address.reset();
    if (connection->ice().selected_address() == address) connection->ice().ForgetSelected();
  }
}

bool MediaWorker::AddressInUse(const TransportAddress& address, const Route& except) const {
  for (const auto& [connection, route] : routes_) {
    if (&route != &except && route.address == address) return true;
  }
  return false;
}

}  // namespace egovbox::media
