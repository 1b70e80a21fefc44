#include "app/operations_routes.h"

#include <spdlog/spdlog.h>

#include "store/embedded_file.h"

namespace egovbox::app::api_description {
const std::vector<store::EmbeddedFile>& EmbeddedFiles();
}

namespace egovbox::app {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

void AddOperationsRoutes(http::Router& router, store::Database& database, const http::Metrics& metrics,
                         std::function<std::string()> more_metrics) {
  // Liveness: the process answers.
  router.Add({Method::kGet, "/healthz", Access::kPublic, [](Request&) {
                return Response::Json(200, {{"status", "ok"}});
              }});
  // Readiness: the store answers a query.
  router.Add({Method::kGet, "/readyz", Access::kPublic, [&database](Request&) {
                try {
                  auto connection = database.Acquire();
                  connection->QueryOne("SELECT 1");
                  return Response::Json(200, {{"status", "ready"}, {"store", database.Backend()}});
                } catch (const std::exception& error) {
                  spdlog::warn("readiness check failed: {}", error.what());
                  return Response::FromProblem(http::MakeProblem(503, "service-unavailable"));
                }
              }});
  router.Add({Method::kGet, "/metrics", Access::kPublic, [&metrics, more = std::move(more_metrics)](Request&) {
                Response response;
                response.body = metrics.Render();
                if (more) response.body += more();
                response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                response.SetHeader("Cache-Control", "no-store");
                return response;
              }});
  router.Add({Method::kGet, "/api/v1/openapi.yaml", Access::kPublic, [](Request&) {
                Response response;
                response.body = std::string(api_description::EmbeddedFiles().front().text);
                response.SetHeader("Content-Type", "application/yaml; charset=utf-8");
                return response;
              }});
}

}  // namespace egovbox::app
