#include "media/client_sdp.h"

#include <sstream>
#include <variant>

#include "media/sdp.h"

namespace egovbox::media {

std::string WithIdentity(std::string_view sdp, const IceDtlsIdentity& identity) {
  return RewriteSdpLines(sdp, [&](std::string_view line) -> std::optional<std::string> {
    if (line.starts_with("a=ice-ufrag:")) return "a=ice-ufrag:" + identity.ufrag;
    if (line.starts_with("a=ice-pwd:")) return "a=ice-pwd:" + identity.pwd;
    if (line.starts_with("a=fingerprint:")) return "a=fingerprint:sha-256 " + identity.fingerprint;
    return std::string(line);
  });
}

std::string SubscribeAnswerFor(std::string_view offer, const IceDtlsIdentity& identity) {
  return RewriteSdpLines(WithIdentity(offer, identity), [](std::string_view line) -> std::optional<std::string> {
    if (line == "a=ice-lite" || line == "a=end-of-candidates") return std::nullopt;
    if (line.starts_with("a=candidate:") || line.starts_with("a=ssrc:") || line.starts_with("a=msid:")) {
      return std::nullopt;
    }
    // RFC 5763 §5: the answerer to an actpass offer picks; a browser is active.
    if (line == "a=setup:actpass") return std::string("a=setup:active");
    if (line == "a=sendonly") return std::string("a=recvonly");
    return std::string(line);
  });
}

std::string ClientPublishOffer(const IceDtlsIdentity& identity, std::uint16_t port,
                               std::span<const ClientPublishTrack> tracks) {
  const std::string stream = "stream-" + identity.ufrag;
  const std::string cname = "cname-" + identity.ufrag;
  std::ostringstream sdp;
  sdp << "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE";
  for (std::size_t i = 0; i < tracks.size(); ++i) sdp << ' ' << i;
  sdp << "\r\na=msid-semantic: WMS " << stream << "\r\n";
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const ClientPublishTrack& track = tracks[i];
    const bool audio = track.kind == MediaKind::kAudio;
    const int pt = audio ? kClientOpusPayloadType : kClientVp8PayloadType;
    const std::string track_id = "track-" + identity.ufrag + "-" + std::to_string(i);
    sdp << (audio ? "m=audio " : "m=video ") << port << " UDP/TLS/RTP/SAVPF " << pt << "\r\n"
        << "c=IN IP4 127.0.0.1\r\n"
        << "a=candidate:1 1 udp 2122260223 127.0.0.1 " << port << " typ host\r\n"
        << "a=ice-ufrag:" << identity.ufrag << "\r\na=ice-pwd:" << identity.pwd << "\r\n"
        << "a=fingerprint:sha-256 " << identity.fingerprint << "\r\na=setup:actpass\r\n"
        << "a=mid:" << i << "\r\n";
    if (audio) sdp << "a=extmap:" << int{kClientAudioLevelId} << " urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n";
    sdp << "a=extmap:" << int{kClientAbsSendTimeId} << " http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
        << "a=sendonly\r\na=msid:" << stream << ' ' << track_id << "\r\na=rtcp-mux\r\n";
    if (audio) {
      sdp << "a=rtpmap:" << pt << " opus/48000/2\r\na=fmtp:" << pt << " minptime=10;useinbandfec=1\r\n";
    } else {
      sdp << "a=rtpmap:" << pt << " VP8/90000\r\n";
      for (const char* feedback : {"nack", "nack pli", "ccm fir"})
        sdp << "a=rtcp-fb:" << pt << ' ' << feedback << "\r\n";
    }
    sdp << "a=ssrc:" << track.ssrc << " cname:" << cname << "\r\n"
        << "a=ssrc:" << track.ssrc << " msid:" << stream << ' ' << track_id << "\r\n";
  }
  return sdp.str();
}

std::optional<ServerTransport> ServerTransportOf(std::string_view sdp, std::string* error) {
  const auto fail = [&](std::string reason) -> std::optional<ServerTransport> {
    if (error != nullptr) *error = std::move(reason);
    return std::nullopt;
  };
  auto parsed = ParseSdp(sdp);
  if (const auto* parse_error = std::get_if<SdpParseError>(&parsed)) {
    return fail("SDP line " + std::to_string(parse_error->line) + ": " + parse_error->reason);
  }
  const auto& description = std::get<SessionDescription>(parsed);
  if (description.media.empty()) return fail("the SFU's SDP has no m-section");
  const SdpMediaSection& first = description.media.front();
  const auto ufrag = first.Find("ice-ufrag");
  const auto pwd = first.Find("ice-pwd");
  const auto fingerprint_line = first.Find("fingerprint");
  const auto fingerprint = fingerprint_line ? ParseFingerprint(*fingerprint_line) : std::nullopt;
  const auto setup = first.Find("setup");
  const auto candidate_line = first.Find("candidate");
  const auto candidate = candidate_line ? ParseCandidate(*candidate_line) : std::nullopt;
  if (!ufrag || !pwd || !fingerprint || !setup || !candidate) return fail("the SFU's SDP lacks its transport");
  return ServerTransport{{std::string(*ufrag), std::string(*pwd), fingerprint->value},
                         std::string(*setup),
                         candidate->address,
                         candidate->port};
}

}  // namespace egovbox::media
