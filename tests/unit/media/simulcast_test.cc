#include "media/simulcast.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "media/rtp_packet.h"

namespace egovbox::media {
namespace {

using Clock = LayerSelector::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

// Three layers as the page sends them from a 640x480 camera.
std::array<LayerInfo, 3> ThreeLayers() {
  return {LayerInfo{true, 150'000, 160, 120}, LayerInfo{true, 500'000, 320, 240}, LayerInfo{true, 1'200'000, 640, 480}};
}

TEST(LayerSelectorTest, StartsOnTheHighestLayerWithoutEstimateOrTile) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  EXPECT_EQ(selector.Select({layers, std::nullopt, std::nullopt, std::nullopt}, -1, kStart), 2);
}

TEST(LayerSelectorTest, StartsOnTheLayerTheTileFitsWhileTheEstimateRampsUp) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  EXPECT_EQ(selector.Select({layers, 300'000, std::nullopt, std::nullopt}, -1, kStart), 2);
  // A rising estimate under the layer's rate is no reason to go down.
  EXPECT_EQ(selector.Select({layers, 600'000, 0.0, std::nullopt}, 2, kStart + seconds(1)), 2);
}

TEST(LayerSelectorTest, NeverChoosesALayerLargerThanAboutTheTile) {
  const auto layers = ThreeLayers();
  LayerSelector thumbnail;
  EXPECT_EQ(thumbnail.Select({layers, std::nullopt, std::nullopt, PictureSize{160, 90}}, -1, kStart), 0);
  LayerSelector medium;
  EXPECT_EQ(medium.Select({layers, std::nullopt, std::nullopt, PictureSize{300, 200}}, -1, kStart), 1);
  LayerSelector large;
  EXPECT_EQ(large.Select({layers, std::nullopt, std::nullopt, PictureSize{600, 340}}, -1, kStart), 2);
  LayerSelector hidden;
  EXPECT_EQ(hidden.Select({layers, std::nullopt, std::nullopt, PictureSize{0, 0}}, -1, kStart), 0);
}

TEST(LayerSelectorTest, GoesDownAtOnceWhenTheTileShrinks) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  ASSERT_EQ(selector.Select({layers, std::nullopt, std::nullopt, std::nullopt}, -1, kStart), 2);
  EXPECT_EQ(selector.Select({layers, std::nullopt, std::nullopt, PictureSize{120, 90}}, 2, kStart + seconds(1)), 0);
}

TEST(LayerSelectorTest, GoesDownAtOnceWhenTheEstimateFallsUnderTheLayersRate) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  ASSERT_EQ(selector.Select({layers, 3'000'000, std::nullopt, std::nullopt}, -1, kStart), 2);
  EXPECT_EQ(selector.Select({layers, 400'000, std::nullopt, std::nullopt}, 2, kStart + seconds(1)), 0);
}

TEST(LayerSelectorTest, GoesDownOneLayerOnHighLossAndNotAgainBeforeTheLossSettles) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  ASSERT_EQ(selector.Select({layers, std::nullopt, std::nullopt, std::nullopt}, -1, kStart), 2);
  EXPECT_EQ(selector.Select({layers, std::nullopt, 0.4, std::nullopt}, 2, kStart + seconds(1)), 1);
  // The next report still covers the old layer: no second step yet.
  EXPECT_EQ(selector.Select({layers, std::nullopt, 0.4, std::nullopt}, 2, kStart + seconds(2)), 1);
  EXPECT_EQ(selector.Select({layers, std::nullopt, 0.3, std::nullopt}, 1, kStart + seconds(4)), 0);
}

TEST(LayerSelectorTest, GoesUpOneLayerAtATimeAfterSecondsOfHeadroom) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  ASSERT_EQ(selector.Select({layers, 3'000'000, std::nullopt, std::nullopt}, -1, kStart), 2);
  ASSERT_EQ(selector.Select({layers, 200'000, std::nullopt, std::nullopt}, 2, kStart + seconds(1)), 0);
  // The estimate rises: nothing changes before the hold and kUpDelay of headroom.
  auto now = kStart + seconds(2);
  EXPECT_EQ(selector.Select({layers, 5'000'000, 0.0, std::nullopt}, 0, now), 0);
  EXPECT_EQ(selector.Select({layers, 5'000'000, 0.0, std::nullopt}, 0, now + seconds(2)), 0);
  EXPECT_EQ(selector.Select({layers, 5'000'000, 0.0, std::nullopt}, 0, now + LayerSelector::kUpDelay), 1);
  now += LayerSelector::kUpDelay;
  EXPECT_EQ(selector.Select({layers, 5'000'000, 0.0, std::nullopt}, 1, now + seconds(1)), 1);
  EXPECT_EQ(selector.Select({layers, 5'000'000, 0.0, std::nullopt}, 1, now + seconds(1) + LayerSelector::kUpDelay), 2);
}

TEST(LayerSelectorTest, TriesTheNextLayerWhenTheEstimateIsWellAboveTheCurrentOne) {
  // A receiver's REMB ramps up only to about 1.5 times what it receives: on the
  // low layer it never reaches the middle layer's rate, so "well above the
  // current layer's rate" is headroom too.
  const auto layers = ThreeLayers();
  LayerSelector selector;
  ASSERT_EQ(selector.Select({layers, 3'000'000, std::nullopt, std::nullopt}, -1, kStart), 2);
  ASSERT_EQ(selector.Select({layers, 160'000, std::nullopt, std::nullopt}, 2, kStart + seconds(1)), 0);
  int current = 0;
  auto now = kStart + seconds(1);
  while (current == 0 && now < kStart + seconds(30)) {
    now += seconds(1);
    current = selector.Select({layers, 235'000, 0.0, std::nullopt}, 0, now);
  }
  EXPECT_EQ(current, 1);
}

TEST(LayerSelectorTest, StaysWhileTheEstimateOnlyCarriesTheCurrentLayer) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  ASSERT_EQ(selector.Select({layers, 3'000'000, std::nullopt, std::nullopt}, -1, kStart), 2);
  ASSERT_EQ(selector.Select({layers, 160'000, std::nullopt, std::nullopt}, 2, kStart + seconds(1)), 0);
  for (int i = 2; i < 30; ++i) {
    EXPECT_EQ(selector.Select({layers, 160'000, 0.0, std::nullopt}, 0, kStart + seconds(i)), 0) << i;
  }
}

TEST(LayerSelectorTest, WaitsLongerAfterAnAttemptUpThatBroughtLoss) {
  const auto layers = ThreeLayers();
  LayerSelector selector;
  auto now = kStart;
  ASSERT_EQ(selector.Select({layers, std::nullopt, std::nullopt, std::nullopt}, -1, now), 2);
  now += seconds(1);
  ASSERT_EQ(selector.Select({layers, std::nullopt, 0.5, std::nullopt}, 2, now), 1);
  const auto first_down = now;
  // Up again once the hold and the headroom delay have passed.
  int current = 1;
  while (current == 1) {
    now += seconds(1);
    current = selector.Select({layers, std::nullopt, 0.0, std::nullopt}, 1, now);
  }
  EXPECT_EQ(current, 2);
  const auto first_wait = now - first_down;
  // Loss again at once: down, and the next attempt comes later than the first.
  now += seconds(1);
  ASSERT_EQ(selector.Select({layers, std::nullopt, 0.5, std::nullopt}, 2, now), 1);
  const auto second_down = now;
  current = 1;
  while (current == 1) {
    now += seconds(1);
    current = selector.Select({layers, std::nullopt, 0.0, std::nullopt}, 1, now);
  }
  EXPECT_GT(now - second_down, first_wait);
}

TEST(LayerSelectorTest, SkipsLayersThatAreNotReceived) {
  auto layers = ThreeLayers();
  layers[2].active = false;  // the publisher's encoder dropped its top layer
  LayerSelector selector;
  EXPECT_EQ(selector.Select({layers, std::nullopt, std::nullopt, std::nullopt}, -1, kStart), 1);
  // The forwarded layer stops: the selector moves to one that is received.
  layers[2].active = true;
  layers[1].active = false;
  EXPECT_EQ(selector.Select({layers, std::nullopt, std::nullopt, std::nullopt}, 1, kStart + seconds(1)), 2);
  std::array<LayerInfo, 3> none{};
  EXPECT_EQ(selector.Select({none, std::nullopt, std::nullopt, std::nullopt}, 2, kStart + seconds(2)), 2);
}

// --- VP8 picture IDs -----------------------------------------------------------

// RFC 7741 §4.2: X=1, S=1, PID 0; I and L; a 15-bit picture ID; TL0PICIDX; one payload byte.
std::vector<std::uint8_t> Descriptor(std::uint16_t picture_id, std::uint8_t tl0) {
  return {0x90, 0xC0, static_cast<std::uint8_t>(0x80U | (picture_id >> 8U)), static_cast<std::uint8_t>(picture_id),
          tl0,  0x00};
}

struct Read {
  std::uint16_t picture_id;
  std::uint8_t tl0;
};

Read Rewritten(Vp8PictureRewriter& rewriter, std::uint16_t picture_id, std::uint8_t tl0, std::uint32_t ssrc) {
  auto payload = Descriptor(picture_id, tl0);
  rewriter.Rewrite(payload, ssrc);
  const auto descriptor = ParseVp8Descriptor(payload);
  EXPECT_TRUE(descriptor && descriptor->picture_id && descriptor->tl0_pic_idx && descriptor->picture_id_15bit);
  return {descriptor->picture_id.value_or(0), descriptor->tl0_pic_idx.value_or(0)};
}

TEST(Vp8PictureRewriterTest, KeepsTheFirstSourcesValues) {
  Vp8PictureRewriter rewriter;
  EXPECT_EQ(Rewritten(rewriter, 1234, 7, 1).picture_id, 1234);
  EXPECT_EQ(Rewritten(rewriter, 1235, 8, 1).tl0, 8);
}

TEST(Vp8PictureRewriterTest, ContinuesOnePastTheLastAcrossASwitch) {
  Vp8PictureRewriter rewriter;
  Rewritten(rewriter, 100, 50, 1);
  Rewritten(rewriter, 101, 51, 1);
  const Read first = Rewritten(rewriter, 20000, 200, 2);
  EXPECT_EQ(first.picture_id, 102);
  EXPECT_EQ(first.tl0, 52);
  const Read second = Rewritten(rewriter, 20001, 201, 2);
  EXPECT_EQ(second.picture_id, 103);
  EXPECT_EQ(second.tl0, 53);
  // A retransmission of the same source's packet gets the same values again.
  EXPECT_EQ(Rewritten(rewriter, 20000, 200, 2).picture_id, 102);
  // And back to the first layer.
  EXPECT_EQ(Rewritten(rewriter, 140, 60, 1).picture_id, 104);
}

TEST(Vp8PictureRewriterTest, WrapsAt0x7FFF) {
  Vp8PictureRewriter rewriter;
  Rewritten(rewriter, 0x7FFE, 255, 1);
  const Read switched = Rewritten(rewriter, 10, 3, 2);
  EXPECT_EQ(switched.picture_id, 0x7FFF);
  EXPECT_EQ(switched.tl0, 0);
  EXPECT_EQ(Rewritten(rewriter, 11, 4, 2).picture_id, 0);
  EXPECT_EQ(Rewritten(rewriter, 12, 4, 2).picture_id, 1);
}

TEST(Vp8PictureRewriterTest, RewritesSevenBitPictureIdsWithinSevenBits) {
  Vp8PictureRewriter rewriter;
  std::vector<std::uint8_t> first = {0x90, 0x80, 0x7E, 0x00};
  rewriter.Rewrite(first, 1);
  std::vector<std::uint8_t> second = {0x90, 0x80, 0x05, 0x00};
  rewriter.Rewrite(second, 2);
  EXPECT_EQ(second[2], 0x7F);
  std::vector<std::uint8_t> third = {0x90, 0x80, 0x06, 0x00};
  rewriter.Rewrite(third, 2);
  EXPECT_EQ(third[2], 0x00);
}

TEST(Vp8PictureRewriterTest, KeepsFollowingSevenBitPictureIdsPastTheirWrapAndAcrossASwitch) {
  Vp8PictureRewriter rewriter;
  const auto seven_bit = [&](std::uint8_t picture_id, std::uint32_t ssrc) {
    std::vector<std::uint8_t> payload = {0x90, 0x80, picture_id, 0x00};
    rewriter.Rewrite(payload, ssrc);
    return payload[2];
  };
  // Two full wraps of the 7-bit space on the first layer: the last one sent is 0x10.
  constexpr int kPictures = 2 * 128 + 0x10 + 1;
  for (int i = 0; i < kPictures; ++i) EXPECT_EQ(seven_bit(static_cast<std::uint8_t>(i & 0x7F), 1), i & 0x7F);
  // The switch continues one past it, not one past the value before the first wrap.
  EXPECT_EQ(seven_bit(0x40, 2), 0x11);
  EXPECT_EQ(seven_bit(0x41, 2), 0x12);
}

TEST(Vp8PictureRewriterTest, LeavesShortOrPlainDescriptorsAlone) {
  Vp8PictureRewriter rewriter;
  std::vector<std::uint8_t> plain = {0x10, 0x00, 0x01};  // no X: nothing to rewrite
  rewriter.Rewrite(plain, 1);
  EXPECT_EQ(plain, (std::vector<std::uint8_t>{0x10, 0x00, 0x01}));
  std::vector<std::uint8_t> cut = {0x90, 0xC0, 0x80};  // the picture ID's second byte missing
  rewriter.Rewrite(cut, 1);
  EXPECT_EQ(cut, (std::vector<std::uint8_t>{0x90, 0xC0, 0x80}));
}

// --- The meter ---------------------------------------------------------------

TEST(LayerMeterTest, MeasuresBitrateOverOneSecondWindowsAndTheKeyframeSize) {
  LayerMeter meter;
  EXPECT_FALSE(meter.Active(kStart));
  // A keyframe: descriptor (S, PID 0), frame tag with bit 0 clear, start code, 640x480.
  const std::vector<std::uint8_t> keyframe = {0x10, 0x00, 0x00, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01};
  meter.Add(1000, keyframe, kStart);
  for (int i = 1; i < 10; ++i) meter.Add(1000, {}, kStart + milliseconds(100 * i));
  EXPECT_EQ(meter.bitrate(), 0U);  // no complete window yet
  meter.Add(1000, {}, kStart + seconds(1));
  EXPECT_EQ(meter.bitrate(), 80'000U);
  EXPECT_EQ(meter.width(), 640);
  EXPECT_EQ(meter.height(), 480);
  EXPECT_TRUE(meter.Active(kStart + milliseconds(1500)));
  EXPECT_FALSE(meter.Active(kStart + milliseconds(2500)));
}

// --- media.layout --------------------------------------------------------------

TEST(LayoutTilesTest, ReadsValidTilesAndRefusesTheRest) {
  const auto tiles = ParseLayoutTiles(nlohmann::json::parse(
      R"([{"mid":"1","width":320,"height":180},{"mid":"3","width":0,"height":0},{"mid":"1","width":640,"height":360}])"));
  ASSERT_TRUE(tiles);
  ASSERT_EQ(tiles->size(), 2U);
  EXPECT_EQ((*tiles)[0].mid, "3");
  EXPECT_EQ((*tiles)[1].size.width, 640);
  EXPECT_TRUE(ParseLayoutTiles(nlohmann::json::array()));
  for (const char* bad : {R"({})", R"([1])", R"([{"mid":"1","width":320}])", R"([{"mid":"a b","width":1,"height":1}])",
                          R"([{"mid":"1","width":-1,"height":1}])", R"([{"mid":"1","width":1.5,"height":1}])",
                          R"([{"mid":"1","width":20000,"height":1}])", R"([{"mid":1,"width":1,"height":1}])"}) {
    EXPECT_FALSE(ParseLayoutTiles(nlohmann::json::parse(bad))) << bad;
  }
  nlohmann::json many = nlohmann::json::array();
  for (std::size_t i = 0; i <= kMaxLayoutTiles; ++i) many.push_back({{"mid", "1"}, {"width", 1}, {"height", 1}});
  EXPECT_FALSE(ParseLayoutTiles(many));
}

}  // namespace
}  // namespace egovbox::media
