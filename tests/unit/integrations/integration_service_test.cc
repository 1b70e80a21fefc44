#include "integrations/integration_service.h"

#include <gtest/gtest.h>

#include "integrations/integration_clients.h"
#include "integrations_world.h"

namespace egovbox::integrations::test {
namespace {

using IntegrationServiceTest = IntegrationsWorld;

TEST_F(IntegrationServiceTest, AnAdministratorRequestsAndItStartsPendingWithItsHistoryAndAudit) {
  const auto integration = Requested(EmbedInput());
  EXPECT_EQ(integration.status, "pending");
  EXPECT_EQ(integration.requested_by.id, "admin");
  EXPECT_EQ(integration.requested_by.name, "Име admin");
  ASSERT_EQ(integration.decisions.size(), 1u);
  EXPECT_EQ(integration.decisions[0].action, "requested");
  EXPECT_FALSE(integration.client_id);
  EXPECT_EQ(
      Count("SELECT count(*) FROM audit_log WHERE action = 'integration.requested' AND subject = ?", {integration.id}),
      1);
}

TEST_F(IntegrationServiceTest, NobodyButAnAdministratorRequests) {
  for (const auto* actor : {&officer_, &employee_}) {
    auto created = service_.Request(*actor, EmbedInput());
    ASSERT_FALSE(created);
    EXPECT_EQ(created.problem().status, 403);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM integrations"), 0);
}

TEST_F(IntegrationServiceTest, ARequestWithAnUnknownDepartmentIsRefusedAndNothingIsWritten) {
  auto input = EmbedInput();
  input.visible_departments = {"d1", "nope"};
  auto created = service_.Request(administrator_, input);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.problem().slug, "integration-department-unknown");
  EXPECT_EQ(Count("SELECT count(*) FROM integrations"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM integration_decisions"), 0);
}

TEST_F(IntegrationServiceTest, OnlyASecurityOfficerWithTheSecondFactorDecides) {
  const auto integration = Requested(EmbedInput());
  for (const auto* actor : {&administrator_, &employee_}) {
    auto outcome = service_.Decide(*actor, integration.id, Decision::kApproved, "");
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.problem().slug, "forbidden");
  }
  auto outcome = service_.Decide(officer_without_totp_, integration.id, Decision::kApproved, "");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.problem().slug, "totp-enrollment-required");
  EXPECT_EQ(Count("SELECT count(*) FROM integrations WHERE status = 'pending'"), 1);
}

TEST_F(IntegrationServiceTest, AnOfficerNeverGrantsAccessToTheirOwnRequestButMayStopIt) {
  auto own = service_.Request(admin_officer_, EmbedInput());
  ASSERT_TRUE(own);
  auto approved = service_.Decide(admin_officer_, own->id, Decision::kApproved, "");
  ASSERT_FALSE(approved);
  EXPECT_EQ(approved.problem().status, 403);
  EXPECT_EQ(approved.problem().slug, "integration-own-request");

  Decided(own->id, Decision::kApproved);
  Decided(own->id, Decision::kSuspended, "проверка", &admin_officer_);
  auto reinstated = service_.Decide(admin_officer_, own->id, Decision::kReinstated, "");
  ASSERT_FALSE(reinstated);
  EXPECT_EQ(reinstated.problem().slug, "integration-own-request");
  Decided(own->id, Decision::kRevoked, "изтекъл договор", &admin_officer_);
}

TEST_F(IntegrationServiceTest, AWrongTransitionIsAConflictAndChangesNothing) {
  const auto integration = Requested(EmbedInput());
  auto early = service_.Decide(officer_, integration.id, Decision::kSuspended, "");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.problem().status, 409);
  EXPECT_EQ(early.problem().slug, "integration-transition-not-allowed");
  Decided(integration.id, Decision::kRejected, "няма договор");
  for (const auto decision :
       {Decision::kApproved, Decision::kRejected, Decision::kSuspended, Decision::kReinstated, Decision::kRevoked}) {
    auto late = service_.Decide(other_officer_, integration.id, decision, "причина");
    ASSERT_FALSE(late);
    EXPECT_EQ(late.problem().status, 409) << DecisionName(decision);
  }
  auto stored = service_.Get(officer_, integration.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, "rejected");
  ASSERT_EQ(stored->decisions.size(), 2u);
  EXPECT_EQ(stored->decisions[1].reason, "няма договор");
}

TEST_F(IntegrationServiceTest, RejectionAndRevocationNeedAReason) {
  const auto integration = Requested(EmbedInput());
  auto rejected = service_.Decide(officer_, integration.id, Decision::kRejected, "  ");
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.problem().slug, "integration-reason-required");
  Decided(integration.id, Decision::kApproved, "");
  auto revoked = service_.Decide(officer_, integration.id, Decision::kRevoked, "");
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.problem().slug, "integration-reason-required");
}

TEST_F(IntegrationServiceTest, TheWholeLifeIsKeptInOrderAndAudited) {
  const auto integration = Requested(EmbedInput());
  Decided(integration.id, Decision::kApproved, "");
  Decided(integration.id, Decision::kSuspended, "проверка");
  Decided(integration.id, Decision::kReinstated, "");
  const auto last = Decided(integration.id, Decision::kRevoked, "край");
  std::vector<std::string> actions;
  for (const auto& decision : last.integration.decisions) actions.push_back(decision.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"requested", "approved", "suspended", "reinstated", "revoked"}));
  EXPECT_EQ(last.integration.status, "revoked");
  for (const char* action :
       {"integration.approved", "integration.suspended", "integration.reinstated", "integration.revoked"}) {
    EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = ? AND subject = ? AND actor_id = 'officer'",
                    {std::string(action), integration.id}),
              1)
        << action;
  }
}

TEST_F(IntegrationServiceTest, TheFrameSourcesHoldAnEmbedsOriginsExactlyWhileItIsApproved) {
  EXPECT_NE(Policy().find("frame-src 'none'"), std::string::npos);
  const auto integration = Requested(EmbedInput("https://gis.sofia.bg:8443"));
  EXPECT_EQ(Policy().find("gis.sofia.bg"), std::string::npos);
  Decided(integration.id, Decision::kApproved, "");
  EXPECT_NE(Policy().find("frame-src https://gis.sofia.bg:8443"), std::string::npos) << Policy();
  Decided(integration.id, Decision::kSuspended, "проверка");
  EXPECT_EQ(Policy().find("gis.sofia.bg"), std::string::npos);
  Decided(integration.id, Decision::kReinstated, "");
  EXPECT_NE(Policy().find("https://gis.sofia.bg:8443"), std::string::npos);
  Decided(integration.id, Decision::kRevoked, "край");
  EXPECT_NE(Policy().find("frame-src 'none'"), std::string::npos);
}

TEST_F(IntegrationServiceTest, FrameSourcesAreReadFromTheStoreAtStart) {
  const auto integration = Requested(EmbedInput());
  Decided(integration.id, Decision::kApproved, "");
  http::FrameSources fresh;
  const IntegrationService restarted(db_.database(), audit_, fresh, [this] { return now_; });
  EXPECT_NE(fresh.Policy()->find("frame-src https://gis.sofia.bg"), std::string::npos);
}

TEST_F(IntegrationServiceTest, AnSsoClientGetsItsIdAtTheRequestAndItsSecretOnceAtApproval) {
  const auto integration = Requested(SsoInput());
  ASSERT_TRUE(integration.client_id);
  auto connection = db_.database().Acquire();
  auto pending = FindClient(*connection, *integration.client_id);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->status, "pending");
  EXPECT_FALSE(FindApprovedClient(*connection, *integration.client_id));

  const auto outcome = Decided(integration.id, Decision::kApproved, "");
  ASSERT_TRUE(outcome.credentials.client_secret);
  EXPECT_EQ(outcome.credentials.client_id, integration.client_id);
  EXPECT_GE(outcome.credentials.client_secret->size(), 43u);  // 32 bytes, base64url
  auto client = FindApprovedClient(*connection, *integration.client_id);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->integration_id, integration.id);
  EXPECT_EQ(client->redirect_uris, std::vector<std::string>{"https://e.sofia.bg/cb"});
  EXPECT_EQ(client->scopes, (std::vector<std::string>{"openid", "email"}));
  EXPECT_TRUE(VerifyClientSecret(*client, *outcome.credentials.client_secret));
  EXPECT_FALSE(VerifyClientSecret(*client, *outcome.credentials.client_secret + "x"));
  EXPECT_FALSE(VerifyClientSecret(*client, ""));
  EXPECT_EQ(Count("SELECT count(*) FROM integrations WHERE client_secret_hash = ?",
                  {HashSecret(*outcome.credentials.client_secret)}),
            1);
  EXPECT_EQ(
      Count("SELECT count(*) FROM audit_log WHERE detail LIKE ?", {"%" + *outcome.credentials.client_secret + "%"}), 0);

  Decided(integration.id, Decision::kSuspended, "проверка");
  EXPECT_FALSE(FindApprovedClient(*connection, *integration.client_id));
  const auto reinstated = Decided(integration.id, Decision::kReinstated, "");
  EXPECT_FALSE(reinstated.credentials.client_secret);  // the same secret comes back
  client = FindApprovedClient(*connection, *integration.client_id);
  ASSERT_TRUE(client);
  EXPECT_TRUE(VerifyClientSecret(*client, *outcome.credentials.client_secret));
  EXPECT_FALSE(FindClient(*connection, "no-such-client"));
  EXPECT_FALSE(FindClient(*connection, ""));
}

TEST_F(IntegrationServiceTest, RevocationEndsTheClientsCodesAndTokensAtOnce) {
  const auto integration = Requested(SsoInput());
  const std::string client = *integration.client_id;
  Decided(integration.id, Decision::kApproved, "");
  Execute(
      "INSERT INTO oidc_codes (code_hash, client_id, employee_id, redirect_uri, scopes, code_challenge, auth_time,"
      " expires_at, used_at) VALUES ('c1', ?, 'clerk', 'https://e.sofia.bg/cb', '[]', 'x', 0, 9999999999, NULL),"
      " ('c2', ?, 'clerk', 'https://e.sofia.bg/cb', '[]', 'x', 0, 9999999999, 5), ('c3', 'other', 'clerk', 'u',"
      " '[]', 'x', 0, 9999999999, NULL)",
      {client, client});
  Execute(
      "INSERT INTO oidc_refresh_tokens (token_hash, client_id, employee_id, scopes, family, issued_at, expires_at)"
      " VALUES ('r1', ?, 'clerk', '[]', 'f', 0, 9999999999), ('r2', 'other', 'clerk', '[]', 'g', 0, 9999999999)",
      {client});
  Execute(
      "INSERT INTO oidc_access_tokens (token_hash, client_id, employee_id, scopes, expires_at)"
      " VALUES ('a1', ?, 'clerk', '[]', 9999999999), ('a2', 'other', 'clerk', '[]', 9999999999)",
      {client});
  now_ += 100;
  Decided(integration.id, Decision::kRevoked, "утечка");
  EXPECT_EQ(Count("SELECT count(*) FROM oidc_codes WHERE client_id = ?", {client}), 1);  // the used one stays
  EXPECT_EQ(Count("SELECT count(*) FROM oidc_codes WHERE client_id = 'other'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM oidc_refresh_tokens WHERE revoked_at = ?", {now_}), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM oidc_access_tokens WHERE revoked_at = ?", {now_}), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM oidc_refresh_tokens WHERE client_id = 'other' AND revoked_at IS NULL"), 1);
  auto connection = db_.database().Acquire();
  EXPECT_FALSE(FindApprovedClient(*connection, client));
}

TEST_F(IntegrationServiceTest, ListAndGetAreForAdministratorsAndSecurityOfficers) {
  const auto first = Requested(EmbedInput());
  const auto second = Requested(ApiInput());
  Decided(second.id, Decision::kApproved, "");
  auto all = service_.List(officer_, std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto pending = service_.List(administrator_, std::string("pending"));
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().id, first.id);
  auto bad = service_.List(officer_, std::string("lost"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.problem().slug, "invalid-field");
  EXPECT_EQ(service_.List(employee_, std::nullopt).problem().status, 403);
  EXPECT_EQ(service_.Get(employee_, first.id).problem().status, 403);
  EXPECT_EQ(service_.Get(officer_, "missing").problem().slug, "integration-not-found");
  auto api = service_.Get(officer_, second.id);
  ASSERT_TRUE(api);
  ASSERT_EQ(api->api_tokens.size(), 1u);
  EXPECT_EQ(api->api_tokens[0].expires_at, kStart + IntegrationService::kApiTokenLifetimeSeconds);
}

TEST_F(IntegrationServiceTest, TheCatalogueShowsApprovedTilesToThoseTheyAreVisibleTo) {
  auto everyone = EmbedInput();
  everyone.name = "А за всички";
  auto finance = EmbedInput("https://fin.sofia.bg");
  finance.name = "Б финанси";
  finance.level = "link";
  finance.origins.clear();
  finance.visible_departments = {"d1"};
  auto councillors = EmbedInput("https://council.sofia.bg");
  councillors.name = "В съветници";
  councillors.visible_roles = {"councillor"};
  auto pending = EmbedInput("https://pending.sofia.bg");
  pending.name = "Г чака";
  const auto api = Requested(ApiInput());
  std::vector<std::string> ids;
  for (const auto& input : {everyone, finance, councillors}) {
    ids.push_back(Requested(input).id);
    Decided(ids.back(), Decision::kApproved, "");
  }
  Requested(pending);
  Decided(api.id, Decision::kApproved, "");

  const auto names = [this](const Actor& actor) {
    std::vector<std::string> out;
    for (const auto& entry : service_.Catalogue(actor)) out.push_back(entry.name);
    return out;
  };
  EXPECT_EQ(names(employee_), (std::vector<std::string>{"А за всички", "Б финанси"}));
  EXPECT_EQ(names(officer_), std::vector<std::string>{"А за всички"});
  const auto councillor = AddEmployee("councillor", {"councillor"}, false, "d2");
  EXPECT_EQ(names(councillor), (std::vector<std::string>{"А за всички", "В съветници"}));
  Decided(ids[0], Decision::kSuspended, "проверка");
  EXPECT_EQ(names(employee_), std::vector<std::string>{"Б финанси"});
}

}  // namespace
}  // namespace egovbox::integrations::test
