// The sequence numbers missing from what a publisher sent on one video stream,
// which the SFU asks the publisher for with Generic NACKs (RFC 4585 §6.2.1):
// each asked at once, again after a retry interval, and given up after a number
// of requests or an age, when a keyframe request takes over (docs/media.md
// "Loss and recovery"). A fixed array: nothing is allocated after construction.
// A plain value without threads or locks: one media worker uses each.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

namespace egovbox::media {

class LossTracker {
 public:
  using Clock = std::chrono::steady_clock;

  // How many missing numbers are followed at once; a bigger gap is given up whole.
  static constexpr std::size_t kCapacity = 256;
  static constexpr std::chrono::milliseconds kDefaultRetryInterval{50};
  static constexpr std::chrono::milliseconds kDefaultMaxAge{1000};
  static constexpr int kDefaultMaxNacks = 10;

  explicit LossTracker(Clock::duration retry_interval = kDefaultRetryInterval, Clock::duration max_age = kDefaultMaxAge,
                       int max_nacks = kDefaultMaxNacks)
      : retry_interval_(retry_interval), max_age_(max_age), max_nacks_(max_nacks) {}

  // A packet arrived (original or retransmission). RFC 3550 appendix A.1 style:
  // a forward distance under 2^15 is newer, and the numbers it skipped become
  // missing; an older one that was missing is recovered.
  void Received(std::uint16_t sequence_number, Clock::time_point now) noexcept;

  // Writes the missing numbers due for a NACK (never asked, or last asked a retry
  // interval ago) into `out`, oldest first, and counts the request; returns how
  // many. Numbers missing longer than the age limit or asked max_nacks times
  // are given up first.
  std::size_t TakeDue(Clock::time_point now, std::span<std::uint16_t> out) noexcept;

  // Whether `sequence_number` is being asked for now: one bit looked at.
  bool IsMissing(std::uint16_t sequence_number) const noexcept {
    return (missing_bits_[sequence_number / kWordBits] >> (sequence_number % kWordBits) & 1U) != 0;
  }
  std::size_t missing() const { return count_; }

  // Drops every missing number without asking for it or giving it up (no
  // keyframe request): while a host holds the track, what it skips is never
  // to be forwarded, so never to be asked for.
  void Forget() noexcept;

  // Starts over as if new (a new stream under the same owner): nothing missing,
  // no highest number seen, nothing given up. No allocation.
  void Reset() noexcept;

  // True once after numbers were given up (or a gap too big to follow): the
  // receiver needs a keyframe instead.
  bool TakeGaveUp() noexcept {
    const bool gave_up = gave_up_;
    gave_up_ = false;
    return gave_up;
  }

 private:
  struct Entry {
    std::uint16_t sequence_number = 0;
    int nacks = 0;
    Clock::time_point missing_since{};
    Clock::time_point last_nack{};
  };
  static constexpr std::size_t kWordBits = 64;
  static constexpr std::size_t kSequenceSpace = 65536;

  void Add(std::uint16_t sequence_number, Clock::time_point now) noexcept;
  void Remove(std::size_t index) noexcept;
  void SetMissingBit(std::uint16_t sequence_number, bool missing) noexcept;

  std::array<Entry, kCapacity> entries_{};  // [0, count_) in order of detection
  // One bit per sequence number, set for those in entries_ (8 KiB).
  std::array<std::uint64_t, kSequenceSpace / kWordBits> missing_bits_{};
  std::size_t count_ = 0;
  bool started_ = false;
  std::uint16_t highest_ = 0;
  bool gave_up_ = false;
  Clock::duration retry_interval_;
  Clock::duration max_age_;
  int max_nacks_;
};

}  // namespace egovbox::media
