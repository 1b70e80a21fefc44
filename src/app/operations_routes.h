// Routes for operators and monitoring: /healthz, /readyz, /metrics, and the API
// description at /api/v1/openapi.yaml.
#pragma once

#include "http/metrics.h"
#include "http/router.h"
#include "store/database.h"

namespace egovbox::app {

void AddOperationsRoutes(http::Router& router, store::Database& database, const http::Metrics& metrics);

}  // namespace egovbox::app
