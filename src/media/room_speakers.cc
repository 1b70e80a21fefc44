// Room's part in active speaker and Last-N (docs/media.md "Active speaker and
// last-N"), beside room.cc's signaling: the room's SpeakerDetector fed with every
// participant's voice, the order of recent speakers, and which cameras each
// subscriber receives (media/last_n.h).
#include <algorithm>

#include "media/room.h"

namespace egovbox::media {

using nlohmann::json;

void Room::SetLastN(std::size_t last_n) {
  last_n_ = last_n;
  UpdateStage();
}

void Room::DetectSpeakers(std::chrono::steady_clock::time_point now) {
  if (participants_.empty() || !speakers_.Due(now)) return;
  std::vector<Voice> voices;
  voices.reserve(participants_.size());
  for (const auto& participant : participants_) voices.push_back({participant->id, &participant->voice});
  const SpeakerDetector::Outcome outcome = speakers_.Evaluate(voices, now);
  if (outcome.speaker_changed) {
    const auto speaker = std::find_if(speaker_order_.begin(), speaker_order_.end(),
                                      [&](const Participant* p) { return p->id == speakers_.speaker(); });
    if (speaker != speaker_order_.end()) std::rotate(speaker_order_.begin(), speaker, speaker + 1);
    const json message = {{"type", "media.speaker"}, {"participant_id", speakers_.speaker()}};
    for (const auto& participant : participants_) host_.Deliver(*participant, message);
    UpdateStage();
  }
  if (outcome.speaking_changed) {
    const json message = {{"type", "media.speaking"}, {"participant_ids", speakers_.speaking()}};
    for (const auto& participant : participants_) host_.Deliver(*participant, message);
  }
  // A camera back on stage waits for a keyframe; the worker throttles the requests,
  // so one refused for being too soon after another is asked again here.
  for (const auto& subscriber : participants_) {
    for (const auto& section : subscriber->sections) {
      if (section->awaiting_keyframe && section->track != nullptr) {
        host_.RequestKeyframe(*section->publisher, *section->track);
      }
    }
  }
}

void Room::JoinSpeakers(Participant& joined) {
  speaker_order_.push_back(&joined);
  if (!speakers_.speaker().empty()) {
    host_.Deliver(joined, {{"type", "media.speaker"}, {"participant_id", speakers_.speaker()}});
  }
  if (!speakers_.speaking().empty()) {
    host_.Deliver(joined, {{"type", "media.speaking"}, {"participant_ids", speakers_.speaking()}});
  }
  UpdateStage();
}

void Room::LeaveSpeakers(const Participant& leaving) {
  std::erase(speaker_order_, &leaving);
  speakers_.Forget(leaving.id);
}

void Room::UpdateStage() {
  for (const auto& subscriber : participants_) {
    const std::vector<const Participant*> off = OffStage(speaker_order_, *subscriber, last_n_);
    for (const auto& section : subscriber->sections) {
      const bool camera = section->track != nullptr && section->track->source == TrackSource::kCamera;
      const bool on = !camera || std::find(off.begin(), off.end(), section->publisher) == off.end();
      if (on && !section->on_stage && section->track != nullptr) {
        section->awaiting_keyframe = true;
        host_.RequestKeyframe(*section->publisher, *section->track);
      }
      section->on_stage = on;
    }
    std::vector<std::string> ids;
    ids.reserve(off.size());
    for (const Participant* participant : off) ids.push_back(participant->id);
    if (ids != subscriber->off_stage) {
      subscriber->off_stage = ids;
      host_.Deliver(*subscriber, {{"type", "media.off_stage"}, {"participant_ids", std::move(ids)}});
    }
  }
}

}  // namespace egovbox::media
