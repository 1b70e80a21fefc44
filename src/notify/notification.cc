#include "notify/notification.h"

#include "http/rfc3339.h"

namespace egovbox::notify {

nlohmann::json NotificationJson(const Notification& notification) {
  return {{"id", notification.id},
          {"kind", notification.kind},
          {"payload", notification.payload},
          {"created_at", http::FormatRfc3339Utc(notification.created_at)},
          {"read", notification.read}};
}

}  // namespace egovbox::notify
