#include "meetings/call_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meetings_world.h"
#include "notify/notification.h"

namespace egovbox::meetings {
namespace {

using test::kMinute;
using test::kMonday;
using test::kRingSeconds;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class CallServiceTest : public test::MeetingsTest {
 protected:
  CallServiceTest()
      : ana_(AddEmployee("Ана Иванова")), boris_(AddEmployee("Борис Петров")), carol_(AddEmployee("Цветана Колева")) {}

  // Ana calls Boris; returns the call id.
  std::string Ring() {
    const auto call = calls_.Start(ana_, boris_);
    EXPECT_TRUE(call.ok()) << Slug(call);
    return call.ok() ? call.value().at("id").get<std::string>() : "";
  }
  std::string StatusOf(const std::string& call_id) {
    const auto call = calls_.Get(ana_, call_id);
    return call.ok() ? call.value().at("status").get<std::string>() : Slug(call);
  }

  std::string ana_, boris_, carol_;
};

TEST_F(CallServiceTest, AcceptedCallPutsBothInAOneToOneMeetingInTheCallersRoom) {
  const auto ana_tab = Connect(ana_);
  const auto boris_tab = Connect(boris_);
  const auto boris_other_tab = Connect(boris_);
  const std::string id = Ring();
  EXPECT_EQ(StatusOf(id), "ringing");
  for (const auto& tab : {boris_tab, boris_other_tab}) {
    const auto ringing = tab->Of("call.ringing");
    ASSERT_EQ(ringing.size(), 1U);
    EXPECT_EQ(ringing[0].at("call").at("caller").at("id"), ana_);
    EXPECT_EQ(ringing[0].at("call").at("caller").at("name"), "Ана Иванова");
  }
  EXPECT_THAT(ana_tab->Of("call.ringing"), IsEmpty());

  EXPECT_EQ(Slug(calls_.Accept(ana_, id)), "404 call-not-found");  // only the callee accepts
  const auto accepted = calls_.Accept(boris_, id);
  ASSERT_TRUE(accepted.ok()) << Slug(accepted);
  EXPECT_EQ(accepted->at("status"), "accepted");
  const std::string meeting_id = accepted->at("meeting_id");
  for (const auto& tab : {ana_tab, boris_tab, boris_other_tab}) {
    const auto told = tab->Of("call.accepted");
    ASSERT_EQ(told.size(), 1U);
    EXPECT_EQ(told[0].at("call").at("meeting_id"), meeting_id);
  }

  const auto meeting = meetings_.Get(boris_, meeting_id);
  ASSERT_TRUE(meeting.ok());
  EXPECT_EQ(meeting->at("kind"), "one-to-one");
  EXPECT_EQ(meeting->at("room").at("id"), PersonalRoomOf(ana_));
  std::vector<std::string> invited;
  for (const auto& invitee : meeting->at("invitees")) invited.push_back(invitee.at("employee_id"));
  EXPECT_THAT(invited, UnorderedElementsAre(ana_, boris_));
  // Both may join its media at once.
  EXPECT_TRUE(meetings_.Join(ana_, meeting_id).ok());
  EXPECT_TRUE(meetings_.Join(boris_, meeting_id).ok());
  EXPECT_EQ(Slug(meetings_.Join(carol_, meeting_id)), "404 meeting-not-found");

  EXPECT_EQ(Slug(calls_.Accept(boris_, id)), "409 call-ended");
  EXPECT_EQ(Slug(calls_.HangUp(ana_, id)), "409 call-ended");
}

TEST_F(CallServiceTest, CallIsSeenOnlyByItsTwoPeople) {
  const std::string id = Ring();
  EXPECT_TRUE(calls_.Get(ana_, id).ok());
  EXPECT_TRUE(calls_.Get(boris_, id).ok());
  EXPECT_EQ(Slug(calls_.Get(carol_, id)), "404 call-not-found");
  EXPECT_EQ(Slug(calls_.Accept(carol_, id)), "404 call-not-found");
  EXPECT_EQ(Slug(calls_.Decline(carol_, id)), "404 call-not-found");
  EXPECT_EQ(Slug(calls_.HangUp(carol_, id)), "404 call-not-found");
  EXPECT_EQ(Slug(calls_.Get(ana_, "no-such-call")), "404 call-not-found");
}

TEST_F(CallServiceTest, CalleeDeclines) {
  const auto ana_tab = Connect(ana_);
  const std::string id = Ring();
  EXPECT_EQ(Slug(calls_.Decline(ana_, id)), "404 call-not-found");  // the caller hangs up instead
  const auto declined = calls_.Decline(boris_, id);
  ASSERT_TRUE(declined.ok());
  EXPECT_EQ(declined->at("status"), "declined");
  EXPECT_TRUE(declined->at("meeting_id").is_null());
  EXPECT_EQ(ana_tab->Of("call.declined").size(), 1U);
  EXPECT_EQ(StatusOf(id), "declined");
  EXPECT_EQ(Slug(calls_.Accept(boris_, id)), "409 call-ended");
  EXPECT_EQ(Slug(calls_.Decline(boris_, id)), "409 call-ended");
}

TEST_F(CallServiceTest, CallerHangsUpBeforeAnAnswer) {
  const auto boris_tab = Connect(boris_);
  const std::string id = Ring();
  EXPECT_EQ(Slug(calls_.HangUp(boris_, id)), "404 call-not-found");  // the callee declines instead
  EXPECT_EQ(Slug(calls_.HangUp(ana_, id)), "ok");
  EXPECT_EQ(StatusOf(id), "cancelled");
  EXPECT_EQ(boris_tab->Of("call.cancelled").size(), 1U);
  EXPECT_EQ(Slug(calls_.Accept(boris_, id)), "409 call-ended");
  // The line is free again.
  EXPECT_TRUE(calls_.Start(carol_, boris_).ok());
}

TEST_F(CallServiceTest, CalleeInAMeetingOnDoNotDisturbOrAlreadyRingingIsBusy) {
  const auto boris_tab = Connect(boris_);
  hub_.SetInMeeting(boris_tab, "some-meeting");
  EXPECT_EQ(Slug(calls_.Start(ana_, boris_)), "409 callee-busy");
  hub_.ClearInMeeting(boris_tab);

  hub_.SetDoNotDisturb(boris_, true);
  EXPECT_EQ(Slug(calls_.Start(ana_, boris_)), "409 callee-busy");
  hub_.SetDoNotDisturb(boris_, false);

  const std::string first = Ring();
  EXPECT_EQ(Slug(calls_.Start(carol_, boris_)), "409 callee-busy");
  EXPECT_EQ(boris_tab->Of("call.ringing").size(), 1U);
  ASSERT_TRUE(calls_.Decline(boris_, first).ok());
  EXPECT_TRUE(calls_.Start(carol_, boris_).ok());
}

TEST_F(CallServiceTest, NobodyCallsThemselvesOrSomeoneWhoIsNotThere) {
  EXPECT_EQ(Slug(calls_.Start(ana_, ana_)), "400 invalid-field");
  EXPECT_EQ(Slug(calls_.Start(ana_, "no-such-employee")), "404 employee-not-found");
  ASSERT_TRUE(employees_.Suspend(actor_, carol_).ok());
  EXPECT_EQ(Slug(calls_.Start(ana_, carol_)), "404 employee-not-found");
}

TEST_F(CallServiceTest, UnansweredCallIsMissedAfterTheRingTime) {
  const auto ana_tab = Connect(ana_);
  const auto boris_tab = Connect(boris_);
  const std::string id = Ring();
  now_ = kMonday + kRingSeconds - 1;
  calls_.ExpireUnanswered();
  EXPECT_EQ(StatusOf(id), "ringing");
  EXPECT_EQ(CountNotifications(notify::kKindCallMissed), 0);

  now_ = kMonday + kRingSeconds;
  calls_.ExpireUnanswered();
  EXPECT_EQ(StatusOf(id), "missed");
  const auto missed = Notifications(boris_, notify::kKindCallMissed);
  ASSERT_EQ(missed.size(), 1U);
  EXPECT_EQ(missed[0].at("call_id"), id);
  EXPECT_EQ(missed[0].at("caller").at("id"), ana_);
  EXPECT_EQ(missed[0].at("caller").at("name"), "Ана Иванова");
  EXPECT_THAT(Notifications(ana_, notify::kKindCallMissed), IsEmpty());
  EXPECT_EQ(ana_tab->Of("call.missed").size(), 1U);
  EXPECT_EQ(boris_tab->Of("call.missed").size(), 1U);
  EXPECT_EQ(boris_tab->Of("notification").size(), 1U);

  now_ = kMonday + 10 * kMinute;
  calls_.ExpireUnanswered();  // once only
  EXPECT_EQ(CountNotifications(notify::kKindCallMissed), 1);
  EXPECT_EQ(Slug(calls_.Accept(boris_, id)), "409 call-ended");
}

TEST_F(CallServiceTest, CallThatRangOutCannotBeAcceptedBeforeTheJobMarksItMissed) {
  const std::string id = Ring();
  now_ = kMonday + kRingSeconds;
  EXPECT_EQ(Slug(calls_.Accept(boris_, id)), "409 call-ended");
}

TEST_F(CallServiceTest, TheMeetingOfACallDoesNotMakeAnyoneBusyForScheduling) {
  ASSERT_TRUE(calls_.Accept(boris_, Ring()).ok());
  EXPECT_EQ(Slug(meetings_.Create(carol_, Input(kMonday + 10 * kMinute, 30, {ana_, boris_}))), "ok");
}

TEST_F(CallServiceTest, AnsweredCallIsNotMissed) {
  const std::string accepted = Ring();
  ASSERT_TRUE(calls_.Accept(boris_, accepted).ok());
  now_ = kMonday + 10 * kMinute;
  calls_.ExpireUnanswered();
  EXPECT_EQ(StatusOf(accepted), "accepted");
  EXPECT_EQ(CountNotifications(notify::kKindCallMissed), 0);
}

}  // namespace
}  // namespace egovbox::meetings
