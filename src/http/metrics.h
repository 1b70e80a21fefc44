// Prometheus counters for the HTTP server: requests by route and status, a latency
// histogram by route, open connections. Thread-safe. Each thread records into a
// shard of its own, so Record never waits for another thread (a contended lock
// would put an I/O thread to sleep); Render adds the shards up.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace egovbox::http {

class Metrics {
 public:
  // `route` is the route pattern (never the raw path, so labels stay few); a method
  // other than the standard ones is counted as "OTHER".
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void ConnectionRejected() { rejected_connections_.fetch_add(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

  // The text exposition format, version 0.0.4.
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  struct Shard {
    std::mutex mutex;  // taken by its own thread, and by Render
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t, std::less<>> requests;  // GUARDED_BY(mutex)
    std::map<std::string, Histogram, std::less<>> latency;                                     // GUARDED_BY(mutex)
  };
  Shard& LocalShard();

  const std::uint64_t id_ = next_id_.fetch_add(1);  // tells this instance's shards from another's
  static inline std::atomic<std::uint64_t> next_id_{1};
  mutable std::mutex shards_mutex_;
  std::vector<std::unique_ptr<Shard>> shards_;  // GUARDED_BY(shards_mutex_)
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> rejected_connections_{0};
};

}  // namespace egovbox::http
