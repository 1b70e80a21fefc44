#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace egovbox::http {
namespace {

// Any token is a valid method and the client picks it: other methods share one
// label, so that a client cannot add series without end.
constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "OTHER"};

std::size_t MethodIndex(std::string_view method) {
  const auto found = std::find(kMethods.begin(), kMethods.end(), method);
  return found == kMethods.end() ? kMethods.size() - 1 : static_cast<std::size_t>(found - kMethods.begin());
}

std::uint64_t NextInstanceId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

}  // namespace

Metrics::Metrics() : id_(NextInstanceId()) {}

Metrics::Shard& Metrics::LocalShard() {
  // A thread records for few Metrics instances (one in the server, several in tests).
  thread_local std::vector<std::pair<std::uint64_t, Shard*>> shards;
  for (const auto& [id, shard] : shards) {
    if (id == id_) return *shard;
  }
  std::lock_guard lock(shards_mutex_);
  shards_.push_back(std::make_unique<Shard>());
  shards.emplace_back(id_, shards_.back().get());
  return *shards_.back();
}

void Metrics::Record(const std::string& method, const std::string& route, int status, double seconds) {
  Shard& shard = LocalShard();
  std::lock_guard lock(shard.mutex);
  auto series = shard.routes.find(std::string_view(route));
  if (series == shard.routes.end()) series = shard.routes.emplace(route, RouteSeries{}).first;
  ++series->second.requests[{MethodIndex(method), status}];
  Histogram& histogram = series->second.latency;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::Render() const {
  Routes routes;
  {
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_) {
      std::lock_guard shard_lock(shard->mutex);
      for (const auto& [route, series] : shard->routes) {
        RouteSeries& total = routes[route];
        for (const auto& [key, count] : series.requests) total.requests[key] += count;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) total.latency.buckets[i] += series.latency.buckets[i];
        total.latency.count += series.latency.count;
        total.latency.sum += series.latency.sum;
      }
    }
  }
  std::string out;
  out += "# HELP egovbox_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE egovbox_http_requests_total counter\n";
  for (const auto& [route, series] : routes) {
    for (const auto& [key, count] : series.requests) {
      out += fmt::format("egovbox_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                         kMethods[key.first], route, key.second, count);
    }
  }
  out += "# HELP egovbox_http_request_duration_seconds Time from a request's last byte read to its response.\n";
  out += "# TYPE egovbox_http_request_duration_seconds histogram\n";
  for (const auto& [route, series] : routes) {
    const Histogram& histogram = series.latency;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("egovbox_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kBuckets[i], histogram.buckets[i]);
    }
    out += fmt::format("egovbox_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                       histogram.count);
    out += fmt::format("egovbox_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, histogram.sum);
    out += fmt::format("egovbox_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, histogram.count);
  }
  out += "# HELP egovbox_http_open_connections Connections open now.\n";
  out += "# TYPE egovbox_http_open_connections gauge\n";
  out += fmt::format("egovbox_http_open_connections {}\n", open_connections_.load());
  out += "# HELP egovbox_http_rejected_connections_total Connections closed at once because the cap was reached.\n";
  out += "# TYPE egovbox_http_rejected_connections_total counter\n";
  out += fmt::format("egovbox_http_rejected_connections_total {}\n", rejected_connections_.load());
  return out;
}

}  // namespace egovbox::http
