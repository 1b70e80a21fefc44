#include "meetings/host_controls.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "media/sfu.h"
#include "meetings_world.h"

namespace egovbox::meetings {
namespace {

using test::kDay;
using test::kMinute;
using test::kMonday;
using test::RecordingPeer;

// The rules of the host controls (who may, lock, end, removal, a hall's lobby) on
// the services as the server wires them; no engine, so nobody is in the media.
class HostControlsTest : public test::MeetingsTest {
 protected:
  HostControlsTest()
      : ana_(AddEmployee("Ана Иванова")),
        boris_(AddEmployee("Борис Петров")),
        carol_(AddEmployee("Цветана Колева")),
        dimo_(AddEmployee("Димо Стоев")) {}

  // Ana organises, Boris co-hosts, Carol takes part; Dimo is not invited. It is on
  // from five minutes from now (within the 10 minutes before the start).
  std::string MeetingNow(std::optional<std::string> room_id = std::nullopt,
                         std::optional<Recurrence> recurrence = std::nullopt) {
    MeetingInput input = Input(kMonday + 5 * kMinute, 60, {carol_});
    input.invitees.push_back({boris_, std::string(kRoleCoHost)});
    input.room_id = std::move(room_id);
    input.recurrence = std::move(recurrence);
    return CreateMeeting(ana_, input);
  }
  std::string JoinSlug(const std::string& who, const std::string& meeting_id) {
    return Slug(meetings_.Join(who, meeting_id));
  }
  std::int64_t AuditCount(const std::string& action) {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT count(*) FROM audit_log WHERE action = ?", {action})->Int(0);
  }

  MeetingMedia media_{hub_, meetings_, database_};
  HostControls controls_{database_, audit_, meetings_, media_};
  std::string ana_, boris_, carol_, dimo_;
};

TEST_F(HostControlsTest, HostsAndCoHostsMayParticipantsMayNotOthersSeeNothing) {
  const std::string meeting = MeetingNow();
  for (const auto& host : {ana_, boris_}) {
    EXPECT_EQ(Slug(controls_.SetLocked(host, meeting, false)), "ok");
    EXPECT_EQ(Slug(controls_.Lobby(host, meeting)), "ok");
    EXPECT_EQ(controls_.MuteAll(host, meeting)->at("muted"), 0);
  }
  EXPECT_EQ(Slug(controls_.SetLocked(carol_, meeting, true)), "403 not-meeting-host");
  EXPECT_EQ(Slug(controls_.MuteAll(carol_, meeting)), "403 not-meeting-host");
  EXPECT_EQ(Slug(controls_.Remove(carol_, meeting, boris_)), "403 not-meeting-host");
  EXPECT_EQ(Slug(controls_.End(carol_, meeting)), "403 not-meeting-host");
  EXPECT_EQ(Slug(controls_.LowerHand(carol_, meeting, "p1")), "403 not-meeting-host");
  EXPECT_EQ(Slug(controls_.SetLocked(dimo_, meeting, true)), "404 meeting-not-found");
  EXPECT_EQ(Slug(controls_.State(dimo_, meeting)), "404 meeting-not-found");
  EXPECT_EQ(Slug(controls_.End(ana_, "no-such-meeting")), "404 meeting-not-found");
  // Nobody is in the media here: the participant to mute is not found.
  EXPECT_EQ(Slug(controls_.Mute(ana_, meeting, "pNobody", "microphone")), "404 participant-not-found");
  EXPECT_EQ(Slug(controls_.Mute(ana_, meeting, "pNobody", "screen")), "400 invalid-field");
  EXPECT_EQ(controls_.State(carol_, meeting)->at("host"), false);
  EXPECT_EQ(controls_.State(boris_, meeting)->at("host"), true);
}

TEST_F(HostControlsTest, AHostRemovedFromTheOccurrenceRunsNothingOfIt) {
  const std::string meeting = MeetingNow();
  ASSERT_EQ(Slug(controls_.Remove(ana_, meeting, boris_)), "ok");
  EXPECT_EQ(Slug(controls_.SetLocked(boris_, meeting, true)), "403 removed-from-meeting");
  EXPECT_EQ(Slug(controls_.LetBack(boris_, meeting, boris_)), "403 removed-from-meeting");
  EXPECT_EQ(Slug(controls_.Remove(boris_, meeting, carol_)), "403 removed-from-meeting");
  EXPECT_EQ(Slug(controls_.End(boris_, meeting)), "403 removed-from-meeting");
  ASSERT_EQ(Slug(controls_.LetBack(ana_, meeting, boris_)), "ok");
  EXPECT_EQ(Slug(controls_.SetLocked(boris_, meeting, false)), "ok");
}

TEST_F(HostControlsTest, ControlsAreForTheOccurrenceOnNow) {
  const std::string meeting = CreateMeeting(ana_, Input(kMonday + kDay, 30, {carol_}));
  EXPECT_EQ(Slug(controls_.SetLocked(ana_, meeting, true)), "409 meeting-not-on");
  EXPECT_EQ(controls_.State(carol_, meeting)->at("on"), false);
}

TEST_F(HostControlsTest, ALockedMeetingLetsInOnlyHostsAndThoseJustInside) {
  const std::string meeting = MeetingNow();
  ASSERT_EQ(controls_.SetLocked(ana_, meeting, true)->at("locked"), true);
  EXPECT_EQ(JoinSlug(carol_, meeting), "409 meeting-locked");
  EXPECT_EQ(JoinSlug(boris_, meeting), "ok");
  EXPECT_EQ(controls_.State(carol_, meeting)->at("locked"), true);
  // Carol was inside until 30 s ago (her tab lost its connection): she comes back.
  {
    auto connection = database_.Acquire();
    connection->Execute(
        "INSERT INTO meeting_attendance (participant_id, meeting_id, employee_id, joined_at, left_at, left_reason)"
        " VALUES ('pC', ?, ?, ?, ?, 'left')",
        {meeting, carol_, Now() - 10 * kMinute, Now() - 30});
  }
  EXPECT_EQ(JoinSlug(carol_, meeting), "ok");
  now_ += 2 * kMinute;
  EXPECT_EQ(JoinSlug(carol_, meeting), "409 meeting-locked");
  ASSERT_EQ(controls_.SetLocked(boris_, meeting, false)->at("locked"), false);
  EXPECT_EQ(JoinSlug(carol_, meeting), "ok");
  EXPECT_EQ(AuditCount("meeting.lock"), 1);
  EXPECT_EQ(AuditCount("meeting.unlock"), 1);
}

TEST_F(HostControlsTest, SomeoneRemovedGetsNoPassUntilAHostLetsThemBackForThatOccurrenceOnly) {
  Recurrence weekly;
  weekly.count = 3;
  const std::string meeting = MeetingNow(std::nullopt, weekly);
  EXPECT_EQ(Slug(controls_.Remove(boris_, meeting, ana_)), "403 cannot-remove-organiser");
  EXPECT_EQ(Slug(controls_.Remove(boris_, meeting, "no-such-employee")), "404 employee-not-found");
  ASSERT_EQ(Slug(controls_.Remove(boris_, meeting, carol_)), "ok");
  EXPECT_EQ(Slug(controls_.Remove(boris_, meeting, carol_)), "ok");  // once is enough
  EXPECT_EQ(JoinSlug(carol_, meeting), "403 removed-from-meeting");
  const auto state = controls_.State(ana_, meeting);
  ASSERT_EQ(state->at("removed").size(), 1U);
  EXPECT_EQ(state->at("removed")[0].at("name"), "Цветана Колева");
  EXPECT_TRUE(controls_.State(carol_, meeting)->at("removed").empty());  // hosts only

  ASSERT_EQ(Slug(controls_.LetBack(ana_, meeting, carol_)), "ok");
  EXPECT_EQ(Slug(controls_.LetBack(ana_, meeting, carol_)), "404 removal-not-found");
  EXPECT_EQ(JoinSlug(carol_, meeting), "ok");

  // Removed again: next week's occurrence is a new one.
  ASSERT_EQ(Slug(controls_.Remove(ana_, meeting, carol_)), "ok");
  now_ += 7 * kDay;
  EXPECT_EQ(JoinSlug(carol_, meeting), "ok");
  EXPECT_EQ(AuditCount("meeting.remove"), 3);
  EXPECT_EQ(AuditCount("meeting.let_back"), 1);
}

TEST_F(HostControlsTest, AnEndedMeetingIsShutForEveryoneAndTheRoomOpensAFreshOne) {
  const std::string room = PersonalRoomOf(ana_);
  const std::string meeting = rooms_.Enter(ana_, room)->meeting_id;
  ASSERT_EQ(Slug(controls_.End(ana_, meeting)), "ok");
  EXPECT_EQ(JoinSlug(ana_, meeting), "409 meeting-ended");
  EXPECT_EQ(Slug(controls_.SetLocked(ana_, meeting, true)), "409 meeting-ended");
  EXPECT_EQ(Slug(controls_.End(ana_, meeting)), "409 meeting-ended");
  EXPECT_EQ(controls_.State(ana_, meeting)->at("ended"), true);
  EXPECT_EQ(AuditCount("meeting.end"), 1);
  // The owner's room: a new ad-hoc meeting, and a knock is for that one.
  const auto again = rooms_.Enter(ana_, room);
  ASSERT_TRUE(again.ok()) << Slug(again);
  EXPECT_NE(again->meeting_id, meeting);
}

TEST_F(HostControlsTest, AHallsLobbyKeepsInviteesWaitingUntilAHostOrCoHostAnswers) {
  const auto hall = rooms_.CreateHall(ana_, {"Зала с преддверие", "", 30, true});
  ASSERT_TRUE(hall.ok()) << Slug(hall);
  const std::string hall_id = hall->at("id");
  const std::string meeting = MeetingNow(hall_id);
  const std::string eve = AddEmployee("Ева Маринова");
  const auto ana_tab = Connect(ana_);
  const auto boris_tab = Connect(boris_);
  const auto carol_tab = Connect(carol_);

  EXPECT_EQ(JoinSlug(carol_, meeting), "403 knock-required");
  EXPECT_EQ(Slug(rooms_.Enter(carol_, hall_id)), "403 knock-required");
  EXPECT_EQ(JoinSlug(boris_, meeting), "ok");
  EXPECT_EQ(Slug(rooms_.Knock(boris_, hall_id)), "409 knock-not-needed");
  EXPECT_EQ(Slug(rooms_.Knock(dimo_, hall_id)), "403 not-invited");

  const auto knock = rooms_.Knock(carol_, hall_id);
  ASSERT_TRUE(knock.ok()) << Slug(knock);
  EXPECT_EQ(knock->at("meeting_id"), meeting);
  ASSERT_EQ(ana_tab->Of("knock").size(), 1U);
  ASSERT_EQ(boris_tab->Of("knock").size(), 1U);
  EXPECT_EQ(boris_tab->Of("knock")[0].at("knock").at("meeting_id"), meeting);
  const auto lobby = controls_.Lobby(boris_, meeting);
  ASSERT_EQ(lobby->at("waiting").size(), 1U);
  EXPECT_EQ(lobby->at("waiting")[0].at("employee").at("name"), "Цветана Колева");
  EXPECT_EQ(Slug(controls_.Lobby(carol_, meeting)), "403 not-meeting-host");
  EXPECT_EQ(Slug(rooms_.AnswerKnock(dimo_, knock->at("id"), true)), "404 knock-not-found");

  ASSERT_EQ(Slug(rooms_.AnswerKnock(boris_, knock->at("id"), true)), "ok");
  EXPECT_EQ(carol_tab->Of("knock.answered").size(), 1U);
  EXPECT_EQ(ana_tab->Of("knock.closed").size(), 1U);
  EXPECT_EQ(JoinSlug(carol_, meeting), "ok");
  EXPECT_EQ(Slug(rooms_.Knock(carol_, hall_id)), "409 knock-not-needed");
  EXPECT_TRUE(controls_.Lobby(ana_, meeting)->at("waiting").empty());

  // Declined: still out; removed: may not even knock.
  MeetingInput more = Input(kMonday + 5 * kMinute, 60, {carol_, eve});
  more.invitees.push_back({boris_, std::string(kRoleCoHost)});
  more.room_id = hall_id;
  more.allow_conflicts = true;
  ASSERT_EQ(Slug(meetings_.Update(ana_, meeting, more)), "ok");
  const auto eve_knock = rooms_.Knock(eve, hall_id);
  ASSERT_TRUE(eve_knock.ok()) << Slug(eve_knock);
  ASSERT_EQ(Slug(rooms_.AnswerKnock(ana_, eve_knock->at("id"), false)), "ok");
  EXPECT_EQ(JoinSlug(eve, meeting), "403 knock-required");
  ASSERT_EQ(Slug(controls_.Remove(ana_, meeting, eve)), "ok");
  EXPECT_EQ(Slug(rooms_.Knock(eve, hall_id)), "403 removed-from-meeting");
  EXPECT_EQ(AuditCount("knock.admit"), 1);
  EXPECT_EQ(AuditCount("knock.decline"), 1);
}

// The same with the engine running (one worker on loopback), for what reaches it.
class HostControlsMediaTest : public HostControlsTest {
 protected:
  HostControlsMediaTest() {
    media::SfuOptions options;
    options.bind_address = "127.0.0.1";
    options.first_port = 0;
    options.workers = 1;
    std::string error;
    sfu_ = media::Sfu::Start(options, media_, &error);
    if (!sfu_) throw std::runtime_error("cannot start the SFU: " + error);
    media_.Start(*sfu_);
  }
  ~HostControlsMediaTest() override {
    for (const auto& tab : tabs_) Disconnect(tab);  // while media_ is there to hear it
    media_.Stop();
    sfu_.reset();
  }

  // A tab of the employee sends media.join; returns at once, as the hub's I/O thread does.
  std::shared_ptr<RecordingPeer> JoinMedia(const std::string& employee_id, const std::string& meeting_id) {
    const auto pass = meetings_.Join(employee_id, meeting_id);
    if (!pass.ok()) throw std::runtime_error("no pass: " + Slug(pass));
    auto tab = Connect(employee_id);
    tabs_.push_back(tab);
    hub_.Received(
        tab,
        nlohmann::json{{"type", "media.join"}, {"meeting_id", meeting_id}, {"capability", pass->capability}}.dump());
    return tab;
  }
  // The tab's messages' types once it got `count` of `type` (or 5 s passed).
  static std::vector<std::string> TypesOnce(RecordingPeer& tab, const std::string& type, std::size_t count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (tab.Of(type).size() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::vector<std::string> types;
    for (const auto& message : tab.Messages()) types.push_back(message.value("type", ""));
    return types;
  }

  std::unique_ptr<media::Sfu> sfu_;
  std::vector<std::shared_ptr<RecordingPeer>> tabs_;
};

TEST_F(HostControlsMediaTest, AMuteWhileTheEngineJoinIsPendingHoldsTheParticipantOnceJoined) {
  const std::string meeting = MeetingNow();
  // Muted right after media.join, before the store thread has handed the tab to
  // the engine: the hold waits for the join instead of being lost.
  const auto carol_tab = JoinMedia(carol_, meeting);
  const auto carol = media_.ParticipantsNotHosting(meeting);
  ASSERT_EQ(carol.size(), 1U);
  ASSERT_EQ(Slug(controls_.Mute(ana_, meeting, carol[0], "microphone")), "ok");
  const auto types = TypesOnce(*carol_tab, "media.muted.by.host");
  const auto joined = std::find(types.begin(), types.end(), "media.joined");
  const auto muted = std::find(types.begin(), types.end(), "media.muted.by.host");
  ASSERT_NE(muted, types.end());
  EXPECT_LT(joined, muted);  // to a participant the engine knows
  EXPECT_EQ(AuditCount("meeting.mute"), 1);

  // Mute-all counts whom it asked, joined or not, with a microphone or not.
  const auto second_tab = JoinMedia(carol_, meeting);
  const auto boris_tab = JoinMedia(boris_, meeting);  // a co-host: not muted
  EXPECT_EQ(controls_.MuteAll(ana_, meeting)->at("muted"), 2);
  const auto second = TypesOnce(*second_tab, "media.muted.by.host");  // others may follow it
  EXPECT_EQ(std::count(second.begin(), second.end(), "media.muted.by.host"), 1);
  const auto again = TypesOnce(*carol_tab, "media.muted.by.host", 2);
  EXPECT_EQ(std::count(again.begin(), again.end(), "media.muted.by.host"), 2);
  EXPECT_TRUE(boris_tab->Of("media.muted.by.host").empty());
}

TEST_F(HostControlsMediaTest, AHandRaisedBeforeTheEntryCheckCountsForNothing) {
  const std::string meeting = MeetingNow();
  const auto ana_tab = JoinMedia(ana_, meeting);
  TypesOnce(*ana_tab, "media.joined");
  // Carol's pass is from before she was removed: her tab is refused, and a hand it
  // raises meanwhile never reaches the queue.
  const auto pass = meetings_.Join(carol_, meeting);
  ASSERT_TRUE(pass.ok());
  ASSERT_EQ(Slug(controls_.Remove(ana_, meeting, carol_)), "ok");
  auto carol_tab = Connect(carol_);
  tabs_.push_back(carol_tab);
  hub_.Received(
      carol_tab,
      nlohmann::json{{"type", "media.join"}, {"meeting_id", meeting}, {"capability", pass->capability}}.dump());
  hub_.Received(carol_tab, nlohmann::json{{"type", "media.hand"}, {"meeting_id", meeting}, {"raised", true}}.dump());
  TypesOnce(*carol_tab, "media.refused");
  ASSERT_EQ(carol_tab->Of("media.refused").size(), 1U);
  EXPECT_TRUE(carol_tab->Of("media.hands").empty());
  EXPECT_TRUE(ana_tab->Of("media.hands").empty()) << "a ghost hand in the queue";
}

TEST_F(HostControlsMediaTest, LoweringAHandIsAuditedAndNeedsTheParticipant) {
  const std::string meeting = MeetingNow();
  const auto carol_tab = JoinMedia(carol_, meeting);
  const std::string carol = media_.ParticipantsNotHosting(meeting).at(0);
  TypesOnce(*carol_tab, "media.joined");
  hub_.Received(carol_tab, nlohmann::json{{"type", "media.hand"}, {"meeting_id", meeting}, {"raised", true}}.dump());
  ASSERT_EQ(carol_tab->Of("media.hands").back().at("hands").size(), 1U);
  EXPECT_EQ(Slug(controls_.LowerHand(ana_, meeting, "pNobody")), "404 participant-not-found");
  EXPECT_EQ(AuditCount("meeting.lower_hand"), 0);
  ASSERT_EQ(Slug(controls_.LowerHand(boris_, meeting, carol)), "ok");
  EXPECT_TRUE(carol_tab->Of("media.hands").back().at("hands").empty());
  EXPECT_EQ(AuditCount("meeting.lower_hand"), 1);
}

}  // namespace
}  // namespace egovbox::meetings
