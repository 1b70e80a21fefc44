#include "media/speaker_detector.h"

#include <algorithm>

namespace egovbox::media {

namespace {

constexpr int kPercent = 100;
constexpr std::uint32_t kMaxIntervalEnergy = 255;

}  // namespace

void VoiceActivity::AddPacket(const RtpPacket& packet, std::uint8_t extension_id) noexcept {
  if (extension_id == 0) return;
  const auto value = packet.Extension(extension_id);
  const auto level = value ? ParseAudioLevel(*value) : std::nullopt;
  // RFC 6464 §3: 127 is silence; a packet that says nothing is taken as such.
  AddLevel(level.value_or(AudioLevel{false, kAudioLevelSilence}));
}

void VoiceActivity::AddLevel(AudioLevel level) noexcept {
  ++packets_;
  energy_ += static_cast<std::uint32_t>(std::max(0, kQuietestCountedLevel - static_cast<int>(level.level)));
}

void VoiceActivity::CloseInterval() noexcept {
  const std::uint32_t energy = packets_ == 0 ? 0 : std::min(kMaxIntervalEnergy, energy_ / packets_);
  packets_ = 0;
  energy_ = 0;
  history_[next_] = static_cast<std::uint8_t>(energy);
  next_ = (next_ + 1) % history_.size();
  int recent = 0;
  for (std::size_t back = 1; back <= kShortIntervals; ++back) {
    recent += history_[(next_ + history_.size() - back) % history_.size()];
  }
  int all = 0;
  for (const std::uint8_t each : history_) all += each;
  short_score_ = recent / static_cast<int>(kShortIntervals);
  medium_score_ = all / static_cast<int>(history_.size());
  if (!speaking_ && short_score_ >= kSpeakingOn) speaking_ = true;
  if (speaking_ && short_score_ < kSpeakingOff) speaking_ = false;
}

SpeakerDetector::Outcome SpeakerDetector::Evaluate(std::span<const Voice> voices, Clock::time_point now) {
  Outcome outcome;
  if (now < next_evaluation_) return outcome;
  next_evaluation_ = now + kSpeakerInterval;

  const VoiceActivity* dominant = nullptr;
  const Voice* best = nullptr;
  for (const Voice& voice : voices) {
    voice.activity->CloseInterval();
    if (voice.participant_id == speaker_) dominant = voice.activity;
  }
  for (const Voice& voice : voices) {
    const VoiceActivity& activity = *voice.activity;
    if (voice.participant_id == speaker_ || !activity.speaking() || activity.medium_score() < kMinDominantScore) {
      continue;
    }
    if (best == nullptr || activity.medium_score() > best->activity->medium_score()) best = &voice;
  }
  if (best != nullptr && TakesOver(*best->activity, dominant)) {
    if (challenger_ == best->participant_id) {
      ++challenger_intervals_;
    } else {
      challenger_ = best->participant_id;
      challenger_intervals_ = 1;
    }
    if (challenger_intervals_ >= kTakeoverIntervals) {
      speaker_ = std::move(challenger_);
      challenger_.clear();
      challenger_intervals_ = 0;
      outcome.speaker_changed = true;
    }
  } else {
    // Only a challenge that holds without a break takes the floor.
    challenger_.clear();
    challenger_intervals_ = 0;
  }

  if (now >= next_speaking_report_) {
    std::vector<std::string> speaking;
    for (const Voice& voice : voices) {
      if (voice.activity->speaking()) speaking.emplace_back(voice.participant_id);
    }
    std::sort(speaking.begin(), speaking.end());
    if (speaking != reported_speaking_) {
      reported_speaking_ = std::move(speaking);
      next_speaking_report_ = now + kSpeakingReportInterval;
      outcome.speaking_changed = true;
    }
  }
  return outcome;
}

bool SpeakerDetector::TakesOver(const VoiceActivity& challenger, const VoiceActivity* dominant) const {
  if (dominant == nullptr) return true;
  return challenger.medium_score() * kPercent >=
         dominant->medium_score() * kTakeoverFactorPercent + kTakeoverMargin * kPercent;
}

void SpeakerDetector::Forget(std::string_view participant_id) {
  if (speaker_ == participant_id) speaker_.clear();
  if (challenger_ == participant_id) {
    challenger_.clear();
    challenger_intervals_ = 0;
  }
  std::erase(reported_speaking_, participant_id);
}

}  // namespace egovbox::media
