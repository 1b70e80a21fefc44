#include "meetings/room_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meetings_world.h"

namespace egovbox::meetings {
namespace {

using test::kDay;
using test::kHour;
using test::kMinute;
using test::kMonday;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class RoomServiceTest : public test::MeetingsTest {
 protected:
  RoomServiceTest()
      : ana_(AddEmployee("Ана Иванова")), boris_(AddEmployee("Борис Петров")), carol_(AddEmployee("Цветана Колева")) {}

  std::string CreateHall(const std::string& name) {
    const auto hall = rooms_.CreateHall(ana_, {name, "", 30, false});
    EXPECT_TRUE(hall.ok()) << Slug(hall);
    return hall->at("id").get<std::string>();
  }
  std::vector<std::string> HallNames() {
    std::vector<std::string> names;
    const auto rooms = rooms_.List(boris_);
    for (const auto& hall : rooms.value().at("halls")) names.push_back(hall.at("name"));
    return names;
  }
  // The meeting a pass lets into, checked to be a valid capability for that person.
  std::string MeetingOf(const http::Result<JoinPass>& pass, const std::string& employee_id) {
    if (!pass.ok()) {
      ADD_FAILURE() << "no pass: " << Slug(pass);
      return "";
    }
    EXPECT_EQ(signer_.Verify(pass.value().capability, pass.value().meeting_id, employee_id, Now()),
              crypto::CapabilityCheck::kValid);
    return pass.value().meeting_id;
  }
  std::string KnockStatus(const std::string& actor_id, const std::string& knock_id) {
    const auto knock = rooms_.GetKnock(actor_id, knock_id);
    return knock.ok() ? knock.value().at("status").get<std::string>() : Slug(knock);
  }

  std::string ana_, boris_, carol_;
};

TEST_F(RoomServiceTest, HallsAreCreatedListedUpdatedAndArchived) {
  const auto created = rooms_.CreateHall(ana_, {"Заседателна зала", "Първи етаж", 40, true});
  ASSERT_TRUE(created.ok()) << Slug(created);
  EXPECT_EQ(created->at("kind"), "hall");
  EXPECT_EQ(created->at("capacity"), 40);
  EXPECT_EQ(created->at("lobby"), true);
  EXPECT_TRUE(created->at("owner").is_null());
  const std::string id = created->at("id");
  CreateHall("Голяма зала");
  EXPECT_THAT(HallNames(), ElementsAre("Голяма зала", "Заседателна зала"));
  EXPECT_EQ(rooms_.List(boris_)->at("personal").at("id"), PersonalRoomOf(boris_));
  EXPECT_EQ(rooms_.Get(id)->at("description"), "Първи етаж");

  const auto updated = rooms_.UpdateHall(ana_, id, {"Малка зала", "", std::nullopt, false});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(rooms_.Get(id)->at("name"), "Малка зала");
  EXPECT_TRUE(rooms_.Get(id)->at("capacity").is_null());

  EXPECT_EQ(Slug(rooms_.ArchiveHall(ana_, id)), "ok");
  EXPECT_EQ(Slug(rooms_.Get(id)), "404 room-not-found");
  EXPECT_EQ(Slug(rooms_.UpdateHall(ana_, id, {"Отново", "", std::nullopt, false})), "404 room-not-found");
  EXPECT_EQ(Slug(rooms_.ArchiveHall(ana_, id)), "404 room-not-found");
  EXPECT_THAT(HallNames(), ElementsAre("Голяма зала"));
}

TEST_F(RoomServiceTest, HallInputIsChecked) {
  const auto field = [](const http::Result<test::json>& result) {
    return result.ok() ? std::string("ok") : result.problem().params.at("field").get<std::string>();
  };
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {"", "", std::nullopt, false})), "name");
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {std::string(121, 'a'), "", std::nullopt, false})), "name");
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {"Зала", std::string(2001, 'a'), std::nullopt, false})), "description");
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {"Зала", "", 0, false})), "capacity");
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {"Зала", "", 10001, false})), "capacity");
  EXPECT_THAT(HallNames(), IsEmpty());
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {std::string(120, 'a'), std::string(2000, 'a'), 10000, false})), "ok");
  EXPECT_EQ(field(rooms_.CreateHall(ana_, {"Зала", "", 1, false})), "ok");
  const std::string id = CreateHall("Зала 3");
  EXPECT_EQ(field(rooms_.UpdateHall(ana_, id, {"", "", std::nullopt, false})), "name");
}

TEST_F(RoomServiceTest, PersonalRoomIsNoHall) {
  const std::string room = PersonalRoomOf(boris_);
  EXPECT_EQ(Slug(rooms_.UpdateHall(ana_, room, {"Моята зала", "", std::nullopt, false})), "404 room-not-found");
  EXPECT_EQ(Slug(rooms_.ArchiveHall(ana_, room)), "404 room-not-found");
  EXPECT_EQ(rooms_.Get(room)->at("kind"), "personal");
  EXPECT_EQ(rooms_.Get(room)->at("name"), "Борис Петров");
  EXPECT_EQ(Slug(rooms_.Get("no-such-room")), "404 room-not-found");
}

TEST_F(RoomServiceTest, HallWithMeetingsToComeIsNotArchived) {
  const std::string id = CreateHall("Голяма зала");
  MeetingInput input = Input(kMonday + kDay, 60);
  input.room_id = id;
  CreateMeeting(ana_, input);
  EXPECT_EQ(Slug(rooms_.ArchiveHall(ana_, id)), "409 room-in-use");
  now_ = kMonday + kDay + 2 * kHour;  // the meeting is over
  EXPECT_EQ(Slug(rooms_.ArchiveHall(ana_, id)), "ok");
  // An archived hall takes no new meetings.
  input.starts_at = Now() + kDay;
  input.ends_at = input.starts_at + kHour;
  EXPECT_EQ(Slug(meetings_.Create(ana_, input)), "404 room-not-found");
}

TEST_F(RoomServiceTest, OwnerEntersTheirRoomAndOpensAMeetingThere) {
  const std::string room = PersonalRoomOf(ana_);
  const std::string meeting_id = MeetingOf(rooms_.Enter(ana_, room), ana_);
  const auto meeting = meetings_.Get(ana_, meeting_id);
  ASSERT_TRUE(meeting.ok());
  EXPECT_EQ(meeting->at("room").at("id"), room);
  EXPECT_EQ(meeting->at("my_role"), "host");
  // Entering again, or from another tab, is the same meeting.
  now_ = kMonday + 20 * kMinute;
  EXPECT_EQ(MeetingOf(rooms_.Enter(ana_, room), ana_), meeting_id);
  EXPECT_EQ(Slug(rooms_.Enter(ana_, "no-such-room")), "404 room-not-found");
}

TEST_F(RoomServiceTest, InviteeEntersARoomWhileTheirMeetingIsOnThere) {
  const std::string dan = AddEmployee("Данаил Стоянов");
  const std::string hall = CreateHall("Голяма зала");
  const std::int64_t start = kMonday + kDay;
  const std::string in_personal = CreateMeeting(ana_, Input(start, 60, {boris_}));
  MeetingInput in_hall_input = Input(start, 60, {carol_});
  in_hall_input.room_id = hall;
  const std::string in_hall = CreateMeeting(dan, in_hall_input);

  now_ = start - 11 * kMinute;  // not yet
  EXPECT_EQ(Slug(rooms_.Enter(boris_, PersonalRoomOf(ana_))), "403 knock-required");
  EXPECT_EQ(Slug(rooms_.Enter(carol_, hall)), "403 not-invited");
  now_ = start - 5 * kMinute;
  EXPECT_EQ(MeetingOf(rooms_.Enter(boris_, PersonalRoomOf(ana_)), boris_), in_personal);
  EXPECT_EQ(MeetingOf(rooms_.Enter(ana_, PersonalRoomOf(ana_)), ana_), in_personal);  // the owner too
  EXPECT_EQ(MeetingOf(rooms_.Enter(carol_, hall), carol_), in_hall);
  EXPECT_EQ(MeetingOf(rooms_.Enter(dan, hall), dan), in_hall);
  // Not invited: knock on a personal room; a hall is closed to them.
  EXPECT_EQ(Slug(rooms_.Enter(carol_, PersonalRoomOf(ana_))), "403 knock-required");
  EXPECT_EQ(Slug(rooms_.Enter(boris_, hall)), "403 not-invited");
  now_ = start + kHour;  // over
  EXPECT_EQ(Slug(rooms_.Enter(carol_, hall)), "403 not-invited");
}

TEST_F(RoomServiceTest, KnockNeedsTheOwnerOnline) {
  const std::string room = PersonalRoomOf(ana_);
  EXPECT_EQ(Slug(rooms_.Knock(boris_, room)), "409 room-owner-away");
  const auto ana_tab = Connect(ana_);
  const auto knock = rooms_.Knock(boris_, room);
  ASSERT_TRUE(knock.ok()) << Slug(knock);
  EXPECT_EQ(knock->at("status"), "pending");
  EXPECT_TRUE(knock->at("meeting_id").is_null());
  const auto heard = ana_tab->Of("knock");
  ASSERT_EQ(heard.size(), 1U);
  EXPECT_EQ(heard[0].at("knock").at("id"), knock->at("id"));
  EXPECT_EQ(heard[0].at("knock").at("employee").at("id"), boris_);
  EXPECT_EQ(heard[0].at("knock").at("employee").at("name"), "Борис Петров");
  Disconnect(ana_tab);
  EXPECT_EQ(Slug(rooms_.Knock(carol_, room)), "409 room-owner-away");
}

TEST_F(RoomServiceTest, KnockingIsOnlyForOthersPersonalRooms) {
  const auto ana_tab = Connect(ana_);
  EXPECT_EQ(Slug(rooms_.Knock(ana_, PersonalRoomOf(ana_))), "409 knock-not-needed");
  EXPECT_EQ(Slug(rooms_.Knock(boris_, CreateHall("Голяма зала"))), "403 not-invited");
  EXPECT_EQ(Slug(rooms_.Knock(boris_, "no-such-room")), "404 room-not-found");
  // An invitee of the meeting on in the room goes straight in.
  CreateMeeting(ana_, Input(kMonday + 5 * kMinute, 30, {boris_}));
  EXPECT_EQ(Slug(rooms_.Knock(boris_, PersonalRoomOf(ana_))), "409 knock-not-needed");
}

TEST_F(RoomServiceTest, AdmittedKnockerJoinsTheOwnersMeeting) {
  const std::string room = PersonalRoomOf(ana_);
  const auto ana_tab = Connect(ana_);
  const auto boris_tab = Connect(boris_);
  const std::string knock_id = rooms_.Knock(boris_, room)->at("id");
  EXPECT_EQ(KnockStatus(boris_, knock_id), "pending");
  EXPECT_EQ(KnockStatus(ana_, knock_id), "pending");

  const auto admitted = rooms_.AnswerKnock(ana_, knock_id, true);
  ASSERT_TRUE(admitted.ok()) << Slug(admitted);
  EXPECT_EQ(admitted->at("status"), "admitted");
  const std::string meeting_id = admitted->at("meeting_id");
  EXPECT_EQ(KnockStatus(boris_, knock_id), "admitted");
  const auto answered = boris_tab->Of("knock.answered");
  ASSERT_EQ(answered.size(), 1U);
  EXPECT_EQ(answered[0].at("knock").at("meeting_id"), meeting_id);
  EXPECT_EQ(ana_tab->Of("knock.closed").size(), 1U);

  // Boris is now in the meeting: he enters without knocking, as does Ana.
  EXPECT_EQ(MeetingOf(rooms_.Enter(boris_, room), boris_), meeting_id);
  EXPECT_EQ(MeetingOf(rooms_.Enter(ana_, room), ana_), meeting_id);
  EXPECT_EQ(meetings_.Get(boris_, meeting_id)->at("my_response"), "accepted");
  EXPECT_EQ(Slug(rooms_.AnswerKnock(ana_, knock_id, false)), "409 knock-answered");
}

TEST_F(RoomServiceTest, KnockerLetIntoAScheduledSeriesIsAGuestOfThatOccurrenceOnly) {
  const std::string room = PersonalRoomOf(ana_);
  MeetingInput weekly = Input(kMonday + 5 * kMinute, 60, {carol_});
  weekly.recurrence = Recurrence{Frequency::kWeekly, 1, {}, std::nullopt, std::nullopt};
  const std::string series = CreateMeeting(ana_, weekly);
  const auto ana_tab = Connect(ana_);
  const std::string knock_id = rooms_.Knock(boris_, room)->at("id");
  const auto admitted = rooms_.AnswerKnock(ana_, knock_id, true);
  ASSERT_TRUE(admitted.ok()) << Slug(admitted);
  EXPECT_EQ(admitted->at("meeting_id"), series);

  // In for this occurrence: he sees it and enters, but is not made an invitee.
  EXPECT_EQ(MeetingOf(rooms_.Enter(boris_, room), boris_), series);
  ASSERT_TRUE(meetings_.Get(boris_, series).ok());
  EXPECT_EQ(meetings_.Get(boris_, series)->at("my_role"), "");
  EXPECT_EQ(meetings_.Get(ana_, series)->at("invitees").size(), 2U);
  // After it, the series is none of his business.
  now_ = kMonday + 2 * kHour;
  EXPECT_EQ(Slug(meetings_.Get(boris_, series)), "404 meeting-not-found");
  now_ = kMonday + 7 * kDay;
  EXPECT_EQ(Slug(meetings_.Join(boris_, series)), "404 meeting-not-found");
  EXPECT_EQ(Slug(rooms_.Enter(boris_, room)), "403 knock-required");
}

TEST_F(RoomServiceTest, NobodyIsLetIntoSomeoneElsesCall) {
  const std::string room = PersonalRoomOf(ana_);
  const auto ana_tab = Connect(ana_);
  const auto carol_tab = Connect(carol_);
  const std::string call = calls_.Start(ana_, carol_)->at("id");
  const std::string call_meeting = calls_.Accept(carol_, call)->at("meeting_id");
  const std::string knock_id = rooms_.Knock(boris_, room)->at("id");
  const auto admitted = rooms_.AnswerKnock(ana_, knock_id, true);
  ASSERT_TRUE(admitted.ok()) << Slug(admitted);
  EXPECT_NE(admitted->at("meeting_id"), call_meeting);
  EXPECT_EQ(Slug(meetings_.Get(boris_, call_meeting)), "404 meeting-not-found");
}

TEST_F(RoomServiceTest, DeclinedKnockerStaysOutside) {
  const std::string room = PersonalRoomOf(ana_);
  const auto ana_tab = Connect(ana_);
  const auto boris_tab = Connect(boris_);
  const std::string knock_id = rooms_.Knock(boris_, room)->at("id");
  const auto declined = rooms_.AnswerKnock(ana_, knock_id, false);
  ASSERT_TRUE(declined.ok());
  EXPECT_EQ(declined->at("status"), "declined");
  EXPECT_TRUE(declined->at("meeting_id").is_null());
  ASSERT_EQ(boris_tab->Of("knock.answered").size(), 1U);
  EXPECT_EQ(boris_tab->Of("knock.answered")[0].at("knock").at("status"), "declined");
  EXPECT_EQ(Slug(rooms_.Enter(boris_, room)), "403 knock-required");
  EXPECT_EQ(Slug(rooms_.AnswerKnock(ana_, knock_id, true)), "409 knock-answered");
}

TEST_F(RoomServiceTest, OnlyTheOwnerAnswersAndOnlyTheKnockerAndOwnerSeeAKnock) {
  const std::string room = PersonalRoomOf(ana_);
  Connect(ana_);
  const std::string knock_id = rooms_.Knock(boris_, room)->at("id");
  EXPECT_EQ(Slug(rooms_.AnswerKnock(carol_, knock_id, true)), "404 knock-not-found");
  EXPECT_EQ(Slug(rooms_.AnswerKnock(boris_, knock_id, true)), "404 knock-not-found");
  EXPECT_EQ(Slug(rooms_.AnswerKnock(ana_, "no-such-knock", true)), "404 knock-not-found");
  EXPECT_EQ(KnockStatus(carol_, knock_id), "404 knock-not-found");
  EXPECT_EQ(KnockStatus(ana_, knock_id), "pending");
  EXPECT_EQ(Slug(rooms_.Enter(carol_, room)), "403 knock-required");
}

TEST_F(RoomServiceTest, KnockerWithdrawsAndTheOwnerIsTold) {
  const std::string room = PersonalRoomOf(ana_);
  const auto ana_tab = Connect(ana_);
  const std::string knock_id = rooms_.Knock(boris_, room)->at("id");
  EXPECT_EQ(Slug(rooms_.WithdrawKnock(carol_, knock_id)), "404 knock-not-found");
  EXPECT_EQ(Slug(rooms_.WithdrawKnock(ana_, knock_id)), "404 knock-not-found");
  EXPECT_EQ(Slug(rooms_.WithdrawKnock(boris_, knock_id)), "ok");
  EXPECT_EQ(KnockStatus(boris_, knock_id), "withdrawn");
  ASSERT_EQ(ana_tab->Of("knock.closed").size(), 1U);
  EXPECT_EQ(ana_tab->Of("knock.closed")[0].at("knock_id"), knock_id);
  EXPECT_EQ(Slug(rooms_.AnswerKnock(ana_, knock_id, true)), "409 knock-answered");
  EXPECT_EQ(Slug(rooms_.WithdrawKnock(boris_, knock_id)), "ok");  // again: nothing more
  EXPECT_EQ(ana_tab->Of("knock.closed").size(), 1U);
}

TEST_F(RoomServiceTest, NewKnockReplacesThePendingOne) {
  const std::string room = PersonalRoomOf(ana_);
  Connect(ana_);
  const std::string first = rooms_.Knock(boris_, room)->at("id");
  const std::string second = rooms_.Knock(boris_, room)->at("id");
  EXPECT_NE(first, second);
  EXPECT_EQ(KnockStatus(boris_, first), "withdrawn");
  EXPECT_EQ(KnockStatus(boris_, second), "pending");
}

}  // namespace
}  // namespace egovbox::meetings
