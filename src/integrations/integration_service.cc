#include "integrations/integration_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "crypto/random.h"
#include "identity/employee.h"
#include "integrations/integration_clients.h"
#include "integrations/integration_request.h"

namespace egovbox::integrations {
namespace {

using http::MakeProblem;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kClientIdBytes = 18;
constexpr std::size_t kSecretBytes = 32;

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Starts with the time in microseconds, so that decisions sort in the order they
// were made even within one second (IntegrationRepository::Decisions).
std::string DecisionId() {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return fmt::format("{:016x}-{}", micros, crypto::RandomToken(8));
}

bool IsStatus(std::string_view status) {
  return status == kStatusPending || status == kStatusApproved || status == kStatusRejected ||
         status == kStatusSuspended || status == kStatusRevoked;
}

bool Intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(),
                     [&](const std::string& x) { return std::find(b.begin(), b.end(), x) != b.end(); });
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

bool Actor::Has(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

IntegrationService::IntegrationService(store::Database& database, const audit::AuditLog& audit,
                                       http::FrameSources& frame_sources, Clock clock)
    : database_(database),
      audit_(audit),
      frame_sources_(frame_sources),
      clock_(clock ? std::move(clock) : Clock(SystemNow)) {
  RefreshFrameSources();
}

http::Result<Integration> IntegrationService::Request(const Actor& actor, IntegrationInput input) {
  if (!actor.Has(identity::kRoleAdministrator)) return MakeProblem(403, "forbidden");
  return database_.InTransaction(
      store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<Integration> {
        auto valid = ValidateRequest(std::move(input), [&tx](const std::string& department) {
          return IntegrationRepository::DepartmentExists(tx, department);
        });
        if (!valid) return valid.problem();
        const std::int64_t now = clock_();
        Integration integration;
        integration.id = crypto::RandomToken(kIdBytes);
        integration.request = std::move(*valid);
        integration.requested_by.id = actor.employee_id;
        integration.requested_at = now;
        integration.updated_at = now;
        if (integration.level() == kLevelSso) integration.client_id = crypto::RandomToken(kClientIdBytes);
        IntegrationRepository::Insert(tx, integration);
        IntegrationRepository::InsertDecision(
            tx, integration.id,
            {DecisionId(), std::string(DecisionName(Decision::kRequested)), {actor.employee_id, ""}, "", now});
        const auto& request = integration.request;
        Audit(tx, actor, "integration.requested", integration.id,
              {{"name", request.name},
               {"level", request.level},
               {"origins", request.origins},
               {"redirect_uris", request.redirect_uris},
               {"scopes", request.scopes}});
        auto stored = IntegrationRepository::Find(tx, integration.id);
        return WithHistory(tx, std::move(*stored));
      });
}

http::Result<std::vector<Integration>> IntegrationService::List(const Actor& actor,
                                                                const std::optional<std::string>& status) {
  if (!actor.Has(identity::kRoleAdministrator) && !actor.Has(identity::kRoleSecurityOfficer)) {
    return MakeProblem(403, "forbidden");
  }
  if (status && !IsStatus(*status)) return http::InvalidField("status");
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
    std::vector<Integration> list;
    for (auto& integration : IntegrationRepository::List(tx, status))
      list.push_back(WithHistory(tx, std::move(integration)));
    return list;
  });
}

http::Result<Integration> IntegrationService::Get(const Actor& actor, const std::string& id) {
  if (!actor.Has(identity::kRoleAdministrator) && !actor.Has(identity::kRoleSecurityOfficer)) {
    return MakeProblem(403, "forbidden");
  }
  return database_.InTransaction(store::TransactionMode::kRead,
                                 [&](store::Connection& tx) -> http::Result<Integration> {
                                   auto integration = IntegrationRepository::Find(tx, id);
                                   if (!integration) return MakeProblem(404, "integration-not-found");
                                   return WithHistory(tx, std::move(*integration));
                                 });
}

http::Result<DecisionOutcome> IntegrationService::Decide(const Actor& actor, const std::string& id, Decision decision,
                                                         const std::string& reason) {
  if (!actor.Has(identity::kRoleSecurityOfficer) || decision == Decision::kRequested) {
    return MakeProblem(403, "forbidden");
  }
  bool frames_changed = false;
  auto outcome = database_.InTransaction(
      store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<DecisionOutcome> {
        // The session already demands it of the role; checked again where it matters most.
        if (!IntegrationRepository::SecondFactorOn(tx, actor.employee_id)) {
          return MakeProblem(403, "totp-enrollment-required");
        }
        auto integration = IntegrationRepository::Find(tx, id);
        if (!integration) return MakeProblem(404, "integration-not-found");
        const std::string action(DecisionName(decision));
        if (GrantsAccess(decision) && integration->requested_by.id == actor.employee_id) {
          return MakeProblem(403, "integration-own-request", {{"action", action}});
        }
        const auto next = NextStatus(integration->status, decision);
        if (!next) {
          return MakeProblem(409, "integration-transition-not-allowed",
                             {{"status", integration->status}, {"action", action}});
        }
        if (NeedsReason(decision) && IsBlank(reason)) {
          return MakeProblem(400, "integration-reason-required", {{"field", "reason"}});
        }
        const std::int64_t now = clock_();
        const std::string previous = integration->status;
        IntegrationRepository::UpdateStatus(tx, id, std::string(*next), now);
        IntegrationRepository::InsertDecision(tx, id, {DecisionId(), action, {actor.employee_id, ""}, reason, now});

        Credentials credentials;
        // The first approval makes the credentials; a reinstatement brings the same ones back.
        if (decision == Decision::kApproved && integration->level() == kLevelSso) {
          const std::string secret = crypto::RandomToken(kSecretBytes);
          IntegrationRepository::SetClientSecretHash(tx, id, HashSecret(secret));
          credentials.client_id = integration->client_id;
          credentials.client_secret = secret;
        } else if (decision == Decision::kApproved && integration->level() == kLevelApi) {
          const std::string token = std::string(kApiTokenPrefix) + crypto::RandomToken(kSecretBytes);
          const ApiTokenInfo info{crypto::RandomToken(kIdBytes), now, now + kApiTokenLifetimeSeconds, std::nullopt};
          IntegrationRepository::InsertApiToken(tx, id, info, HashSecret(token), integration->request.scopes);
          credentials.api_token = token;
          credentials.api_token_expires_at = info.expires_at;
        }
        if (decision == Decision::kRevoked) IntegrationRepository::RevokeGrants(tx, id, integration->client_id, now);

        nlohmann::json detail = {{"name", integration->request.name},
                                 {"level", integration->level()},
                                 {"from", previous},
                                 {"to", std::string(*next)}};
        if (!reason.empty()) detail["reason"] = reason;
        if (credentials.api_token) detail["api_token_expires_at"] = *credentials.api_token_expires_at;
        Audit(tx, actor, "integration." + action, id, std::move(detail));
        frames_changed = integration->level() == kLevelEmbed;
        auto stored = IntegrationRepository::Find(tx, id);
        return DecisionOutcome{WithHistory(tx, std::move(*stored)), std::move(credentials)};
      });
  if (outcome && frames_changed) RefreshFrameSources();
  return outcome;
}

std::vector<CatalogueEntry> IntegrationService::Catalogue(const Actor& actor) {
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
    const auto department = IntegrationRepository::DepartmentOf(tx, actor.employee_id);
    std::vector<CatalogueEntry> visible;
    for (auto& entry : IntegrationRepository::Catalogue(tx)) {
      const bool role_ok = entry.visible_roles.empty() || Intersects(entry.visible_roles, actor.roles);
      const bool department_ok =
          entry.visible_departments.empty() ||
          (department && std::find(entry.visible_departments.begin(), entry.visible_departments.end(), *department) !=
                             entry.visible_departments.end());
      if (role_ok && department_ok) visible.push_back(std::move(entry));
    }
    return visible;
  });
}

void IntegrationService::RefreshFrameSources() {
  const std::lock_guard lock(refresh_mutex_);
  const auto origins = database_.InTransaction(store::TransactionMode::kRead, [](store::Connection& tx) {
    return IntegrationRepository::ApprovedEmbedOrigins(tx);
  });
  frame_sources_.Set(origins);
  spdlog::debug("integrations: frame-src has {} approved origins", origins.size());
}

Integration IntegrationService::WithHistory(store::Connection& connection, Integration integration) const {
  integration.decisions = IntegrationRepository::Decisions(connection, integration.id);
  if (integration.level() == kLevelApi)
    integration.api_tokens = IntegrationRepository::ApiTokens(connection, integration.id);
  return integration;
}

void IntegrationService::Audit(store::Connection& tx, const Actor& actor, const std::string& action,
                               const std::string& id, nlohmann::json detail) const {
  audit_.Append(tx, {actor.employee_id, action, id, actor.client_address, std::move(detail)});
}

}  // namespace egovbox::integrations
