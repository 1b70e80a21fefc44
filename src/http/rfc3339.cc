#include "http/rfc3339.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace egovbox::http {
namespace {

constexpr std::int64_t kFirstSecond = -62135596800;  // 0001-01-01T00:00:00Z
constexpr std::int64_t kLastSecond = 253402300799;   // 9999-12-31T23:59:59Z

}  // namespace

std::string FormatRfc3339Utc(std::int64_t unix_seconds) {
  const std::time_t time = std::clamp(unix_seconds, kFirstSecond, kLastSecond);
  std::tm utc{};
  gmtime_r(&time, &utc);
  // Not strftime: its %Y does not pad years below 1000 to four digits.
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

}  // namespace egovbox::http
