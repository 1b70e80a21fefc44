// The browser's side of our SDP, for the tools that play browsers against the SFU
// (the unit tests' FakeBrowser and bench/sfu's egovbox-loadgen): the credentials of
// one client end, a minimal but real publish offer, the answer a browser gives to
// the SFU's subscribe offer, and the SFU's transport read back from its SDP.
//
// Plain functions of their arguments: no I/O, safe on any thread. Errors are empty
// optionals with a sentence in `error` (when not null); nothing throws.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "media/media_kind.h"

namespace egovbox::media {

// Calls `rewrite(line)` for each line of `sdp` (without its end) and joins what it
// returns with CRLF; a nullopt drops the line. Empty lines are dropped.
template <typename Rewrite>
std::string RewriteSdpLines(std::string_view sdp, Rewrite&& rewrite) {
  std::string out;
  while (!sdp.empty()) {
    const std::size_t end = sdp.find('\n');
    std::string_view line = sdp.substr(0, end);
    sdp = end == std::string_view::npos ? std::string_view() : sdp.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::optional<std::string> kept = rewrite(line);
    if (kept) out += *kept + "\r\n";
  }
  return out;
}

// The credentials and certificate of one end of a peer connection.
struct IceDtlsIdentity {
  std::string ufrag;
  std::string pwd;
  std::string fingerprint;  // "AB:CD:...", sha-256
};

// `sdp` with every a=ice-ufrag, a=ice-pwd and a=fingerprint replaced by `identity`'s.
std::string WithIdentity(std::string_view sdp, const IceDtlsIdentity& identity);

// What a browser answers to the SFU's subscribe offer: the same m-sections, DTLS
// client (a=setup:active), each sendonly section received (recvonly), inactive
// ones left inactive, no SSRCs or msid of its own, no candidates (the SFU is
// ICE-lite and learns the browser's address from its checks), its own ICE
// credentials and certificate.
std::string SubscribeAnswerFor(std::string_view offer, const IceDtlsIdentity& identity);

// One sendonly track of a publish offer.
struct ClientPublishTrack {
  MediaKind kind = MediaKind::kAudio;
  std::uint32_t ssrc = 0;
};

// The payload types and extension ids ClientPublishOffer uses (Chromium's).
inline constexpr std::uint8_t kClientOpusPayloadType = 111;
inline constexpr std::uint8_t kClientVp8PayloadType = 96;
inline constexpr std::uint8_t kClientAudioLevelId = 1;
inline constexpr std::uint8_t kClientAbsSendTimeId = 2;

// A browser's publish offer (RFC 8829 §5.2), cut to what the SFU needs: BUNDLE of
// mids "0", "1", ... in `tracks` order, rtcp-mux, a=setup:actpass, `identity`'s
// credentials, one sendonly m-section per track with Opus/48000/2 (audio) or
// VP8/90000 with nack, nack pli and ccm fir (video), ssrc-audio-level (audio) and
// abs-send-time, an a=ssrc with a cname and msid, and a host candidate on
// 127.0.0.1:`port`.
std::string ClientPublishOffer(const IceDtlsIdentity& identity, std::uint16_t port,
                               std::span<const ClientPublishTrack> tracks);

// The SFU's end as its SDP (offer or answer) tells it: ICE credentials,
// certificate fingerprint, setup and the first host candidate.
struct ServerTransport {
  IceDtlsIdentity identity;
  std::string setup;
  std::string candidate_ip;
  std::uint16_t candidate_port = 0;
};

std::optional<ServerTransport> ServerTransportOf(std::string_view sdp, std::string* error = nullptr);

}  // namespace egovbox::media
