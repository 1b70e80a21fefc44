// The notify module's HTTP API (see docs/api/openapi.yaml and docs/meetings.md):
// a signed-in person's own notifications.
//
//   GET  /api/v1/notifications?limit=50&before=<id> → {"notifications": [...], "unread": n}
//   POST /api/v1/notifications/{id}/read            → 204 (404 notification-not-found)
//   POST /api/v1/notifications/read-all             → 204
#pragma once

#include "http/router.h"
#include "notify/notification_centre.h"

namespace egovbox::notify {

// `centre` must outlive the router.
void AddNotifyRoutes(http::Router& router, NotificationCentre& centre);
// Problem texts for this module's slugs; call once at start, with the other modules'.
void RegisterNotifyProblems();

}  // namespace egovbox::notify
