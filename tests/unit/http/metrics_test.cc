#include "http/metrics.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

namespace egovbox::http {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  std::istringstream lines(text);
  for (std::string candidate; std::getline(lines, candidate);) {
    if (candidate == line) return true;
  }
  return false;
}

TEST(MetricsTest, CountsRequestsByMethodRouteAndStatus) {
  Metrics metrics;
  metrics.Record("GET", "/api/v1/me", 200, 0.002);
  metrics.Record("GET", "/api/v1/me", 200, 0.004);
  metrics.Record("GET", "/api/v1/me", 401, 0.001);
  metrics.Record("POST", "/api/v1/session", 201, 0.3);
  const std::string text = metrics.Render();
  EXPECT_TRUE(HasLine(text, "# TYPE egovbox_http_requests_total counter")) << text;
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_requests_total{method="GET",route="/api/v1/me",status="200"} 2)")) << text;
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_requests_total{method="POST",route="/api/v1/session",status="201"} 1)"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  metrics.Record("GET", "/r", 200, 0.00390625);  // 2^-8: falls in le=0.005 and above
  metrics.Record("GET", "/r", 200, 0.125);       // le=0.25 and above
  metrics.Record("GET", "/r", 200, 4.0);         // only +Inf
  const std::string text = metrics.Render();
  EXPECT_TRUE(HasLine(text, "# TYPE egovbox_http_request_duration_seconds histogram")) << text;
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="0.0025"} 0)")) << text;
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="0.005"} 1)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="0.1"} 1)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="0.25"} 2)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="2.5"} 2)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="+Inf"} 3)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_count{route="/r"} 3)"));
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_request_duration_seconds_sum{route="/r"} 4.12890625)")) << text;
}

TEST(MetricsTest, ABucketBoundIsInclusive) {
  Metrics metrics;
  metrics.Record("GET", "/r", 200, 0.5);
  EXPECT_TRUE(HasLine(metrics.Render(), R"(egovbox_http_request_duration_seconds_bucket{route="/r",le="0.5"} 1)"));
}

TEST(MetricsTest, ReportsOpenAndRejectedConnections) {
  Metrics metrics;
  metrics.ConnectionOpened();
  metrics.ConnectionOpened();
  metrics.ConnectionOpened();
  metrics.ConnectionClosed();
  metrics.ConnectionRejected();
  EXPECT_EQ(metrics.open_connections(), 2);
  const std::string text = metrics.Render();
  EXPECT_TRUE(HasLine(text, "# TYPE egovbox_http_open_connections gauge"));
  EXPECT_TRUE(HasLine(text, "egovbox_http_open_connections 2")) << text;
  EXPECT_TRUE(HasLine(text, "egovbox_http_rejected_connections_total 1")) << text;
}

TEST(MetricsTest, EmptyMetricsStillRenderEveryFamily) {
  const std::string text = Metrics().Render();
  EXPECT_TRUE(HasLine(text, "# TYPE egovbox_http_requests_total counter"));
  EXPECT_TRUE(HasLine(text, "# TYPE egovbox_http_request_duration_seconds histogram"));
  EXPECT_TRUE(HasLine(text, "egovbox_http_open_connections 0"));
  EXPECT_TRUE(HasLine(text, "egovbox_http_rejected_connections_total 0"));
}

TEST(MetricsTest, UnknownMethodsShareOneLabel) {
  // The method comes from the client: any token is a valid HTTP method, and a
  // label per token would let a client grow the metrics without bound.
  Metrics metrics;
  metrics.Record("BREW", "unmatched", 404, 0.001);
  metrics.Record("XYZZY", "unmatched", 404, 0.001);
  metrics.Record("GET", "unmatched", 404, 0.001);
  const std::string text = metrics.Render();
  EXPECT_EQ(text.find("BREW"), std::string::npos) << text;
  EXPECT_EQ(text.find("XYZZY"), std::string::npos) << text;
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_requests_total{method="OTHER",route="unmatched",status="404"} 2)")) << text;
  EXPECT_TRUE(HasLine(text, R"(egovbox_http_requests_total{method="GET",route="unmatched",status="404"} 1)"));
}

TEST(MetricsTest, RecordIsSafeFromManyThreads) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) metrics.Record("GET", "/r", 200, 0.001);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(HasLine(metrics.Render(), R"(egovbox_http_requests_total{method="GET",route="/r",status="200"} 4000)"));
}

}  // namespace
}  // namespace egovbox::http
