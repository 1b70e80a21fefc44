// The SFU's picture of a room's members: what each one publishes, and the
// m-sections through which each one receives the others' tracks. Plain data,
// owned by a Room on one media worker thread; the pointers between participants
// are kept consistent by Room (a track's subscribers, a section's track).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "media/loss_tracker.h"
#include "media/media_kind.h"
#include "media/peer_connection.h"
#include "media/retransmission_buffer.h"
#include "media/simulcast.h"
#include "media/speaker_detector.h"
#include "media/stream_rewriter.h"

namespace egovbox::media {

struct Participant;
struct SubscribeSection;

// Counts of what arrives on one published stream, for the SFU's receiver reports.
struct ReceiveStatistics {
  bool started = false;
  std::uint16_t base_sequence = 0;
  std::uint32_t cycles = 0;  // wraps of the 16-bit sequence number, shifted left by 16
  std::uint16_t max_sequence = 0;
  std::uint64_t received = 0;
  std::uint64_t expected_prior = 0;
  std::uint64_t received_prior = 0;
  // RFC 3550 appendix A.1: packets still to see in sequence before a new source
  // counts, and the number after a big jump that confirms a restarted source.
  int probation = 0;
  std::uint32_t bad_sequence = 0;
  // Appendix A.8: the interarrival jitter in timestamp units, times 16, and the
  // last packet's transit time (arrival minus timestamp).
  std::uint32_t jitter = 0;
  std::uint32_t transit = 0;
  bool has_transit = false;
  std::uint32_t last_sender_report = 0;  // middle 32 bits of the last SR's NTP time
  std::chrono::steady_clock::time_point last_sender_report_at{};
};

struct PublishedTrack {
  std::string track_id;
  std::string mid;
  MediaKind kind = MediaKind::kAudio;
  TrackSource source = TrackSource::kMicrophone;
  bool muted = false;
  // Muted by a host (Room::HostMute): its packets are dropped, not forwarded,
  // until the publisher unmutes it with media.mute.
  bool held = false;
  std::uint32_t ssrc = 0;
  std::uint8_t payload_type = 0;      // the publisher's
  std::uint8_t out_payload_type = 0;  // toward subscribers
  std::uint32_t clock_rate = 0;
  // The publisher's header extension id → the id subscribers negotiated.
  std::array<std::uint8_t, 256> extension_ids{};
  // The publisher's id of ssrc-audio-level (RFC 6464), 0 when not negotiated.
  std::uint8_t audio_level_id = 0;
  std::chrono::steady_clock::time_point last_keyframe_request{};
  // Loss and recovery (docs/media.md), video only: the publisher's RFC 4588
  // retransmission stream (0 when not negotiated), whether it takes NACKs, the
  // packets kept for subscribers' NACKs and what the SFU NACKs the publisher for.
  std::uint8_t rtx_payload_type = 0;
  std::uint32_t rtx_ssrc = 0;
  bool nack = false;
  std::unique_ptr<RetransmissionBuffer> retransmissions;  // made with the video track
  std::unique_ptr<LossTracker> losses;
  ReceiveStatistics statistics;
  std::vector<SubscribeSection*> subscribers;
  // Simulcast (media/simulcast.h, docs/media.md "Simulcast"): a camera sent as
  // several VP8 encodings. Each encoding is a published stream of its own — a
  // PublishedTrack in the track's `layers` (lowest resolution first) with its rid,
  // its SSRC (and RTX SSRC) learned from its first packets' rid extension, its
  // receive statistics, retransmission buffer and keyframe throttle — whose
  // `layer_of` points back to the track. The track itself keeps what is the
  // track's (id, source, mute, codec, subscribers) and ssrc 0, and is never a
  // stream. Code per published stream visits the layers: ForEachPublishedStream.
  std::vector<std::unique_ptr<PublishedTrack>> layers;
  PublishedTrack* layer_of = nullptr;
  std::string rid;
  std::size_t layer = 0;  // index in layer_of->layers
  // When the layer's SSRC was last (re)bound: a new SSRC replaces it at most once
  // a second (MediaWorker::UnwrapSimulcastLayer).
  std::chrono::steady_clock::time_point ssrc_bound_at{};
  // The publisher's ids of the mid, rid and repaired-rid extensions (0: none).
  std::uint8_t mid_id = 0;
  std::uint8_t rid_id = 0;
  std::uint8_t repaired_rid_id = 0;
  LayerMeter meter;  // a layer's bitrate and picture size
};

// Calls visit(PublishedTrack&) for every published stream of a participant: each
// track without simulcast, each layer of a track with.
template <typename ParticipantType, typename Visit>
void ForEachPublishedStream(ParticipantType& participant, Visit&& visit) {
  for (const auto& track : participant.tracks) {
    if (track->layers.empty()) {
      visit(*track);
    } else {
      for (const auto& layer : track->layers) visit(*layer);
    }
  }
}

// One m-section of a participant's subscribe connection.
struct SubscribeSection {
  std::string mid;
  MediaKind kind = MediaKind::kAudio;
  std::uint32_t ssrc = 0;  // what the subscriber sees
  Participant* subscriber = nullptr;
  // The track it carries; null while the section is inactive.
  PublishedTrack* track = nullptr;
  Participant* publisher = nullptr;
  bool negotiated = false;  // the browser's answer accepted it with this track
  // The SSRC the latest offer showed it sending, 0 when it was offered inactive.
  std::uint32_t offered_ssrc = 0;
  StreamRewriter rewriter;
  // Last-N (media/last_n.h): false while the subscriber does not see this camera;
  // after it came on stage, nothing is forwarded until a keyframe begins.
  bool on_stage = true;
  bool awaiting_keyframe = false;
  // Loss and recovery (video): the RTX SSRC offered beside `ssrc`, whether the
  // answer took RTX for the track's payload type, the RTX stream's own sequence
  // numbers, and when each packet was last resent to this subscriber.
  std::uint32_t rtx_ssrc = 0;
  bool rtx = false;
  std::uint16_t rtx_sequence_number = 0;
  ResendThrottle resends;
  // Simulcast: the layer forwarded, the one chosen, VP8 picture IDs kept continuous.
  SimulcastForwarding simulcast;
};

struct Participant {
  std::string id;
  std::string room_id;
  nlohmann::json info;
  std::unique_ptr<PeerConnection> publish;
  std::unique_ptr<PeerConnection> subscribe;
  std::vector<std::unique_ptr<PublishedTrack>> tracks;
  std::vector<std::unique_ptr<SubscribeSection>> sections;
  std::uint64_t sdp_session_id = 0;
  std::uint64_t publish_answers = 0;
  std::uint64_t offer_version = 0;
  bool offer_outstanding = false;
  // How many of `sections` the latest offer had (they are only ever appended).
  std::size_t offered_sections = 0;
  bool offer_needed = false;
  // The tab asked for an ICE restart of its subscribe connection: the next offer carries new credentials.
  bool subscribe_ice_restart = false;
  // Active speaker and Last-N: the microphone's levels, and the cameras this tab
  // was last told it does not receive (media.off_stage).
  VoiceActivity voice;
  std::vector<std::string> off_stage;
  // Host controls: the sources a host muted (Room::HostMute), by TrackSource. A
  // track published from a held source starts held (also one published after the
  // mute); only the participant's media.mute muted:false lifts the hold.
  std::array<bool, kTrackSourceCount> held_sources{};
  // Simulcast: the latest REMB (RFC draft-alvestrand-rmcat-remb) of its subscribe
  // connection, in bits per second, and when it came (0: none yet).
  std::uint64_t subscribe_estimate = 0;
  std::chrono::steady_clock::time_point subscribe_estimate_at{};
};

}  // namespace egovbox::media
