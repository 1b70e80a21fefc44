#include "media/retransmission_buffer.h"

#include <algorithm>
#include <cstring>

namespace egovbox::media {

RetransmissionBuffer::RetransmissionBuffer(std::size_t slots, Clock::duration max_age)
    : slots_(std::max<std::size_t>(slots, 1)), storage_(slots_.size() * kMaxPacketSize), max_age_(max_age) {}

void RetransmissionBuffer::Reset() noexcept {
  for (Slot& slot : slots_) slot = Slot{};
  window_start_ = {};
  window_count_ = 0;
  last_window_count_ = 0;
}

bool RetransmissionBuffer::Store(std::span<const std::uint8_t> packet, std::uint16_t sequence_number,
                                 Clock::time_point now) noexcept {
  if (packet.empty() || packet.size() > kMaxPacketSize) return false;
  constexpr auto kWindow = std::chrono::seconds(1);
  if (now - window_start_ >= kWindow) {
    // The window just ended counts only if it was the one right before this.
    last_window_count_ = now - window_start_ < 2 * kWindow ? window_count_ : 0;
    window_start_ = now;
    window_count_ = 0;
  }
  ++window_count_;
  const std::size_t index = sequence_number % slots_.size();
  Slot& slot = slots_[index];
  std::memcpy(storage_.data() + index * kMaxPacketSize, packet.data(), packet.size());
  slot.used = true;
  slot.sequence_number = sequence_number;
  slot.length = static_cast<std::uint16_t>(packet.size());
  slot.stored_at = now;
  return true;
}

std::optional<std::span<const std::uint8_t>> RetransmissionBuffer::Find(std::uint16_t sequence_number,
                                                                        Clock::time_point now) const noexcept {
  const std::size_t index = sequence_number % slots_.size();
  const Slot& slot = slots_[index];
  if (!slot.used || slot.sequence_number != sequence_number || now - slot.stored_at > max_age_) return std::nullopt;
  return std::span<const std::uint8_t>(storage_).subspan(index * kMaxPacketSize, slot.length);
}

bool ResendThrottle::Allow(std::uint16_t sequence_number, Clock::time_point now) noexcept {
  Entry& entry = entries_[sequence_number % kSlots];
  if (entry.used && entry.sequence_number == sequence_number && now - entry.sent_at < interval_) return false;
  entry.used = true;
  entry.sequence_number = sequence_number;
  entry.sent_at = now;
  return true;
}

bool ResendThrottle::TakeBudget(std::size_t packet_rate, Clock::time_point now) noexcept {
  const double rate = std::max(kMinimumRate, kRateFactor * static_cast<double>(packet_rate));
  if (refilled_at_ != Clock::time_point{}) {
    const double elapsed = std::chrono::duration<double>(now - refilled_at_).count();
    tokens_ = std::min(kBurst, tokens_ + std::max(0.0, elapsed) * rate);
  }
  refilled_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace egovbox::media
