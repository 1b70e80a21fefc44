// SQL for integrations, their decisions and their API tokens, and the clean-up
// of an integration's OpenID Connect grants on revocation. Every function runs on
// the connection it is given, so the caller decides the transaction. Throws
// StoreError. Reads identity's `employees` and `departments`, never writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "integrations/integration.h"
#include "store/database.h"

namespace egovbox::integrations {

// An API token as authentication needs it.
struct ApiTokenGrant {
  std::string token_id;
  std::string integration_id;
  std::string integration_name;
  std::string integration_status;
  std::string acting_employee_id;  // the administrator who requested the integration
  bool acting_employee_active = false;
  std::vector<std::string> scopes;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// What the catalogue shows, with what decides who sees it.
struct CatalogueEntry {
  std::string id;
  std::string name;
  std::string level;
  std::string purpose;
  std::string launch_url;
  std::vector<std::string> visible_roles;
  std::vector<std::string> visible_departments;
};

class IntegrationRepository {
 public:
  static void Insert(store::Connection& connection, const Integration& integration);
  // Without decisions and tokens; nullopt when there is none.
  static std::optional<Integration> Find(store::Connection& connection, const std::string& id);
  static std::optional<Integration> FindByClientId(store::Connection& connection, const std::string& client_id);
  // Newest request first; `status` narrows when set.
  static std::vector<Integration> List(store::Connection& connection, const std::optional<std::string>& status);
  static void UpdateStatus(store::Connection& connection, const std::string& id, const std::string& status,
                           std::int64_t now);
  static void SetClientSecretHash(store::Connection& connection, const std::string& id, const std::string& hash);

  static void InsertDecision(store::Connection& connection, const std::string& integration_id,
                             const DecisionRecord& decision);
  static std::vector<DecisionRecord> Decisions(store::Connection& connection, const std::string& integration_id);

  static void InsertApiToken(store::Connection& connection, const std::string& integration_id,
                             const ApiTokenInfo& token, const std::string& token_hash,
                             const std::vector<std::string>& scopes);
  static std::vector<ApiTokenInfo> ApiTokens(store::Connection& connection, const std::string& integration_id);
  static std::optional<ApiTokenGrant> FindApiToken(store::Connection& connection, const std::string& token_hash);

  // Revocation: deletes the client's unused authorization codes and marks its
  // refresh tokens, access tokens and the integration's API tokens revoked.
  static void RevokeGrants(store::Connection& connection, const std::string& integration_id,
                           const std::optional<std::string>& client_id, std::int64_t now);

  // The origins of every approved `embed` integration, sorted, without duplicates.
  static std::vector<std::string> ApprovedEmbedOrigins(store::Connection& connection);
  // Approved link, embed and sso integrations, by name.
  static std::vector<CatalogueEntry> Catalogue(store::Connection& connection);

  static bool DepartmentExists(store::Connection& connection, const std::string& department_id);
  static std::optional<std::string> DepartmentOf(store::Connection& connection, const std::string& employee_id);
  static bool SecondFactorOn(store::Connection& connection, const std::string& employee_id);
};

// JSON array columns.
std::string ListToJson(const std::vector<std::string>& list);
std::vector<std::string> ListFromJson(const std::string& text);

}  // namespace egovbox::integrations
