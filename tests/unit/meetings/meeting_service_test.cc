#include "meetings/meeting_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meetings_world.h"
#include "notify/notification.h"

namespace egovbox::meetings {
namespace {

using test::kDay;
using test::kHour;
using test::kMinute;
using test::kMonday;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr std::int64_t kTuesday = kMonday + kDay;  // 3 March 2026, 10:00 in Sofia

class MeetingServiceTest : public test::MeetingsTest {
 protected:
  MeetingServiceTest()
      : ana_(AddEmployee("Ана Иванова")), boris_(AddEmployee("Борис Петров")), carol_(AddEmployee("Цветана Колева")) {}

  // The invitee entry of `employee_id` in a meeting's JSON, or null.
  static test::json InviteeOf(const test::json& meeting, const std::string& employee_id) {
    for (const auto& invitee : meeting.at("invitees")) {
      if (invitee.at("employee_id") == employee_id) return invitee;
    }
    return nullptr;
  }
  std::string ResponseOf(const std::string& meeting_id, const std::string& employee_id) {
    const auto meeting = meetings_.Get(ana_, meeting_id);
    if (!meeting.ok()) return "(" + meeting.problem().slug + ")";
    const auto invitee = InviteeOf(meeting.value(), employee_id);
    return invitee.is_null() ? "(not invited)" : invitee.at("response").get<std::string>();
  }
  std::vector<std::string> Ids(const test::json& people) {
    std::vector<std::string> ids;
    for (const auto& person : people) ids.push_back(person.at("id"));
    return ids;
  }
  std::int64_t CountMeetings() {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT count(*) FROM meetings")->Int(0);
  }

  std::string ana_, boris_, carol_;
};

TEST_F(MeetingServiceTest, CreateMakesTheOrganiserHostAndInvitesTheOthers) {
  const auto created = meetings_.Create(ana_, Input(kTuesday, 60, {boris_, carol_}));
  ASSERT_TRUE(created.ok()) << Slug(created);
  const test::json& meeting = created.value();
  EXPECT_EQ(meeting.at("organiser").at("id"), ana_);
  EXPECT_EQ(meeting.at("my_role"), "host");
  EXPECT_EQ(meeting.at("my_response"), "accepted");
  EXPECT_EQ(meeting.at("status"), "scheduled");
  EXPECT_EQ(meeting.at("starts_at"), "2026-03-03T08:00:00Z");
  EXPECT_EQ(meeting.at("ends_at"), "2026-03-03T09:00:00Z");
  EXPECT_EQ(meeting.at("join_opens_at"), "2026-03-03T07:50:00Z");
  EXPECT_EQ(meeting.at("room").at("id"), PersonalRoomOf(ana_));  // no room given: the organiser's own
  EXPECT_EQ(meeting.at("reminder_offsets"), test::json::array({900, 86400}));
  ASSERT_EQ(meeting.at("invitees").size(), 3U);
  EXPECT_EQ(InviteeOf(meeting, boris_).at("role"), "participant");
  EXPECT_EQ(InviteeOf(meeting, boris_).at("response"), "needs-action");

  const std::string id = meeting.at("id");
  ASSERT_EQ(Notifications(boris_, notify::kKindMeetingInvited).size(), 1U);
  EXPECT_EQ(Notifications(boris_, notify::kKindMeetingInvited)[0].at("meeting_id"), id);
  EXPECT_EQ(Notifications(carol_, notify::kKindMeetingInvited).size(), 1U);
  EXPECT_THAT(Notifications(ana_, notify::kKindMeetingInvited), IsEmpty());
  const auto mail = MailTo(boris_);
  ASSERT_EQ(mail.size(), 1U);
  EXPECT_EQ(mail[0].subject, "Покана: Оперативка");
  EXPECT_THAT(mail[0].message, HasSubstr("method=REQUEST"));
  EXPECT_THAT(MailTo(ana_), IsEmpty());
}

TEST_F(MeetingServiceTest, NobodyButTheInviteesLearnsThatAMeetingExists) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  now_ = kTuesday;  // on now: the time is not why Join fails
  const std::string not_found = "404 meeting-not-found";
  for (const std::string& meeting_id : {id, std::string("no-such-meeting")}) {
    EXPECT_EQ(Slug(meetings_.Get(carol_, meeting_id)), not_found);
    EXPECT_EQ(Slug(meetings_.Update(carol_, meeting_id, Input(kTuesday + kDay, 60, {carol_}))), not_found);
    EXPECT_EQ(Slug(meetings_.Cancel(carol_, meeting_id)), not_found);
    EXPECT_EQ(Slug(meetings_.Respond(carol_, meeting_id, "accepted", "")), not_found);
    EXPECT_EQ(Slug(meetings_.SetMyReminders(carol_, meeting_id, std::vector<std::int64_t>{300})), not_found);
    EXPECT_EQ(Slug(meetings_.Join(carol_, meeting_id)), not_found);
    EXPECT_EQ(Slug(meetings_.CalendarFile(carol_, meeting_id)), not_found);
    EXPECT_EQ(Slug(meetings_.MoveOccurrence(carol_, meeting_id, kTuesday, kTuesday + kHour, kTuesday + 2 * kHour)),
              not_found);
    EXPECT_EQ(Slug(meetings_.CancelOccurrence(carol_, meeting_id, kTuesday)), not_found);
  }
  // Nothing changed, and the invitees still see it.
  const auto seen = meetings_.Get(boris_, id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->at("sequence"), 0);
  EXPECT_EQ(seen->at("status"), "scheduled");
  EXPECT_TRUE(InviteeOf(seen.value(), carol_).is_null());
  EXPECT_EQ(ResponseOf(id, boris_), "needs-action");
}

TEST_F(MeetingServiceTest, OnlyOrganiserAndCoHostsEditAndOnlyTheOrganiserCancels) {
  const std::string dan = AddEmployee("Данаил Стоянов");
  MeetingInput input = Input(kTuesday, 60, {carol_});
  input.invitees.push_back({boris_, std::string(kRoleCoHost)});
  const std::string id = CreateMeeting(ana_, input);

  input.title = "Оперативка (променена)";
  EXPECT_EQ(Slug(meetings_.Update(carol_, id, input)), "403 not-meeting-host");
  const auto by_co_host = meetings_.Update(boris_, id, input);
  ASSERT_TRUE(by_co_host.ok()) << Slug(by_co_host);
  EXPECT_EQ(by_co_host->at("title"), "Оперативка (променена)");
  EXPECT_EQ(by_co_host->at("organiser").at("id"), ana_);  // the organiser stays the organiser
  EXPECT_EQ(InviteeOf(by_co_host.value(), ana_).at("role"), "host");
  EXPECT_EQ(InviteeOf(by_co_host.value(), boris_).at("role"), "co-host");

  // A co-host may invite more people; the organiser stays in whatever the list says.
  input.invitees.push_back({dan, std::string(kRoleParticipant)});
  ASSERT_TRUE(meetings_.Update(boris_, id, input).ok());
  EXPECT_EQ(ResponseOf(id, dan), "needs-action");
  EXPECT_EQ(ResponseOf(id, ana_), "accepted");

  EXPECT_EQ(Slug(meetings_.Cancel(boris_, id)), "403 not-meeting-organiser");
  EXPECT_EQ(Slug(meetings_.Cancel(carol_, id)), "403 not-meeting-organiser");
  EXPECT_EQ(Slug(meetings_.Cancel(ana_, id)), "ok");
  EXPECT_EQ(meetings_.Get(boris_, id)->at("status"), "cancelled");
}

TEST_F(MeetingServiceTest, InvalidMeetingsAreRefusedAndNothingIsStored) {
  const std::string suspended = AddEmployee("Спрян Служител");
  ASSERT_TRUE(employees_.Suspend(actor_, suspended).ok());
  const auto refused = [&](const MeetingInput& input) {
    const auto created = meetings_.Create(ana_, input);
    if (created.ok()) return std::string("ok");
    const auto& problem = created.problem();
    return Slug(problem) +
           (problem.params.contains("field") ? " " + problem.params.at("field").get<std::string>() : std::string());
  };

  EXPECT_EQ(refused(Input(kTuesday, 0)), "400 invalid-field ends_at");
  MeetingInput backwards = Input(kTuesday, 60);
  backwards.ends_at = kTuesday - kMinute;
  EXPECT_EQ(refused(backwards), "400 invalid-field ends_at");
  EXPECT_EQ(refused(Input(kTuesday, 24 * 60 + 1)), "400 invalid-field ends_at");

  MeetingInput kind = Input(kTuesday, 60);
  kind.kind = "party";
  EXPECT_EQ(refused(kind), "400 invalid-field kind");

  EXPECT_EQ(refused(Input(kTuesday, 60, {"no-such-employee"})), "400 unknown-invitee");
  EXPECT_EQ(meetings_.Create(ana_, Input(kTuesday, 60, {"no-such-employee"})).problem().params.at("id"),
            "no-such-employee");
  EXPECT_EQ(refused(Input(kTuesday, 60, {suspended})), "400 unknown-invitee");
  MeetingInput role = Input(kTuesday, 60);
  role.invitees.push_back({boris_, "boss"});
  EXPECT_EQ(refused(role), "400 invalid-field invitees.role");

  MeetingInput department = Input(kTuesday, 60);
  department.departments = {"Отдел, който го няма"};
  EXPECT_EQ(refused(department), "400 unknown-department");

  MeetingInput offsets = Input(kTuesday, 60);
  offsets.reminder_offsets = std::vector<std::int64_t>{60, 120, 300, 600, 900, 1800};
  EXPECT_EQ(refused(offsets), "400 invalid-field reminder_offsets");
  offsets.reminder_offsets = std::vector<std::int64_t>{-60};
  EXPECT_EQ(refused(offsets), "400 invalid-field reminder_offsets");
  offsets.reminder_offsets = std::vector<std::int64_t>{30 * kDay + 1};
  EXPECT_EQ(refused(offsets), "400 invalid-field reminder_offsets");

  EXPECT_EQ(refused(Input(kMonday - 5 * kMinute - 1, 60)), "400 invalid-field starts_at");
  EXPECT_EQ(CountMeetings(), 0);

  // The limits themselves are allowed.
  EXPECT_EQ(refused(Input(kMonday - 5 * kMinute, 60)), "ok");  // a few minutes ago is still "now"
  EXPECT_EQ(refused(Input(kTuesday + 2 * kDay, 24 * 60)), "ok");
  offsets.starts_at = kTuesday + 4 * kDay;
  offsets.ends_at = offsets.starts_at + kHour;
  offsets.reminder_offsets = std::vector<std::int64_t>{0, 60, 120, 300, 30 * kDay};
  EXPECT_EQ(refused(offsets), "ok");
  EXPECT_EQ(CountMeetings(), 3);
}

TEST_F(MeetingServiceTest, DepartmentsAreExpandedToTheirActiveMembers) {
  const std::string finance_1 = AddEmployee("Веселин Георгиев", "Финанси");
  const std::string finance_2 = AddEmployee("Галина Димова", "Финанси");
  const std::string finance_suspended = AddEmployee("Емил Жеков", "Финанси");
  const std::string lawyer = AddEmployee("Зорница Илиева", "Правен отдел");
  ASSERT_TRUE(employees_.Suspend(actor_, finance_suspended).ok());

  MeetingInput input = Input(kTuesday, 60);
  input.invitees.push_back({finance_2, std::string(kRoleCoHost)});  // named as well: keeps the role given
  input.departments = {"Финанси"};
  const auto created = meetings_.Create(ana_, input);
  ASSERT_TRUE(created.ok()) << Slug(created);
  std::vector<std::string> invited;
  for (const auto& invitee : created->at("invitees")) invited.push_back(invitee.at("employee_id"));
  EXPECT_THAT(invited, UnorderedElementsAre(ana_, finance_1, finance_2));
  EXPECT_EQ(InviteeOf(created.value(), finance_1).at("role"), "participant");
  EXPECT_EQ(InviteeOf(created.value(), finance_1).at("department"), "Финанси");
  EXPECT_EQ(InviteeOf(created.value(), finance_2).at("role"), "co-host");
  EXPECT_EQ(Notifications(finance_1, notify::kKindMeetingInvited).size(), 1U);
  EXPECT_THAT(Notifications(lawyer, notify::kKindMeetingInvited), IsEmpty());
  EXPECT_THAT(Notifications(finance_suspended, notify::kKindMeetingInvited), IsEmpty());
}

TEST_F(MeetingServiceTest, BusyInviteesAreNamedUnlessConflictsAreAllowed) {
  const std::string dan = AddEmployee("Данаил Стоянов");
  CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));

  const auto clash = meetings_.Create(carol_, Input(kTuesday + 30 * kMinute, 60, {boris_, dan}));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(Slug(clash), "409 invitees-busy");
  EXPECT_EQ(clash.problem().params.at("count"), 1);
  ASSERT_EQ(clash.problem().extensions.at("busy").size(), 1U);
  EXPECT_EQ(clash.problem().extensions.at("busy")[0].at("id"), boris_);
  EXPECT_EQ(clash.problem().extensions.at("busy")[0].at("name"), "Борис Петров");

  const auto availability = meetings_.Availability(carol_, Input(kTuesday + 30 * kMinute, 60, {boris_, dan}));
  ASSERT_TRUE(availability.ok());
  EXPECT_THAT(Ids(availability->at("busy")), ElementsAre(boris_));
  EXPECT_EQ(availability->at("hall_busy"), false);

  // Back to back is not a clash.
  EXPECT_EQ(Slug(meetings_.Create(carol_, Input(kTuesday + 60 * kMinute, 30, {boris_}))), "ok");
  EXPECT_EQ(Slug(meetings_.Create(carol_, Input(kTuesday - 30 * kMinute, 30, {boris_}))), "ok");
  EXPECT_EQ(Slug(meetings_.Create(carol_, Input(kTuesday - 60 * kMinute, 31, {boris_}))), "409 invitees-busy");
  MeetingInput allowed = Input(kTuesday + 30 * kMinute, 60, {boris_, dan});
  allowed.allow_conflicts = true;
  EXPECT_EQ(Slug(meetings_.Create(carol_, allowed)), "ok");
  // The organiser's own meetings count too.
  const auto own = meetings_.Create(ana_, Input(kTuesday + 15 * kMinute, 15));
  EXPECT_EQ(Slug(own), "409 invitees-busy");
  EXPECT_THAT(Ids(own.problem().extensions.at("busy")), ElementsAre(ana_));
}

TEST_F(MeetingServiceTest, EditWarnsOfNewInviteesWhoAreBusyAndRefusesAMoveIntoThePast) {
  CreateMeeting(carol_, Input(kTuesday, 60));
  const std::string meeting = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  // The same time with Carol added: she has her own meeting then.
  const auto edited = meetings_.Update(ana_, meeting, Input(kTuesday, 60, {boris_, carol_}));
  EXPECT_EQ(Slug(edited), "409 invitees-busy");
  EXPECT_THAT(Ids(edited.problem().extensions.at("busy")), ElementsAre(carol_));
  EXPECT_EQ(Slug(meetings_.Update(ana_, meeting, Input(kMonday - kHour, 60, {boris_}))), "400 invalid-field");
}

TEST_F(MeetingServiceTest, RolesAreTheOrganisersToGive) {
  MeetingInput input = Input(kTuesday, 60);
  input.invitees = {{boris_, "co-host"}, {carol_, "participant"}};
  const std::string meeting = CreateMeeting(ana_, input);
  // Nobody is invited as host: that is the organiser.
  MeetingInput hosts = Input(kTuesday + kDay, 60);
  hosts.invitees = {{boris_, "host"}};
  EXPECT_EQ(Slug(meetings_.Create(ana_, hosts)), "400 invalid-field");
  // A co-host edits, but does not hand out roles, not even to himself.
  MeetingInput promoted = input;
  promoted.invitees = {{boris_, "co-host"}, {carol_, "co-host"}};
  EXPECT_EQ(Slug(meetings_.Update(boris_, meeting, promoted)), "403 not-meeting-organiser");
  MeetingInput retitled = input;
  retitled.title = "Оперативка (нова зала)";
  EXPECT_EQ(Slug(meetings_.Update(boris_, meeting, retitled)), "ok");
  EXPECT_EQ(Slug(meetings_.Update(ana_, meeting, promoted)), "ok");
}

TEST_F(MeetingServiceTest, ASeriesMustStartOnOneOfItsOwnDays) {
  MeetingInput weekly = Input(kMonday + kHour, 60, {boris_});  // a Monday
  weekly.recurrence = Recurrence{Frequency::kWeekly, 1, {"TU"}, std::nullopt, std::nullopt};
  EXPECT_EQ(Slug(meetings_.Create(ana_, weekly)), "400 invalid-field");
  weekly.recurrence->weekdays = {"MO", "TU"};
  EXPECT_EQ(Slug(meetings_.Create(ana_, weekly)), "ok");
}

TEST_F(MeetingServiceTest, SingleOccurrenceChangesAreForSeriesAndCountOnce) {
  const std::string single = CreateMeeting(ana_, Input(kTuesday, 60, {boris_, carol_}));
  ASSERT_TRUE(meetings_
                  .Update(ana_, single,
                          [&] {
                            auto input = Input(kTuesday, 60, {boris_, carol_});
                            input.invitees[0].role = "co-host";
                            return input;
                          }())
                  .ok());
  // A co-host cannot cancel a single meeting by calling it an occurrence.
  EXPECT_EQ(Slug(meetings_.CancelOccurrence(boris_, single, kTuesday)), "409 meeting-not-recurring");

  MeetingInput weekly = Input(kTuesday + kDay, 60, {boris_});
  weekly.recurrence = Recurrence{Frequency::kWeekly, 1, {}, std::nullopt, std::nullopt};
  const std::string series = CreateMeeting(ana_, weekly);
  const std::int64_t second = kTuesday + 8 * kDay;
  // Moved three days away, it can be moved again and then cancelled.
  ASSERT_EQ(Slug(meetings_.MoveOccurrence(ana_, series, second, second + 3 * kDay, second + 3 * kDay + kHour)), "ok");
  EXPECT_EQ(Slug(meetings_.MoveOccurrence(ana_, series, second, second + 2 * kDay, second + 2 * kDay + kHour)), "ok");
  EXPECT_EQ(Slug(meetings_.CancelOccurrence(ana_, series, second)), "ok");
  const auto told = Notifications(boris_, notify::kKindMeetingCancelled).size();
  EXPECT_EQ(Slug(meetings_.CancelOccurrence(ana_, series, second)), "ok");
  EXPECT_EQ(Notifications(boris_, notify::kKindMeetingCancelled).size(), told);
  EXPECT_EQ(Slug(meetings_.CancelOccurrence(ana_, series, second + kHour)), "404 occurrence-not-found");
}

TEST_F(MeetingServiceTest, AnOccurrenceIsNotMovedOntoABookedHall) {
  const std::string hall = rooms_.CreateHall(ana_, {"Голяма зала", "", 40, false})->at("id");
  MeetingInput weekly = Input(kTuesday, 60);
  weekly.room_id = hall;
  weekly.recurrence = Recurrence{Frequency::kWeekly, 1, {}, std::nullopt, std::nullopt};
  const std::string series = CreateMeeting(ana_, weekly);
  MeetingInput other = Input(kTuesday + 2 * kDay, 60);
  other.room_id = hall;
  CreateMeeting(carol_, other);
  EXPECT_EQ(Slug(meetings_.MoveOccurrence(ana_, series, kTuesday + 7 * kDay, kTuesday + 2 * kDay,
                                          kTuesday + 2 * kDay + kHour)),
            "409 hall-busy");
}

TEST_F(MeetingServiceTest, DeclinedInviteeIsNotBusy) {
  const std::string first = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  ASSERT_TRUE(meetings_.Respond(boris_, first, "declined", "в отпуск съм").ok());
  EXPECT_EQ(Slug(meetings_.Create(carol_, Input(kTuesday, 60, {boris_}))), "ok");
  // Tentative still counts.
  const std::string second = CreateMeeting(ana_, Input(kTuesday + kDay, 60, {boris_}));
  ASSERT_TRUE(meetings_.Respond(boris_, second, "tentative", "").ok());
  EXPECT_EQ(Slug(meetings_.Create(carol_, Input(kTuesday + kDay, 60, {boris_}))), "409 invitees-busy");
}

TEST_F(MeetingServiceTest, BookedHallIsBusyEvenWhenConflictsAreAllowed) {
  const auto hall = rooms_.CreateHall(ana_, {"Голяма зала", "Втори етаж", 40, false});
  ASSERT_TRUE(hall.ok());
  const std::string hall_id = hall->at("id");
  MeetingInput first = Input(kTuesday, 60);
  first.room_id = hall_id;
  CreateMeeting(ana_, first);

  MeetingInput second = Input(kTuesday + 30 * kMinute, 60);
  second.room_id = hall_id;
  second.allow_conflicts = true;
  EXPECT_EQ(Slug(meetings_.Create(carol_, second)), "409 hall-busy");
  EXPECT_EQ(meetings_.Availability(carol_, second)->at("hall_busy"), true);
  second.starts_at = kTuesday + kHour;
  second.ends_at = kTuesday + 2 * kHour;
  EXPECT_EQ(Slug(meetings_.Create(carol_, second)), "ok");

  // Someone's personal room is theirs alone; a room that does not exist is not found.
  MeetingInput personal = Input(kTuesday + kDay, 60);
  personal.room_id = PersonalRoomOf(boris_);
  EXPECT_EQ(Slug(meetings_.Create(carol_, personal)), "403 room-not-yours");
  personal.room_id = "no-such-room";
  EXPECT_EQ(Slug(meetings_.Create(carol_, personal)), "404 room-not-found");
}

TEST_F(MeetingServiceTest, JoinOpensTenMinutesBeforeTheStartAndClosesAtTheEnd) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  now_ = kTuesday - 10 * kMinute - 1;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "409 meeting-not-on");
  now_ = kTuesday - 10 * kMinute;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "ok");
  now_ = kTuesday + kHour - 1;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "ok");
  now_ = kTuesday + kHour;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "409 meeting-not-on");

  now_ = kTuesday - kHour;
  ASSERT_TRUE(meetings_.Cancel(ana_, id).ok());
  now_ = kTuesday;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "409 meeting-cancelled");
}

TEST_F(MeetingServiceTest, JoinGivesACapabilityForThatMeetingAndPerson) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  now_ = kTuesday - kMinute;
  const auto pass = meetings_.Join(boris_, id);
  ASSERT_TRUE(pass.ok()) << Slug(pass);
  EXPECT_EQ(pass->meeting_id, id);
  EXPECT_EQ(pass->expires_at, Now() + 120);
  const crypto::CapabilitySigner verifier(test::kCapabilityKey);
  EXPECT_EQ(verifier.Verify(pass->capability, id, boris_, Now()), crypto::CapabilityCheck::kValid);
  EXPECT_EQ(verifier.Verify(pass->capability, id, ana_, Now()), crypto::CapabilityCheck::kOtherEmployee);
  EXPECT_EQ(verifier.Verify(pass->capability, "another-meeting", boris_, Now()),
            crypto::CapabilityCheck::kOtherMeeting);
  EXPECT_EQ(verifier.Verify(pass->capability, id, boris_, pass->expires_at), crypto::CapabilityCheck::kExpired);
  EXPECT_EQ(verifier.Open(pass->capability)->role, "participant");
  EXPECT_EQ(verifier.Open(meetings_.Join(ana_, id)->capability)->role, "host");
}

TEST_F(MeetingServiceTest, RescheduleAsksAgainExceptThoseWhoDeclinedAndTellsEveryoneButTheActor) {
  const std::string dan = AddEmployee("Данаил Стоянов");
  const std::string eve = AddEmployee("Ева Николова");
  MeetingInput input = Input(kTuesday, 60, {boris_, carol_, dan});
  input.invitees.push_back({eve, std::string(kRoleCoHost)});
  const std::string id = CreateMeeting(ana_, input);
  ASSERT_TRUE(meetings_.Respond(boris_, id, "accepted", "").ok());
  ASSERT_TRUE(meetings_.Respond(carol_, id, "declined", "").ok());
  ASSERT_TRUE(meetings_.Respond(dan, id, "tentative", "").ok());
  ASSERT_TRUE(meetings_.Respond(eve, id, "accepted", "").ok());
  const auto eve_tab = Connect(eve);
  const auto boris_tab = Connect(boris_);

  input.starts_at += kHour;
  input.ends_at += kHour;
  const auto moved = meetings_.Update(eve, id, input);  // by the co-host
  ASSERT_TRUE(moved.ok()) << Slug(moved);
  EXPECT_EQ(moved->at("sequence"), 1);
  EXPECT_EQ(ResponseOf(id, ana_), "accepted");
  EXPECT_EQ(ResponseOf(id, boris_), "needs-action");
  EXPECT_EQ(ResponseOf(id, carol_), "declined");
  EXPECT_EQ(ResponseOf(id, dan), "needs-action");
  EXPECT_EQ(ResponseOf(id, eve), "needs-action");

  for (const auto& who : {ana_, boris_, carol_, dan}) {
    const auto told = Notifications(who, notify::kKindMeetingRescheduled);
    ASSERT_EQ(told.size(), 1U) << who;
    EXPECT_EQ(told[0].at("meeting_id"), id);
    EXPECT_EQ(told[0].at("starts_at"), "2026-03-03T09:00:00Z");
  }
  EXPECT_THAT(Notifications(eve, notify::kKindMeetingRescheduled), IsEmpty());
  EXPECT_EQ(CountNotifications(notify::kKindMeetingRescheduled), 4);
  // The actor's tabs are told the meeting changed; the others get the notification.
  EXPECT_EQ(eve_tab->Of("meeting.changed").size(), 1U);
  EXPECT_THAT(eve_tab->Of("notification"), IsEmpty());
  ASSERT_EQ(boris_tab->Of("notification").size(), 1U);
  EXPECT_EQ(boris_tab->Of("notification")[0].at("notification").at("kind"), "meeting.rescheduled");
  ASSERT_EQ(MailTo(boris_).size(), 2U);
  EXPECT_EQ(MailTo(boris_)[1].subject, "Промяна: Оперативка");
  EXPECT_THAT(MailTo(eve), ::testing::SizeIs(1));  // only the invitation
}

TEST_F(MeetingServiceTest, EditWithoutMovingKeepsTheAnswers) {
  MeetingInput input = Input(kTuesday, 60, {boris_, carol_});
  const std::string id = CreateMeeting(ana_, input);
  ASSERT_TRUE(meetings_.Respond(boris_, id, "accepted", "ще дойда").ok());
  input.title = "Оперативка с нов дневен ред";
  input.agenda = "1. Бюджет";
  ASSERT_TRUE(meetings_.Update(ana_, id, input).ok());
  EXPECT_EQ(ResponseOf(id, boris_), "accepted");
  EXPECT_EQ(meetings_.Get(boris_, id)->at("my_comment"), "ще дойда");
  EXPECT_EQ(meetings_.Get(boris_, id)->at("agenda"), "1. Бюджет");
}

TEST_F(MeetingServiceTest, EditTellsTheAddedTheyAreInvitedAndTheRemovedItIsOff) {
  const std::string dan = AddEmployee("Данаил Стоянов");
  MeetingInput input = Input(kTuesday, 60, {boris_, carol_});
  const std::string id = CreateMeeting(ana_, input);
  input.invitees = {{carol_, std::string(kRoleParticipant)}, {dan, std::string(kRoleParticipant)}};
  ASSERT_TRUE(meetings_.Update(ana_, id, input).ok());

  EXPECT_EQ(Notifications(dan, notify::kKindMeetingInvited).size(), 1U);
  EXPECT_EQ(Notifications(boris_, notify::kKindMeetingCancelled).size(), 1U);
  EXPECT_EQ(Notifications(carol_, notify::kKindMeetingRescheduled).size(), 1U);
  EXPECT_THAT(Notifications(carol_, notify::kKindMeetingCancelled), IsEmpty());
  EXPECT_EQ(Slug(meetings_.Get(boris_, id)), "404 meeting-not-found");
  EXPECT_EQ(ResponseOf(id, dan), "needs-action");
  ASSERT_EQ(MailTo(boris_).size(), 2U);
  EXPECT_THAT(MailTo(boris_)[1].message, HasSubstr("method=CANCEL"));
}

TEST_F(MeetingServiceTest, CancelTellsEveryInviteeButTheOrganiserOnce) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_, carol_}));
  ASSERT_TRUE(meetings_.Cancel(ana_, id).ok());
  for (const auto& who : {boris_, carol_}) {
    const auto told = Notifications(who, notify::kKindMeetingCancelled);
    ASSERT_EQ(told.size(), 1U);
    EXPECT_EQ(told[0].at("meeting_id"), id);
    EXPECT_TRUE(told[0].at("occurrence").is_null());  // the whole meeting
    EXPECT_THAT(MailTo(who).back().message, HasSubstr("method=CANCEL"));
  }
  EXPECT_THAT(Notifications(ana_, notify::kKindMeetingCancelled), IsEmpty());
  const auto seen = meetings_.Get(boris_, id);
  EXPECT_EQ(seen->at("status"), "cancelled");
  EXPECT_EQ(seen->at("sequence"), 1);
  EXPECT_TRUE(seen->at("next_occurrence").is_null());

  EXPECT_EQ(Slug(meetings_.Cancel(ana_, id)), "ok");  // again: nothing more happens
  EXPECT_EQ(CountNotifications(notify::kKindMeetingCancelled), 2);
  EXPECT_EQ(Slug(meetings_.Update(ana_, id, Input(kTuesday, 90, {boris_}))), "409 meeting-cancelled");
  EXPECT_EQ(Slug(meetings_.MoveOccurrence(ana_, id, kTuesday, kTuesday + kHour, kTuesday + 2 * kHour)),
            "409 meeting-cancelled");
}

TEST_F(MeetingServiceTest, OneOccurrenceOfASeriesIsMovedOrCancelled) {
  MeetingInput input = Input(kTuesday, 60, {boris_});
  input.recurrence = Recurrence{Frequency::kWeekly, 1, {}, std::nullopt, 4};  // 3, 10, 17 and 24 March
  const std::string id = CreateMeeting(ana_, input);
  const std::int64_t second = kTuesday + 7 * kDay;
  const std::int64_t third = kTuesday + 14 * kDay;

  EXPECT_EQ(Slug(meetings_.MoveOccurrence(boris_, id, second, second + 2 * kHour, second + 3 * kHour)),
            "403 not-meeting-host");
  EXPECT_EQ(Slug(meetings_.MoveOccurrence(ana_, id, second, second + 2 * kHour, second + 2 * kHour)),
            "400 invalid-field");
  EXPECT_EQ(Slug(meetings_.MoveOccurrence(ana_, id, second + kHour, second + 2 * kHour, second + 3 * kHour)),
            "404 occurrence-not-found");
  EXPECT_EQ(Slug(meetings_.MoveOccurrence(ana_, id, kTuesday + 28 * kDay, second, second + kHour)),
            "404 occurrence-not-found");  // after the last one
  ASSERT_EQ(Slug(meetings_.MoveOccurrence(ana_, id, second, second + 2 * kHour, second + 3 * kHour)), "ok");
  const auto moved = Notifications(boris_, notify::kKindMeetingRescheduled);
  ASSERT_EQ(moved.size(), 1U);
  EXPECT_EQ(moved[0].at("starts_at"), "2026-03-10T10:00:00Z");

  EXPECT_EQ(Slug(meetings_.CancelOccurrence(ana_, id, third + kMinute)), "404 occurrence-not-found");
  EXPECT_EQ(Slug(meetings_.CancelOccurrence(boris_, id, third)), "403 not-meeting-host");
  ASSERT_EQ(Slug(meetings_.CancelOccurrence(ana_, id, third)), "ok");
  const auto cancelled = Notifications(boris_, notify::kKindMeetingCancelled);
  ASSERT_EQ(cancelled.size(), 1U);
  EXPECT_EQ(cancelled[0].at("occurrence"), "2026-03-17T08:00:00Z");

  const auto upcoming = meetings_.Upcoming(boris_, kTuesday, kTuesday + 28 * kDay);
  ASSERT_TRUE(upcoming.ok());
  std::vector<std::string> starts;
  for (const auto& occurrence : upcoming->at("occurrences")) starts.push_back(occurrence.at("starts_at"));
  EXPECT_THAT(starts, ElementsAre("2026-03-03T08:00:00Z", "2026-03-10T10:00:00Z", "2026-03-24T08:00:00Z"));
  EXPECT_EQ(upcoming->at("occurrences")[1].at("occurrence"), "2026-03-10T08:00:00Z");
  EXPECT_EQ(meetings_.Get(ana_, id)->at("sequence"), 2);

  // The moved occurrence is joined at its new time, not the old one.
  now_ = second;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "409 meeting-not-on");
  now_ = second + 2 * kHour - 5 * kMinute;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "ok");
  now_ = third;
  EXPECT_EQ(Slug(meetings_.Join(boris_, id)), "409 meeting-not-on");
}

TEST_F(MeetingServiceTest, RespondRecordsTheAnswerAndTellsTheOtherTabs) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  const auto ana_tab = Connect(ana_);
  EXPECT_EQ(Slug(meetings_.Respond(boris_, id, "maybe", "")), "400 invalid-field");
  const auto answered = meetings_.Respond(boris_, id, "tentative", "ако свърша навреме");
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->at("my_response"), "tentative");
  EXPECT_EQ(answered->at("my_comment"), "ако свърша навреме");
  EXPECT_EQ(ResponseOf(id, boris_), "tentative");
  ASSERT_EQ(ana_tab->Of("meeting.changed").size(), 1U);
  EXPECT_EQ(ana_tab->Of("meeting.changed")[0].at("meeting_id"), id);
}

TEST_F(MeetingServiceTest, EachInviteeMayChooseTheirOwnReminders) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  EXPECT_EQ(Slug(meetings_.SetMyReminders(boris_, id, std::vector<std::int64_t>{1, 2, 3, 4, 5, 6})),
            "400 invalid-field");
  EXPECT_EQ(Slug(meetings_.SetMyReminders(boris_, id, std::vector<std::int64_t>{-1})), "400 invalid-field");
  const auto chosen = meetings_.SetMyReminders(boris_, id, std::vector<std::int64_t>{300});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->at("my_reminder_offsets"), test::json::array({300}));
  EXPECT_EQ(meetings_.Get(boris_, id)->at("my_reminder_offsets"), test::json::array({300}));
  EXPECT_EQ(meetings_.Get(ana_, id)->at("my_reminder_offsets"), test::json::array({900, 86400}));
  ASSERT_TRUE(meetings_.SetMyReminders(boris_, id, std::nullopt).ok());
  EXPECT_EQ(meetings_.Get(boris_, id)->at("my_reminder_offsets"), test::json::array({900, 86400}));
}

TEST_F(MeetingServiceTest, InviteeGetsTheCalendarFile) {
  const std::string id = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  const auto file = meetings_.CalendarFile(boris_, id);
  ASSERT_TRUE(file.ok());
  EXPECT_THAT(file.value(), HasSubstr("BEGIN:VCALENDAR"));
  EXPECT_THAT(file.value(), HasSubstr("METHOD:PUBLISH"));
  EXPECT_THAT(file.value(), HasSubstr("https://egov.plovdiv.bg/meetings/" + id));
}

TEST_F(MeetingServiceTest, UpcomingWindowIsLimited) {
  EXPECT_EQ(Slug(meetings_.Upcoming(ana_, kMonday, kMonday)), "400 invalid-field");
  EXPECT_EQ(Slug(meetings_.Upcoming(ana_, kMonday, kMonday + 63 * kDay)), "400 invalid-field");
  EXPECT_EQ(Slug(meetings_.Upcoming(ana_, kMonday, kMonday + 62 * kDay)), "ok");
}

}  // namespace
}  // namespace egovbox::meetings
