#include "media/last_n.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "media/sdp_negotiation.h"

namespace egovbox::media {
namespace {

// A participant with a microphone and, when asked, a camera (muted or not) and a screen.
std::unique_ptr<Participant> Person(const std::string& id, bool camera = true, bool camera_muted = false,
                                    bool screen = false) {
  auto person = std::make_unique<Participant>();
  person->id = id;
  const auto add = [&](TrackSource source, bool muted) {
    auto track = std::make_unique<PublishedTrack>();
    track->source = source;
    track->kind = KindOfSource(source);
    track->muted = muted;
    person->tracks.push_back(std::move(track));
  };
  add(TrackSource::kMicrophone, false);
  if (camera) add(TrackSource::kCamera, camera_muted);
  if (screen) add(TrackSource::kScreen, false);
  return person;
}

std::vector<std::string> Ids(const std::vector<const Participant*>& participants) {
  std::vector<std::string> ids;
  for (const Participant* participant : participants) ids.push_back(participant->id);
  return ids;
}

TEST(LastNTest, EveryCameraIsShownUpToN) {
  const auto a = Person("a");
  const auto b = Person("b");
  const auto c = Person("c");
  const std::vector<const Participant*> order{a.get(), b.get(), c.get()};
  EXPECT_TRUE(OffStage(order, *a, 2).empty()) << "the subscriber's own camera takes no place";
  EXPECT_EQ(Ids(OffStage(order, *c, 1)), std::vector<std::string>{"b"});
  EXPECT_EQ(Ids(OffStage(order, *a, 1)), std::vector<std::string>{"c"});
  EXPECT_TRUE(OffStage(order, *a, 0).empty()) << "0: no limit";
}

TEST(LastNTest, TheMostRecentSpeakersComeFirst) {
  const auto a = Person("a");
  const auto b = Person("b");
  const auto c = Person("c");
  const auto d = Person("d");
  // d spoke last, then b; a and c never spoke.
  const std::vector<const Participant*> order{d.get(), b.get(), a.get(), c.get()};
  EXPECT_EQ(Ids(OffStage(order, *a, 2)), std::vector<std::string>{"c"});
  EXPECT_EQ(Ids(OffStage(order, *c, 2)), std::vector<std::string>{"a"});
  EXPECT_EQ(Ids(OffStage(order, *d, 2)), std::vector<std::string>{"c"});
}

TEST(LastNTest, NoCameraOrAMutedOneTakesNoPlace) {
  const auto a = Person("a");
  const auto b = Person("b", /*camera=*/false);
  const auto c = Person("c", /*camera=*/true, /*camera_muted=*/true);
  const auto d = Person("d");
  const auto e = Person("e");
  const std::vector<const Participant*> order{b.get(), c.get(), d.get(), e.get(), a.get()};
  EXPECT_EQ(Ids(OffStage(order, *a, 1)), std::vector<std::string>{"e"});
  EXPECT_FALSE(SendsCamera(*b));
  EXPECT_FALSE(SendsCamera(*c));
  EXPECT_TRUE(SendsCamera(*d));
}

// VP8 RTP packets (RFC 7741 §4.2): a descriptor with S=1 PID=0, then the VP8
// payload header whose P bit (bit 0 of the first byte) is 0 for a key frame.
std::vector<std::uint8_t> Vp8Packet(std::uint16_t sequence_number, bool start_of_keyframe) {
  return {0x80,
          kSubscribeVp8PayloadType,
          static_cast<std::uint8_t>(sequence_number >> 8U),
          static_cast<std::uint8_t>(sequence_number),
          0,
          0,
          0x10,
          0,  // timestamp
          0,
          0,
          0,
          7,     // SSRC
          0x10,  // X=0 S=1 PID=0
          static_cast<std::uint8_t>(start_of_keyframe ? 0x00 : 0x01),
          0x00,
          0x00,
          0x9D,
          0x01,
          0x2A};
}

TEST(LastNTest, ASectionBackOnStageForwardsFromTheNextKeyframeOnWithoutAGap) {
  PublishedTrack track;
  track.kind = MediaKind::kVideo;
  track.source = TrackSource::kCamera;
  track.out_payload_type = kSubscribeVp8PayloadType;
  track.clock_rate = 90000;
  SubscribeSection section;
  section.rewriter = StreamRewriter(0xABCD);
  const auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  std::uint16_t sequence = 100;
  std::uint16_t last_out = 0;
  const auto forward = [&](bool keyframe) {
    auto bytes = Vp8Packet(sequence++, keyframe);
    const auto packet = RtpPacket::Parse(bytes);
    EXPECT_TRUE(packet);
    if (!ForwardsOnStage(section, track, *packet)) return false;
    last_out = section.rewriter.Rewrite(7, packet->sequence_number(), packet->timestamp(), track.clock_rate, now)
                   .sequence_number;
    return true;
  };
  EXPECT_TRUE(forward(false));
  EXPECT_TRUE(forward(false));
  const std::uint16_t before_pause = last_out;

  section.on_stage = false;
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(forward(i == 10));
  // Back on stage (Room::UpdateStage): nothing until a keyframe begins.
  section.on_stage = true;
  section.awaiting_keyframe = true;
  EXPECT_FALSE(forward(false));
  EXPECT_FALSE(forward(false));
  EXPECT_TRUE(forward(true));
  EXPECT_EQ(last_out, static_cast<std::uint16_t>(before_pause + 1)) << "the subscriber sees no gap";
  EXPECT_FALSE(section.awaiting_keyframe);
  EXPECT_TRUE(forward(false));
  EXPECT_EQ(last_out, static_cast<std::uint16_t>(before_pause + 2));
}

}  // namespace
}  // namespace egovbox::media
