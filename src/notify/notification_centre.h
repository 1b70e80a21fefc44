// The notification centre: each person's notifications, kept in the store and
// pushed to their open tabs over the WebSocket hub.
//
// A domain service records a notification inside its own transaction (so the
// notification exists exactly when the change that caused it does), commits, and
// then publishes what it recorded:
//
//   std::vector<notify::Notification> recorded;
//   database.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
//     ... the change ...
//     recorded.push_back(centre.Record(tx, invitee_id, notify::kKindMeetingInvited, payload, now));
//   });
//   centre.Publish(recorded);
//
// A person sees only their own notifications: for anyone else's id the answer is
// 404 notification-not-found, the same as for an id that does not exist.
//
// Thread-safe. Every call blocks on the store: call it from a worker thread, never
// from an I/O thread. Store failures throw StoreError (from Record, List, MarkRead,
// MarkAllRead, UnreadCount); Publish never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/problem.h"
#include "notify/notification.h"
#include "realtime/hub.h"
#include "store/database.h"

namespace egovbox::notify {

struct NotificationPage {
  std::vector<Notification> notifications;  // newest first
  std::int64_t unread = 0;                  // all of the person's unread, not only this page's
};

// {"notifications": [...], "unread": n}
nlohmann::json NotificationPageJson(const NotificationPage& page);

class NotificationCentre {
 public:
  static constexpr int kDefaultLimit = 50;
  static constexpr int kMaxLimit = 100;

  // Both must outlive the centre.
  NotificationCentre(store::Database& database, realtime::Hub& hub);

  // Inserts an unread notification in the caller's transaction and returns it, for
  // Publish after the commit. `kind` is one of the kKind* names.
  Notification Record(store::Connection& tx, const std::string& employee_id, std::string kind, nlohmann::json payload,
                      std::int64_t now);

  // Call after the transaction that recorded `committed` has been committed: sends
  // {"type":"notification","notification":{...},"unread":n} to each person's tabs.
  // Best effort: a tab that misses it reloads over REST; a store failure while
  // counting is logged, not thrown (the notifications are saved already).
  void Publish(const std::vector<Notification>& committed);

  // The person's notifications, newest first: at most `limit` (1..100), older than
  // the notification `before` when given. Problems: 400 invalid-field ("limit"
  // out of range, or "before" not one of the person's notifications).
  http::Result<NotificationPage> List(const std::string& employee_id, int limit = kDefaultLimit,
                                      const std::optional<std::string>& before = std::nullopt);

  // Marks one notification read (reading it twice is fine). Problem: 404
  // notification-not-found when it is absent or not the person's own.
  http::Status MarkRead(const std::string& employee_id, const std::string& notification_id);
  void MarkAllRead(const std::string& employee_id);

  // For the WebSocket "hello" message.
  std::int64_t UnreadCount(const std::string& employee_id);

 private:
  store::Database& database_;
  realtime::Hub& hub_;
};

}  // namespace egovbox::notify
