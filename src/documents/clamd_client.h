// Virus scanning through a ClamAV daemon's INSTREAM command (clamd(8)): the
// bytes are sent in length-prefixed chunks, ended by a zero-length chunk, and
// clamd answers "stream: OK" or "stream: <signature> FOUND". The address is a
// Unix socket path, or "tcp://127.0.0.1:3310" (loopback or a named host).
// Blocking, one connection per call; safe to use from several threads at once. The
// timeout bounds each wait (connecting, each send, the answer), not the whole scan.
#pragma once

#include <chrono>
#include <functional>
#include <span>
#include <string>

namespace egovbox::documents {

struct ScanVerdict {
  // kTooLarge: clamd refused the stream for its size (its StreamMaxLength), an
  // answer that no retry changes.
  enum class Outcome { kClean, kInfected, kTooLarge, kUnavailable };
  Outcome outcome = Outcome::kUnavailable;
  std::string detail;  // the signature when infected; the reason otherwise
};

// Fills `out` and returns how many bytes it wrote; 0 at the end.
using ByteSource = std::function<std::size_t(std::span<char> out)>;

class ClamdClient {
 public:
  ClamdClient(std::string address, std::chrono::milliseconds timeout);
  // Streams the bytes to clamd. kTooLarge when clamd refuses the stream for its
  // size; kUnavailable when clamd cannot be reached, times out or answers
  // something unexpected.
  ScanVerdict Scan(const ByteSource& source) const;
  // True when the daemon answers PING with PONG.
  bool Ping() const;

 private:
  std::string address_;
  std::chrono::milliseconds timeout_;
};

}  // namespace egovbox::documents
