#include "media/sdp_negotiation.h"

#include <algorithm>
#include <array>
#include <new>
#include <optional>
#include <set>
#include <utility>

#include "media/sdp.h"

namespace egovbox::media {
namespace {

constexpr std::string_view kRtpProfile = "UDP/TLS/RTP/SAVPF";
constexpr std::string_view kSha256 = "sha-256";
constexpr std::uint16_t kDiscardPort = 9;  // RFC 8829 §5.2.1: the port of a section without a default candidate
constexpr std::string_view kNoAddress = "IN IP4 0.0.0.0";
constexpr std::uint32_t kOpusClockRate = 48000;
constexpr std::uint8_t kOpusChannels = 2;
constexpr std::uint32_t kVideoClockRate = 90000;
constexpr std::uint8_t kMaxOneByteExtensionId = 14;  // RFC 8285 §4.2
// RFC 8445 §5.1.2.1: priority = 2^24 * type preference + 2^8 * local preference + (256 - component);
// host candidates get type preference 126, the first one local preference 65535.
constexpr std::uint32_t kHostTypePreference = 126;
constexpr std::uint32_t kMaxLocalPreference = 65535;
constexpr std::uint32_t kComponentRtp = 1;
// RFC 6544 §4.2: TCP candidates rank below UDP ones (type preference 90 against
// 126, as libwebrtc ranks its own); local preference = 2^13 * direction-pref +
// other-pref, direction-pref 4 for a passive host candidate.
constexpr std::uint32_t kTcpHostTypePreference = 90;
constexpr std::uint32_t kPassiveDirectionPreference = 4;
constexpr std::uint32_t kDirectionPreferenceShift = 13;
constexpr std::uint32_t kMaxTcpOtherPreference = (1U << kDirectionPreferenceShift) - 1;

constexpr std::array<std::string_view, 5> kPublishExtensions = {
    kExtensionAudioLevel, kExtensionAbsSendTime, kExtensionMid, kExtensionRtpStreamId, kExtensionRepairedRtpStreamId};
// RFC 4585 §4.2, RFC 5104 §7.1, and REMB: the feedback the SFU takes part in.
// transport-cc is left out: the SFU sends REMB, not transport-wide feedback. Plain
// nack both ways: the SFU answers subscribers' NACKs from its retransmission
// buffers and NACKs what publishers' streams miss (docs/media.md "Loss and recovery").
constexpr std::array<std::string_view, 4> kFeedback = {"nack", "nack pli", "ccm fir", "goog-remb"};
constexpr std::string_view kRtxEncoding = "rtx";  // RFC 4588 §8.6
// Opus parameters kept in the publish answer (RFC 7587 §7): everything else, such
// as stereo=1 or usedtx=1, would ask the browser for more than the SFU forwards.
constexpr std::array<std::string_view, 2> kOpusParameters = {"minptime", "useinbandfec"};
constexpr std::string_view kSubscribeOpusFmtp = "minptime=10;useinbandfec=1";
constexpr std::string_view kSubscribeH264Fmtp =
    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

SdpError Error(std::string code, std::string detail) {
  return SdpError{std::move(code), std::move(detail)};
}

// A transport attribute: in the section (JSEP puts them in each), else at session level.
std::optional<std::string_view> FindTransportAttribute(const SdpMediaSection& section,
                                                       const SessionDescription& description, std::string_view name) {
  if (auto value = section.Find(name)) return value;
  return description.session.Find(name);
}

struct RemoteTransport {
  std::string ufrag;
  std::string pwd;
  std::string fingerprint;
  SdpSetup setup = SdpSetup::kActive;
};

// The browser's ICE credentials, sha-256 fingerprint and DTLS setup, read from the
// section that carries the bundle's transport.
std::variant<RemoteTransport, SdpError> ReadRemoteTransport(const SdpMediaSection& section,
                                                            const SessionDescription& description) {
  RemoteTransport transport;
  const auto ufrag = FindTransportAttribute(section, description, "ice-ufrag");
  const auto pwd = FindTransportAttribute(section, description, "ice-pwd");
  if (!ufrag || !pwd) return Error("no-ice-credentials", "no a=ice-ufrag or a=ice-pwd");
  if (!IsValidIceUfrag(*ufrag) || !IsValidIcePwd(*pwd)) return Error("no-ice-credentials", "malformed ICE credentials");
  transport.ufrag = std::string(*ufrag);
  transport.pwd = std::string(*pwd);

  // RFC 8122 §5: there may be several fingerprints; the SFU checks the sha-256 one.
  std::vector<std::string_view> fingerprints = section.FindAll("fingerprint");
  if (fingerprints.empty()) fingerprints = description.session.FindAll("fingerprint");
  for (const std::string_view value : fingerprints) {
    const auto fingerprint = ParseFingerprint(value);
    if (fingerprint && fingerprint->hash_function == kSha256) {
      transport.fingerprint = fingerprint->value;
      break;
    }
  }
  if (transport.fingerprint.empty()) return Error("no-fingerprint", "no a=fingerprint:sha-256");

  // RFC 4145 §4: without a=setup the endpoint is active.
  if (const auto setup_text = FindTransportAttribute(section, description, "setup")) {
    const auto setup = ParseSetup(*setup_text);
    if (!setup || *setup == SdpSetup::kHoldconn) {
      return Error("unsupported-setup", "a=setup:" + std::string(*setup_text));
    }
    transport.setup = *setup;
  }
  return transport;
}

// Our ICE-lite host candidates (RFC 8839 §5.1), one per worker address.
void AddCandidates(SdpMediaSection& section, const LocalTransport& local) {
  std::uint32_t index = 0;
  for (const IceCandidateAddress& address : local.candidates) {
    SdpCandidate candidate;
    candidate.foundation = std::to_string(index + 1);
    candidate.component = kComponentRtp;
    candidate.transport = "udp";
    candidate.priority = (kHostTypePreference << 24U) + ((kMaxLocalPreference - index) << 8U) + (256 - kComponentRtp);
    candidate.address = address.ip;
    candidate.port = address.port;
    candidate.type = "host";
    section.AddAttribute("candidate", FormatCandidate(candidate));
    ++index;
  }
  // RFC 6544 §4.5: the passive candidates browsers whose UDP is blocked connect
  // out to; other foundations than the UDP ones (RFC 8445 §5.1.1.3: another transport).
  std::uint32_t tcp_index = 0;
  for (const IceCandidateAddress& address : local.candidates) {
    if (address.tcp_port == 0) continue;
    SdpCandidate candidate;
    candidate.foundation = std::to_string(local.candidates.size() + tcp_index + 1);
    candidate.component = kComponentRtp;
    candidate.transport = "tcp";
    const std::uint32_t local_preference = (kPassiveDirectionPreference << kDirectionPreferenceShift) +
                                           (kMaxTcpOtherPreference - std::min(tcp_index, kMaxTcpOtherPreference));
    candidate.priority = (kTcpHostTypePreference << 24U) + (local_preference << 8U) + (256 - kComponentRtp);
    candidate.address = address.ip;
    candidate.port = address.tcp_port;
    candidate.type = "host";
    candidate.extensions = "tcptype passive";
    section.AddAttribute("candidate", FormatCandidate(candidate));
    ++tcp_index;
  }
  section.AddProperty("end-of-candidates");
}

void AddLocalTransport(SdpMediaSection& section, const LocalTransport& local, SdpSetup setup) {
  section.AddAttribute("ice-ufrag", local.ice_ufrag);
  section.AddAttribute("ice-pwd", local.ice_pwd);
  section.AddAttribute("fingerprint", std::string(kSha256) + ' ' + local.fingerprint);
  section.AddAttribute("setup", std::string(SdpSetupName(setup)));
}

SessionDescription NewDescription(std::uint64_t session_id, std::uint64_t version) {
  SessionDescription description;
  description.session.AddLine('v', "0");
  description.session.AddLine(
      'o', "- " + std::to_string(session_id) + ' ' + std::to_string(version) + ' ' + std::string(kNoAddress));
  description.session.AddLine('s', "-");
  description.session.AddLine('t', "0 0");
  // RFC 8445 §2.5: we only answer connectivity checks.
  description.session.AddProperty("ice-lite");
  return description;
}

// --- Publish ----------------------------------------------------------------------

std::optional<std::string_view> FmtpOf(const SdpMediaSection& section, std::uint8_t payload_type) {
  for (const std::string_view value : section.FindAll("fmtp")) {
    const auto fmtp = ParseFmtp(value);
    if (fmtp && fmtp->payload_type == payload_type) return value.substr(value.find(' ') + 1);
  }
  return std::nullopt;
}

std::string FmtpParameter(std::string_view parameters, std::string_view key) {
  for (const auto& [name, value] : SplitFmtpParameters(parameters)) {
    if (EqualsIgnoringCase(name, key)) return value;
  }
  return {};
}

// RFC 6184 §8.1: profile-level-id is profile_idc, profile-iop, level_idc in hex.
// 0x42 is Baseline; with constraint_set1_flag (0x40 in profile-iop) it is
// Constrained Baseline, what every browser decodes. 0 = unusable, 1 = Baseline, 2 = Constrained Baseline.
int H264Preference(std::string_view parameters) {
  if (FmtpParameter(parameters, "packetization-mode") != "1") return 0;
  const std::string profile = FmtpParameter(parameters, "profile-level-id");
  constexpr std::size_t kProfileLevelIdSize = 6;
  constexpr unsigned kBaselineProfileIdc = 0x42;
  constexpr unsigned kConstraintSet1 = 0x40;
  if (profile.size() != kProfileLevelIdSize) return 0;
  unsigned value = 0;
  for (const char c : profile) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return 0;
    }
    value = value << 4U | digit;
  }
  if ((value >> 16U) != kBaselineProfileIdc) return 0;
  return ((value >> 8U) & kConstraintSet1) != 0 ? 2 : 1;
}

// H.264 only without VP8: Constrained Baseline before plain Baseline, then the offer's order.
const SdpRtpMap* ChooseH264(const SdpMediaSection& section, const std::vector<SdpRtpMap>& rtpmaps) {
  const SdpRtpMap* chosen = nullptr;
  int best = 0;
  for (const SdpRtpMap& rtpmap : rtpmaps) {
    if (!EqualsIgnoringCase(rtpmap.encoding, "H264") || rtpmap.clock_rate != kVideoClockRate) continue;
    const int preference = H264Preference(FmtpOf(section, rtpmap.payload_type).value_or(""));
    if (preference > best) {
      best = preference;
      chosen = &rtpmap;
    }
  }
  return chosen;
}

// RFC 4588 §8.6: the section's "rtx/<clock rate>" format whose fmtp says apt=<payload_type>; 0 for none.
std::uint8_t RtxPayloadTypeFor(const SdpMediaSection& section, std::uint8_t payload_type) {
  for (const std::string_view value : section.FindAll("rtpmap")) {
    const auto rtpmap = ParseRtpMap(value);
    if (!rtpmap || !EqualsIgnoringCase(rtpmap->encoding, kRtxEncoding) || rtpmap->clock_rate != kVideoClockRate) {
      continue;
    }
    const bool listed = std::find(section.formats.begin(), section.formats.end(),
                                  std::to_string(rtpmap->payload_type)) != section.formats.end();
    const auto fmtp = FmtpOf(section, rtpmap->payload_type);
    if (listed && fmtp && FmtpParameter(*fmtp, "apt") == std::to_string(payload_type)) return rtpmap->payload_type;
  }
  return 0;
}

// The one codec we take from the section: the first acceptable in the offer's order.
std::optional<RtpCodec> ChooseCodec(const SdpMediaSection& section, MediaKind kind) {
  std::vector<SdpRtpMap> rtpmaps;
  for (const std::string& format : section.formats) {
    for (const std::string_view value : section.FindAll("rtpmap")) {
      const auto rtpmap = ParseRtpMap(value);
      if (rtpmap && std::to_string(rtpmap->payload_type) == format) {
        rtpmaps.push_back(*rtpmap);
        break;
      }
    }
  }
  const SdpRtpMap* chosen = nullptr;
  if (kind == MediaKind::kAudio) {
    for (const SdpRtpMap& rtpmap : rtpmaps) {
      if (EqualsIgnoringCase(rtpmap.encoding, "opus") && rtpmap.clock_rate == kOpusClockRate &&
          rtpmap.channels == kOpusChannels) {
        chosen = &rtpmap;
        break;
      }
    }
  } else {
    for (const SdpRtpMap& rtpmap : rtpmaps) {
      if (EqualsIgnoringCase(rtpmap.encoding, "VP8") && rtpmap.clock_rate == kVideoClockRate) {
        chosen = &rtpmap;
        break;
      }
    }
    if (chosen == nullptr) chosen = ChooseH264(section, rtpmaps);
  }
  if (chosen == nullptr) return std::nullopt;

  RtpCodec codec;
  codec.payload_type = chosen->payload_type;
  codec.name = chosen->encoding;
  codec.clock_rate = chosen->clock_rate;
  codec.channels = kind == MediaKind::kAudio ? chosen->channels : 0;
  const std::string_view offered_fmtp = FmtpOf(section, codec.payload_type).value_or("");
  if (kind == MediaKind::kAudio) {
    // RFC 7587 §7: useinbandfec=1 asks the sender for in-band FEC, which the SFU forwards.
    std::vector<std::pair<std::string, std::string>> kept;
    for (auto& [key, value] : SplitFmtpParameters(offered_fmtp)) {
      if (Contains(kOpusParameters, key) && key != "useinbandfec") kept.emplace_back(key, value);
    }
    kept.emplace_back("useinbandfec", "1");
    codec.fmtp = JoinFmtpParameters(kept);
  } else {
    codec.fmtp = std::string(offered_fmtp);
  }
  if (kind == MediaKind::kVideo) codec.rtx_payload_type = RtxPayloadTypeFor(section, codec.payload_type);
  for (const std::string_view value : section.FindAll("rtcp-fb")) {
    const auto rtcp_fb = ParseRtcpFb(value);
    if (!rtcp_fb || (rtcp_fb->payload_type && *rtcp_fb->payload_type != codec.payload_type)) continue;
    if (Contains(kFeedback, rtcp_fb->feedback) &&
        std::find(codec.rtcp_fb.begin(), codec.rtcp_fb.end(), rtcp_fb->feedback) == codec.rtcp_fb.end()) {
      codec.rtcp_fb.push_back(rtcp_fb->feedback);
    }
  }
  return codec;
}

// The offer's extensions we read, with its ids; RFC 8285 §7: an answer keeps the
// offer's id, and a sendonly one is answered recvonly.
std::vector<SdpExtmap> ChooseExtensions(const SdpMediaSection& section, const SessionDescription& description) {
  std::vector<SdpExtmap> chosen;
  std::vector<std::string_view> values = description.session.FindAll("extmap");
  const std::vector<std::string_view> own = section.FindAll("extmap");
  values.insert(values.end(), own.begin(), own.end());
  for (const std::string_view value : values) {
    auto extmap = ParseExtmap(value);
    if (!extmap || extmap->id > kMaxOneByteExtensionId || !Contains(kPublishExtensions, extmap->uri)) continue;
    if (extmap->direction == SdpDirection::kRecvOnly || extmap->direction == SdpDirection::kInactive) continue;
    const bool taken = std::any_of(chosen.begin(), chosen.end(), [&](const SdpExtmap& other) {
      return other.id == extmap->id || other.uri == extmap->uri;
    });
    if (taken) continue;
    if (extmap->direction == SdpDirection::kSendOnly)
      extmap->direction = SdpDirection::kRecvOnly;
    else
      extmap->direction.reset();
    extmap->attributes.clear();
    chosen.push_back(std::move(*extmap));
  }
  return chosen;
}

// RFC 5576 §4: the section's SSRCs in order, without the repair streams named as
// the second and later members of an FID (RFC 4588) or FEC-FR (RFC 5956) group.
std::vector<std::uint32_t> PrimarySsrcs(const SdpMediaSection& section) {
  std::set<std::uint32_t> repair;
  for (const std::string_view value : section.FindAll("ssrc-group")) {
    const auto group = ParseSsrcGroup(value);
    if (!group || (group->semantics != "FID" && group->semantics != "FEC-FR")) continue;
    repair.insert(group->ssrcs.begin() + 1, group->ssrcs.end());
  }
  std::vector<std::uint32_t> ssrcs;
  for (const std::string_view value : section.FindAll("ssrc")) {
    const auto ssrc = ParseSsrc(value);
    if (!ssrc || repair.contains(ssrc->ssrc)) continue;
    if (std::find(ssrcs.begin(), ssrcs.end(), ssrc->ssrc) == ssrcs.end()) ssrcs.push_back(ssrc->ssrc);
  }
  return ssrcs;
}

// RFC 5576 §4.2, RFC 4588 §8.6: the retransmission SSRC paired with `primary` by an FID group; 0 for none.
std::uint32_t RtxSsrcOf(const SdpMediaSection& section, std::uint32_t primary) {
  for (const std::string_view value : section.FindAll("ssrc-group")) {
    const auto group = ParseSsrcGroup(value);
    if (group && group->semantics == "FID" && group->ssrcs.size() == 2 && group->ssrcs[0] == primary) {
      return group->ssrcs[1];
    }
  }
  return 0;
}

void ReadMsid(const SdpMediaSection& section, PublishedSection& published) {
  std::optional<SdpMsid> msid;
  if (const auto value = section.Find("msid")) msid = ParseMsid(*value);
  // Before RFC 8830's a=msid, the same went in "a=ssrc:<ssrc> msid:<stream> <track>".
  for (const std::string_view value : section.FindAll("ssrc")) {
    if (msid) break;
    const auto ssrc = ParseSsrc(value);
    if (ssrc && ssrc->attribute == "msid") msid = ParseMsid(ssrc->value);
  }
  if (!msid) return;
  published.msid_stream = msid->stream;
  published.msid_track = msid->track;
}

SdpMediaSection RejectedSection(const SdpMediaSection& offered, const std::string& mid) {
  // RFC 3264 §6: a rejected stream has port 0; the formats may stay as offered.
  SdpMediaSection section;
  section.media = offered.media;
  section.port = 0;
  section.proto = offered.proto;
  section.formats = offered.formats;
  section.AddLine('c', std::string(kNoAddress));
  if (!mid.empty()) section.AddAttribute("mid", mid);
  return section;
}

// Whether this offered section asks us to receive: RFC 3264 §6.1, sendonly and
// sendrecv are answered recvonly; recvonly and inactive inactive.
bool OfferSends(const SdpMediaSection& section) {
  const SdpDirection direction = FindDirection(section).value_or(SdpDirection::kSendRecv);
  return direction == SdpDirection::kSendOnly || direction == SdpDirection::kSendRecv;
}

// RFC 4588 §8.6: "a=rtpmap:<rtx> rtx/90000" and "a=fmtp:<rtx> apt=<media>".
void AddRtxFormat(SdpMediaSection& section, std::uint8_t rtx_payload_type, std::uint8_t media_payload_type) {
  section.AddAttribute("rtpmap",
                       FormatRtpMap(SdpRtpMap{rtx_payload_type, std::string(kRtxEncoding), kVideoClockRate, 0}));
  section.AddAttribute("fmtp", std::to_string(rtx_payload_type) + " apt=" + std::to_string(media_payload_type));
}

// RFC 8853 §5.1, RFC 8851 §4: the rids of a VP8 section's "a=simulcast:send",
// each a stream of one alternative that is not paused and has its "a=rid:<id>
// send" line; at most kMaxAnsweredRids. Fewer than two: simulcast is declined.
std::vector<std::string> SimulcastRids(const SdpMediaSection& section, const RtpCodec& codec) {
  constexpr std::size_t kMaxAnsweredRids = 3;
  std::vector<std::string> rids;
  const auto value = section.Find("simulcast");
  const auto simulcast = value ? ParseSimulcast(*value) : std::nullopt;
  if (!simulcast || !EqualsIgnoringCase(codec.name, "VP8")) return rids;
  std::set<std::string> sent;
  for (const std::string_view line : section.FindAll("rid")) {
    const auto rid = ParseRid(line);
    if (rid && rid->send) sent.insert(rid->id);
  }
  for (const auto& stream : simulcast->send) {
    if (rids.size() == kMaxAnsweredRids) break;
    if (stream.size() != 1 || stream.front().paused || !sent.contains(stream.front().rid)) continue;
    if (std::find(rids.begin(), rids.end(), stream.front().rid) == rids.end()) rids.push_back(stream.front().rid);
  }
  if (rids.size() < 2) rids.clear();
  return rids;
}

std::variant<PublishNegotiation, SdpError> AnswerPublish(std::string_view offer_text, const LocalTransport& local,
                                                         std::uint64_t session_id, std::uint64_t version) {
  auto parsed = ParseSdp(offer_text);
  if (const auto* error = std::get_if<SdpParseError>(&parsed)) {
    return Error("sdp-malformed", "line " + std::to_string(error->line) + ": " + error->reason);
  }
  const SessionDescription& offer = std::get<SessionDescription>(parsed);
  const auto bundle = FindBundleGroup(offer);
  if (!bundle) return Error("no-bundle", "no a=group:BUNDLE");

  struct Plan {
    std::string mid;
    bool accepted = false;  // a live, bundled m-section in the answer (recvonly or inactive)
    std::optional<MediaKind> kind;
    std::optional<RtpCodec> codec;
  };
  std::vector<Plan> plans;
  std::set<std::string> mids;
  bool any_live = false;
  for (const SdpMediaSection& section : offer.media) {
    Plan plan;
    plan.mid = std::string(section.Find("mid").value_or(""));
    // RFC 8843 §7.2: every bundled section has a mid; JSEP gives every section one.
    if (!IsSdpToken(plan.mid)) return Error("sdp-malformed", "an m-section without a=mid");
    if (!mids.insert(plan.mid).second) return Error("sdp-malformed", "a=mid:" + plan.mid + " twice");
    plan.kind = MediaKindFromName(section.media);
    // RFC 8843 §6: a=bundle-only sections come with port 0 but are not rejected.
    const bool live = section.port != 0 || section.Has("bundle-only");
    any_live = any_live || live;
    const bool bundled = std::find(bundle->mids.begin(), bundle->mids.end(), plan.mid) != bundle->mids.end();
    if (live && bundled && plan.kind && section.proto == kRtpProfile) {
      plan.codec = ChooseCodec(section, *plan.kind);
      plan.accepted = plan.codec.has_value();
    }
    plans.push_back(std::move(plan));
  }
  const auto first_accepted = std::find_if(plans.begin(), plans.end(), [](const Plan& plan) { return plan.accepted; });
  // An offer whose every section was already rejected (port 0) is answered in kind.
  if (first_accepted == plans.end() && any_live) {
    return Error("no-common-codec", "no m-section with Opus, VP8 or H.264 baseline");
  }
  for (std::size_t index = 0; index < plans.size(); ++index) {
    if (plans[index].accepted && !offer.media[index].Has("rtcp-mux")) {
      return Error("no-rtcp-mux", "no a=rtcp-mux in a=mid:" + plans[index].mid);
    }
  }

  PublishNegotiation negotiation;
  SdpSetup local_setup = SdpSetup::kPassive;
  if (first_accepted != plans.end()) {
    const auto index = static_cast<std::size_t>(first_accepted - plans.begin());
    auto remote = ReadRemoteTransport(offer.media[index], offer);
    if (auto* error = std::get_if<SdpError>(&remote)) return std::move(*error);
    auto& transport = std::get<RemoteTransport>(remote);
    negotiation.remote_ufrag = std::move(transport.ufrag);
    negotiation.remote_pwd = std::move(transport.pwd);
    negotiation.remote_fingerprint = std::move(transport.fingerprint);
    // RFC 8842 §3: actpass or active offered, we are passive: the DTLS server.
    if (transport.setup == SdpSetup::kPassive) local_setup = SdpSetup::kActive;
  }
  negotiation.local_role = local_setup == SdpSetup::kPassive ? DtlsRole::kServer : DtlsRole::kClient;

  SessionDescription answer = NewDescription(session_id, version);
  SdpGroup answer_bundle{"BUNDLE", {}};
  for (const Plan& plan : plans) {
    if (plan.accepted) answer_bundle.mids.push_back(plan.mid);
  }
  if (!answer_bundle.mids.empty()) answer.session.AddAttribute("group", FormatGroup(answer_bundle));
  answer.session.AddAttribute("msid-semantic", " WMS");

  bool candidates_written = false;
  for (std::size_t index = 0; index < plans.size(); ++index) {
    const Plan& plan = plans[index];
    const SdpMediaSection& offered = offer.media[index];
    const std::vector<SdpExtmap> extensions =
        plan.accepted ? ChooseExtensions(offered, offer) : std::vector<SdpExtmap>{};
    const std::vector<std::string> rids =
        plan.accepted ? SimulcastRids(offered, *plan.codec) : std::vector<std::string>{};
    if (plan.kind) {
      PublishedSection published;
      published.mid = plan.mid;
      published.kind = *plan.kind;
      published.sending = plan.accepted && OfferSends(offered);
      if (plan.accepted) {
        published.codec = *plan.codec;
        for (const SdpExtmap& extmap : extensions) {
          published.extensions.push_back(NegotiatedExtension{static_cast<std::uint8_t>(extmap.id), extmap.uri});
        }
        published.ssrcs = PrimarySsrcs(offered);
        if (plan.codec->rtx_payload_type != 0 && !published.ssrcs.empty()) {
          published.rtx_ssrc = RtxSsrcOf(offered, published.ssrcs.front());
        }
        ReadMsid(offered, published);
        published.rids = rids;
      }
      negotiation.sections.push_back(std::move(published));
    }
    if (!plan.accepted) {
      answer.media.push_back(RejectedSection(offered, plan.mid));
      continue;
    }

    const RtpCodec& codec = *plan.codec;
    SdpMediaSection section;
    section.media = offered.media;
    section.port = kDiscardPort;
    section.proto = offered.proto;
    section.formats = {std::to_string(codec.payload_type)};
    if (codec.rtx_payload_type != 0) section.formats.push_back(std::to_string(codec.rtx_payload_type));
    section.AddLine('c', std::string(kNoAddress));
    // RFC 8843 §7.3.1: one transport for the bundle; the candidates go with the first section.
    if (!candidates_written) {
      AddCandidates(section, local);
      candidates_written = true;
    }
    AddLocalTransport(section, local, local_setup);
    section.AddAttribute("mid", plan.mid);
    for (const SdpExtmap& extmap : extensions) section.AddAttribute("extmap", FormatExtmap(extmap));
    section.AddProperty(OfferSends(offered) ? "recvonly" : "inactive");
    section.AddProperty("rtcp-mux");
    section.AddAttribute("rtpmap",
                         FormatRtpMap(SdpRtpMap{codec.payload_type, codec.name, codec.clock_rate, codec.channels}));
    for (const std::string& feedback : codec.rtcp_fb) {
      section.AddAttribute("rtcp-fb", FormatRtcpFb(SdpRtcpFb{codec.payload_type, feedback}));
    }
    if (!codec.fmtp.empty()) section.AddAttribute("fmtp", std::to_string(codec.payload_type) + ' ' + codec.fmtp);
    if (codec.rtx_payload_type != 0) AddRtxFormat(section, codec.rtx_payload_type, codec.payload_type);
    // RFC 8853 §5.3: the answer receives the offered streams, by the same rids.
    if (!rids.empty()) {
      std::string streams;
      for (const std::string& rid : rids) {
        section.AddAttribute("rid", rid + " recv");
        streams += (streams.empty() ? "" : ";") + rid;
      }
      section.AddAttribute("simulcast", "recv " + streams);
    }
    answer.media.push_back(std::move(section));
  }
  negotiation.answer_sdp = WriteSdp(answer);
  return negotiation;
}

// --- Subscribe --------------------------------------------------------------------

void AddSubscribeCodecs(SdpMediaSection& section, MediaKind kind) {
  if (kind == MediaKind::kAudio) {
    section.formats = {std::to_string(kSubscribeOpusPayloadType)};
    return;
  }
  section.formats = {std::to_string(kSubscribeVp8PayloadType), std::to_string(kSubscribeVp8RtxPayloadType),
                     std::to_string(kSubscribeH264PayloadType), std::to_string(kSubscribeH264RtxPayloadType)};
}

void AddSubscribeCodecAttributes(SdpMediaSection& section, MediaKind kind) {
  if (kind == MediaKind::kAudio) {
    section.AddAttribute("rtpmap",
                         FormatRtpMap(SdpRtpMap{kSubscribeOpusPayloadType, "opus", kOpusClockRate, kOpusChannels}));
    section.AddAttribute("fmtp", std::to_string(kSubscribeOpusPayloadType) + ' ' + std::string(kSubscribeOpusFmtp));
    return;
  }
  const auto add_feedback = [&section](std::uint8_t payload_type) {
    for (const std::string_view feedback : kFeedback) {
      section.AddAttribute("rtcp-fb", FormatRtcpFb(SdpRtcpFb{payload_type, std::string(feedback)}));
    }
  };
  section.AddAttribute("rtpmap", FormatRtpMap(SdpRtpMap{kSubscribeVp8PayloadType, "VP8", kVideoClockRate, 0}));
  add_feedback(kSubscribeVp8PayloadType);
  AddRtxFormat(section, kSubscribeVp8RtxPayloadType, kSubscribeVp8PayloadType);
  section.AddAttribute("rtpmap", FormatRtpMap(SdpRtpMap{kSubscribeH264PayloadType, "H264", kVideoClockRate, 0}));
  add_feedback(kSubscribeH264PayloadType);
  section.AddAttribute("fmtp", std::to_string(kSubscribeH264PayloadType) + ' ' + std::string(kSubscribeH264Fmtp));
  AddRtxFormat(section, kSubscribeH264RtxPayloadType, kSubscribeH264PayloadType);
}

// Our rtx formats an answered section kept, with the apt we offered (RFC 4588 §8.6).
void ReadAnsweredRtx(const SdpMediaSection& section, const std::string& mid,
                     std::vector<std::pair<std::string, std::uint8_t>>& kept) {
  for (const std::uint8_t media_payload_type : {kSubscribeVp8PayloadType, kSubscribeH264PayloadType}) {
    const std::uint8_t rtx_payload_type = SubscribeRtxPayloadType(media_payload_type);
    const bool media_listed = std::find(section.formats.begin(), section.formats.end(),
                                        std::to_string(media_payload_type)) != section.formats.end();
    if (media_listed && RtxPayloadTypeFor(section, media_payload_type) == rtx_payload_type) {
      kept.emplace_back(mid, rtx_payload_type);
    }
  }
}

std::variant<SubscribeNegotiation, SdpError> ReadSubscribe(std::string_view answer_text,
                                                           std::span<const SubscribedSection> offered) {
  auto parsed = ParseSdp(answer_text);
  if (const auto* error = std::get_if<SdpParseError>(&parsed)) {
    return Error("sdp-malformed", "line " + std::to_string(error->line) + ": " + error->reason);
  }
  const SessionDescription& answer = std::get<SessionDescription>(parsed);
  // RFC 3264 §6: the answer has as many m-sections as the offer, in the same order.
  if (answer.media.size() != offered.size()) {
    return Error("mid-mismatch", std::to_string(answer.media.size()) + " m-sections for " +
                                     std::to_string(offered.size()) + " offered");
  }
  SubscribeNegotiation negotiation;
  const SdpMediaSection* transport_section = nullptr;
  for (std::size_t index = 0; index < offered.size(); ++index) {
    const SdpMediaSection& section = answer.media[index];
    const std::optional<std::string_view> mid = section.Find("mid");
    const bool live = section.port != 0;
    if ((mid && *mid != offered[index].mid) || (!mid && live) || section.media != MediaKindName(offered[index].kind)) {
      return Error("mid-mismatch", "m-section " + std::to_string(index) + " is not a=mid:" + offered[index].mid);
    }
    if (!live) continue;
    if (!section.Has("rtcp-mux")) return Error("no-rtcp-mux", "no a=rtcp-mux in a=mid:" + offered[index].mid);
    if (transport_section == nullptr) transport_section = &section;
    if (FindDirection(section) == SdpDirection::kRecvOnly) {
      negotiation.accepted_mids.push_back(offered[index].mid);
      if (offered[index].kind == MediaKind::kVideo) {
        ReadAnsweredRtx(section, offered[index].mid, negotiation.rtx_payload_types);
      }
    }
  }
  if (transport_section == nullptr) return negotiation;

  const auto bundle = FindBundleGroup(answer);
  if (!bundle) return Error("no-bundle", "no a=group:BUNDLE");
  auto remote = ReadRemoteTransport(*transport_section, answer);
  if (auto* error = std::get_if<SdpError>(&remote)) return std::move(*error);
  auto& transport = std::get<RemoteTransport>(remote);
  // RFC 8842 §3: we offered actpass; the answer picks active (we serve) or passive (we connect).
  if (transport.setup == SdpSetup::kActpass) return Error("unsupported-setup", "a=setup:actpass in an answer");
  negotiation.remote_ufrag = std::move(transport.ufrag);
  negotiation.remote_pwd = std::move(transport.pwd);
  negotiation.remote_fingerprint = std::move(transport.fingerprint);
  negotiation.local_role = transport.setup == SdpSetup::kActive ? DtlsRole::kServer : DtlsRole::kClient;
  return negotiation;
}

}  // namespace

std::variant<PublishNegotiation, SdpError> AnswerPublishOffer(std::string_view offer, const LocalTransport& local,
                                                              std::uint64_t session_id,
                                                              std::uint64_t version) noexcept {
  try {
    return AnswerPublish(offer, local, session_id, version);
  } catch (const std::bad_alloc&) {
    return Error("sdp-malformed", "out of memory");
  }
}

std::string BuildSubscribeOffer(const LocalTransport& local, std::uint64_t session_id, std::uint64_t version,
                                std::span<const SubscribedSection> sections) {
  SessionDescription offer = NewDescription(session_id, version);
  SdpGroup bundle{"BUNDLE", {}};
  for (const SubscribedSection& section : sections) bundle.mids.push_back(section.mid);
  if (!bundle.mids.empty()) offer.session.AddAttribute("group", FormatGroup(bundle));
  offer.session.AddAttribute("msid-semantic", " WMS *");

  for (const SubscribedSection& subscribed : sections) {
    SdpMediaSection section;
    section.media = std::string(MediaKindName(subscribed.kind));
    section.port = kDiscardPort;
    section.proto = std::string(kRtpProfile);
    AddSubscribeCodecs(section, subscribed.kind);
    section.AddLine('c', std::string(kNoAddress));
    if (&subscribed == &sections.front()) AddCandidates(section, local);
    AddLocalTransport(section, local, SdpSetup::kActpass);
    section.AddAttribute("mid", subscribed.mid);
    if (subscribed.kind == MediaKind::kAudio) {
      section.AddAttribute("extmap", FormatExtmap(SdpExtmap{
                                         kSubscribeAudioLevelId, std::nullopt, std::string(kExtensionAudioLevel), {}}));
    }
    section.AddAttribute("extmap", FormatExtmap(SdpExtmap{
                                       kSubscribeAbsSendTimeId, std::nullopt, std::string(kExtensionAbsSendTime), {}}));
    const SdpMsid msid{subscribed.stream_id, subscribed.track_id};
    if (subscribed.active) {
      section.AddProperty("sendonly");
      section.AddAttribute("msid", FormatMsid(msid));
    } else {
      section.AddProperty("inactive");
    }
    section.AddProperty("rtcp-mux");
    AddSubscribeCodecAttributes(section, subscribed.kind);
    if (subscribed.active) {
      const bool rtx = subscribed.kind == MediaKind::kVideo && subscribed.rtx_ssrc != 0;
      // RFC 5576 §4.2, RFC 4588 §8.6: the media SSRC and its retransmission SSRC.
      if (rtx) {
        section.AddAttribute("ssrc-group",
                             "FID " + std::to_string(subscribed.ssrc) + ' ' + std::to_string(subscribed.rtx_ssrc));
      }
      section.AddAttribute("ssrc", FormatSsrc(SdpSsrc{subscribed.ssrc, "cname", subscribed.cname}));
      section.AddAttribute("ssrc", FormatSsrc(SdpSsrc{subscribed.ssrc, "msid", FormatMsid(msid)}));
      if (rtx) {
        section.AddAttribute("ssrc", FormatSsrc(SdpSsrc{subscribed.rtx_ssrc, "cname", subscribed.cname}));
        section.AddAttribute("ssrc", FormatSsrc(SdpSsrc{subscribed.rtx_ssrc, "msid", FormatMsid(msid)}));
      }
    }
    offer.media.push_back(std::move(section));
  }
  return WriteSdp(offer);
}

std::variant<SubscribeNegotiation, SdpError> ReadSubscribeAnswer(std::string_view answer,
                                                                 std::span<const SubscribedSection> offered) noexcept {
  try {
    return ReadSubscribe(answer, offered);
  } catch (const std::bad_alloc&) {
    return Error("sdp-malformed", "out of memory");
  }
}

}  // namespace egovbox::media
