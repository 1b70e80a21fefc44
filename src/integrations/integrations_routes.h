// The integrations module's HTTP API (see docs/api/openapi.yaml and
// docs/integrations.md): requests, the review queue and its decisions, the
// catalogue, and which routes of other modules accept API tokens with which
// scope (Route::scopes).
#pragma once

#include "http/router.h"
#include "integrations/integration_service.h"

namespace egovbox::integrations {

// Adds /api/v1/integrations/... and lets API tokens call the routes their scopes
// name (GrantApiScopes): call it after the identity and meetings routes are added.
void AddIntegrationsRoutes(http::Router& router, IntegrationService& integrations);
// directory:read → GET /api/v1/employees, GET /api/v1/departments;
// meetings:read → GET /api/v1/meetings/upcoming, GET /api/v1/meetings/{id};
// meetings:write → POST /api/v1/meetings. Logs a route that is missing.
void GrantApiScopes(http::Router& router);
void RegisterIntegrationsProblems();

}  // namespace egovbox::integrations
