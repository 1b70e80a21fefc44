// How a meeting repeats, and the expansion of a series into occurrences.
//
// A series is expanded by libical's recurrence iterator (RFC 5545 §3.3.10) in
// Europe/Sofia wall time: DTSTART is the first start as a Sofia wall time, each
// instance is a wall time, turned into UTC with SofiaToUtc. So a weekly meeting
// at 10:00 stays at 10:00 when summer time ends (07:00Z before the last Sunday of
// October, 08:00Z after). Monthly repeats on the day of the month of the first
// start and, as RFC 5545 says, skips months that have no such day (the 31st).
//
// An occurrence is named by its original start (UTC), also after it was moved.
// The first start should itself be an occurrence of the rule (RFC 5545 says
// DTSTART SHOULD be "synchronized" with the rule; libical, like Outlook, leaves
// out a DTSTART that does not match, e.g. a Monday start for "weekly on
// Tuesdays", or an `until` before the first start): check with
// IsOccurrence(first_start, recurrence, first_start).
//
// Series stop before the year 2500 (libical 3 expands up to 2582, and slowly
// near that limit): a series has no occurrences from 2500 on.
//
// All functions are pure and thread-safe (see sofia_time.h for InitializeCalendar).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/problem.h"

namespace egovbox::meetings {

enum class Frequency { kDaily, kWeekly, kMonthly };

inline constexpr int kMaxInterval = 99;
inline constexpr int kMaxCount = 500;

struct Recurrence {
  Frequency frequency = Frequency::kWeekly;
  int interval = 1;                   // 1..kMaxInterval
  std::vector<std::string> weekdays;  // "MO".."SU", weekly only, in week order without repeats; empty: the
                                      // weekday of the first start
  std::optional<std::string> until;   // "YYYY-MM-DD", inclusive, a Sofia date
  std::optional<int> count;           // 1..kMaxCount; never together with until

  friend bool operator==(const Recurrence&, const Recurrence&) = default;
};

// The API's shape {frequency, interval?, weekdays?, until?, count?}. Any fault is
// a 400 "invalid-field" problem with params {"field": "recurrence.<name>"}
// ("recurrence" itself when not an object; "recurrence.count" when both until and
// count are given). Weekdays come back in week order without repeats.
http::Result<Recurrence> RecurrenceFromJson(const nlohmann::json& json);
// {frequency, interval, weekdays, until (or null), count (or null)}.
nlohmann::json RecurrenceToJson(const Recurrence& recurrence);

// The stored form, an RFC 5545 RRULE value written by libical, with UNTIL as a
// DATE (the Sofia date): "FREQ=WEEKLY;UNTIL=20261231;INTERVAL=2;BYDAY=MO,TH".
// FromRrule(ToRrule(r)) == r for every valid r; FromRrule gives nullopt for rules
// that are not a valid Recurrence (other FREQ or BY parts, WKST other than MO,
// UNTIL with a time, values out of range).
std::string ToRrule(const Recurrence& recurrence);
std::optional<Recurrence> FromRrule(std::string_view rrule);

// The last second of the until date in Sofia, in UTC: the RRULE's UNTIL when
// DTSTART has a TZID (RFC 5545 §3.3.10 wants it in UTC then). nullopt without until.
std::optional<std::int64_t> UntilUtc(const Recurrence& recurrence);

// One occurrence moved (start and end set) or cancelled, named by its original start.
struct ExceptionRecord {
  std::int64_t original_start = 0;
  std::optional<std::int64_t> start, end;
  bool cancelled = false;

  friend bool operator==(const ExceptionRecord&, const ExceptionRecord&) = default;
};

struct OccurrenceTime {
  std::int64_t original_start = 0;
  std::int64_t start = 0, end = 0;
  bool cancelled = false;

  friend bool operator==(const OccurrenceTime&, const OccurrenceTime&) = default;
};

inline constexpr std::size_t kDefaultOccurrenceLimit = 1000;

// Every occurrence whose [start, end) intersects [from, to) (one of zero length
// counts when its start is in the window), sorted by start (then original start),
// at most `limit` of them (the earliest). Moved occurrences are at their new times
// and included when those intersect the window, wherever their original time is.
// Cancelled ones are left out unless include_cancelled (then they are at their
// last times, with cancelled = true). Without recurrence the series is the one
// occurrence at first_start_utc. Exceptions that name no occurrence of the series
// are ignored; when two name the same one, the last wins. Work is proportional to
// the occurrences in the window, not to the distance from the first start (except
// for rules with count, which have at most kMaxCount occurrences).
std::vector<OccurrenceTime> ExpandOccurrences(std::int64_t first_start_utc, std::int64_t duration_seconds,
                                              const std::optional<Recurrence>& recurrence,
                                              const std::vector<ExceptionRecord>& exceptions, std::int64_t from,
                                              std::int64_t to, bool include_cancelled,
                                              std::size_t limit = kDefaultOccurrenceLimit);

// The latest end of any occurrence (moved ones at their new times, cancelled ones
// counted too): nothing of the series happens after it. nullopt for a series with
// neither until nor count. A series whose rule yields nothing ends at the end of
// its first start.
std::optional<std::int64_t> LastOccurrenceEnd(std::int64_t first_start_utc, std::int64_t duration_seconds,
                                              const std::optional<Recurrence>& recurrence,
                                              const std::vector<ExceptionRecord>& exceptions);

// Whether `original_start` is the original start of an occurrence of the series.
bool IsOccurrence(std::int64_t first_start_utc, const std::optional<Recurrence>& recurrence,
                  std::int64_t original_start);

}  // namespace egovbox::meetings
