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

void Metrics::Record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{MethodLabel(method), route, status}];
  Histogram& histogram = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP egovbox_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE egovbox_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("egovbox_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method, route,
                       status, count);
  }
  out += "# HELP egovbox_http_request_duration_seconds Time from a request's last byte read to its response.\n";
  out += "# TYPE egovbox_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
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
