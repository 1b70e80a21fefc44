#include "identity/login_throttle.h"

#include <algorithm>

namespace egovbox::identity {
namespace {

constexpr std::int64_t kSweepEverySeconds = 60;

}  // namespace

std::int64_t LoginThrottle::Wait(const Counters& counters, const std::string& key, const Rule& rule,
                                 std::int64_t now) const {
  const auto found = counters.find(key);
  if (found == counters.end()) return 0;
  const Counter& counter = found->second;
  if (now - counter.last_failure >= policy_.forget_after_seconds) return 0;
  const int over = counter.failures - rule.free_failures;
  if (over < 0) return 0;
  // 1 s after reaching the threshold, then 2, 4, 8 ... up to the ceiling.
  const std::int64_t wait =
      over >= 30 ? rule.max_wait_seconds : std::min<std::int64_t>(1LL << over, rule.max_wait_seconds);
  return std::max<std::int64_t>(0, counter.last_failure + wait - now);
}

std::int64_t LoginThrottle::WaitSeconds(const std::string& code, const std::string& address, std::int64_t now) const {
  std::lock_guard lock(mutex_);
  return std::max({Wait(by_code_and_address_, code + "|" + address, policy_.code_and_address, now),
                   Wait(by_address_, address, policy_.address, now), Wait(by_code_, code, policy_.code, now)});
}

std::int64_t LoginThrottle::RecordFailure(const std::string& code, const std::string& address, std::int64_t now) {
  {
    std::lock_guard lock(mutex_);
    if (now - last_sweep_ >= kSweepEverySeconds) Forget(now);
    const std::string code_and_address = code + "|" + address;
    for (auto* entry : {&by_code_and_address_[code_and_address], &by_address_[address], &by_code_[code]}) {
      if (now - entry->last_failure >= policy_.forget_after_seconds) entry->failures = 0;
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

void LoginThrottle::Forget(std::int64_t now) {
  last_sweep_ = now;
  for (Counters* counters : {&by_code_and_address_, &by_address_, &by_code_}) {
    std::erase_if(*counters,
                  [&](const auto& item) { return now - item.second.last_failure >= policy_.forget_after_seconds; });
  }
}

}  // namespace egovbox::identity
