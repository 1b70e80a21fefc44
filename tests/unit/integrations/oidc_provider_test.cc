#include "integrations/oidc_provider.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "identity/employee_repository.h"
#include "integrations/oidc_jws.h"
#include "temporary_database.h"

namespace egovbox::integrations {
namespace {

using nlohmann::json;

constexpr std::int64_t kStart = 1'700'000'000;
constexpr const char* kIssuer = "https://egov.example";
constexpr const char* kClientId = "portal-client";
constexpr const char* kSecret = "portal-secret-0123456789";
constexpr const char* kRedirect = "https://portal.example/callback";
// RFC 7636 Appendix B.
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

FormBody Form(const std::string& text) {
  auto form = ParseFormBody(text);
  EXPECT_TRUE(form) << text;
  return form.value_or(FormBody{});
}

// The query parameters of a redirect.
FormBody QueryOf(const std::string& location) {
  const auto question = location.find('?');
  return Form(question == std::string::npos ? "" : location.substr(question + 1));
}

std::string Base(const std::string& location) {
  return location.substr(0, location.find('?'));
}

json Payload(const std::string& jwt) {
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first + 1);
  return json::parse(*crypto::Base64UrlDecode(jwt.substr(first + 1, second - first - 1)));
}

class OidcProviderTest : public ::testing::Test {
 protected:
  OidcProviderTest()
      : audit_(db_.database()),
        keys_(db_.directory() / "oidc"),
        provider_(db_.database(), audit_, keys_, PairwiseSubjects(std::string(32, 'p')), OidcSettings{},
                  [this] { return now_; }) {
    provider_.SetIssuer(std::string(kIssuer) + "/");
    auto lease = db_.database().Acquire();
    identity::Employee maria;
    maria.id = "emp-maria";
    maria.code = "MARIA001";
    maria.name = "Мария Иванова";
    maria.email = "maria@example.org";
    maria.roles = {"employee"};
    maria.must_change_password = false;
    identity::EmployeeRepository::Insert(*lease, maria, kStart);
    lease->Execute(
        "INSERT INTO sessions (id, token_hash, employee_id, csrf_token, created_at, last_seen_at, expires_at)"
        " VALUES ('session-1', 'hash-1', 'emp-maria', 'csrf', ?, ?, ?)",
        {kStart - 100, kStart, kStart + 3600});
    AddIntegration(*lease, "int-portal", kClientId, "approved", HashSecret(kSecret));
    AddIntegration(*lease, "int-other", "other-client", "approved", HashSecret("other-secret"));
    AddIntegration(*lease, "int-pending", "pending-client", "pending", "");
    maria_.subject_id = "emp-maria";
    maria_.session_id = "session-1";
    maria_.roles = {"employee"};
  }

  static void AddIntegration(store::Connection& connection, const std::string& id, const std::string& client_id,
                             const std::string& status, const std::string& secret_hash) {
    connection.Execute(
        "INSERT INTO integrations (id, name, level, owner, purpose, launch_url, origins, redirect_uris, scopes,"
        " visible_roles, visible_departments, status, requested_by, requested_at, updated_at, client_id,"
        " client_secret_hash) VALUES (?, ?, 'sso', 'Община, отдел ИТ', 'Е-услуги', 'https://portal.example/',"
        " '[\"https://portal.example\"]', ?, '[\"openid\",\"profile\",\"email\"]', '[]', '[]', ?, 'emp-maria', ?, ?,"
        " ?, ?)",
        {id, "Портал " + id, json::array({kRedirect}).dump(), status, kStart, kStart, client_id,
         secret_hash.empty() ? store::Value() : store::Value(secret_hash)});
  }

  void SetStatus(const std::string& integration_id, const std::string& status) {
    db_.database().Acquire()->Execute("UPDATE integrations SET status = ? WHERE id = ?", {status, integration_id});
  }

  static std::string AuthorizeQuery(const std::string& extra = "", const std::string& client_id = kClientId) {
    return "response_type=code&client_id=" + client_id + "&redirect_uri=" + FormEncode(kRedirect) +
           "&scope=openid+profile&state=st-1&nonce=n-1&code_challenge=" + kChallenge + "&code_challenge_method=S256" +
           extra;
  }

  AuthorizeAnswer Authorize(const std::string& query, bool signed_in = true, std::string_view request_cookie = "") {
    return provider_.Authorize(Form(query), signed_in ? std::optional(maria_) : std::nullopt, request_cookie,
                               "127.0.0.1");
  }

  // Through the consent page: the code.
  std::string CodeWithConsent(const std::string& extra = "") {
    const auto answer = Authorize(AuthorizeQuery(extra));
    EXPECT_FALSE(answer.shown_error);
    const std::string prefix = "/oauth2/consent/";
    if (answer.location.rfind(prefix, 0) != 0) {
      // Consented before: straight back to the portal.
      return QueryOf(answer.location).Get("code").value_or("");
    }
    const auto decided =
        provider_.Decide(maria_, answer.location.substr(prefix.size()), answer.request_cookie, true, "127.0.0.1");
    EXPECT_TRUE(decided);
    return decided ? QueryOf(*decided).Get("code").value_or("") : "";
  }

  OidcAnswer Token(const std::string& form, const std::string& authorization = "") {
    return provider_.Token({authorization, Form(form)});
  }

  static std::string Credentials(const std::string& id = kClientId, const std::string& secret = kSecret) {
    return "&client_id=" + id + "&client_secret=" + secret;
  }

  OidcAnswer Exchange(const std::string& code, const std::string& verifier = kVerifier) {
    return Token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + FormEncode(kRedirect) +
                 "&code_verifier=" + verifier + Credentials());
  }

  OidcAnswer Refresh(const std::string& refresh_token, const std::string& extra = "") {
    return Token("grant_type=refresh_token&refresh_token=" + refresh_token + Credentials() + extra);
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions;
    for (const auto& row : db_.database().Acquire()->Query("SELECT action FROM audit_log ORDER BY seq")) {
      actions.push_back(row.Text(0));
    }
    return actions;
  }

  unit_test::TemporaryDatabase db_;
  audit::AuditLog audit_;
  OidcKeySet keys_;
  std::int64_t now_ = kStart;
  OidcProvider provider_;
  http::Principal maria_;
};

void ExpectError(const OidcAnswer& answer, const std::string& error, int status = 400) {
  ASSERT_TRUE(answer.error) << answer.body.dump();
  EXPECT_EQ(answer.error->error, error) << answer.error->description;
  EXPECT_EQ(answer.error->status, status);
}

TEST_F(OidcProviderTest, DiscoveryNamesTheIssuerAndWhatIsSupported) {
  const json discovery = provider_.Discovery();
  EXPECT_EQ(discovery.at("issuer"), kIssuer) << "the trailing slash is dropped";
  EXPECT_EQ(discovery.at("authorization_endpoint"), std::string(kIssuer) + "/oauth2/authorize");
  EXPECT_EQ(discovery.at("jwks_uri"), std::string(kIssuer) + "/oauth2/jwks");
  EXPECT_EQ(discovery.at("code_challenge_methods_supported"), json::array({"S256"}));
  EXPECT_EQ(discovery.at("id_token_signing_alg_values_supported"), json::array({"ES256"}));
  EXPECT_EQ(discovery.at("subject_types_supported"), json::array({"pairwise"}));
  EXPECT_EQ(discovery.at("request_uri_parameter_supported"), false);
}

TEST_F(OidcProviderTest, AnUnknownOrUnapprovedClientIsToldWithoutARedirect) {
  for (const std::string client : {"no-such-client", "pending-client"}) {
    const auto answer = Authorize(AuthorizeQuery("", client));
    ASSERT_TRUE(answer.shown_error) << client;
    EXPECT_EQ(answer.shown_error->error, "unauthorized_client");
    EXPECT_TRUE(answer.location.empty());
  }
  SetStatus("int-portal", "suspended");
  const auto suspended = Authorize(AuthorizeQuery());
  ASSERT_TRUE(suspended.shown_error);
  EXPECT_EQ(suspended.shown_error->error, "unauthorized_client");
}

TEST_F(OidcProviderTest, AnUnregisteredRedirectUriIsToldWithoutARedirect) {
  std::string query = AuthorizeQuery();
  query.replace(query.find("callback"), 8, "callbackx");
  const auto answer = Authorize(query);
  ASSERT_TRUE(answer.shown_error);
  EXPECT_EQ(answer.shown_error->error, "invalid_request");
  EXPECT_TRUE(answer.location.empty());
  EXPECT_TRUE(Authorize("response_type=code&redirect_uri=x").shown_error) << "no client_id";
  EXPECT_TRUE(Authorize(AuthorizeQuery("&client_id=other-client")).shown_error) << "client_id twice";
}

TEST_F(OidcProviderTest, OtherErrorsGoBackToThePortalWithTheState) {
  const auto expect_redirect_error = [this](const std::string& query, const std::string& error) {
    const auto answer = Authorize(query);
    ASSERT_FALSE(answer.shown_error) << query;
    EXPECT_EQ(Base(answer.location), kRedirect);
    const auto parameters = QueryOf(answer.location);
    EXPECT_EQ(parameters.Get("error"), error) << query;
    EXPECT_EQ(parameters.Get("state"), "st-1");
    EXPECT_EQ(parameters.Get("iss"), kIssuer);
    EXPECT_FALSE(parameters.Get("code"));
  };
  std::string without_pkce = AuthorizeQuery();
  without_pkce.erase(without_pkce.find("&code_challenge="));
  expect_redirect_error(without_pkce, "invalid_request");
  std::string plain = AuthorizeQuery();
  plain.replace(plain.find("S256"), 4, "plain");
  expect_redirect_error(plain, "invalid_request");
  std::string token_flow = AuthorizeQuery();
  token_flow.replace(token_flow.find("response_type=code"), 18, "response_type=token");
  expect_redirect_error(token_flow, "unsupported_response_type");
  std::string no_openid = AuthorizeQuery();
  no_openid.replace(no_openid.find("scope=openid+profile"), 20, "scope=profile");
  expect_redirect_error(no_openid, "invalid_scope");
  std::string not_approved = AuthorizeQuery();
  not_approved.replace(not_approved.find("scope=openid+profile"), 20, "scope=openid+roles");
  expect_redirect_error(not_approved, "invalid_scope");
  expect_redirect_error(AuthorizeQuery("&state=again"), "invalid_request");
  expect_redirect_error(AuthorizeQuery("&request_uri=https://x"), "request_uri_not_supported");
  expect_redirect_error(AuthorizeQuery("&prompt=none"), "consent_required");
}

TEST_F(OidcProviderTest, SomeoneNotSignedInGoesToTheConsentPageAndPromptNoneSaysLoginRequired) {
  const auto answer = Authorize(AuthorizeQuery(), false);
  ASSERT_FALSE(answer.shown_error);
  EXPECT_EQ(answer.location.rfind("/oauth2/consent/", 0), 0U) << answer.location;
  const auto none = Authorize(AuthorizeQuery("&prompt=none"), false);
  EXPECT_EQ(QueryOf(none.location).Get("error"), "login_required");
}

TEST_F(OidcProviderTest, TheConsentPageShowsThePortalAndTheScopesAndADenialSaysAccessDenied) {
  const auto answer = Authorize(AuthorizeQuery(), false);
  const std::string id = answer.location.substr(std::string("/oauth2/consent/").size());
  const std::string& cookie = answer.request_cookie;
  EXPECT_EQ(cookie.size(), 43U) << "32 random bytes, base64url";
  const auto consent = provider_.PendingConsent(maria_, id, cookie);
  ASSERT_TRUE(consent);
  EXPECT_EQ(consent->client_name, "Портал int-portal");
  EXPECT_EQ(consent->owner, "Община, отдел ИТ");
  EXPECT_EQ(consent->purpose, "Е-услуги");
  EXPECT_EQ(consent->scopes, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(consent->new_scopes, consent->scopes);
  EXPECT_TRUE(consent->consent_required);

  http::Principal ivan = maria_;
  ivan.subject_id = "emp-ivan";
  EXPECT_EQ(provider_.PendingConsent(ivan, id, cookie).problem().slug, "oidc-request-not-found") << "someone else's";

  const auto denied = provider_.Decide(maria_, id, cookie, false, "127.0.0.1");
  ASSERT_TRUE(denied);
  EXPECT_EQ(Base(*denied), kRedirect);
  EXPECT_EQ(QueryOf(*denied).Get("error"), "access_denied");
  EXPECT_EQ(QueryOf(*denied).Get("state"), "st-1");
  EXPECT_EQ(provider_.Decide(maria_, id, cookie, true, "127.0.0.1").problem().slug, "oidc-request-not-found")
      << "decided once";
  EXPECT_EQ(AuditActions(), std::vector<std::string>{"oidc.consent"});
}

TEST_F(OidcProviderTest, AConsentLinkOpenedInAnotherBrowserIsNotFoundAndNeverAllowed) {
  const std::string code = CodeWithConsent();  // maria consented before
  // Someone else's authorize, without a session: the link and their own cookie.
  const auto answer = Authorize(AuthorizeQuery(), false);
  const std::string id = answer.location.substr(std::string("/oauth2/consent/").size());
  ASSERT_FALSE(answer.request_cookie.empty());
  // Maria's browser opens the link: no cookie, or another one.
  const std::string other(43, 'A');
  for (const std::string_view cookie : {std::string_view{}, std::string_view{other}}) {
    EXPECT_EQ(provider_.PendingConsent(maria_, id, cookie).problem().slug, "oidc-request-not-found");
    EXPECT_EQ(provider_.Decide(maria_, id, cookie, true, "127.0.0.1").problem().slug, "oidc-request-not-found");
  }
  // Not bound to maria by those attempts, and still there for its own browser.
  http::Principal ivan = maria_;
  ivan.subject_id = "emp-ivan";
  EXPECT_TRUE(provider_.PendingConsent(ivan, id, answer.request_cookie));
  // A browser that has a cookie of ours keeps it for its next sign-in.
  EXPECT_EQ(Authorize(AuthorizeQuery(), false, answer.request_cookie).request_cookie, answer.request_cookie);
  EXPECT_NE(Authorize(AuthorizeQuery(), false, "not-ours").request_cookie, "not-ours");
}

TEST_F(OidcProviderTest, ConsentIsAskedOnceAndAgainForMoreScopesOrPromptConsent) {
  const std::string code = CodeWithConsent();
  EXPECT_FALSE(code.empty());
  // Consented: signed in, straight back to the portal with a code.
  const auto again = Authorize(AuthorizeQuery());
  EXPECT_EQ(Base(again.location), kRedirect);
  EXPECT_TRUE(QueryOf(again.location).Get("code"));
  EXPECT_EQ(QueryOf(again.location).Get("state"), "st-1");
  // Not signed in (the cookie stayed behind): the consent page says nothing is needed.
  const auto via_page = Authorize(AuthorizeQuery(), false);
  const auto consent = provider_.PendingConsent(maria_, via_page.location.substr(16), via_page.request_cookie);
  ASSERT_TRUE(consent);
  EXPECT_FALSE(consent->consent_required);
  // More scopes: asked again, for the new one.
  std::string wider = AuthorizeQuery();
  wider.replace(wider.find("scope=openid+profile"), 20, "scope=openid+profile+email");
  const auto asked = Authorize(wider);
  ASSERT_EQ(asked.location.rfind("/oauth2/consent/", 0), 0U);
  EXPECT_EQ(provider_.PendingConsent(maria_, asked.location.substr(16), asked.request_cookie)->new_scopes,
            std::vector<std::string>{"email"});
  EXPECT_EQ(Authorize(AuthorizeQuery("&prompt=consent")).location.rfind("/oauth2/consent/", 0), 0U);
  const auto actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "oidc.consent"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "oidc.authorized"), 2);
}

TEST_F(OidcProviderTest, TheCodeGivesASignedIdTokenAnAccessTokenAndARefreshToken) {
  const auto answer = Exchange(CodeWithConsent());
  ASSERT_FALSE(answer.error) << answer.error->description;
  EXPECT_EQ(answer.body.at("token_type"), "Bearer");
  EXPECT_EQ(answer.body.at("expires_in"), 600);
  EXPECT_EQ(answer.body.at("scope"), "openid profile");
  const json claims = Payload(answer.body.at("id_token"));
  EXPECT_EQ(claims.at("iss"), kIssuer);
  EXPECT_EQ(claims.at("aud"), kClientId);
  EXPECT_EQ(claims.at("nonce"), "n-1");
  EXPECT_EQ(claims.at("auth_time"), kStart - 100) << "when the session signed in";
  EXPECT_EQ(claims.at("iat"), kStart);
  EXPECT_EQ(claims.at("exp"), kStart + 600);
  EXPECT_EQ(claims.at("name"), "Мария Иванова");
  EXPECT_FALSE(claims.contains("email")) << "not asked for";
  EXPECT_EQ(claims.at("sub"), PairwiseSubjects(std::string(32, 'p')).Subject(kClientId, "emp-maria"));

  const auto info = provider_.UserInfo(answer.body.at("access_token").get<std::string>());
  ASSERT_FALSE(info.error);
  EXPECT_EQ(info.body, (json{{"sub", claims.at("sub")}, {"name", "Мария Иванова"}}));
  EXPECT_FALSE(Refresh(answer.body.at("refresh_token")).error);
}

TEST_F(OidcProviderTest, ClientSecretBasicWorksAndAWrongSecretIsInvalidClient) {
  const std::string code = CodeWithConsent();
  const std::string form = "grant_type=authorization_code&code=" + code + "&redirect_uri=" + FormEncode(kRedirect) +
                           "&code_verifier=" + kVerifier;
  ExpectError(Token(form + Credentials(kClientId, "wrong")), "invalid_client", 401);
  ExpectError(Token(form), "invalid_client", 401);
  const std::string basic = "Basic " + crypto::Base64Encode(std::string(kClientId) + ":" + kSecret);
  ExpectError(Token(form + "&client_secret=" + kSecret, basic), "invalid_request");
  ExpectError(Token(form, "Basic " + crypto::Base64Encode(std::string(kClientId) + ":wrong")), "invalid_client", 401);
  EXPECT_FALSE(Token(form, basic).error);
}

TEST_F(OidcProviderTest, AWrongVerifierIsInvalidGrantAndSpendsTheCode) {
  const std::string code = CodeWithConsent();
  ExpectError(Exchange(code, std::string(kVerifier).replace(0, 1, "e")), "invalid_grant");
  ExpectError(Exchange(code), "invalid_grant");
}

TEST_F(OidcProviderTest, AReusedCodeIsInvalidGrantAndRevokesWhatItGave) {
  const std::string code = CodeWithConsent();
  const auto first = Exchange(code);
  ASSERT_FALSE(first.error);
  ExpectError(Exchange(code), "invalid_grant");
  ExpectError(provider_.UserInfo(first.body.at("access_token").get<std::string>()), "invalid_token", 401);
  ExpectError(Refresh(first.body.at("refresh_token")), "invalid_grant");
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "oidc.code_reused"), actions.end());
}

TEST_F(OidcProviderTest, ACodeExpiresAfterSixtySeconds) {
  const std::string code = CodeWithConsent();
  now_ += 60;
  ExpectError(Exchange(code), "invalid_grant");
}

TEST_F(OidcProviderTest, TheRedirectUriMustBeTheSameAndTheCodeTheClientsOwn) {
  const std::string code = CodeWithConsent();
  ExpectError(Token("grant_type=authorization_code&code=" + code + "&redirect_uri=https%3A%2F%2Fportal.example%2F" +
                    "&code_verifier=" + kVerifier + Credentials()),
              "invalid_grant");
  const std::string other = CodeWithConsent();
  ExpectError(Token("grant_type=authorization_code&code=" + other + "&redirect_uri=" + FormEncode(kRedirect) +
                    "&code_verifier=" + kVerifier + Credentials("other-client", "other-secret")),
              "invalid_grant");
  ExpectError(Token("grant_type=password" + Credentials()), "unsupported_grant_type");
  ExpectError(Token("code=x" + Credentials()), "invalid_request");
}

TEST_F(OidcProviderTest, RefreshTokensRotateAndAReusedOneRevokesTheChain) {
  const auto first = Exchange(CodeWithConsent());
  const std::string refresh_1 = first.body.at("refresh_token");
  const auto second = Refresh(refresh_1);
  ASSERT_FALSE(second.error);
  const std::string refresh_2 = second.body.at("refresh_token");
  EXPECT_NE(refresh_2, refresh_1);
  EXPECT_FALSE(second.body.contains("id_token"));
  EXPECT_FALSE(provider_.UserInfo(second.body.at("access_token").get<std::string>()).error);

  ExpectError(Refresh(refresh_1), "invalid_grant");
  ExpectError(Refresh(refresh_2), "invalid_grant");  // the whole chain is revoked
  ExpectError(provider_.UserInfo(second.body.at("access_token").get<std::string>()), "invalid_token", 401);
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "oidc.refresh_token_reused"), actions.end());
}

TEST_F(OidcProviderTest, ARefreshMayNarrowTheScopeButNotWidenIt) {
  const auto first = Exchange(CodeWithConsent());
  ExpectError(Refresh(first.body.at("refresh_token"), "&scope=openid+email"), "invalid_scope");
  const auto narrower = Refresh(first.body.at("refresh_token"), "&scope=openid");
  ASSERT_FALSE(narrower.error);
  EXPECT_EQ(narrower.body.at("scope"), "openid");
}

TEST_F(OidcProviderTest, AnIntegrationThatLeavesApprovedStopsAtOnce) {
  const auto tokens = Exchange(CodeWithConsent());
  const std::string code = CodeWithConsent();
  SetStatus("int-portal", "suspended");
  ExpectError(Refresh(tokens.body.at("refresh_token")), "unauthorized_client");
  ExpectError(Exchange(code), "unauthorized_client");
  ExpectError(provider_.UserInfo(tokens.body.at("access_token").get<std::string>()), "invalid_token", 401);
  SetStatus("int-portal", "approved");
  EXPECT_FALSE(provider_.UserInfo(tokens.body.at("access_token").get<std::string>()).error) << "reinstated";
}

TEST_F(OidcProviderTest, ASuspendedPersonGetsNoTokens) {
  const auto tokens = Exchange(CodeWithConsent());
  db_.database().Acquire()->Execute("UPDATE employees SET status = 'suspended' WHERE id = 'emp-maria'");
  ExpectError(Refresh(tokens.body.at("refresh_token")), "invalid_grant");
  ExpectError(provider_.UserInfo(tokens.body.at("access_token").get<std::string>()), "invalid_token", 401);
}

TEST_F(OidcProviderTest, AccessTokensExpireAndUnknownOnesAreInvalid) {
  const auto tokens = Exchange(CodeWithConsent());
  ExpectError(provider_.UserInfo("no-such-token"), "invalid_token", 401);
  ExpectError(provider_.UserInfo(""), "invalid_token", 401);
  now_ += 600;
  ExpectError(provider_.UserInfo(tokens.body.at("access_token").get<std::string>()), "invalid_token", 401);
}

TEST_F(OidcProviderTest, RevocationEndsARefreshTokenAndItsAccessButNotAnotherClientsToken) {
  const auto tokens = Exchange(CodeWithConsent());
  const std::string refresh = tokens.body.at("refresh_token");
  const std::string access = tokens.body.at("access_token");
  EXPECT_FALSE(provider_.Revoke({"", Form("token=" + refresh + Credentials("other-client", "other-secret"))}));
  EXPECT_FALSE(provider_.UserInfo(access).error) << "another client cannot revoke it";
  EXPECT_FALSE(provider_.Revoke({"", Form("token=unknown-token" + Credentials())})) << "RFC 7009: 200";
  EXPECT_EQ(provider_.Revoke({"", Form("token=" + refresh + Credentials(kClientId, "wrong"))})->error,
            "invalid_client");
  EXPECT_EQ(provider_.Revoke({"", Form(Credentials())})->error, "invalid_request");
  EXPECT_FALSE(provider_.Revoke({"", Form("token=" + refresh + "&token_type_hint=refresh_token" + Credentials())}));
  ExpectError(Refresh(refresh), "invalid_grant");
  ExpectError(provider_.UserInfo(access), "invalid_token", 401);
}

TEST_F(OidcProviderTest, RevokingAnAccessTokenLeavesTheRefreshToken) {
  const auto tokens = Exchange(CodeWithConsent());
  EXPECT_FALSE(
      provider_.Revoke({"", Form("token=" + tokens.body.at("access_token").get<std::string>() + Credentials())}));
  ExpectError(provider_.UserInfo(tokens.body.at("access_token").get<std::string>()), "invalid_token", 401);
  EXPECT_FALSE(Refresh(tokens.body.at("refresh_token")).error);
}

TEST_F(OidcProviderTest, PurgeRemovesExpiredCodesAndTokens) {
  const auto tokens = Exchange(CodeWithConsent());
  CodeWithConsent();
  now_ += 31 * 24 * 60 * 60 + 1;
  provider_.PurgeExpired();
  auto lease = db_.database().Acquire();
  EXPECT_EQ(lease->QueryOne("SELECT count(*) FROM oidc_codes")->Int(0), 0);
  EXPECT_EQ(lease->QueryOne("SELECT count(*) FROM oidc_access_tokens")->Int(0), 0);
  EXPECT_EQ(lease->QueryOne("SELECT count(*) FROM oidc_refresh_tokens")->Int(0), 0);
}

}  // namespace
}  // namespace egovbox::integrations
