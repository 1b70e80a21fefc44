#include "integrations/api_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace egovbox::integrations {

std::int64_t ApiRateLimiter::Admit(const std::string& integration_id, double now) {
  const std::lock_guard lock(mutex_);
  auto& calls = calls_[integration_id];
  while (!calls.empty() && calls.front() <= now - kWindowSeconds) calls.pop_front();
  if (calls.size() < limit_) {
    calls.push_back(now);
    return 0;
  }
  if (calls.empty()) return static_cast<std::int64_t>(kWindowSeconds);  // a limit of 0 admits nothing
  // The oldest call in the window leaves it at front + window.
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(calls.front() + kWindowSeconds - now)));
}

}  // namespace egovbox::integrations
