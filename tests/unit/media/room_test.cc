#include "media/room.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "fake_browser.h"
#include "media/dtls_certificate.h"
#include "media/sdp_negotiation.h"

namespace egovbox::media {
namespace {

using nlohmann::json;
using test::DirectionsByMid;
using test::IceDtlsIdentity;
using test::ReadSdpFile;
using test::ServerTransportOf;
using test::SsrcsByMid;

constexpr std::uint16_t kCandidatePort = 40000;
constexpr std::uint32_t kFirstSsrc = 5000;

// The worker, as the room sees it: records what it is asked to do.
class FakeHost final : public RoomHost {
 public:
  explicit FakeHost(const DtlsCertificate& certificate) : certificate_(certificate) {}

  void Deliver(const Participant& to, json message) override { delivered_.emplace_back(to.id, std::move(message)); }
  LocalTransport LocalTransportOf(const PeerConnection& connection) const override {
    return LocalTransport{connection.ice().local_ufrag(),
                          connection.ice().local_pwd(),
                          certificate_.fingerprint(),
                          {{"127.0.0.1", kCandidatePort}}};
  }
  const DtlsCertificate& certificate() const override { return certificate_; }
  void Register(PeerConnection& connection, Participant& owner) override {
    EXPECT_FALSE(registered_.contains(&connection)) << "registered twice";
    registered_[&connection] = owner.id;
    ++registrations_;
  }
  void RenewIceCredentials(PeerConnection& connection) override {
    EXPECT_TRUE(registered_.contains(&connection)) << "renewed without being registered";
    connection.ice().RenewLocalCredentials();
    ++renewals_;
  }
  void Unregister(PeerConnection& connection) override {
    EXPECT_TRUE(registered_.erase(&connection) == 1) << "unregistered without being registered";
    ++unregistrations_;
  }
  void RequestKeyframe(Participant& publisher, PublishedTrack& track) override {
    keyframe_requests_.push_back(publisher.id + "/" + track.mid);
  }
  void RemoteParametersSet(PeerConnection& /*connection*/) override {}
  std::uint32_t NewSsrc() override { return ++last_ssrc_; }

  // The messages delivered to `participant_id` since the last Take, in order.
  std::vector<json> Take(const std::string& participant_id) {
    std::vector<json> taken;
    std::vector<std::pair<std::string, json>> rest;
    for (auto& entry : delivered_) {
      if (entry.first == participant_id) {
        taken.push_back(std::move(entry.second));
      } else {
        rest.push_back(std::move(entry));
      }
    }
    delivered_ = std::move(rest);
    return taken;
  }
  void Clear() { delivered_.clear(); }

  std::size_t registered() const { return registered_.size(); }
  int registrations() const { return registrations_; }
  int unregistrations() const { return unregistrations_; }
  int renewals() const { return renewals_; }
  std::vector<std::string>& keyframe_requests() { return keyframe_requests_; }

 private:
  const DtlsCertificate& certificate_;
  std::vector<std::pair<std::string, json>> delivered_;
  std::map<const PeerConnection*, std::string> registered_;
  int registrations_ = 0;
  int unregistrations_ = 0;
  int renewals_ = 0;
  std::vector<std::string> keyframe_requests_;
  std::uint32_t last_ssrc_ = kFirstSsrc;
};

std::vector<std::string> Types(const std::vector<json>& messages) {
  std::vector<std::string> types;
  types.reserve(messages.size());
  for (const json& message : messages) types.push_back(message.value("type", "?"));
  return types;
}

// The only message of `type` among `messages`; fails the test when there is not exactly one.
json Only(const std::vector<json>& messages, const std::string& type) {
  json found;
  int count = 0;
  for (const json& message : messages) {
    if (message.value("type", "") == type) {
      found = message;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << type << " in " << json(messages).dump();
  return found;
}

json Track(const std::string& mid, const std::string& source) {
  return {{"mid", mid}, {"source", source}};
}

json Publish(const std::string& sdp, json tracks) {
  return {{"type", "media.publish"}, {"sdp", sdp}, {"tracks", std::move(tracks)}};
}

json AudioVideoTracks() {
  return json::array({Track("0", "microphone"), Track("1", "camera")});
}

json ScreenTracks() {
  return json::array({Track("0", "microphone"), Track("1", "camera"), Track("2", "screen")});
}

class RoomTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitializeCrypto(); }

  RoomTest()
      : certificate_(DtlsCertificate::Generate()),
        browser_certificate_(DtlsCertificate::Generate()),
        host_(*certificate_),
        room_(std::make_unique<Room>("r", host_)) {}

  ~RoomTest() override { room_.reset(); }  // before the host it reports to

  void SetUp() override {
    ASSERT_TRUE(certificate_ && browser_certificate_);
    audio_video_ = ReadSdpFile("publish_audio_video.offer.sdp");
    with_screen_ = ReadSdpFile("publish_with_screen.offer.sdp");
    screen_removed_ = ReadSdpFile("publish_screen_removed.offer.sdp");
    ASSERT_FALSE(audio_video_.empty() || with_screen_.empty() || screen_removed_.empty());
  }

  Participant& Join(const std::string& id) { return room_->Join(id, {{"name", "Name of " + id}}); }

  IceDtlsIdentity BrowserIdentity() const {
    return {"brws", "BrowserPasswordForTests01", browser_certificate_->fingerprint()};
  }

  // The subscriber answers `offer` as a browser would; no media.error may follow.
  void Answer(Participant& subscriber, const json& offer) {
    const std::string sdp = test::SubscribeAnswerFor(offer.at("sdp").get<std::string>(), BrowserIdentity());
    const std::size_t before = host_.Take(subscriber.id).size();
    EXPECT_EQ(before, 0U) << "unread messages before the answer";
    room_->HandleMessage(subscriber,
                         {{"type", "media.subscribe.answer"}, {"version", offer.at("version")}, {"sdp", sdp}});
    for (const json& message : pending_ = host_.Take(subscriber.id)) {
      EXPECT_NE(message.value("type", ""), "media.error") << message.dump() << "\n" << sdp;
    }
  }

  // The media.error the participant got for `message`, after checking that it got
  // nothing else and that nobody else got anything.
  json Refused(Participant& participant, const json& message) {
    room_->HandleMessage(participant, message);
    const std::vector<json> messages = host_.Take(participant.id);
    EXPECT_EQ(Types(messages), std::vector<std::string>{"media.error"}) << message.dump();
    for (const auto& other : room_->participants()) {
      EXPECT_TRUE(host_.Take(other->id).empty()) << "someone else heard of " << message.dump();
    }
    return messages.empty() ? json() : messages.front();
  }

  std::optional<DtlsCertificate> certificate_;
  std::optional<DtlsCertificate> browser_certificate_;
  FakeHost host_;
  std::unique_ptr<Room> room_;
  std::string audio_video_;
  std::string with_screen_;
  std::string screen_removed_;
  std::vector<json> pending_;  // what the last Answer brought
};

TEST_F(RoomTest, JoinTellsTheNewcomerAboutTheOthersAndTheOthersAboutTheNewcomer) {
  Participant& a = room_->Join("pA", {{"employee_id", 7}, {"name", "Ana"}});
  EXPECT_EQ(host_.Take("pA"),
            (std::vector<json>{{{"type", "media.joined"}, {"participant_id", "pA"}, {"participants", json::array()}}}));
  EXPECT_EQ(host_.registrations(), 0) << "no connection before there is something to send or receive";
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();

  room_->Join("pB", {{"employee_id", 8}, {"name", "Boris"}});
  const std::vector<json> to_b = host_.Take("pB");
  ASSERT_EQ(Types(to_b), (std::vector<std::string>{"media.joined", "media.subscribe.offer"}));
  const json ana = {{"employee_id", 7},
                    {"name", "Ana"},
                    {"participant_id", "pA"},
                    {"tracks",
                     {{{"track_id", "pA-0"}, {"kind", "audio"}, {"source", "microphone"}, {"muted", false}},
                      {{"track_id", "pA-1"}, {"kind", "video"}, {"source", "camera"}, {"muted", false}}}}};
  EXPECT_EQ(to_b[0], (json{{"type", "media.joined"}, {"participant_id", "pB"}, {"participants", {ana}}}));
  EXPECT_EQ(to_b[1]["version"], 1);
  EXPECT_EQ(to_b[1]["tracks"].size(), 2U);

  EXPECT_EQ(host_.Take("pA"),
            (std::vector<json>{
                {{"type", "media.participant.joined"},
                 {"participant",
                  {{"employee_id", 8}, {"name", "Boris"}, {"participant_id", "pB"}, {"tracks", json::array()}}}}}));
}

TEST_F(RoomTest, PublishIsAnsweredAndItsTracksAnnouncedAndOfferedToTheOthers) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  host_.Clear();

  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  const std::vector<json> to_a = host_.Take("pA");
  ASSERT_EQ(Types(to_a), (std::vector<std::string>{"media.publish.answer", "media.tracks"}));
  ASSERT_TRUE(a.publish);
  const auto server = ServerTransportOf(to_a[0]["sdp"].get<std::string>());
  ASSERT_TRUE(server);
  EXPECT_EQ(server->identity.ufrag, a.publish->ice().local_ufrag());
  EXPECT_EQ(server->identity.pwd, a.publish->ice().local_pwd());
  EXPECT_EQ(server->identity.fingerprint, certificate_->fingerprint());
  EXPECT_EQ(server->setup, "passive");
  EXPECT_EQ(server->candidate_ip, "127.0.0.1");
  EXPECT_EQ(server->candidate_port, kCandidatePort);
  const json tracks = {{{"track_id", "pA-0"}, {"kind", "audio"}, {"source", "microphone"}, {"muted", false}},
                       {{"track_id", "pA-1"}, {"kind", "video"}, {"source", "camera"}, {"muted", false}}};
  EXPECT_EQ(to_a[1], (json{{"type", "media.tracks"}, {"participant_id", "pA"}, {"tracks", tracks}}));

  // The published streams, as the offer names them.
  const auto offered_ssrcs = SsrcsByMid(audio_video_);
  ASSERT_EQ(a.tracks.size(), 2U);
  EXPECT_EQ(a.tracks[0]->ssrc, offered_ssrcs.at("0"));
  EXPECT_EQ(a.tracks[0]->payload_type, 111);
  EXPECT_EQ(a.tracks[0]->out_payload_type, kSubscribeOpusPayloadType);
  EXPECT_EQ(a.tracks[0]->clock_rate, 48000U);
  EXPECT_EQ(a.tracks[1]->ssrc, offered_ssrcs.at("1"));
  EXPECT_EQ(a.tracks[1]->payload_type, 96);
  EXPECT_EQ(a.tracks[1]->out_payload_type, kSubscribeVp8PayloadType);
  EXPECT_EQ(a.tracks[1]->clock_rate, 90000U);

  const std::vector<json> to_b = host_.Take("pB");
  ASSERT_EQ(Types(to_b), (std::vector<std::string>{"media.tracks", "media.subscribe.offer"}));
  EXPECT_EQ(to_b[0], to_a[1]);
  const json& offer = to_b[1];
  EXPECT_EQ(offer["version"], 1);
  EXPECT_EQ(
      offer["tracks"],
      (json{{{"mid", "0"}, {"participant_id", "pA"}, {"track_id", "pA-0"}, {"kind", "audio"}, {"source", "microphone"}},
            {{"mid", "1"}, {"participant_id", "pA"}, {"track_id", "pA-1"}, {"kind", "video"}, {"source", "camera"}}}));
  const std::string sdp = offer["sdp"].get<std::string>();
  EXPECT_EQ(DirectionsByMid(sdp), (std::map<std::string, std::string>{{"0", "sendonly"}, {"1", "sendonly"}}));
  EXPECT_EQ(SsrcsByMid(sdp), (std::map<std::string, std::uint32_t>{{"0", kFirstSsrc + 1}, {"1", kFirstSsrc + 2}}));
  ASSERT_TRUE(b.subscribe);
  const auto offered_by = ServerTransportOf(sdp);
  ASSERT_TRUE(offered_by);
  EXPECT_EQ(offered_by->identity.ufrag, b.subscribe->ice().local_ufrag());
  EXPECT_EQ(offered_by->setup, "actpass");
  EXPECT_EQ(host_.registrations(), 2);  // A's publish and B's subscribe connection

  // The browser's answer: accepted, no new offer, and the sections negotiated.
  Answer(b, offer);
  EXPECT_TRUE(pending_.empty()) << json(pending_).dump();
  ASSERT_EQ(b.sections.size(), 2U);
  EXPECT_TRUE(b.sections[0]->negotiated && b.sections[1]->negotiated);
  EXPECT_TRUE(host_.keyframe_requests().empty()) << "not before the subscriber's DTLS is done";
  room_->SubscriberReady(b);
  EXPECT_EQ(host_.keyframe_requests(), std::vector<std::string>{"pA/1"});
}

TEST_F(RoomTest, RepublishingTheSameOfferChangesNothingForTheOthers) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  const json offer = Only(host_.Take("pB"), "media.subscribe.offer");
  Answer(b, offer);
  host_.Clear();
  PeerConnection* connection = a.publish.get();

  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  EXPECT_EQ(Types(host_.Take("pA")), std::vector<std::string>{"media.publish.answer"});
  EXPECT_TRUE(host_.Take("pB").empty());
  EXPECT_EQ(a.publish.get(), connection) << "a renegotiation keeps the connection";
  EXPECT_EQ(host_.registrations(), 2);
}

TEST_F(RoomTest, AChangeWhileAnOfferIsOutstandingWaitsForItsAnswer) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(with_screen_, ScreenTracks()));
  const json first = Only(host_.Take("pB"), "media.subscribe.offer");
  EXPECT_EQ(first["version"], 1);
  EXPECT_EQ(first["tracks"].size(), 3U);

  // The screen ends before B answered: announced, but not offered yet.
  room_->HandleMessage(a, Publish(screen_removed_, AudioVideoTracks()));
  std::vector<json> to_b = host_.Take("pB");
  EXPECT_FALSE(to_b.empty());
  for (const json& message : to_b) EXPECT_EQ(message["type"], "media.tracks");

  // The answer to the first offer brings exactly one new offer.
  Answer(b, first);
  ASSERT_EQ(Types(pending_), std::vector<std::string>{"media.subscribe.offer"});
  const json& second = pending_[0];
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["tracks"].size(), 2U);
  EXPECT_EQ(DirectionsByMid(second["sdp"].get<std::string>()),
            (std::map<std::string, std::string>{{"0", "sendonly"}, {"1", "sendonly"}, {"2", "inactive"}}));

  Answer(b, second);
  EXPECT_TRUE(pending_.empty()) << json(pending_).dump();
}

// A change that adds m-sections while the offer is outstanding: the answer to
// the old offer has fewer sections than the subscriber has now.
// DISABLED: Room::SubscribeAnswer checks the answer against the sections as they
// are now, not as they were offered, so this answer is refused (mid-mismatch),
// the offer stays outstanding and the subscriber never gets another one. The
// fix needs the offered sections kept in Participant (participant.h).
TEST_F(RoomTest, ANewSectionWhileAnOfferIsOutstandingWaitsForItsAnswer) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  const json first = Only(host_.Take("pB"), "media.subscribe.offer");
  EXPECT_EQ(first["version"], 1);

  room_->HandleMessage(a, Publish(with_screen_, ScreenTracks()));
  for (const json& message : host_.Take("pB")) EXPECT_EQ(message["type"], "media.tracks");

  Answer(b, first);
  ASSERT_EQ(Types(pending_), std::vector<std::string>{"media.subscribe.offer"});
  const json& second = pending_[0];
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["tracks"].size(), 3U);
  EXPECT_TRUE(b.sections[0]->negotiated && b.sections[1]->negotiated);
  EXPECT_FALSE(b.sections[2]->negotiated) << "not offered in the answered version";
  Answer(b, second);
  EXPECT_TRUE(pending_.empty()) << json(pending_).dump();
  EXPECT_TRUE(b.sections[2]->negotiated);
}

TEST_F(RoomTest, AnEndedScreenLeavesItsSectionInactiveForTheNextVideoTrack) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(with_screen_, ScreenTracks()));
  json offer = Only(host_.Take("pB"), "media.subscribe.offer");
  EXPECT_EQ(
      offer["tracks"][2],
      (json{{"mid", "2"}, {"participant_id", "pA"}, {"track_id", "pA-2"}, {"kind", "video"}, {"source", "screen"}}));
  Answer(b, offer);
  host_.Clear();

  room_->HandleMessage(a, Publish(screen_removed_, AudioVideoTracks()));
  const std::vector<json> to_a = host_.Take("pA");
  EXPECT_EQ(Only(to_a, "media.tracks")["tracks"].size(), 2U);
  std::vector<json> to_b = host_.Take("pB");
  offer = Only(to_b, "media.subscribe.offer");
  EXPECT_EQ(Only(to_b, "media.tracks")["tracks"].size(), 2U);
  EXPECT_EQ(offer["version"], 2);
  EXPECT_EQ(offer["tracks"].size(), 2U);
  std::string sdp = offer["sdp"].get<std::string>();
  EXPECT_EQ(DirectionsByMid(sdp),
            (std::map<std::string, std::string>{{"0", "sendonly"}, {"1", "sendonly"}, {"2", "inactive"}}));
  EXPECT_FALSE(SsrcsByMid(sdp).contains("2"));
  Answer(b, offer);
  EXPECT_TRUE(pending_.empty()) << "one offer for one change: " << json(pending_).dump();

  // C publishes: its video takes the inactive mid 2, its audio a new mid 3.
  Participant& c = Join("pC");
  room_->HandleMessage(c, Publish(audio_video_, AudioVideoTracks()));
  to_b = host_.Take("pB");
  offer = Only(to_b, "media.subscribe.offer");
  EXPECT_EQ(offer["version"], 3);
  EXPECT_EQ(
      offer["tracks"],
      (json{{{"mid", "0"}, {"participant_id", "pA"}, {"track_id", "pA-0"}, {"kind", "audio"}, {"source", "microphone"}},
            {{"mid", "1"}, {"participant_id", "pA"}, {"track_id", "pA-1"}, {"kind", "video"}, {"source", "camera"}},
            {{"mid", "2"}, {"participant_id", "pC"}, {"track_id", "pC-1"}, {"kind", "video"}, {"source", "camera"}},
            {{"mid", "3"},
             {"participant_id", "pC"},
             {"track_id", "pC-0"},
             {"kind", "audio"},
             {"source", "microphone"}}}));
  sdp = offer["sdp"].get<std::string>();
  EXPECT_EQ(DirectionsByMid(sdp), (std::map<std::string, std::string>{
                                      {"0", "sendonly"}, {"1", "sendonly"}, {"2", "sendonly"}, {"3", "sendonly"}}));
  const auto ssrcs = SsrcsByMid(sdp);
  ASSERT_TRUE(ssrcs.contains("2"));
  EXPECT_EQ(ssrcs.at("2"), b.sections[2]->ssrc);
  Answer(b, offer);
  EXPECT_TRUE(pending_.empty()) << json(pending_).dump();
}

TEST_F(RoomTest, LeaveTellsTheOthersAndEndsTheirSections) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  Answer(b, Only(host_.Take("pB"), "media.subscribe.offer"));
  host_.Clear();
  ASSERT_EQ(host_.registered(), 2U);

  room_->Leave(a);
  const std::vector<json> to_b = host_.Take("pB");
  EXPECT_EQ(Only(to_b, "media.participant.left"), (json{{"type", "media.participant.left"}, {"participant_id", "pA"}}));
  const json offer = Only(to_b, "media.subscribe.offer");
  EXPECT_EQ(offer["version"], 2);
  EXPECT_EQ(offer["tracks"], json::array());
  EXPECT_EQ(DirectionsByMid(offer["sdp"].get<std::string>()),
            (std::map<std::string, std::string>{{"0", "inactive"}, {"1", "inactive"}}));
  EXPECT_EQ(host_.unregistrations(), 1);
  EXPECT_EQ(host_.registered(), 1U);
  ASSERT_EQ(room_->participants().size(), 1U);
  EXPECT_EQ(b.sections[0]->track, nullptr);
  EXPECT_EQ(b.sections[1]->track, nullptr);

  Answer(b, offer);
  EXPECT_TRUE(pending_.empty()) << "one offer for one departure: " << json(pending_).dump();

  room_->Leave(b);
  EXPECT_TRUE(room_->empty());
  EXPECT_EQ(host_.registered(), 0U);
  EXPECT_EQ(host_.unregistrations(), 2);
}

TEST_F(RoomTest, MuteIsAnnouncedToEveryone) {
  Participant& a = Join("pA");
  Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();
  room_->HandleMessage(a, {{"type", "media.mute"}, {"source", "camera"}, {"muted", true}});
  for (const std::string id : {"pA", "pB"}) {
    const std::vector<json> messages = host_.Take(id);
    ASSERT_EQ(Types(messages), std::vector<std::string>{"media.tracks"}) << id;
    EXPECT_EQ(messages[0]["tracks"][1]["muted"], true);
    EXPECT_EQ(messages[0]["tracks"][0]["muted"], false);
  }
}

TEST_F(RoomTest, AHostMuteHoldsTheTrackUntilThePublisherUnmutesIt) {
  Participant& a = Join("pA");
  Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();
  EXPECT_TRUE(room_->HostMute(a, TrackSource::kMicrophone));
  // The publisher is told; everyone sees the microphone muted; only it is held.
  const std::vector<json> told = host_.Take("pA");
  EXPECT_EQ(Only(told, "media.muted.by.host")["source"], "microphone");
  EXPECT_EQ(Only(told, "media.tracks")["tracks"][0]["muted"], true);
  EXPECT_EQ(Only(host_.Take("pB"), "media.tracks")["tracks"][0]["muted"], true);
  EXPECT_TRUE(a.tracks[0]->held);
  EXPECT_FALSE(a.tracks[1]->held);
  // Muting again keeps the hold; unmuting lifts it.
  room_->HandleMessage(a, {{"type", "media.mute"}, {"source", "microphone"}, {"muted", true}});
  EXPECT_TRUE(a.tracks[0]->held);
  room_->HandleMessage(a, {{"type", "media.mute"}, {"source", "microphone"}, {"muted", false}});
  EXPECT_FALSE(a.tracks[0]->held);
  EXPECT_FALSE(a.tracks[0]->muted);
  // Nothing published from a source: still told (its page turns it off), no media.tracks.
  host_.Clear();
  EXPECT_FALSE(room_->HostMute(a, TrackSource::kScreen));
  EXPECT_EQ(Types(host_.Take("pA")), std::vector<std::string>{"media.muted.by.host"});
  EXPECT_TRUE(host_.Take("pB").empty());
}

TEST_F(RoomTest, AHostMuteBeforeThePublishHoldsTheTrackPublishedLater) {
  // Muted by a host as it joins, before it publishes: the hold waits for the track.
  Participant& a = Join("pA");
  Join("pB");
  host_.Clear();
  EXPECT_FALSE(room_->HostMute(a, TrackSource::kMicrophone));
  EXPECT_EQ(Types(host_.Take("pA")), std::vector<std::string>{"media.muted.by.host"});
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));  // both unmuted, as the offer says
  ASSERT_EQ(a.tracks.size(), 2U);
  EXPECT_TRUE(a.tracks[0]->held);
  EXPECT_TRUE(a.tracks[0]->muted);
  EXPECT_FALSE(a.tracks[1]->held);
  EXPECT_EQ(Only(host_.Take("pB"), "media.tracks")["tracks"][0]["muted"], true);
  // The participant unmutes: the hold ends, for a later track of the source too.
  room_->HandleMessage(a, {{"type", "media.mute"}, {"source", "microphone"}, {"muted", false}});
  EXPECT_FALSE(a.tracks[0]->held);
  EXPECT_FALSE(a.held_sources[static_cast<std::size_t>(TrackSource::kMicrophone)]);

  // Unmuted before anything was published: nothing is held when it comes.
  Participant& c = Join("pC");
  room_->HostMute(c, TrackSource::kMicrophone);
  room_->HandleMessage(c, {{"type", "media.mute"}, {"source", "microphone"}, {"muted", false}});
  room_->HandleMessage(c, Publish(audio_video_, AudioVideoTracks()));
  ASSERT_FALSE(c.tracks.empty());
  EXPECT_FALSE(c.tracks[0]->held);
  EXPECT_FALSE(c.tracks[0]->muted);
}

TEST_F(RoomTest, InvalidMessagesAreRefusedAndChangeNothing) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  host_.Clear();

  const auto code_of = [&](Participant& who, const json& message) {
    const json error = Refused(who, message);
    EXPECT_TRUE(error.contains("detail")) << error.dump();
    return std::make_pair(error.value("request", "?"), error.value("code", "?"));
  };
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(code_of(a, {{"type", "media.dance"}}), (Pair{"media.dance", "unknown-message"}));
  EXPECT_EQ(code_of(a, {{"sdp", audio_video_}}), (Pair{"", "unknown-message"}));
  EXPECT_EQ(code_of(a, {{"type", "media.publish"}, {"tracks", AudioVideoTracks()}}),
            (Pair{"media.publish", "invalid-message"}));
  EXPECT_EQ(code_of(a, {{"type", "media.publish"}, {"sdp", 5}, {"tracks", AudioVideoTracks()}}),
            (Pair{"media.publish", "invalid-message"}));
  EXPECT_EQ(code_of(a, Publish(audio_video_, json::array({Track("0", "microphone"), Track("1", "webcam")}))),
            (Pair{"media.publish", "invalid-message"}));
  EXPECT_EQ(code_of(a, Publish(audio_video_, json::array({Track("0", "microphone"), json("1")}))),
            (Pair{"media.publish", "invalid-message"}));
  // A sending section without its source, and one of the wrong kind.
  EXPECT_EQ(code_of(a, Publish(audio_video_, json::array({Track("0", "microphone")}))),
            (Pair{"media.publish", "invalid-message"}));
  EXPECT_EQ(code_of(a, Publish(audio_video_, json::array({Track("0", "microphone"), Track("1", "microphone")}))),
            (Pair{"media.publish", "invalid-message"}));
  EXPECT_EQ(code_of(a, Publish("v=0\r\nthis is not SDP\r\n", AudioVideoTracks())),
            (Pair{"media.publish", "sdp-malformed"}));
  std::string no_fingerprint = test::RewriteSdpLines(audio_video_, [](std::string_view line) {
    return line.starts_with("a=fingerprint:") ? std::nullopt : std::optional<std::string>(line);
  });
  EXPECT_EQ(code_of(a, Publish(no_fingerprint, AudioVideoTracks())), (Pair{"media.publish", "no-fingerprint"}));
  EXPECT_EQ(code_of(a, {{"type", "media.mute"}, {"source", "camera"}}), (Pair{"media.mute", "invalid-message"}));
  EXPECT_EQ(code_of(a, {{"type", "media.mute"}, {"source", "screen"}, {"muted", true}}),
            (Pair{"media.mute", "no-such-track"}));
  EXPECT_EQ(code_of(b, {{"type", "media.subscribe.answer"}, {"sdp", "v=0"}}),
            (Pair{"media.subscribe.answer", "invalid-message"}));
  EXPECT_EQ(code_of(b, {{"type", "media.subscribe.answer"}, {"version", 1U}, {"sdp", "v=0"}}),
            (Pair{"media.subscribe.answer", "stale-answer"}))
      << "no offer was made";

  EXPECT_FALSE(a.publish);
  EXPECT_TRUE(a.tracks.empty());
  EXPECT_FALSE(b.subscribe);
  EXPECT_EQ(host_.registrations(), 0);

  // After a good publish, a bad one leaves the tracks and the connection as they are.
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();
  EXPECT_EQ(code_of(a, Publish(audio_video_, json::array({Track("0", "camera"), Track("1", "camera")}))),
            (Pair{"media.publish", "invalid-message"}));
  EXPECT_EQ(a.tracks.size(), 2U);
  EXPECT_EQ(a.publish_answers, 1U);
}

TEST_F(RoomTest, AnAnswerToAnOlderOfferIsStale) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  const json first = Only(host_.Take("pB"), "media.subscribe.offer");
  host_.Clear();
  // The version as the WebSocket's JSON parser gives it: unsigned.
  const std::string answer = test::SubscribeAnswerFor(first["sdp"].get<std::string>(), BrowserIdentity());

  EXPECT_EQ(Refused(b, {{"type", "media.subscribe.answer"}, {"version", 0U}, {"sdp", answer}})["code"], "stale-answer");
  EXPECT_EQ(Refused(b, {{"type", "media.subscribe.answer"}, {"version", 2U}, {"sdp", answer}})["code"], "stale-answer");
  EXPECT_EQ(Refused(b, {{"type", "media.subscribe.answer"}, {"version", "1"}, {"sdp", answer}})["code"],
            "invalid-message");
  // An answer that does not fit the offer is refused and leaves it outstanding.
  const std::string one_section = answer.substr(0, answer.find("m=video"));
  EXPECT_EQ(Refused(b, {{"type", "media.subscribe.answer"}, {"version", 1U}, {"sdp", one_section}})["code"],
            "mid-mismatch");
  EXPECT_TRUE(b.offer_outstanding);

  Answer(b, first);
  EXPECT_FALSE(b.offer_outstanding);
  EXPECT_EQ(Refused(b, {{"type", "media.subscribe.answer"}, {"version", 1U}, {"sdp", answer}})["code"], "stale-answer")
      << "answered already";
}

// The same offer after the browser restarted ICE (pc.restartIce()): new credentials.
std::string WithNewIceCredentials(std::string sdp) {
  for (const auto& [old_line, new_line] : {std::pair<std::string, std::string>{"a=ice-ufrag:80Pc", "a=ice-ufrag:Rst2"},
                                           std::pair<std::string, std::string>{"a=ice-pwd:OsJsfIgPXIDypZIdqNU/VFe9",
                                                                               "a=ice-pwd:NewPasswordAfterRestart0"}}) {
    for (std::size_t at = sdp.find(old_line); at != std::string::npos; at = sdp.find(old_line, at)) {
      sdp.replace(at, old_line.size(), new_line);
    }
  }
  return sdp;
}

TEST_F(RoomTest, APublishOfferWithNewIceCredentialsIsAnsweredWithNewOnesOnTheSameConnection) {
  Participant& a = Join("pA");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();
  PeerConnection* connection = a.publish.get();
  const std::string old_ufrag = connection->ice().local_ufrag();

  const std::string restarted = WithNewIceCredentials(audio_video_);
  ASSERT_NE(restarted, audio_video_);
  room_->HandleMessage(a, Publish(restarted, AudioVideoTracks()));
  const std::vector<json> to_a = host_.Take("pA");
  ASSERT_EQ(Types(to_a), std::vector<std::string>{"media.publish.answer"});
  const auto server = ServerTransportOf(to_a[0]["sdp"].get<std::string>());
  ASSERT_TRUE(server);
  EXPECT_EQ(a.publish.get(), connection) << "DTLS and SRTP are kept across an ICE restart";
  EXPECT_NE(server->identity.ufrag, old_ufrag);
  EXPECT_EQ(server->identity.ufrag, connection->ice().local_ufrag());
  EXPECT_EQ(server->identity.pwd, connection->ice().local_pwd());
  EXPECT_EQ(connection->ice().remote_ufrag(), "Rst2");
  EXPECT_EQ(host_.renewals(), 1);

  // The same credentials again: a plain renegotiation, no second restart.
  room_->HandleMessage(a, Publish(restarted, AudioVideoTracks()));
  EXPECT_EQ(Types(host_.Take("pA")), std::vector<std::string>{"media.publish.answer"});
  EXPECT_EQ(host_.renewals(), 1);
}

TEST_F(RoomTest, ARefusedRestartOfferKeepsTheOldCredentials) {
  Participant& a = Join("pA");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();
  const std::string old_ufrag = a.publish->ice().local_ufrag();
  const json refused = Refused(a, Publish(WithNewIceCredentials(audio_video_), json::array({Track("0", "camera")})));
  EXPECT_EQ(refused["code"], "invalid-message");
  EXPECT_EQ(a.publish->ice().local_ufrag(), old_ufrag);
  EXPECT_EQ(host_.renewals(), 0);
}

TEST_F(RoomTest, ASubscribeRestartBringsAnOfferWithNewCredentials) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  const json first = Only(host_.Take("pB"), "media.subscribe.offer");
  Answer(b, first);
  const std::string old_ufrag = b.subscribe->ice().local_ufrag();

  room_->HandleMessage(b, {{"type", "media.subscribe.restart"}});
  const json second = Only(host_.Take("pB"), "media.subscribe.offer");
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["tracks"], first["tracks"]) << "the same tracks, only the transport restarts";
  const auto offered_by = ServerTransportOf(second["sdp"].get<std::string>());
  ASSERT_TRUE(offered_by);
  EXPECT_NE(offered_by->identity.ufrag, old_ufrag);
  EXPECT_EQ(offered_by->identity.ufrag, b.subscribe->ice().local_ufrag());
  Answer(b, second);
  EXPECT_TRUE(pending_.empty()) << json(pending_).dump();
  EXPECT_EQ(host_.renewals(), 1);
}

TEST_F(RoomTest, ASubscribeRestartWhileAnOfferIsOutstandingComesWithTheNextOffer) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  const json first = Only(host_.Take("pB"), "media.subscribe.offer");
  const std::string old_ufrag = b.subscribe->ice().local_ufrag();

  room_->HandleMessage(b, {{"type", "media.subscribe.restart"}});
  EXPECT_TRUE(host_.Take("pB").empty()) << "one offer outstanding at a time";
  EXPECT_EQ(host_.renewals(), 0);
  Answer(b, first);
  ASSERT_EQ(Types(pending_), std::vector<std::string>{"media.subscribe.offer"});
  const auto offered_by = ServerTransportOf(pending_[0]["sdp"].get<std::string>());
  ASSERT_TRUE(offered_by);
  EXPECT_NE(offered_by->identity.ufrag, old_ufrag);
  EXPECT_EQ(host_.renewals(), 1);
}

TEST_F(RoomTest, ASubscribeRestartWithoutASubscribeConnectionIsRefused) {
  Participant& a = Join("pA");
  host_.Clear();
  const json refused = Refused(a, {{"type", "media.subscribe.restart"}});
  EXPECT_EQ(refused["code"], "nothing-to-restart");
  EXPECT_EQ(host_.renewals(), 0);
}

// --- Active speaker and Last-N (room_speakers.cc) ----------------------------------

// The last message of `type` among `messages`; null when there is none.
json Last(const std::vector<json>& messages, const std::string& type) {
  json found;
  for (const json& message : messages) {
    if (message.value("type", "") == type) found = message;
  }
  return found;
}

// The subscriber's section carrying the publisher's track of `source`.
const SubscribeSection* SectionFor(const Participant& subscriber, const Participant& publisher, TrackSource source) {
  for (const auto& section : subscriber.sections) {
    if (section->publisher == &publisher && section->track != nullptr && section->track->source == source) {
      return section.get();
    }
  }
  return nullptr;
}

// Feeds `speaker` speech and everyone else silence until the room names a speaker.
void SpeakUntilDecided(Room& room, Participant& speaker, std::chrono::steady_clock::time_point& now) {
  constexpr std::uint8_t kSpeechLevel = 30;
  for (int interval = 0; interval < 30; ++interval) {
    for (int packet = 0; packet < 5; ++packet) speaker.voice.AddLevel({true, kSpeechLevel});
    now += kSpeakerInterval;
    room.DetectSpeakers(now);
  }
}

TEST_F(RoomTest, TheSpeakerIsToldToEveryoneAndToWhoeverComesLater) {
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  room_->HandleMessage(b, Publish(audio_video_, AudioVideoTracks()));
  host_.Clear();
  auto now = std::chrono::steady_clock::now();
  SpeakUntilDecided(*room_, b, now);
  for (const std::string id : {"pA", "pB"}) {
    const std::vector<json> messages = host_.Take(id);
    EXPECT_EQ(Only(messages, "media.speaker"), (json{{"type", "media.speaker"}, {"participant_id", "pB"}}));
    EXPECT_EQ(Last(messages, "media.speaking")["participant_ids"], json::array({"pB"}));
  }
  Join("pC");
  const std::vector<json> to_c = host_.Take("pC");
  EXPECT_EQ(Only(to_c, "media.speaker")["participant_id"], "pB");
  EXPECT_EQ(Only(to_c, "media.speaking")["participant_ids"], json::array({"pB"}));
}

TEST_F(RoomTest, LastNForwardsTheCamerasOfTheMostRecentSpeakersOnly) {
  room_->SetLastN(1);
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  Participant& c = Join("pC");
  for (Participant* publisher : {&a, &b, &c}) {
    room_->HandleMessage(*publisher, Publish(audio_video_, AudioVideoTracks()));
  }
  // Nobody spoke yet: the first to come take the places.
  EXPECT_EQ(Last(host_.Take("pC"), "media.off_stage")["participant_ids"], json::array({"pB"}));
  EXPECT_EQ(Last(host_.Take("pA"), "media.off_stage")["participant_ids"], json::array({"pC"}));
  EXPECT_EQ(Last(host_.Take("pB"), "media.off_stage")["participant_ids"], json::array({"pC"}));
  ASSERT_TRUE(SectionFor(c, a, TrackSource::kCamera) && SectionFor(c, b, TrackSource::kCamera));
  EXPECT_TRUE(SectionFor(c, a, TrackSource::kCamera)->on_stage);
  EXPECT_FALSE(SectionFor(c, b, TrackSource::kCamera)->on_stage);
  EXPECT_TRUE(SectionFor(c, b, TrackSource::kMicrophone)->on_stage) << "audio from everyone";
  host_.keyframe_requests().clear();

  // b speaks: c now receives b's camera (from b's next keyframe) instead of a's.
  auto now = std::chrono::steady_clock::now();
  SpeakUntilDecided(*room_, b, now);
  EXPECT_EQ(Last(host_.Take("pC"), "media.off_stage")["participant_ids"], json::array({"pA"}));
  EXPECT_TRUE(Last(host_.Take("pA"), "media.off_stage").is_null()) << "a still sees b, its one place";
  EXPECT_TRUE(Last(host_.Take("pB"), "media.off_stage").is_null()) << "b still sees a";
  const SubscribeSection* b_for_c = SectionFor(c, b, TrackSource::kCamera);
  EXPECT_TRUE(b_for_c->on_stage);
  EXPECT_TRUE(b_for_c->awaiting_keyframe);
  EXPECT_FALSE(SectionFor(c, a, TrackSource::kCamera)->on_stage);
  EXPECT_NE(std::find(host_.keyframe_requests().begin(), host_.keyframe_requests().end(), "pB/1"),
            host_.keyframe_requests().end());

  // b leaves: a's camera comes back on stage for c.
  room_->Leave(b);
  EXPECT_EQ(Last(host_.Take("pC"), "media.off_stage")["participant_ids"], json::array());
  EXPECT_TRUE(SectionFor(c, a, TrackSource::kCamera)->on_stage);
  EXPECT_TRUE(SectionFor(c, a, TrackSource::kCamera)->awaiting_keyframe);
}

TEST_F(RoomTest, LastNLetsScreensAndACameraTurnedOffThrough) {
  room_->SetLastN(1);
  Participant& a = Join("pA");
  Participant& b = Join("pB");
  Participant& c = Join("pC");
  room_->HandleMessage(a, Publish(audio_video_, AudioVideoTracks()));
  room_->HandleMessage(b, Publish(with_screen_, ScreenTracks()));
  EXPECT_TRUE(Last(host_.Take("pC"), "media.off_stage")["participant_ids"] == json::array({"pB"}));
  EXPECT_TRUE(SectionFor(c, b, TrackSource::kScreen)->on_stage) << "a screen is always shown";
  // a turns its camera off: b's camera takes the place.
  room_->HandleMessage(a, {{"type", "media.mute"}, {"source", "camera"}, {"muted", true}});
  EXPECT_EQ(Last(host_.Take("pC"), "media.off_stage")["participant_ids"], json::array());
  EXPECT_TRUE(SectionFor(c, b, TrackSource::kCamera)->on_stage);
}

}  // namespace
}  // namespace egovbox::media
