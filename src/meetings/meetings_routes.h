// The meetings module's HTTP API (see docs/api/openapi.yaml and docs/meetings.md):
// rooms and halls, knocks, meetings, RSVP, reminders, joining, iCalendar, calls,
// presence; and the WebSocket messages media.join / media.leave.
#pragma once

#include "http/router.h"
#include "meetings/call_service.h"
#include "meetings/meeting_service.h"
#include "meetings/room_service.h"
#include "realtime/hub.h"

namespace egovbox::meetings {

struct MeetingsApi {
  MeetingService& meetings;
  RoomService& rooms;
  CallService& calls;
  realtime::Hub& hub;
  store::Database& database;  // presence choices
};

void AddMeetingsRoutes(http::Router& router, MeetingsApi api);
// WebSocket handlers: media.join checks the capability (the SFU's check, until it lands).
void AddMeetingsMessages(realtime::Hub& hub, MeetingService& meetings);
// Restores the do-not-disturb choices into the hub at start.
void LoadPresenceChoices(store::Database& database, realtime::Hub& hub);
void RegisterMeetingsProblems();

}  // namespace egovbox::meetings
