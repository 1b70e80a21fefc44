#include "meetings/meeting_chat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meetings_world.h"

namespace egovbox::meetings {
namespace {

using test::kDay;
using test::kMinute;
using test::kMonday;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::int64_t kTuesday = kMonday + kDay;

// The reason of a refused text ("ok" when accepted).
std::string Refusal(std::string_view text) {
  const auto clean = CleanChatText(text);
  if (clean.ok()) return "ok";
  const http::Problem& problem = clean.problem();
  EXPECT_EQ(problem.status, 400);
  EXPECT_EQ(problem.slug, "invalid-field");
  EXPECT_EQ(problem.params.at("field"), "text");
  return problem.extensions.at("reason").get<std::string>();
}

std::string Repeat(std::string_view unit, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

TEST(CleanChatTextTest, TrimsWhiteSpaceAtBothEndsAndKeepsItInside) {
  EXPECT_EQ(*CleanChatText("  \t\nДобро утро!\n\n"), "Добро утро!");
  EXPECT_EQ(*CleanChatText("точка 1:\n\tбюджет"), "точка 1:\n\tбюджет");
  EXPECT_EQ(*CleanChatText("a  b"), "a  b");
}

TEST(CleanChatTextTest, TurnsCrLfIntoLf) {
  EXPECT_EQ(*CleanChatText("първи ред\r\nвтори ред\r\n"), "първи ред\nвтори ред");
}

TEST(CleanChatTextTest, RefusesEmptyAndBlankText) {
  EXPECT_EQ(Refusal(""), "empty");
  EXPECT_EQ(Refusal(" \t\r\n \n"), "empty");
}

TEST(CleanChatTextTest, CountsCodePointsNotBytes) {
  // Cyrillic: two bytes each; an emoji: four bytes, one code point.
  EXPECT_EQ(Refusal(Repeat("ж", kMaxChatTextLength)), "ok");
  EXPECT_EQ(Refusal(Repeat("ж", kMaxChatTextLength + 1)), "too-long");
  EXPECT_EQ(Refusal(Repeat("\xF0\x9F\x98\x80", kMaxChatTextLength)), "ok");
  EXPECT_EQ(Refusal(Repeat("\xF0\x9F\x98\x80", kMaxChatTextLength + 1)), "too-long");
  EXPECT_EQ(Refusal(Repeat("a", kMaxChatTextLength + 1)), "too-long");
  EXPECT_EQ(Refusal("x"), "ok");
}

TEST(CleanChatTextTest, MeasuresTheLengthAfterTrimming) {
  const std::string full = Repeat("a", kMaxChatTextLength);
  EXPECT_EQ(*CleanChatText("   " + full + "\n\n"), full);
  EXPECT_EQ(Refusal(Repeat(" ", 10 * kMaxChatTextLength) + "a"), "ok");
}

TEST(CleanChatTextTest, RefusesInvalidUtf8) {
  EXPECT_EQ(Refusal("abc\xFF"), "not-utf8");             // never valid
  EXPECT_EQ(Refusal("\x80 continuation"), "not-utf8");   // continuation byte alone
  EXPECT_EQ(Refusal("\xD0"), "not-utf8");                // truncated sequence
  EXPECT_EQ(Refusal("\xC0\xAF"), "not-utf8");            // overlong "/"
  EXPECT_EQ(Refusal("\xED\xA0\x80"), "not-utf8");        // UTF-16 surrogate D800
  EXPECT_EQ(Refusal("\xF4\x90\x80\x80"), "not-utf8");    // above U+10FFFF
  EXPECT_EQ(Refusal("\xEF\xBF\xBD replacement"), "ok");  // U+FFFD itself is text
}

TEST(CleanChatTextTest, RefusesControlCharactersButLineBreakAndTab) {
  EXPECT_EQ(Refusal(std::string("a\0b", 3)), "control-character");
  EXPECT_EQ(Refusal("a\x01z"), "control-character");
  EXPECT_EQ(Refusal("\x1B[31mred"), "control-character");  // terminal escape
  EXPECT_EQ(Refusal("a\x7F"), "control-character");        // DEL
  EXPECT_EQ(Refusal("a\xC2\x85z"), "control-character");   // U+0085, a C1 control
  EXPECT_EQ(Refusal("a\rb"), "control-character");         // a lone CR
  EXPECT_EQ(Refusal("a\x0B"
                    "b"),
            "control-character");  // vertical tab
  EXPECT_EQ(Refusal("a\tb\nc"), "ok");
}

TEST(ChatRateLimiterTest, AllowsTheWindowsWorthThenSaysHowLongToWait) {
  ChatRateLimiter limiter({3, 10});
  EXPECT_EQ(limiter.Acquire("ana", 100), 0);
  EXPECT_EQ(limiter.Acquire("ana", 101), 0);
  EXPECT_EQ(limiter.Acquire("ana", 104), 0);
  EXPECT_EQ(limiter.Acquire("ana", 105), 5);  // the post at 100 leaves the window at 110
  EXPECT_EQ(limiter.Acquire("ana", 109), 1);  // refusals are not counted
  EXPECT_EQ(limiter.Acquire("ana", 110), 0);
  EXPECT_EQ(limiter.Acquire("ana", 110), 1);  // 101 leaves at 111
  EXPECT_EQ(limiter.Acquire("ana", 111), 0);
}

TEST(ChatRateLimiterTest, CountsEachEmployeeApart) {
  ChatRateLimiter limiter({1, 10});
  EXPECT_EQ(limiter.Acquire("ana", 100), 0);
  EXPECT_EQ(limiter.Acquire("boris", 100), 0);
  EXPECT_EQ(limiter.Acquire("ana", 100), 10);
  EXPECT_EQ(limiter.Acquire("boris", 115), 0);  // after a sweep of the idle
  EXPECT_EQ(limiter.Acquire("ana", 115), 0);
}

TEST(ChatRateLimiterTest, StaysWithinTheWindowWhenTheClockStepsBack) {
  ChatRateLimiter limiter({1, 10});
  EXPECT_EQ(limiter.Acquire("ana", 1000), 0);
  EXPECT_EQ(limiter.Acquire("ana", 900), 10);
}

class MeetingChatTest : public test::MeetingsTest {
 protected:
  MeetingChatTest()
      : ana_(AddEmployee("Ана Иванова")), boris_(AddEmployee("Борис Петров")), carol_(AddEmployee("Цветана Колева")) {
    meeting_ = CreateMeeting(ana_, Input(kTuesday, 60, {boris_}));
  }

  std::int64_t CountMessages() {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT count(*) FROM meeting_chat_messages")->Int(0);
  }
  std::vector<std::string> Texts(const http::Result<std::vector<ChatMessage>>& messages) {
    std::vector<std::string> texts;
    if (!messages.ok()) return {"(" + Slug(messages.problem()) + ")"};
    for (const auto& message : *messages) texts.push_back(message.text);
    return texts;
  }

  std::string ana_, boris_, carol_, meeting_;
  MeetingChat chat_{database_, meetings_, hub_};
};

TEST_F(MeetingChatTest, InviteePostsAndEveryInviteeReadsAndHearsIt) {
  const auto ana_tab = Connect(ana_);
  const auto boris_tab = Connect(boris_);
  const auto carol_tab = Connect(carol_);
  const auto posted = chat_.Post(boris_, meeting_, "  Закъснявам 5 минути.\n");
  ASSERT_TRUE(posted.ok()) << Slug(posted);
  EXPECT_EQ(posted->text, "Закъснявам 5 минути.");
  EXPECT_EQ(posted->author_id, boris_);
  EXPECT_EQ(posted->author_name, "Борис Петров");
  EXPECT_EQ(posted->meeting_id, meeting_);
  EXPECT_EQ(posted->sent_at, kMonday);

  const auto read = chat_.List(ana_, meeting_, std::nullopt);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1U);
  EXPECT_EQ(ChatMessageJson(read->front()), ChatMessageJson(*posted));
  EXPECT_EQ(ChatMessageJson(*posted).at("sent_at"), "2026-03-02T08:00:00Z");

  for (const auto& tab : {ana_tab, boris_tab}) {
    const auto events = tab->Of("meeting.chat");
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].at("meeting_id"), meeting_);
    EXPECT_EQ(events[0].at("message"), ChatMessageJson(*posted));
  }
  EXPECT_THAT(carol_tab->Of("meeting.chat"), IsEmpty());
}

TEST_F(MeetingChatTest, SomeoneNotInvitedFindsNoChat) {
  ASSERT_TRUE(chat_.Post(ana_, meeting_, "Само за поканените").ok());
  EXPECT_EQ(Slug(chat_.List(carol_, meeting_, std::nullopt)), "404 meeting-not-found");
  EXPECT_EQ(Slug(chat_.Post(carol_, meeting_, "Здравейте")), "404 meeting-not-found");
  EXPECT_EQ(Slug(chat_.List(carol_, "no-such-meeting", std::nullopt)), "404 meeting-not-found");
  EXPECT_EQ(Slug(chat_.Post(carol_, "no-such-meeting", "Здравейте")), "404 meeting-not-found");
  EXPECT_EQ(CountMessages(), 1);
}

TEST_F(MeetingChatTest, RefusedTextWritesNothingAndTellsNobody) {
  const auto boris_tab = Connect(boris_);
  for (const std::string& text :
       std::vector<std::string>{" \n ", Repeat("я", kMaxChatTextLength + 1), std::string("a\x07")}) {
    EXPECT_EQ(Slug(chat_.Post(ana_, meeting_, text)), "400 invalid-field");
  }
  EXPECT_EQ(CountMessages(), 0);
  EXPECT_THAT(boris_tab->Of("meeting.chat"), IsEmpty());
}

TEST_F(MeetingChatTest, CancelledMeetingsChatIsReadOnly) {
  ASSERT_TRUE(chat_.Post(boris_, meeting_, "Ще дойда").ok());
  ASSERT_TRUE(meetings_.Cancel(ana_, meeting_).ok());
  EXPECT_EQ(Slug(chat_.Post(boris_, meeting_, "Жалко")), "409 meeting-cancelled");
  EXPECT_THAT(Texts(chat_.List(boris_, meeting_, std::nullopt)), ElementsAre("Ще дойда"));
}

TEST_F(MeetingChatTest, PagesBackFromNewestToOldest) {
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i) {
    // Several in one second: the posting order still holds.
    if (i == 4) now_ += kMinute;
    ids.push_back(chat_.Post(i % 2 == 0 ? ana_ : boris_, meeting_, std::to_string(i))->id);
  }
  EXPECT_THAT(Texts(chat_.List(ana_, meeting_, std::nullopt)), ElementsAre("1", "2", "3", "4", "5"));
  EXPECT_THAT(Texts(chat_.List(ana_, meeting_, std::nullopt, 2)), ElementsAre("4", "5"));
  EXPECT_THAT(Texts(chat_.List(ana_, meeting_, ids[3], 2)), ElementsAre("2", "3"));
  EXPECT_THAT(Texts(chat_.List(ana_, meeting_, ids[1], 2)), ElementsAre("1"));
  EXPECT_THAT(Texts(chat_.List(ana_, meeting_, ids[0], 2)), IsEmpty());
  EXPECT_EQ(Slug(chat_.List(ana_, meeting_, std::nullopt, 0)), "400 invalid-field");
  EXPECT_EQ(Slug(chat_.List(ana_, meeting_, std::nullopt, MeetingChat::kMaxLimit + 1)), "400 invalid-field");
  EXPECT_EQ(Slug(chat_.List(ana_, meeting_, "unknown", 2)), "400 invalid-field");
  // A message of another meeting is no cursor here.
  const std::string other = CreateMeeting(ana_, Input(kTuesday + kDay, 30, {boris_}));
  const std::string elsewhere = chat_.Post(ana_, other, "другаде")->id;
  EXPECT_EQ(Slug(chat_.List(ana_, meeting_, elsewhere, 2)), "400 invalid-field");
}

TEST_F(MeetingChatTest, PostingTooFastIsRefusedWithRetryAfter) {
  MeetingChat chat{database_, meetings_, hub_, {2, 10}};
  ASSERT_TRUE(chat.Post(boris_, meeting_, "1").ok());
  ASSERT_TRUE(chat.Post(boris_, meeting_, "2").ok());
  const auto refused = chat.Post(boris_, meeting_, "3");
  ASSERT_EQ(Slug(refused), "429 too-many-messages");
  EXPECT_EQ(refused.problem().params.at("seconds"), 10);
  EXPECT_THAT(refused.problem().headers, ElementsAre(std::pair<std::string, std::string>("Retry-After", "10")));
  EXPECT_TRUE(chat.Post(ana_, meeting_, "другиго не засяга").ok());
  now_ += 10;
  EXPECT_TRUE(chat.Post(boris_, meeting_, "3").ok());
  EXPECT_EQ(CountMessages(), 4);
}

TEST_F(MeetingChatTest, GuestLetInByAKnockChatsWhileTheOccurrenceIsOn) {
  const std::string room = PersonalRoomOf(ana_);
  const std::string on_now = CreateMeeting(ana_, Input(kMonday + 5 * kMinute, 60, {boris_}));
  const auto ana_tab = Connect(ana_);
  const auto carol_tab = Connect(carol_);
  const std::string knock_id = rooms_.Knock(carol_, room)->at("id");
  ASSERT_TRUE(rooms_.AnswerKnock(ana_, knock_id, true).ok());

  const auto posted = chat_.Post(carol_, on_now, "Благодаря, че ме пуснахте");
  ASSERT_TRUE(posted.ok()) << Slug(posted);
  EXPECT_EQ(posted->author_name, "Цветана Колева");
  ASSERT_TRUE(chat_.Post(boris_, on_now, "Добре дошла").ok());
  EXPECT_EQ(carol_tab->Of("meeting.chat").size(), 2U);
  EXPECT_EQ(ana_tab->Of("meeting.chat").size(), 2U);
  EXPECT_THAT(Texts(chat_.List(carol_, on_now, std::nullopt)), ElementsAre("Благодаря, че ме пуснахте", "Добре дошла"));

  // After the occurrence the guest is out; her message stays with the meeting.
  now_ = kMonday + 2 * 3600;
  EXPECT_EQ(Slug(chat_.List(carol_, on_now, std::nullopt)), "404 meeting-not-found");
  EXPECT_EQ(Slug(chat_.Post(carol_, on_now, "още нещо")), "404 meeting-not-found");
  EXPECT_EQ(Texts(chat_.List(boris_, on_now, std::nullopt)).size(), 2U);
}

}  // namespace
}  // namespace egovbox::meetings
