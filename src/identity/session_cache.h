// Sessions recently checked against the store, kept in memory so that a hot
// read-only request (GET /api/v1/me) can be answered on the I/O thread without a
// trip to a worker and the database.
//
// An entry is trusted for at most `ttl` (one second by default) and only while the
// cache's generation has not moved since it was loaded: Forget() moves it, and the
// dispatcher calls it after every state-changing request of this process (sign-out,
// revocation, password or role change, suspension ...), so such a change takes
// effect at once. A change made by another process (`egovbox admin` on the same
// data directory, another node) takes effect within `ttl`. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/request.h"
#include "identity/employee.h"

namespace egovbox::identity {

class SessionCache {
 public:
  struct Entry {
    http::Principal principal;
    std::shared_ptr<const Employee> employee;
    std::string self_json;          // SelfJson(employee), rendered once per load for GET /api/v1/me
    std::int64_t last_seen_at = 0;  // as stored when loaded
    std::int64_t expires_at = 0;
  };

  explicit SessionCache(std::chrono::milliseconds ttl = std::chrono::seconds(1)) : ttl_(ttl) {}

  // Call before reading the store for an entry; pass it to Remember.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void Remember(const std::string& token_hash, Entry entry, std::uint64_t loaded_in_generation);
  // Shared, not copied: a hit costs no allocation.
  std::shared_ptr<const Entry> Find(const std::string& token_hash) const;
  void Forget();

 private:
  struct Stored {
    std::shared_ptr<const Entry> entry;
    std::uint64_t generation;
    std::chrono::steady_clock::time_point loaded;
  };
  static constexpr std::size_t kMaxEntries = 20000;

  std::chrono::milliseconds ttl_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Stored> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace egovbox::identity
