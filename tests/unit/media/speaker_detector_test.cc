#include "media/speaker_detector.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace egovbox::media {
namespace {

using Clock = SpeakerDetector::Clock;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);
// Audio packets of 20 ms: five per evaluation interval.
constexpr int kPacketsPerInterval = 5;
constexpr std::uint8_t kSpeech = 30;  // -30 dBov
constexpr std::uint8_t kLoud = 10;    // -10 dBov
constexpr std::uint8_t kNoise = 85;   // below kQuietestCountedLevel
constexpr std::optional<std::uint8_t> kNoPackets = std::nullopt;

// A room of voices fed interval by interval: `Step({{"a", 30}})` gives a five
// packets at -30 dBov and everyone else silence (127), then evaluates.
class VoiceRoom {
 public:
  explicit VoiceRoom(std::vector<std::string> ids) {
    for (auto& id : ids) voices_[id];
  }

  SpeakerDetector::Outcome Step(const std::map<std::string, std::optional<std::uint8_t>>& levels = {}) {
    for (auto& [id, voice] : voices_) {
      const auto found = levels.find(id);
      const std::optional<std::uint8_t> level = found == levels.end() ? kAudioLevelSilence : found->second;
      if (!level) continue;
      for (int i = 0; i < kPacketsPerInterval; ++i) voice.AddLevel({false, *level});
    }
    std::vector<Voice> voices;
    for (auto& [id, voice] : voices_) voices.push_back({id, &voice});
    now_ += kSpeakerInterval;
    return detector_.Evaluate(voices, now_);
  }

  // Steps until the speaker is `id` (true) or `limit` steps passed (false); `steps` counts them.
  bool StepUntilSpeaker(const std::string& id, const std::map<std::string, std::optional<std::uint8_t>>& levels,
                        int limit, int* steps) {
    for (*steps = 1; *steps <= limit; ++*steps) {
      Step(levels);
      if (detector_.speaker() == id) return true;
    }
    return false;
  }

  void Leave(const std::string& id) {
    voices_.erase(id);
    detector_.Forget(id);
  }

  SpeakerDetector& detector() { return detector_; }
  VoiceActivity& voice(const std::string& id) { return voices_.at(id); }
  Clock::time_point now() const { return now_; }

 private:
  std::map<std::string, VoiceActivity> voices_;
  SpeakerDetector detector_;
  Clock::time_point now_ = kStart;
};

TEST(SpeakerDetectorTest, NobodySpeaksNobodyIsTheSpeaker) {
  VoiceRoom room({"a", "b"});
  for (int i = 0; i < 30; ++i) EXPECT_FALSE(room.Step().speaker_changed);
  EXPECT_EQ(room.detector().speaker(), "");
  EXPECT_TRUE(room.detector().speaking().empty());
}

TEST(SpeakerDetectorTest, NoiseBelowTheCountedLevelIsSilence) {
  VoiceRoom room({"a", "b"});
  for (int i = 0; i < 30; ++i) room.Step({{"a", kNoise}, {"b", kNoise}});
  EXPECT_EQ(room.detector().speaker(), "");
  EXPECT_EQ(room.voice("a").medium_score(), 0);
}

TEST(SpeakerDetectorTest, ASteadySpeakerTakesTheFloorAfterSomeHundredsOfMilliseconds) {
  VoiceRoom room({"a", "b", "c"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("b", {{"b", kSpeech}}, 30, &steps));
  // Speaking at once; the floor only after the medium window filled and the hold passed.
  EXPECT_GE(steps, kTakeoverIntervals + 2);
  EXPECT_LE(steps, 12);
  EXPECT_EQ(room.detector().speaking(), std::vector<std::string>{"b"});
}

TEST(SpeakerDetectorTest, TheChangeIsReportedOnce) {
  VoiceRoom room({"a", "b"});
  int changes = 0;
  for (int i = 0; i < 40; ++i) changes += room.Step({{"a", kSpeech}}).speaker_changed ? 1 : 0;
  EXPECT_EQ(changes, 1);
}

TEST(SpeakerDetectorTest, SilenceKeepsTheLastSpeaker) {
  VoiceRoom room({"a", "b"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("a", {{"a", kSpeech}}, 30, &steps));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(room.Step().speaker_changed);
  EXPECT_EQ(room.detector().speaker(), "a");
  EXPECT_TRUE(room.detector().speaking().empty());
  // Discontinuous transmission: no packets at all is silence too.
  for (int i = 0; i < 20; ++i) room.Step({{"a", kNoPackets}, {"b", kNoPackets}});
  EXPECT_EQ(room.detector().speaker(), "a");
}

TEST(SpeakerDetectorTest, ACoughDoesNotTakeTheFloor) {
  VoiceRoom room({"a", "b"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("a", {{"a", kSpeech}}, 30, &steps));
  // While a speaks, and after a has gone quiet: b coughs loudly for 200 ms, then 300 ms.
  for (const bool a_speaks : {true, false}) {
    for (const int cough : {2, 3}) {
      for (int i = 0; i < 20; ++i) room.Step({{"a", a_speaks ? kSpeech : kAudioLevelSilence}});
      for (int i = 0; i < cough; ++i) room.Step({{"a", a_speaks ? kSpeech : kAudioLevelSilence}, {"b", kLoud}});
      for (int i = 0; i < 20; ++i) room.Step({{"a", a_speaks ? kSpeech : kAudioLevelSilence}});
      EXPECT_EQ(room.detector().speaker(), "a") << "a speaks: " << a_speaks << ", cough: " << cough;
    }
  }
}

TEST(SpeakerDetectorTest, ANewSpeakerTakesOverWhenTheOldOneStops) {
  VoiceRoom room({"a", "b"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("a", {{"a", kSpeech}}, 30, &steps));
  for (int i = 0; i < 20; ++i) room.Step({{"a", kSpeech}});
  ASSERT_TRUE(room.StepUntilSpeaker("b", {{"b", kSpeech}}, 40, &steps));
  EXPECT_GE(steps, kTakeoverIntervals);
  EXPECT_LE(steps, 20) << "within two seconds";
}

TEST(SpeakerDetectorTest, TwoSpeakingAlikeTheDominantKeepsTheFloor) {
  VoiceRoom room({"a", "b"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("a", {{"a", kSpeech}}, 30, &steps));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(room.Step({{"a", kSpeech}, {"b", kSpeech}}).speaker_changed);
  EXPECT_EQ(room.detector().speaker(), "a");
  EXPECT_EQ(room.detector().speaking(), (std::vector<std::string>{"a", "b"}));
}

TEST(SpeakerDetectorTest, AClearlyLouderInterruptionTakesTheFloor) {
  VoiceRoom room({"a", "b"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("a", {{"a", kSpeech}}, 30, &steps));
  for (int i = 0; i < 20; ++i) room.Step({{"a", kSpeech}});
  EXPECT_TRUE(room.StepUntilSpeaker("b", {{"a", kSpeech}, {"b", kLoud}}, 30, &steps));
}

TEST(SpeakerDetectorTest, ASpeakerWhoLeftIsForgottenAndTheNextOneTakesOver) {
  VoiceRoom room({"a", "b", "c"});
  int steps = 0;
  ASSERT_TRUE(room.StepUntilSpeaker("a", {{"a", kSpeech}}, 30, &steps));
  room.Leave("a");
  EXPECT_EQ(room.detector().speaker(), "");
  EXPECT_TRUE(room.detector().speaking().empty()) << "the leaver is not listed as speaking";
  ASSERT_TRUE(room.StepUntilSpeaker("c", {{"c", kSpeech}}, 30, &steps));
  EXPECT_LE(steps, 12);
}

TEST(SpeakerDetectorTest, TheSpeakingSetIsReportedAtMostTwiceASecond) {
  VoiceRoom room({"a", "b"});
  std::vector<Clock::time_point> reports;
  // a flickers: 200 ms on, 300 ms off; unlimited, the set would change 100 ms apart.
  for (int i = 0; i < 60; ++i) {
    const bool on = i % 5 < 2;
    if (room.Step({{"a", on ? kLoud : kAudioLevelSilence}}).speaking_changed) reports.push_back(room.now());
  }
  ASSERT_GE(reports.size(), 2U);
  for (std::size_t i = 1; i < reports.size(); ++i) EXPECT_GE(reports[i] - reports[i - 1], kSpeakingReportInterval);
}

TEST(SpeakerDetectorTest, EvaluatesOncePerInterval) {
  SpeakerDetector detector;
  VoiceActivity voice;
  const std::array<Voice, 1> voices{Voice{"a", &voice}};
  for (int i = 0; i < kPacketsPerInterval; ++i) voice.AddLevel({false, kSpeech});
  detector.Evaluate(voices, kStart);
  EXPECT_FALSE(detector.Due(kStart + kSpeakerInterval / 2));
  detector.Evaluate(voices, kStart + kSpeakerInterval / 2);  // not due: nothing closed
  EXPECT_EQ(voice.short_score(), (kQuietestCountedLevel - kSpeech) / static_cast<int>(kShortIntervals));
  EXPECT_TRUE(detector.Due(kStart + kSpeakerInterval));
}

// RTP with a one-byte extension block (RFC 8285 §4.2) holding the audio level.
std::vector<std::uint8_t> AudioPacket(std::uint8_t extension_id, std::uint8_t level, bool voice_activity) {
  return {0x90,
          111,
          0x00,
          0x01,
          0,
          0,
          0,
          1,
          0,
          0,
          0,
          9,  // V=2 X=1, PT 111, seq 1, ts 1, SSRC 9
          0xBE,
          0xDE,
          0x00,
          0x01,  // one-byte profile, one word
          static_cast<std::uint8_t>(extension_id << 4U),
          static_cast<std::uint8_t>((voice_activity ? 0x80U : 0U) | level),
          0x00,
          0x00,  // padding
          0xF8,
          0xFF,
          0xFE};
}

TEST(VoiceActivityTest, ReadsTheLevelByThePublishersExtensionId) {
  auto bytes = AudioPacket(3, kSpeech, true);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  VoiceActivity by_id;
  VoiceActivity other_id;
  VoiceActivity not_negotiated;
  for (int i = 0; i < kPacketsPerInterval; ++i) {
    by_id.AddPacket(*packet, 3);
    other_id.AddPacket(*packet, 5);  // absent: silence
    not_negotiated.AddPacket(*packet, 0);
  }
  SpeakerDetector detector;
  const std::array<Voice, 3> voices{Voice{"a", &by_id}, Voice{"b", &other_id}, Voice{"c", &not_negotiated}};
  detector.Evaluate(voices, kStart);
  EXPECT_EQ(by_id.short_score(), (kQuietestCountedLevel - kSpeech) / static_cast<int>(kShortIntervals));
  EXPECT_TRUE(by_id.speaking());
  EXPECT_EQ(other_id.short_score(), 0);
  EXPECT_EQ(not_negotiated.short_score(), 0);
}

}  // namespace
}  // namespace egovbox::media
