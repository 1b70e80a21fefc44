#include "media/last_n.h"

#include <algorithm>

#include "media/sdp_negotiation.h"

namespace egovbox::media {

bool SendsCamera(const Participant& participant) {
  return std::any_of(participant.tracks.begin(), participant.tracks.end(),
                     [](const auto& track) { return track->source == TrackSource::kCamera && !track->muted; });
}

std::vector<const Participant*> OffStage(std::span<const Participant* const> order, const Participant& subscriber,
                                         std::size_t last_n) {
  std::vector<const Participant*> off;
  std::size_t shown = 0;
  for (const Participant* participant : order) {
    if (participant == &subscriber || !SendsCamera(*participant)) continue;
    if (last_n == 0 || shown < last_n) {
      ++shown;
    } else {
      off.push_back(participant);
    }
  }
  return off;
}

bool ForwardsOnStage(SubscribeSection& section, const PublishedTrack& track, const RtpPacket& packet) noexcept {
  if (!section.on_stage) return false;
  if (!section.awaiting_keyframe) return true;
  const auto payload = packet.payload();
  bool keyframe = false;
  if (track.out_payload_type == kSubscribeH264PayloadType) {
    keyframe = IsH264Keyframe(payload);
  } else {
    const auto descriptor = ParseVp8Descriptor(payload);
    keyframe = descriptor && descriptor->is_keyframe;
  }
  if (!keyframe) return false;
  section.awaiting_keyframe = false;
  section.rewriter.Resume();
  return true;
}

}  // namespace egovbox::media
