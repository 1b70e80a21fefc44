// The browser's side of the SDP (client_sdp.h), as egovbox-loadgen and the tests'
// FakeBrowser use it, against the SFU's own rules (sdp_negotiation.h): the publish
// offer is answered with both tracks, the subscribe answer is read back, and the
// SFU's transport is found in its SDP.
#include "media/client_sdp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "media/sdp_negotiation.h"

namespace egovbox::media {
namespace {

constexpr std::uint16_t kClientPort = 40000;
constexpr std::uint16_t kServerPort = 8443;
constexpr std::uint32_t kAudioSsrc = 0x10000000;
constexpr std::uint32_t kVideoSsrc = 0x10000001;

const IceDtlsIdentity kClient{
    "fakeclient", "FakeBrowserPasswordclient0123456789",
    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"};

LocalTransport Server() {
  LocalTransport local;
  local.ice_ufrag = "srvr";
  local.ice_pwd = "ServerPassword0123456789";
  local.fingerprint = "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF";
  local.candidates.push_back({"127.0.0.1", kServerPort});
  return local;
}

TEST(ClientSdpTest, ThePublishOfferIsAnsweredWithBothTracks) {
  const std::array<ClientPublishTrack, 2> tracks = {{{MediaKind::kAudio, kAudioSsrc}, {MediaKind::kVideo, kVideoSsrc}}};
  const std::string offer = ClientPublishOffer(kClient, kClientPort, tracks);
  const auto result = AnswerPublishOffer(offer, Server(), 1, 1);
  ASSERT_TRUE(std::holds_alternative<PublishNegotiation>(result)) << std::get<SdpError>(result).detail << "\n" << offer;
  const auto& negotiation = std::get<PublishNegotiation>(result);
  EXPECT_EQ(negotiation.remote_ufrag, kClient.ufrag);
  EXPECT_EQ(negotiation.remote_pwd, kClient.pwd);
  EXPECT_EQ(negotiation.remote_fingerprint, kClient.fingerprint);
  EXPECT_EQ(negotiation.local_role, DtlsRole::kServer);  // the client offered actpass
  ASSERT_EQ(negotiation.sections.size(), 2U);
  const PublishedSection& audio = negotiation.sections[0];
  EXPECT_TRUE(audio.sending);
  EXPECT_EQ(audio.kind, MediaKind::kAudio);
  EXPECT_EQ(audio.codec.name, "opus");
  EXPECT_EQ(audio.codec.payload_type, kClientOpusPayloadType);
  EXPECT_EQ(audio.ssrcs, std::vector<std::uint32_t>{kAudioSsrc});
  ASSERT_EQ(audio.extensions.size(), 2U);
  const PublishedSection& video = negotiation.sections[1];
  EXPECT_TRUE(video.sending);
  EXPECT_EQ(video.kind, MediaKind::kVideo);
  EXPECT_EQ(video.codec.name, "VP8");
  EXPECT_EQ(video.codec.payload_type, kClientVp8PayloadType);
  EXPECT_EQ(video.ssrcs, std::vector<std::uint32_t>{kVideoSsrc});
  EXPECT_NE(std::find(video.codec.rtcp_fb.begin(), video.codec.rtcp_fb.end(), "nack pli"), video.codec.rtcp_fb.end());

  // And the answer tells the client where to go.
  std::string error;
  const auto server = ServerTransportOf(negotiation.answer_sdp, &error);
  ASSERT_TRUE(server) << error;
  EXPECT_EQ(server->identity.ufrag, "srvr");
  EXPECT_EQ(server->identity.pwd, "ServerPassword0123456789");
  EXPECT_EQ(server->setup, "passive");
  EXPECT_EQ(server->candidate_ip, "127.0.0.1");
  EXPECT_EQ(server->candidate_port, kServerPort);
}

TEST(ClientSdpTest, TheSubscribeAnswerIsReadBackWithTheClientAsDtlsClient) {
  const std::array<SubscribedSection, 3> sections = {{
      {"0", MediaKind::kAudio, true, 1111, "c", "s", "t0"},
      {"1", MediaKind::kVideo, true, 2222, "c", "s", "t1"},
      {"2", MediaKind::kVideo, false, 0, "", "", ""},
  }};
  const std::string offer = BuildSubscribeOffer(Server(), 9, 1, sections);
  const std::string answer = SubscribeAnswerFor(offer, kClient);
  EXPECT_EQ(answer.find("a=candidate:"), std::string::npos);
  EXPECT_EQ(answer.find("a=ssrc:"), std::string::npos);
  const auto result = ReadSubscribeAnswer(answer, sections);
  ASSERT_TRUE(std::holds_alternative<SubscribeNegotiation>(result)) << std::get<SdpError>(result).detail << "\n"
                                                                    << answer;
  const auto& negotiation = std::get<SubscribeNegotiation>(result);
  EXPECT_EQ(negotiation.remote_ufrag, kClient.ufrag);
  EXPECT_EQ(negotiation.remote_fingerprint, kClient.fingerprint);
  EXPECT_EQ(negotiation.local_role, DtlsRole::kServer);
  EXPECT_EQ(negotiation.accepted_mids, (std::vector<std::string>{"0", "1"}));
}

TEST(ClientSdpTest, ServerTransportOfSaysWhatIsMissing) {
  std::string error;
  EXPECT_FALSE(ServerTransportOf("v=0\r\nthis is not SDP\r\n", &error));
  EXPECT_FALSE(error.empty());
  const std::string without_candidate = RewriteSdpLines(
      BuildSubscribeOffer(Server(), 1, 1,
                          std::array<SubscribedSection, 1>{{{"0", MediaKind::kAudio, true, 1, "c", "s", "t"}}}),
      [](std::string_view line) -> std::optional<std::string> {
        if (line.starts_with("a=candidate:")) return std::nullopt;
        return std::string(line);
      });
  error.clear();
  EXPECT_FALSE(ServerTransportOf(without_candidate, &error));
  EXPECT_EQ(error, "the SFU's SDP lacks its transport");
}

}  // namespace
}  // namespace egovbox::media
