#include "identity/login_throttle.h"

#include <algorithm>
#include <cmath>

namespace egovbox::identity {
namespace {

constexpr std::int64_t kSweepEverySeconds = 60;

}  // namespace

bool LoginThrottle::Forgotten(const Counter& counter, double now) const {
  return now - counter.last_failure >= static_cast<double>(policy_.forget_after_seconds);
}

std::int64_t LoginThrottle::Wait(const Counters& counters, const std::string& key, const Rule& rule, double now) const {
  const auto found = counters.find(key);
  if (found == counters.end()) return 0;
  const Counter& counter = found->second;
  if (Forgotten(counter, now)) return 0;
  const int over = counter.failures - rule.free_failures;
  if (over < 0) return 0;
  // 1 s after reaching the threshold, then 2, 4, 8 ... up to the ceiling.
  const std::int64_t wait =
      over >= 30 ? rule.max_wait_seconds : std::min<std::int64_t>(1LL << over, rule.max_wait_seconds);
  return std::max<std::int64_t>(
      0, static_cast<std::int64_t>(std::ceil(counter.last_failure + static_cast<double>(wait) - now)));
}

std::int64_t LoginThrottle::WaitSeconds(const std::string& code, const std::string& address, double now) const {
  std::lock_guard lock(mutex_);
  return std::max({Wait(by_code_and_address_, code + "|" + address, policy_.code_and_address, now),
                   Wait(by_address_, address, policy_.address, now), Wait(by_code_, code, policy_.code, now)});
}

std::int64_t LoginThrottle::RecordFailure(const std::string& code, const std::string& address, double now) {
  {
    std::lock_guard lock(mutex_);
    if (now - last_sweep_ >= kSweepEverySeconds) Forget(now);
    const std::string code_and_address = code + "|" + address;
    for (auto* entry : {&by_code_and_address_[code_and_address], &by_address_[address], &by_code_[code]}) {
      if (Forgotten(*entry, now)) entry->failures = 0;
      ++entry->failures;
      entry->last_failure = now;
    }
  }
  return WaitSeconds(code, address, now);
}

void LoginThrottle::RecordSuccess(const std::string& code, const std::string& address) {
  std::lock_guard lock(mutex_);
  by_code_and_address_.erase(code + "|" + address);
  by_code_.erase(code);
}

void LoginThrottle::Forget(double now) {
  last_sweep_ = now;
  for (Counters* counters : {&by_code_and_address_, &by_address_, &by_code_}) {
    std::erase_if(*counters, [&](const auto& item) { return Forgotten(item.second, now); });
  }
}

}  // namespace egovbox::identity
