#include "media/retransmission_buffer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace egovbox::media {
namespace {

using Clock = RetransmissionBuffer::Clock;
using std::chrono::milliseconds;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

std::vector<std::uint8_t> Packet(std::uint16_t sequence_number, std::size_t size) {
  std::vector<std::uint8_t> packet(size);
  for (std::size_t i = 0; i < size; ++i) packet[i] = static_cast<std::uint8_t>(std::size_t{sequence_number} * 7 + i);
  return packet;
}

bool Holds(const RetransmissionBuffer& buffer, std::uint16_t sequence_number, std::size_t size, Clock::time_point now) {
  const auto found = buffer.Find(sequence_number, now);
  if (!found) return false;
  const auto expected = Packet(sequence_number, size);
  return std::equal(found->begin(), found->end(), expected.begin(), expected.end());
}

TEST(RetransmissionBufferTest, FindsWhatWasStoredByItsSequenceNumber) {
  RetransmissionBuffer buffer;
  EXPECT_EQ(buffer.slots(), RetransmissionBuffer::kDefaultSlots);
  EXPECT_FALSE(buffer.Find(100, kStart)) << "nothing stored yet, not even a zeroed slot";
  for (std::uint16_t i = 100; i < 110; ++i) EXPECT_TRUE(buffer.Store(Packet(i, 200 + i), i, kStart));
  for (std::uint16_t i = 100; i < 110; ++i) EXPECT_TRUE(Holds(buffer, i, 200 + i, kStart)) << i;
  EXPECT_FALSE(buffer.Find(99, kStart));
  EXPECT_FALSE(buffer.Find(110, kStart));
}

TEST(RetransmissionBufferTest, KeepsTheLastSlotsAcrossTheSequenceNumberWrap) {
  constexpr std::size_t kSlots = 16;
  RetransmissionBuffer buffer(kSlots);
  // 65530 .. 65535, 0 .. 25: 32 packets into 16 slots.
  for (std::uint16_t n = 0; n < 32; ++n) {
    const auto sequence_number = static_cast<std::uint16_t>(65530 + n);
    ASSERT_TRUE(buffer.Store(Packet(sequence_number, 100), sequence_number, kStart));
  }
  for (std::uint16_t n = 0; n < 16; ++n) {
    EXPECT_FALSE(buffer.Find(static_cast<std::uint16_t>(65530 + n), kStart)) << "overwritten: " << n;
  }
  for (std::uint16_t n = 16; n < 32; ++n) {
    EXPECT_TRUE(Holds(buffer, static_cast<std::uint16_t>(65530 + n), 100, kStart)) << n;
  }
  // A number 16 later lands in the same slot and does not find the older one.
  EXPECT_FALSE(buffer.Find(static_cast<std::uint16_t>(65530 + 31 + kSlots), kStart));
}

TEST(RetransmissionBufferTest, HandsOutNothingOlderThanTheAgeLimit) {
  RetransmissionBuffer buffer(RetransmissionBuffer::kDefaultSlots, milliseconds(1000));
  ASSERT_TRUE(buffer.Store(Packet(7, 50), 7, kStart));
  ASSERT_TRUE(buffer.Store(Packet(8, 50), 8, kStart + milliseconds(500)));
  EXPECT_TRUE(buffer.Find(7, kStart + milliseconds(1000)));
  EXPECT_FALSE(buffer.Find(7, kStart + milliseconds(1001)));
  EXPECT_TRUE(buffer.Find(8, kStart + milliseconds(1001)));
  EXPECT_FALSE(buffer.Find(8, kStart + milliseconds(1501)));
}

TEST(RetransmissionBufferTest, TakesPacketsUpToOneDatagram) {
  RetransmissionBuffer buffer(4);
  EXPECT_TRUE(buffer.Store(Packet(1, RetransmissionBuffer::kMaxPacketSize), 1, kStart));
  EXPECT_TRUE(Holds(buffer, 1, RetransmissionBuffer::kMaxPacketSize, kStart));
  EXPECT_FALSE(buffer.Store(Packet(2, RetransmissionBuffer::kMaxPacketSize + 1), 2, kStart));
  EXPECT_FALSE(buffer.Find(2, kStart));
  EXPECT_FALSE(buffer.Store({}, 3, kStart));
  // A smaller packet replacing a full-size one is handed out at its own size.
  EXPECT_TRUE(buffer.Store(Packet(5, 60), 5, kStart));
  EXPECT_EQ(buffer.Find(5, kStart)->size(), 60U);
  EXPECT_FALSE(buffer.Find(1, kStart));
}

TEST(ResendThrottleTest, LetsOnePacketGoOncePerInterval) {
  ResendThrottle throttle(milliseconds(80));
  EXPECT_TRUE(throttle.Allow(500, kStart));
  EXPECT_FALSE(throttle.Allow(500, kStart + milliseconds(79)));
  EXPECT_TRUE(throttle.Allow(501, kStart + milliseconds(10))) << "another packet is another entry";
  EXPECT_TRUE(throttle.Allow(500, kStart + milliseconds(80)));
  EXPECT_FALSE(throttle.Allow(500, kStart + milliseconds(100)));
  // A number kSlots later shares the entry but is not the same packet.
  EXPECT_TRUE(throttle.Allow(static_cast<std::uint16_t>(500 + ResendThrottle::kSlots), kStart + milliseconds(100)));
}

TEST(ResendThrottleTest, HasAnEntryForEveryBufferSlot) {
  // Regression: with fewer entries than the buffer has slots, s and s + 256 evicted
  // each other and a NACK alternating them had both resent again and again.
  static_assert(ResendThrottle::kSlots >= RetransmissionBuffer::kDefaultSlots);
  ResendThrottle throttle(milliseconds(80));
  for (std::uint16_t i = 0; i < RetransmissionBuffer::kDefaultSlots; ++i) {
    EXPECT_TRUE(throttle.Allow(static_cast<std::uint16_t>(1000 + i), kStart)) << i;
  }
  std::size_t allowed = 0;
  for (int round = 0; round < 10; ++round) {
    for (const std::uint16_t n : {1000, 1256, 1511}) allowed += throttle.Allow(n, kStart + milliseconds(round)) ? 1 : 0;
  }
  EXPECT_EQ(allowed, 0U);
}

TEST(ResendThrottleTest, BudgetAllowsABurstThenTwiceTheStreamRate) {
  ResendThrottle throttle;
  constexpr std::size_t kRate = 300;  // packets per second
  std::size_t taken = 0;
  for (int i = 0; i < 1000; ++i) taken += throttle.TakeBudget(kRate, kStart) ? 1 : 0;
  EXPECT_EQ(taken, static_cast<std::size_t>(ResendThrottle::kBurst));
  // 100 ms later: 2 * 300 * 0.1 = 60 more.
  taken = 0;
  for (int i = 0; i < 1000; ++i) taken += throttle.TakeBudget(kRate, kStart + milliseconds(100)) ? 1 : 0;
  EXPECT_EQ(taken, 60U);
  // A stream with hardly any packets still gets the minimum rate: 50 per second.
  taken = 0;
  for (int i = 0; i < 1000; ++i) taken += throttle.TakeBudget(0, kStart + milliseconds(200)) ? 1 : 0;
  EXPECT_EQ(taken, 5U);
  // Idle for long: never more than the burst.
  taken = 0;
  for (int i = 0; i < 1000; ++i) taken += throttle.TakeBudget(kRate, kStart + std::chrono::seconds(60)) ? 1 : 0;
  EXPECT_EQ(taken, static_cast<std::size_t>(ResendThrottle::kBurst));
}

TEST(RetransmissionBufferTest, MeasuresThePacketRateOverTheLastSecond) {
  RetransmissionBuffer buffer;
  EXPECT_EQ(buffer.packet_rate(), 0U);
  for (std::uint16_t i = 0; i < 100; ++i) buffer.Store(Packet(i, 50), i, kStart + milliseconds(i * 10));
  EXPECT_EQ(buffer.packet_rate(), 100U);
  // The next second, 30 packets so far: the last whole second's 100 still counts.
  for (std::uint16_t i = 100; i < 130; ++i) buffer.Store(Packet(i, 50), i, kStart + milliseconds(1000 + i));
  EXPECT_EQ(buffer.packet_rate(), 100U);
  // After a silence of more than a second, only what came since.
  buffer.Store(Packet(200, 50), 200, kStart + std::chrono::seconds(5));
  EXPECT_EQ(buffer.packet_rate(), 1U);
}

TEST(RetransmissionBufferTest, ResetForgetsEveryPacketAndTheRate) {
  RetransmissionBuffer buffer;
  for (std::uint16_t i = 100; i < 110; ++i) EXPECT_TRUE(buffer.Store(Packet(i, 200), i, kStart));
  buffer.Reset();
  for (std::uint16_t i = 100; i < 110; ++i) EXPECT_FALSE(buffer.Find(i, kStart)) << i;
  EXPECT_EQ(buffer.packet_rate(), 0U);
  EXPECT_TRUE(buffer.Store(Packet(105, 300), 105, kStart));
  EXPECT_TRUE(Holds(buffer, 105, 300, kStart));
}

}  // namespace
}  // namespace egovbox::media
