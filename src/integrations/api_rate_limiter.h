// Calls per integration per minute for API tokens (docs/integrations.md: 120 a
// minute, then 429 with Retry-After). A sliding window: the times of the calls
// admitted in the last minute, at most `calls_per_window` per integration, so
// memory stays bounded by the number of integrations. Kept in memory (one node;
// several nodes will keep it in Redis, like the sign-in throttle). Times are
// seconds since the epoch with their fraction. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace egovbox::integrations {

class ApiRateLimiter {
 public:
  static constexpr std::size_t kDefaultCallsPerMinute = 120;
  static constexpr double kWindowSeconds = 60;

  explicit ApiRateLimiter(std::size_t calls_per_window = kDefaultCallsPerMinute) : limit_(calls_per_window) {}

  // 0 when the call may go on (it is then counted); otherwise the whole seconds,
  // rounded up, until it may (Retry-After), and the call is not counted.
  std::int64_t Admit(const std::string& integration_id, double now);

 private:
  std::size_t limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<double>> calls_;  // GUARDED_BY(mutex_)
};

}  // namespace egovbox::integrations
