// Europe/Sofia wall time and UTC, RFC 3339 on the wire, and dates for people.
//
// The server counts time in Unix seconds (UTC); meetings are planned in
// Europe/Sofia wall time. The zone's rules come from libical's builtin
// timezone, which Debian's libical 3 builds from the system's tzdata
// (/usr/share/zoneinfo/zone.tab and the TZif file Europe/Sofia), not from data
// of its own: package tzdata must be installed (libical3 depends on it).
//
// Wall time to UTC follows RFC 5545 §3.3.5, as calendar clients do with our
// DTSTART;TZID=Europe/Sofia values (libical's own conversion does the opposite
// in both cases):
// - a wall time in the spring-forward gap (03:00-03:59 on the last Sunday of
//   March, which does not exist) is read with the offset before the gap, +02:00:
//   03:30 is 01:30Z, i.e. 04:30 summer time;
// - a wall time in the autumn overlap (03:00-03:59 on the last Sunday of
//   October, which happens twice) is the first of the two, still in summer time
//   (+03:00): 03:30 is 00:30Z.
//
// Thread safety: call InitializeCalendar() once at start, before other threads
// use libical; afterwards every function here may be called from any thread.
// (libical 3.0.16 guards its builtin zones and their transition cache with its
// own mutexes; we also load and fully expand the zone up front, so no later call
// changes shared state.) The functions initialise lazily if it was not called.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/language.h"
#include "http/rfc3339.h"

namespace egovbox::meetings {

inline constexpr std::string_view kSofiaZoneId = "Europe/Sofia";

struct LocalDateTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;

  friend bool operator==(const LocalDateTime&, const LocalDateTime&) = default;
};

// Loads Europe/Sofia from the system's tzdata and makes libical's errors
// non-fatal. Throws std::runtime_error when the zone cannot be loaded (tzdata
// missing). Safe to call more than once.
void InitializeCalendar();

// Out-of-range fields are carried over (hour 24 is 00:00 the next day; month 13
// is January of the next year). Gap and overlap: see above.
std::int64_t SofiaToUtc(const LocalDateTime& local);
// Valid for years 1..9999; times outside are clamped to that range. From 2500 on
// the rules of 400 years earlier apply (libical knows none after 2582).
LocalDateTime UtcToSofia(std::int64_t utc);

// RFC 3339 date-time: "2026-12-01T08:00:00Z", "2026-12-01T10:00:00.250+02:00".
// "T" and "Z" may be lower case; fractional seconds are truncated. nullopt for
// anything else (no time, no offset, a space for "T", leap second 60, day 31 of
// a 30-day month, offset hours over 23, trailing text).
std::optional<std::int64_t> ParseRfc3339(std::string_view text);
// RFC 3339 UTC, the wire format (one implementation, in http).
using http::FormatRfc3339Utc;

// A calendar date "YYYY-MM-DD" (RFC 3339 full-date); nullopt when malformed or
// not a real date. Time of day in the result is 00:00:00.
std::optional<LocalDateTime> ParseDate(std::string_view text);
// "2026-12-01".
std::string FormatDate(const LocalDateTime& date);

// For e-mails, in Sofia time: "вторник, 1 декември 2026 г., 10:00" or
// "Tuesday, 1 December 2026, 10:00".
std::string FormatForPeople(std::int64_t utc, http::Language language);

// Days since 1970-01-01 of a proleptic Gregorian date, and back (exposed for the
// recurrence code and tests). Weekday: 0 = Monday .. 6 = Sunday.
std::int64_t DaysFromCivil(int year, int month, int day);
LocalDateTime CivilFromDays(std::int64_t days);
int WeekdayOf(const LocalDateTime& date);

}  // namespace egovbox::meetings
