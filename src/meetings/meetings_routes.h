// The meetings module's HTTP API (see docs/api/openapi.yaml and docs/meetings.md):
// rooms and halls, knocks, meetings, RSVP, reminders, joining, iCalendar, calls,
// presence, the in-meeting chat, attendance. The WebSocket's media.* messages are MeetingMedia's.
#pragma once

#include "http/router.h"
#include "meetings/call_service.h"
#include "meetings/meeting_chat.h"
#include "meetings/meeting_media.h"
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
  MeetingMedia& media;        // leaving, attendance
};

void AddMeetingsRoutes(http::Router& router, MeetingsApi api);
// GET and POST /api/v1/meetings/{id}/chat.
void AddMeetingChatRoutes(http::Router& router, MeetingChat& chat);
// Restores the do-not-disturb choices into the hub at start.
void LoadPresenceChoices(store::Database& database, realtime::Hub& hub);
void RegisterMeetingsProblems();

}  // namespace egovbox::meetings
