#include "meetings/recurrence.h"

#include <fmt/format.h>
#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "meetings/sofia_time.h"

namespace egovbox::meetings {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// Series end before the year 2500. libical 3 expands no further than 2582 and
// near that limit spends tens of milliseconds per call finding nothing; stopping
// well before it keeps every window cheap.
constexpr int kHorizonYear = 2500;
constexpr std::int64_t kExpansionEnd = 16725225600;  // 2500-01-01T00:00:00Z

// In week order; libical numbers them Sunday = 1 .. Saturday = 7.
constexpr std::array<std::string_view, 7> kWeekdayNames = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

std::optional<std::size_t> WeekdayIndex(std::string_view name) {
  const auto* found = std::find(kWeekdayNames.begin(), kWeekdayNames.end(), name);
  if (found == kWeekdayNames.end()) return std::nullopt;
  return static_cast<std::size_t>(found - kWeekdayNames.begin());
}

short IcalWeekday(std::size_t index) {
  return static_cast<short>(index == 6 ? ICAL_SUNDAY_WEEKDAY : static_cast<int>(index) + 2);
}

std::size_t WeekdayIndexOfIcal(int weekday) {
  return weekday == ICAL_SUNDAY_WEEKDAY ? 6 : static_cast<std::size_t>(weekday - 2);
}

std::string_view FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kDaily: return "daily";
    case Frequency::kWeekly: return "weekly";
    case Frequency::kMonthly: return "monthly";
  }
  return "weekly";
}

http::Problem InvalidRecurrenceField(std::string_view name) {
  return http::InvalidField(fmt::format("recurrence.{}", name));
}

// The field at fault, or nullopt for a valid recurrence.
std::optional<std::string_view> InvalidFieldOf(const Recurrence& recurrence) {
  if (recurrence.interval < 1 || recurrence.interval > kMaxInterval) return "interval";
  if (!recurrence.weekdays.empty() && recurrence.frequency != Frequency::kWeekly) return "weekdays";
  std::optional<std::size_t> previous;
  for (const auto& name : recurrence.weekdays) {
    const auto index = WeekdayIndex(name);
    if (!index || (previous && *index <= *previous)) return "weekdays";
    previous = index;
  }
  if (recurrence.until && !ParseDate(*recurrence.until)) return "until";
  if (recurrence.count && (*recurrence.count < 1 || *recurrence.count > kMaxCount)) return "count";
  if (recurrence.until && recurrence.count) return "count";
  return std::nullopt;
}

// An integer member within [low, high] into `value` (nullopt when absent or null);
// false for anything else.
bool ReadInteger(const nlohmann::json& json, const char* name, int low, int high, std::optional<int>& value) {
  value.reset();
  const auto found = json.find(name);
  if (found == json.end() || found->is_null()) return true;
  if (!found->is_number_integer()) return false;
  if (found->is_number_unsigned()) {
    const auto number = found->get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(high) || static_cast<std::int64_t>(number) < low) return false;
    value = static_cast<int>(number);
    return true;
  }
  const auto number = found->get<std::int64_t>();
  if (number < low || number > high) return false;
  value = static_cast<int>(number);
  return true;
}

struct RuleDeleter {
  void operator()(char* text) const { icalmemory_free_buffer(text); }
};
struct IteratorDeleter {
  void operator()(icalrecur_iterator* iterator) const { icalrecur_iterator_free(iterator); }
};

bool IsEmptyArray(const short* values) {
  return values[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

icaltimetype FloatingTime(const LocalDateTime& local, bool is_date) {
  icaltimetype time = icaltime_null_time();
  time.year = local.year;
  time.month = local.month;
  time.day = local.day;
  if (is_date) {
    time.is_date = 1;
  } else {
    time.hour = local.hour;
    time.minute = local.minute;
    time.second = local.second;
  }
  return time;
}

// The libical rule; UNTIL as a DATE (stored form) or as the last second of that
// day in floating Sofia time (expansion, whose DTSTART is floating Sofia time too).
icalrecurrencetype ToIcal(const Recurrence& recurrence, bool until_as_date) {
  icalrecurrencetype rule;
  icalrecurrencetype_clear(&rule);
  switch (recurrence.frequency) {
    case Frequency::kDaily: rule.freq = ICAL_DAILY_RECURRENCE; break;
    case Frequency::kWeekly: rule.freq = ICAL_WEEKLY_RECURRENCE; break;
    case Frequency::kMonthly: rule.freq = ICAL_MONTHLY_RECURRENCE; break;
  }
  rule.interval = static_cast<short>(recurrence.interval);
  rule.week_start = ICAL_MONDAY_WEEKDAY;
  std::size_t position = 0;
  for (const auto& name : recurrence.weekdays) {
    if (const auto index = WeekdayIndex(name)) rule.by_day[position++] = IcalWeekday(*index);
  }
  if (recurrence.until) {
    if (const auto date = ParseDate(*recurrence.until)) {
      LocalDateTime last = *date;
      last.hour = 23;
      last.minute = 59;
      last.second = 59;
      rule.until = FloatingTime(last, until_as_date);
    }
  }
  if (recurrence.count) rule.count = *recurrence.count;
  return rule;
}

icaltimetype FloatingSofia(std::int64_t utc) {
  return FloatingTime(UtcToSofia(utc), false);
}

LocalDateTime LocalOf(const icaltimetype& time) {
  return LocalDateTime{time.year, time.month, time.day, time.hour, time.minute, time.second};
}

// The original starts (UTC) of a recurring series in increasing order, from
// about `from` on: none before from - 1 day is skipped, a few may come earlier.
class SeriesIterator {
 public:
  SeriesIterator(std::int64_t first_start_utc, const Recurrence& recurrence, std::int64_t from)
      : first_start_utc_(first_start_utc), first_local_(UtcToSofia(first_start_utc)) {
    if (from > kExpansionEnd + kSecondsPerDay) return;
    iterator_.reset(icalrecur_iterator_new(ToIcal(recurrence, false), FloatingTime(first_local_, false)));
    // Jump ahead for a window far from the first start; the day's margin covers the
    // offset between wall time and UTC. libical refuses (0) for rules with COUNT,
    // which it must count from the start: at most kMaxCount steps.
    if (iterator_ && from > first_start_utc_ + kSecondsPerDay && !recurrence.count) {
      (void)icalrecur_iterator_set_start(iterator_.get(), FloatingSofia(from - kSecondsPerDay));
    }
  }

  std::optional<std::int64_t> Next() {
    if (!iterator_) return std::nullopt;
    const icaltimetype next = icalrecur_iterator_next(iterator_.get());
    if (icaltime_is_null_time(next)) {
      iterator_.reset();
      return std::nullopt;
    }
    const LocalDateTime local = LocalOf(next);
    if (local.year >= kHorizonYear) {
      iterator_.reset();
      return std::nullopt;
    }
    // The first occurrence is the first start itself, also when its wall time is
    // ambiguous (the second 03:30 of an October night).
    if (local == first_local_) return first_start_utc_;
    return SofiaToUtc(local);
  }

 private:
  std::int64_t first_start_utc_;
  LocalDateTime first_local_;
  std::unique_ptr<icalrecur_iterator, IteratorDeleter> iterator_;
};

std::map<std::int64_t, const ExceptionRecord*> IndexExceptions(const std::vector<ExceptionRecord>& exceptions) {
  std::map<std::int64_t, const ExceptionRecord*> index;
  for (const auto& exception : exceptions) index[exception.original_start] = &exception;
  return index;
}

// The occurrence at its last times (moved or not).
OccurrenceTime Apply(std::int64_t original_start, std::int64_t duration, const ExceptionRecord* exception) {
  OccurrenceTime occurrence{original_start, original_start, original_start + duration, false};
  if (exception != nullptr) {
    if (exception->start) {
      occurrence.start = *exception->start;
      occurrence.end = exception->end.value_or(*exception->start + duration);
    } else if (exception->end) {
      occurrence.end = *exception->end;
    }
    occurrence.end = std::max(occurrence.end, occurrence.start);
    occurrence.cancelled = exception->cancelled;
  }
  return occurrence;
}

bool Moved(const OccurrenceTime& occurrence, std::int64_t duration) {
  return occurrence.start != occurrence.original_start || occurrence.end != occurrence.original_start + duration;
}

struct Window {
  std::int64_t from, to;
  bool Intersects(const OccurrenceTime& occurrence) const {
    return occurrence.start < to && (occurrence.end > from || occurrence.start >= from);
  }
};

}  // namespace

http::Result<Recurrence> RecurrenceFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return http::InvalidField("recurrence");
  Recurrence recurrence;

  const auto frequency = json.find("frequency");
  if (frequency == json.end() || !frequency->is_string()) return InvalidRecurrenceField("frequency");
  const auto& frequency_name = frequency->get_ref<const std::string&>();
  if (frequency_name == "daily") {
    recurrence.frequency = Frequency::kDaily;
  } else if (frequency_name == "weekly") {
    recurrence.frequency = Frequency::kWeekly;
  } else if (frequency_name == "monthly") {
    recurrence.frequency = Frequency::kMonthly;
  } else {
    return InvalidRecurrenceField("frequency");
  }

  std::optional<int> interval;
  if (!ReadInteger(json, "interval", 1, kMaxInterval, interval)) return InvalidRecurrenceField("interval");
  recurrence.interval = interval.value_or(1);

  const auto weekdays = json.find("weekdays");
  if (weekdays != json.end() && !weekdays->is_null()) {
    if (!weekdays->is_array()) return InvalidRecurrenceField("weekdays");
    std::set<std::size_t> days;
    for (const auto& day : *weekdays) {
      const auto index = day.is_string() ? WeekdayIndex(day.get_ref<const std::string&>()) : std::nullopt;
      if (!index) return InvalidRecurrenceField("weekdays");
      days.insert(*index);
    }
    if (!days.empty() && recurrence.frequency != Frequency::kWeekly) return InvalidRecurrenceField("weekdays");
    for (const auto index : days) recurrence.weekdays.emplace_back(kWeekdayNames[index]);
  }

  const auto until = json.find("until");
  if (until != json.end() && !until->is_null()) {
    if (!until->is_string()) return InvalidRecurrenceField("until");
    const auto date = ParseDate(until->get_ref<const std::string&>());
    if (!date) return InvalidRecurrenceField("until");
    recurrence.until = FormatDate(*date);
  }

  if (!ReadInteger(json, "count", 1, kMaxCount, recurrence.count)) return InvalidRecurrenceField("count");
  if (recurrence.until && recurrence.count) return InvalidRecurrenceField("count");
  return recurrence;
}

nlohmann::json RecurrenceToJson(const Recurrence& recurrence) {
  return {{"frequency", FrequencyName(recurrence.frequency)},
          {"interval", recurrence.interval},
          {"weekdays", recurrence.weekdays},
          {"until", recurrence.until ? nlohmann::json(*recurrence.until) : nlohmann::json(nullptr)},
          {"count", recurrence.count ? nlohmann::json(*recurrence.count) : nlohmann::json(nullptr)}};
}

std::string ToRrule(const Recurrence& recurrence) {
  icalrecurrencetype rule = ToIcal(recurrence, true);
  const std::unique_ptr<char, RuleDeleter> text(icalrecurrencetype_as_string_r(&rule));
  return text ? std::string(text.get()) : std::string();
}

std::optional<Recurrence> FromRrule(std::string_view rrule) {
  const std::string text(rrule);
  icalerror_clear_errno();
  icalrecurrencetype rule = icalrecurrencetype_from_string(text.c_str());
  if (rule.rscale != nullptr) {
    icalmemory_free_buffer(rule.rscale);
    return std::nullopt;
  }
  if (icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    return std::nullopt;
  }
  Recurrence recurrence;
  switch (rule.freq) {
    case ICAL_DAILY_RECURRENCE: recurrence.frequency = Frequency::kDaily; break;
    case ICAL_WEEKLY_RECURRENCE: recurrence.frequency = Frequency::kWeekly; break;
    case ICAL_MONTHLY_RECURRENCE: recurrence.frequency = Frequency::kMonthly; break;
    default: return std::nullopt;
  }
  if (!IsEmptyArray(rule.by_second) || !IsEmptyArray(rule.by_minute) || !IsEmptyArray(rule.by_hour) ||
      !IsEmptyArray(rule.by_month_day) || !IsEmptyArray(rule.by_year_day) || !IsEmptyArray(rule.by_week_no) ||
      !IsEmptyArray(rule.by_month) || !IsEmptyArray(rule.by_set_pos) || rule.week_start != ICAL_MONDAY_WEEKDAY) {
    return std::nullopt;
  }
  recurrence.interval = rule.interval;
  for (std::size_t i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
    if (icalrecurrencetype_day_position(rule.by_day[i]) != 0) return std::nullopt;
    const int weekday = icalrecurrencetype_day_day_of_week(rule.by_day[i]);
    if (weekday < ICAL_SUNDAY_WEEKDAY || weekday > ICAL_SATURDAY_WEEKDAY) return std::nullopt;
    recurrence.weekdays.emplace_back(kWeekdayNames[WeekdayIndexOfIcal(weekday)]);
  }
  if (!icaltime_is_null_time(rule.until)) {
    if (rule.until.is_date == 0) return std::nullopt;
    recurrence.until = FormatDate(LocalDateTime{rule.until.year, rule.until.month, rule.until.day, 0, 0, 0});
  }
  if (rule.count != 0) recurrence.count = rule.count;
  if (InvalidFieldOf(recurrence)) return std::nullopt;
  return recurrence;
}

std::optional<std::int64_t> UntilUtc(const Recurrence& recurrence) {
  if (!recurrence.until) return std::nullopt;
  const auto date = ParseDate(*recurrence.until);
  if (!date) return std::nullopt;
  LocalDateTime last = *date;
  last.hour = 23;
  last.minute = 59;
  last.second = 59;
  return SofiaToUtc(last);
}

std::vector<OccurrenceTime> ExpandOccurrences(std::int64_t first_start_utc, std::int64_t duration_seconds,
                                              const std::optional<Recurrence>& recurrence,
                                              const std::vector<ExceptionRecord>& exceptions, std::int64_t from,
                                              std::int64_t to, bool include_cancelled, std::size_t limit) {
  std::vector<OccurrenceTime> occurrences;
  if (limit == 0 || from >= to) return occurrences;
  const std::int64_t duration = std::max<std::int64_t>(duration_seconds, 0);
  const Window window{from, to};
  const auto index = IndexExceptions(exceptions);
  const auto exception_of = [&](std::int64_t original_start) -> const ExceptionRecord* {
    const auto found = index.find(original_start);
    return found == index.end() ? nullptr : found->second;
  };
  const auto wanted = [&](const OccurrenceTime& occurrence) {
    return (include_cancelled || !occurrence.cancelled) && window.Intersects(occurrence);
  };

  if (!recurrence) {
    const OccurrenceTime occurrence = Apply(first_start_utc, duration, exception_of(first_start_utc));
    if (wanted(occurrence)) occurrences.push_back(occurrence);
    return occurrences;
  }

  // Occurrences whose original time may intersect the window, in order. Those
  // still at their original times come in order of start, so after `limit` of
  // them no later one can be among the earliest `limit`.
  std::set<std::int64_t> seen;
  std::size_t in_place = 0;
  const std::int64_t start_from = from > std::numeric_limits<std::int64_t>::min() + duration ? from - duration : from;
  SeriesIterator series(first_start_utc, *recurrence, start_from);
  while (in_place < limit) {
    const auto original_start = series.Next();
    if (!original_start || *original_start >= to) break;
    seen.insert(*original_start);
    const OccurrenceTime occurrence = Apply(*original_start, duration, exception_of(*original_start));
    if (!wanted(occurrence)) continue;
    occurrences.push_back(occurrence);
    if (!Moved(occurrence, duration)) ++in_place;
  }

  // Occurrences moved into the window from anywhere else.
  for (const auto& [original_start, exception] : index) {
    if (seen.contains(original_start) || (!exception->start && !exception->end)) continue;
    const OccurrenceTime occurrence = Apply(original_start, duration, exception);
    if (wanted(occurrence) && IsOccurrence(first_start_utc, recurrence, original_start)) {
      occurrences.push_back(occurrence);
    }
  }

  std::sort(occurrences.begin(), occurrences.end(), [](const OccurrenceTime& a, const OccurrenceTime& b) {
    return a.start != b.start ? a.start < b.start : a.original_start < b.original_start;
  });
  if (occurrences.size() > limit) occurrences.resize(limit);
  return occurrences;
}

bool IsOccurrence(std::int64_t first_start_utc, const std::optional<Recurrence>& recurrence,
                  std::int64_t original_start) {
  if (!recurrence) return original_start == first_start_utc;
  if (original_start < first_start_utc) return false;
  SeriesIterator series(first_start_utc, *recurrence, original_start);
  while (const auto next = series.Next()) {
    if (*next == original_start) return true;
    if (*next > original_start) return false;
  }
  return false;
}

std::optional<std::int64_t> LastOccurrenceEnd(std::int64_t first_start_utc, std::int64_t duration_seconds,
                                              const std::optional<Recurrence>& recurrence,
                                              const std::vector<ExceptionRecord>& exceptions) {
  const std::int64_t duration = std::max<std::int64_t>(duration_seconds, 0);
  const auto index = IndexExceptions(exceptions);
  const auto exception_of = [&](std::int64_t original_start) -> const ExceptionRecord* {
    const auto found = index.find(original_start);
    return found == index.end() ? nullptr : found->second;
  };
  if (!recurrence) return Apply(first_start_utc, duration, exception_of(first_start_utc)).end;
  if (!recurrence->until && !recurrence->count) return std::nullopt;

  std::optional<std::int64_t> last_end;
  const auto consider = [&](std::int64_t end) { last_end = last_end ? std::max(*last_end, end) : end; };
  // Moved occurrences may end anywhere.
  for (const auto& [original_start, exception] : index) {
    if ((exception->start || exception->end) && IsOccurrence(first_start_utc, recurrence, original_start)) {
      consider(Apply(original_start, duration, exception).end);
    }
  }

  // The last occurrence still at its original time: look back from the until date
  // over a growing stretch until one turns up (every occurrence there may be moved).
  const std::int64_t series_end = std::min(UntilUtc(*recurrence).value_or(kExpansionEnd), kExpansionEnd);
  const std::int64_t period_days = recurrence->frequency == Frequency::kDaily    ? 1
                                   : recurrence->frequency == Frequency::kWeekly ? 7
                                                                                 : 31;
  std::int64_t look_back = (2 * period_days * recurrence->interval + 2) * kSecondsPerDay;
  for (;;) {
    const std::int64_t from = recurrence->count ? first_start_utc : series_end - look_back;
    std::optional<std::int64_t> in_place_end;
    SeriesIterator series(first_start_utc, *recurrence, from);
    while (const auto original_start = series.Next()) {
      const OccurrenceTime occurrence = Apply(*original_start, duration, exception_of(*original_start));
      if (!Moved(occurrence, duration)) in_place_end = occurrence.end;
    }
    if (in_place_end) {
      consider(*in_place_end);
      break;
    }
    if (from <= first_start_utc) break;
    look_back *= 2;
  }
  return last_end.value_or(first_start_utc + duration);
}

}  // namespace egovbox::meetings
