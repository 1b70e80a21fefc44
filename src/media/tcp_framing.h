// RFC 4571 framing for ICE over TCP (RFC 6544 §3): on a TCP connection every
// STUN, DTLS, RTP or RTCP packet is preceded by its length as a 16-bit
// big-endian number. TcpFrameReader reassembles such frames from what a
// connection reads; TcpFrameWriter queues frames for writing with a bound and a
// media/control distinction for backpressure.
//
// Both own one buffer each, allocated in the constructor and reused for the life
// of the connection: nothing allocates per packet. Neither is thread-safe; each
// belongs to one connection on one thread. Errors are values: a frame the reader
// will not take makes it kBroken for good (the caller closes the connection); a
// frame the writer has no room for is refused and left to the caller to count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/udp_socket.h"

namespace egovbox::media {

// RFC 4571 §2: the LENGTH field in front of every frame.
inline constexpr std::size_t kTcpFrameHeaderSize = 2;
// Frames longer than a datagram we would take over UDP are refused: media over
// ICE-TCP are still packets sized for a 1500-byte MTU.
inline constexpr std::size_t kMaxTcpFrameSize = kMaxDatagramSize;

class TcpFrameReader {
 public:
  enum class Status : std::uint8_t {
    kFrame,     // Next() returned a frame
    kNeedMore,  // no whole frame buffered: read more into Space()
    kBroken,    // a zero or oversized LENGTH: the connection is unusable
  };

  // `capacity` bytes of buffer; at least one largest frame and its header.
  explicit TcpFrameReader(std::size_t capacity = kDefaultCapacity);

  // Where the next read() goes; empty when the buffer is full (take frames first).
  std::span<std::uint8_t> Space();
  // `count` bytes were read into Space().
  void Commit(std::size_t count);
  // The next whole frame, a view into the buffer valid until the next Space() or
  // Commit(). kNeedMore moves a partial frame to the front of the buffer.
  Status Next(std::span<const std::uint8_t>& frame);
  // Bytes buffered and not yet handed out as frames.
  std::size_t pending() const { return end_ - begin_; }
  bool broken() const { return broken_; }
  // Empty again, for the next connection that reuses this reader.
  void Reset() { begin_ = end_ = 0, broken_ = false; }

  static constexpr std::size_t kDefaultCapacity = 4096;

 private:
  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0;  // first byte not yet handed out
  std::size_t end_ = 0;    // one past the last byte read
  bool broken_ = false;
};

class TcpFrameWriter {
 public:
  // `capacity`: bytes of frames (headers included) queued at most; media frames
  // are refused once `media_limit` bytes are queued, so that room stays for
  // STUN and DTLS, which a connection cannot do without.
  TcpFrameWriter(std::size_t capacity, std::size_t media_limit);

  // Queues `packet` with its RFC 4571 header. False, queueing nothing, when the
  // packet is empty or longer than kMaxTcpFrameSize, or when there is no room:
  // media (RTP, RTCP) above the media limit, anything above the capacity.
  bool Push(std::span<const std::uint8_t> packet, bool media);
  // The bytes to write next (empty when nothing is queued).
  std::span<const std::uint8_t> Pending() const;
  // `count` bytes of Pending() were written.
  void Consume(std::size_t count);
  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  void Clear() { begin_ = end_ = 0; }

 private:
  std::vector<std::uint8_t> buffer_;
  std::size_t media_limit_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace egovbox::media
