// Fuzz target for http::WebSocketFrameReader, which reads every byte a browser
// sends on /api/v1/ws. The first two bytes choose the message size limit; the
// rest is the stream, fed in chunks whose sizes come from the stream itself, with
// Next() drained after each. Invariants: the events do not depend on how the bytes
// were split (the whole stream at once gives the same ones); a text message is
// never over the limit and a control payload never over 125 bytes; an error
// carries 1002, 1003 or 1009; after a close or an error nothing more comes; and a
// text message framed by WebSocketFrameOf (then masked, as a browser would) reads
// back as itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/websocket_frames.h"

namespace {

using egovbox::http::WebSocketEvent;
using egovbox::http::WebSocketFrameReader;

bool Same(const WebSocketEvent& a, const WebSocketEvent& b) {
  return a.kind == b.kind && a.payload == b.payload && a.close_code == b.close_code;
}

// Drains the reader; traps when an event breaks an invariant or follows the end.
void Drain(WebSocketFrameReader& reader, std::size_t limit, std::vector<WebSocketEvent>& events) {
  while (auto event = reader.Next()) {
    if (!events.empty() &&
        (events.back().kind == WebSocketEvent::Kind::kClose || events.back().kind == WebSocketEvent::Kind::kError)) {
      __builtin_trap();
    }
    switch (event->kind) {
      case WebSocketEvent::Kind::kText:
        if (event->payload.size() > limit) __builtin_trap();
        break;
      case WebSocketEvent::Kind::kPing:
      case WebSocketEvent::Kind::kPong:
      case WebSocketEvent::Kind::kClose:
        if (event->payload.size() > 125) __builtin_trap();
        break;
      case WebSocketEvent::Kind::kError:
        if (event->close_code != egovbox::http::kCloseProtocolError &&
            event->close_code != egovbox::http::kCloseUnsupportedData &&
            event->close_code != egovbox::http::kCloseTooBig) {
          __builtin_trap();
        }
        break;
    }
    if (event->kind != WebSocketEvent::Kind::kError && event->close_code != 0) __builtin_trap();
    events.push_back(std::move(*event));
  }
}

// A server frame with the mask bit set and a fixed mask applied: what a client would send.
std::string Masked(std::string_view frame) {
  const auto second = static_cast<unsigned char>(frame[1]);
  const std::size_t header = (second & 0x7f) == 126 ? 4 : (second & 0x7f) == 127 ? 10 : 2;
  static constexpr unsigned char kMask[4] = {0xa5, 0x0f, 0x33, 0xc3};
  std::string out(frame.substr(0, header));
  out[1] = static_cast<char>(second | 0x80);
  out.append(reinterpret_cast<const char*>(kMask), 4);
  for (std::size_t i = header; i < frame.size(); ++i) {
    out.push_back(static_cast<char>(frame[i] ^ static_cast<char>(kMask[(i - header) % 4])));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limit = (std::size_t{data[0]} << 8 | data[1]) + 1;  // 1 .. 65536 bytes
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  // In chunks: each chunk's length is taken from the byte where it starts.
  WebSocketFrameReader chunked(limit);
  std::vector<WebSocketEvent> events;
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t length = 1 + static_cast<unsigned char>(stream[at]) % 17;
    chunked.Append(stream.substr(at, length));
    at += length;
    Drain(chunked, limit, events);
    chunked.Trim();
  }

  WebSocketFrameReader whole(limit);
  whole.Append(stream);
  std::vector<WebSocketEvent> at_once;
  Drain(whole, limit, at_once);
  if (at_once.size() != events.size()) __builtin_trap();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!Same(events[i], at_once[i])) __builtin_trap();
  }

  for (const auto& event : events) {
    if (event.kind != WebSocketEvent::Kind::kText) continue;
    WebSocketFrameReader echo(limit);
    echo.Append(Masked(egovbox::http::WebSocketFrameOf(egovbox::http::WebSocketOpcode::kText, event.payload)));
    const auto back = echo.Next();
    if (!back || back->kind != WebSocketEvent::Kind::kText || back->payload != event.payload) __builtin_trap();
    if (echo.Next()) __builtin_trap();
  }
  return 0;
}
