#include "media/sdp_negotiation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "media/captured_sdp.h"

#include "media/sdp.h"

namespace egovbox::media {
namespace {

using test::ReadSdpFile;

// The same transport and sections as tests/data/sdp/negotiate_tool.cc, which made
// subscribe.offer.sdp for chromium.
LocalTransport FixedTransport() {
  return LocalTransport{
      "egovbox1",
      "EgovBoxIcePasswordFor+Tests/1",
      "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9",
      {{"127.0.0.1", 8443}}};
}

std::vector<SubscribedSection> FixedSubscribeSections() {
  return {{"0", MediaKind::kAudio, true, 1001, "alice", "alice", "alice-microphone"},
          {"1", MediaKind::kVideo, true, 1002, "alice", "alice", "alice-camera", 1003},
          {"2", MediaKind::kVideo, false, 0, "", "", ""}};
}

constexpr std::string_view kOurCandidate = "1 1 udp 2130706431 127.0.0.1 8443 typ host";

SessionDescription Parsed(std::string_view text) {
  auto result = ParseSdp(text);
  if (const auto* error = std::get_if<SdpParseError>(&result)) {
    ADD_FAILURE() << "line " << error->line << ": " << error->reason << "\n" << text;
    return {};
  }
  return std::get<SessionDescription>(std::move(result));
}

PublishNegotiation Answer(std::string_view offer) {
  auto result = AnswerPublishOffer(offer, FixedTransport(), 1000, 1);
  if (const auto* error = std::get_if<SdpError>(&result)) {
    ADD_FAILURE() << error->code << ": " << error->detail;
    return {};
  }
  return std::get<PublishNegotiation>(std::move(result));
}

std::string AnswerError(std::string_view offer) {
  const auto result = AnswerPublishOffer(offer, FixedTransport(), 1000, 1);
  const auto* error = std::get_if<SdpError>(&result);
  return error == nullptr ? std::string("answered") : error->code;
}

std::string SubscribeError(std::string_view answer) {
  const auto result = ReadSubscribeAnswer(answer, FixedSubscribeSections());
  const auto* error = std::get_if<SdpError>(&result);
  return error == nullptr ? std::string("read") : error->code;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Drops every line that starts with `prefix`.
std::string RemoveLines(const std::string& text, std::string_view prefix) {
  std::string out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(prefix)) out += line + "\n";
  }
  return out;
}

std::vector<std::string> Values(const SdpLines& lines, std::string_view name) {
  std::vector<std::string> values;
  for (const std::string_view value : lines.FindAll(name)) values.emplace_back(value);
  return values;
}

constexpr std::array<std::string_view, 5> kAcceptedExtensions = {
    kExtensionAudioLevel, kExtensionAbsSendTime, kExtensionMid, kExtensionRtpStreamId, kExtensionRepairedRtpStreamId};

// The "<id> <uri>" the answer must carry for an offered section: the offer's ids.
std::vector<std::string> ExpectedExtmaps(const SdpMediaSection& offered) {
  std::vector<std::string> expected;
  for (const std::string_view value : offered.FindAll("extmap")) {
    const auto extmap = ParseExtmap(value);
    if (extmap &&
        std::find(kAcceptedExtensions.begin(), kAcceptedExtensions.end(), extmap->uri) != kAcceptedExtensions.end()) {
      expected.push_back(std::to_string(extmap->id) + ' ' + extmap->uri);
    }
  }
  return expected;
}

// The payload type the offer gives this codec (first match).
std::string OfferedPayloadType(const SdpMediaSection& offered, std::string_view encoding) {
  for (const std::string_view value : offered.FindAll("rtpmap")) {
    const auto rtpmap = ParseRtpMap(value);
    if (rtpmap && rtpmap->encoding == encoding) return std::to_string(rtpmap->payload_type);
  }
  return "none";
}

// The offer's "rtx" format whose fmtp says apt=`media`.
std::string OfferedRtxPayloadType(const SdpMediaSection& offered, const std::string& media) {
  for (const std::string_view value : offered.FindAll("rtpmap")) {
    const auto rtpmap = ParseRtpMap(value);
    if (!rtpmap || rtpmap->encoding != "rtx") continue;
    const std::string rtx = std::to_string(rtpmap->payload_type);
    for (const std::string_view fmtp : offered.FindAll("fmtp")) {
      if (fmtp == rtx + " apt=" + media) return rtx;
    }
  }
  return "none";
}

// What every accepted section of our publish answer carries.
void ExpectAnsweredSection(const SdpMediaSection& answered, const SdpMediaSection& offered, bool first) {
  const std::string mid(offered.Find("mid").value_or(""));
  SCOPED_TRACE("mid " + mid);
  EXPECT_EQ(answered.media, offered.media);
  EXPECT_EQ(answered.port, 9);
  EXPECT_EQ(answered.Find("mid"), mid);
  EXPECT_EQ(answered.Find("ice-ufrag"), "egovbox1");
  EXPECT_EQ(answered.Find("ice-pwd"), "EgovBoxIcePasswordFor+Tests/1");
  EXPECT_EQ(answered.Find("fingerprint"), "sha-256 " + FixedTransport().fingerprint);
  EXPECT_EQ(answered.Find("setup"), "passive");
  EXPECT_TRUE(answered.Has("rtcp-mux"));
  EXPECT_EQ(FindDirection(answered),
            FindDirection(offered) == SdpDirection::kSendOnly ? SdpDirection::kRecvOnly : SdpDirection::kInactive);
  EXPECT_EQ(Values(answered, "extmap"), ExpectedExtmaps(offered));
  // Simulcast is answered where it was offered (the fixtures offer it with VP8 only).
  EXPECT_EQ(answered.Has("rid"), offered.Has("simulcast"));
  EXPECT_EQ(answered.Has("simulcast"), offered.Has("simulcast"));
  EXPECT_FALSE(answered.Has("ssrc"));
  if (first) {
    EXPECT_EQ(Values(answered, "candidate"), std::vector<std::string>{std::string(kOurCandidate)});
    EXPECT_TRUE(answered.Has("end-of-candidates"));
  } else {
    EXPECT_FALSE(answered.Has("candidate"));
  }
  if (answered.media == "audio") {
    const std::string opus = OfferedPayloadType(offered, "opus");
    EXPECT_EQ(opus, "111");
    EXPECT_EQ(answered.formats, std::vector<std::string>{opus});
    EXPECT_EQ(Values(answered, "rtpmap"), std::vector<std::string>{opus + " opus/48000/2"});
    EXPECT_EQ(Values(answered, "fmtp"), std::vector<std::string>{opus + " minptime=10;useinbandfec=1"});
    EXPECT_TRUE(Values(answered, "rtcp-fb").empty());  // the offer's only one is transport-cc
  } else {
    const std::string vp8 = OfferedPayloadType(offered, "VP8");
    // RFC 4588 §8.6: the offer's rtx format for VP8 is answered beside it.
    const std::string rtx = OfferedRtxPayloadType(offered, vp8);
    ASSERT_NE(rtx, "none");
    EXPECT_EQ(answered.formats, (std::vector<std::string>{vp8, rtx}));
    EXPECT_EQ(Values(answered, "rtpmap"), (std::vector<std::string>{vp8 + " VP8/90000", rtx + " rtx/90000"}));
    EXPECT_EQ(Values(answered, "fmtp"), std::vector<std::string>{rtx + " apt=" + vp8});
    std::vector<std::string> feedback = Values(answered, "rtcp-fb");
    std::sort(feedback.begin(), feedback.end());
    EXPECT_EQ(feedback,
              (std::vector<std::string>{vp8 + " ccm fir", vp8 + " goog-remb", vp8 + " nack", vp8 + " nack pli"}));
  }
}

// The whole answer for an offer whose sections are all audio or video.
void ExpectAnswer(const std::string& offer_text, const PublishNegotiation& negotiation) {
  const SessionDescription offer = Parsed(offer_text);
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  EXPECT_EQ(answer.session.FindLine('o'), "- 1000 1 IN IP4 0.0.0.0");
  EXPECT_TRUE(answer.session.Has("ice-lite"));
  EXPECT_TRUE(answer.session.Has("msid-semantic"));
  EXPECT_FALSE(answer.session.Has("extmap-allow-mixed"));
  ASSERT_EQ(answer.media.size(), offer.media.size());
  std::string mids;
  for (std::size_t index = 0; index < offer.media.size(); ++index) {
    mids += ' ' + std::string(offer.media[index].Find("mid").value_or(""));
    ExpectAnsweredSection(answer.media[index], offer.media[index], index == 0);
  }
  EXPECT_EQ(answer.session.Find("group"), "BUNDLE" + mids);
  EXPECT_EQ(WriteSdp(answer), negotiation.answer_sdp);

  const SdpMediaSection& first = offer.media.front();
  EXPECT_EQ(negotiation.remote_ufrag, first.Find("ice-ufrag"));
  EXPECT_EQ(negotiation.remote_pwd, first.Find("ice-pwd"));
  EXPECT_EQ("sha-256 " + negotiation.remote_fingerprint, first.Find("fingerprint"));
  EXPECT_EQ(negotiation.local_role, DtlsRole::kServer);
  ASSERT_EQ(negotiation.sections.size(), offer.media.size());
  for (std::size_t index = 0; index < offer.media.size(); ++index) {
    const PublishedSection& section = negotiation.sections[index];
    const SdpMediaSection& offered = offer.media[index];
    EXPECT_EQ(section.mid, offered.Find("mid"));
    EXPECT_EQ(MediaKindName(section.kind), offered.media);
    EXPECT_EQ(section.sending, FindDirection(offered) == SdpDirection::kSendOnly);
    EXPECT_EQ(section.codec.name, section.kind == MediaKind::kAudio ? "opus" : "VP8");
    EXPECT_EQ(section.codec.clock_rate, section.kind == MediaKind::kAudio ? 48000U : 90000U);
    std::vector<std::string> extensions;
    for (const NegotiatedExtension& extension : section.extensions) {
      extensions.push_back(std::to_string(extension.id) + ' ' + extension.uri);
    }
    EXPECT_EQ(extensions, ExpectedExtmaps(offered));
    const auto msid = ParseMsid(offered.Find("msid").value_or(""));
    ASSERT_TRUE(msid);
    EXPECT_EQ(section.msid_stream, msid->stream);
    EXPECT_EQ(section.msid_track, msid->track);
  }
}

// --- Publish: chromium's captured offers ---------------------------------------------

TEST(SdpNegotiationTest, AnswersChromiumMicrophoneAndCamera) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  ASSERT_FALSE(offer.empty());
  const PublishNegotiation negotiation = Answer(offer);
  ExpectAnswer(offer, negotiation);
  ASSERT_EQ(negotiation.sections.size(), 2U);
  EXPECT_EQ(negotiation.sections[0].codec.payload_type, 111);
  EXPECT_EQ(negotiation.sections[0].codec.channels, 2);
  EXPECT_EQ(negotiation.sections[0].codec.fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(negotiation.sections[1].codec.channels, 0);
  EXPECT_EQ(negotiation.sections[1].codec.rtcp_fb,
            (std::vector<std::string>{"goog-remb", "ccm fir", "nack", "nack pli"}));
  EXPECT_EQ(negotiation.sections[0].codec.rtx_payload_type, 0);
  EXPECT_EQ(negotiation.sections[1].codec.rtx_payload_type, 97);  // a=fmtp:97 apt=96
  EXPECT_EQ(negotiation.sections[0].rtx_ssrc, 0U);

  // SSRCs: the audio's one; for video the primary of its FID group, not the RTX one.
  const SessionDescription parsed = Parsed(offer);
  const auto audio_ssrc = ParseSsrc(parsed.media[0].Find("ssrc").value_or(""));
  ASSERT_TRUE(audio_ssrc);
  EXPECT_EQ(negotiation.sections[0].ssrcs, std::vector<std::uint32_t>{audio_ssrc->ssrc});
  const auto fid = ParseSsrcGroup(parsed.media[1].Find("ssrc-group").value_or(""));
  ASSERT_TRUE(fid);
  ASSERT_EQ(fid->ssrcs.size(), 2U);
  EXPECT_EQ(negotiation.sections[1].ssrcs, std::vector<std::uint32_t>{fid->ssrcs[0]});
  EXPECT_EQ(negotiation.sections[1].rtx_ssrc, fid->ssrcs[1]) << "the FID group's second: its retransmissions";
}

TEST(SdpNegotiationTest, AnswersWithoutRtxWhenTheOfferHasNone) {
  // The same offer without the fmtp that makes 97 VP8's rtx format: VP8 alone, still with nack.
  const std::string offer = ReplaceAll(ReadSdpFile("publish_audio_video.offer.sdp"), "a=fmtp:97 apt=96\r\n", "");
  const PublishNegotiation negotiation = Answer(offer);
  ASSERT_EQ(negotiation.sections.size(), 2U);
  EXPECT_EQ(negotiation.sections[1].codec.rtx_payload_type, 0);
  EXPECT_EQ(negotiation.sections[1].rtx_ssrc, 0U);
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  EXPECT_EQ(answer.media[1].formats, std::vector<std::string>{"96"});
  EXPECT_TRUE(Values(answer.media[1], "fmtp").empty());
  EXPECT_EQ(negotiation.answer_sdp.find("rtx"), std::string::npos);
}

TEST(SdpNegotiationTest, AnswersChromiumRenegotiationWithScreen) {
  const std::string offer = ReadSdpFile("publish_with_screen.offer.sdp");
  const PublishNegotiation negotiation = Answer(offer);
  ExpectAnswer(offer, negotiation);
  ASSERT_EQ(negotiation.sections.size(), 3U);
  EXPECT_TRUE(negotiation.sections[2].sending);
  EXPECT_EQ(negotiation.sections[2].kind, MediaKind::kVideo);
  EXPECT_EQ(negotiation.sections[2].ssrcs.size(), 1U);
}

TEST(SdpNegotiationTest, AnswersARemovedScreenInactive) {
  const std::string offer = ReadSdpFile("publish_screen_removed.offer.sdp");
  const PublishNegotiation negotiation = Answer(offer);
  ExpectAnswer(offer, negotiation);
  ASSERT_EQ(negotiation.sections.size(), 3U);
  EXPECT_TRUE(negotiation.sections[0].sending);
  EXPECT_TRUE(negotiation.sections[1].sending);
  EXPECT_FALSE(negotiation.sections[2].sending);
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  EXPECT_EQ(answer.media[2].port, 9);  // still bundled, so the mid stays usable
  EXPECT_TRUE(answer.media[2].Has("inactive"));
}

TEST(SdpNegotiationTest, AcceptsVp8SimulcastByRidAndKeepsTheRidExtensions) {
  const std::string offer = ReadSdpFile("publish_simulcast.offer.sdp");
  ASSERT_NE(offer.find("a=simulcast:send"), std::string::npos);
  const PublishNegotiation negotiation = Answer(offer);
  ExpectAnswer(offer, negotiation);
  ASSERT_EQ(negotiation.sections.size(), 2U);
  const PublishedSection& video = negotiation.sections[1];
  EXPECT_TRUE(video.sending);
  EXPECT_TRUE(video.ssrcs.empty());  // chromium names no SSRC with rids: the rid extension tells the layers
  EXPECT_EQ(video.rids, (std::vector<std::string>{"q", "h", "f"}));
  EXPECT_TRUE(negotiation.sections[0].rids.empty());
  for (const std::string_view uri : {kExtensionMid, kExtensionRtpStreamId, kExtensionRepairedRtpStreamId}) {
    const bool kept = std::any_of(video.extensions.begin(), video.extensions.end(),
                                  [&](const NegotiatedExtension& extension) { return extension.uri == uri; });
    EXPECT_TRUE(kept) << uri;
  }
  // RFC 8853 §5.3: the answer receives the same streams by the same rids.
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  EXPECT_EQ(Values(answer.media[1], "rid"), (std::vector<std::string>{"q recv", "h recv", "f recv"}));
  EXPECT_EQ(answer.media[1].Find("simulcast"), "recv q;h;f");
  EXPECT_FALSE(answer.media[0].Has("simulcast"));
}

TEST(SdpNegotiationTest, DeclinesSimulcastWithoutVp8OrWithOneStream) {
  const std::string offer = ReadSdpFile("publish_simulcast.offer.sdp");
  // Only H.264 left: simulcast stays off (docs/media.md: H.264 is single-layer).
  std::string h264 = offer;
  const std::string vp8_line = "a=rtpmap:96 VP8/90000";
  h264.replace(h264.find(vp8_line), vp8_line.size(), "a=rtpmap:96 VP9/90000");
  const PublishNegotiation without_vp8 = Answer(h264);
  EXPECT_TRUE(without_vp8.sections[1].rids.empty());
  EXPECT_EQ(without_vp8.sections[1].codec.name, "H264");
  EXPECT_FALSE(Parsed(without_vp8.answer_sdp).media[1].Has("rid"));
  std::string single = offer;
  const std::string simulcast_line = "a=simulcast:send q;h;f";
  single.replace(single.find(simulcast_line), simulcast_line.size(), "a=simulcast:send q");
  const PublishNegotiation one = Answer(single);
  EXPECT_TRUE(one.sections[1].rids.empty());
  EXPECT_FALSE(Parsed(one.answer_sdp).media[1].Has("simulcast"));
}

TEST(SdpNegotiationTest, LeavesANonSimulcastOfferUnchanged) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  const PublishNegotiation negotiation = Answer(offer);
  for (const PublishedSection& section : negotiation.sections) EXPECT_TRUE(section.rids.empty());
  EXPECT_EQ(negotiation.answer_sdp.find("a=rid"), std::string::npos);
  EXPECT_EQ(negotiation.answer_sdp.find("a=simulcast"), std::string::npos);
}

TEST(SdpNegotiationTest, RejectsTheDataChannelAndAnswersTheRest) {
  const std::string offer_text = ReadSdpFile("publish_data_channel.offer.sdp");
  const PublishNegotiation negotiation = Answer(offer_text);
  const SessionDescription offer = Parsed(offer_text);
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  ASSERT_EQ(offer.media.size(), 3U);
  ASSERT_EQ(answer.media.size(), 3U);
  EXPECT_EQ(answer.media[2].media, "application");
  EXPECT_EQ(answer.media[2].port, 0);
  EXPECT_EQ(answer.media[2].formats, offer.media[2].formats);
  EXPECT_EQ(answer.media[2].Find("mid"), offer.media[2].Find("mid"));
  EXPECT_EQ(answer.session.Find("group"), "BUNDLE 0 1");
  ASSERT_EQ(negotiation.sections.size(), 2U);  // only audio and video are listed
  ExpectAnsweredSection(answer.media[0], offer.media[0], true);
  ExpectAnsweredSection(answer.media[1], offer.media[1], false);
}

// --- Publish: rules on edited offers ----------------------------------------------

TEST(SdpNegotiationTest, DtlsRoleFollowsTheOfferedSetup) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  PublishNegotiation negotiation = Answer(ReplaceAll(offer, "a=setup:actpass", "a=setup:active"));
  EXPECT_EQ(negotiation.local_role, DtlsRole::kServer);
  EXPECT_EQ(Parsed(negotiation.answer_sdp).media[0].Find("setup"), "passive");

  negotiation = Answer(ReplaceAll(offer, "a=setup:actpass", "a=setup:passive"));
  EXPECT_EQ(negotiation.local_role, DtlsRole::kClient);
  for (const SdpMediaSection& section : Parsed(negotiation.answer_sdp).media) {
    EXPECT_EQ(section.Find("setup"), "active");
  }

  // RFC 4145 §4: no a=setup means active.
  negotiation = Answer(RemoveLines(offer, "a=setup:"));
  EXPECT_EQ(negotiation.local_role, DtlsRole::kServer);
  EXPECT_EQ(AnswerError(ReplaceAll(offer, "a=setup:actpass", "a=setup:holdconn")), "unsupported-setup");
  EXPECT_EQ(AnswerError(ReplaceAll(offer, "a=setup:actpass", "a=setup:sometimes")), "unsupported-setup");
}

TEST(SdpNegotiationTest, TakesSessionLevelTransportAttributes) {
  // Transport attributes may sit at session level (RFC 8839 §5.4, RFC 8122 §5).
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  const SessionDescription parsed = Parsed(offer);
  const std::string ufrag(parsed.media[0].Find("ice-ufrag").value_or(""));
  const std::string pwd(parsed.media[0].Find("ice-pwd").value_or(""));
  const std::string fingerprint(parsed.media[0].Find("fingerprint").value_or(""));
  std::string moved = RemoveLines(RemoveLines(RemoveLines(offer, "a=ice-ufrag:"), "a=ice-pwd:"), "a=fingerprint:");
  moved = ReplaceAll(
      moved, "t=0 0\r\n",
      "t=0 0\r\na=ice-ufrag:" + ufrag + "\r\na=ice-pwd:" + pwd + "\r\na=fingerprint:" + fingerprint + "\r\n");
  ASSERT_EQ(Parsed(moved).media[0].Find("ice-ufrag"), std::nullopt);
  const PublishNegotiation negotiation = Answer(moved);
  EXPECT_EQ(negotiation.remote_ufrag, ufrag);
  EXPECT_EQ(negotiation.remote_pwd, pwd);
  EXPECT_EQ("sha-256 " + negotiation.remote_fingerprint, fingerprint);
}

TEST(SdpNegotiationTest, RefusesOffersWithoutWhatTheSfuRequires) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  EXPECT_EQ(AnswerError(offer), "answered");
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=group:BUNDLE")), "no-bundle");
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=rtcp-mux")), "no-rtcp-mux");
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=fingerprint:")), "no-fingerprint");
  EXPECT_EQ(AnswerError(ReplaceAll(offer, "a=fingerprint:sha-256 ", "a=fingerprint:sha-512 ")), "no-fingerprint");
  EXPECT_EQ(AnswerError(ReplaceAll(offer, "a=fingerprint:sha-256 ", "a=fingerprint:sha-256 00:")), "no-fingerprint");
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=ice-ufrag:")), "no-ice-credentials");
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=ice-pwd:")), "no-ice-credentials");
  EXPECT_EQ(AnswerError(ReplaceAll(offer, "a=ice-ufrag:", "a=ice-ufrag:=")), "no-ice-credentials");
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=mid:")), "sdp-malformed");
  EXPECT_EQ(AnswerError(ReplaceAll(offer, "a=mid:1", "a=mid:0")), "sdp-malformed");
}

TEST(SdpNegotiationTest, RefusesGarbage) {
  EXPECT_EQ(AnswerError(""), "sdp-malformed");
  EXPECT_EQ(AnswerError("hello"), "sdp-malformed");
  EXPECT_EQ(AnswerError(std::string(70000, 'v')), "sdp-malformed");
  EXPECT_EQ(AnswerError("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio\r\n"), "sdp-malformed");
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  EXPECT_EQ(AnswerError(offer.substr(offer.size() / 3)), "sdp-malformed");
}

TEST(SdpNegotiationTest, RejectsSectionsWithoutAUsableCodec) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  // No VP8 and no H.264 with packetization-mode=1 left: the video section is rejected.
  std::string no_video = RemoveLines(offer, "a=rtpmap:");
  no_video = ReplaceAll(no_video, "a=mid:0\r", "a=mid:0\r\na=rtpmap:111 opus/48000/2\r");
  const PublishNegotiation negotiation = Answer(no_video);
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  ASSERT_EQ(answer.media.size(), 2U);
  EXPECT_EQ(answer.media[0].port, 9);
  EXPECT_EQ(answer.media[1].port, 0);
  EXPECT_EQ(answer.session.Find("group"), "BUNDLE 0");
  ASSERT_EQ(negotiation.sections.size(), 2U);
  EXPECT_TRUE(negotiation.sections[0].sending);
  EXPECT_FALSE(negotiation.sections[1].sending);
  EXPECT_TRUE(negotiation.sections[1].codec.name.empty());

  // Nothing usable at all.
  EXPECT_EQ(AnswerError(RemoveLines(offer, "a=rtpmap:")), "no-common-codec");
}

TEST(SdpNegotiationTest, RejectsSectionsOutsideTheBundle) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  const PublishNegotiation negotiation = Answer(ReplaceAll(offer, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0"));
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  ASSERT_EQ(answer.media.size(), 2U);
  EXPECT_EQ(answer.media[1].port, 0);
  EXPECT_EQ(answer.session.Find("group"), "BUNDLE 0");
  ASSERT_EQ(negotiation.sections.size(), 2U);
  EXPECT_FALSE(negotiation.sections[1].sending);
}

TEST(SdpNegotiationTest, SurvivesEveryPrefixOfCapturedDescriptions) {
  const std::string offer = ReadSdpFile("publish_with_screen.offer.sdp");
  const std::string answer = ReadSdpFile("subscribe.answer.sdp");
  for (std::size_t size = 0; size <= offer.size(); size += 3) {
    (void)AnswerPublishOffer(std::string_view(offer).substr(0, size), FixedTransport(), 1, 1);
  }
  for (std::size_t size = 0; size <= answer.size(); size += 3) {
    (void)ReadSubscribeAnswer(std::string_view(answer).substr(0, size), FixedSubscribeSections());
  }
}

TEST(SdpNegotiationTest, TakesConstrainedBaselineH264WhenThereIsNoVp8) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  const std::string without_vp8 = ReplaceAll(offer, " VP8/90000", " VP7/90000");
  const PublishNegotiation negotiation = Answer(without_vp8);
  ASSERT_EQ(negotiation.sections.size(), 2U);
  const RtpCodec& codec = negotiation.sections[1].codec;
  EXPECT_EQ(codec.name, "H264");
  EXPECT_NE(codec.fmtp.find("packetization-mode=1"), std::string::npos);
  EXPECT_NE(codec.fmtp.find("profile-level-id=42e01f"), std::string::npos);
  // The payload type is the offer's for that fmtp.
  const std::string fmtp = "a=fmtp:" + std::to_string(codec.payload_type) + ' ' + codec.fmtp + "\r\n";
  EXPECT_NE(offer.find(fmtp), std::string::npos);
  const SessionDescription answer = Parsed(negotiation.answer_sdp);
  // With its own rtx format (the offer's a=fmtp:<rtx> apt=<H.264>).
  ASSERT_NE(codec.rtx_payload_type, 0);
  EXPECT_NE(offer.find("a=fmtp:" + std::to_string(codec.rtx_payload_type) +
                       " apt=" + std::to_string(codec.payload_type) + "\r\n"),
            std::string::npos);
  EXPECT_EQ(answer.media[1].formats,
            (std::vector<std::string>{std::to_string(codec.payload_type), std::to_string(codec.rtx_payload_type)}));

  // Plain Baseline when it is the only H.264 with packetization-mode=1.
  const std::string baseline_only = ReplaceAll(without_vp8, "profile-level-id=42e01f", "profile-level-id=640c1f");
  EXPECT_NE(Answer(baseline_only).sections[1].codec.fmtp.find("profile-level-id=42001f"), std::string::npos);
}

TEST(SdpNegotiationTest, KeepsOnlyTheOpusParametersTheSfuWants) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  std::string edited = ReplaceAll(offer, "a=fmtp:111 minptime=10;useinbandfec=1",
                                  "a=fmtp:111 stereo=1;minptime=10;usedtx=1;useinbandfec=0");
  EXPECT_EQ(Answer(edited).sections[0].codec.fmtp, "minptime=10;useinbandfec=1");
  edited = RemoveLines(offer, "a=fmtp:111 ");
  EXPECT_EQ(Answer(edited).sections[0].codec.fmtp, "useinbandfec=1");
}

TEST(SdpNegotiationTest, AnswersRecvonlyAndInactiveOffersInactive) {
  const std::string offer = ReadSdpFile("publish_audio_video.offer.sdp");
  for (const std::string_view direction : {"a=recvonly", "a=inactive"}) {
    SCOPED_TRACE(direction);
    const PublishNegotiation negotiation = Answer(ReplaceAll(offer, "a=sendonly", direction));
    ASSERT_EQ(negotiation.sections.size(), 2U);
    for (const PublishedSection& section : negotiation.sections) EXPECT_FALSE(section.sending);
    const SessionDescription answer = Parsed(negotiation.answer_sdp);
    for (const SdpMediaSection& section : answer.media) {
      EXPECT_EQ(section.port, 9);
      EXPECT_EQ(FindDirection(section), SdpDirection::kInactive);
    }
  }
  // No direction attribute means sendrecv (RFC 3264 §5.1), answered recvonly.
  const PublishNegotiation negotiation = Answer(RemoveLines(offer, "a=sendonly"));
  EXPECT_TRUE(negotiation.sections[0].sending);
  EXPECT_EQ(FindDirection(Parsed(negotiation.answer_sdp).media[0]), SdpDirection::kRecvOnly);
}

TEST(SdpNegotiationTest, WritesEveryLocalCandidateOnce) {
  LocalTransport local = FixedTransport();
  local.candidates = {{"192.0.2.10", 8443}, {"2001:db8::10", 8444}};
  const auto result = AnswerPublishOffer(ReadSdpFile("publish_audio_video.offer.sdp"), local, 5, 7);
  ASSERT_TRUE(std::holds_alternative<PublishNegotiation>(result));
  const SessionDescription answer = Parsed(std::get<PublishNegotiation>(result).answer_sdp);
  EXPECT_EQ(answer.session.FindLine('o'), "- 5 7 IN IP4 0.0.0.0");
  EXPECT_EQ(Values(answer.media[0], "candidate"),
            (std::vector<std::string>{"1 1 udp 2130706431 192.0.2.10 8443 typ host",
                                      "2 1 udp 2130706175 2001:db8::10 8444 typ host"}));
  EXPECT_TRUE(Values(answer.media[1], "candidate").empty());
}

// --- Subscribe --------------------------------------------------------------------

TEST(SdpNegotiationTest, BuildsTheSubscribeOfferChromiumAccepted) {
  // subscribe.offer.sdp is what capture.mjs fed chromium; a change here needs a new capture.
  const std::vector<SubscribedSection> sections = FixedSubscribeSections();
  const std::string offer = BuildSubscribeOffer(FixedTransport(), 2000, 1, sections);
  EXPECT_EQ(offer, ReadSdpFile("subscribe.offer.sdp"));

  const SessionDescription parsed = Parsed(offer);
  EXPECT_TRUE(parsed.session.Has("ice-lite"));
  EXPECT_EQ(parsed.session.Find("group"), "BUNDLE 0 1 2");
  ASSERT_EQ(parsed.media.size(), 3U);
  const SdpMediaSection& audio = parsed.media[0];
  EXPECT_EQ(audio.formats, std::vector<std::string>{"111"});
  EXPECT_EQ(Values(audio, "fmtp"), std::vector<std::string>{"111 minptime=10;useinbandfec=1"});
  EXPECT_EQ(Values(audio, "extmap"), (std::vector<std::string>{"1 " + std::string(kExtensionAudioLevel),
                                                               "2 " + std::string(kExtensionAbsSendTime)}));
  EXPECT_EQ(Values(audio, "candidate"), std::vector<std::string>{std::string(kOurCandidate)});
  EXPECT_EQ(FindDirection(audio), SdpDirection::kSendOnly);
  EXPECT_EQ(audio.Find("msid"), "alice alice-microphone");
  EXPECT_EQ(Values(audio, "ssrc"), (std::vector<std::string>{"1001 cname:alice", "1001 msid:alice alice-microphone"}));

  const SdpMediaSection& camera = parsed.media[1];
  EXPECT_EQ(camera.formats, (std::vector<std::string>{"96", "97", "102", "103"}));
  EXPECT_EQ(Values(camera, "rtpmap"),
            (std::vector<std::string>{"96 VP8/90000", "97 rtx/90000", "102 H264/90000", "103 rtx/90000"}));
  EXPECT_EQ(
      Values(camera, "fmtp"),
      (std::vector<std::string>{
          "97 apt=96", "102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "103 apt=102"}));
  EXPECT_EQ(Values(camera, "extmap"), std::vector<std::string>{"2 " + std::string(kExtensionAbsSendTime)});
  EXPECT_EQ(Values(camera, "rtcp-fb"),
            (std::vector<std::string>{"96 nack", "96 nack pli", "96 ccm fir", "96 goog-remb", "102 nack",
                                      "102 nack pli", "102 ccm fir", "102 goog-remb"}));
  // RFC 4588 §8.6: the retransmission SSRC is paired with the media SSRC.
  EXPECT_EQ(Values(camera, "ssrc-group"), std::vector<std::string>{"FID 1002 1003"});
  EXPECT_EQ(Values(camera, "ssrc"), (std::vector<std::string>{"1002 cname:alice", "1002 msid:alice alice-camera",
                                                              "1003 cname:alice", "1003 msid:alice alice-camera"}));
  EXPECT_TRUE(Values(camera, "candidate").empty());

  const SdpMediaSection& unused = parsed.media[2];
  EXPECT_EQ(FindDirection(unused), SdpDirection::kInactive);
  EXPECT_FALSE(unused.Has("ssrc"));
  EXPECT_FALSE(unused.Has("msid"));
  for (const SdpMediaSection& section : parsed.media) {
    EXPECT_EQ(section.Find("setup"), "actpass");
    EXPECT_EQ(section.port, 9);
    EXPECT_TRUE(section.Has("rtcp-mux"));
  }
  EXPECT_EQ(offer.find("transport-cc"), std::string::npos);
}

TEST(SdpNegotiationTest, BuildsAnOfferWithoutSections) {
  const SessionDescription parsed = Parsed(BuildSubscribeOffer(FixedTransport(), 1, 1, {}));
  EXPECT_TRUE(parsed.media.empty());
  EXPECT_FALSE(parsed.session.Has("group"));
}

TEST(SdpNegotiationTest, ReadsChromiumSubscribeAnswer) {
  const std::string answer = ReadSdpFile("subscribe.answer.sdp");
  ASSERT_FALSE(answer.empty());
  const auto result = ReadSubscribeAnswer(answer, FixedSubscribeSections());
  ASSERT_TRUE(std::holds_alternative<SubscribeNegotiation>(result)) << std::get<SdpError>(result).code;
  const auto& negotiation = std::get<SubscribeNegotiation>(result);
  EXPECT_EQ(negotiation.local_role, DtlsRole::kServer);  // chromium answers a=setup:active
  EXPECT_EQ(negotiation.accepted_mids, (std::vector<std::string>{"0", "1"}));
  // Chromium keeps both rtx formats of the video section it receives.
  EXPECT_EQ(negotiation.rtx_payload_types,
            (std::vector<std::pair<std::string, std::uint8_t>>{{"1", kSubscribeVp8RtxPayloadType},
                                                               {"1", kSubscribeH264RtxPayloadType}}));
  const SessionDescription parsed = Parsed(answer);
  EXPECT_EQ(negotiation.remote_ufrag, parsed.media[0].Find("ice-ufrag"));
  EXPECT_EQ(negotiation.remote_pwd, parsed.media[0].Find("ice-pwd"));
  EXPECT_EQ("sha-256 " + negotiation.remote_fingerprint, parsed.media[0].Find("fingerprint"));
}

TEST(SdpNegotiationTest, ReadsEditedSubscribeAnswers) {
  const std::string answer = ReadSdpFile("subscribe.answer.sdp");
  const auto passive =
      ReadSubscribeAnswer(ReplaceAll(answer, "a=setup:active", "a=setup:passive"), FixedSubscribeSections());
  ASSERT_TRUE(std::holds_alternative<SubscribeNegotiation>(passive));
  EXPECT_EQ(std::get<SubscribeNegotiation>(passive).local_role, DtlsRole::kClient);

  // A browser that declines a track answers it inactive.
  std::string declined_text = answer;
  const std::size_t recvonly = declined_text.find("a=recvonly", declined_text.find("a=mid:1\r\n"));
  ASSERT_NE(recvonly, std::string::npos);
  declined_text.replace(recvonly, std::string_view("a=recvonly").size(), "a=inactive");
  const auto declined = ReadSubscribeAnswer(declined_text, FixedSubscribeSections());
  ASSERT_TRUE(std::holds_alternative<SubscribeNegotiation>(declined));
  EXPECT_EQ(std::get<SubscribeNegotiation>(declined).accepted_mids, std::vector<std::string>{"0"});

  EXPECT_EQ(SubscribeError(answer), "read");
  EXPECT_EQ(SubscribeError(ReplaceAll(answer, "a=setup:active", "a=setup:actpass")), "unsupported-setup");
  EXPECT_EQ(SubscribeError(ReplaceAll(answer, "a=mid:1", "a=mid:7")), "mid-mismatch");
  EXPECT_EQ(SubscribeError(answer.substr(0, answer.find("m=video"))), "mid-mismatch");
  EXPECT_EQ(SubscribeError(RemoveLines(answer, "a=group:")), "no-bundle");
  EXPECT_EQ(SubscribeError(RemoveLines(answer, "a=rtcp-mux")), "no-rtcp-mux");
  EXPECT_EQ(SubscribeError(RemoveLines(answer, "a=fingerprint:")), "no-fingerprint");
  EXPECT_EQ(SubscribeError(RemoveLines(answer, "a=ice-pwd:")), "no-ice-credentials");
  EXPECT_EQ(SubscribeError("v=0\r\n"), "sdp-malformed");
  EXPECT_EQ(SubscribeError("garbage"), "sdp-malformed");
  EXPECT_EQ(SubscribeError(ReplaceAll(answer, "m=audio ", "m=video ")), "mid-mismatch");
}

TEST(SdpNegotiationTest, ReadsAnAnswerThatRejectsEverything) {
  const std::string answer =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
      "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n";
  const auto result = ReadSubscribeAnswer(answer, FixedSubscribeSections());
  ASSERT_TRUE(std::holds_alternative<SubscribeNegotiation>(result));
  EXPECT_TRUE(std::get<SubscribeNegotiation>(result).accepted_mids.empty());
  EXPECT_TRUE(std::get<SubscribeNegotiation>(result).remote_ufrag.empty());
}

}  // namespace
}  // namespace egovbox::media
