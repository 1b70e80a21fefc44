// API tokens of `api` integrations as http sees them (http::BearerAuthenticator):
// "Authorization: Bearer egbx_..." is looked up by its SHA-256; it is accepted
// while it has not expired or been revoked, its integration is approved and the
// administrator who requested the integration is active. The principal then acts
// as that administrator (so a meeting it creates has an organiser), with no roles
// and only the token's scopes. Each integration may make
// ApiRateLimiter::kDefaultCallsPerMinute calls a minute (429 with Retry-After
// beyond), and every call it makes on a route is audited as
// `integration.api-call` with the integration's name, the method, the route
// pattern and the status.
//
// Thread-safe. Blocks on the store: the dispatcher calls it on worker threads.
#pragma once

#include <functional>

#include "audit/audit_log.h"
#include "http/dispatcher.h"
#include "integrations/api_rate_limiter.h"
#include "store/database.h"

namespace egovbox::integrations {

class ApiTokenAuthenticator final : public http::BearerAuthenticator {
 public:
  using Clock = std::function<double()>;  // seconds since the epoch, with the fraction

  ApiTokenAuthenticator(store::Database& database, const audit::AuditLog& audit,
                        std::size_t calls_per_minute = ApiRateLimiter::kDefaultCallsPerMinute, Clock clock = nullptr);

  // 401 invalid-token (with WWW-Authenticate: Bearer error="invalid_token", RFC 6750
  // §3.1) or 429 integration-rate-limited (with Retry-After).
  http::Result<http::Principal> AuthenticateBearer(const http::Request& request, std::string_view token) override;
  void Record(const http::Request& request, const std::string& route_pattern, int status) noexcept override;

 private:
  store::Database& database_;
  const audit::AuditLog& audit_;
  ApiRateLimiter limiter_;
  Clock clock_;
};

}  // namespace egovbox::integrations
