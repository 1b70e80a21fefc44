#include "integrations/api_token_authenticator.h"

#include <gtest/gtest.h>

#include "integrations/api_rate_limiter.h"
#include "integrations_world.h"

namespace egovbox::integrations::test {
namespace {

class ApiTokenAuthenticatorTest : public IntegrationsWorld {
 protected:
  // An approved api integration's token.
  std::string ApprovedToken(std::vector<std::string> scopes = {"directory:read", "meetings:write"}) {
    auto input = ApiInput();
    input.scopes = std::move(scopes);
    integration_ = Requested(input);
    auto outcome = Decided(integration_.id, Decision::kApproved, "");
    EXPECT_TRUE(outcome.credentials.api_token);
    return outcome.credentials.api_token.value_or("");
  }
  static http::Request Call() {
    http::Request request;
    request.method = http::Method::kGet;
    request.method_name = "GET";
    request.client_address = "198.51.100.7";
    return request;
  }
  int Status(const std::string& token) {
    auto principal = tokens_.AuthenticateBearer(Call(), token);
    return principal ? 200 : principal.problem().status;
  }

  Integration integration_;
};

TEST_F(ApiTokenAuthenticatorTest, AnApprovedTokenActsAsTheRequestingAdministratorWithItsScopesOnly) {
  const std::string token = ApprovedToken();
  EXPECT_TRUE(token.starts_with("egbx_"));
  EXPECT_EQ(Count("SELECT count(*) FROM api_tokens WHERE token_hash = ?", {HashSecret(token)}), 1);
  auto principal = tokens_.AuthenticateBearer(Call(), token);
  ASSERT_TRUE(principal) << principal.problem().slug;
  EXPECT_EQ(principal->subject_id, "admin");
  EXPECT_EQ(principal->integration_id, integration_.id);
  EXPECT_EQ(principal->integration_name, "Деловодство");
  EXPECT_EQ(principal->scopes, (std::vector<std::string>{"directory:read", "meetings:write"}));
  EXPECT_TRUE(principal->roles.empty());
  EXPECT_TRUE(principal->csrf_token.empty());
  EXPECT_TRUE(principal->ViaBearerToken());
}

TEST_F(ApiTokenAuthenticatorTest, UnknownExpiredSuspendedAndRevokedTokensGet401WithAChallenge) {
  const std::string token = ApprovedToken();
  auto unknown = tokens_.AuthenticateBearer(Call(), "egbx_nothing");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.problem().status, 401);
  EXPECT_EQ(unknown.problem().slug, "invalid-token");
  ASSERT_EQ(unknown.problem().headers.size(), 1u);
  EXPECT_EQ(unknown.problem().headers[0].second, R"(Bearer error="invalid_token")");
  EXPECT_EQ(Status(std::string(300, 'a')), 401);

  Decided(integration_.id, Decision::kSuspended, "проверка");
  EXPECT_EQ(Status(token), 401);
  Decided(integration_.id, Decision::kReinstated, "");
  EXPECT_EQ(Status(token), 200);

  now_ += IntegrationService::kApiTokenLifetimeSeconds;
  EXPECT_EQ(Status(token), 401);
  now_ -= 1;
  EXPECT_EQ(Status(token), 200);

  Decided(integration_.id, Decision::kRevoked, "край");
  EXPECT_EQ(Status(token), 401);
  EXPECT_EQ(Count("SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL"), 1);
}

TEST_F(ApiTokenAuthenticatorTest, ASuspendedRequesterStopsTheToken) {
  const std::string token = ApprovedToken();
  Execute("UPDATE employees SET status = 'suspended' WHERE id = 'admin'");
  EXPECT_EQ(Status(token), 401);
}

TEST_F(ApiTokenAuthenticatorTest, EachIntegrationHasItsOwnRateAnd429SaysWhenToComeBack) {
  const std::string token = ApprovedToken();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Status(token), 200);
  auto limited = tokens_.AuthenticateBearer(Call(), token);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.problem().status, 429);
  EXPECT_EQ(limited.problem().slug, "integration-rate-limited");
  ASSERT_EQ(limited.problem().headers.size(), 1u);
  EXPECT_EQ(limited.problem().headers[0], (std::pair<std::string, std::string>{"Retry-After", "60"}));

  const std::string other = ApprovedToken({"meetings:read"});
  EXPECT_EQ(Status(other), 200);
  now_ += 60;
  EXPECT_EQ(Status(token), 200);
}

TEST_F(ApiTokenAuthenticatorTest, RecordAuditsTheCallWithTheIntegrationsName) {
  const std::string token = ApprovedToken();
  auto request = Call();
  request.principal = *tokens_.AuthenticateBearer(request, token);
  tokens_.Record(request, "/api/v1/employees", 200);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'integration.api-call' AND actor_id = 'admin'"
                  " AND subject = ? AND detail LIKE '%Деловодство%' AND detail LIKE '%/api/v1/employees%'",
                  {integration_.id}),
            1);
}

TEST(ApiRateLimiterTest, ASlidingMinuteAdmitsTheLimitAndNoMore) {
  ApiRateLimiter limiter(2);
  EXPECT_EQ(limiter.Admit("a", 100.0), 0);
  EXPECT_EQ(limiter.Admit("a", 130.5), 0);
  EXPECT_EQ(limiter.Admit("a", 131.0), 29);  // the first call leaves the window at 160
  EXPECT_EQ(limiter.Admit("b", 131.0), 0);
  EXPECT_EQ(limiter.Admit("a", 160.0), 0);
  EXPECT_EQ(limiter.Admit("a", 160.1), 31);  // refused calls do not count
  EXPECT_EQ(limiter.Admit("a", 190.6), 0);
}

TEST(ApiRateLimiterTest, ALimitOfZeroAdmitsNothing) {
  ApiRateLimiter limiter(0);
  EXPECT_GT(limiter.Admit("a", 1.0), 0);
}

}  // namespace
}  // namespace egovbox::integrations::test
