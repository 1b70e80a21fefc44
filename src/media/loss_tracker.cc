#include "media/loss_tracker.h"

namespace egovbox::media {

namespace {
// RFC 3550 appendix A.1: a forward distance under half the space is newer.
constexpr std::uint16_t kHalfSequenceSpace = 0x8000;
}  // namespace

void LossTracker::Received(std::uint16_t sequence_number, Clock::time_point now) noexcept {
  if (!started_) {
    started_ = true;
    highest_ = sequence_number;
    return;
  }
  const auto forward = static_cast<std::uint16_t>(sequence_number - highest_);
  if (forward == 0) return;
  if (forward < kHalfSequenceSpace) {
    const std::size_t skipped = forward - 1U;
    if (skipped > kCapacity - count_) {
      // Too many to follow: whatever the gap held is for a keyframe to repair.
      Forget();
      gave_up_ = true;
    } else {
      for (std::size_t i = 1; i <= skipped; ++i) Add(static_cast<std::uint16_t>(highest_ + i), now);
    }
    highest_ = sequence_number;
    return;
  }
  if (!IsMissing(sequence_number)) return;  // a duplicate or a late one never asked for
  for (std::size_t i = 0; i < count_; ++i) {
    if (entries_[i].sequence_number == sequence_number) {
      Remove(i);
      return;
    }
  }
}

std::size_t LossTracker::TakeDue(Clock::time_point now, std::span<std::uint16_t> out) noexcept {
  std::size_t written = 0;
  for (std::size_t i = 0; i < count_;) {
    Entry& entry = entries_[i];
    if (entry.nacks >= max_nacks_ || now - entry.missing_since > max_age_) {
      Remove(i);
      gave_up_ = true;
      continue;
    }
    if (written < out.size() && (entry.nacks == 0 || now - entry.last_nack >= retry_interval_)) {
      out[written++] = entry.sequence_number;
      ++entry.nacks;
      entry.last_nack = now;
    }
    ++i;
  }
  return written;
}

void LossTracker::Forget() noexcept {
  for (std::size_t i = 0; i < count_; ++i) SetMissingBit(entries_[i].sequence_number, false);
  count_ = 0;
}

void LossTracker::Reset() noexcept {
  Forget();
  started_ = false;
  highest_ = 0;
  gave_up_ = false;
}

void LossTracker::Add(std::uint16_t sequence_number, Clock::time_point now) noexcept {
  entries_[count_++] = Entry{sequence_number, 0, now, {}};
  SetMissingBit(sequence_number, true);
}

void LossTracker::SetMissingBit(std::uint16_t sequence_number, bool missing) noexcept {
  const std::uint64_t bit = std::uint64_t{1} << (sequence_number % kWordBits);
  std::uint64_t& word = missing_bits_[sequence_number / kWordBits];
  word = missing ? (word | bit) : (word & ~bit);
}

void LossTracker::Remove(std::size_t index) noexcept {
  SetMissingBit(entries_[index].sequence_number, false);
  for (std::size_t i = index + 1; i < count_; ++i) entries_[i - 1] = entries_[i];
  --count_;
}

}  // namespace egovbox::media
