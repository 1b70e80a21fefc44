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
#include <utility>
#include <vector>

namespace egovbox::http {

class Metrics {
 public:
  Metrics();

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
  // Everything recorded for one route.
  struct RouteSeries {
    std::map<std::pair<std::size_t, int>, std::uint64_t> requests;  // (method index, status) -> count
    Histogram latency;
  };
  using Routes = std::map<std::string, RouteSeries, std::less<>>;  // found by string_view: no key to build
  struct Shard {
    std::mutex mutex;  // taken by its own thread, and by Render
    Routes routes;     // GUARDED_BY(mutex)
  };
  Shard& LocalShard();

  const std::uint64_t id_;  // tells this instance's shards from another's
  mutable std::mutex shards_mutex_;
  std::vector<std::unique_ptr<Shard>> shards_;  // GUARDED_BY(shards_mutex_)
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> rejected_connections_{0};
};

}  // namespace egovbox::http
