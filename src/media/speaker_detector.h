// Who is speaking in a room, from the RFC 6464 audio level each publisher puts on
// its microphone's RTP packets: a set of participants speaking now (for the
// participant list) and one dominant speaker (the highlighted tile, speaker view,
// and Last-N's order), decided with hysteresis so that a cough or a short
// interjection does not take the floor.
//
// VoiceActivity belongs to one participant and is fed per audio packet: O(1), no
// allocation, no lookups. SpeakerDetector belongs to one room and is evaluated on
// the media worker's timer: every kSpeakerInterval it closes an interval of every
// participant's voice and decides. Both are used on the worker's thread only.
//
// The decision (docs/media.md "Active speaker and last-N"):
// - A packet's energy is how far above -kQuietestCountedLevel dBov it is (0 for
//   quieter ones and for silence, 127); an interval's energy is the mean over its
//   packets, 0 when none came.
// - Short score: the mean of the last kShortIntervals intervals; medium score: of
//   the last kMediumIntervals.
// - Speaking: the short score reached kSpeakingOn; it stays so until the short
//   score falls below kSpeakingOff.
// - A challenger is the speaking participant with the highest medium score, at
//   least kMinDominantScore; it takes the floor when its medium score beats the
//   dominant speaker's by kTakeoverFactorPercent and kTakeoverMargin for
//   kTakeoverIntervals evaluations in a row. Silence keeps the last speaker.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/rtp_packet.h"

namespace egovbox::media {

// RFC 6464 §3: the level of silence, in -dBov.
inline constexpr std::uint8_t kAudioLevelSilence = 127;
inline constexpr auto kSpeakerInterval = std::chrono::milliseconds(100);
inline constexpr std::size_t kShortIntervals = 3;    // 300 ms
inline constexpr std::size_t kMediumIntervals = 10;  // 1 s
// Quieter packets count as silence: background noise through the browser's noise
// suppression stays below it, speech (-20 to -45 dBov) is well above it.
inline constexpr int kQuietestCountedLevel = 70;
inline constexpr int kSpeakingOn = 12;
inline constexpr int kSpeakingOff = 6;
inline constexpr int kMinDominantScore = 14;
inline constexpr int kTakeoverFactorPercent = 130;
inline constexpr int kTakeoverMargin = 4;
inline constexpr int kTakeoverIntervals = 5;  // 500 ms
// media.speaking is sent at most this often.
inline constexpr auto kSpeakingReportInterval = std::chrono::milliseconds(500);

class VoiceActivity {
 public:
  // Per audio packet. `extension_id`: the publisher's id of ssrc-audio-level
  // (0: not negotiated, the packet is ignored); a packet without the element
  // counts as silence.
  void AddPacket(const RtpPacket& packet, std::uint8_t extension_id) noexcept;
  void AddLevel(AudioLevel level) noexcept;

  int short_score() const { return short_score_; }
  int medium_score() const { return medium_score_; }
  bool speaking() const { return speaking_; }

 private:
  friend class SpeakerDetector;
  // Ends the current interval: scores and speaking updated.
  void CloseInterval() noexcept;

  std::uint32_t packets_ = 0;
  std::uint32_t energy_ = 0;  // sum over the interval's packets
  std::array<std::uint8_t, kMediumIntervals> history_{};
  std::size_t next_ = 0;  // where the next interval goes in history_
  int short_score_ = 0;
  int medium_score_ = 0;
  bool speaking_ = false;
};

// One participant of the room, as the detector sees it at an evaluation.
struct Voice {
  std::string_view participant_id;
  VoiceActivity* activity = nullptr;
};

class SpeakerDetector {
 public:
  using Clock = std::chrono::steady_clock;

  struct Outcome {
    bool speaker_changed = false;   // speaker() is new
    bool speaking_changed = false;  // speaking() differs from what was last reported
  };

  // Closes an interval of every voice when one is due (at most one per
  // kSpeakerInterval; nothing otherwise) and decides. speaking_changed is
  // rate-limited to one per kSpeakingReportInterval: a change within it is
  // reported when the interval has passed, if it still stands.
  Outcome Evaluate(std::span<const Voice> voices, Clock::time_point now);
  // Whether Evaluate would close an interval now (for callers that gather voices).
  bool Due(Clock::time_point now) const { return now >= next_evaluation_; }

  // The dominant speaker; empty before anybody spoke, or after they left and
  // nobody has spoken since.
  const std::string& speaker() const { return speaker_; }
  // Who speaks now, sorted, as last reported.
  const std::vector<std::string>& speaking() const { return reported_speaking_; }

  // A participant left: it is no longer the speaker or the challenger.
  void Forget(std::string_view participant_id);

 private:
  bool TakesOver(const VoiceActivity& challenger, const VoiceActivity* dominant) const;

  Clock::time_point next_evaluation_{};
  std::string speaker_;
  std::string challenger_;
  int challenger_intervals_ = 0;
  std::vector<std::string> reported_speaking_;
  Clock::time_point next_speaking_report_{};
};

}  // namespace egovbox::media
