// MediaWorker, loss and recovery (docs/media.md "Loss and recovery"): RTX from
// publishers unwrapped, video kept for NACKs, subscribers' Generic NACKs
// (RFC 4585 §6.2.1) answered from the retransmission buffer (as RTX, RFC 4588,
// where negotiated), and the publishers' own gaps NACKed, with a keyframe
// request when a packet cannot be had any more. On the worker's thread; nothing
// here allocates per packet.
#include <cstring>

#include "media/media_worker.h"
#include "media/rtx.h"
#include "media/sdp_negotiation.h"
#include "media/srtp_session.h"

namespace egovbox::media {

namespace {

// The SSRC the SFU signs its own RTCP with (as in media_worker.cc).
constexpr std::uint32_t kSfuSsrc = 1;
// Sequence numbers asked for in one NACK to a publisher per loop.
constexpr std::size_t kMaxNackedPerLoop = 64;
// Sequence numbers looked at in one subscriber's NACK packet; the rest are refused.
constexpr std::size_t kMaxLostPerNack = 128;

// Held by a host (the track, also for a simulcast layer's packets).
bool Held(const PublishedTrack& stream) {
  return (stream.layer_of != nullptr ? *stream.layer_of : stream).held;
}

// RFC 3550 §5.1: the SSRC in bytes 8-11 of a stored RTP packet.
std::uint32_t StoredSsrc(std::span<const std::uint8_t> stored) {
  constexpr std::size_t kSsrcAt = 8;
  constexpr std::size_t kSsrcEnd = kSsrcAt + 4;
  if (stored.size() < kSsrcEnd) return 0;
  return static_cast<std::uint32_t>(stored[kSsrcAt]) << 24U | static_cast<std::uint32_t>(stored[kSsrcAt + 1]) << 16U |
         static_cast<std::uint32_t>(stored[kSsrcAt + 2]) << 8U | stored[kSsrcAt + 3];
}

}  // namespace

PublishedTrack* MediaWorker::UnwrapPublished(Participant& publisher, std::span<std::uint8_t>& plain) {
  const auto packet = RtpPacket::Parse(plain);
  if (!packet) return nullptr;
  const std::uint32_t ssrc = packet->ssrc();
  for (const auto& track : publisher.tracks) {
    if (track->ssrc == ssrc) return track.get();
    if (track->rtx_ssrc == 0 || track->rtx_ssrc != ssrc || packet->payload_type() != track->rtx_payload_type) {
      continue;
    }
    // A padding-only RTX packet (a bandwidth probe) stays as it is: no stream's payload type.
    if (const auto original = UnwrapRtxPacket(plain, track->payload_type, track->ssrc)) plain = *original;
    return track.get();
  }
  return nullptr;
}

bool MediaWorker::KeepForRecovery(PublishedTrack& track, const RtpPacket& packet, Clock::time_point now) {
  if (!track.retransmissions) return true;
  const std::uint16_t sequence_number = packet.sequence_number();
  if (track.retransmissions->Find(sequence_number, now)) return false;
  // Held by a host: never forwarded, so never kept for a NACK nor asked for
  // (the gaps are followed only so that the next numbers are not new gaps).
  const bool held = Held(track);
  if (track.nack) {
    track.losses->Received(sequence_number, now);
    if (held) {
      track.losses->Forget();
      track.losses->TakeGaveUp();  // nor a keyframe asked for it
    }
  }
  if (!held) track.retransmissions->Store(packet.bytes(), sequence_number, now);
  return true;
}

void MediaWorker::HandleSubscriberNack(SubscribeSection& section, const RtcpNack& nack, Clock::time_point now) {
  statistics_.nacks_received.fetch_add(1, std::memory_order_relaxed);
  PublishedTrack& track = StreamOf(section);  // simulcast: the layer forwarded
  PeerConnection* out = section.subscriber->subscribe.get();
  if (!track.retransmissions || !section.negotiated || out == nullptr || !out->media_ready() || !out->address()) {
    return;
  }
  // Nothing goes to a subscriber that forwarding would not send it now: not
  // while a host holds the track, nor while Last-N keeps the camera off its stage
  // (or until the keyframe that brings it back).
  if (section.track->held || !section.on_stage || section.awaiting_keyframe) return;
  bool keyframe_needed = false;
  std::size_t looked_at = 0;
  nack.ForEachLostSequenceNumber([&](std::uint16_t lost) {
    if (looked_at == kMaxLostPerNack) return false;
    ++looked_at;
    const auto source = section.rewriter.SourceSequenceNumber(lost);
    const auto stored = source ? track.retransmissions->Find(*source, now) : std::nullopt;
    if (stored) {
      if (!section.resends.Allow(lost, now)) return true;  // resent within the interval
      if (section.resends.TakeBudget(track.retransmissions->packet_rate(), now)) {
        Resend(section, lost, *stored);
      } else {
        statistics_.rtx_refused.fetch_add(1, std::memory_order_relaxed);
      }
      return true;
    }
    // One the SFU never got is on its own NACK list to the publisher; the
    // retransmission is forwarded like any packet. Anything else is lost for good.
    if (!source || !track.nack || !track.losses->IsMissing(*source)) keyframe_needed = true;
    return true;
  });
  if (looked_at == kMaxLostPerNack) {
    statistics_.rtx_refused.fetch_add(nack.lost_count() - looked_at, std::memory_order_relaxed);
  }
  if (keyframe_needed) RequestKeyframe(*section.publisher, track);
}

void MediaWorker::Resend(SubscribeSection& section, std::uint16_t sequence_number,
                         std::span<const std::uint8_t> stored) {
  // Only the source the section forwards now (for simulcast, its current layer):
  // the rewriter's offsets are that source's.
  if (!section.rewriter.started() || StoredSsrc(stored) != section.rewriter.source_ssrc()) return;
  PublishedTrack& track = *section.track;
  PeerConnection& out = *section.subscriber->subscribe;
  const std::span<std::uint8_t> slot = NextSlot();
  // The stored packet is the publisher's: given the values it was forwarded with
  // (the NACKed number, the source's timestamp offset), the rewriter untouched.
  std::memcpy(slot.data(), stored.data(), stored.size());
  auto copy = RtpPacket::Parse(slot.first(stored.size()));
  if (!copy) return;
  const std::uint32_t stored_ssrc = copy->ssrc();
  copy->SetSsrc(section.ssrc);
  copy->SetSequenceNumber(sequence_number);
  copy->SetTimestamp(copy->timestamp() + section.rewriter.timestamp_offset());
  copy->SetPayloadType(track.out_payload_type);
  copy->RemapExtensionIds(track.extension_ids);
  // Simulcast: the same picture IDs as when it was forwarded (media/simulcast.h).
  if (!track.layers.empty()) section.simulcast.pictures.Rewrite(copy->payload(), stored_ssrc);
  std::size_t length = stored.size();
  if (section.rtx) {
    length =
        WrapRtxPacket(slot.first(slot.size() - kSrtpMaxTrailerLength), length,
                      SubscribeRtxPayloadType(track.out_payload_type), section.rtx_ssrc, section.rtx_sequence_number);
    if (length == 0) return;
    ++section.rtx_sequence_number;
  }
  const auto protected_length = out.outbound().ProtectRtp(slot, length);
  if (!protected_length) return;
  send_.Commit(*protected_length, *out.address());
  statistics_.rtp_retransmitted.fetch_add(1, std::memory_order_relaxed);
}

void MediaWorker::SendPublisherNacks(Clock::time_point now) {
  std::array<std::uint16_t, kMaxNackedPerLoop> due{};
  for (auto& entry : participants_) {
    Participant& publisher = *entry.second;  // a plain reference: lambdas cannot capture bindings (C++20)
    PeerConnection* connection = publisher.publish.get();
    if (connection == nullptr || !connection->media_ready()) continue;
    // Every published stream: a simulcast layer is NACKed on its own SSRC.
    ForEachPublishedStream(publisher, [&](PublishedTrack& stream) {
      PublishedTrack* const track = &stream;
      if (!track->losses || !track->nack) return;
      const std::size_t count = track->losses->missing() > 0 ? track->losses->TakeDue(now, due) : 0;
      if (count > 0) {
        const std::span<std::uint8_t> slot = NextSlot();
        SendRtcp(*connection, slot, WriteNack(slot, kSfuSsrc, track->ssrc, std::span(due).first(count)));
        statistics_.nacks_sent.fetch_add(1, std::memory_order_relaxed);
      }
      // RFC 4585 §3.6: what NACKs did not repair (or cannot) needs a new picture.
      if (track->losses->TakeGaveUp()) RequestKeyframe(publisher, *track);
    });
  }
}

}  // namespace egovbox::media
