// Meetings as iCalendar (RFC 5545) objects, built with libical: the invitation
// (METHOD:REQUEST) and cancellation (METHOD:CANCEL) attached to e-mails (iTIP,
// RFC 5546), and METHOD:PUBLISH for a meeting's download and a person's
// subscription feed.
//
// Each calendar carries one VTIMEZONE for Europe/Sofia: a compact one with the
// current EU rule (two RRULEs, since 1997), checked once per process against
// libical's zone built from the system's tzdata for 1997-2100; should tzdata ever
// disagree (a new rule), libical's full component is sent instead, renamed
// Europe/Sofia. Times are DTSTART;TZID=Europe/Sofia wall times, so a recurring
// meeting at 10:00 stays at 10:00 in every client; an instant that is the second
// of an ambiguous wall time (the October overlap) goes out in UTC instead.
//
// Per event: a VEVENT with the series (RRULE; EXDATE per cancelled occurrence),
// and a VEVENT with the same UID and a RECURRENCE-ID per moved occurrence.
// Exceptions that name no occurrence are left out. ATTENDEEs go into REQUEST and
// CANCEL; PUBLISH has none, as RFC 5546 §3.2.1 requires (libical's iTIP
// restriction check flags them). People without an e-mail address are left out
// (an ORGANIZER or ATTENDEE needs a calendar address). Control characters in texts
// are replaced by spaces; libical escapes the rest.
//
// Thread-safe: see sofia_time.h for InitializeCalendar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meetings/recurrence.h"

namespace egovbox::meetings {

enum class CalendarMethod { kRequest, kCancel, kPublish };

struct CalendarAttendee {
  std::string name, email;
  std::string role;      // host | co-host | participant
  std::string response;  // needs-action | accepted | declined | tentative
};

struct CalendarEvent {
  std::string uid;  // CalendarUid(meeting id)
  int sequence = 0;
  std::string title, description, location, url;
  std::string organiser_name, organiser_email;
  std::vector<CalendarAttendee> attendees;
  std::int64_t start = 0, end = 0;  // first occurrence, UTC
  std::optional<Recurrence> recurrence;
  std::vector<ExceptionRecord> exceptions;
  bool cancelled = false;
  std::int64_t created = 0, last_modified = 0;
};

// A VCALENDAR (PRODID "-//eGov box//eGov box//BG", VERSION 2.0, METHOD) with the
// events, DTSTAMP `now`, CRLF line endings. kCancel marks every event
// STATUS:CANCELLED and sends only the series' VEVENT (the whole meeting is
// cancelled; one cancelled occurrence is a REQUEST with a new EXDATE).
std::string BuildCalendar(CalendarMethod method, const std::vector<CalendarEvent>& events, std::int64_t now);

// "<meeting id>@egovbox": the stable UID of a meeting.
std::string CalendarUid(const std::string& meeting_id);

}  // namespace egovbox::meetings
