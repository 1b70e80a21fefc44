#include "integrations/api_token_authenticator.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "integrations/integration.h"
#include "integrations/integration_clients.h"
#include "integrations/integration_repository.h"

namespace egovbox::integrations {
namespace {

constexpr std::size_t kMaxTokenBytes = 200;

double SystemNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

http::Problem InvalidToken() {
  http::Problem problem = http::MakeProblem(401, "invalid-token");
  problem.headers.emplace_back("WWW-Authenticate", R"(Bearer error="invalid_token")");
  return problem;
}

}  // namespace

ApiTokenAuthenticator::ApiTokenAuthenticator(store::Database& database, const audit::AuditLog& audit,
                                             std::size_t calls_per_minute, Clock clock)
    : database_(database),
      audit_(audit),
      limiter_(calls_per_minute),
      clock_(clock ? std::move(clock) : Clock(SystemNow)) {}

http::Result<http::Principal> ApiTokenAuthenticator::AuthenticateBearer(const http::Request& /*request*/,
                                                                        std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenBytes) return InvalidToken();
  const auto grant = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
    return IntegrationRepository::FindApiToken(tx, HashSecret(token));
  });
  const double now = clock_();
  if (!grant || grant->revoked_at || static_cast<double>(grant->expires_at) <= now ||
      grant->integration_status != kStatusApproved || !grant->acting_employee_active) {
    return InvalidToken();
  }
  if (const std::int64_t wait = limiter_.Admit(grant->integration_id, now); wait > 0) {
    http::Problem problem = http::MakeProblem(429, "integration-rate-limited", {{"seconds", wait}});
    problem.extensions["retry_after"] = wait;
    problem.headers.emplace_back("Retry-After", std::to_string(wait));
    return problem;
  }
  http::Principal principal;
  principal.subject_id = grant->acting_employee_id;
  principal.integration_id = grant->integration_id;
  principal.integration_name = grant->integration_name;
  principal.scopes = grant->scopes;
  return principal;
}

void ApiTokenAuthenticator::Record(const http::Request& request, const std::string& route_pattern,
                                   int status) noexcept {
  try {
    const auto& principal = *request.principal;
    audit_.Record({principal.subject_id,
                   "integration.api-call",
                   principal.integration_id,
                   request.client_address,
                   {{"integration", principal.integration_name},
                    {"method", request.method_name},
                    {"route", route_pattern},
                    {"status", status}}});
  } catch (const std::exception& error) {
    spdlog::error("integrations: the API call of {} could not be audited: {}", request.principal->integration_name,
                  error.what());
  }
}

}  // namespace egovbox::integrations
