#include "http/websocket_frames.h"

namespace egovbox::http {
namespace {

constexpr std::size_t kMaxControlPayload = 125;
constexpr std::size_t kMaskBytes = 4;

std::uint64_t BigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (unsigned char byte : bytes) value = (value << 8) | byte;
  return value;
}

}  // namespace

std::optional<WebSocketEvent> WebSocketFrameReader::Fail(std::uint16_t code) {
  done_ = true;
  inbound_.clear();
  consumed_ = 0;
  message_.clear();
  return WebSocketEvent{WebSocketEvent::Kind::kError, {}, code};
}

std::optional<WebSocketEvent> WebSocketFrameReader::Next() {
  while (!done_ && inbound_.size() - consumed_ >= 2) {
    const std::string_view frame = std::string_view(inbound_).substr(consumed_);
    const auto first = static_cast<unsigned char>(frame[0]);
    const auto second = static_cast<unsigned char>(frame[1]);
    const bool final_frame = (first & 0x80) != 0;
    const auto opcode = static_cast<WebSocketOpcode>(first & 0x0f);
    const bool control = (first & 0x08) != 0;
    // Clients must mask; no extension was negotiated, so no RSV bit may be set.
    if ((first & 0x70) != 0 || (second & 0x80) == 0) return Fail(kCloseProtocolError);
    std::uint64_t length = second & 0x7f;
    std::size_t header = 2;
    if (length == 126 || length == 127) {
      const std::size_t extra = length == 126 ? 2 : 8;
      if (frame.size() < header + extra) return std::nullopt;
      length = BigEndian(frame.substr(header, extra));
      header += extra;
    }
    if (control && (length > kMaxControlPayload || !final_frame)) return Fail(kCloseProtocolError);
    // A control frame between fragments is not part of the message being put together.
    if (length > max_message_bytes_ || (!control && message_.size() + length > max_message_bytes_)) {
      return Fail(kCloseTooBig);
    }
    if (frame.size() < header + kMaskBytes + length) return std::nullopt;

    const std::string_view mask = frame.substr(header, kMaskBytes);
    std::string payload(frame.substr(header + kMaskBytes, static_cast<std::size_t>(length)));
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ mask[i % kMaskBytes]);
    consumed_ += header + kMaskBytes + static_cast<std::size_t>(length);

    switch (opcode) {
      case WebSocketOpcode::kText:
      case WebSocketOpcode::kContinuation: {
        if ((opcode == WebSocketOpcode::kContinuation) != in_fragmented_message_) return Fail(kCloseProtocolError);
        message_ += payload;
        in_fragmented_message_ = !final_frame;
        if (!final_frame) break;
        WebSocketEvent event{WebSocketEvent::Kind::kText, std::move(message_)};
        message_ = std::string();
        return event;
      }
      case WebSocketOpcode::kBinary: return Fail(kCloseUnsupportedData);
      case WebSocketOpcode::kClose:
        done_ = true;
        return WebSocketEvent{WebSocketEvent::Kind::kClose, std::move(payload)};
      case WebSocketOpcode::kPing: return WebSocketEvent{WebSocketEvent::Kind::kPing, std::move(payload)};
      case WebSocketOpcode::kPong: return WebSocketEvent{WebSocketEvent::Kind::kPong, std::move(payload)};
      default: return Fail(kCloseProtocolError);
    }
  }
  return std::nullopt;
}

void WebSocketFrameReader::Trim() {
  inbound_.erase(0, consumed_);
  consumed_ = 0;
  if (inbound_.empty() && inbound_.capacity() > 64) inbound_ = std::string();
}

std::string WebSocketFrameOf(WebSocketOpcode opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 10);
  frame.push_back(static_cast<char>(0x80 | static_cast<unsigned char>(opcode)));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(payload.size()));
  } else if (payload.size() <= 0xffff) {
    frame.push_back(static_cast<char>(126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xff));
  } else {
    frame.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((payload.size() >> shift) & 0xff));
  }
  frame.append(payload);
  return frame;
}

}  // namespace egovbox::http
