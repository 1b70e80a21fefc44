#include "media/tcp_framing.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "media/byte_order.h"

namespace egovbox::media {

TcpFrameReader::TcpFrameReader(std::size_t capacity)
    : buffer_(std::max(capacity, kTcpFrameHeaderSize + kMaxTcpFrameSize)) {}

std::span<std::uint8_t> TcpFrameReader::Space() {
  return std::span(buffer_).subspan(end_);
}

void TcpFrameReader::Commit(std::size_t count) {
  assert(count <= buffer_.size() - end_ && "Commit: more bytes than Space() offered");
  end_ += std::min(count, buffer_.size() - end_);
}

TcpFrameReader::Status TcpFrameReader::Next(std::span<const std::uint8_t>& frame) {
  if (broken_) return Status::kBroken;
  if (pending() >= kTcpFrameHeaderSize) {
    const std::size_t length = ReadUint16(buffer_.data() + begin_);
    // RFC 4571 §2 allows up to 65535 bytes; no packet of ours is empty or larger
    // than a datagram, so such a frame is a broken or hostile peer.
    if (length == 0 || length > kMaxTcpFrameSize) {
      broken_ = true;
      return Status::kBroken;
    }
    if (pending() >= kTcpFrameHeaderSize + length) {
      frame = std::span(buffer_).subspan(begin_ + kTcpFrameHeaderSize, length);
      begin_ += kTcpFrameHeaderSize + length;
      return Status::kFrame;
    }
  }
  // A partial frame (or nothing) left: move it to the front so that Space() has
  // room for the rest. The buffer holds a largest frame, so it always fits.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, pending());
    end_ -= begin_;
    begin_ = 0;
  }
  return Status::kNeedMore;
}

TcpFrameWriter::TcpFrameWriter(std::size_t capacity, std::size_t media_limit)
    : buffer_(std::max(capacity, kTcpFrameHeaderSize + kMaxTcpFrameSize)), media_limit_(media_limit) {}

bool TcpFrameWriter::Push(std::span<const std::uint8_t> packet, bool media) {
  if (packet.empty() || packet.size() > kMaxTcpFrameSize) return false;
  const std::size_t frame_size = kTcpFrameHeaderSize + packet.size();
  const std::size_t limit = media ? std::min(media_limit_, buffer_.size()) : buffer_.size();
  if (size() + frame_size > limit) return false;
  if (end_ + frame_size > buffer_.size()) {
    // Not enough room at the tail: move what is queued to the front.
    std::memmove(buffer_.data(), buffer_.data() + begin_, size());
    end_ -= begin_;
    begin_ = 0;
  }
  WriteUint16(buffer_.data() + end_, static_cast<std::uint16_t>(packet.size()));
  std::memcpy(buffer_.data() + end_ + kTcpFrameHeaderSize, packet.data(), packet.size());
  end_ += frame_size;
  return true;
}

std::span<const std::uint8_t> TcpFrameWriter::Pending() const {
  return std::span(buffer_).subspan(begin_, size());
}

void TcpFrameWriter::Consume(std::size_t count) {
  begin_ += std::min(count, size());
  if (begin_ == end_) begin_ = end_ = 0;
}

}  // namespace egovbox::media
