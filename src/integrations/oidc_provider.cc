#include "integrations/oidc_provider.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "identity/employee_repository.h"
#include "identity/session_service.h"
#include "integrations/integration.h"
#include "integrations/oidc_jws.h"
#include "integrations/oidc_repository.h"

namespace egovbox::integrations {
namespace {

using nlohmann::json;

constexpr std::size_t kSecretBytes = 32;  // codes, access and refresh tokens, request cookies: 256 bits
constexpr std::size_t kMaxStateLength = 2048;
constexpr std::size_t kMaxNonceLength = 512;
constexpr std::string_view kConsentPath = "/oauth2/consent/";

OidcError Error(std::string error, std::string description, int status = 400) {
  return OidcError{std::move(error), std::move(description), status};
}

OidcError InvalidClient(std::string description) {
  return Error("invalid_client", std::move(description), 401);
}

OidcAnswer Failed(OidcError error) {
  return OidcAnswer{std::move(error), json::object()};
}

std::string HashToken(std::string_view token) {
  return crypto::Sha256Hex(token);
}

// "https://portal/cb" + "?" or "&" + the parameters: a registered redirect URI
// may have a query of its own, which is kept (RFC 6749 §3.1.2).
std::string WithParameters(const std::string& uri, const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string result = uri;
  char separator = uri.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : parameters) {
    result += separator;
    result += FormEncode(name);
    result += '=';
    result += FormEncode(value);
    separator = '&';
  }
  return result;
}

// HTTP Basic credentials (RFC 7617) whose user and password are form-encoded
// (RFC 6749 §2.3.1). nullopt when the header is not Basic or does not decode.
std::optional<std::pair<std::string, std::string>> BasicCredentials(std::string_view header) {
  constexpr std::string_view kScheme = "basic ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  }
  std::string encoded(header.substr(kScheme.size()));
  while (!encoded.empty() && encoded.front() == ' ') encoded.erase(encoded.begin());
  // Standard base64 to base64url, without padding.
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  for (char& c : encoded) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  const auto decoded = crypto::Base64UrlDecode(encoded);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto user = FormDecode(std::string_view(*decoded).substr(0, colon));
  auto password = FormDecode(std::string_view(*decoded).substr(colon + 1));
  if (!user || !password) return std::nullopt;
  return std::make_pair(std::move(*user), std::move(*password));
}

// The request cookie the browser has, when it is one of ours (32 random bytes in
// base64url), else a new one.
std::string RequestCookieValue(std::string_view presented) {
  const auto decoded = crypto::Base64UrlDecode(presented);
  if (decoded && decoded->size() == kSecretBytes) return std::string(presented);
  return crypto::RandomToken(kSecretBytes);
}

bool IsActiveEmployee(const std::optional<identity::Employee>& employee) {
  return employee && employee->active();
}

}  // namespace

OidcProvider::OidcProvider(store::Database& database, const audit::AuditLog& audit, OidcKeySet& keys,
                           PairwiseSubjects subjects, OidcSettings settings, Clock clock)
    : database_(database),
      audit_(audit),
      keys_(keys),
      subjects_(std::move(subjects)),
      settings_(settings),
      clock_(clock ? std::move(clock) : Clock(identity::NowSeconds)) {}

void OidcProvider::SetIssuer(std::string issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  const std::lock_guard lock(issuer_mutex_);
  issuer_ = std::move(issuer);
}

std::string OidcProvider::issuer() const {
  const std::lock_guard lock(issuer_mutex_);
  return issuer_;
}

json OidcProvider::Discovery() const {
  const std::string base = issuer();
  const std::vector<std::string> auth_methods = {"client_secret_basic", "client_secret_post"};
  return {
      {"issuer", base},
      {"authorization_endpoint", base + "/oauth2/authorize"},
      {"token_endpoint", base + "/oauth2/token"},
      {"userinfo_endpoint", base + "/oauth2/userinfo"},
      {"jwks_uri", base + "/oauth2/jwks"},
      {"revocation_endpoint", base + "/oauth2/revoke"},
      {"scopes_supported", OidcScopes()},
      {"response_types_supported", {"code"}},
      {"response_modes_supported", {"query"}},
      {"grant_types_supported", {"authorization_code", "refresh_token"}},
      {"subject_types_supported", {"pairwise"}},
      {"id_token_signing_alg_values_supported", {"ES256"}},
      {"token_endpoint_auth_methods_supported", auth_methods},
      {"revocation_endpoint_auth_methods_supported", auth_methods},
      {"code_challenge_methods_supported", {"S256"}},
      {"claims_supported",
       {"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name", "email", "department", "roles"}},
      {"prompt_values_supported", {"none", "consent"}},
      // RFC 9207: the authorization response names the issuer, against mix-up attacks.
      {"authorization_response_iss_parameter_supported", true},
      {"claims_parameter_supported", false},
      {"request_parameter_supported", false},
      // Its default is true (Discovery §3): say that request_uri is not supported.
      {"request_uri_parameter_supported", false},
  };
}

std::string OidcProvider::ErrorRedirect(const std::string& redirect_uri, const std::string& state,
                                        const std::string& error, const std::string& description) const {
  std::vector<std::pair<std::string, std::string>> parameters = {{"error", error}, {"error_description", description}};
  if (!state.empty()) parameters.emplace_back("state", state);
  parameters.emplace_back("iss", issuer());
  return WithParameters(redirect_uri, parameters);
}

AuthorizeAnswer OidcProvider::Authorize(const FormBody& query, const std::optional<http::Principal>& person,
                                        std::string_view request_cookie, const std::string& client_address) {
  const auto shown = [](std::string error, std::string description) {
    return AuthorizeAnswer{Error(std::move(error), std::move(description)), ""};
  };
  // RFC 6749 §4.1.2.1: while the client or its redirect URI is in doubt, the
  // person is told, and the browser is sent nowhere.
  if (query.repeated == "client_id" || query.repeated == "redirect_uri") {
    return shown("invalid_request", query.repeated + " is given more than once");
  }
  const auto client_id = query.Get("client_id");
  if (!client_id) return shown("invalid_request", "client_id is missing");
  const auto redirect_uri = query.Get("redirect_uri");
  const std::int64_t now = Now();

  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const auto client = FindClient(connection, *client_id);
    if (!client) return shown("unauthorized_client", "there is no such client");
    if (client->status != kStatusApproved) {
      return shown("unauthorized_client", "the portal's integration is " + client->status + ", not approved");
    }
    if (!redirect_uri) return shown("invalid_request", "redirect_uri is missing");
    const auto& registered = client->redirect_uris;
    if (std::find(registered.begin(), registered.end(), *redirect_uri) == registered.end()) {
      return shown("invalid_request", "redirect_uri is not one the portal registered");
    }

    // From here the redirect URI is trusted: errors go back to the portal.
    const std::string state = query.Get("state").value_or("");
    const auto redirect_error = [&](const std::string& error, const std::string& description) {
      return AuthorizeAnswer{
          std::nullopt, ErrorRedirect(*redirect_uri, state.size() <= kMaxStateLength ? state : "", error, description)};
    };
    if (!query.repeated.empty()) return redirect_error("invalid_request", query.repeated + " is given more than once");
    if (state.size() > kMaxStateLength) return redirect_error("invalid_request", "state is too long");
    // OpenID Connect Core §6: request objects are not supported.
    if (query.Get("request")) return redirect_error("request_not_supported", "request objects are not supported");
    if (query.Get("request_uri")) {
      return redirect_error("request_uri_not_supported", "request_uri is not supported");
    }
    const auto response_type = query.Get("response_type");
    if (!response_type) return redirect_error("invalid_request", "response_type is missing");
    if (*response_type != "code") {
      return redirect_error("unsupported_response_type", "only the authorization code flow (response_type=code)");
    }
    if (const auto mode = query.Get("response_mode"); mode && *mode != "query") {
      return redirect_error("invalid_request", "only response_mode=query is supported");
    }
    const auto scope_text = query.Get("scope");
    const auto scopes = ParseScope(scope_text.value_or(""));
    if (!scopes || !HasScope(*scopes, kScopeOpenIdConnect)) {
      return redirect_error("invalid_scope", "scope must include openid");
    }
    for (const auto& scope : *scopes) {
      if (!HasScope(client->scopes, scope)) {
        return redirect_error("invalid_scope", "the scope " + scope + " was not approved for this portal");
      }
    }
    // RFC 7636 §4.4.1: PKCE is required here, and only with S256.
    const auto challenge = query.Get("code_challenge");
    if (!challenge) return redirect_error("invalid_request", "code_challenge is required (PKCE with S256)");
    if (query.Get("code_challenge_method").value_or("") != "S256") {
      return redirect_error("invalid_request", "code_challenge_method must be S256");
    }
    if (!IsS256CodeChallenge(*challenge)) {
      return redirect_error("invalid_request", "code_challenge is not a base64url SHA-256");
    }
    const auto nonce = query.Get("nonce");
    if (nonce && nonce->size() > kMaxNonceLength) return redirect_error("invalid_request", "nonce is too long");
    const auto prompts = ParseScope(query.Get("prompt").value_or(""));  // the same space-delimited syntax
    if (!prompts) return redirect_error("invalid_request", "prompt is malformed");
    const bool prompt_none = HasScope(*prompts, "none");
    if (prompt_none && prompts->size() > 1) return redirect_error("invalid_request", "prompt=none stands alone");
    const bool prompt_consent = HasScope(*prompts, "consent");

    PendingRequest request;
    request.client_id = client->client_id;
    request.redirect_uri = *redirect_uri;
    request.scopes = *scopes;
    request.state = state;
    request.nonce = nonce;
    request.code_challenge = *challenge;
    request.consent_prompt = prompt_consent;
    request.expires_at = now + settings_.pending_request_ttl_seconds;

    const bool signed_in = person && person->pending_step.empty();
    if (signed_in) {
      const auto consented = OidcRepository::ConsentedScopes(connection, person->subject_id, client->client_id);
      if (!prompt_consent && consented && ScopesWithin(*scopes, *consented)) {
        const auto auth_time = OidcRepository::SessionStart(connection, person->session_id).value_or(now);
        return AuthorizeAnswer{std::nullopt,
                               IssueCode(connection, request, *client, person->subject_id, auth_time, client_address)};
      }
      if (prompt_none) return redirect_error("consent_required", "the person has not consented to these scopes");
      request.employee_id = person->subject_id;
    } else if (prompt_none) {
      return redirect_error("login_required", "the person is not signed in");
    }
    // Bound to this browser: the consent API wants the cookie's value back.
    std::string cookie = RequestCookieValue(request_cookie);
    request.browser_hash = crypto::Sha256(cookie);
    const auto id = pending_.Add(std::move(request), now);
    if (!id) return redirect_error("temporarily_unavailable", "too many sign-ins are waiting; try again shortly");
    return AuthorizeAnswer{std::nullopt, std::string(kConsentPath) + *id, std::move(cookie)};
  });
}

std::string OidcProvider::IssueCode(store::Connection& connection, const PendingRequest& request,
                                    const OidcClient& client, const std::string& employee_id, std::int64_t auth_time,
                                    const std::string& client_address) {
  const std::int64_t now = Now();
  const std::string code = crypto::RandomToken(kSecretBytes);
  AuthorizationCode record;
  record.code_hash = HashToken(code);
  record.client_id = client.client_id;
  record.employee_id = employee_id;
  record.redirect_uri = request.redirect_uri;
  record.scopes = request.scopes;
  record.nonce = request.nonce;
  record.code_challenge = request.code_challenge;
  record.auth_time = auth_time;
  record.expires_at = now + settings_.code_ttl_seconds;
  OidcRepository::InsertCode(connection, record);
  audit_.Append(connection,
                {employee_id,
                 "oidc.authorized",
                 client.integration_id,
                 client_address,
                 {{"integration", client.name}, {"client_id", client.client_id}, {"scopes", request.scopes}}});
  std::vector<std::pair<std::string, std::string>> parameters = {{"code", code}};
  if (!request.state.empty()) parameters.emplace_back("state", request.state);
  parameters.emplace_back("iss", issuer());
  return WithParameters(request.redirect_uri, parameters);
}

http::Result<ConsentRequest> OidcProvider::PendingConsent(const http::Principal& person, const std::string& request_id,
                                                          std::string_view request_cookie) {
  const auto request = pending_.Claim(request_id, person.subject_id, request_cookie, Now());
  if (!request) return http::MakeProblem(404, "oidc-request-not-found");
  auto lease = database_.Acquire();
  const auto client = FindApprovedClient(*lease, request->client_id);
  if (!client) return http::MakeProblem(403, "oidc-client-not-approved");
  const auto description = OidcRepository::Describe(*lease, client->integration_id).value_or(PortalDescription{});
  const auto consented = OidcRepository::ConsentedScopes(*lease, person.subject_id, client->client_id)
                             .value_or(std::vector<std::string>{});
  ConsentRequest view;
  view.id = request->id;
  view.client_name = client->name;
  view.owner = description.owner;
  view.purpose = description.purpose;
  view.launch_url = description.launch_url;
  view.scopes = request->scopes;
  for (const auto& scope : request->scopes) {
    if (!HasScope(consented, scope)) view.new_scopes.push_back(scope);
  }
  view.consent_required = request->consent_prompt || !view.new_scopes.empty();
  return view;
}

http::Result<std::string> OidcProvider::Decide(const http::Principal& person, const std::string& request_id,
                                               std::string_view request_cookie, bool allow,
                                               const std::string& client_address) {
  const std::int64_t now = Now();
  const auto request = pending_.Take(request_id, person.subject_id, request_cookie, now);
  if (!request) return http::MakeProblem(404, "oidc-request-not-found");
  return database_.InTransaction(
      store::TransactionMode::kWrite, [&](store::Connection& connection) -> http::Result<std::string> {
        const auto client = FindApprovedClient(connection, request->client_id);
        if (!client) return http::MakeProblem(403, "oidc-client-not-approved");
        const json detail = {{"integration", client->name},
                             {"client_id", client->client_id},
                             {"scopes", request->scopes},
                             {"decision", allow ? "allow" : "deny"}};
        if (!allow) {
          audit_.Append(connection,
                        {person.subject_id, "oidc.consent", client->integration_id, client_address, detail});
          return ErrorRedirect(request->redirect_uri, request->state, "access_denied", "the person did not consent");
        }
        const auto consented = OidcRepository::ConsentedScopes(connection, person.subject_id, client->client_id);
        if (request->consent_prompt || !consented || !ScopesWithin(request->scopes, *consented)) {
          OidcRepository::SaveConsent(connection, person.subject_id, client->client_id,
                                      MergeScopes(consented.value_or(std::vector<std::string>{}), request->scopes),
                                      now);
          audit_.Append(connection,
                        {person.subject_id, "oidc.consent", client->integration_id, client_address, detail});
        }
        const auto auth_time = OidcRepository::SessionStart(connection, person.session_id).value_or(now);
        return IssueCode(connection, *request, *client, person.subject_id, auth_time, client_address);
      });
}

std::variant<OidcClient, OidcError> OidcProvider::AuthenticateClient(store::Connection& connection,
                                                                     const ClientRequest& request) const {
  std::optional<std::string> client_id = request.form.Get("client_id");
  std::optional<std::string> secret;
  const bool has_basic = !request.authorization.empty();
  if (has_basic) {
    if (request.form.Get("client_secret")) {
      return Error("invalid_request", "use one client authentication method, not two");
    }
    auto credentials = BasicCredentials(request.authorization);
    if (!credentials) return InvalidClient("the Authorization header is not valid Basic credentials");
    if (client_id && *client_id != credentials->first) {
      return Error("invalid_request", "client_id differs from the Basic credentials");
    }
    client_id = std::move(credentials->first);
    secret = std::move(credentials->second);
  } else {
    secret = request.form.Get("client_secret");
  }
  if (!client_id || !secret) return InvalidClient("client authentication is required");
  auto client = FindClient(connection, *client_id);
  if (!client) return InvalidClient("there is no such client");
  // docs/integrations.md: a client whose integration is not approved gets unauthorized_client.
  if (client->status != kStatusApproved) {
    return Error("unauthorized_client", "the portal's integration is " + client->status + ", not approved");
  }
  if (!VerifyClientSecret(*client, *secret)) return InvalidClient("the client secret is wrong");
  return std::move(*client);
}

OidcAnswer OidcProvider::Token(const ClientRequest& request) {
  if (!request.form.repeated.empty()) {
    return Failed(Error("invalid_request", request.form.repeated + " is given more than once"));
  }
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    auto client = AuthenticateClient(connection, request);
    if (auto* error = std::get_if<OidcError>(&client)) return Failed(std::move(*error));
    const auto& authenticated = std::get<OidcClient>(client);
    const auto grant_type = request.form.Get("grant_type");
    if (!grant_type) return Failed(Error("invalid_request", "grant_type is missing"));
    if (*grant_type == "authorization_code") return ExchangeCode(connection, authenticated, request.form);
    if (*grant_type == "refresh_token") return RefreshGrant(connection, authenticated, request.form);
    return Failed(Error("unsupported_grant_type", "only authorization_code and refresh_token"));
  });
}

OidcAnswer OidcProvider::ExchangeCode(store::Connection& connection, const OidcClient& client, const FormBody& form) {
  const auto code = form.Get("code");
  const auto redirect_uri = form.Get("redirect_uri");
  const auto verifier = form.Get("code_verifier");
  if (!code) return Failed(Error("invalid_request", "code is missing"));
  if (!redirect_uri) return Failed(Error("invalid_request", "redirect_uri is missing"));
  if (!verifier) return Failed(Error("invalid_request", "code_verifier is missing (PKCE)"));
  const std::int64_t now = Now();
  const std::string code_hash = HashToken(*code);
  const auto record = OidcRepository::FindCode(connection, code_hash);
  if (!record || record->client_id != client.client_id) {
    return Failed(Error("invalid_grant", "the code is unknown or was issued to another client"));
  }
  // RFC 6749 §4.1.2: a code used twice is refused, and what it gave is revoked.
  // The tokens of a code form the refresh family named by the code's hash.
  if (!OidcRepository::MarkCodeUsed(connection, code_hash, now)) {
    OidcRepository::RevokeRefreshFamily(connection, code_hash, now);
    OidcRepository::RevokeAccessTokens(connection, client.client_id, record->employee_id, now);
    audit_.Append(connection, {std::nullopt,
                               "oidc.code_reused",
                               client.integration_id,
                               "",
                               {{"integration", client.name}, {"employee_id", record->employee_id}}});
    return Failed(Error("invalid_grant", "the code was used already"));
  }
  // The code is spent by any attempt from its client, right or wrong.
  if (record->expires_at <= now) return Failed(Error("invalid_grant", "the code has expired"));
  if (record->redirect_uri != *redirect_uri) {
    return Failed(Error("invalid_grant", "redirect_uri differs from the authorization request"));
  }
  if (!VerifyCodeChallenge(*verifier, record->code_challenge)) {
    return Failed(Error("invalid_grant", "code_verifier does not match the code_challenge"));
  }
  const auto employee = identity::EmployeeRepository::FindById(connection, record->employee_id);
  if (!IsActiveEmployee(employee)) return Failed(Error("invalid_grant", "the person's account is not active"));

  json body = IssueTokens(connection, client, record->employee_id, record->scopes, code_hash);
  IdTokenInput input;
  input.issuer = issuer();
  input.subject = subjects_.Subject(client.client_id, record->employee_id);
  input.client_id = client.client_id;
  input.issued_at = now;
  input.expires_at = now + settings_.id_token_ttl_seconds;
  input.auth_time = record->auth_time;
  input.nonce = record->nonce;
  const auto key = keys_.Current();
  auto id_token = SignJwt(*key, IdTokenClaims(input, *employee, record->scopes));
  if (!id_token) throw std::runtime_error("libjwt could not sign an ID token");
  body["id_token"] = std::move(*id_token);
  return OidcAnswer{std::nullopt, std::move(body)};
}

OidcAnswer OidcProvider::RefreshGrant(store::Connection& connection, const OidcClient& client, const FormBody& form) {
  const auto presented = form.Get("refresh_token");
  if (!presented) return Failed(Error("invalid_request", "refresh_token is missing"));
  const std::int64_t now = Now();
  const std::string token_hash = HashToken(*presented);
  const auto token = OidcRepository::FindRefreshToken(connection, token_hash);
  if (!token || token->client_id != client.client_id) {
    return Failed(Error("invalid_grant", "the refresh token is unknown or was issued to another client"));
  }
  if (token->revoked_at) return Failed(Error("invalid_grant", "the refresh token was revoked"));
  if (token->used_at) {
    // Rotated already: someone holds a copy. End the whole chain (RFC 9700 §4.14.2).
    OidcRepository::RevokeRefreshFamily(connection, token->family, now);
    OidcRepository::RevokeAccessTokens(connection, client.client_id, token->employee_id, now);
    audit_.Append(connection, {std::nullopt,
                               "oidc.refresh_token_reused",
                               client.integration_id,
                               "",
                               {{"integration", client.name}, {"employee_id", token->employee_id}}});
    return Failed(Error("invalid_grant", "the refresh token was used already; its chain is revoked"));
  }
  if (token->expires_at <= now) return Failed(Error("invalid_grant", "the refresh token has expired"));
  std::vector<std::string> scopes = token->scopes;
  if (const auto scope_text = form.Get("scope")) {
    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    const auto narrower = ParseScope(*scope_text);
    if (!narrower || !ScopesWithin(*narrower, token->scopes)) {
      return Failed(Error("invalid_scope", "the scope is wider than the one granted"));
    }
    scopes = *narrower;
  }
  const auto employee = identity::EmployeeRepository::FindById(connection, token->employee_id);
  if (!IsActiveEmployee(employee)) return Failed(Error("invalid_grant", "the person's account is not active"));
  if (!OidcRepository::MarkRefreshTokenUsed(connection, token_hash, now)) {
    return Failed(Error("invalid_grant", "the refresh token was used already"));
  }
  // OpenID Connect Core §12.2: no new ID token here (its auth_time would have to
  // be the first sign-in's); the portal keeps the one it has.
  return OidcAnswer{std::nullopt, IssueTokens(connection, client, token->employee_id, scopes, token->family)};
}

json OidcProvider::IssueTokens(store::Connection& connection, const OidcClient& client, const std::string& employee_id,
                               const std::vector<std::string>& scopes, const std::string& family) {
  const std::int64_t now = Now();
  const std::string access_token = crypto::RandomToken(kSecretBytes);
  const std::string refresh_token = crypto::RandomToken(kSecretBytes);
  OidcRepository::InsertAccessToken(connection, {HashToken(access_token), client.client_id, employee_id, scopes,
                                                 now + settings_.access_token_ttl_seconds, std::nullopt});
  RefreshToken refresh;
  refresh.token_hash = HashToken(refresh_token);
  refresh.client_id = client.client_id;
  refresh.employee_id = employee_id;
  refresh.scopes = scopes;
  refresh.family = family;
  refresh.issued_at = now;
  refresh.expires_at = now + settings_.refresh_token_ttl_seconds;
  OidcRepository::InsertRefreshToken(connection, refresh);
  return {{"access_token", access_token},
          {"token_type", "Bearer"},
          {"expires_in", settings_.access_token_ttl_seconds},
          {"refresh_token", refresh_token},
          {"scope", JoinScopes(scopes)}};
}

OidcAnswer OidcProvider::UserInfo(std::string_view access_token) {
  const auto invalid = [](std::string description) {
    return Failed(Error("invalid_token", std::move(description), 401));
  };
  if (access_token.empty()) return invalid("an access token is required");
  const std::int64_t now = Now();
  auto lease = database_.Acquire();
  const auto token = OidcRepository::FindAccessToken(*lease, HashToken(access_token));
  if (!token || token->revoked_at || token->expires_at <= now) {
    return invalid("the access token is unknown, expired or revoked");
  }
  if (!FindApprovedClient(*lease, token->client_id)) return invalid("the portal's integration is not approved");
  const auto employee = identity::EmployeeRepository::FindById(*lease, token->employee_id);
  if (!IsActiveEmployee(employee)) return invalid("the person's account is not active");
  if (!HasScope(token->scopes, kScopeOpenIdConnect)) {
    return Failed(Error("insufficient_scope", "userinfo needs the openid scope", 403));
  }
  json body = PersonClaims(*employee, token->scopes);
  body["sub"] = subjects_.Subject(token->client_id, token->employee_id);
  return OidcAnswer{std::nullopt, std::move(body)};
}

std::optional<OidcError> OidcProvider::Revoke(const ClientRequest& request) {
  if (!request.form.repeated.empty()) {
    return Error("invalid_request", request.form.repeated + " is given more than once");
  }
  return database_.InTransaction(
      store::TransactionMode::kWrite, [&](store::Connection& connection) -> std::optional<OidcError> {
        auto client = AuthenticateClient(connection, request);
        if (auto* error = std::get_if<OidcError>(&client)) return std::move(*error);
        const auto& authenticated = std::get<OidcClient>(client);
        const auto presented = request.form.Get("token");
        if (!presented) return Error("invalid_request", "token is missing");
        const std::int64_t now = Now();
        const std::string token_hash = HashToken(*presented);
        // RFC 7009 §2.2: an unknown token, or one of another client (not this one's
        // to revoke), is answered like a revoked one.
        if (const auto refresh = OidcRepository::FindRefreshToken(connection, token_hash)) {
          if (refresh->client_id == authenticated.client_id) {
            OidcRepository::RevokeRefreshFamily(connection, refresh->family, now);
            OidcRepository::RevokeAccessTokens(connection, authenticated.client_id, refresh->employee_id, now);
          }
          return std::nullopt;
        }
        if (const auto access = OidcRepository::FindAccessToken(connection, token_hash)) {
          if (access->client_id == authenticated.client_id)
            OidcRepository::RevokeAccessToken(connection, token_hash, now);
        }
        return std::nullopt;
      });
}

void OidcProvider::PurgeExpired() {
  database_.InTransaction(store::TransactionMode::kWrite,
                          [&](store::Connection& connection) { OidcRepository::PurgeExpired(connection, Now()); });
}

}  // namespace egovbox::integrations
