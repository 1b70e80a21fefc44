// Routes for operators and monitoring: /healthz, /readyz, /metrics, and the API
// description at /api/v1/openapi.yaml.
#pragma once

#include <functional>
#include <string>

#include "http/metrics.h"
#include "http/router.h"
#include "store/database.h"

namespace egovbox::app {

// `more_metrics` adds other modules' series (the SFU's) to /metrics.
void AddOperationsRoutes(http::Router& router, store::Database& database, const http::Metrics& metrics,
                         std::function<std::string()> more_metrics);

}  // namespace egovbox::app
