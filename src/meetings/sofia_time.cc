#include "meetings/sofia_time.h"

#include <fmt/format.h>
#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>

namespace egovbox::meetings {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// Offsets in Sofia are +02:00 or +03:00 and change twice a year; a day before and
// a day after a wall time are always on either side of at most one change.
constexpr std::int64_t kProbeDistance = kSecondsPerDay;

// Years 1..9999, the range of LocalDateTime we promise (and of RFC 3339).
constexpr std::int64_t kMinUtc = -62135510400;  // 0001-01-02T00:00:00Z
constexpr std::int64_t kMaxUtc = 253402128000;  // 9999-12-30T00:00:00Z

// libical 3 expands a zone's rules up to 2582 only; later it answers with winter
// time, and slowly (it expands the zone again on every call, under its global
// lock). The Gregorian calendar repeats every 400 years, weekdays included, and so
// does a rule like "last Sunday of March", so instants from 2500 on are converted
// 400 years (or a multiple) earlier.
constexpr std::int64_t kCycleSeconds = 146097 * kSecondsPerDay;  // 400 Gregorian years
constexpr std::int64_t kCycleFrom = 16725225600;                 // 2500-01-01T00:00:00Z
constexpr std::int64_t kCoverage = 16882992000;                  // 2505-01-01T00:00:00Z

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::once_flag calendar_once;
icaltimezone* sofia_zone = nullptr;  // set once under calendar_once, read-only afterwards

void LoadCalendar() {
  // The default of Debian's build, but a build with fatal errors would abort()
  // on the first malformed RRULE a client sends.
  if (icalerror_get_errors_are_fatal() != 0) icalerror_set_errors_are_fatal(0);

  icaltimezone* zone = icaltimezone_get_builtin_timezone(std::string(kSofiaZoneId).c_str());
  // The component is read from /usr/share/zoneinfo on first use.
  if (zone == nullptr || icaltimezone_get_component(zone) == nullptr) {
    throw std::runtime_error(
        "libical cannot load the time zone Europe/Sofia: is the package tzdata installed "
        "(/usr/share/zoneinfo/zone.tab and /usr/share/zoneinfo/Europe/Sofia)?");
  }
  // Expand the zone's transitions as far as we look them up (2500, plus libical's
  // five years of margin), so that no later lookup grows libical's shared table.
  icaltimetype far = icaltime_from_timet_with_zone(static_cast<time_t>(kCoverage), 0, icaltimezone_get_utc_timezone());
  int is_daylight = 0;
  (void)icaltimezone_get_utc_offset_of_utc_time(zone, &far, &is_daylight);

  // 2026-01-15T12:00Z is winter (+02:00), 2026-07-15T12:00Z summer (+03:00).
  const icaltimetype winter = icaltime_from_timet_with_zone(1768478400, 0, zone);
  const icaltimetype summer = icaltime_from_timet_with_zone(1784116800, 0, zone);
  if (winter.hour != 14 || summer.hour != 15) {
    throw std::runtime_error("libical's rules for Europe/Sofia give unexpected offsets: check the tzdata package");
  }
  sofia_zone = zone;
}

icaltimezone* SofiaZone() {
  std::call_once(calendar_once, LoadCalendar);
  return sofia_zone;
}

// The wall time read as if it were UTC, in seconds; fields out of range carry over.
std::int64_t NaiveSeconds(const LocalDateTime& local) {
  const std::int64_t months = static_cast<std::int64_t>(local.year) * 12 + (local.month - 1);
  const auto year = static_cast<int>(FloorDiv(months, 12));
  const auto month = static_cast<int>(months - static_cast<std::int64_t>(year) * 12) + 1;
  return (DaysFromCivil(year, month, 1) + (local.day - 1)) * kSecondsPerDay +
         static_cast<std::int64_t>(local.hour) * 3600 + static_cast<std::int64_t>(local.minute) * 60 + local.second;
}

// The offset of Sofia from UTC at an instant, in seconds.
std::int64_t OffsetAt(std::int64_t utc) {
  return NaiveSeconds(UtcToSofia(utc)) - utc;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool Digits(std::size_t count, int& value) {
    if (position_ + count > text_.size()) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text_[position_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    position_ += count;
    return true;
  }
  bool Literal(char expected) { return Either(expected, expected); }
  bool Either(char a, char b) {
    if (position_ >= text_.size() || (text_[position_] != a && text_[position_] != b)) return false;
    ++position_;
    return true;
  }
  std::optional<char> Peek() const {
    return position_ < text_.size() ? std::optional<char>(text_[position_]) : std::nullopt;
  }
  void Skip() { ++position_; }
  bool AtEnd() const { return position_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

bool ReadDate(Reader& reader, LocalDateTime& date) {
  return reader.Digits(4, date.year) && reader.Literal('-') && reader.Digits(2, date.month) && reader.Literal('-') &&
         reader.Digits(2, date.day) && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
         date.day <= DaysInMonth(date.year, date.month);
}

constexpr std::array<std::string_view, 7> kWeekdaysBg = {"понеделник", "вторник", "сряда", "четвъртък",
                                                         "петък",      "събота",  "неделя"};
constexpr std::array<std::string_view, 7> kWeekdaysEn = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                         "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonthsBg = {"януари",    "февруари", "март",    "април",
                                                        "май",       "юни",      "юли",     "август",
                                                        "септември", "октомври", "ноември", "декември"};
constexpr std::array<std::string_view, 12> kMonthsEn = {"January",   "February", "March",    "April",
                                                        "May",       "June",     "July",     "August",
                                                        "September", "October",  "November", "December"};

}  // namespace

void InitializeCalendar() {
  (void)SofiaZone();
}

// Howard Hinnant's days_from_civil.
std::int64_t DaysFromCivil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = FloorDiv(y, 400);
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t month_index = (month + 9) % 12;  // March = 0
  const std::int64_t day_of_year = (153 * month_index + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// Howard Hinnant's civil_from_days.
LocalDateTime CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = FloorDiv(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  LocalDateTime date;
  date.day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  date.month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  date.year = static_cast<int>(year_of_era + era * 400 + (date.month <= 2 ? 1 : 0));
  return date;
}

int WeekdayOf(const LocalDateTime& date) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const std::int64_t days = DaysFromCivil(date.year, date.month, date.day);
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

LocalDateTime UtcToSofia(std::int64_t utc) {
  utc = std::clamp(utc, kMinUtc, kMaxUtc);
  std::int64_t cycles = 0;
  if (utc >= kCycleFrom) {
    cycles = (utc - kCycleFrom) / kCycleSeconds + 1;
    utc -= cycles * kCycleSeconds;
  }
  const icaltimetype local = icaltime_from_timet_with_zone(static_cast<time_t>(utc), 0, SofiaZone());
  return LocalDateTime{
      local.year + static_cast<int>(400 * cycles), local.month, local.day, local.hour, local.minute, local.second};
}

std::int64_t SofiaToUtc(const LocalDateTime& local) {
  const std::int64_t naive = NaiveSeconds(local);
  const std::int64_t offset_before = OffsetAt(naive - kProbeDistance);
  const std::int64_t offset_after = OffsetAt(naive + kProbeDistance);
  const std::int64_t with_before = naive - offset_before;
  const std::int64_t with_after = naive - offset_after;
  const bool before_fits = OffsetAt(with_before) == offset_before;
  const bool after_fits = OffsetAt(with_after) == offset_after;
  // Both fit in the overlap (and when nothing changes): the first instant.
  if (before_fits && after_fits) return std::min(with_before, with_after);
  if (after_fits) return with_after;
  // In the gap neither fits: the offset before the gap.
  return with_before;
}

std::optional<std::int64_t> ParseRfc3339(std::string_view text) {
  Reader reader(text);
  LocalDateTime time;
  if (!ReadDate(reader, time) || !reader.Either('T', 't') || !reader.Digits(2, time.hour) || !reader.Literal(':') ||
      !reader.Digits(2, time.minute) || !reader.Literal(':') || !reader.Digits(2, time.second)) {
    return std::nullopt;
  }
  if (time.hour > 23 || time.minute > 59 || time.second > 59) return std::nullopt;
  if (reader.Literal('.')) {
    int digit = 0;
    if (!reader.Digits(1, digit)) return std::nullopt;
    while (reader.Digits(1, digit)) continue;  // truncated
  }
  std::int64_t offset = 0;
  if (!reader.Either('Z', 'z')) {
    const auto sign = reader.Peek();
    if (sign != '+' && sign != '-') return std::nullopt;
    reader.Skip();
    int hours = 0;
    int minutes = 0;
    if (!reader.Digits(2, hours) || !reader.Literal(':') || !reader.Digits(2, minutes) || hours > 23 || minutes > 59) {
      return std::nullopt;
    }
    offset = (std::int64_t{hours} * 3600 + std::int64_t{minutes} * 60) * (sign == '-' ? -1 : 1);
  }
  if (!reader.AtEnd()) return std::nullopt;
  return NaiveSeconds(time) - offset;
}

std::optional<LocalDateTime> ParseDate(std::string_view text) {
  Reader reader(text);
  LocalDateTime date;
  if (!ReadDate(reader, date) || !reader.AtEnd()) return std::nullopt;
  return date;
}

std::string FormatDate(const LocalDateTime& date) {
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::string FormatForPeople(std::int64_t utc, http::Language language) {
  const LocalDateTime local = UtcToSofia(utc);
  const auto weekday = static_cast<std::size_t>(WeekdayOf(local));
  const auto month = static_cast<std::size_t>(local.month - 1);
  if (language == http::Language::kBulgarian) {
    return fmt::format("{}, {} {} {} г., {:02}:{:02}", kWeekdaysBg[weekday], local.day, kMonthsBg[month], local.year,
                       local.hour, local.minute);
  }
  return fmt::format("{}, {} {} {}, {:02}:{:02}", kWeekdaysEn[weekday], local.day, kMonthsEn[month], local.year,
                     local.hour, local.minute);
}

}  // namespace egovbox::meetings
