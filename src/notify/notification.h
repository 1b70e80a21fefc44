// A notification: something that happened which one person should see in the app
// (invited to a meeting, a reminder, a missed call). Persisted per person by
// NotificationCentre; the payload carries what the web app needs to write the text
// in the reader's language (titles, times, names), never a ready-made sentence.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace egovbox::notify {

// Kinds as stored and as sent on the wire (docs/meetings.md, "Notifications").
inline constexpr const char* kKindMeetingInvited = "meeting.invited";
inline constexpr const char* kKindMeetingRescheduled = "meeting.rescheduled";
inline constexpr const char* kKindMeetingCancelled = "meeting.cancelled";
inline constexpr const char* kKindMeetingReminder = "meeting.reminder";
inline constexpr const char* kKindCallMissed = "call.missed";
inline constexpr const char* kKindDocumentShared = "document.shared";
inline constexpr const char* kKindDocumentScanPassed = "document.scan_passed";   // a version waited for clamd
inline constexpr const char* kKindDocumentInfected = "document.infected";        // ... and was found infected
inline constexpr const char* kKindDocumentUnscannable = "document.unscannable";  // ... or too large for clamd

struct Notification {
  std::string id;
  std::string employee_id;
  std::string kind;
  nlohmann::json payload = nlohmann::json::object();
  std::int64_t created_at = 0;  // Unix seconds
  bool read = false;
};

// {"id", "kind", "payload", "created_at" (RFC 3339 UTC), "read"}: the shape in the
// API and in the WebSocket message. The employee id is not part of it (it is always
// the reader's own).
nlohmann::json NotificationJson(const Notification& notification);

}  // namespace egovbox::notify
