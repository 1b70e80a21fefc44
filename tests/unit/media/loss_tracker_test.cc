#include "media/loss_tracker.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

namespace egovbox::media {
namespace {

using Clock = LossTracker::Clock;
using std::chrono::milliseconds;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

std::vector<std::uint16_t> Due(LossTracker& tracker, Clock::time_point now) {
  std::array<std::uint16_t, 64> out{};
  const std::size_t count = tracker.TakeDue(now, out);
  return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(count)};
}

TEST(LossTrackerTest, AsksForTheNumbersAGapSkippedAtOnceThenAfterTheRetryInterval) {
  LossTracker tracker(milliseconds(50), milliseconds(1000), 10);
  tracker.Received(100, kStart);
  tracker.Received(101, kStart);
  EXPECT_TRUE(Due(tracker, kStart).empty());
  tracker.Received(105, kStart + milliseconds(5));
  EXPECT_EQ(tracker.missing(), 3U);
  EXPECT_TRUE(tracker.IsMissing(103));
  EXPECT_EQ(Due(tracker, kStart + milliseconds(5)), (std::vector<std::uint16_t>{102, 103, 104}));
  EXPECT_TRUE(Due(tracker, kStart + milliseconds(54)).empty()) << "asked less than a retry interval ago";
  // A retransmission of 103 arrives: it is no longer asked for.
  tracker.Received(103, kStart + milliseconds(30));
  EXPECT_FALSE(tracker.IsMissing(103));
  EXPECT_EQ(Due(tracker, kStart + milliseconds(55)), (std::vector<std::uint16_t>{102, 104}));
  EXPECT_FALSE(tracker.TakeGaveUp());
}

TEST(LossTrackerTest, FollowsGapsAcrossTheWrapAndIgnoresDuplicates) {
  LossTracker tracker;
  tracker.Received(65534, kStart);
  tracker.Received(65534, kStart);
  tracker.Received(1, kStart);
  EXPECT_EQ(Due(tracker, kStart), (std::vector<std::uint16_t>{65535, 0}));
  tracker.Received(65535, kStart);
  tracker.Received(0, kStart);
  EXPECT_EQ(tracker.missing(), 0U);
  tracker.Received(2, kStart);
  EXPECT_EQ(tracker.missing(), 0U);
}

TEST(LossTrackerTest, GivesUpAfterTheLastRetryOrTheAgeLimit) {
  LossTracker tracker(milliseconds(50), milliseconds(1000), 3);
  tracker.Received(10, kStart);
  tracker.Received(12, kStart);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Due(tracker, kStart + milliseconds(50 * i)), std::vector<std::uint16_t>{11});
  EXPECT_TRUE(Due(tracker, kStart + milliseconds(150)).empty());
  EXPECT_TRUE(tracker.TakeGaveUp()) << "three NACKs did not bring 11: a keyframe must";
  EXPECT_FALSE(tracker.TakeGaveUp()) << "said once";
  EXPECT_EQ(tracker.missing(), 0U);

  LossTracker patient(milliseconds(400), milliseconds(1000), 10);
  patient.Received(10, kStart);
  patient.Received(12, kStart);
  EXPECT_EQ(Due(patient, kStart), std::vector<std::uint16_t>{11});
  EXPECT_EQ(Due(patient, kStart + milliseconds(400)), std::vector<std::uint16_t>{11});
  EXPECT_TRUE(Due(patient, kStart + milliseconds(1001)).empty());
  EXPECT_TRUE(patient.TakeGaveUp()) << "missing for over a second";
}

TEST(LossTrackerTest, GivesUpAGapTooBigToFollow) {
  LossTracker tracker;
  tracker.Received(1000, kStart);
  tracker.Received(static_cast<std::uint16_t>(1001 + LossTracker::kCapacity), kStart);
  EXPECT_EQ(tracker.missing(), LossTracker::kCapacity);
  EXPECT_FALSE(tracker.TakeGaveUp());
  tracker.Received(static_cast<std::uint16_t>(1003 + LossTracker::kCapacity), kStart);
  EXPECT_EQ(tracker.missing(), 0U);
  EXPECT_TRUE(tracker.TakeGaveUp());
  // An old number (a late packet from before) is no gap.
  tracker.Received(900, kStart);
  EXPECT_EQ(tracker.missing(), 0U);
}

TEST(LossTrackerTest, WritesNoMoreThanTheCallerHasRoomFor) {
  LossTracker tracker;
  tracker.Received(0, kStart);
  tracker.Received(11, kStart);
  std::array<std::uint16_t, 4> out{};
  EXPECT_EQ(tracker.TakeDue(kStart, out), 4U);
  EXPECT_EQ(out, (std::array<std::uint16_t, 4>{1, 2, 3, 4}));
  EXPECT_EQ(tracker.TakeDue(kStart, out), 4U);
  EXPECT_EQ(out, (std::array<std::uint16_t, 4>{5, 6, 7, 8}));
}

TEST(LossTrackerTest, KnowsWhatIsMissingAfterGivingUpAndForgetting) {
  LossTracker tracker(milliseconds(50), milliseconds(1000), 1);
  tracker.Received(10, kStart);
  tracker.Received(13, kStart);
  EXPECT_TRUE(tracker.IsMissing(11));
  EXPECT_TRUE(tracker.IsMissing(12));
  EXPECT_FALSE(tracker.IsMissing(13));
  EXPECT_FALSE(tracker.IsMissing(static_cast<std::uint16_t>(11 + 64))) << "another word's bit";
  Due(tracker, kStart);
  Due(tracker, kStart + milliseconds(50));  // asked once: given up
  EXPECT_TRUE(tracker.TakeGaveUp());
  EXPECT_FALSE(tracker.IsMissing(11));
  EXPECT_FALSE(tracker.IsMissing(12));
  // Forget drops what is missing without giving it up.
  tracker.Received(20, kStart + milliseconds(60));
  EXPECT_EQ(tracker.missing(), 6U);
  tracker.Forget();
  EXPECT_EQ(tracker.missing(), 0U);
  EXPECT_FALSE(tracker.IsMissing(15));
  EXPECT_FALSE(tracker.TakeGaveUp());
  EXPECT_TRUE(Due(tracker, kStart + milliseconds(60)).empty());
  // A gap too big to follow forgets the rest too.
  tracker.Received(22, kStart + milliseconds(70));
  EXPECT_TRUE(tracker.IsMissing(21));
  tracker.Received(static_cast<std::uint16_t>(22 + LossTracker::kCapacity + 2), kStart + milliseconds(70));
  EXPECT_FALSE(tracker.IsMissing(21));
  EXPECT_TRUE(tracker.TakeGaveUp());
}

TEST(LossTrackerTest, ResetStartsOverWithoutAskingForTheOldGaps) {
  LossTracker tracker;
  tracker.Received(100, kStart);
  tracker.Received(105, kStart);
  EXPECT_EQ(tracker.missing(), 4U);
  tracker.Reset();
  EXPECT_EQ(tracker.missing(), 0U);
  EXPECT_FALSE(tracker.IsMissing(101));
  // A new stream's numbers far from the old ones: its first packet is a start, not a gap.
  tracker.Received(40000, kStart);
  tracker.Received(40001, kStart);
  EXPECT_EQ(tracker.missing(), 0U);
  EXPECT_FALSE(tracker.TakeGaveUp());
}

}  // namespace
}  // namespace egovbox::media
