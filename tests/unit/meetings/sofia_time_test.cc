#include "meetings/sofia_time.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace egovbox::meetings {

void PrintTo(const LocalDateTime& time, std::ostream* out) {
  *out << FormatDate(time) << ' ' << time.hour << ':' << time.minute << ':' << time.second;
}

namespace {

constexpr std::int64_t kDecember1At08Z = 1796112000;    // 2026-12-01T08:00:00Z
constexpr std::int64_t kSpringChange2026 = 1774746000;  // 2026-03-29T01:00:00Z
constexpr std::int64_t kAutumnChange2026 = 1792890000;  // 2026-10-25T01:00:00Z

std::int64_t Utc(const std::string& text) {
  const auto parsed = ParseRfc3339(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(0);
}

class SofiaTimeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitializeCalendar(); }
};

TEST_F(SofiaTimeTest, WinterIsTwoHoursAheadAndSummerThree) {
  EXPECT_EQ(UtcToSofia(1768478400), (LocalDateTime{2026, 1, 15, 14, 0, 0}));
  EXPECT_EQ(UtcToSofia(1784116800), (LocalDateTime{2026, 7, 15, 15, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2026, 1, 15, 14, 0, 0}), 1768478400);
  EXPECT_EQ(SofiaToUtc({2026, 7, 15, 15, 0, 0}), 1784116800);
}

TEST_F(SofiaTimeTest, ClocksGoForwardOnTheLastSundayOfMarch2026) {
  EXPECT_EQ(UtcToSofia(kSpringChange2026 - 1), (LocalDateTime{2026, 3, 29, 2, 59, 59}));
  EXPECT_EQ(UtcToSofia(kSpringChange2026), (LocalDateTime{2026, 3, 29, 4, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2026, 3, 29, 2, 59, 59}), kSpringChange2026 - 1);
  EXPECT_EQ(SofiaToUtc({2026, 3, 29, 4, 0, 0}), kSpringChange2026);
}

TEST_F(SofiaTimeTest, ClocksGoBackOnTheLastSundayOfOctober2026) {
  EXPECT_EQ(UtcToSofia(kAutumnChange2026 - 3600), (LocalDateTime{2026, 10, 25, 3, 0, 0}));
  EXPECT_EQ(UtcToSofia(kAutumnChange2026 - 1), (LocalDateTime{2026, 10, 25, 3, 59, 59}));
  EXPECT_EQ(UtcToSofia(kAutumnChange2026), (LocalDateTime{2026, 10, 25, 3, 0, 0}));
  EXPECT_EQ(UtcToSofia(kAutumnChange2026 + 3600), (LocalDateTime{2026, 10, 25, 4, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2026, 10, 25, 2, 59, 59}), kAutumnChange2026 - 3600 - 1);
  EXPECT_EQ(SofiaToUtc({2026, 10, 25, 4, 0, 0}), kAutumnChange2026 + 3600);
}

TEST_F(SofiaTimeTest, AWallTimeInTheSpringGapIsReadWithTheOffsetBeforeIt) {
  // RFC 5545 §3.3.5: 03:30 does not exist; read at +02:00 it is 01:30Z (04:30 summer time).
  EXPECT_EQ(SofiaToUtc({2026, 3, 29, 3, 0, 0}), kSpringChange2026);
  EXPECT_EQ(SofiaToUtc({2026, 3, 29, 3, 30, 0}), kSpringChange2026 + 1800);
  EXPECT_EQ(UtcToSofia(SofiaToUtc({2026, 3, 29, 3, 30, 0})), (LocalDateTime{2026, 3, 29, 4, 30, 0}));
  EXPECT_EQ(SofiaToUtc({2026, 3, 29, 3, 59, 59}), kSpringChange2026 + 3599);
}

TEST_F(SofiaTimeTest, AWallTimeInTheAutumnOverlapIsTheFirstOfTheTwo) {
  // 03:30 happens at 00:30Z (summer time) and again at 01:30Z: the first.
  EXPECT_EQ(SofiaToUtc({2026, 10, 25, 3, 0, 0}), kAutumnChange2026 - 3600);
  EXPECT_EQ(SofiaToUtc({2026, 10, 25, 3, 30, 0}), kAutumnChange2026 - 1800);
  EXPECT_EQ(SofiaToUtc({2026, 10, 25, 3, 59, 59}), kAutumnChange2026 - 1);
}

TEST_F(SofiaTimeTest, EveryQuarterHourAroundBothChangesRoundTrips) {
  for (const std::int64_t change : {kSpringChange2026, kAutumnChange2026}) {
    for (std::int64_t utc = change - 2 * 86400; utc < change + 2 * 86400; utc += 900) {
      const LocalDateTime local = UtcToSofia(utc);
      EXPECT_EQ(UtcToSofia(SofiaToUtc(local)), local) << utc;
      const bool second_of_overlap = utc >= kAutumnChange2026 && utc < kAutumnChange2026 + 3600;
      if (!second_of_overlap) {
        EXPECT_EQ(SofiaToUtc(local), utc) << utc;
      } else {
        EXPECT_EQ(SofiaToUtc(local), utc - 3600) << utc;
      }
    }
  }
}

TEST_F(SofiaTimeTest, FieldsOutOfRangeCarryOver) {
  EXPECT_EQ(SofiaToUtc({2026, 12, 31, 24, 0, 0}), SofiaToUtc({2027, 1, 1, 0, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2026, 13, 1, 10, 0, 0}), SofiaToUtc({2027, 1, 1, 10, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2026, 3, 32, 10, 0, 0}), SofiaToUtc({2026, 4, 1, 10, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2027, 1, 1, 0, 0, 0}), Utc("2026-12-31T22:00:00Z"));
}

TEST_F(SofiaTimeTest, DatesFarAwayStillConvert) {
  EXPECT_EQ(UtcToSofia(Utc("2400-07-01T09:00:00Z")), (LocalDateTime{2400, 7, 1, 12, 0, 0}));
  EXPECT_EQ(SofiaToUtc({2400, 1, 1, 0, 0, 0}), Utc("2399-12-31T22:00:00Z"));
  // Beyond libical's last year (2582) summer time goes on (libical alone would say +02:00).
  EXPECT_EQ(UtcToSofia(Utc("3000-06-01T00:00:00Z")), (LocalDateTime{3000, 6, 1, 3, 0, 0}));
  EXPECT_EQ(UtcToSofia(Utc("9999-06-01T00:00:00Z")), (LocalDateTime{9999, 6, 1, 3, 0, 0}));
  EXPECT_EQ(UtcToSofia(Utc("2500-01-01T00:00:00Z")), (LocalDateTime{2500, 1, 1, 2, 0, 0}));
  EXPECT_EQ(UtcToSofia(Utc("2499-12-31T23:59:59Z")), (LocalDateTime{2500, 1, 1, 1, 59, 59}));
  // The last Sunday of March 2600 is the 30th.
  EXPECT_EQ(UtcToSofia(Utc("2600-03-30T00:59:59Z")), (LocalDateTime{2600, 3, 30, 2, 59, 59}));
  EXPECT_EQ(UtcToSofia(Utc("2600-03-30T01:00:00Z")), (LocalDateTime{2600, 3, 30, 4, 0, 0}));
  EXPECT_EQ(SofiaToUtc({9999, 7, 1, 12, 0, 0}), Utc("9999-07-01T09:00:00Z"));
  EXPECT_EQ(FormatForPeople(Utc("3000-06-01T00:00:00Z"), http::Language::kEnglish), "Sunday, 1 June 3000, 03:00");
  // Clamped, not undefined.
  EXPECT_EQ(UtcToSofia(std::numeric_limits<std::int64_t>::max()).year, 9999);
  EXPECT_EQ(UtcToSofia(std::numeric_limits<std::int64_t>::min()).year, 1);
}

TEST_F(SofiaTimeTest, ParsesRfc3339WithZuluOrOffsetAndFractions) {
  EXPECT_EQ(ParseRfc3339("2026-12-01T08:00:00Z"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("2026-12-01T10:00:00+02:00"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("2026-12-01T05:30:00-02:30"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("2026-12-01t08:00:00z"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("2026-12-01T08:00:00.999999Z"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("2026-12-01T08:00:00.5+00:00"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("2026-12-01T08:00:00-00:00"), kDecember1At08Z);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(ParseRfc3339("2024-02-29T00:00:00Z"), 1709164800);
  EXPECT_EQ(ParseRfc3339("2000-02-29T23:59:59+23:59"), ParseRfc3339("2000-02-29T00:00:59Z"));
}

TEST_F(SofiaTimeTest, RejectsAnythingElse) {
  for (const char* text : {"",
                           "2026-12-01",
                           "2026-12-01T08:00:00",
                           "2026-12-01 08:00:00Z",
                           "2026-12-01T08:00Z",
                           "2026-12-1T08:00:00Z",
                           "26-12-01T08:00:00Z",
                           "2026-13-01T08:00:00Z",
                           "2026-00-01T08:00:00Z",
                           "2026-12-00T08:00:00Z",
                           "2026-02-29T08:00:00Z",
                           "2026-04-31T08:00:00Z",
                           "2100-02-29T08:00:00Z",
                           "2026-12-01T24:00:00Z",
                           "2026-12-01T23:60:00Z",
                           "2026-12-01T23:59:60Z",
                           "2026-12-01T08:00:00+24:00",
                           "2026-12-01T08:00:00+02:60",
                           "2026-12-01T08:00:00+0200",
                           "2026-12-01T08:00:00+02",
                           "2026-12-01T08:00:00.Z",
                           "2026-12-01T08:00:00Z ",
                           " 2026-12-01T08:00:00Z",
                           "2026-12-01T08:00:00ZZ",
                           "2026-12-01T08:00:00 Z",
                           "+2026-12-01T08:00:00Z",
                           "2026-12-01T08:00:00,5Z",
                           "2026-12-01T08:00:00UTC",
                           "2026/12/01T08:00:00Z",
                           "2026-12-01T08:0a:00Z",
                           "２０２６-12-01T08:00:00Z",
                           "1796112000"}) {
    EXPECT_FALSE(ParseRfc3339(text)) << text;
  }
}

TEST_F(SofiaTimeTest, FormatsUtcAndRoundTrips) {
  EXPECT_EQ(FormatRfc3339Utc(kDecember1At08Z), "2026-12-01T08:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59Z");
  for (std::int64_t utc = -5'000'000'000; utc < 20'000'000'000; utc += 123'456'789) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339Utc(utc)), utc) << utc;
  }
}

TEST_F(SofiaTimeTest, ParsesAndFormatsDates) {
  EXPECT_EQ(ParseDate("2026-12-31"), (LocalDateTime{2026, 12, 31, 0, 0, 0}));
  EXPECT_EQ(ParseDate("2028-02-29"), (LocalDateTime{2028, 2, 29, 0, 0, 0}));
  for (const char* text :
       {"", "2026-12-32", "2026-02-29", "2026-12-31T00:00:00Z", "31.12.2026", "20261231", "2026-1-31", "2026-12-31 "}) {
    EXPECT_FALSE(ParseDate(text)) << text;
  }
  EXPECT_EQ(FormatDate({2026, 3, 9, 0, 0, 0}), "2026-03-09");
}

TEST_F(SofiaTimeTest, CivilDaysAndWeekdays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2026, 12, 1), kDecember1At08Z / 86400);
  for (std::int64_t days = -800'000; days < 3'000'000; days += 997) {
    const LocalDateTime date = CivilFromDays(days);
    EXPECT_EQ(DaysFromCivil(date.year, date.month, date.day), days);
  }
  EXPECT_EQ(WeekdayOf({2026, 12, 1, 0, 0, 0}), 1);   // Tuesday
  EXPECT_EQ(WeekdayOf({2026, 10, 25, 0, 0, 0}), 6);  // Sunday
  EXPECT_EQ(WeekdayOf({1970, 1, 1, 0, 0, 0}), 3);    // Thursday
}

TEST_F(SofiaTimeTest, FormatsForPeopleInSofiaTime) {
  EXPECT_EQ(FormatForPeople(kDecember1At08Z, http::Language::kBulgarian), "вторник, 1 декември 2026 г., 10:00");
  EXPECT_EQ(FormatForPeople(kDecember1At08Z, http::Language::kEnglish), "Tuesday, 1 December 2026, 10:00");
  EXPECT_EQ(FormatForPeople(Utc("2026-07-15T06:05:00Z"), http::Language::kBulgarian), "сряда, 15 юли 2026 г., 09:05");
  EXPECT_EQ(FormatForPeople(Utc("2026-03-29T01:00:00Z"), http::Language::kEnglish), "Sunday, 29 March 2026, 04:00");
}

TEST_F(SofiaTimeTest, ConvertsFromManyThreadsAtOnce) {
  std::vector<std::int64_t> instants;
  for (std::int64_t utc = kSpringChange2026 - 400 * 86400; utc < kAutumnChange2026 + 4000 * 86400; utc += 86399) {
    instants.push_back(utc);
  }
  std::vector<LocalDateTime> expected;
  for (const auto utc : instants) expected.push_back(UtcToSofia(utc));
  std::vector<int> mismatches(8, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < instants.size(); ++i) {
        const LocalDateTime local = UtcToSofia(instants[i]);
        if (!(local == expected[i]) || UtcToSofia(SofiaToUtc(local)) != local) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace egovbox::meetings
