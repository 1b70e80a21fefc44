// Fuzz target for media::TcpFrameReader and TcpFrameWriter, which reassemble
// and frame everything on an ICE-TCP connection (RFC 4571) before any
// authentication. The first input byte sets the size of the reads the stream is
// cut into. Invariants: every frame handed out is non-empty, at most
// kMaxTcpFrameSize bytes, and exactly the bytes that followed its length field
// in the input, in order; the reader breaks exactly at the first zero or
// oversized length; and the writer frames the same packets back into the same
// bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/tcp_framing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::media::kMaxTcpFrameSize;
  using egovbox::media::kTcpFrameHeaderSize;
  using egovbox::media::TcpFrameReader;
  if (size == 0) return 0;
  const std::size_t piece = std::size_t{data[0]} * 7 + 1;
  const std::span<const std::uint8_t> stream(data + 1, size - 1);

  TcpFrameReader reader;
  egovbox::media::TcpFrameWriter writer(1 << 20, 1 << 20);
  std::size_t expected_at = 0;  // where the next frame's length field is in `stream`
  bool broken = false;
  for (std::size_t at = 0; at < stream.size() && !broken;) {
    const auto space = reader.Space();
    if (space.empty()) __builtin_trap();  // frames were taken: there is always room
    const std::size_t count = std::min({piece, space.size(), stream.size() - at});
    std::copy_n(stream.begin() + static_cast<std::ptrdiff_t>(at), count, space.begin());
    reader.Commit(count);
    at += count;
    std::span<const std::uint8_t> frame;
    for (;;) {
      const auto status = reader.Next(frame);
      if (status == TcpFrameReader::Status::kNeedMore) break;
      if (status == TcpFrameReader::Status::kBroken) {
        broken = true;
        break;
      }
      if (frame.empty() || frame.size() > kMaxTcpFrameSize) __builtin_trap();
      const std::size_t length = std::size_t{stream[expected_at]} << 8U | stream[expected_at + 1];
      if (length != frame.size()) __builtin_trap();
      if (!std::equal(frame.begin(), frame.end(), stream.begin() + static_cast<std::ptrdiff_t>(expected_at + 2))) {
        __builtin_trap();
      }
      if (!writer.Push(frame, false)) __builtin_trap();
      expected_at += kTcpFrameHeaderSize + length;
    }
  }
  // The reader broke exactly where a zero or oversized length field is.
  if (broken) {
    if (expected_at + 2 > stream.size()) __builtin_trap();
    const std::size_t length = std::size_t{stream[expected_at]} << 8U | stream[expected_at + 1];
    if (length != 0 && length <= kMaxTcpFrameSize) __builtin_trap();
  }
  // Framed again, the frames are the input up to the last whole frame.
  const auto pending = writer.Pending();
  if (pending.size() != expected_at || !std::equal(pending.begin(), pending.end(), stream.begin())) __builtin_trap();
  return 0;
}
