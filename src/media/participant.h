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

#include "media/media_kind.h"
#include "media/peer_connection.h"
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
  std::uint32_t last_sender_report = 0;  // middle 32 bits of the last SR's NTP time
  std::chrono::steady_clock::time_point last_sender_report_at{};
};

struct PublishedTrack {
  std::string track_id;
  std::string mid;
  MediaKind kind = MediaKind::kAudio;
  TrackSource source = TrackSource::kMicrophone;
  bool muted = false;
  std::uint32_t ssrc = 0;
  std::uint8_t payload_type = 0;      // the publisher's
  std::uint8_t out_payload_type = 0;  // toward subscribers
  std::uint32_t clock_rate = 0;
  // The publisher's header extension id → the id subscribers negotiated.
  std::array<std::uint8_t, 256> extension_ids{};
  std::chrono::steady_clock::time_point last_keyframe_request{};
  ReceiveStatistics statistics;
  std::vector<SubscribeSection*> subscribers;
};

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
};

}  // namespace egovbox::media
