#include "media/receive_statistics.h"

namespace egovbox::media {

void CountReceived(ReceiveStatistics& statistics, const RtpPacket& packet, std::uint32_t clock_rate,
                   std::chrono::steady_clock::time_point now) noexcept {
  constexpr int kMinSequential = 2;
  constexpr std::uint16_t kMaxDropout = 3000;
  constexpr std::uint32_t kMaxMisorder = 100;
  constexpr std::uint32_t kSequenceSpace = 1U << 16U;
  const std::uint16_t sequence_number = packet.sequence_number();
  const auto restart = [&] {
    statistics.started = true;
    statistics.base_sequence = sequence_number;
    statistics.max_sequence = sequence_number;
    statistics.cycles = 0;
    statistics.received = 0;
    statistics.expected_prior = 0;
    statistics.received_prior = 0;
    statistics.bad_sequence = kSequenceSpace + 1;
    statistics.has_transit = false;
  };
  const auto delta = static_cast<std::uint16_t>(sequence_number - statistics.max_sequence);
  if (!statistics.started) {
    if (statistics.probation == 0 || delta != 1) {
      statistics.probation = kMinSequential - 1;
      statistics.max_sequence = sequence_number;
      return;
    }
    statistics.max_sequence = sequence_number;
    if (--statistics.probation > 0) return;
    restart();
  } else if (delta != 0 && delta < kMaxDropout) {
    if (sequence_number < statistics.max_sequence) statistics.cycles += kSequenceSpace;
    statistics.max_sequence = sequence_number;
  } else if (delta >= kMaxDropout && delta <= kSequenceSpace - kMaxMisorder) {
    if (sequence_number != statistics.bad_sequence) {
      statistics.bad_sequence = (sequence_number + 1U) & (kSequenceSpace - 1);
      return;
    }
    restart();
  } else {
    ++statistics.received;  // a duplicate or a late packet: no jitter from it
    return;
  }
  ++statistics.received;
  // Appendix A.8: J += (|D| - J) / 16, kept times 16; from packets in order only,
  // so retransmissions do not count as late arrivals.
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  constexpr std::int64_t kMicrosPerSecond = 1'000'000;
  const auto arrival =
      static_cast<std::uint32_t>(static_cast<std::uint64_t>(micros / kMicrosPerSecond) * clock_rate +
                                 static_cast<std::uint64_t>(micros % kMicrosPerSecond) * clock_rate / kMicrosPerSecond);
  const std::uint32_t transit = arrival - packet.timestamp();
  if (statistics.has_transit) {
    const auto difference = static_cast<std::int32_t>(transit - statistics.transit);
    const std::uint32_t magnitude =
        difference < 0 ? 0U - static_cast<std::uint32_t>(difference) : static_cast<std::uint32_t>(difference);
    constexpr std::uint32_t kJitterRounding = 8;
    constexpr unsigned kJitterShift = 4;
    statistics.jitter += magnitude - ((statistics.jitter + kJitterRounding) >> kJitterShift);
  }
  statistics.transit = transit;
  statistics.has_transit = true;
}

}  // namespace egovbox::media
