// MediaWorker, simulcast (docs/media.md "Simulcast"): the layers' SSRCs learned
// from their rid extensions, one layer forwarded per subscriber section and
// switched on a keyframe of the layer chosen, the choice made once a second from
// the subscriber's REMB and reported loss and the tile size the page reported.
// On the worker's thread; nothing here allocates per packet.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "media/media_worker.h"
#include "media/rtx.h"
#include "media/simulcast.h"

namespace egovbox::media {

namespace {

// A REMB or a loss report older than this no longer counts.
constexpr auto kEstimateLifetime = std::chrono::seconds(5);
constexpr auto kLossLifetime = std::chrono::seconds(3);
// What an audio section is taken to use of the subscriber's estimate.
constexpr std::uint64_t kAudioShare = 40'000;
constexpr double kFractionScale = 256.0;  // RFC 3550 §6.4.1: fraction lost in 1/256
// The shortest time between two SSRCs bound to one layer.
constexpr auto kRebindInterval = std::chrono::seconds(1);

std::optional<std::string_view> ExtensionText(const RtpPacket& packet, std::uint8_t id, bool rid) {
  if (id == 0) return std::nullopt;
  const auto value = packet.Extension(id);
  if (!value) return std::nullopt;
  return rid ? ParseRid(*value) : ParseMid(*value);
}

}  // namespace

PublishedTrack* MediaWorker::UnwrapSimulcastLayer(Participant& publisher, std::span<std::uint8_t>& plain,
                                                  Clock::time_point now) {
  const auto packet = RtpPacket::Parse(plain);
  if (!packet) return nullptr;
  const std::uint32_t ssrc = packet->ssrc();
  const std::uint8_t payload_type = packet->payload_type();
  const auto unwrap_rtx = [&](PublishedTrack& layer) -> PublishedTrack* {
    if (layer.ssrc == 0) return nullptr;  // its media stream is not known yet
    // A padding-only RTX packet (a bandwidth probe) stays as it is: no stream's payload type.
    if (const auto original = UnwrapRtxPacket(plain, layer.payload_type, layer.ssrc)) plain = *original;
    return &layer;
  };
  for (const auto& track : publisher.tracks) {
    for (const auto& layer : track->layers) {
      if (layer->ssrc != 0 && layer->ssrc == ssrc) return layer.get();
      if (layer->rtx_ssrc != 0 && layer->rtx_ssrc == ssrc && payload_type == layer->rtx_payload_type) {
        return unwrap_rtx(*layer);
      }
    }
  }
  // RFC 8852 §3, RFC 8853: an SSRC not seen before is bound to the layer its mid
  // and rid (for RTX, its repaired rid) name.
  for (const auto& track : publisher.tracks) {
    if (track->layers.empty()) continue;
    const auto mid = ExtensionText(*packet, track->mid_id, false);
    if (!mid || *mid != track->mid) continue;
    const bool rtx = track->rtx_payload_type != 0 && payload_type == track->rtx_payload_type;
    if (!rtx && payload_type != track->payload_type) return nullptr;
    const auto rid = ExtensionText(*packet, rtx ? track->repaired_rid_id : track->rid_id, true);
    if (!rid) return nullptr;
    for (const auto& layer : track->layers) {
      if (layer->rid != *rid) continue;
      if (rtx) {
        layer->rtx_ssrc = ssrc;
        return unwrap_rtx(*layer);
      }
      // A new SSRC for the layer (the publisher restarted it): its counts start
      // over, in place. At most once a second, so a publisher alternating SSRCs
      // under one rid costs no more than one reset a second.
      if (layer->ssrc != 0) {
        if (now - layer->ssrc_bound_at < kRebindInterval) return nullptr;
        layer->statistics = ReceiveStatistics();
        if (layer->retransmissions) layer->retransmissions->Reset();
        if (layer->losses) layer->losses->Reset();
      }
      layer->ssrc = ssrc;
      layer->ssrc_bound_at = now;
      return layer.get();
    }
    return nullptr;
  }
  return nullptr;
}

bool MediaWorker::ForwardsLayer(SubscribeSection& section, const PublishedTrack& layer, const RtpPacket& packet) {
  SimulcastForwarding& simulcast = section.simulcast;
  const int index = static_cast<int>(layer.layer);
  const int target = simulcast.selector.target();
  if (index == simulcast.current && (target == simulcast.current || target < 0)) return true;
  // Switch only where the new layer's keyframe begins, so the decoder never breaks;
  // before any choice, the first keyframe of any layer starts the stream.
  if (index == target || (target < 0 && simulcast.current < 0)) {
    const auto descriptor = ParseVp8Descriptor(packet.payload());
    if (descriptor && descriptor->is_keyframe) {
      simulcast.current = index;
      return true;
    }
  }
  return index == simulcast.current;
}

PublishedTrack& MediaWorker::StreamOf(SubscribeSection& section) {
  PublishedTrack& track = *section.track;
  if (track.layers.empty()) return track;
  const int current = section.simulcast.current;
  return current >= 0 && static_cast<std::size_t>(current) < track.layers.size()
             ? *track.layers[static_cast<std::size_t>(current)]
             : *track.layers.front();
}

void MediaWorker::RequestLayerKeyframes(Participant& publisher, PublishedTrack& track) {
  // The layers some section forwards or switches to; all of them for a section
  // that has none yet (its first keyframe, from whichever layer, starts it).
  std::array<bool, kMaxSimulcastLayers> wanted{};
  for (const SubscribeSection* section : track.subscribers) {
    const int current = section->simulcast.current;
    const int target = section->simulcast.selector.target();
    if (current < 0 && target < 0) wanted.fill(true);
    for (const int index : {current, target}) {
      if (index >= 0 && static_cast<std::size_t>(index) < wanted.size()) wanted[static_cast<std::size_t>(index)] = true;
    }
  }
  for (std::size_t i = 0; i < track.layers.size() && i < wanted.size(); ++i) {
    if (wanted[i] && track.layers[i]->ssrc != 0) RequestKeyframe(publisher, *track.layers[i]);
  }
}

void MediaWorker::NoteSubscriberFeedback(Participant& subscriber, const RtcpPacketView& packet, Clock::time_point now) {
  if (const auto remb = RtcpRemb::Parse(packet)) {
    subscriber.subscribe_estimate = remb->bitrate_bps();
    subscriber.subscribe_estimate_at = now;
    return;
  }
  const auto report = RtcpReceiverReport::Parse(packet);
  if (!report) return;
  for (std::size_t i = 0; i < report->report_count(); ++i) {
    const RtcpReportBlock block = report->report_block(i);
    for (const auto& section : subscriber.sections) {
      if (section->ssrc != block.ssrc || section->track == nullptr || section->track->layers.empty()) continue;
      section->simulcast.loss = block.fraction_lost / kFractionScale;
      section->simulcast.loss_at = now;
    }
  }
}

void MediaWorker::SelectLayers(Clock::time_point now) {
  for (auto& [id, subscriber] : participants_) {
    const bool estimated =
        subscriber->subscribe_estimate != 0 && now - subscriber->subscribe_estimate_at < kEstimateLifetime;
    // The estimate is shared by the video sections forwarded now; audio takes a fixed part.
    std::uint64_t video_sections = 0;
    std::uint64_t audio_sections = 0;
    for (const auto& section : subscriber->sections) {
      if (section->track == nullptr || !section->negotiated || !section->on_stage) continue;
      (section->kind == MediaKind::kVideo ? video_sections : audio_sections) += 1;
    }
    std::optional<std::uint64_t> available;
    if (estimated && video_sections > 0) {
      const std::uint64_t audio = audio_sections * kAudioShare;
      const std::uint64_t estimate = subscriber->subscribe_estimate;
      available = (estimate > audio ? estimate - audio : 0) / video_sections;
    }
    for (const auto& section : subscriber->sections) {
      PublishedTrack* track = section->track;
      if (track == nullptr || track->layers.empty() || !section->negotiated) continue;
      std::array<LayerInfo, kMaxSimulcastLayers> layers{};
      const std::size_t count = std::min(track->layers.size(), layers.size());
      for (std::size_t i = 0; i < count; ++i) {
        const PublishedTrack& layer = *track->layers[i];
        layers[i] = {layer.ssrc != 0 && layer.meter.Active(now), layer.meter.bitrate(), layer.meter.width(),
                     layer.meter.height()};
      }
      SimulcastForwarding& simulcast = section->simulcast;
      const bool loss_known = simulcast.loss && now - simulcast.loss_at < kLossLifetime;
      const SelectionInput input{std::span(layers).first(count), available, loss_known ? simulcast.loss : std::nullopt,
                                 simulcast.tile};
      const int previous = simulcast.selector.target();
      const int target = simulcast.selector.Select(input, simulcast.current, now);
      if (target != previous) {
        spdlog::debug("media: simulcast {} mid {}: layer {} -> {} (available {}, loss {}, tile {}x{}, rates {}/{}/{})",
                      subscriber->id, section->mid, previous, target, available.value_or(0), input.loss.value_or(-1.0),
                      simulcast.tile ? simulcast.tile->width : 0, simulcast.tile ? simulcast.tile->height : 0,
                      layers[0].bitrate, layers[1].bitrate, layers[2].bitrate);
      }
      // Until the target's keyframe comes, ask again (RequestKeyframe throttles).
      if (target >= 0 && target != simulcast.current && section->publisher != nullptr) {
        RequestKeyframe(*section->publisher, *track->layers[static_cast<std::size_t>(target)]);
      }
    }
  }
}

}  // namespace egovbox::media
