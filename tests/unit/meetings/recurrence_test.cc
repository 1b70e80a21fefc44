#include "meetings/recurrence.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "meetings/sofia_time.h"

namespace egovbox::meetings {
namespace {

using nlohmann::json;

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

std::int64_t Sofia(int year, int month, int day, int hour = 10, int minute = 0) {
  return SofiaToUtc({year, month, day, hour, minute, 0});
}

std::int64_t Utc(const std::string& text) {
  return ParseRfc3339(text).value();
}

// "2026-10-26 10:00" in Sofia time: what a person would check.
std::string Local(std::int64_t utc) {
  const LocalDateTime local = UtcToSofia(utc);
  return fmt::format("{} {:02}:{:02}", FormatDate(local), local.hour, local.minute);
}

std::vector<std::string> LocalStarts(const std::vector<OccurrenceTime>& occurrences) {
  std::vector<std::string> starts;
  for (const auto& occurrence : occurrences) starts.push_back(Local(occurrence.start));
  return starts;
}

std::vector<std::string> UtcStarts(const std::vector<OccurrenceTime>& occurrences) {
  std::vector<std::string> starts;
  for (const auto& occurrence : occurrences) starts.push_back(FormatRfc3339Utc(occurrence.start));
  return starts;
}

Recurrence Weekly(std::vector<std::string> weekdays = {}, int interval = 1) {
  Recurrence recurrence;
  recurrence.frequency = Frequency::kWeekly;
  recurrence.interval = interval;
  recurrence.weekdays = std::move(weekdays);
  return recurrence;
}

Recurrence Daily(int interval = 1) {
  Recurrence recurrence;
  recurrence.frequency = Frequency::kDaily;
  recurrence.interval = interval;
  return recurrence;
}

Recurrence Monthly(int interval = 1) {
  Recurrence recurrence;
  recurrence.frequency = Frequency::kMonthly;
  recurrence.interval = interval;
  return recurrence;
}

// Everything of a series in [from, to) the slow way: expanded from its first start.
std::vector<OccurrenceTime> Reference(std::int64_t first, std::int64_t duration, const Recurrence& recurrence,
                                      const std::vector<ExceptionRecord>& exceptions, std::int64_t from,
                                      std::int64_t to) {
  std::vector<OccurrenceTime> all =
      ExpandOccurrences(first, duration, recurrence, exceptions, first - 2 * kDay, to, false, 1'000'000);
  std::vector<OccurrenceTime> in_window;
  for (const auto& occurrence : all) {
    if (occurrence.start < to && occurrence.end > from) in_window.push_back(occurrence);
  }
  return in_window;
}

class RecurrenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitializeCalendar(); }
};

// JSON.

TEST_F(RecurrenceTest, ReadsJsonAndPutsWeekdaysInWeekOrder) {
  const auto recurrence = RecurrenceFromJson(
      json{{"frequency", "weekly"}, {"interval", 2}, {"weekdays", {"TH", "MO", "TH"}}, {"until", "2026-12-31"}});
  ASSERT_TRUE(recurrence);
  EXPECT_EQ(recurrence->frequency, Frequency::kWeekly);
  EXPECT_EQ(recurrence->interval, 2);
  EXPECT_EQ(recurrence->weekdays, (std::vector<std::string>{"MO", "TH"}));
  EXPECT_EQ(recurrence->until, "2026-12-31");
  EXPECT_FALSE(recurrence->count);
}

TEST_F(RecurrenceTest, JsonDefaultsAndNulls) {
  const auto recurrence = RecurrenceFromJson(
      json{{"frequency", "monthly"}, {"interval", nullptr}, {"weekdays", nullptr}, {"until", nullptr}, {"count", 12}});
  ASSERT_TRUE(recurrence);
  EXPECT_EQ(recurrence->frequency, Frequency::kMonthly);
  EXPECT_EQ(recurrence->interval, 1);
  EXPECT_TRUE(recurrence->weekdays.empty());
  EXPECT_EQ(recurrence->count, 12);
  const auto daily = RecurrenceFromJson(json{{"frequency", "daily"}, {"weekdays", json::array()}});
  ASSERT_TRUE(daily);
  EXPECT_EQ(daily->interval, 1);
  EXPECT_FALSE(daily->until);
  EXPECT_FALSE(daily->count);
}

TEST_F(RecurrenceTest, EveryFaultNamesItsField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json("weekly"), "recurrence"},
      {json::array(), "recurrence"},
      {json::object(), "recurrence.frequency"},
      {json{{"frequency", "yearly"}}, "recurrence.frequency"},
      {json{{"frequency", "Weekly"}}, "recurrence.frequency"},
      {json{{"frequency", 1}}, "recurrence.frequency"},
      {json{{"frequency", "daily"}, {"interval", 0}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", 100}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", -1}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", 1.5}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", 2.0}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", "2"}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", true}}, "recurrence.interval"},
      {json{{"frequency", "daily"}, {"interval", 4294967297ULL}}, "recurrence.interval"},
      {json{{"frequency", "weekly"}, {"weekdays", {"XX"}}}, "recurrence.weekdays"},
      {json{{"frequency", "weekly"}, {"weekdays", {"mo"}}}, "recurrence.weekdays"},
      {json{{"frequency", "weekly"}, {"weekdays", {1}}}, "recurrence.weekdays"},
      {json{{"frequency", "weekly"}, {"weekdays", "MO"}}, "recurrence.weekdays"},
      {json{{"frequency", "daily"}, {"weekdays", {"MO"}}}, "recurrence.weekdays"},
      {json{{"frequency", "monthly"}, {"weekdays", {"FR"}}}, "recurrence.weekdays"},
      {json{{"frequency", "daily"}, {"until", "2026-02-30"}}, "recurrence.until"},
      {json{{"frequency", "daily"}, {"until", "31.12.2026"}}, "recurrence.until"},
      {json{{"frequency", "daily"}, {"until", "2026-12-31T00:00:00Z"}}, "recurrence.until"},
      {json{{"frequency", "daily"}, {"until", 20261231}}, "recurrence.until"},
      {json{{"frequency", "daily"}, {"count", 0}}, "recurrence.count"},
      {json{{"frequency", "daily"}, {"count", 501}}, "recurrence.count"},
      {json{{"frequency", "daily"}, {"count", "3"}}, "recurrence.count"},
      {json{{"frequency", "daily"}, {"count", 3.0}}, "recurrence.count"},
      {json{{"frequency", "daily"}, {"until", "2026-12-31"}, {"count", 3}}, "recurrence.count"},
  };
  for (const auto& [input, field] : cases) {
    const auto recurrence = RecurrenceFromJson(input);
    ASSERT_FALSE(recurrence) << input.dump();
    EXPECT_EQ(recurrence.problem().status, 400) << input.dump();
    EXPECT_EQ(recurrence.problem().slug, "invalid-field") << input.dump();
    EXPECT_EQ(recurrence.problem().params, (json{{"field", field}})) << input.dump();
  }
}

TEST_F(RecurrenceTest, AcceptsTheLimits) {
  EXPECT_TRUE(RecurrenceFromJson(json{{"frequency", "daily"}, {"interval", 99}, {"count", 500}}));
  EXPECT_TRUE(RecurrenceFromJson(json{{"frequency", "daily"}, {"interval", 1}, {"count", 1}}));
  EXPECT_TRUE(RecurrenceFromJson(json{
      {"frequency", "weekly"}, {"weekdays", {"SU", "SA", "FR", "TH", "WE", "TU", "MO"}}, {"until", "2028-02-29"}}));
}

TEST_F(RecurrenceTest, WritesJson) {
  Recurrence recurrence = Weekly({"MO", "FR"}, 2);
  recurrence.until = "2027-06-30";
  EXPECT_EQ(RecurrenceToJson(recurrence), (json{{"frequency", "weekly"},
                                                {"interval", 2},
                                                {"weekdays", {"MO", "FR"}},
                                                {"until", "2027-06-30"},
                                                {"count", nullptr}}));
  Recurrence monthly = Monthly();
  monthly.count = 6;
  EXPECT_EQ(
      RecurrenceToJson(monthly),
      (json{{"frequency", "monthly"}, {"interval", 1}, {"weekdays", json::array()}, {"until", nullptr}, {"count", 6}}));
  auto back = RecurrenceFromJson(RecurrenceToJson(recurrence));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, recurrence);
}

// RRULE.

TEST_F(RecurrenceTest, WritesRrules) {
  Recurrence weekly = Weekly({"MO", "TH"}, 2);
  weekly.until = "2026-12-31";
  EXPECT_EQ(ToRrule(weekly), "FREQ=WEEKLY;UNTIL=20261231;INTERVAL=2;BYDAY=MO,TH");
  Recurrence daily = Daily();
  daily.count = 10;
  EXPECT_EQ(ToRrule(daily), "FREQ=DAILY;COUNT=10");
  EXPECT_EQ(ToRrule(Monthly(3)), "FREQ=MONTHLY;INTERVAL=3");
}

TEST_F(RecurrenceTest, RrulesRoundTrip) {
  std::vector<Recurrence> recurrences = {Daily(),   Daily(5),   Weekly(), Weekly({"SU"}), Weekly({"MO", "WE", "FR"}, 3),
                                         Monthly(), Monthly(12)};
  Recurrence with_until = Weekly({"TU", "SA"}, 99);
  with_until.until = "2030-02-28";
  recurrences.push_back(with_until);
  Recurrence with_count = Monthly(2);
  with_count.count = 500;
  recurrences.push_back(with_count);
  for (const auto& recurrence : recurrences) {
    const auto back = FromRrule(ToRrule(recurrence));
    ASSERT_TRUE(back) << ToRrule(recurrence);
    EXPECT_EQ(*back, recurrence) << ToRrule(recurrence);
  }
  // libical puts BYDAY in week order.
  const auto unordered = FromRrule("FREQ=WEEKLY;BYDAY=TU,MO;WKST=MO");
  ASSERT_TRUE(unordered);
  EXPECT_EQ(unordered->weekdays, (std::vector<std::string>{"MO", "TU"}));
}

TEST_F(RecurrenceTest, RefusesRrulesThatAreNotARecurrence) {
  for (const char* rule :
       {"", "garbage", "FREQ=YEARLY", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=DAILY;BYHOUR=10", "FREQ=WEEKLY;WKST=SU",
        "FREQ=DAILY;UNTIL=20261231T000000Z", "FREQ=DAILY;COUNT=501", "FREQ=DAILY;INTERVAL=100", "FREQ=DAILY;BYDAY=MO",
        "FREQ=DAILY;UNTIL=20261231;COUNT=3", "FREQ=WEEKLY;BYDAY=MO,XX", "FREQ=WEEKLY;FOO=BAR",
        "RSCALE=GREGORIAN;FREQ=DAILY", "FREQ=WEEKLY;BYSETPOS=1;BYDAY=MO"}) {
    EXPECT_FALSE(FromRrule(rule)) << rule;
  }
}

// Expansion.

TEST_F(RecurrenceTest, ASingleMeetingIsOneOccurrence) {
  const std::int64_t start = Sofia(2026, 12, 1);
  const auto occurrences = ExpandOccurrences(start, kHour, std::nullopt, {}, start - kDay, start + kDay, false);
  ASSERT_EQ(occurrences.size(), 1U);
  EXPECT_EQ(occurrences[0], (OccurrenceTime{start, start, start + kHour, false}));
  EXPECT_TRUE(ExpandOccurrences(start, kHour, std::nullopt, {}, start + kHour, start + kDay, false).empty());
  EXPECT_TRUE(ExpandOccurrences(start, kHour, std::nullopt, {}, start - kDay, start, false).empty());
  EXPECT_EQ(ExpandOccurrences(start, kHour, std::nullopt, {}, start + kHour - 1, start + kHour, false).size(), 1U);
}

TEST_F(RecurrenceTest, ASingleMeetingMovedOrCancelled) {
  const std::int64_t start = Sofia(2026, 12, 1);
  const std::vector<ExceptionRecord> moved = {{start, start + kDay, start + kDay + 2 * kHour, false}};
  const auto occurrences = ExpandOccurrences(start, kHour, std::nullopt, moved, start, start + 7 * kDay, false);
  ASSERT_EQ(occurrences.size(), 1U);
  EXPECT_EQ(occurrences[0], (OccurrenceTime{start, start + kDay, start + kDay + 2 * kHour, false}));
  const std::vector<ExceptionRecord> cancelled = {{start, std::nullopt, std::nullopt, true}};
  EXPECT_TRUE(ExpandOccurrences(start, kHour, std::nullopt, cancelled, start, start + kDay, false).empty());
  const auto with_cancelled = ExpandOccurrences(start, kHour, std::nullopt, cancelled, start, start + kDay, true);
  ASSERT_EQ(with_cancelled.size(), 1U);
  EXPECT_TRUE(with_cancelled[0].cancelled);
}

TEST_F(RecurrenceTest, DailyWithCount) {
  Recurrence daily = Daily();
  daily.count = 5;
  const std::int64_t first = Sofia(2026, 1, 5);
  const auto occurrences = ExpandOccurrences(first, kHour, daily, {}, first, first + 30 * kDay, false);
  EXPECT_EQ(UtcStarts(occurrences),
            (std::vector<std::string>{"2026-01-05T08:00:00Z", "2026-01-06T08:00:00Z", "2026-01-07T08:00:00Z",
                                      "2026-01-08T08:00:00Z", "2026-01-09T08:00:00Z"}));
  for (const auto& occurrence : occurrences) {
    EXPECT_EQ(occurrence.original_start, occurrence.start);
    EXPECT_EQ(occurrence.end, occurrence.start + kHour);
    EXPECT_FALSE(occurrence.cancelled);
  }
}

TEST_F(RecurrenceTest, DailyWithIntervalUntilADateInclusive) {
  Recurrence daily = Daily(3);
  daily.until = "2026-01-14";  // the day of the fourth occurrence
  const std::int64_t first = Sofia(2026, 1, 5, 23, 30);
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, daily, {}, first, first + 60 * kDay, false)),
            (std::vector<std::string>{"2026-01-05 23:30", "2026-01-08 23:30", "2026-01-11 23:30", "2026-01-14 23:30"}));
}

TEST_F(RecurrenceTest, WeeklyOnChosenDays) {
  const std::int64_t first = Sofia(2026, 1, 5, 9, 30);  // a Monday
  Recurrence weekly = Weekly({"MO", "WE", "FR"});
  weekly.count = 7;
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, weekly, {}, first, first + 60 * kDay, false)),
            (std::vector<std::string>{"2026-01-05 09:30", "2026-01-07 09:30", "2026-01-09 09:30", "2026-01-12 09:30",
                                      "2026-01-14 09:30", "2026-01-16 09:30", "2026-01-19 09:30"}));
}

TEST_F(RecurrenceTest, WeeklyEveryOtherWeek) {
  const std::int64_t first = Sofia(2026, 1, 8);  // a Thursday
  Recurrence weekly = Weekly({"TU", "TH"}, 2);
  weekly.until = "2026-02-05";
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, weekly, {}, first, first + 60 * kDay, false)),
            (std::vector<std::string>{"2026-01-08 10:00", "2026-01-20 10:00", "2026-01-22 10:00", "2026-02-03 10:00",
                                      "2026-02-05 10:00"}));
  // Without weekdays: the weekday of the first start.
  Recurrence plain = Weekly({}, 3);
  plain.count = 3;
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, plain, {}, first, first + 60 * kDay, false)),
            (std::vector<std::string>{"2026-01-08 10:00", "2026-01-29 10:00", "2026-02-19 10:00"}));
}

TEST_F(RecurrenceTest, MonthlyOnTheDayOfTheFirstStartSkippingShortMonths) {
  const std::int64_t first = Sofia(2026, 1, 31, 14, 0);
  Recurrence monthly = Monthly();
  monthly.count = 5;
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, monthly, {}, first, first + 400 * kDay, false)),
            (std::vector<std::string>{"2026-01-31 14:00", "2026-03-31 14:00", "2026-05-31 14:00", "2026-07-31 14:00",
                                      "2026-08-31 14:00"}));
  Recurrence every_other = Monthly(2);
  every_other.until = "2026-09-15";
  const std::int64_t fifteenth = Sofia(2026, 1, 15);
  EXPECT_EQ(LocalStarts(ExpandOccurrences(fifteenth, kHour, every_other, {}, fifteenth, fifteenth + 400 * kDay, false)),
            (std::vector<std::string>{"2026-01-15 10:00", "2026-03-15 10:00", "2026-05-15 10:00", "2026-07-15 10:00",
                                      "2026-09-15 10:00"}));
}

TEST_F(RecurrenceTest, AWeeklyMeetingAtTenStaysAtTenWhenSummerTimeEnds) {
  // 25 October 2026 is the last Sunday of October: clocks go back from 04:00 to 03:00.
  const std::int64_t first = Utc("2026-10-05T07:00:00Z");  // Monday, 10:00 in Sofia
  ASSERT_EQ(Local(first), "2026-10-05 10:00");
  const auto occurrences = ExpandOccurrences(first, kHour, Weekly(), {}, first, Utc("2026-11-10T00:00:00Z"), false);
  EXPECT_EQ(UtcStarts(occurrences),
            (std::vector<std::string>{"2026-10-05T07:00:00Z", "2026-10-12T07:00:00Z", "2026-10-19T07:00:00Z",
                                      "2026-10-26T08:00:00Z", "2026-11-02T08:00:00Z", "2026-11-09T08:00:00Z"}));
  for (const auto& occurrence : occurrences) {
    EXPECT_EQ(UtcToSofia(occurrence.start).hour, 10) << FormatRfc3339Utc(occurrence.start);
    EXPECT_EQ(occurrence.end - occurrence.start, kHour);
  }
}

TEST_F(RecurrenceTest, AWeeklyMeetingAtTenStaysAtTenWhenSummerTimeBegins) {
  const std::int64_t first = Sofia(2026, 3, 16);
  const auto occurrences = ExpandOccurrences(first, kHour, Weekly(), {}, first, Sofia(2026, 4, 7), false);
  EXPECT_EQ(UtcStarts(occurrences), (std::vector<std::string>{"2026-03-16T08:00:00Z", "2026-03-23T08:00:00Z",
                                                              "2026-03-30T07:00:00Z", "2026-04-06T07:00:00Z"}));
}

TEST_F(RecurrenceTest, DailyAtHalfPastThreeOnTheNightsTheClocksChange) {
  Recurrence daily = Daily();
  const std::int64_t spring = Sofia(2026, 3, 28, 3, 30);
  EXPECT_EQ(UtcStarts(ExpandOccurrences(spring, kHour, daily, {}, spring, spring + 2 * kDay + 1, false)),
            (std::vector<std::string>{"2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"}));
  const std::int64_t autumn = Sofia(2026, 10, 24, 3, 30);
  EXPECT_EQ(UtcStarts(ExpandOccurrences(autumn, kHour, daily, {}, autumn, autumn + 2 * kDay + 2 * kHour, false)),
            (std::vector<std::string>{"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}));
  // A series that starts at the second 03:30 of 25 October starts there.
  const std::int64_t second = Utc("2026-10-25T01:30:00Z");
  const auto from_second = ExpandOccurrences(second, kHour, daily, {}, second, second + 2 * kDay - 1, false);
  EXPECT_EQ(UtcStarts(from_second), (std::vector<std::string>{"2026-10-25T01:30:00Z", "2026-10-26T01:30:00Z"}));
  EXPECT_TRUE(IsOccurrence(second, daily, second));
}

TEST_F(RecurrenceTest, TheWindowTakesOccurrencesThatIntersectIt) {
  const std::int64_t first = Sofia(2026, 1, 5);
  const Recurrence daily = Daily();
  const std::int64_t second_start = first + kDay;
  // From the middle of the second occurrence to the start of the fourth: the second and the third.
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, 2 * kHour, daily, {}, second_start + kHour, first + 3 * kDay, false)),
            (std::vector<std::string>{"2026-01-06 10:00", "2026-01-07 10:00"}));
  // An occurrence that ends where the window begins is not in it.
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, 2 * kHour, daily, {}, second_start + 2 * kHour,
                                          second_start + 3 * kHour, false)),
            (std::vector<std::string>{}));
  // Nothing before the first start.
  EXPECT_TRUE(ExpandOccurrences(first, kHour, daily, {}, first - 10 * kDay, first, false).empty());
  EXPECT_TRUE(ExpandOccurrences(first, kHour, daily, {}, first + kDay, first, false).empty());
}

TEST_F(RecurrenceTest, MovedOccurrencesAreAtTheirNewTimes) {
  const std::int64_t first = Sofia(2026, 1, 5);  // Monday, weekly
  const std::int64_t third = Sofia(2026, 1, 19);
  const std::int64_t fifth = Sofia(2026, 2, 2);
  const std::vector<ExceptionRecord> exceptions = {
      // The third moved to Wednesday afternoon, longer.
      {third, Sofia(2026, 1, 21, 15, 0), Sofia(2026, 1, 21, 17, 0), false},
      // The fifth moved back into the first week.
      {fifth, Sofia(2026, 1, 8, 12, 0), Sofia(2026, 1, 8, 13, 0), false},
  };
  const auto occurrences = ExpandOccurrences(first, kHour, Weekly(), exceptions, first, Sofia(2026, 1, 27), false);
  EXPECT_EQ(LocalStarts(occurrences),
            (std::vector<std::string>{"2026-01-05 10:00", "2026-01-08 12:00", "2026-01-12 10:00", "2026-01-21 15:00",
                                      "2026-01-26 10:00"}));
  EXPECT_EQ(occurrences[1].original_start, fifth);
  EXPECT_EQ(occurrences[3], (OccurrenceTime{third, Sofia(2026, 1, 21, 15, 0), Sofia(2026, 1, 21, 17, 0), false}));

  // A window around the new time of the fifth only, far from its original time.
  const auto moved_in =
      ExpandOccurrences(first, kHour, Weekly(), exceptions, Sofia(2026, 1, 8, 11, 0), Sofia(2026, 1, 8, 14, 0), false);
  ASSERT_EQ(moved_in.size(), 1U);
  EXPECT_EQ(moved_in[0].original_start, fifth);
  // A window around the original time of the third only: it is not there any more.
  EXPECT_TRUE(ExpandOccurrences(first, kHour, Weekly(), exceptions, third, third + kHour, false).empty());
}

TEST_F(RecurrenceTest, CancelledOccurrencesAreLeftOutUnlessAsked) {
  const std::int64_t first = Sofia(2026, 1, 5);
  Recurrence daily = Daily();
  daily.count = 4;
  const std::vector<ExceptionRecord> exceptions = {{Sofia(2026, 1, 6), std::nullopt, std::nullopt, true}};
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, daily, exceptions, first, first + 10 * kDay, false)),
            (std::vector<std::string>{"2026-01-05 10:00", "2026-01-07 10:00", "2026-01-08 10:00"}));
  const auto all = ExpandOccurrences(first, kHour, daily, exceptions, first, first + 10 * kDay, true);
  ASSERT_EQ(all.size(), 4U);
  EXPECT_TRUE(all[1].cancelled);
  EXPECT_FALSE(all[0].cancelled || all[2].cancelled || all[3].cancelled);
}

TEST_F(RecurrenceTest, ExceptionsThatNameNoOccurrenceAreIgnored) {
  const std::int64_t first = Sofia(2026, 1, 5);
  Recurrence daily = Daily();
  daily.count = 3;
  const std::vector<ExceptionRecord> exceptions = {
      {first + kHour, first + 2 * kHour, first + 3 * kHour, false},              // not a start of the series
      {Sofia(2026, 1, 8), Sofia(2026, 1, 6, 12), Sofia(2026, 1, 6, 13), false},  // beyond the count
      {first - kDay, first + kHour, first + 2 * kHour, false},                   // before the first start
  };
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, daily, exceptions, first - 5 * kDay, first + 10 * kDay, true)),
            (std::vector<std::string>{"2026-01-05 10:00", "2026-01-06 10:00", "2026-01-07 10:00"}));
}

TEST_F(RecurrenceTest, TheLimitKeepsTheEarliest) {
  const std::int64_t first = Sofia(2026, 1, 5);
  const std::vector<ExceptionRecord> exceptions = {
      // The tenth moved before the second: it is among the earliest three.
      {Sofia(2026, 1, 14), Sofia(2026, 1, 5, 18), Sofia(2026, 1, 5, 19), false},
      // The first moved after everything.
      {first, Sofia(2027, 1, 1), Sofia(2027, 1, 1, 11), false},
  };
  EXPECT_EQ(LocalStarts(ExpandOccurrences(first, kHour, Daily(), exceptions, first, Sofia(2030, 1, 1), false, 3)),
            (std::vector<std::string>{"2026-01-05 18:00", "2026-01-06 10:00", "2026-01-07 10:00"}));
  EXPECT_EQ(ExpandOccurrences(first, kHour, Daily(), {}, first, std::numeric_limits<std::int64_t>::max(), false).size(),
            kDefaultOccurrenceLimit);
  EXPECT_TRUE(ExpandOccurrences(first, kHour, Daily(), {}, first, first + kDay, false, 0).empty());
}

TEST_F(RecurrenceTest, AWindowFarInTheFutureIsQuickAndRight) {
  const std::int64_t first = Sofia(2026, 1, 5);
  const auto far = ExpandOccurrences(first, kHour, Weekly({"MO", "TH"}, 2), {}, Utc("2400-03-01T00:00:00Z"),
                                     Utc("2400-03-31T00:00:00Z"), false);
  // set_start in libical 3.0.16 keeps the weeks of an INTERVAL=2 rule in step (checked below).
  ASSERT_FALSE(far.empty());
  for (const auto& occurrence : far) {
    const LocalDateTime local = UtcToSofia(occurrence.start);
    EXPECT_EQ(local.hour, 10);
    const int weekday = WeekdayOf(local);
    EXPECT_TRUE(weekday == 0 || weekday == 3);
    // In step with the first week.
    const std::int64_t days = DaysFromCivil(local.year, local.month, local.day) - DaysFromCivil(2026, 1, 5);
    EXPECT_EQ(days / 7 % 2, 0) << Local(occurrence.start);
  }
  EXPECT_GE(far.size(), 3U);
  EXPECT_LE(far.size(), 6U);
}

TEST_F(RecurrenceTest, NothingIsExpandedFromTheYear2500) {
  // Before libical's limit (2582); asking beyond must be quick and empty, not an error.
  const std::int64_t first = Sofia(2026, 1, 5);
  const auto last_year =
      ExpandOccurrences(first, kHour, Daily(), {}, Utc("2499-12-30T00:00:00Z"), Utc("2500-01-10T00:00:00Z"), false);
  EXPECT_EQ(LocalStarts(last_year), (std::vector<std::string>{"2499-12-30 10:00", "2499-12-31 10:00"}));
  EXPECT_TRUE(
      ExpandOccurrences(first, kHour, Daily(), {}, Utc("9000-01-01T00:00:00Z"), Utc("9000-03-01T00:00:00Z"), false)
          .empty());
  EXPECT_TRUE(ExpandOccurrences(first, kHour, Daily(), {}, std::numeric_limits<std::int64_t>::max() - 10,
                                std::numeric_limits<std::int64_t>::max(), false)
                  .empty());
  Recurrence until = Daily();
  until.until = "9999-12-31";
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, until, {}), Sofia(2499, 12, 31, 11));
}

TEST_F(RecurrenceTest, ExpandsFromManyThreadsAtOnce) {
  const std::int64_t first = Sofia(2026, 1, 5);
  const Recurrence rule = Weekly({"MO", "TH"}, 2);
  const std::vector<ExceptionRecord> exceptions = {{Sofia(2026, 1, 19), Sofia(2026, 1, 20), Sofia(2026, 1, 20, 11)}};
  const auto expected = ExpandOccurrences(first, kHour, rule, exceptions, first, Sofia(2030, 1, 1), false);
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        if (ExpandOccurrences(first, kHour, rule, exceptions, first, Sofia(2030, 1, 1), false) != expected) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int count : mismatches) EXPECT_EQ(count, 0);
}

TEST_F(RecurrenceTest, WindowsAgreeWithExpandingFromTheStart) {
  std::mt19937 random(20261025);
  std::vector<Recurrence> rules = {
      Daily(),   Daily(3),   Daily(10), Weekly(), Weekly({}, 2), Weekly({"MO", "TH"}, 2), Weekly({"TU", "SU"}, 3),
      Monthly(), Monthly(2), Monthly(5)};
  Recurrence with_until = Weekly({"WE", "FR"});
  with_until.until = "2027-03-31";
  rules.push_back(with_until);
  Recurrence with_count = Daily(2);
  with_count.count = 200;
  rules.push_back(with_count);
  const std::vector<std::int64_t> firsts = {Sofia(2026, 1, 5), Sofia(2026, 1, 31, 18, 15), Sofia(2026, 10, 25, 9),
                                            Sofia(2026, 3, 29, 4, 30)};
  for (const auto& rule : rules) {
    for (const auto first : firsts) {
      if (!IsOccurrence(first, rule, first)) continue;
      const std::vector<ExceptionRecord> exceptions = {
          {first + 14 * kDay, first + 15 * kDay, first + 15 * kDay + kHour, false}};
      for (int probe = 0; probe < 15; ++probe) {
        const std::int64_t from = first + static_cast<std::int64_t>(random() % (800 * kDay));
        const std::int64_t to = from + static_cast<std::int64_t>(random() % (40 * kDay));
        EXPECT_EQ(ExpandOccurrences(first, 2 * kHour, rule, exceptions, from, to, false),
                  Reference(first, 2 * kHour, rule, exceptions, from, to))
            << ToRrule(rule) << " from " << Local(first) << " window " << Local(from);
      }
    }
  }
}

TEST_F(RecurrenceTest, IsOccurrence) {
  const std::int64_t first = Sofia(2026, 1, 5);
  EXPECT_TRUE(IsOccurrence(first, std::nullopt, first));
  EXPECT_FALSE(IsOccurrence(first, std::nullopt, first + kDay));
  Recurrence weekly = Weekly({"MO", "WE"});
  weekly.count = 4;
  EXPECT_TRUE(IsOccurrence(first, weekly, first));
  EXPECT_TRUE(IsOccurrence(first, weekly, Sofia(2026, 1, 14)));
  EXPECT_FALSE(IsOccurrence(first, weekly, Sofia(2026, 1, 19)));  // the fifth
  EXPECT_FALSE(IsOccurrence(first, weekly, Sofia(2026, 1, 6)));
  EXPECT_FALSE(IsOccurrence(first, weekly, Sofia(2026, 1, 7, 10, 1)));
  // A first start on a day the rule does not name is not an occurrence (libical leaves it out).
  EXPECT_FALSE(IsOccurrence(Sofia(2026, 1, 6), Weekly({"MO"}), Sofia(2026, 1, 6)));
  Recurrence until_before = Daily();
  until_before.until = "2026-01-04";
  EXPECT_FALSE(IsOccurrence(first, until_before, first));
  // Far away, without count.
  EXPECT_TRUE(IsOccurrence(first, Weekly({"MO"}), Sofia(2100, 1, 4)));
  EXPECT_FALSE(IsOccurrence(first, Weekly({"MO"}), Sofia(2100, 1, 5)));
}

TEST_F(RecurrenceTest, LastOccurrenceEnd) {
  const std::int64_t first = Sofia(2026, 1, 5);
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, std::nullopt, {}), first + kHour);
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, std::nullopt, {{first, first + kDay, first + kDay + kHour, false}}),
            first + kDay + kHour);
  EXPECT_FALSE(LastOccurrenceEnd(first, kHour, Weekly(), {}));

  Recurrence counted = Daily();
  counted.count = 5;
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, counted, {}), Sofia(2026, 1, 9) + kHour);

  Recurrence until = Weekly({"MO", "FR"});
  until.until = "2026-11-02";
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, until, {}), Sofia(2026, 11, 2) + kHour);
  // The last one moved later, or earlier.
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, until,
                              {{Sofia(2026, 11, 2), Sofia(2026, 11, 20), Sofia(2026, 11, 20, 11), false}}),
            Sofia(2026, 11, 20, 11));
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, until,
                              {{Sofia(2026, 11, 2), Sofia(2026, 10, 29), Sofia(2026, 10, 29, 11), false}}),
            Sofia(2026, 10, 30) + kHour);
  // Cancelled ones still count: nothing happens after the end.
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, until, {{Sofia(2026, 11, 2), std::nullopt, std::nullopt, true}}),
            Sofia(2026, 11, 2) + kHour);

  Recurrence monthly = Monthly();
  monthly.until = "2027-06-30";
  EXPECT_EQ(LastOccurrenceEnd(Sofia(2026, 1, 31), kHour, monthly, {}), Sofia(2027, 5, 31) + kHour);
  Recurrence nothing = Daily();
  nothing.until = "2025-12-31";
  EXPECT_EQ(LastOccurrenceEnd(first, kHour, nothing, {}), first + kHour);
}

}  // namespace
}  // namespace egovbox::meetings
