#include "realtime/hub.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "recording_peer.h"

namespace egovbox::realtime {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// A tab that also lists the presence changes it heard.
class FakePeer : public egovbox::test::RecordingPeer {
 public:
  using RecordingPeer::RecordingPeer;
  // "employee_id:presence" of each presence message, in order.
  std::vector<std::string> PresenceChanges() {
    std::vector<std::string> out;
    for (const auto& message : Of("presence")) {
      out.push_back(message.at("employee_id").get<std::string>() + ":" + message.at("presence").get<std::string>());
    }
    return out;
  }
};

class HubTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakePeer> Open(const std::string& employee_id, const std::string& session_id = "") {
    auto peer = std::make_shared<FakePeer>(employee_id, session_id.empty() ? "session-" + employee_id : session_id);
    hub_.Opened(peer);
    return peer;
  }

  Hub hub_;
};

TEST_F(HubTest, NewTabIsGreetedAndCounted) {
  const auto ana = Open("ana");
  const auto hello = ana->Of("hello");
  ASSERT_EQ(hello.size(), 1U);
  EXPECT_EQ(hello[0].at("employee_id"), "ana");
  EXPECT_EQ(ana->Messages().front().at("type"), "hello");  // before anything else
  EXPECT_EQ(hub_.ConnectionCount(), 1U);
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOnline);
  EXPECT_EQ(hub_.PresenceOf("boris"), Presence::kOffline);
}

TEST_F(HubTest, SendToReachesEveryTabOfThatEmployeeOnly) {
  const auto ana_1 = Open("ana");
  const auto ana_2 = Open("ana");
  const auto boris = Open("boris");
  hub_.SendTo("ana", {{"type", "notification"}, {"n", 1}});
  ASSERT_EQ(ana_1->Of("notification").size(), 1U);
  EXPECT_EQ(ana_1->Of("notification")[0].at("n"), 1);
  EXPECT_EQ(ana_2->Of("notification").size(), 1U);
  EXPECT_THAT(boris->Of("notification"), IsEmpty());
  hub_.SendTo("nobody", {{"type", "notification"}});  // not connected: dropped
  EXPECT_EQ(ana_1->Of("notification").size(), 1U);
  EXPECT_THAT(boris->Of("notification"), IsEmpty());
}

TEST_F(HubTest, SendToAllReachesEveryTab) {
  const auto ana_1 = Open("ana");
  const auto ana_2 = Open("ana");
  const auto boris = Open("boris");
  hub_.SendToAll({{"type", "announcement"}});
  for (const auto& peer : {ana_1, ana_2, boris}) EXPECT_EQ(peer->Of("announcement").size(), 1U);
}

TEST_F(HubTest, PingIsAnsweredWithPongToThatTabOnly) {
  const auto ana_1 = Open("ana");
  const auto ana_2 = Open("ana");
  hub_.Received(ana_1, R"({"type":"ping"})");
  EXPECT_EQ(ana_1->Of("pong").size(), 1U);
  EXPECT_THAT(ana_2->Of("pong"), IsEmpty());
}

TEST_F(HubTest, UnknownOrMalformedMessagesAreIgnored) {
  const auto ana = Open("ana");
  ana->Clear();
  for (const std::string text : {R"({"type":"launch-rockets"})", R"({"type":7})", R"({"kind":"ping"})", R"(["ping"])",
                                 "not json", "", R"("ping")", R"({"type":null})"}) {
    hub_.Received(ana, text);
  }
  EXPECT_THAT(ana->Messages(), IsEmpty());
  EXPECT_EQ(hub_.ConnectionCount(), 1U);
}

TEST_F(HubTest, RegisteredHandlerGetsThePeerAndTheMessage) {
  std::vector<std::pair<std::string, json>> calls;
  hub_.OnMessage("media.join", [&](const std::shared_ptr<http::WebSocketPeer>& peer, const json& message) {
    calls.emplace_back(peer->principal().subject_id, message);
  });
  hub_.OnMessage("explodes", [](const std::shared_ptr<http::WebSocketPeer>&, const json&) {
    throw std::runtime_error("handler failed");
  });
  const auto ana = Open("ana");
  hub_.Received(ana, R"({"type":"media.join","meeting_id":"m1"})");
  hub_.Received(ana, R"({"type":"media.leave"})");
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].first, "ana");
  EXPECT_EQ(calls[0].second.at("meeting_id"), "m1");
  // A throwing handler is contained: the connection stays as it was.
  EXPECT_NO_THROW(hub_.Received(ana, R"({"type":"explodes"})"));
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOnline);
}

TEST_F(HubTest, EachPresenceChangeIsBroadcastOnceToEveryone) {
  const auto carol = Open("carol");
  carol->Clear();
  const auto ana_1 = Open("ana");
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOnline);
  const auto ana_2 = Open("ana");  // a second tab: still online, nothing to say
  hub_.SetInMeeting(ana_1, "m1");
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kInMeeting);
  hub_.SetInMeeting(ana_2, "m2");  // in a meeting already
  hub_.ClearInMeeting(ana_1);      // the other tab still is
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kInMeeting);
  hub_.ClearInMeeting(ana_2);
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOnline);
  hub_.SetDoNotDisturb("ana", true);
  hub_.SetDoNotDisturb("ana", true);  // no change
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kDoNotDisturb);
  hub_.SetInMeeting(ana_2, "m3");  // a meeting outranks do-not-disturb
  hub_.ClearInMeeting(ana_2);
  hub_.Closed(ana_1);
  hub_.Closed(ana_2);
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOffline);
  hub_.SetDoNotDisturb("ana", false);  // offline either way

  EXPECT_THAT(carol->PresenceChanges(), ElementsAre("ana:online", "ana:in-meeting", "ana:online", "ana:do-not-disturb",
                                                    "ana:in-meeting", "ana:do-not-disturb", "ana:offline"));
  // Ana's own tabs heard what happened while they were open.
  EXPECT_THAT(ana_1->PresenceChanges(), ElementsAre("ana:online", "ana:in-meeting", "ana:online", "ana:do-not-disturb",
                                                    "ana:in-meeting", "ana:do-not-disturb"));
  EXPECT_THAT(ana_2->PresenceChanges(), ElementsAre("ana:in-meeting", "ana:online", "ana:do-not-disturb",
                                                    "ana:in-meeting", "ana:do-not-disturb"));
}

TEST_F(HubTest, DoNotDisturbIsKeptWhileOffline) {
  const auto carol = Open("carol");
  carol->Clear();
  hub_.SetDoNotDisturb("ana", true);  // chosen before opening a tab (PresenceService restores it at start)
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOffline);
  const auto ana = Open("ana");
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kDoNotDisturb);
  hub_.SetDoNotDisturb("ana", false);
  EXPECT_THAT(carol->PresenceChanges(), ElementsAre("ana:do-not-disturb", "ana:online"));
}

TEST_F(HubTest, ClosingAnUnknownOrClosedTabChangesNothing) {
  const auto carol = Open("carol");
  carol->Clear();
  const auto ana = Open("ana");
  hub_.Closed(std::make_shared<FakePeer>("ana", "session-ana"));  // never opened
  hub_.Closed(std::make_shared<FakePeer>("dan", "session-dan"));
  EXPECT_EQ(hub_.ConnectionCount(), 2U);
  hub_.Closed(ana);
  hub_.Closed(ana);
  EXPECT_EQ(hub_.ConnectionCount(), 1U);
  hub_.SetInMeeting(ana, "m1");  // a join racing the close
  EXPECT_EQ(hub_.PresenceOf("ana"), Presence::kOffline);
  EXPECT_THAT(carol->PresenceChanges(), ElementsAre("ana:online", "ana:offline"));
}

TEST_F(HubTest, MeetingsOfAreThoseTheTabsJoined) {
  const auto ana_1 = Open("ana");
  const auto ana_2 = Open("ana");
  EXPECT_THAT(hub_.MeetingsOf("ana"), IsEmpty());
  hub_.SetInMeeting(ana_1, "m1");
  hub_.SetInMeeting(ana_2, "m2");
  EXPECT_THAT(hub_.MeetingsOf("ana"), UnorderedElementsAre("m1", "m2"));
  hub_.SetInMeeting(ana_1, "m3");  // moved on
  EXPECT_THAT(hub_.MeetingsOf("ana"), UnorderedElementsAre("m2", "m3"));
  hub_.Closed(ana_2);
  EXPECT_THAT(hub_.MeetingsOf("ana"), ElementsAre("m3"));
  EXPECT_THAT(hub_.MeetingsOf("boris"), IsEmpty());
}

TEST_F(HubTest, EndedSessionsLoseExactlyTheirSockets) {
  const auto ana_1 = Open("ana", "s1");
  const auto ana_2 = Open("ana", "s1");
  const auto ana_phone = Open("ana", "s2");
  const auto boris = Open("boris", "s3");
  const auto carol = Open("carol", "s4");
  EXPECT_THAT(hub_.SessionIds(), UnorderedElementsAre("s1", "s2", "s3", "s4"));
  const auto checked = hub_.SessionIds();
  const auto dan = Open("dan", "s5");  // opened after the check: not judged by it
  hub_.CloseEndedSessions(checked, {"s2", "s4"});
  EXPECT_EQ(ana_1->closes(), 1);
  EXPECT_EQ(ana_2->closes(), 1);
  EXPECT_EQ(boris->closes(), 1);
  EXPECT_EQ(ana_phone->closes(), 0);
  EXPECT_EQ(carol->closes(), 0);
  EXPECT_EQ(dan->closes(), 0);
  hub_.CloseEndedSessions(checked, {"s1", "s2", "s3", "s4"});
  EXPECT_EQ(ana_1->closes(), 1);
  EXPECT_EQ(boris->closes(), 1);
  hub_.CloseEndedSessions({}, {});
  EXPECT_EQ(dan->closes(), 0);
}

TEST_F(HubTest, SurvivesTabsOpeningClosingAndSendingAtOnce) {
  hub_.OnMessage("work", [this](const std::shared_ptr<http::WebSocketPeer>& peer, const json&) {
    hub_.SendTo(peer->principal().subject_id, {{"type", "done"}});
  });
  const auto watcher = Open("watcher");
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      const std::string employee = "employee-" + std::to_string(t % 3);  // two threads per employee
      for (int round = 0; round < 200; ++round) {
        auto peer = std::make_shared<FakePeer>(employee, "session-" + std::to_string(t));
        hub_.Opened(peer);
        hub_.Received(peer, R"({"type":"work"})");
        hub_.Received(peer, R"({"type":"ping"})");
        hub_.SetInMeeting(peer, "meeting-" + std::to_string(round % 4));
        if (round % 3 == 0) hub_.SetDoNotDisturb(employee, round % 2 == 0);
        hub_.SendTo("employee-" + std::to_string((t + 1) % 3), {{"type", "hi"}});
        (void)hub_.MeetingsOf(employee);
        hub_.ClearInMeeting(peer);
        hub_.Closed(peer);
      }
    });
  }
  threads.emplace_back([&] {
    while (!stop) {
      hub_.SendToAll({{"type", "tick"}});
      hub_.CloseEndedSessions(hub_.SessionIds(), {});
      (void)hub_.ConnectionCount();
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  for (std::size_t i = 0; i + 1 < threads.size(); ++i) threads[i].join();
  stop = true;
  threads.back().join();

  EXPECT_EQ(hub_.ConnectionCount(), 1U);
  for (int e = 0; e < 3; ++e) {
    EXPECT_EQ(hub_.PresenceOf("employee-" + std::to_string(e)), Presence::kOffline);
    EXPECT_THAT(hub_.MeetingsOf("employee-" + std::to_string(e)), IsEmpty());
  }
  EXPECT_FALSE(watcher->Of("presence").empty());
}

}  // namespace
}  // namespace egovbox::realtime
