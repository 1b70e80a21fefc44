#include "notify/notification.h"

#include <ctime>

namespace egovbox::notify {

nlohmann::json NotificationJson(const Notification& notification) {
  return {{"id", notification.id},
          {"kind", notification.kind},
          {"payload", notification.payload},
          {"created_at", Rfc3339Utc(notification.created_at)},
          {"read", notification.read}};
}

std::string Rfc3339Utc(std::int64_t unix_seconds) {
  const std::time_t time = unix_seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return out;
}

}  // namespace egovbox::notify
