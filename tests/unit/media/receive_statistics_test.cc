#include "media/receive_statistics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "fake_browser.h"

namespace egovbox::media {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::uint32_t kVideoClockRate = 90000;
constexpr std::uint32_t kTicksPer10Ms = 900;
const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(5);

void Receive(ReceiveStatistics& statistics, std::uint16_t sequence_number, std::uint32_t timestamp,
             Clock::time_point at) {
  test::Bytes bytes = test::MakeRtpPacket(96, false, sequence_number, timestamp, 1234, test::Bytes(10, 0));
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  CountReceived(statistics, *packet, kVideoClockRate, at);
}

std::uint32_t ExtendedMax(const ReceiveStatistics& statistics) {
  return statistics.cycles + statistics.max_sequence;
}

TEST(ReceiveStatisticsTest, CountsANewStreamFromItsSecondPacketInSequence) {
  ReceiveStatistics statistics;
  Receive(statistics, 100, 0, kStart);
  EXPECT_FALSE(statistics.started) << "RFC 3550 A.1: on probation";
  Receive(statistics, 500, 0, kStart);
  EXPECT_FALSE(statistics.started) << "not in sequence: probation again";
  Receive(statistics, 501, 0, kStart);
  ASSERT_TRUE(statistics.started);
  EXPECT_EQ(statistics.base_sequence, 501);
  EXPECT_EQ(statistics.received, 1U);
  Receive(statistics, 502, 0, kStart);
  EXPECT_EQ(statistics.received, 2U);
  EXPECT_EQ(ExtendedMax(statistics), 502U);
}

TEST(ReceiveStatisticsTest, CountsCyclesLateAndDuplicatePackets) {
  ReceiveStatistics statistics;
  for (std::uint32_t n = 65530; n < 65540; ++n) Receive(statistics, static_cast<std::uint16_t>(n), 0, kStart);
  EXPECT_EQ(ExtendedMax(statistics), 65539U);
  EXPECT_EQ(statistics.received, 9U);  // the first was on probation
  Receive(statistics, 2, 0, kStart);   // late: counted, the highest stays
  Receive(statistics, 2, 0, kStart);   // a duplicate: counted too (A.3's loss may go negative)
  EXPECT_EQ(statistics.received, 11U);
  EXPECT_EQ(ExtendedMax(statistics), 65539U);
}

TEST(ReceiveStatisticsTest, ResynchronisesOnASourceThatRestartedItsNumbers) {
  ReceiveStatistics statistics;
  for (std::uint16_t n = 1000; n < 1010; ++n) Receive(statistics, n, 0, kStart);
  ASSERT_EQ(statistics.received, 9U);
  Receive(statistics, 40000, 0, kStart);
  EXPECT_EQ(statistics.max_sequence, 1009) << "one packet far away is not believed";
  EXPECT_EQ(statistics.received, 9U);
  Receive(statistics, 1010, 0, kStart);
  EXPECT_EQ(statistics.max_sequence, 1010);
  Receive(statistics, 50000, 0, kStart);
  Receive(statistics, 50001, 0, kStart);  // the jump is confirmed: counting starts again there
  EXPECT_EQ(statistics.base_sequence, 50001);
  EXPECT_EQ(statistics.max_sequence, 50001);
  EXPECT_EQ(statistics.received, 1U);
  EXPECT_EQ(statistics.cycles, 0U);
}

TEST(ReceiveStatisticsTest, ComputesTheInterarrivalJitter) {
  ReceiveStatistics steady;
  // Packets 10 ms apart in both timestamp and arrival: no jitter.
  for (std::uint16_t n = 0; n < 50; ++n) Receive(steady, n, n * kTicksPer10Ms, kStart + milliseconds(10 * n));
  EXPECT_EQ(steady.jitter >> 4U, 0U);

  ReceiveStatistics jittery;
  // Every other packet arrives 2 ms late: |D| is 180 ticks for every pair, and
  // J approaches 180 (A.8: J += (|D| - J) / 16).
  for (std::uint16_t n = 0; n < 200; ++n) {
    const auto late = milliseconds(n % 2 == 0 ? 0 : 2);
    Receive(jittery, n, n * kTicksPer10Ms, kStart + milliseconds(10 * n) + late);
  }
  EXPECT_NEAR(static_cast<double>(jittery.jitter >> 4U), 180.0, 2.0);

  // A late retransmission (an old number) does not move it.
  const std::uint32_t before = jittery.jitter;
  Receive(jittery, 150, 150 * kTicksPer10Ms, kStart + milliseconds(5000));
  EXPECT_EQ(jittery.jitter, before);
}

}  // namespace
}  // namespace egovbox::media
