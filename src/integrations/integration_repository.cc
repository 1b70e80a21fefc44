#include "integrations/integration_repository.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace egovbox::integrations {
namespace {

constexpr const char* kSelectIntegration =
    "SELECT i.id, i.name, i.level, i.owner, i.purpose, i.launch_url, i.origins, i.redirect_uris, i.scopes,"
    " i.visible_roles, i.visible_departments, i.status, i.requested_by, e.name, i.requested_at, i.updated_at,"
    " i.client_id, i.client_secret_hash FROM integrations i JOIN employees e ON e.id = i.requested_by ";

Integration ReadIntegration(const store::Row& row) {
  Integration integration;
  integration.id = row.Text(0);
  auto& request = integration.request;
  request.name = row.Text(1);
  request.level = row.Text(2);
  request.owner = row.Text(3);
  request.purpose = row.Text(4);
  request.launch_url = row.Text(5);
  request.origins = ListFromJson(row.Text(6));
  request.redirect_uris = ListFromJson(row.Text(7));
  request.scopes = ListFromJson(row.Text(8));
  request.visible_roles = ListFromJson(row.Text(9));
  request.visible_departments = ListFromJson(row.Text(10));
  integration.status = row.Text(11);
  integration.requested_by = {row.Text(12), row.Text(13)};
  integration.requested_at = row.Int(14);
  integration.updated_at = row.Int(15);
  integration.client_id = row.OptionalText(16);
  integration.client_secret_hash = row.OptionalText(17);
  return integration;
}

}  // namespace

std::string ListToJson(const std::vector<std::string>& list) {
  return nlohmann::json(list).dump();
}

std::vector<std::string> ListFromJson(const std::string& text) {
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> list;
  if (!parsed.is_array()) return list;
  for (const auto& item : parsed) {
    if (item.is_string()) list.push_back(item.get<std::string>());
  }
  return list;
}

void IntegrationRepository::Insert(store::Connection& connection, const Integration& integration) {
  const auto& request = integration.request;
  connection.Execute(
      "INSERT INTO integrations (id, name, level, owner, purpose, launch_url, origins, redirect_uris, scopes,"
      " visible_roles, visible_departments, status, requested_by, requested_at, updated_at, client_id,"
      " client_secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {integration.id, request.name, request.level, request.owner, request.purpose, request.launch_url,
       ListToJson(request.origins), ListToJson(request.redirect_uris), ListToJson(request.scopes),
       ListToJson(request.visible_roles), ListToJson(request.visible_departments), integration.status,
       integration.requested_by.id, integration.requested_at, integration.updated_at,
       store::OptionalText(integration.client_id), store::OptionalText(integration.client_secret_hash)});
}

std::optional<Integration> IntegrationRepository::Find(store::Connection& connection, const std::string& id) {
  auto row = connection.QueryOne(std::string(kSelectIntegration) + "WHERE i.id = ?", {id});
  if (!row) return std::nullopt;
  return ReadIntegration(*row);
}

std::optional<Integration> IntegrationRepository::FindByClientId(store::Connection& connection,
                                                                 const std::string& client_id) {
  auto row =
      connection.QueryOne(std::string(kSelectIntegration) + "WHERE i.client_id = ? AND i.level = 'sso'", {client_id});
  if (!row) return std::nullopt;
  return ReadIntegration(*row);
}

std::vector<Integration> IntegrationRepository::List(store::Connection& connection,
                                                     const std::optional<std::string>& status) {
  std::vector<Integration> list;
  const auto rows =
      status ? connection.Query(
                   std::string(kSelectIntegration) + "WHERE i.status = ? ORDER BY i.requested_at DESC, i.id", {*status})
             : connection.Query(std::string(kSelectIntegration) + "ORDER BY i.requested_at DESC, i.id");
  list.reserve(rows.size());
  for (const auto& row : rows) list.push_back(ReadIntegration(row));
  return list;
}

void IntegrationRepository::UpdateStatus(store::Connection& connection, const std::string& id,
                                         const std::string& status, std::int64_t now) {
  connection.Execute("UPDATE integrations SET status = ?, updated_at = ? WHERE id = ?", {status, now, id});
}

void IntegrationRepository::SetClientSecretHash(store::Connection& connection, const std::string& id,
                                                const std::string& hash) {
  connection.Execute("UPDATE integrations SET client_secret_hash = ? WHERE id = ?", {hash, id});
}

void IntegrationRepository::InsertDecision(store::Connection& connection, const std::string& integration_id,
                                           const DecisionRecord& decision) {
  connection.Execute(
      "INSERT INTO integration_decisions (id, integration_id, actor_id, action, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
      {decision.id, integration_id, decision.actor.id, decision.action, decision.reason, decision.at});
}

std::vector<DecisionRecord> IntegrationRepository::Decisions(store::Connection& connection,
                                                             const std::string& integration_id) {
  std::vector<DecisionRecord> decisions;
  // Decision ids begin with the time in microseconds (IntegrationService), which
  // keeps the order of two decisions in the same second on either backend.
  for (const auto& row :
       connection.Query("SELECT d.id, d.action, d.actor_id, e.name, d.reason, d.at FROM integration_decisions d"
                        " JOIN employees e ON e.id = d.actor_id WHERE d.integration_id = ? ORDER BY d.at, d.id",
                        {integration_id})) {
    decisions.push_back({row.Text(0), row.Text(1), {row.Text(2), row.Text(3)}, row.Text(4), row.Int(5)});
  }
  return decisions;
}

void IntegrationRepository::InsertApiToken(store::Connection& connection, const std::string& integration_id,
                                           const ApiTokenInfo& token, const std::string& token_hash,
                                           const std::vector<std::string>& scopes) {
  connection.Execute(
      "INSERT INTO api_tokens (id, integration_id, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, "
      "?)",
      {token.id, integration_id, token_hash, ListToJson(scopes), token.created_at, token.expires_at});
}

std::vector<ApiTokenInfo> IntegrationRepository::ApiTokens(store::Connection& connection,
                                                           const std::string& integration_id) {
  std::vector<ApiTokenInfo> tokens;
  for (const auto& row : connection.Query("SELECT id, created_at, expires_at, revoked_at FROM api_tokens"
                                          " WHERE integration_id = ? ORDER BY created_at, id",
                                          {integration_id})) {
    tokens.push_back({row.Text(0), row.Int(1), row.Int(2), row.OptionalInt(3)});
  }
  return tokens;
}

std::optional<ApiTokenGrant> IntegrationRepository::FindApiToken(store::Connection& connection,
                                                                 const std::string& token_hash) {
  auto row = connection.QueryOne(
      "SELECT t.id, i.id, i.name, i.status, i.requested_by, e.status, t.scopes, t.expires_at, t.revoked_at"
      " FROM api_tokens t JOIN integrations i ON i.id = t.integration_id JOIN employees e ON e.id = i.requested_by"
      " WHERE t.token_hash = ?",
      {token_hash});
  if (!row) return std::nullopt;
  return ApiTokenGrant{row->Text(0),
                       row->Text(1),
                       row->Text(2),
                       row->Text(3),
                       row->Text(4),
                       row->Text(5) == "active",
                       ListFromJson(row->Text(6)),
                       row->Int(7),
                       row->OptionalInt(8)};
}

void IntegrationRepository::RevokeGrants(store::Connection& connection, const std::string& integration_id,
                                         const std::optional<std::string>& client_id, std::int64_t now) {
  if (client_id) {
    connection.Execute("DELETE FROM oidc_codes WHERE client_id = ? AND used_at IS NULL", {*client_id});
    connection.Execute("UPDATE oidc_refresh_tokens SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL",
                       {now, *client_id});
    connection.Execute("UPDATE oidc_access_tokens SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL",
                       {now, *client_id});
  }
  connection.Execute("UPDATE api_tokens SET revoked_at = ? WHERE integration_id = ? AND revoked_at IS NULL",
                     {now, integration_id});
}

std::vector<std::string> IntegrationRepository::ApprovedEmbedOrigins(store::Connection& connection) {
  std::vector<std::string> origins;
  for (const auto& row :
       connection.Query("SELECT origins FROM integrations WHERE status = 'approved' AND level = 'embed'")) {
    for (auto& origin : ListFromJson(row.Text(0))) origins.push_back(std::move(origin));
  }
  std::sort(origins.begin(), origins.end());
  origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
  return origins;
}

std::vector<CatalogueEntry> IntegrationRepository::Catalogue(store::Connection& connection) {
  std::vector<CatalogueEntry> entries;
  for (const auto& row : connection.Query(
           "SELECT id, name, level, purpose, launch_url, visible_roles, visible_departments FROM integrations"
           " WHERE status = 'approved' AND level IN ('link', 'embed', 'sso') ORDER BY name, id")) {
    entries.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), ListFromJson(row.Text(5)),
                       ListFromJson(row.Text(6))});
  }
  return entries;
}

bool IntegrationRepository::DepartmentExists(store::Connection& connection, const std::string& department_id) {
  return connection.QueryOne("SELECT 1 FROM departments WHERE id = ?", {department_id}).has_value();
}

std::optional<std::string> IntegrationRepository::DepartmentOf(store::Connection& connection,
                                                               const std::string& employee_id) {
  auto row = connection.QueryOne("SELECT department_id FROM employees WHERE id = ?", {employee_id});
  if (!row) return std::nullopt;
  return row->OptionalText(0);
}

bool IntegrationRepository::SecondFactorOn(store::Connection& connection, const std::string& employee_id) {
  return connection.QueryOne("SELECT 1 FROM employees WHERE id = ? AND totp_secret IS NOT NULL", {employee_id})
      .has_value();
}

}  // namespace egovbox::integrations
