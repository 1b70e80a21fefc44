// Loss and recovery for one forwarded video stream (docs/media.md "Loss and
// recovery"):
//
// - RetransmissionBuffer: the recent plain RTP packets of one published stream,
//   kept so that a subscriber's Generic NACK (RFC 4585 §6.2.1) can be answered.
//   A fixed ring of slots indexed by the publisher's sequence number modulo the
//   slot count, each with room for one datagram, allocated once when the buffer
//   is made; storing and finding copy or view, never allocate. A packet older
//   than the age limit is not handed out: resent that late it would only delay
//   the receiver's keyframe request.
// - ResendThrottle: per subscriber stream, when each sequence number was last
//   resent (one entry per buffer slot, the full number compared), so the same
//   packet goes at most once per interval to the same subscriber whatever it
//   repeats in its NACKs; and a token bucket that bounds how many packets are
//   resent to it at all: a burst, refilled at twice the stream's packet rate.
// (loss_tracker.h has the other direction: what the SFU asks its publishers for.)
//
// Plain values without threads or locks: one media worker uses each.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace egovbox::media {

class RetransmissionBuffer {
 public:
  using Clock = std::chrono::steady_clock;

  static constexpr std::size_t kDefaultSlots = 512;
  static constexpr std::size_t kMaxPacketSize = 1500;  // kMaxDatagramSize: one datagram
  static constexpr std::chrono::milliseconds kDefaultMaxAge{1000};

  // `slots` (at least 1) packets of up to kMaxPacketSize bytes, allocated here once.
  explicit RetransmissionBuffer(std::size_t slots = kDefaultSlots, Clock::duration max_age = kDefaultMaxAge);

  std::size_t slots() const { return slots_.size(); }
  Clock::duration max_age() const { return max_age_; }

  // Keeps a copy of `packet` (plain RTP) under `sequence_number`, in place of the
  // packet `slots()` numbers before it. False (nothing kept) for an empty packet
  // or one longer than kMaxPacketSize.
  bool Store(std::span<const std::uint8_t> packet, std::uint16_t sequence_number, Clock::time_point now) noexcept;

  // Packets stored in the last whole second (or the current one, if more): the
  // stream's recent packet rate, for the resend budget.
  std::size_t packet_rate() const { return std::max(last_window_count_, window_count_); }

  // The stored packet with this sequence number, stored no longer than max_age()
  // before `now`; nullopt when it was never stored, was overwritten, or is too
  // old. The view is valid until the next Store.
  std::optional<std::span<const std::uint8_t>> Find(std::uint16_t sequence_number,
                                                    Clock::time_point now) const noexcept;

  // Forgets every stored packet and the packet rate (a new stream under the same
  // owner), keeping the storage: no allocation.
  void Reset() noexcept;

 private:
  struct Slot {
    bool used = false;
    std::uint16_t sequence_number = 0;
    std::uint16_t length = 0;
    Clock::time_point stored_at{};
  };

  std::vector<Slot> slots_;
  std::vector<std::uint8_t> storage_;  // slots_.size() * kMaxPacketSize
  Clock::duration max_age_;
  Clock::time_point window_start_{};
  std::size_t window_count_ = 0;
  std::size_t last_window_count_ = 0;
};

class ResendThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  // As many as the buffer holds: two numbers that share an entry share a buffer
  // slot too, so at most one of them can be resent.
  static constexpr std::size_t kSlots = RetransmissionBuffer::kDefaultSlots;
  static constexpr std::chrono::milliseconds kDefaultInterval{80};
  // The budget: this many resends at once, refilled at twice the stream's packet
  // rate, and never slower than kMinimumRate per second.
  static constexpr double kBurst = 128;
  static constexpr double kMinimumRate = 50;
  static constexpr double kRateFactor = 2;

  explicit ResendThrottle(Clock::duration interval = kDefaultInterval) : interval_(interval) {}

  // True (and remembered) when `sequence_number` was not resent within the
  // interval before `now`.
  bool Allow(std::uint16_t sequence_number, Clock::time_point now) noexcept;

  // True (and one token taken) when the budget has room for one more resend;
  // `packet_rate`: the stream's packets per second (RetransmissionBuffer::packet_rate).
  bool TakeBudget(std::size_t packet_rate, Clock::time_point now) noexcept;

 private:
  struct Entry {
    bool used = false;
    std::uint16_t sequence_number = 0;
    Clock::time_point sent_at{};
  };
  std::array<Entry, kSlots> entries_{};
  Clock::duration interval_;
  double tokens_ = kBurst;
  Clock::time_point refilled_at_{};
};

}  // namespace egovbox::media
