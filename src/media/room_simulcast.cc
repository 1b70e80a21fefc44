// Room's part in simulcast (docs/media.md "Simulcast"), beside room.cc's
// signaling: the layers of a published track made from its section's rids, and
// media.layout, the size at which the page shows each received video.
#include <algorithm>

#include "media/room.h"

namespace egovbox::media {

using nlohmann::json;

void Room::SetSimulcast(PublishedTrack& track, const PublishedSection& section) {
  track.mid_id = 0;
  track.rid_id = 0;
  track.repaired_rid_id = 0;
  for (const auto& extension : section.extensions) {
    if (extension.uri == kExtensionMid) track.mid_id = extension.id;
    if (extension.uri == kExtensionRtpStreamId) track.rid_id = extension.id;
    if (extension.uri == kExtensionRepairedRtpStreamId) track.repaired_rid_id = extension.id;
  }
  if (section.rids.empty() || track.layer_of != nullptr) return;
  if (track.layers.empty()) {
    for (const std::string& rid : section.rids) {
      auto layer = std::make_unique<PublishedTrack>();
      layer->rid = rid;
      layer->layer = track.layers.size();
      layer->layer_of = &track;
      track.layers.push_back(std::move(layer));
    }
  }
  // The track is no stream of its own: its layers keep the packets for NACKs.
  track.retransmissions.reset();
  track.losses.reset();
  // Each layer takes the track's codec; its SSRCs, learned from packets, stay.
  for (const auto& layer : track.layers) {
    layer->track_id = track.track_id;
    layer->mid = track.mid;
    layer->kind = track.kind;
    layer->source = track.source;
    layer->payload_type = track.payload_type;
    layer->out_payload_type = track.out_payload_type;
    layer->clock_rate = track.clock_rate;
    layer->extension_ids = track.extension_ids;
    layer->rtx_payload_type = track.rtx_payload_type;
    layer->nack = track.nack;
    if (!layer->retransmissions) {
      layer->retransmissions = std::make_unique<RetransmissionBuffer>();
      layer->losses = std::make_unique<LossTracker>();
    }
  }
}

bool Room::SameStreams(const PublishedSection& section, const PublishedTrack& track) {
  if (!section.rids.empty() || !track.layers.empty()) {
    return section.rids.size() == track.layers.size() &&
           std::equal(section.rids.begin(), section.rids.end(), track.layers.begin(),
                      [](const std::string& rid, const auto& layer) { return layer->rid == rid; });
  }
  return !section.ssrcs.empty() && section.ssrcs.front() == track.ssrc;
}

void Room::Layout(Participant& participant, const json& message) {
  const auto tiles_field = message.find("tiles");
  const auto tiles = tiles_field == message.end() ? std::nullopt : ParseLayoutTiles(*tiles_field);
  if (!tiles) {
    return Refuse(participant, "media.layout", "invalid-message",
                  "media.layout needs tiles: at most 64 of {mid, width, height}.");
  }
  // A section the page no longer shows keeps its last size; a mid it never had is ignored.
  for (const LayoutTile& tile : *tiles) {
    const auto section = std::find_if(participant.sections.begin(), participant.sections.end(),
                                      [&](const auto& s) { return s->mid == tile.mid; });
    if (section != participant.sections.end()) (*section)->simulcast.tile = tile.size;
  }
}

}  // namespace egovbox::media
