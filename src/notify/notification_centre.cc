#include "notify/notification_centre.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <map>

#include "crypto/random.h"

namespace egovbox::notify {
namespace {

constexpr const char* kSelectNotification =
    "SELECT id, employee_id, kind, payload, created_at, read_at FROM notifications ";

Notification ReadNotification(const store::Row& row) {
  auto payload = nlohmann::json::parse(row.Text(3), nullptr, false);
  if (payload.is_discarded()) payload = nlohmann::json::object();
  return Notification{row.Text(0), row.Text(1), row.Text(2), std::move(payload), row.Int(4), !row.IsNull(5)};
}

std::int64_t CountUnread(store::Connection& connection, const std::string& employee_id) {
  return connection
      .QueryOne("SELECT COUNT(*) FROM notifications WHERE employee_id = ? AND read_at IS NULL", {employee_id})
      ->Int(0);
}

std::int64_t Now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

nlohmann::json NotificationPageJson(const NotificationPage& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& notification : page.notifications) items.push_back(NotificationJson(notification));
  return {{"notifications", std::move(items)}, {"unread", page.unread}};
}

NotificationCentre::NotificationCentre(store::Database& database, realtime::Hub& hub)
    : database_(database), hub_(hub) {}

Notification NotificationCentre::Record(store::Connection& tx, const std::string& employee_id, std::string kind,
                                        nlohmann::json payload, std::int64_t now) {
  Notification notification{crypto::RandomToken(16), employee_id, std::move(kind), std::move(payload), now, false};
  // seq: the writer holds the write lock, so MAX + 1 is unique (the index enforces it).
  tx.Execute(
      "INSERT INTO notifications (id, employee_id, kind, payload, created_at, seq) VALUES (?, ?, ?, ?, ?,"
      " (SELECT COALESCE(MAX(seq), 0) + 1 FROM notifications))",
      {notification.id, notification.employee_id, notification.kind,
       notification.payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), now});
  return notification;
}

void NotificationCentre::Publish(const std::vector<Notification>& committed) {
  if (committed.empty()) return;
  std::map<std::string, std::int64_t> unread;  // per employee, counted once
  try {
    auto connection = database_.Acquire();
    for (const auto& notification : committed) {
      if (unread.count(notification.employee_id) == 0) {
        unread[notification.employee_id] = CountUnread(*connection, notification.employee_id);
      }
    }
  } catch (const std::exception& error) {
    spdlog::warn("notify: cannot count unread notifications for the push: {}", error.what());
    return;
  }
  for (const auto& notification : committed) {
    hub_.SendTo(notification.employee_id, {{"type", "notification"},
                                           {"notification", NotificationJson(notification)},
                                           {"unread", unread[notification.employee_id]}});
  }
}

http::Result<NotificationPage> NotificationCentre::List(const std::string& employee_id, int limit,
                                                        const std::optional<std::string>& before) {
  if (limit < 1 || limit > kMaxLimit) return http::InvalidField("limit");
  return database_.InTransaction(
      store::TransactionMode::kRead, [&](store::Connection& connection) -> http::Result<NotificationPage> {
        NotificationPage page;
        std::vector<store::Row> rows;
        if (before) {
          // Keyset paging on the recording order: stable while new notifications arrive.
          auto cursor = connection.QueryOne("SELECT seq FROM notifications WHERE id = ? AND employee_id = ?",
                                            {*before, employee_id});
          if (!cursor) return http::InvalidField("before");
          rows = connection.Query(
              fmt::format("{}WHERE employee_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?", kSelectNotification),
              {employee_id, cursor->Int(0), static_cast<std::int64_t>(limit)});
        } else {
          rows = connection.Query(fmt::format("{}WHERE employee_id = ? ORDER BY seq DESC LIMIT ?", kSelectNotification),
                                  {employee_id, static_cast<std::int64_t>(limit)});
        }
        page.notifications.reserve(rows.size());
        for (const auto& row : rows) page.notifications.push_back(ReadNotification(row));
        page.unread = CountUnread(connection, employee_id);
        return page;
      });
}

http::Status NotificationCentre::MarkRead(const std::string& employee_id, const std::string& notification_id) {
  const bool found = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    connection.Execute("UPDATE notifications SET read_at = ? WHERE id = ? AND employee_id = ? AND read_at IS NULL",
                       {Now(), notification_id, employee_id});
    if (connection.ChangedRows() > 0) return true;
    // Nothing changed: already read, or not there for this person.
    return connection
        .QueryOne("SELECT 1 FROM notifications WHERE id = ? AND employee_id = ?", {notification_id, employee_id})
        .has_value();
  });
  if (!found) return http::MakeProblem(404, "notification-not-found");
  return http::Ok();
}

void NotificationCentre::MarkAllRead(const std::string& employee_id) {
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    connection.Execute("UPDATE notifications SET read_at = ? WHERE employee_id = ? AND read_at IS NULL",
                       {Now(), employee_id});
  });
}

std::int64_t NotificationCentre::UnreadCount(const std::string& employee_id) {
  auto connection = database_.Acquire();
  return CountUnread(*connection, employee_id);
}

}  // namespace egovbox::notify
