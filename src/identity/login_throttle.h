// Exponential back-off for failed sign-ins, kept in memory (one node; several
// nodes will keep it in Redis).
//
// Three counters, each with its own threshold and ceiling:
//  - per code and client address: the usual case of one person (or one attacker)
//    guessing at one code; backs off up to 15 minutes;
//  - per client address: one attacker trying many codes; up to an hour;
//  - per code, from anywhere: many addresses guessing at one code. Its ceiling is
//    a minute, so an attacker cannot lock the real person out for longer than that,
//    yet cannot guess faster than about once a minute either.
// A counter is forgotten 15 minutes after its last failure, and the per-code
// counters on a successful sign-in. Times are seconds since the epoch with their
// fraction (a wait is never cut short by rounding to whole seconds); waits are
// answered in whole seconds, rounded up. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace egovbox::identity {

class LoginThrottle {
 public:
  struct Rule {
    int free_failures;  // failures allowed before any wait
    std::int64_t max_wait_seconds;
  };
  struct Policy {
    Rule code_and_address{5, 900};
    Rule address{30, 3600};
    Rule code{20, 60};
    std::int64_t forget_after_seconds = 900;
  };

  LoginThrottle() : LoginThrottle(Policy{}) {}
  explicit LoginThrottle(Policy policy) : policy_(policy) {}

  // Seconds the client must still wait before trying this code again; 0 = go ahead.
  std::int64_t WaitSeconds(const std::string& code, const std::string& address, double now) const;
  // Returns the wait that the failure starts (0 while under the threshold).
  std::int64_t RecordFailure(const std::string& code, const std::string& address, double now);
  void RecordSuccess(const std::string& code, const std::string& address);

 private:
  struct Counter {
    int failures = 0;
    double last_failure = 0;
  };
  using Counters = std::unordered_map<std::string, Counter>;

  std::int64_t Wait(const Counters& counters, const std::string& key, const Rule& rule, double now) const;
  bool Forgotten(const Counter& counter, double now) const;
  void Forget(double now);

  Policy policy_;
  mutable std::mutex mutex_;
  Counters by_code_and_address_;  // GUARDED_BY(mutex_)
  Counters by_address_;           // GUARDED_BY(mutex_)
  Counters by_code_;              // GUARDED_BY(mutex_)
  double last_sweep_ = 0;         // GUARDED_BY(mutex_)
};

}  // namespace egovbox::identity
