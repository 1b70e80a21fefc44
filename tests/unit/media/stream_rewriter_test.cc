#include "media/stream_rewriter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

namespace egovbox::media {
namespace {

using Clock = StreamRewriter::Clock;
using std::chrono::milliseconds;

constexpr std::uint32_t kOutputSsrc = 0xC0FFEE;
constexpr std::uint32_t kFirstSource = 1111;
constexpr std::uint32_t kSecondSource = 2222;
constexpr std::uint32_t kVideoClockRate = 90000;
constexpr std::uint32_t kAudioClockRate = 48000;
// 90 kHz ticks of one frame at 30 frames/s, and of the 20 ms between two sources.
constexpr std::uint32_t kFrameTicks = 3000;
constexpr std::uint32_t kTwentyMillisecondsOfVideo = 1800;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

TEST(StreamRewriterTest, KeepsTheFirstSourcesNumbersAndItsOwnSsrc) {
  StreamRewriter rewriter(kOutputSsrc);
  EXPECT_EQ(rewriter.output_ssrc(), kOutputSsrc);
  EXPECT_FALSE(rewriter.started());
  for (std::uint16_t i = 0; i < 5; ++i) {
    const auto out = rewriter.Rewrite(kFirstSource, static_cast<std::uint16_t>(1000 + i), 5000 + i * kFrameTicks,
                                      kVideoClockRate, kStart + milliseconds(33 * i));
    EXPECT_EQ(out.sequence_number, 1000 + i);
    EXPECT_EQ(out.timestamp, 5000 + i * kFrameTicks);
  }
  EXPECT_TRUE(rewriter.started());
  EXPECT_EQ(rewriter.timestamp_offset(), 0U);
}

TEST(StreamRewriterTest, ContinuesAcrossANewSourceOnePastTheLastSequenceNumber) {
  StreamRewriter rewriter(kOutputSsrc);
  for (std::uint16_t i = 0; i < 10; ++i) {
    rewriter.Rewrite(kFirstSource, static_cast<std::uint16_t>(100 + i), 7000 + i * kFrameTicks, kVideoClockRate,
                     kStart);
  }
  // Last out: sequence 109, timestamp 7000 + 9 frames. The new source starts far away.
  const std::uint32_t last_timestamp = 7000 + 9 * kFrameTicks;
  const auto first = rewriter.Rewrite(kSecondSource, 40000, 123456789, kVideoClockRate, kStart + milliseconds(20));
  EXPECT_EQ(first.sequence_number, 110);
  EXPECT_EQ(first.timestamp, last_timestamp + kTwentyMillisecondsOfVideo);
  EXPECT_EQ(rewriter.timestamp_offset(), last_timestamp + kTwentyMillisecondsOfVideo - 123456789U);

  // The new source's later packets keep the same offsets.
  const auto second =
      rewriter.Rewrite(kSecondSource, 40001, 123456789 + kFrameTicks, kVideoClockRate, kStart + milliseconds(53));
  EXPECT_EQ(second.sequence_number, 111);
  EXPECT_EQ(second.timestamp, first.timestamp + kFrameTicks);
}

TEST(StreamRewriterTest, AdvancesTheTimestampAtLeastOneTickWhenNoTimePassed) {
  StreamRewriter rewriter(kOutputSsrc);
  rewriter.Rewrite(kFirstSource, 10, 960, kAudioClockRate, kStart);
  const auto out = rewriter.Rewrite(kSecondSource, 5, 0, kAudioClockRate, kStart);
  EXPECT_EQ(out.sequence_number, 11);
  EXPECT_EQ(out.timestamp, 961U);
}

TEST(StreamRewriterTest, GoingBackToTheFirstSourceIsAnotherChange) {
  StreamRewriter rewriter(kOutputSsrc);
  rewriter.Rewrite(kFirstSource, 500, 1000, kAudioClockRate, kStart);
  rewriter.Rewrite(kSecondSource, 9000, 50, kAudioClockRate, kStart + milliseconds(20));  // out 501, 1960
  const auto back = rewriter.Rewrite(kFirstSource, 501, 1960, kAudioClockRate, kStart + milliseconds(40));
  EXPECT_EQ(back.sequence_number, 502);
  EXPECT_EQ(back.timestamp, 1960U + 960U);
}

TEST(StreamRewriterTest, WrapsTheSixteenBitSequenceNumber) {
  StreamRewriter rewriter(kOutputSsrc);
  std::uint16_t expected = 65533;
  for (const std::uint16_t in : {65533, 65534, 65535, 0, 1, 2}) {
    const auto out = rewriter.Rewrite(kFirstSource, in, 0, kAudioClockRate, kStart);
    EXPECT_EQ(out.sequence_number, expected) << "in " << in;
    ++expected;
  }
}

TEST(StreamRewriterTest, ContinuesPastTheWrapWhenTheSourceChangesAtIt) {
  StreamRewriter rewriter(kOutputSsrc);
  rewriter.Rewrite(kFirstSource, 65534, 100, kAudioClockRate, kStart);
  rewriter.Rewrite(kFirstSource, 65535, 1060, kAudioClockRate, kStart + milliseconds(20));
  // The last output was 65535: the next source starts at 0, then wraps the offset itself.
  const auto first = rewriter.Rewrite(kSecondSource, 30000, 0, kAudioClockRate, kStart + milliseconds(40));
  EXPECT_EQ(first.sequence_number, 0);
  EXPECT_EQ(first.timestamp, 1060U + 960U);
  const auto second = rewriter.Rewrite(kSecondSource, 30001, 960, kAudioClockRate, kStart + milliseconds(60));
  EXPECT_EQ(second.sequence_number, 1);

  // A source whose own numbers wrap after a change: the output stays consecutive.
  StreamRewriter other(kOutputSsrc);
  other.Rewrite(kFirstSource, 100, 0, kAudioClockRate, kStart);
  std::uint16_t expected = 101;
  for (const std::uint16_t in : {65534, 65535, 0, 1}) {
    EXPECT_EQ(other.Rewrite(kSecondSource, in, 0, kAudioClockRate, kStart).sequence_number, expected) << "in " << in;
    ++expected;
  }
}

TEST(StreamRewriterTest, OutOfOrderPacketsKeepTheOffset) {
  StreamRewriter rewriter(kOutputSsrc);
  rewriter.Rewrite(kFirstSource, 10, 0, kVideoClockRate, kStart);
  rewriter.Rewrite(kSecondSource, 500, 90000, kVideoClockRate, kStart + milliseconds(10));  // out 11, 900
  const std::uint32_t offset = rewriter.timestamp_offset();

  const auto at = kStart + milliseconds(20);
  const auto late = rewriter.Rewrite(kSecondSource, 502, 90000 + 2 * kFrameTicks, kVideoClockRate, at);
  const auto early = rewriter.Rewrite(kSecondSource, 501, 90000 + kFrameTicks, kVideoClockRate, at);
  // From before the new source's first packet (reordered across the change).
  const auto earlier = rewriter.Rewrite(kSecondSource, 499, 90000 - kFrameTicks, kVideoClockRate, at);
  EXPECT_EQ(late.sequence_number, 13);
  EXPECT_EQ(early.sequence_number, 12);
  EXPECT_EQ(earlier.sequence_number, 10);
  EXPECT_EQ(early.timestamp, 90000 + kFrameTicks + offset);
  EXPECT_EQ(earlier.timestamp, 90000 - kFrameTicks + offset);
  EXPECT_EQ(rewriter.timestamp_offset(), offset);

  // The old packets did not pull the "last sent" back: the next change continues after 13.
  const auto next = rewriter.Rewrite(kFirstSource, 7, 0, kVideoClockRate, at + milliseconds(100));
  EXPECT_EQ(next.sequence_number, 14);
  EXPECT_EQ(next.timestamp, late.timestamp + 9000);  // 100 ms of 90 kHz after the newest
}

TEST(StreamRewriterTest, OutOfOrderAcrossTheWrapKeepsTheOffset) {
  StreamRewriter rewriter(kOutputSsrc);
  rewriter.Rewrite(kFirstSource, 1, 0, kAudioClockRate, kStart);
  rewriter.Rewrite(kSecondSource, 65535, 0, kAudioClockRate, kStart);  // out 2
  EXPECT_EQ(rewriter.Rewrite(kSecondSource, 1, 0, kAudioClockRate, kStart).sequence_number, 4);
  EXPECT_EQ(rewriter.Rewrite(kSecondSource, 0, 0, kAudioClockRate, kStart).sequence_number, 3);
  EXPECT_EQ(rewriter.Rewrite(kSecondSource, 65534, 0, kAudioClockRate, kStart).sequence_number, 1);
  // Next change continues after the highest (4), not the last handled (1).
  EXPECT_EQ(rewriter.Rewrite(kFirstSource, 9, 0, kAudioClockRate, kStart).sequence_number, 5);
}

}  // namespace
}  // namespace egovbox::media

namespace egovbox::media {
namespace {

TEST(StreamRewriterTest, MapsANackedOutputSequenceNumberBackToTheCurrentSource) {
  StreamRewriter rewriter(kOutputSsrc);
  EXPECT_FALSE(rewriter.SourceSequenceNumber(1000)) << "nothing sent yet";
  for (std::uint16_t i = 0; i < 3; ++i) {
    rewriter.Rewrite(kFirstSource, static_cast<std::uint16_t>(65534 + i), 5000 + i * kFrameTicks, kVideoClockRate,
                     kStart + milliseconds(33 * i));
  }
  // The first source keeps its numbers, across the wrap.
  EXPECT_EQ(rewriter.SourceSequenceNumber(65535), 65535);
  EXPECT_EQ(rewriter.SourceSequenceNumber(0), 0);

  // A second source starting at 40000 continues at output 1: output 1 and 2 are its 40000 and 40001.
  rewriter.Rewrite(kSecondSource, 40000, 90000, kVideoClockRate, kStart + milliseconds(200));
  rewriter.Rewrite(kSecondSource, 40001, 93000, kVideoClockRate, kStart + milliseconds(233));
  EXPECT_EQ(rewriter.SourceSequenceNumber(1), 40000);
  EXPECT_EQ(rewriter.SourceSequenceNumber(2), 40001);
  // Never sent: nothing behind it to repair (a NACK must not pull out what was not forwarded).
  EXPECT_FALSE(rewriter.SourceSequenceNumber(3));
  EXPECT_FALSE(rewriter.SourceSequenceNumber(5));
  EXPECT_FALSE(rewriter.SourceSequenceNumber(0x4000));
  EXPECT_EQ(rewriter.source_ssrc(), kSecondSource);
  // What the first source had sent is not the current source's to repair.
  EXPECT_FALSE(rewriter.SourceSequenceNumber(0));
  EXPECT_FALSE(rewriter.SourceSequenceNumber(65535));
}

TEST(StreamRewriterTest, MapsOnlyNumbersSentSinceAResumeBack) {
  StreamRewriter rewriter(kOutputSsrc);
  rewriter.Rewrite(kFirstSource, 100, 5000, kVideoClockRate, kStart);
  rewriter.Rewrite(kFirstSource, 101, 5000 + kFrameTicks, kVideoClockRate, kStart + milliseconds(33));
  // Off stage (Last-N), source 102..199 not forwarded; back on stage at 200: output 102.
  rewriter.Resume();
  EXPECT_EQ(rewriter.Rewrite(kFirstSource, 200, 9000, kVideoClockRate, kStart + milliseconds(900)).sequence_number,
            102);
  EXPECT_EQ(rewriter.SourceSequenceNumber(102), 200);
  EXPECT_FALSE(rewriter.SourceSequenceNumber(101)) << "sent before the resume";
  EXPECT_FALSE(rewriter.SourceSequenceNumber(103)) << "not sent yet";
  // A reordered older packet of the current source does not widen what is mapped.
  rewriter.Rewrite(kFirstSource, 199, 8900, kVideoClockRate, kStart + milliseconds(901));
  EXPECT_FALSE(rewriter.SourceSequenceNumber(103));
  // Rewrite's offsets did not change: the timestamp offset maps as before.
  EXPECT_EQ(9000 + rewriter.timestamp_offset(),
            rewriter.Rewrite(kFirstSource, 200, 9000, kVideoClockRate, kStart + milliseconds(902)).timestamp);
}

}  // namespace
}  // namespace egovbox::media
