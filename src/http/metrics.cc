#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace egovbox::http {

namespace {

// Any token is a valid method and the client picks it: other methods share one
// label, so that a client cannot add series without end.
const std::string& MethodLabel(const std::string& method) {
  static const std::array<std::string, 8> kKnown = {"GET",   "HEAD",   "POST",    "PUT",
                                                    "PATCH", "DELETE", "OPTIONS", "OTHER"};
  const auto found = std::find(kKnown.begin(), kKnown.end(), method);
  return found == kKnown.end() ? kKnown.back() : *found;
}

}  // namespace

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
  const std::string& method_label = MethodLabel(method);
  // Look up without building keys: no allocation once a series exists.
  const auto key = std::make_tuple(std::string_view(method_label), std::string_view(route), status);
  auto counter = shard.requests.find(key);
  if (counter == shard.requests.end())
    counter = shard.requests.emplace(std::make_tuple(method_label, route, status), 0).first;
  ++counter->second;
  auto histogram = shard.latency.find(std::string_view(route));
  if (histogram == shard.latency.end()) histogram = shard.latency.emplace(route, Histogram{}).first;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram->second.buckets[i];
  }
  ++histogram->second.count;
  histogram->second.sum += seconds;
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP egovbox_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE egovbox_http_requests_total counter\n";
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests;
  std::map<std::string, Histogram> latency;
  {
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_) {
      std::lock_guard shard_lock(shard->mutex);
      for (const auto& [key, count] : shard->requests) requests[key] += count;
      for (const auto& [route, histogram] : shard->latency) {
        Histogram& total = latency[route];
        for (std::size_t i = 0; i < kBuckets.size(); ++i) total.buckets[i] += histogram.buckets[i];
        total.count += histogram.count;
        total.sum += histogram.sum;
      }
    }
  }
  for (const auto& [key, count] : requests) {
    const auto& [method, route, status] = key;
    out += fmt::format("egovbox_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method, route,
                       status, count);
  }
  out += "# HELP egovbox_http_request_duration_seconds Time from a request's last byte read to its response.\n";
  out += "# TYPE egovbox_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency) {
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
