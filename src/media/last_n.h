// Last-N (docs/media.md "Active speaker and last-N"): in a room with more than N
// cameras, each subscriber receives the cameras of the N participants who spoke
// most recently; the others are "off stage" for it. Audio and screen shares are
// always forwarded, and a subscriber's own camera never takes a place.
//
// An off-stage camera keeps its m-section (no renegotiation): the SFU stops
// forwarding into it, and when it comes on stage again forwards nothing until
// the publisher's next keyframe begins (the worker asks for one), continuing the
// subscriber's sequence numbers where they stopped, so the decoder sees one
// unbroken stream that restarts on a keyframe.
//
// Plain functions over the room's data; used on the media worker's thread.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "media/participant.h"
#include "media/rtp_packet.h"

namespace egovbox::media {

inline constexpr std::size_t kDefaultLastN = 9;

// Whether the participant sends a camera now (a camera track, not muted).
bool SendsCamera(const Participant& participant);

// The participants whose camera `subscriber` does not receive. `order`: the room's
// participants, the most recent dominant speaker first, those who never spoke last
// (in the order they came). `last_n` 0: no limit.
std::vector<const Participant*> OffStage(std::span<const Participant* const> order, const Participant& subscriber,
                                         std::size_t last_n);

// On the forwarding path, per packet and section: false while the section is off
// stage; after it came on stage, false until a packet that begins a keyframe
// (from then on true, and the section's rewriter continues the stream).
bool ForwardsOnStage(SubscribeSection& section, const PublishedTrack& track, const RtpPacket& packet) noexcept;

}  // namespace egovbox::media
