#include "meetings/calendar_export.h"

#include <fmt/format.h>
#include <libical/ical.h>

#include <map>
#include <memory>
#include <mutex>

#include "meetings/sofia_time.h"

namespace egovbox::meetings {
namespace {

constexpr const char* kProductId = "-//eGov box//eGov box//BG";

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

struct TimezoneDeleter {
  void operator()(icaltimezone* zone) const { icaltimezone_free(zone, 1); }
};

struct TextDeleter {
  void operator()(char* text) const { icalmemory_free_buffer(text); }
};

const std::string& SofiaTzid() {
  static const std::string kTzid(kSofiaZoneId);
  return kTzid;
}

icaltimetype UtcTime(std::int64_t utc) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(utc), 0, icaltimezone_get_utc_timezone());
}

icaltimetype Floating(const LocalDateTime& local) {
  icaltimetype time = icaltime_null_time();
  time.year = local.year;
  time.month = local.month;
  time.day = local.day;
  time.hour = local.hour;
  time.minute = local.minute;
  time.second = local.second;
  return time;
}

// RFC 5545 §3.6.5: one observance per kind with the rule in force in Sofia since
// 1997 (EU summer time: the last Sundays of March and October at 01:00 UTC).
Component CompactSofiaTimezone() {
  Component zone(icalcomponent_new(ICAL_VTIMEZONE_COMPONENT));
  icalcomponent_add_property(zone.get(), icalproperty_new_tzid(SofiaTzid().c_str()));
  icalproperty* location = icalproperty_new_x(SofiaTzid().c_str());
  icalproperty_set_x_name(location, "X-LIC-LOCATION");
  icalcomponent_add_property(zone.get(), location);

  struct Observance {
    icalcomponent_kind kind;
    const char* name;
    int from, to;  // seconds east of UTC
    LocalDateTime start;
    const char* rule;
  };
  const Observance observances[] = {
      {ICAL_XDAYLIGHT_COMPONENT, "EEST", 7200, 10800, {1997, 3, 30, 3, 0, 0}, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"},
      {ICAL_XSTANDARD_COMPONENT, "EET", 10800, 7200, {1997, 10, 26, 4, 0, 0}, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"},
  };
  for (const auto& observance : observances) {
    icalcomponent* part = icalcomponent_new(observance.kind);
    icalcomponent_add_property(part, icalproperty_new_tzname(observance.name));
    icalcomponent_add_property(part, icalproperty_new_tzoffsetfrom(observance.from));
    icalcomponent_add_property(part, icalproperty_new_tzoffsetto(observance.to));
    icalcomponent_add_property(part, icalproperty_new_dtstart(Floating(observance.start)));
    icalcomponent_add_property(part, icalproperty_new_rrule(icalrecurrencetype_from_string(observance.rule)));
    icalcomponent_add_component(zone.get(), part);
  }
  return zone;
}

// Whether a VTIMEZONE gives the same wall times as the system's tzdata (through
// UtcToSofia) around every change of the compact rule and on the 1st of each month.
bool AgreesWithTzdata(const icalcomponent& vtimezone) {
  std::unique_ptr<icaltimezone, TimezoneDeleter> zone(icaltimezone_new());
  if (!icaltimezone_set_component(zone.get(), icalcomponent_new_clone(const_cast<icalcomponent*>(&vtimezone)))) {
    return false;
  }
  const auto agrees = [&](std::int64_t utc) {
    const icaltimetype local = icaltime_from_timet_with_zone(static_cast<time_t>(utc), 0, zone.get());
    return LocalDateTime{local.year, local.month, local.day, local.hour, local.minute, local.second} == UtcToSofia(utc);
  };
  for (int year = 1997; year <= 2100; ++year) {
    for (int month = 1; month <= 12; ++month) {
      if (!agrees(DaysFromCivil(year, month, 1) * 86400 + std::int64_t{12} * 3600)) return false;
    }
    for (int month : {3, 10}) {
      const std::int64_t last_day = DaysFromCivil(year, month, 31);
      const auto weekday = WeekdayOf(CivilFromDays(last_day));  // 6 = Sunday
      const std::int64_t change = (last_day - (weekday + 1) % 7) * 86400 + 3600;
      if (!agrees(change - 1) || !agrees(change)) return false;
    }
  }
  return true;
}

// libical's Europe/Sofia from tzdata, renamed: every change since 1880, two or
// three kilobytes.
Component FullSofiaTimezone() {
  icaltimezone* builtin = icaltimezone_get_builtin_timezone(SofiaTzid().c_str());
  Component zone(icalcomponent_new_clone(icaltimezone_get_component(builtin)));
  while (icalproperty* tzid = icalcomponent_get_first_property(zone.get(), ICAL_TZID_PROPERTY)) {
    icalcomponent_remove_property(zone.get(), tzid);
    icalproperty_free(tzid);
  }
  icalcomponent_add_property(zone.get(), icalproperty_new_tzid(SofiaTzid().c_str()));
  return zone;
}

// The VTIMEZONE every calendar gets, chosen once; copies are made under a mutex
// because libical's components are not documented as safe to read concurrently.
class TimezonePrototype {
 public:
  static TimezonePrototype& Instance() {
    static TimezonePrototype prototype;
    return prototype;
  }
  Component Copy() {
    const std::lock_guard lock(mutex_);
    return Component(icalcomponent_new_clone(component_.get()));
  }

 private:
  TimezonePrototype() {
    InitializeCalendar();
    component_ = CompactSofiaTimezone();
    if (!AgreesWithTzdata(*component_)) component_ = FullSofiaTimezone();
  }

  std::mutex mutex_;
  Component component_;
};

// Control characters (but line feeds and tabs) are not allowed in iCalendar text.
std::string CleanText(const std::string& text) {
  std::string clean;
  clean.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      clean += '\n';
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      clean += ' ';
    } else {
      clean += static_cast<char>(c);
    }
  }
  return clean;
}

// A date-time property as a Sofia wall time with TZID, or in UTC when the wall
// time would be read as another instant (the second hour of the October overlap).
icalproperty* WithTime(icalproperty* property, std::int64_t utc, bool always_local = false) {
  const LocalDateTime local = UtcToSofia(utc);
  if (always_local || SofiaToUtc(local) == utc) {
    icalproperty_set_value(property, icalvalue_new_datetime(Floating(local)));
    icalproperty_add_parameter(property, icalparameter_new_tzid(SofiaTzid().c_str()));
  } else {
    icalproperty_set_value(property, icalvalue_new_datetime(UtcTime(utc)));
  }
  return property;
}

icalproperty* Address(icalproperty* property, const std::string& name) {
  if (!name.empty()) icalproperty_add_parameter(property, icalparameter_new_cn(CleanText(name).c_str()));
  return property;
}

icalparameter_partstat PartStat(const std::string& response) {
  if (response == "accepted") return ICAL_PARTSTAT_ACCEPTED;
  if (response == "declined") return ICAL_PARTSTAT_DECLINED;
  if (response == "tentative") return ICAL_PARTSTAT_TENTATIVE;
  return ICAL_PARTSTAT_NEEDSACTION;
}

// What the series' VEVENT and the moved occurrences' VEVENTs share.
void AddCommon(icalcomponent* vevent, CalendarMethod method, const CalendarEvent& event, bool cancelled,
               std::int64_t now) {
  icalcomponent_add_property(vevent, icalproperty_new_uid(event.uid.c_str()));
  icalcomponent_add_property(vevent, icalproperty_new_dtstamp(UtcTime(now)));
  icalcomponent_add_property(vevent, icalproperty_new_sequence(event.sequence));
  icalcomponent_add_property(vevent, icalproperty_new_summary(CleanText(event.title).c_str()));
  if (!event.description.empty()) {
    icalcomponent_add_property(vevent, icalproperty_new_description(CleanText(event.description).c_str()));
  }
  if (!event.location.empty()) {
    icalcomponent_add_property(vevent, icalproperty_new_location(CleanText(event.location).c_str()));
  }
  if (!event.url.empty()) icalcomponent_add_property(vevent, icalproperty_new_url(CleanText(event.url).c_str()));
  if (!event.organiser_email.empty()) {
    const std::string address = fmt::format("mailto:{}", CleanText(event.organiser_email));
    icalcomponent_add_property(vevent, Address(icalproperty_new_organizer(address.c_str()), event.organiser_name));
  }
  if (method != CalendarMethod::kPublish) {
    for (const auto& attendee : event.attendees) {
      if (attendee.email.empty()) continue;
      const std::string address = fmt::format("mailto:{}", CleanText(attendee.email));
      icalproperty* property = Address(icalproperty_new_attendee(address.c_str()), attendee.name);
      const bool chair = attendee.role == "host" || attendee.role == "co-host";
      icalproperty_add_parameter(property, icalparameter_new_role(chair ? ICAL_ROLE_CHAIR : ICAL_ROLE_REQPARTICIPANT));
      icalproperty_add_parameter(property, icalparameter_new_partstat(PartStat(attendee.response)));
      icalproperty_add_parameter(property, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
      icalcomponent_add_property(vevent, property);
    }
  }
  icalcomponent_add_property(vevent,
                             icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_property(vevent, icalproperty_new_created(UtcTime(event.created)));
  icalcomponent_add_property(vevent, icalproperty_new_lastmodified(UtcTime(event.last_modified)));
}

icalproperty* RecurrenceRule(const Recurrence& recurrence) {
  icalrecurrencetype rule = icalrecurrencetype_from_string(ToRrule(recurrence).c_str());
  // RFC 5545 §3.3.10: with a DTSTART that has a TZID, UNTIL is a UTC date-time.
  if (const auto until = UntilUtc(recurrence)) rule.until = UtcTime(*until);
  return icalproperty_new_rrule(rule);
}

void AddEvent(icalcomponent* calendar, CalendarMethod method, const CalendarEvent& event, std::int64_t now) {
  const bool cancelled = event.cancelled || method == CalendarMethod::kCancel;
  const std::int64_t duration = std::max<std::int64_t>(event.end - event.start, 0);

  // Exceptions that name an occurrence, the last one per occurrence.
  std::map<std::int64_t, ExceptionRecord> exceptions;
  for (const auto& exception : event.exceptions) {
    if (IsOccurrence(event.start, event.recurrence, exception.original_start)) {
      exceptions[exception.original_start] = exception;
    }
  }

  icalcomponent* series = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  icalcomponent_add_component(calendar, series);
  if (!event.recurrence) {
    // A single meeting's one exception is the meeting itself.
    std::int64_t start = event.start;
    std::int64_t end = event.end;
    bool occurrence_cancelled = false;
    if (const auto found = exceptions.find(event.start); found != exceptions.end()) {
      start = found->second.start.value_or(start);
      end = found->second.end.value_or(start + duration);
      occurrence_cancelled = found->second.cancelled;
    }
    AddCommon(series, method, event, cancelled || occurrence_cancelled, now);
    icalcomponent_add_property(series, WithTime(icalproperty_new(ICAL_DTSTART_PROPERTY), start));
    icalcomponent_add_property(series, WithTime(icalproperty_new(ICAL_DTEND_PROPERTY), std::max(end, start)));
    return;
  }

  AddCommon(series, method, event, cancelled, now);
  // The rule runs in wall time: DTSTART always as a Sofia wall time.
  icalcomponent_add_property(series, WithTime(icalproperty_new(ICAL_DTSTART_PROPERTY), event.start, true));
  icalcomponent_add_property(series, WithTime(icalproperty_new(ICAL_DTEND_PROPERTY), event.start + duration));
  icalcomponent_add_property(series, RecurrenceRule(*event.recurrence));
  for (const auto& [original_start, exception] : exceptions) {
    if (exception.cancelled) {
      icalcomponent_add_property(series, WithTime(icalproperty_new(ICAL_EXDATE_PROPERTY), original_start, true));
    }
  }
  if (method == CalendarMethod::kCancel) return;

  // RFC 5545 §3.8.4.4: a moved occurrence is a VEVENT of the same UID with a RECURRENCE-ID.
  for (const auto& [original_start, exception] : exceptions) {
    if (exception.cancelled || (!exception.start && !exception.end)) continue;
    const std::int64_t start = exception.start.value_or(original_start);
    const std::int64_t end = std::max(exception.end.value_or(start + duration), start);
    icalcomponent* moved = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_component(calendar, moved);
    AddCommon(moved, method, event, cancelled, now);
    icalcomponent_add_property(moved, WithTime(icalproperty_new(ICAL_RECURRENCEID_PROPERTY), original_start, true));
    icalcomponent_add_property(moved, WithTime(icalproperty_new(ICAL_DTSTART_PROPERTY), start));
    icalcomponent_add_property(moved, WithTime(icalproperty_new(ICAL_DTEND_PROPERTY), end));
  }
}

}  // namespace

std::string BuildCalendar(CalendarMethod method, const std::vector<CalendarEvent>& events, std::int64_t now) {
  Component calendar(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid(kProductId));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(calendar.get(),
                             icalproperty_new_method(method == CalendarMethod::kRequest  ? ICAL_METHOD_REQUEST
                                                     : method == CalendarMethod::kCancel ? ICAL_METHOD_CANCEL
                                                                                         : ICAL_METHOD_PUBLISH));
  icalcomponent_add_component(calendar.get(), TimezonePrototype::Instance().Copy().release());
  for (const auto& event : events) AddEvent(calendar.get(), method, event, now);
  const std::unique_ptr<char, TextDeleter> text(icalcomponent_as_ical_string_r(calendar.get()));
  return text ? std::string(text.get()) : std::string();
}

std::string CalendarUid(const std::string& meeting_id) {
  return fmt::format("{}@egovbox", meeting_id);
}

}  // namespace egovbox::meetings
