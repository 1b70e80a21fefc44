// Simulcast end to end over loopback (docs/media.md "Simulcast"): a fake browser
// publishes the captured Chromium simulcast offer and sends three VP8 layers by
// rid; a subscriber gets the layer its tile fits, and after the tile grows, the
// top layer from its next keyframe on, in one continuous stream (sequence
// numbers, timestamps, picture IDs).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "fake_browser.h"
#include "media/rtcp_packet.h"
#include "media/rtp_packet.h"
#include "media/sfu.h"
#include "sfu_fixture.h"

namespace egovbox::media {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test::Bytes;
using test::Clock;
using test::FakeBrowser;

constexpr auto kWait = std::chrono::seconds(3);
constexpr std::uint8_t kVp8 = 96;
// The captured offer's ids of sdes:mid and rtp-stream-id (tests/data/sdp/publish_simulcast.offer.sdp).
constexpr std::uint8_t kMidId = 4;
constexpr std::uint8_t kRidId = 10;
constexpr std::uint32_t kTicksPerFrame = 3000;
constexpr std::array<const char*, 3> kRids = {"q", "h", "f"};
constexpr std::array<std::uint32_t, 3> kLayerSsrcs = {0x1110, 0x2220, 0x3330};
constexpr std::array<std::uint16_t, 3> kWidths = {160, 320, 640};
constexpr std::array<std::uint16_t, 3> kHeights = {120, 240, 480};

Bytes Text(std::string_view text) {
  return {text.begin(), text.end()};
}

// One VP8 frame in one packet of `layer`: RFC 7741 §4.2 descriptor with a 15-bit
// picture ID and TL0PICIDX, then a key frame header (RFC 6386 §9.1, the layer's
// size) or a delta frame tag, then filler ending in the layer's index.
Bytes LayerPacket(std::size_t layer, std::uint16_t frame, bool key) {
  const auto picture_id = static_cast<std::uint16_t>((1000 * (layer + 1) + frame) & 0x7FFFU);
  Bytes payload = {0x90, 0xC0, static_cast<std::uint8_t>(0x80U | (picture_id >> 8U)),
                   static_cast<std::uint8_t>(picture_id), static_cast<std::uint8_t>(50 * layer + frame)};
  if (key) {
    payload.insert(payload.end(),
                   {0x00, 0x02, 0x00, 0x9D, 0x01, 0x2A, static_cast<std::uint8_t>(kWidths[layer]),
                    static_cast<std::uint8_t>(kWidths[layer] >> 8U), static_cast<std::uint8_t>(kHeights[layer]),
                    static_cast<std::uint8_t>(kHeights[layer] >> 8U)});
  } else {
    payload.insert(payload.end(), {0x01, 0x02, 0x00});
  }
  payload.resize(100 * (layer + 1), 0xAB);
  payload.push_back(static_cast<std::uint8_t>(layer));
  const auto sequence_number = static_cast<std::uint16_t>(10000 * (layer + 1) + frame);
  const std::uint32_t timestamp = 7'000'000 * static_cast<std::uint32_t>(layer + 1) + frame * kTicksPerFrame;
  return test::MakeRtpPacket(kVp8, true, sequence_number, timestamp, kLayerSsrcs[layer], payload,
                             {{kMidId, Text("1")}, {kRidId, Text(kRids[layer])}});
}

bool PliFor(std::vector<Bytes>& received, std::uint32_t media_ssrc) {
  bool found = false;
  for (Bytes& datagram : received) {
    const auto compound = RtcpCompound::Parse(datagram);
    if (!compound) continue;
    for (const RtcpPacketView packet : *compound) {
      const auto pli = RtcpPli::Parse(packet);
      found = found || (pli && pli->media_ssrc() == media_ssrc);
    }
  }
  return found;
}

struct Received {
  std::size_t layer;
  std::uint16_t sequence_number;
  std::uint32_t timestamp;
  std::uint16_t picture_id;
  std::uint32_t ssrc;
};

std::vector<Received> ReadVideo(std::vector<Bytes>& rtp) {
  std::vector<Received> read;
  for (Bytes& datagram : rtp) {
    const auto packet = RtpPacket::Parse(datagram);
    if (!packet || packet->payload_type() != kVp8) continue;
    const auto descriptor = ParseVp8Descriptor(packet->payload());
    EXPECT_TRUE(descriptor && descriptor->picture_id && descriptor->picture_id_15bit);
    read.push_back({packet->payload().back(), packet->sequence_number(), packet->timestamp(),
                    descriptor ? descriptor->picture_id.value_or(0) : std::uint16_t{0}, packet->ssrc()});
  }
  return read;
}

TEST(SfuSimulcastTest, ForwardsTheLayerTheTileFitsAndSwitchesUpOnAKeyframeWithoutABreak) {
  crypto::InitializeCrypto();
  test::SfuMessageQueue observer(kWait);
  std::string error;
  auto sfu = test::StartLoopbackSfu(observer, &error);
  ASSERT_TRUE(sfu) << error;

  // A publishes Chromium's simulcast offer: the answer receives the three rids.
  FakeBrowser a("A");
  FakeBrowser b("B");
  ASSERT_TRUE(a.ok() && b.ok());
  sfu->Join("r", "pA", {{"name", "pA"}});
  observer.WaitFor("pA", "media.joined");
  const std::string offer = test::ReadSdpFile("publish_simulcast.offer.sdp");
  sfu->HandleMessage("pA", test::PublishMessage(test::WithIdentity(offer, a.identity())));
  const json answer = observer.WaitFor("pA", "media.publish.answer");
  const std::string answer_sdp = answer.value("sdp", "");
  EXPECT_NE(answer_sdp.find("a=simulcast:recv q;h;f"), std::string::npos) << answer_sdp;
  ASSERT_TRUE(test::ConnectToSfu(a, answer_sdp));

  // B subscribes and shows A's camera as a thumbnail.
  sfu->Join("r", "pB", {{"name", "pB"}});
  observer.WaitFor("pB", "media.joined");
  const json subscribe = observer.WaitFor("pB", "media.subscribe.offer");
  const std::string subscribe_sdp = subscribe.value("sdp", "");
  const std::string video_mid = test::VideoMidOf(subscribe);
  ASSERT_FALSE(video_mid.empty()) << subscribe.dump();
  const std::uint32_t b_video = test::SsrcsByMid(subscribe_sdp).at(video_mid);
  sfu->HandleMessage("pB",
                     test::SubscribeAnswerMessage(subscribe, test::SubscribeAnswerFor(subscribe_sdp, b.identity())));
  ASSERT_TRUE(test::ConnectToSfu(b, subscribe_sdp));
  sfu->HandleMessage("pB",
                     {{"type", "media.layout"}, {"tiles", {{{"mid", video_mid}, {"width", 160}, {"height", 90}}}}});

  // A sends the three layers at 30 frames/s, each starting with a keyframe.
  std::uint16_t frame = 0;
  const auto send_frames = [&](int count, std::optional<std::size_t> key_layer) {
    for (int i = 0; i < count; ++i, ++frame) {
      for (std::size_t layer = 0; layer < 3; ++layer) {
        a.SendRtp(LayerPacket(layer, frame, frame == 0 || (key_layer == layer && i == 0)));
      }
      a.ReceiveFor(milliseconds(5));
      b.ReceiveFor(milliseconds(28));
    }
  };
  send_frames(45, std::nullopt);  // 1.5 s: the selector has run at least once
  std::vector<Received> received = ReadVideo(b.rtp());
  ASSERT_FALSE(received.empty()) << "B got no video";
  for (const Received& packet : received) {
    EXPECT_EQ(packet.layer, 0U) << "a thumbnail gets the low layer";
    EXPECT_EQ(packet.ssrc, b_video);
  }

  // The tile grows: the SFU asks A for a keyframe of the top layer, and switches on it.
  a.rtcp().clear();
  sfu->HandleMessage("pB",
                     {{"type", "media.layout"}, {"tiles", {{{"mid", video_mid}, {"width", 640}, {"height", 360}}}}});
  const auto asked = Clock::now();
  while (!PliFor(a.rtcp(), kLayerSsrcs[2]) && Clock::now() - asked < kWait) send_frames(1, std::nullopt);
  ASSERT_TRUE(PliFor(a.rtcp(), kLayerSsrcs[2])) << "no keyframe request for the top layer";
  send_frames(3, std::nullopt);  // still the low layer until the keyframe
  send_frames(10, std::size_t{2});
  received = ReadVideo(b.rtp());
  ASSERT_FALSE(received.empty());
  EXPECT_EQ(received.back().layer, 2U) << "B did not switch to the top layer";

  // One stream throughout: each packet one past the last, a frame's timestamp
  // later, the next picture ID; low packets first, then top packets only.
  bool switched = false;
  for (std::size_t i = 1; i < received.size(); ++i) {
    const Received& before = received[i - 1];
    const Received& now = received[i];
    EXPECT_EQ(now.sequence_number, static_cast<std::uint16_t>(before.sequence_number + 1)) << i;
    EXPECT_EQ(now.picture_id, static_cast<std::uint16_t>((before.picture_id + 1) & 0x7FFFU)) << i;
    const std::uint32_t step = now.timestamp - before.timestamp;
    EXPECT_GT(step, 0U) << i;
    EXPECT_LT(step, 10 * kTicksPerFrame) << i;  // the time since the last packet, not the new layer's own base
    EXPECT_EQ(now.ssrc, b_video);
    if (now.layer == 2) switched = true;
    EXPECT_EQ(now.layer, switched ? 2U : 0U) << i;
  }
  EXPECT_TRUE(switched);

  // A second SSRC under the top layer's rid, alternating with the first packet by
  // packet for a fifth of a second: the layer is rebound at most once a second,
  // so what B gets comes from one SSRC and then, at most once, from the other
  // (the newcomer's packets are marked 0x77) — never back and forth.
  b.rtp().clear();
  constexpr std::uint32_t kOtherSsrc = 0x0BADCAFE;
  constexpr std::uint8_t kOtherMark = 0x77;
  constexpr std::size_t kSsrcAt = 8;  // RFC 3550 §5.1
  for (int i = 0; i < 10; ++i, ++frame) {
    Bytes own = LayerPacket(2, frame, false);
    Bytes other = own;
    for (std::size_t k = 0; k < 4; ++k) other[kSsrcAt + k] = static_cast<std::uint8_t>(kOtherSsrc >> (24U - 8U * k));
    other.back() = kOtherMark;
    a.SendRtp(other);
    a.SendRtp(own);
    b.ReceiveFor(milliseconds(20));
  }
  received = ReadVideo(b.rtp());
  EXPECT_GE(received.size(), 5U) << "the layer stopped";
  std::size_t changes = 0;
  for (std::size_t i = 0; i < received.size(); ++i) {
    EXPECT_TRUE(received[i].layer == 2U || received[i].layer == kOtherMark) << i;
    if (i > 0 && received[i].layer != received[i - 1].layer) ++changes;
  }
  EXPECT_LE(changes, 1U) << "the layer was rebound more than once in a fifth of a second";
}

}  // namespace
}  // namespace egovbox::media
