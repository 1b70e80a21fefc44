#include "meetings/calendar_export.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "meetings/sofia_time.h"

namespace egovbox::meetings {
namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

struct TimezoneDeleter {
  void operator()(icaltimezone* zone) const { icaltimezone_free(zone, 1); }
};

std::int64_t Sofia(int year, int month, int day, int hour = 10, int minute = 0) {
  return SofiaToUtc({year, month, day, hour, minute, 0});
}

Component Parse(const std::string& text) {
  return Component(icalparser_parse_string(text.c_str()));
}

std::vector<icalcomponent*> Children(icalcomponent* parent, icalcomponent_kind kind) {
  std::vector<icalcomponent*> children;
  for (icalcomponent* child = icalcomponent_get_first_component(parent, kind); child != nullptr;
       child = icalcomponent_get_next_component(parent, kind)) {
    children.push_back(child);
  }
  return children;
}

std::vector<icalproperty*> Properties(icalcomponent* component, icalproperty_kind kind) {
  std::vector<icalproperty*> properties;
  for (icalproperty* property = icalcomponent_get_first_property(component, kind); property != nullptr;
       property = icalcomponent_get_next_property(component, kind)) {
    properties.push_back(property);
  }
  return properties;
}

std::string Value(icalproperty* property) {
  if (property == nullptr) return "(none)";
  const char* value = icalproperty_get_value_as_string(property);
  return value == nullptr ? "" : value;
}

std::string Value(icalcomponent* component, icalproperty_kind kind) {
  return Value(icalcomponent_get_first_property(component, kind));
}

std::string Parameter(icalproperty* property, icalparameter_kind kind) {
  icalparameter* parameter = icalproperty_get_first_parameter(property, kind);
  if (parameter == nullptr) return "(none)";
  const char* text = icalparameter_get_xvalue(parameter);
  if (kind == ICAL_TZID_PARAMETER) text = icalparameter_get_tzid(parameter);
  if (kind == ICAL_CN_PARAMETER) text = icalparameter_get_cn(parameter);
  if (text == nullptr) {
    // Enumerated parameters: "ROLE=CHAIR" -> "CHAIR".
    const std::string whole = icalparameter_as_ical_string(parameter);
    return whole.substr(whole.find('=') + 1);
  }
  return text;
}

std::int64_t Instant(icaltimetype time) {
  return static_cast<std::int64_t>(icaltime_as_timet_with_zone(time, time.zone));
}

// A date-time property with its TZID resolved in the calendar's VTIMEZONEs
// (libical's icalcomponent_get_recurrenceid does not resolve it).
std::int64_t Instant(icalproperty* property, icalcomponent* component) {
  return Instant(icalproperty_get_datetime_with_component(property, component));
}

// The X-LIC-ERROR properties libical adds for what it could not parse or what breaks
// RFC 5545/5546 restrictions, anywhere in the tree.
int Errors(icalcomponent* component) {
  return icalcomponent_count_errors(component);
}

// Parses a calendar and checks it is valid iCalendar and a valid iTIP message.
Component ParseValid(const std::string& text) {
  Component calendar = Parse(text);
  EXPECT_TRUE(calendar);
  if (!calendar) return calendar;
  EXPECT_EQ(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(Errors(calendar.get()), 0) << text;
  EXPECT_EQ(icalrestriction_check(calendar.get()), 1) << icalcomponent_as_ical_string(calendar.get());
  EXPECT_EQ(Errors(calendar.get()), 0) << icalcomponent_as_ical_string(calendar.get());
  return calendar;
}

void ExpectWellFolded(const std::string& text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find("\r\n", begin);
    ASSERT_NE(end, std::string::npos) << "a line without CRLF";
    EXPECT_LE(end - begin, 75U) << text.substr(begin, end - begin);
    begin = end + 2;
  }
}

CalendarEvent SingleMeeting() {
  CalendarEvent event;
  event.uid = CalendarUid("m1");
  event.sequence = 2;
  event.title = "Бюджет 2027; първо четене, \"важно\"\nвтори ред";
  event.description = "Дневен ред:\n1. Отчет за изпълнението на бюджета за 2026 г. и проектобюджет за 2027 г.";
  event.location = "Голяма зала, ет. 2";
  event.url = "https://egov.example/meetings/m1";
  event.organiser_name = "Иван Петров";
  event.organiser_email = "ivan@example.org";
  event.attendees = {{"Иван Петров", "ivan@example.org", "host", "accepted"},
                     {"Мария Иванова", "maria@example.org", "co-host", "tentative"},
                     {"Георги Димитров", "georgi@example.org", "participant", "needs-action"},
                     {"Петя Колева", "petya@example.org", "participant", "declined"},
                     {"Без поща", "", "participant", "needs-action"}};
  event.start = Sofia(2026, 12, 1, 10);
  event.end = Sofia(2026, 12, 1, 11, 30);
  event.created = Sofia(2026, 11, 1, 9);
  event.last_modified = Sofia(2026, 11, 2, 9);
  return event;
}

CalendarEvent WeeklyMeeting() {
  CalendarEvent event = SingleMeeting();
  event.uid = CalendarUid("m2");
  event.sequence = 5;
  event.title = "Оперативка";
  event.start = Sofia(2026, 10, 5, 10);
  event.end = Sofia(2026, 10, 5, 11);
  Recurrence weekly;
  weekly.frequency = Frequency::kWeekly;
  weekly.weekdays = {"MO", "TH"};
  weekly.until = "2026-11-30";
  event.recurrence = weekly;
  event.exceptions = {
      {Sofia(2026, 10, 19), std::nullopt, std::nullopt, true},                             // cancelled
      {Sofia(2026, 10, 26), Sofia(2026, 10, 27, 14), Sofia(2026, 10, 27, 15, 30), false},  // moved after the change
      {Sofia(2026, 10, 20), Sofia(2026, 10, 21), Sofia(2026, 10, 21, 11), false},  // not an occurrence: left out
  };
  return event;
}

CalendarEvent MonthlyMeeting() {
  CalendarEvent event = SingleMeeting();
  event.uid = CalendarUid("m3");
  event.title = "Общо събрание";
  event.attendees.clear();
  event.start = Sofia(2026, 1, 31, 16);
  event.end = Sofia(2026, 1, 31, 18);
  Recurrence monthly;
  monthly.frequency = Frequency::kMonthly;
  monthly.count = 8;
  event.recurrence = monthly;
  event.exceptions = {{Sofia(2026, 5, 31, 16), Sofia(2026, 5, 29, 16), Sofia(2026, 5, 29, 18), false}};
  return event;
}

// The occurrences of one UID as libical expands the parsed calendar: the series'
// VEVENT (RRULE, EXDATE) with the VEVENTs that have a RECURRENCE-ID in place of
// the instances they name.
std::vector<std::pair<std::int64_t, std::int64_t>> ExpandWithLibical(icalcomponent* calendar, const std::string& uid,
                                                                     std::int64_t from, std::int64_t to) {
  icalcomponent* series = nullptr;
  std::vector<icalcomponent*> overrides;
  for (icalcomponent* vevent : Children(calendar, ICAL_VEVENT_COMPONENT)) {
    if (Value(vevent, ICAL_UID_PROPERTY) != uid) continue;
    if (icalcomponent_get_first_property(vevent, ICAL_RECURRENCEID_PROPERTY) != nullptr) {
      overrides.push_back(vevent);
    } else {
      series = vevent;
    }
  }
  EXPECT_NE(series, nullptr);
  std::vector<std::pair<std::int64_t, std::int64_t>> instances;
  if (series == nullptr) return instances;
  const auto callback = [](icalcomponent*, icaltime_span* span, void* data) {
    static_cast<std::vector<std::pair<std::int64_t, std::int64_t>>*>(data)->emplace_back(span->start, span->end);
  };
  icalcomponent_foreach_recurrence(series, icaltime_from_timet_with_zone(from, 0, icaltimezone_get_utc_timezone()),
                                   icaltime_from_timet_with_zone(to, 0, icaltimezone_get_utc_timezone()), callback,
                                   &instances);
  for (icalcomponent* moved : overrides) {
    const std::int64_t original = Instant(icalcomponent_get_first_property(moved, ICAL_RECURRENCEID_PROPERTY), moved);
    std::erase_if(instances, [&](const auto& instance) { return instance.first == original; });
    const std::int64_t start = Instant(icalcomponent_get_dtstart(moved));
    const std::int64_t end = Instant(icalcomponent_get_dtend(moved));
    if (start < to && end > from) instances.emplace_back(start, end);
  }
  std::sort(instances.begin(), instances.end());
  return instances;
}

std::vector<std::pair<std::int64_t, std::int64_t>> ExpandOurselves(const CalendarEvent& event, std::int64_t from,
                                                                   std::int64_t to) {
  std::vector<std::pair<std::int64_t, std::int64_t>> instances;
  for (const auto& occurrence :
       ExpandOccurrences(event.start, event.end - event.start, event.recurrence, event.exceptions, from, to, false)) {
    instances.emplace_back(occurrence.start, occurrence.end);
  }
  std::sort(instances.begin(), instances.end());
  return instances;
}

class CalendarExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitializeCalendar(); }
  static constexpr std::int64_t kNow = 1790000000;  // 2026-09-21T14:13:20Z
};

TEST_F(CalendarExportTest, UidNamesTheMeeting) {
  EXPECT_EQ(CalendarUid("Xy7_k2"), "Xy7_k2@egovbox");
}

TEST_F(CalendarExportTest, RequestForASingleMeeting) {
  const CalendarEvent event = SingleMeeting();
  const std::string text = BuildCalendar(CalendarMethod::kRequest, {event}, kNow);
  EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\n", 0), 0U);
  ExpectWellFolded(text);
  const Component calendar = ParseValid(text);
  ASSERT_TRUE(calendar);
  EXPECT_EQ(Value(calendar.get(), ICAL_PRODID_PROPERTY), "-//eGov box//eGov box//BG");
  EXPECT_EQ(Value(calendar.get(), ICAL_VERSION_PROPERTY), "2.0");
  EXPECT_EQ(Value(calendar.get(), ICAL_METHOD_PROPERTY), "REQUEST");

  const auto timezones = Children(calendar.get(), ICAL_VTIMEZONE_COMPONENT);
  ASSERT_EQ(timezones.size(), 1U);
  EXPECT_EQ(Value(timezones[0], ICAL_TZID_PROPERTY), "Europe/Sofia");

  const auto vevents = Children(calendar.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_EQ(vevents.size(), 1U);
  icalcomponent* vevent = vevents[0];
  EXPECT_EQ(Value(vevent, ICAL_UID_PROPERTY), "m1@egovbox");
  EXPECT_EQ(Value(vevent, ICAL_SEQUENCE_PROPERTY), "2");
  EXPECT_EQ(Instant(icalcomponent_get_dtstamp(vevent)), kNow);
  EXPECT_EQ(icalcomponent_get_summary(vevent), event.title);
  EXPECT_EQ(icalcomponent_get_description(vevent), event.description);
  EXPECT_EQ(icalcomponent_get_location(vevent), event.location);
  EXPECT_EQ(Value(vevent, ICAL_URL_PROPERTY), event.url);
  EXPECT_EQ(Value(vevent, ICAL_STATUS_PROPERTY), "CONFIRMED");
  EXPECT_EQ(Instant(icalproperty_get_created(icalcomponent_get_first_property(vevent, ICAL_CREATED_PROPERTY))),
            event.created);
  EXPECT_EQ(
      Instant(icalproperty_get_lastmodified(icalcomponent_get_first_property(vevent, ICAL_LASTMODIFIED_PROPERTY))),
      event.last_modified);
  EXPECT_EQ(icalcomponent_get_first_property(vevent, ICAL_RRULE_PROPERTY), nullptr);

  icalproperty* dtstart = icalcomponent_get_first_property(vevent, ICAL_DTSTART_PROPERTY);
  EXPECT_EQ(Parameter(dtstart, ICAL_TZID_PARAMETER), "Europe/Sofia");
  EXPECT_EQ(Value(dtstart), "20261201T100000");
  EXPECT_EQ(Value(vevent, ICAL_DTEND_PROPERTY), "20261201T113000");
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevent)), event.start);
  EXPECT_EQ(Instant(icalcomponent_get_dtend(vevent)), event.end);

  icalproperty* organiser = icalcomponent_get_first_property(vevent, ICAL_ORGANIZER_PROPERTY);
  EXPECT_EQ(Value(organiser), "mailto:ivan@example.org");
  EXPECT_EQ(Parameter(organiser, ICAL_CN_PARAMETER), "Иван Петров");

  const auto attendees = Properties(vevent, ICAL_ATTENDEE_PROPERTY);
  ASSERT_EQ(attendees.size(), 4U);  // the one without an address is left out
  const std::vector<std::vector<std::string>> expected = {
      {"mailto:ivan@example.org", "Иван Петров", "CHAIR", "ACCEPTED"},
      {"mailto:maria@example.org", "Мария Иванова", "CHAIR", "TENTATIVE"},
      {"mailto:georgi@example.org", "Георги Димитров", "REQ-PARTICIPANT", "NEEDS-ACTION"},
      {"mailto:petya@example.org", "Петя Колева", "REQ-PARTICIPANT", "DECLINED"}};
  for (std::size_t i = 0; i < attendees.size(); ++i) {
    EXPECT_EQ((std::vector<std::string>{Value(attendees[i]), Parameter(attendees[i], ICAL_CN_PARAMETER),
                                        Parameter(attendees[i], ICAL_ROLE_PARAMETER),
                                        Parameter(attendees[i], ICAL_PARTSTAT_PARAMETER)}),
              expected[i]);
    EXPECT_EQ(Parameter(attendees[i], ICAL_RSVP_PARAMETER), "TRUE");
  }
}

TEST_F(CalendarExportTest, TheTimeZoneIsCompactAndAgreesWithTzdata) {
  const Component calendar = ParseValid(BuildCalendar(CalendarMethod::kPublish, {SingleMeeting()}, kNow));
  ASSERT_TRUE(calendar);
  const auto timezones = Children(calendar.get(), ICAL_VTIMEZONE_COMPONENT);
  ASSERT_EQ(timezones.size(), 1U);
  const std::string vtimezone = icalcomponent_as_ical_string(timezones[0]);
  EXPECT_LT(vtimezone.size(), 600U) << vtimezone;
  EXPECT_EQ(vtimezone.find("RDATE"), std::string::npos);
  EXPECT_EQ(Children(timezones[0], ICAL_XSTANDARD_COMPONENT).size(), 1U);
  EXPECT_EQ(Children(timezones[0], ICAL_XDAYLIGHT_COMPONENT).size(), 1U);

  std::unique_ptr<icaltimezone, TimezoneDeleter> zone(icaltimezone_new());
  ASSERT_TRUE(icaltimezone_set_component(zone.get(), icalcomponent_new_clone(timezones[0])));
  for (std::int64_t utc = Sofia(2026, 1, 1, 0); utc < Sofia(2036, 1, 1, 0); utc += 1800) {
    const icaltimetype local = icaltime_from_timet_with_zone(static_cast<time_t>(utc), 0, zone.get());
    const LocalDateTime expected = UtcToSofia(utc);
    ASSERT_TRUE(local.year == expected.year && local.month == expected.month && local.day == expected.day &&
                local.hour == expected.hour && local.minute == expected.minute)
        << FormatRfc3339Utc(utc);
  }
}

TEST_F(CalendarExportTest, RequestForARecurringMeetingWithAMovedAndACancelledOccurrence) {
  const CalendarEvent event = WeeklyMeeting();
  const std::string text = BuildCalendar(CalendarMethod::kRequest, {event}, kNow);
  ExpectWellFolded(text);
  const Component calendar = ParseValid(text);
  ASSERT_TRUE(calendar);
  const auto vevents = Children(calendar.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_EQ(vevents.size(), 2U);
  icalcomponent* series = vevents[0];
  icalcomponent* moved = vevents[1];

  const std::string rrule = Value(series, ICAL_RRULE_PROPERTY);
  // The last second of 30 November in Sofia, in UTC (RFC 5545: UNTIL in UTC when DTSTART has a TZID).
  EXPECT_EQ(rrule, "FREQ=WEEKLY;UNTIL=20261130T215959Z;BYDAY=MO,TH");
  const auto exdates = Properties(series, ICAL_EXDATE_PROPERTY);
  ASSERT_EQ(exdates.size(), 1U);
  EXPECT_EQ(Parameter(exdates[0], ICAL_TZID_PARAMETER), "Europe/Sofia");
  EXPECT_EQ(Value(exdates[0]), "20261019T100000");
  EXPECT_EQ(Value(series, ICAL_DTSTART_PROPERTY), "20261005T100000");

  EXPECT_EQ(Value(moved, ICAL_UID_PROPERTY), "m2@egovbox");
  EXPECT_EQ(Value(moved, ICAL_SEQUENCE_PROPERTY), "5");
  icalproperty* recurrence_id = icalcomponent_get_first_property(moved, ICAL_RECURRENCEID_PROPERTY);
  EXPECT_EQ(Parameter(recurrence_id, ICAL_TZID_PARAMETER), "Europe/Sofia");
  EXPECT_EQ(Value(recurrence_id), "20261026T100000");
  EXPECT_EQ(Value(moved, ICAL_DTSTART_PROPERTY), "20261027T140000");
  EXPECT_EQ(Value(moved, ICAL_DTEND_PROPERTY), "20261027T153000");
  EXPECT_EQ(Instant(recurrence_id, moved), Sofia(2026, 10, 26));
  EXPECT_EQ(Properties(moved, ICAL_ATTENDEE_PROPERTY).size(), 4U);
}

TEST_F(CalendarExportTest, LibicalExpandsTheCalendarToOurOccurrences) {
  const std::vector<CalendarEvent> events = {WeeklyMeeting(), MonthlyMeeting()};
  const Component calendar = ParseValid(BuildCalendar(CalendarMethod::kPublish, events, kNow));
  ASSERT_TRUE(calendar);
  const std::int64_t from = Sofia(2026, 1, 1, 0);
  const std::int64_t to = Sofia(2027, 12, 31, 0);
  for (const auto& event : events) {
    const auto ours = ExpandOurselves(event, from, to);
    EXPECT_FALSE(ours.empty());
    EXPECT_EQ(ExpandWithLibical(calendar.get(), event.uid, from, to), ours) << event.uid;
  }
  // Across the end of summer time the weekly meeting stays at 10:00 in both.
  const auto weekly = ExpandWithLibical(calendar.get(), "m2@egovbox", from, to);
  ASSERT_GE(weekly.size(), 6U);
  for (const auto& [start, end] : weekly) {
    if (start == Sofia(2026, 10, 27, 14)) continue;  // the moved one
    EXPECT_EQ(UtcToSofia(start).hour, 10) << FormatRfc3339Utc(start);
  }
}

TEST_F(CalendarExportTest, CancelForAWholeMeeting) {
  CalendarEvent event = WeeklyMeeting();
  event.sequence = 6;
  const Component calendar = ParseValid(BuildCalendar(CalendarMethod::kCancel, {event}, kNow));
  ASSERT_TRUE(calendar);
  EXPECT_EQ(Value(calendar.get(), ICAL_METHOD_PROPERTY), "CANCEL");
  const auto vevents = Children(calendar.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_EQ(vevents.size(), 1U);
  EXPECT_EQ(Value(vevents[0], ICAL_STATUS_PROPERTY), "CANCELLED");
  EXPECT_EQ(Value(vevents[0], ICAL_UID_PROPERTY), "m2@egovbox");
  EXPECT_EQ(Value(vevents[0], ICAL_SEQUENCE_PROPERTY), "6");
  EXPECT_EQ(Properties(vevents[0], ICAL_ATTENDEE_PROPERTY).size(), 4U);

  const Component single = ParseValid(BuildCalendar(CalendarMethod::kCancel, {SingleMeeting()}, kNow));
  ASSERT_TRUE(single);
  EXPECT_EQ(Value(Children(single.get(), ICAL_VEVENT_COMPONENT).at(0), ICAL_STATUS_PROPERTY), "CANCELLED");
}

TEST_F(CalendarExportTest, PublishFeedWithSeveralMeetings) {
  CalendarEvent cancelled = SingleMeeting();
  cancelled.uid = CalendarUid("m4");
  cancelled.cancelled = true;
  CalendarEvent moved_single = SingleMeeting();
  moved_single.uid = CalendarUid("m5");
  moved_single.exceptions = {{moved_single.start, Sofia(2026, 12, 2, 9), Sofia(2026, 12, 2, 10), false}};
  const std::vector<CalendarEvent> events = {SingleMeeting(), WeeklyMeeting(), MonthlyMeeting(), cancelled,
                                             moved_single};
  const std::string text = BuildCalendar(CalendarMethod::kPublish, events, kNow);
  ExpectWellFolded(text);
  const Component calendar = ParseValid(text);
  ASSERT_TRUE(calendar);
  EXPECT_EQ(Value(calendar.get(), ICAL_METHOD_PROPERTY), "PUBLISH");
  EXPECT_EQ(Children(calendar.get(), ICAL_VTIMEZONE_COMPONENT).size(), 1U);

  const auto vevents = Children(calendar.get(), ICAL_VEVENT_COMPONENT);
  std::vector<std::string> uids;
  for (icalcomponent* vevent : vevents) {
    uids.push_back(Value(vevent, ICAL_UID_PROPERTY));
    // RFC 5546 §3.2.1: no ATTENDEE in PUBLISH.
    EXPECT_TRUE(Properties(vevent, ICAL_ATTENDEE_PROPERTY).empty());
    EXPECT_EQ(Value(vevent, ICAL_ORGANIZER_PROPERTY), "mailto:ivan@example.org");
    EXPECT_EQ(Parameter(icalcomponent_get_first_property(vevent, ICAL_DTSTART_PROPERTY), ICAL_TZID_PARAMETER),
              "Europe/Sofia");
  }
  EXPECT_EQ(uids, (std::vector<std::string>{"m1@egovbox", "m2@egovbox", "m2@egovbox", "m3@egovbox", "m3@egovbox",
                                            "m4@egovbox", "m5@egovbox"}));
  EXPECT_EQ(Value(vevents[5], ICAL_STATUS_PROPERTY), "CANCELLED");
  EXPECT_EQ(Value(vevents[0], ICAL_STATUS_PROPERTY), "CONFIRMED");
  // A single meeting's moved occurrence is the meeting at its new time.
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevents[6])), Sofia(2026, 12, 2, 9));
  EXPECT_EQ(Instant(icalcomponent_get_dtend(vevents[6])), Sofia(2026, 12, 2, 10));
  EXPECT_EQ(icalcomponent_get_first_property(vevents[6], ICAL_RECURRENCEID_PROPERTY), nullptr);
}

TEST_F(CalendarExportTest, AnEmptyFeedIsStillACalendar) {
  const Component calendar = ParseValid(BuildCalendar(CalendarMethod::kPublish, {}, kNow));
  ASSERT_TRUE(calendar);
  EXPECT_TRUE(Children(calendar.get(), ICAL_VEVENT_COMPONENT).empty());
}

TEST_F(CalendarExportTest, AnInstantInTheSecondHourOfTheOverlapGoesOutInUtc) {
  CalendarEvent event = SingleMeeting();
  event.start = ParseRfc3339("2026-10-25T01:30:00Z").value();  // the second 03:30 in Sofia
  event.end = event.start + kHour;
  const Component calendar = ParseValid(BuildCalendar(CalendarMethod::kRequest, {event}, kNow));
  ASSERT_TRUE(calendar);
  icalcomponent* vevent = Children(calendar.get(), ICAL_VEVENT_COMPONENT).at(0);
  EXPECT_EQ(Value(vevent, ICAL_DTSTART_PROPERTY), "20261025T013000Z");
  EXPECT_EQ(Value(vevent, ICAL_DTEND_PROPERTY), "20261025T043000");
  EXPECT_EQ(Instant(icalcomponent_get_dtstart(vevent)), event.start);
  EXPECT_EQ(Instant(icalcomponent_get_dtend(vevent)), event.end);
}

TEST_F(CalendarExportTest, TextIsEscapedByLibicalAndControlCharactersReplaced) {
  CalendarEvent event = SingleMeeting();
  event.title = std::string("Точка 1,2;3 \\ край\x01\x7f") + "\r\nнов ред";
  event.description.clear();
  event.location.clear();
  event.url.clear();
  event.organiser_name = "Иван \"Ванката\" Петров; зам.-кмет, отдел: \"ИТ\"";
  const std::string text = BuildCalendar(CalendarMethod::kRequest, {event}, kNow);
  EXPECT_NE(text.find("SUMMARY:Точка 1\\,2\\;3 \\\\ край"), std::string::npos) << text;
  const Component calendar = ParseValid(text);
  ASSERT_TRUE(calendar);
  icalcomponent* vevent = Children(calendar.get(), ICAL_VEVENT_COMPONENT).at(0);
  EXPECT_EQ(std::string(icalcomponent_get_summary(vevent)), "Точка 1,2;3 \\ край  \nнов ред");
  EXPECT_EQ(icalcomponent_get_first_property(vevent, ICAL_DESCRIPTION_PROPERTY), nullptr);
  EXPECT_EQ(icalcomponent_get_first_property(vevent, ICAL_LOCATION_PROPERTY), nullptr);
  EXPECT_EQ(icalcomponent_get_first_property(vevent, ICAL_URL_PROPERTY), nullptr);
  EXPECT_EQ(Parameter(icalcomponent_get_first_property(vevent, ICAL_ORGANIZER_PROPERTY), ICAL_CN_PARAMETER),
            event.organiser_name);
}

TEST_F(CalendarExportTest, BuildsTheSameFromManyThreads) {
  const std::vector<CalendarEvent> events = {SingleMeeting(), WeeklyMeeting(), MonthlyMeeting()};
  const std::string expected = BuildCalendar(CalendarMethod::kPublish, events, kNow);
  std::vector<int> mismatches(6, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        if (BuildCalendar(CalendarMethod::kPublish, events, kNow) != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace egovbox::meetings
