// Per-subscriber rewriting of one forwarded RTP stream, so that the subscriber
// sees one continuous stream (its own SSRC, sequence numbers and timestamps
// without jumps) even when the source behind it changes: a publisher that
// restarts its sender, and later the simulcast layer switches. Plain value, no
// allocation; used on the forwarding path.
#pragma once

#include <chrono>
#include <cstdint>

namespace egovbox::media {

class StreamRewriter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit StreamRewriter(std::uint32_t output_ssrc = 0) : output_ssrc_(output_ssrc) {}

  std::uint32_t output_ssrc() const { return output_ssrc_; }

  struct Rewritten {
    std::uint16_t sequence_number;
    std::uint32_t timestamp;
  };

  // The values a packet from `source_ssrc` carries toward the subscriber. On the
  // first packet of a new source, the offsets are chosen so the output continues
  // one past the last sequence number sent and the timestamp advances by the
  // time since the last packet (`clock_rate` ticks per second).
  Rewritten Rewrite(std::uint32_t source_ssrc, std::uint16_t sequence_number, std::uint32_t timestamp,
                    std::uint32_t clock_rate, Clock::time_point now) {
    if (!started_ || source_ssrc != source_ssrc_) Rebase(source_ssrc, sequence_number, timestamp, clock_rate, now);
    const Rewritten out{static_cast<std::uint16_t>(sequence_number + sequence_offset_), timestamp + timestamp_offset_};
    // RFC 3550 appendix A.1 style: "newer" is a forward distance under half the space.
    if (static_cast<std::uint16_t>(out.sequence_number - last_sequence_) < kHalfSequenceSpace) {
      last_sequence_ = out.sequence_number;
      last_timestamp_ = out.timestamp;
      last_at_ = now;
    }
    return out;
  }

  // The timestamp offset of the current source (for rewriting its sender reports).
  std::uint32_t timestamp_offset() const { return timestamp_offset_; }
  bool started() const { return started_; }

 private:
  static constexpr std::uint16_t kHalfSequenceSpace = 0x8000;

  void Rebase(std::uint32_t source_ssrc, std::uint16_t sequence_number, std::uint32_t timestamp,
              std::uint32_t clock_rate, Clock::time_point now) {
    if (started_) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - last_at_).count();
      const auto ticks = static_cast<std::uint32_t>(static_cast<std::uint64_t>(elapsed) * clock_rate / 1'000'000);
      sequence_offset_ = static_cast<std::uint16_t>(last_sequence_ + 1 - sequence_number);
      timestamp_offset_ = last_timestamp_ + (ticks == 0 ? 1 : ticks) - timestamp;
    } else {
      sequence_offset_ = 0;
      timestamp_offset_ = 0;
      last_sequence_ = static_cast<std::uint16_t>(sequence_number - 1);
    }
    started_ = true;
    source_ssrc_ = source_ssrc;
  }

  std::uint32_t output_ssrc_;
  bool started_ = false;
  std::uint32_t source_ssrc_ = 0;
  std::uint16_t sequence_offset_ = 0;
  std::uint32_t timestamp_offset_ = 0;
  std::uint16_t last_sequence_ = 0;
  std::uint32_t last_timestamp_ = 0;
  Clock::time_point last_at_{};
};

}  // namespace egovbox::media
