// The SFU's offer/answer rules (docs/media.md "Two peer connections per
// participant") on top of the generic sdp.h.
//
// Publish: the browser offers its sendonly transceivers and AnswerPublishOffer
// writes our answer: ICE-lite, one BUNDLE transport, DTLS passive (we are the
// server unless the browser insists on being it), every usable m-section recvonly
// with one codec (Opus; VP8, or constrained-baseline H.264 when no VP8) and the
// header extensions the SFU reads, under the browser's ids.
//
// Subscribe: BuildSubscribeOffer writes our offer of one sendonly (or inactive)
// m-section per forwarded track with fixed payload types and extension ids, and
// ReadSubscribeAnswer checks the browser's answer to it.
//
// Simulcast (docs/media.md "Simulcast"): a VP8 video section offered with
// "a=simulcast:send" and its "a=rid:<id> send" lines (RFC 8853, RFC 8851) is
// answered "a=rid:<id> recv" and "a=simulcast:recv" for its first three rids,
// with the rtp-stream-id and repaired-rtp-stream-id extensions kept; `rids`
// lists them (lowest resolution first, as the page sends them). Such an offer has
// no a=ssrc lines: the SFU learns each layer's SSRC from the rid (and mid) header
// extensions of its first packets. Anything else with rids (H.264, more than one
// alternative per stream, paused rids only) is declined (RFC 8853 §5.3: the rid
// and simulcast lines left out), and Chromium then sends its first encoding alone.
//
// Errors are values: SdpError with a stable `code` (listed below) and a `detail`
// for logs. No function here throws; all are plain functions of their arguments,
// safe on any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "media/dtls_role.h"
#include "media/media_kind.h"

namespace egovbox::media {

// The header extensions the SFU reads from publishers.
inline constexpr std::string_view kExtensionAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
inline constexpr std::string_view kExtensionAbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kExtensionMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr std::string_view kExtensionRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr std::string_view kExtensionRepairedRtpStreamId =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

// What we send subscribers (docs/media.md: "Codecs forwarded").
inline constexpr std::uint8_t kSubscribeOpusPayloadType = 111;
inline constexpr std::uint8_t kSubscribeVp8PayloadType = 96;
inline constexpr std::uint8_t kSubscribeH264PayloadType = 102;
// RFC 4588 retransmissions of 96 and 102 (apt=96, apt=102), under their own SSRC.
inline constexpr std::uint8_t kSubscribeVp8RtxPayloadType = 97;
inline constexpr std::uint8_t kSubscribeH264RtxPayloadType = 103;
inline constexpr std::uint8_t kSubscribeAudioLevelId = 1;
inline constexpr std::uint8_t kSubscribeAbsSendTimeId = 2;

// The RTX payload type we offer subscribers for a media payload type we send; 0 for none (audio).
constexpr std::uint8_t SubscribeRtxPayloadType(std::uint8_t payload_type) {
  if (payload_type == kSubscribeVp8PayloadType) return kSubscribeVp8RtxPayloadType;
  if (payload_type == kSubscribeH264PayloadType) return kSubscribeH264RtxPayloadType;
  return 0;
}

struct IceCandidateAddress {
  std::string ip;  // IPv4 dotted or IPv6 text
  std::uint16_t port = 0;
  // Not 0: also a passive ICE-TCP host candidate on this port (RFC 6544 §4.5),
  // priced below every UDP one.
  std::uint16_t tcp_port = 0;
};

// Our end of every peer connection of one media worker.
struct LocalTransport {
  std::string ice_ufrag;    // RFC 8839 §5.4: 4+ ice-chars
  std::string ice_pwd;      // 22+ ice-chars
  std::string fingerprint;  // sha-256 of our certificate, "AB:CD:..."
  std::vector<IceCandidateAddress> candidates;
};

struct RtpCodec {
  std::uint8_t payload_type = 0;
  std::string name;  // as the offer spells it: "opus", "VP8", "H264"
  std::uint32_t clock_rate = 0;
  std::uint8_t channels = 0;         // 0 for video
  std::string fmtp;                  // as answered, "" if none
  std::vector<std::string> rtcp_fb;  // as answered: "nack", "nack pli", "ccm fir", "goog-remb"
  // RFC 4588 §8.6: the offer's rtx format with apt= this codec, answered beside it; 0 for none.
  std::uint8_t rtx_payload_type = 0;
};

struct NegotiatedExtension {
  std::uint8_t id = 0;  // 1..14 (one-byte header, RFC 8285 §4.2)
  std::string uri;
};

// One audio or video m-section of the browser's publish offer, as answered.
// Sections of other media (a data channel) are rejected and not listed.
struct PublishedSection {
  std::string mid;
  MediaKind kind = MediaKind::kAudio;
  // True when we answered recvonly: the browser sends on this mid. False for an
  // inactive section (codec etc. still filled in) or a rejected one (port 0: no
  // usable codec, or the offer had port 0; codec empty).
  bool sending = false;
  RtpCodec codec;
  std::vector<NegotiatedExtension> extensions;  // the accepted ones, with the browser's ids
  std::vector<std::uint32_t> ssrcs;             // from a=ssrc, primary first; RTX/FEC (ssrc-group FID, FEC-FR) left out
  // RFC 5576 §4.1: the second SSRC of the FID group of ssrcs.front() (its retransmissions); 0 for none.
  std::uint32_t rtx_ssrc = 0;
  std::string msid_stream;
  std::string msid_track;
  // Simulcast: the rids answered recv, in the offer's a=simulcast order; empty without.
  std::vector<std::string> rids;
};

struct PublishNegotiation {
  std::string answer_sdp;
  std::string remote_ufrag;
  std::string remote_pwd;
  std::string remote_fingerprint;  // sha-256, "AB:CD:..." uppercase
  DtlsRole local_role = DtlsRole::kServer;
  std::vector<PublishedSection> sections;  // in the offer's order
};

// `code` is one of: "sdp-malformed", "no-bundle", "no-rtcp-mux", "no-fingerprint",
// "no-ice-credentials", "no-common-codec" (no section could be accepted),
// "unsupported-setup", "mid-mismatch" (an answer whose m-sections are not those offered).
struct SdpError {
  std::string code;
  std::string detail;
};

// RFC 8829 §5.3 (JSEP answer) under the rules above. `session_id` and `version`
// go into the o= line: keep the id for the connection and raise the version by
// one per answer (RFC 8866 §5.2). The first accepted section carries our
// candidates and a=end-of-candidates. A section is rejected (port 0, left out of
// the answer's BUNDLE) when the offer rejected it, when it is not audio or video,
// not UDP/TLS/RTP/SAVPF, outside the offer's BUNDLE group, or has no usable codec.
// Other answer choices: rtcp-fb limited to nack, nack pli, ccm fir and goog-remb
// (no transport-cc, so the browser takes our REMB); the offer's rtx format for the
// chosen codec (RFC 4588 §8.6) when it has one; no red, ulpfec, rtcp-rsize
// or extmap-allow-mixed, so extensions use one-byte headers and ids 1..14; Opus
// fmtp keeps minptime and sets useinbandfec=1. The ICE credentials, fingerprint
// and setup are read from the first accepted section, else the session level;
// without a=setup the browser is active (RFC 4145 §4).
std::variant<PublishNegotiation, SdpError> AnswerPublishOffer(std::string_view offer, const LocalTransport& local,
                                                              std::uint64_t session_id, std::uint64_t version) noexcept;

// One m-section of our subscribe offer. An active one sends `ssrc` under
// `stream_id`/`track_id` (a=msid, a=ssrc cname and msid); an inactive one only keeps
// its mid (docs/media.md: a mid keeps its m-section for the connection's life).
struct SubscribedSection {
  std::string mid;
  MediaKind kind = MediaKind::kAudio;
  bool active = false;
  std::uint32_t ssrc = 0;
  std::string cname;
  std::string stream_id;
  std::string track_id;
  // RFC 4588: an active video section's retransmission SSRC (a=ssrc-group:FID
  // ssrc rtx_ssrc); 0 for none.
  std::uint32_t rtx_ssrc = 0;
};

// Our offer (RFC 8829 §5.2): ICE-lite, a=setup:actpass, BUNDLE of every mid in
// `sections` order, Opus PT 111 (minptime=10;useinbandfec=1) for audio, VP8 PT 96
// and H.264 PT 102 (packetization-mode=1, profile-level-id=42e01f,
// level-asymmetry-allowed=1) for video with rtcp-fb nack, nack pli, ccm fir and
// goog-remb, each followed by its rtx format (97 apt=96, 103 apt=102), and extensions ssrc-audio-level id 1 (audio) and
// abs-send-time id 2. The first section carries our candidates. Mids, ids and cnames must be SDP tokens (no spaces);
// the caller makes them.
std::string BuildSubscribeOffer(const LocalTransport& local, std::uint64_t session_id, std::uint64_t version,
                                std::span<const SubscribedSection> sections);

struct SubscribeNegotiation {
  std::string remote_ufrag;
  std::string remote_pwd;
  std::string remote_fingerprint;  // sha-256, "AB:CD:..." uppercase
  DtlsRole local_role = DtlsRole::kServer;
  std::vector<std::string> accepted_mids;  // answered recvonly, in offer order
  // For each accepted section, each of our rtx payload types its answer kept (with
  // the apt we offered): retransmissions there may go as RTX (RFC 4588).
  std::vector<std::pair<std::string, std::uint8_t>> rtx_payload_types;
};

// The browser's answer to BuildSubscribeOffer(`offered`): its m-sections must be
// the offered mids in order; a=setup:active makes us the DTLS server, passive the
// client. When every section is rejected (port 0) the transport fields are empty.
std::variant<SubscribeNegotiation, SdpError> ReadSubscribeAnswer(std::string_view answer,
                                                                 std::span<const SubscribedSection> offered) noexcept;

}  // namespace egovbox::media
