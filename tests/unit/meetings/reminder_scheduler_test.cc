#include "meetings/reminder_scheduler.h"

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
using ::testing::IsEmpty;

class ReminderSchedulerTest : public test::MeetingsTest {
 protected:
  ReminderSchedulerTest() : ana_(AddEmployee("Ана Иванова")), boris_(AddEmployee("Борис Петров")) {}

  // Runs the scheduler `times` times at the current time; returns what the first run sent.
  int RunDue(int times = 1) {
    const int sent = reminders_.RunDue();
    for (int i = 1; i < times; ++i) EXPECT_EQ(reminders_.RunDue(), 0) << "run " << i + 1 << " sent again";
    return sent;
  }

  // The offsets of the employee's reminders, in the order they were sent.
  std::vector<std::int64_t> RemindedOffsets(const std::string& employee_id) {
    std::vector<std::int64_t> offsets;
    for (const auto& payload : Notifications(employee_id, notify::kKindMeetingReminder)) {
      offsets.push_back(payload.at("offset_seconds"));
    }
    return offsets;
  }

  std::int64_t MarkedDone(const std::string& employee_id) {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT count(*) FROM reminders_sent WHERE employee_id = ?", {employee_id})->Int(0);
  }

  std::string CreateWithOffsets(std::int64_t starts_at, std::vector<std::int64_t> offsets,
                                std::optional<Recurrence> recurrence = std::nullopt) {
    MeetingInput input = Input(starts_at, 60, {boris_});
    input.reminder_offsets = std::move(offsets);
    input.recurrence = std::move(recurrence);
    return CreateMeeting(ana_, input);
  }

  std::string ana_, boris_;
};

TEST_F(ReminderSchedulerTest, DueReminderIsSentOnceHoweverOftenTheSchedulerRuns) {
  const std::int64_t start = kMonday + 3 * kDay;
  const std::string id = CreateMeeting(ana_, Input(start, 60, {boris_}));  // reminders a day and 15 minutes before
  const auto boris_tab = Connect(boris_);

  now_ = start - kDay - 1;
  EXPECT_EQ(RunDue(3), 0);
  now_ = start - kDay;
  EXPECT_EQ(RunDue(5), 2);  // the organiser and Boris
  const auto reminders = Notifications(boris_, notify::kKindMeetingReminder);
  ASSERT_EQ(reminders.size(), 1U);
  EXPECT_EQ(reminders[0].at("meeting_id"), id);
  EXPECT_EQ(reminders[0].at("title"), "Оперативка");
  EXPECT_EQ(reminders[0].at("starts_at"), "2026-03-05T08:00:00Z");
  EXPECT_EQ(reminders[0].at("occurrence"), "2026-03-05T08:00:00Z");
  EXPECT_EQ(reminders[0].at("offset_seconds"), kDay);
  ASSERT_EQ(boris_tab->Of("notification").size(), 1U);
  EXPECT_EQ(boris_tab->Of("notification")[0].at("notification").at("kind"), "meeting.reminder");
  const auto mail = MailTo(boris_);
  ASSERT_EQ(mail.size(), 2U);  // the invitation, then the reminder
  EXPECT_EQ(mail[1].subject, "Напомняне: Оперативка");

  now_ = start - 15 * kMinute - 30;
  EXPECT_EQ(RunDue(), 0);
  now_ = start - 15 * kMinute;
  EXPECT_EQ(RunDue(5), 2);
  now_ = start - kMinute;
  EXPECT_EQ(RunDue(), 0);
  EXPECT_THAT(RemindedOffsets(boris_), ElementsAre(kDay, 15 * kMinute));
  EXPECT_THAT(RemindedOffsets(ana_), ElementsAre(kDay, 15 * kMinute));
  EXPECT_EQ(MailTo(boris_).size(), 3U);
}

TEST_F(ReminderSchedulerTest, ReminderMissedWhileDownIsSentLateButOnce) {
  const std::int64_t start = kMonday + 3 * kDay;
  CreateWithOffsets(start, {kHour});
  now_ = start - 10 * kMinute;  // the server was down when it fell due
  EXPECT_EQ(RunDue(4), 2);
  EXPECT_THAT(RemindedOffsets(boris_), ElementsAre(kHour));
  now_ = start - kMinute;
  EXPECT_EQ(RunDue(), 0);
}

TEST_F(ReminderSchedulerTest, OfSeveralDueAtOnceOnlyTheNearestIsSent) {
  const std::int64_t start = kMonday + 3 * kDay;
  CreateWithOffsets(start, {kDay, kHour, 30 * kMinute, 5 * kMinute});
  now_ = start - 20 * kMinute;  // a day, an hour and half an hour before have all passed
  EXPECT_EQ(RunDue(3), 2);
  EXPECT_THAT(RemindedOffsets(boris_), ElementsAre(30 * kMinute));
  EXPECT_EQ(MarkedDone(boris_), 3);  // the others are marked done, not sent later
  now_ = start - 5 * kMinute;
  EXPECT_EQ(RunDue(3), 2);
  EXPECT_THAT(RemindedOffsets(boris_), ElementsAre(30 * kMinute, 5 * kMinute));
}

TEST_F(ReminderSchedulerTest, NoReminderOnceTheMeetingHasStarted) {
  const std::int64_t start = kMonday + 3 * kDay;
  CreateWithOffsets(start, {kDay, 15 * kMinute});
  now_ = start;
  EXPECT_EQ(RunDue(), 0);
  now_ = start + 10 * kMinute;
  EXPECT_EQ(RunDue(), 0);
  now_ = start + 2 * kHour;
  EXPECT_EQ(RunDue(), 0);
  EXPECT_EQ(CountNotifications(notify::kKindMeetingReminder), 0);
  EXPECT_EQ(MarkedDone(boris_), 0);
}

TEST_F(ReminderSchedulerTest, ReminderDueBeforeTheInvitationIsNotSent) {
  const std::int64_t start = kMonday + 2 * kHour;  // planned at short notice
  MeetingInput input = Input(start, 60, {boris_});
  const std::string id = CreateMeeting(ana_, input);
  EXPECT_EQ(RunDue(), 0);  // "a day before" was yesterday, before anyone was invited
  now_ = start - 15 * kMinute;
  EXPECT_EQ(RunDue(), 2);

  // Carol is added ten minutes before the start: her 15-minute reminder was due before she was invited.
  const std::string carol = AddEmployee("Цветана Колева");
  now_ = start - 10 * kMinute;
  input.invitees.push_back({carol, std::string(kRoleParticipant)});
  ASSERT_TRUE(meetings_.Update(ana_, id, input).ok());
  EXPECT_EQ(RunDue(), 0);
  EXPECT_THAT(RemindedOffsets(carol), IsEmpty());
  EXPECT_THAT(RemindedOffsets(boris_), ElementsAre(15 * kMinute));
}

TEST_F(ReminderSchedulerTest, DeclinedInviteeIsNotReminded) {
  const std::int64_t start = kMonday + 3 * kDay;
  const std::string id = CreateWithOffsets(start, {15 * kMinute});
  ASSERT_TRUE(meetings_.Respond(boris_, id, "declined", "").ok());
  now_ = start - 15 * kMinute;
  EXPECT_EQ(RunDue(), 1);
  EXPECT_THAT(RemindedOffsets(boris_), IsEmpty());
  EXPECT_THAT(RemindedOffsets(ana_), ElementsAre(15 * kMinute));
  EXPECT_EQ(MailTo(boris_).size(), 1U);  // the invitation only
}

TEST_F(ReminderSchedulerTest, InviteesOwnOffsetsReplaceTheMeetingsDefaults) {
  const std::string carol = AddEmployee("Цветана Колева");
  const std::int64_t start = kMonday + 3 * kDay;
  MeetingInput input = Input(start, 60, {boris_, carol});
  input.reminder_offsets = std::vector<std::int64_t>{15 * kMinute};
  const std::string id = CreateMeeting(ana_, input);
  ASSERT_TRUE(meetings_.SetMyReminders(boris_, id, std::vector<std::int64_t>{5 * kMinute}).ok());
  ASSERT_TRUE(meetings_.SetMyReminders(carol, id, std::vector<std::int64_t>{}).ok());  // none at all

  now_ = start - 15 * kMinute;
  EXPECT_EQ(RunDue(), 1);
  now_ = start - 5 * kMinute;
  EXPECT_EQ(RunDue(), 1);
  now_ = start - 1;
  EXPECT_EQ(RunDue(), 0);
  EXPECT_THAT(RemindedOffsets(ana_), ElementsAre(15 * kMinute));
  EXPECT_THAT(RemindedOffsets(boris_), ElementsAre(5 * kMinute));
  EXPECT_THAT(RemindedOffsets(carol), IsEmpty());
}

TEST_F(ReminderSchedulerTest, SeriesIsRemindedBeforeEachOccurrenceAtItsCurrentTime) {
  const std::int64_t first = kMonday + kDay;
  const std::string id =
      CreateWithOffsets(first, {15 * kMinute}, Recurrence{Frequency::kDaily, 1, {}, std::nullopt, 4});
  ASSERT_TRUE(meetings_.CancelOccurrence(ana_, id, first + kDay).ok());
  ASSERT_TRUE(
      meetings_.MoveOccurrence(ana_, id, first + 2 * kDay, first + 2 * kDay + 2 * kHour, first + 2 * kDay + 3 * kHour)
          .ok());

  std::vector<int> sent;
  for (std::int64_t day = 0; day < 4; ++day) {
    for (const std::int64_t at : {first + day * kDay - 15 * kMinute, first + day * kDay + 2 * kHour - 15 * kMinute}) {
      now_ = at;
      sent.push_back(RunDue(2));
    }
  }
  // Day 1 at its time; day 2 cancelled; day 3 moved two hours later; day 4 at its time.
  EXPECT_THAT(sent, ElementsAre(2, 0, 0, 0, 0, 2, 2, 0));
  std::vector<std::string> occurrences, starts;
  for (const auto& payload : Notifications(boris_, notify::kKindMeetingReminder)) {
    occurrences.push_back(payload.at("occurrence"));
    starts.push_back(payload.at("starts_at"));
  }
  EXPECT_THAT(occurrences, ElementsAre("2026-03-03T08:00:00Z", "2026-03-05T08:00:00Z", "2026-03-06T08:00:00Z"));
  EXPECT_THAT(starts, ElementsAre("2026-03-03T08:00:00Z", "2026-03-05T10:00:00Z", "2026-03-06T08:00:00Z"));
}

TEST_F(ReminderSchedulerTest, CancelledMeetingIsNotReminded) {
  const std::int64_t start = kMonday + 3 * kDay;
  const std::string id = CreateWithOffsets(start, {15 * kMinute});
  ASSERT_TRUE(meetings_.Cancel(ana_, id).ok());
  now_ = start - 15 * kMinute;
  EXPECT_EQ(RunDue(), 0);
}

}  // namespace
}  // namespace egovbox::meetings
