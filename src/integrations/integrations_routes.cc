#include "integrations/integrations_routes.h"

#include <spdlog/spdlog.h>

#include "http/json_input.h"
#include "http/rfc3339.h"
#include "identity/employee.h"
#include "integrations/integration_request.h"

namespace egovbox::integrations {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxTextBytes = 8192;  // the request's own limits are checked by ValidateRequest
constexpr std::size_t kMaxListLength = 100;

const std::vector<std::string> kAdministrators = {std::string(identity::kRoleAdministrator)};
const std::vector<std::string> kReviewers = {std::string(identity::kRoleAdministrator),
                                             std::string(identity::kRoleSecurityOfficer)};
const std::vector<std::string> kSecurityOfficers = {std::string(identity::kRoleSecurityOfficer)};

Actor ActorOf(const Request& request) {
  return {request.principal->subject_id, request.principal->roles, request.client_address};
}

json PersonJson(const PersonRef& person) {
  return {{"id", person.id}, {"name", person.name}};
}

json IntegrationJson(const Integration& integration) {
  const auto& request = integration.request;
  json decisions = json::array();
  for (const auto& decision : integration.decisions) {
    decisions.push_back({{"action", decision.action},
                         {"actor", PersonJson(decision.actor)},
                         {"reason", decision.reason},
                         {"at", http::FormatRfc3339Utc(decision.at)}});
  }
  json out = {{"id", integration.id},
              {"name", request.name},
              {"level", request.level},
              {"owner", request.owner},
              {"purpose", request.purpose},
              {"launch_url", request.launch_url},
              {"origins", request.origins},
              {"redirect_uris", request.redirect_uris},
              {"scopes", request.scopes},
              {"visible_roles", request.visible_roles},
              {"visible_departments", request.visible_departments},
              {"status", integration.status},
              {"requested_by", PersonJson(integration.requested_by)},
              {"requested_at", http::FormatRfc3339Utc(integration.requested_at)},
              {"updated_at", http::FormatRfc3339Utc(integration.updated_at)},
              {"client_id", integration.client_id ? json(*integration.client_id) : json()},
              {"decisions", std::move(decisions)}};
  if (request.level == kLevelApi) {
    json tokens = json::array();
    for (const auto& token : integration.api_tokens) {
      tokens.push_back({{"id", token.id},
                        {"created_at", http::FormatRfc3339Utc(token.created_at)},
                        {"expires_at", http::FormatRfc3339Utc(token.expires_at)},
                        {"revoked_at", token.revoked_at ? json(http::FormatRfc3339Utc(*token.revoked_at)) : json()}});
    }
    out["api_tokens"] = std::move(tokens);
  }
  return out;
}

json CredentialsJson(const Credentials& credentials) {
  json out = json::object();
  if (credentials.client_secret) {
    out["client_id"] = credentials.client_id.value_or("");
    out["client_secret"] = *credentials.client_secret;
  }
  if (credentials.api_token) {
    out["api_token"] = *credentials.api_token;
    out["expires_at"] = http::FormatRfc3339Utc(credentials.api_token_expires_at.value_or(0));
  }
  return out;
}

http::Result<std::string> TextField(const json& body, const char* field) {
  auto value = http::OptionalString(body, field, kMaxTextBytes);
  if (!value) return value.problem();
  return value->value_or("");
}

http::Result<std::vector<std::string>> ListField(const json& body, const char* field) {
  const auto found = body.find(field);
  std::vector<std::string> list;
  if (found == body.end() || found->is_null()) return list;
  if (!found->is_array() || found->size() > kMaxListLength) return http::InvalidField(field);
  for (const auto& item : *found) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > kMaxTextBytes) {
      return http::InvalidField(field);
    }
    list.push_back(item.get<std::string>());
  }
  return list;
}

http::Result<IntegrationInput> ReadInput(const json& body) {
  IntegrationInput input;
  for (auto [field, target] :
       {std::pair{"name", &input.name}, std::pair{"level", &input.level}, std::pair{"owner", &input.owner},
        std::pair{"purpose", &input.purpose}, std::pair{"launch_url", &input.launch_url}}) {
    auto value = TextField(body, field);
    if (!value) return value.problem();
    *target = std::move(*value);
  }
  for (auto [field, target] : {std::pair{"origins", &input.origins}, std::pair{"redirect_uris", &input.redirect_uris},
                               std::pair{"scopes", &input.scopes}, std::pair{"visible_roles", &input.visible_roles},
                               std::pair{"visible_departments", &input.visible_departments}}) {
    auto value = ListField(body, field);
    if (!value) return value.problem();
    *target = std::move(*value);
  }
  return input;
}

Response Create(IntegrationService& integrations, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto input = ReadInput(*body);
  if (!input) return Response::FromProblem(input.problem());
  auto created = integrations.Request(ActorOf(request), std::move(*input));
  if (!created) return Response::FromProblem(created.problem());
  return Response::Json(201, IntegrationJson(*created));
}

Response List(IntegrationService& integrations, Request& request) {
  auto list = integrations.List(ActorOf(request), request.QueryParam("status"));
  if (!list) return Response::FromProblem(list.problem());
  json items = json::array();
  for (const auto& integration : *list) items.push_back(IntegrationJson(integration));
  return Response::Json(200, {{"items", std::move(items)}});
}

Response Get(IntegrationService& integrations, Request& request) {
  auto integration = integrations.Get(ActorOf(request), request.PathParam("id"));
  if (!integration) return Response::FromProblem(integration.problem());
  return Response::Json(200, IntegrationJson(*integration));
}

Response Catalogue(IntegrationService& integrations, Request& request) {
  json items = json::array();
  for (const auto& entry : integrations.Catalogue(ActorOf(request))) {
    items.push_back({{"id", entry.id},
                     {"name", entry.name},
                     {"level", entry.level},
                     {"purpose", entry.purpose},
                     {"launch_url", entry.launch_url}});
  }
  return Response::Json(200, {{"items", std::move(items)}});
}

// The body is optional ({"reason": ...}); an approval needs none.
Response Decide(IntegrationService& integrations, Request& request, Decision decision) {
  std::string reason;
  if (!request.body.empty()) {
    auto body = http::ParseJsonObject(request);
    if (!body) return Response::FromProblem(body.problem());
    auto text = http::OptionalString(*body, "reason", kMaxReasonBytes);
    if (!text) return Response::FromProblem(text.problem());
    reason = text->value_or("");
  }
  auto outcome = integrations.Decide(ActorOf(request), request.PathParam("id"), decision, reason);
  if (!outcome) return Response::FromProblem(outcome.problem());
  json out = IntegrationJson(outcome->integration);
  const json credentials = CredentialsJson(outcome->credentials);
  if (!credentials.empty()) out["credentials"] = credentials;
  return Response::Json(200, out);
}

}  // namespace

void AddIntegrationsRoutes(http::Router& router, IntegrationService& integrations) {
  const auto add = [&router, &integrations](Method method, const char* pattern,
                                            Response (*handler)(IntegrationService&, Request&),
                                            std::vector<std::string> roles) {
    router.Add({method, pattern, Access::kSignedIn,
                [&integrations, handler](Request& request) { return handler(integrations, request); },
                std::move(roles)});
  };
  add(Method::kGet, "/api/v1/integrations", List, kReviewers);
  add(Method::kPost, "/api/v1/integrations", Create, kAdministrators);
  // Before /api/v1/integrations/{id}, which would match it too.
  add(Method::kGet, "/api/v1/integrations/catalogue", Catalogue, {});
  add(Method::kGet, "/api/v1/integrations/{id}", Get, kReviewers);
  for (const auto& [path, decision] : {std::pair{"/api/v1/integrations/{id}/approve", Decision::kApproved},
                                       std::pair{"/api/v1/integrations/{id}/reject", Decision::kRejected},
                                       std::pair{"/api/v1/integrations/{id}/suspend", Decision::kSuspended},
                                       std::pair{"/api/v1/integrations/{id}/reinstate", Decision::kReinstated},
                                       std::pair{"/api/v1/integrations/{id}/revoke", Decision::kRevoked}}) {
    router.Add(
        {Method::kPost, path, Access::kSignedIn,
         [&integrations, decision = decision](Request& request) { return Decide(integrations, request, decision); },
         kSecurityOfficers});
  }
  GrantApiScopes(router);
}

void GrantApiScopes(http::Router& router) {
  const std::initializer_list<std::tuple<Method, const char*, std::string_view>> grants = {
      {Method::kGet, "/api/v1/employees", kScopeDirectoryRead},
      {Method::kGet, "/api/v1/departments", kScopeDirectoryRead},
      {Method::kGet, "/api/v1/meetings/upcoming", kScopeMeetingsRead},
      {Method::kGet, "/api/v1/meetings/{id}", kScopeMeetingsRead},
      {Method::kPost, "/api/v1/meetings", kScopeMeetingsWrite},
  };
  for (const auto& [method, pattern, scope] : grants) {
    if (!router.AllowScope(method, pattern, std::string(scope))) {
      spdlog::warn("integrations: no route {} {} for the scope {}", http::MethodName(method), pattern, scope);
    }
  }
}

}  // namespace egovbox::integrations
