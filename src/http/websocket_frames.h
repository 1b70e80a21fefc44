// RFC 6455 framing, server side, without I/O: the reader turns the bytes a client
// sent into messages and control events (checking masks, lengths, fragmentation
// and opcodes); FrameOf makes the frames the server sends (unmasked). Pure and
// fuzzed (fuzz/websocket_frames_fuzzer.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace egovbox::http {

enum class WebSocketOpcode : unsigned char {
  kContinuation = 0,
  kText = 1,
  kBinary = 2,
  kClose = 8,
  kPing = 9,
  kPong = 10
};

inline constexpr std::uint16_t kCloseGoingAway = 1001;
inline constexpr std::uint16_t kCloseProtocolError = 1002;
inline constexpr std::uint16_t kCloseUnsupportedData = 1003;
inline constexpr std::uint16_t kCloseTooBig = 1009;
inline constexpr std::uint16_t kCloseInternalError = 1011;

struct WebSocketEvent {
  enum class Kind {
    kText,  // a whole text message (fragments joined)
    kPing,  // answer with a pong carrying `payload`
    kPong,
    kClose,  // the client closes; `payload` is its close body (code and reason)
    kError,  // the client broke the protocol: close with `close_code`
  };
  Kind kind;
  std::string payload;
  std::uint16_t close_code = 0;
};

class WebSocketFrameReader {
 public:
  explicit WebSocketFrameReader(std::size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  void Append(std::string_view bytes) { inbound_.append(bytes); }
  // The next event, or nullopt when more bytes are needed. After kClose or kError
  // the reader is done: it returns nothing more.
  std::optional<WebSocketEvent> Next();
  // Drops the bytes Next has used (call after draining it); an idle socket keeps no buffer.
  void Trim();

 private:
  std::optional<WebSocketEvent> Fail(std::uint16_t code);

  std::size_t max_message_bytes_;
  std::string inbound_;       // bytes read; those before consumed_ are done with
  std::size_t consumed_ = 0;  // erased once per read (Trim), not once per frame
  std::string message_;       // a fragmented message being put together
  bool in_fragmented_message_ = false;
  bool done_ = false;
};

std::string WebSocketFrameOf(WebSocketOpcode opcode, std::string_view payload);

}  // namespace egovbox::http
