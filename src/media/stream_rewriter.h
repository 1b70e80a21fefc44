// Per-subscriber rewriting of one forwarded RTP stream, so that the subscriber
// sees one continuous stream (its own SSRC, sequence numbers and timestamps
// without jumps) even when the source behind it changes: a publisher that
// restarts its sender, and later the simulcast layer switches. Plain value, no
// allocation; used on the forwarding path.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

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
    if (!started_ || source_ssrc != source_ssrc_ || resume_) {
      Rebase(source_ssrc, sequence_number, timestamp, clock_rate, now);
    }
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

  // The reverse of Rewrite for a NACK (RFC 4585 §6.2.1) naming an output sequence
  // number: the current source's number behind it; nullopt before the first packet
  // and for any number outside [the current source's first output, the newest
  // output sent] — sent before the current source began, or never sent at all.
  std::optional<std::uint16_t> SourceSequenceNumber(std::uint16_t output_sequence_number) const {
    if (!started_ || static_cast<std::uint16_t>(output_sequence_number - first_output_sequence_) >
                         static_cast<std::uint16_t>(last_sequence_ - first_output_sequence_)) {
      return std::nullopt;
    }
    return static_cast<std::uint16_t>(output_sequence_number - sequence_offset_);
  }
  // The SSRC whose packets the output carries now (valid once started()).
  std::uint32_t source_ssrc() const { return source_ssrc_; }
  bool started() const { return started_; }

  // After a pause in forwarding (Last-N, docs/media.md): the next packet is taken
  // as the start of a new source, continuing the output without a gap.
  void Resume() { resume_ = true; }

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
    resume_ = false;
    source_ssrc_ = source_ssrc;
    first_output_sequence_ = static_cast<std::uint16_t>(sequence_number + sequence_offset_);
  }

  std::uint32_t output_ssrc_;
  bool started_ = false;
  bool resume_ = false;
  std::uint32_t source_ssrc_ = 0;
  std::uint16_t sequence_offset_ = 0;
  std::uint16_t first_output_sequence_ = 0;  // the current source's first
  std::uint32_t timestamp_offset_ = 0;
  std::uint16_t last_sequence_ = 0;
  std::uint32_t last_timestamp_ = 0;
  Clock::time_point last_at_{};
};

}  // namespace egovbox::media
