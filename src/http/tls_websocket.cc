#include "http/tls_websocket.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <array>

#include "crypto/encoding.h"

namespace egovbox::http {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr std::size_t kScratchBytes = 16 * 1024;  // one TLS record

}  // namespace

std::string WebSocketAccept(std::string_view key) {
  const std::string input = std::string(key) + std::string(kAcceptGuid);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(), nullptr);
  return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

TlsWebSocket::TlsWebSocket(asio::ip::tcp::socket socket, SSL* ssl, Principal principal, TlsWebSocketOptions options,
                           std::string already_read)
    : socket_(std::move(socket)),
      ssl_(ssl),
      principal_(std::move(principal)),
      options_(options),
      heartbeat_(socket_.get_executor()),
      reader_(options_.max_message_bytes),
      last_heard_(Clock::now()) {
  reader_.Append(already_read);
}

TlsWebSocket::~TlsWebSocket() {
  SSL_free(ssl_);
}

asio::awaitable<void> TlsWebSocket::Run(WebSocketEndpoint& endpoint) {
  auto self = shared_from_this();
  // However the loop ends (an exception too), the hub forgets the peer and the
  // socket is closed, unless a close frame is still on its way out.
  struct Ending {
    WebSocketEndpoint& endpoint;
    std::shared_ptr<TlsWebSocket> socket;
    ~Ending() {
      endpoint.Closed(socket);
      if (!socket->finish_when_flushed_) socket->Finish();
    }
  } ending{endpoint, self};
  StartHeartbeat();
  endpoint.Opened(self);
  bool open = HandleFrames(endpoint);
  while (open && !finished_ && co_await ReadMore()) open = HandleFrames(endpoint);
}

// One SSL_read, waiting for the socket as OpenSSL asks; false at the end.
asio::awaitable<bool> TlsWebSocket::ReadMore() {
  thread_local std::array<char, kScratchBytes> scratch;
  for (;;) {
    if (finished_) co_return false;
    ERR_clear_error();
    std::size_t read = 0;
    const int result = SSL_read_ex(ssl_, scratch.data(), scratch.size(), &read);
    if (result == 1) {
      reader_.Append(std::string_view(scratch.data(), read));
      last_heard_ = Clock::now();
      co_return true;
    }
    const int reason = SSL_get_error(ssl_, result);
    if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE) {
      ERR_clear_error();
      co_return false;
    }
    boost::system::error_code error;
    co_await socket_.async_wait(
        reason == SSL_ERROR_WANT_READ ? asio::socket_base::wait_read : asio::socket_base::wait_write,
        asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return false;
  }
}

bool TlsWebSocket::HandleFrames(WebSocketEndpoint& endpoint) {
  while (auto event = reader_.Next()) {
    switch (event->kind) {
      case WebSocketEvent::Kind::kText:
        // An exception must not skip endpoint.Closed: the hub would keep the peer.
        try {
          endpoint.Received(shared_from_this(), event->payload);
        } catch (const std::exception& error) {
          spdlog::error("WebSocket message of {} failed: {}", principal_.subject_id, error.what());
          CloseWith(kCloseInternalError);
          return false;
        }
        break;
      case WebSocketEvent::Kind::kPing: Enqueue(WebSocketFrameOf(WebSocketOpcode::kPong, event->payload), true); break;
      case WebSocketEvent::Kind::kPong: break;
      case WebSocketEvent::Kind::kClose:
        if (close_sent_) {
          Finish();
        } else {
          // Echo the status code, as RFC 6455 §5.5.1 asks.
          const std::string_view code = std::string_view(event->payload).substr(0, event->payload.size() >= 2 ? 2 : 0);
          Enqueue(WebSocketFrameOf(WebSocketOpcode::kClose, code), true);
          close_sent_ = true;
          finish_when_flushed_ = true;
          if (!writing_) WriteQueued();
        }
        return false;
      case WebSocketEvent::Kind::kError: CloseWith(event->close_code); return false;
    }
  }
  reader_.Trim();
  return true;
}

void TlsWebSocket::Send(std::shared_ptr<const std::string> message) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
    self->Enqueue(WebSocketFrameOf(WebSocketOpcode::kText, *message), false);
  });
}

void TlsWebSocket::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseWith(kCloseGoingAway); });
}

void TlsWebSocket::Enqueue(std::string frame, bool control) {
  if (finished_ || (close_sent_ && !control)) return;
  // Control frames count too: a client that pings and never reads must not grow the queue.
  if (queued_bytes_ + frame.size() > options_.max_queued_bytes) {
    spdlog::warn("WebSocket of {} dropped: {} bytes wait to be sent", principal_.subject_id, queued_bytes_);
    Finish();
    return;
  }
  queued_bytes_ += frame.size();
  queue_.push_back(std::move(frame));
  if (!writing_) WriteQueued();
}

// Writes as much as the socket takes; waits for it when OpenSSL asks.
void TlsWebSocket::WriteQueued() {
  while (!queue_.empty() && !finished_) {
    const std::string& front = queue_.front();
    ERR_clear_error();
    std::size_t written = 0;
    const int result = SSL_write_ex(ssl_, front.data() + written_of_front_, front.size() - written_of_front_, &written);
    if (result == 1) {
      written_of_front_ += written;
      if (written_of_front_ == front.size()) {
        queued_bytes_ -= front.size();
        queue_.pop_front();
        written_of_front_ = 0;
      }
      continue;
    }
    const int reason = SSL_get_error(ssl_, result);
    if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE) {
      ERR_clear_error();
      Finish();
      return;
    }
    writing_ = true;
    socket_.async_wait(reason == SSL_ERROR_WANT_WRITE ? asio::socket_base::wait_write : asio::socket_base::wait_read,
                       [self = shared_from_this()](const boost::system::error_code& error) {
                         self->writing_ = false;
                         if (error) {
                           self->Finish();
                         } else {
                           self->WriteQueued();
                         }
                       });
    return;
  }
  if (queue_.empty() && finish_when_flushed_) Finish();
}

void TlsWebSocket::StartHeartbeat() {
  heartbeat_.expires_after(options_.idle_timeout / 2);
  heartbeat_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error || self->finished_) return;
    if (self->close_sent_ || Clock::now() - self->last_heard_ >= self->options_.idle_timeout) {
      self->Finish();
      return;
    }
    self->Enqueue(WebSocketFrameOf(WebSocketOpcode::kPing, {}), true);
    self->StartHeartbeat();
  });
}

void TlsWebSocket::CloseWith(std::uint16_t code) {
  if (close_sent_ || finished_) return;
  const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
  Enqueue(WebSocketFrameOf(WebSocketOpcode::kClose, std::string_view(payload, 2)), true);
  close_sent_ = true;
  finish_when_flushed_ = true;
  if (!writing_) WriteQueued();
}

void TlsWebSocket::Abort() {
  Finish();
}

void TlsWebSocket::Finish() {
  if (finished_) return;
  finished_ = true;
  heartbeat_.cancel();
  queue_.clear();
  ERR_clear_error();
  SSL_shutdown(ssl_);  // a close_notify if the socket takes it now; no waiting
  ERR_clear_error();
  boost::system::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace egovbox::http
