// The OpenID Connect provider's rules (OpenID Connect Core 1.0 with the
// authorization code flow, RFC 6749, RFC 7636 PKCE, RFC 7009 revocation;
// docs/integrations.md): what /oauth2/authorize, the consent API, /oauth2/token,
// /oauth2/userinfo and /oauth2/revoke answer. oidc_routes.cc turns requests into
// these calls and the answers into HTTP.
//
// Only an approved `sso` integration's client takes part: FindClient /
// FindApprovedClient (integration_clients.h) is asked on every authorize,
// consent, token, refresh, userinfo and revoke call, so an integration that leaves
// `approved` stops working at the next request. Codes, access and refresh tokens
// are random 256-bit strings stored as SHA-256.
//
// Thread-safe. Every call but Discovery blocks on the store: call it from a worker
// thread. Store failures throw store::StoreError (the request ends with a 500);
// everything a client can get wrong is an OidcError or a Problem value.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "audit/audit_log.h"
#include "http/problem.h"
#include "http/request.h"
#include "integrations/form_body.h"
#include "integrations/integration_clients.h"
#include "integrations/oidc_keys.h"
#include "integrations/oidc_pending_requests.h"
#include "integrations/oidc_tokens.h"
#include "store/database.h"

namespace egovbox::integrations {

struct OidcSettings {
  std::int64_t code_ttl_seconds = 60;  // docs: codes live 60 s (setting oidc_code_ttl)
  std::int64_t access_token_ttl_seconds = 600;
  std::int64_t id_token_ttl_seconds = 600;
  std::int64_t refresh_token_ttl_seconds = std::int64_t{30} * 24 * 60 * 60;
  std::int64_t pending_request_ttl_seconds = 600;
};

// An OAuth 2.0 error: RFC 6749 §4.1.2.1 (authorize), §5.2 (token), RFC 6750 §3.1
// (userinfo), OpenID Connect Core §3.1.2.6.
struct OidcError {
  std::string error;        // "invalid_grant"
  std::string description;  // English, for the portal's developers
  int status = 400;         // 401 for invalid_client and invalid_token, 403 for insufficient_scope
};

// The cookie that binds a request waiting at the consent page to the browser
// that brought it (docs/integrations.md): without it the consent API does not
// know the request, so a consent link sent to someone else cannot sign them in.
// SameSite=Lax, so that the portal's top-level redirect to /oauth2/authorize
// carries it back when the browser has one already.
inline constexpr std::string_view kRequestCookieName = "__Host-egov-oidc-request";

// What /oauth2/authorize answers: an error shown to the person without a
// redirect (the client or its redirect URI cannot be trusted: RFC 6749 §4.1.2.1),
// or a redirect (to the portal with a code or an error, or to the consent page).
struct AuthorizeAnswer {
  std::optional<OidcError> shown_error;
  std::string location;
  // With a redirect to the consent page: the value of kRequestCookieName to set
  // (for settings().pending_request_ttl_seconds); "" otherwise.
  std::string request_cookie = {};
};

// What the consent page shows.
struct ConsentRequest {
  std::string id;
  std::string client_name;
  std::string owner;
  std::string purpose;
  std::string launch_url;
  std::vector<std::string> scopes;      // everything the portal asks for
  std::vector<std::string> new_scopes;  // of those, what the person has not consented to yet
  bool consent_required = true;         // false: consented before; the page goes straight on
};

// A token or revocation request as it came: the Authorization header (for
// client_secret_basic) and the form body.
struct ClientRequest {
  std::string authorization;
  FormBody form;
};

// The JSON body of a success, or the error.
struct OidcAnswer {
  std::optional<OidcError> error;
  nlohmann::json body = nlohmann::json::object();
};

class OidcProvider {
 public:
  using Clock = std::function<std::int64_t()>;

  OidcProvider(store::Database& database, const audit::AuditLog& audit, OidcKeySet& keys, PairwiseSubjects subjects,
               OidcSettings settings, Clock clock = nullptr);

  // The issuer: the server's public URL ("https://host:port", no trailing slash).
  // Set before serving; may be set again once the port is known.
  void SetIssuer(std::string issuer);
  std::string issuer() const;

  // /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §3).
  nlohmann::json Discovery() const;
  // /oauth2/jwks.
  nlohmann::json Jwks() { return keys_.Jwks(); }

  // GET /oauth2/authorize with its query. `person` is the signed-in person when
  // the browser sent the session cookie (with SameSite=Strict it does not on a
  // portal's cross-site redirect; the consent page then finds out in the app).
  // `request_cookie` is the kRequestCookieName value the browser sent ("" when
  // none): a well-formed one is kept, so that two sign-ins in one browser at
  // once do not undo each other; otherwise a new random one is made.
  AuthorizeAnswer Authorize(const FormBody& query, const std::optional<http::Principal>& person,
                            std::string_view request_cookie, const std::string& client_address);

  // The consent API, for the browser that presents `request_cookie` (the
  // kRequestCookieName value it sent, "" when none). Problems: 404
  // oidc-request-not-found (unknown, expired, decided, opened by someone else,
  // or without the request's cookie), 403 oidc-client-not-approved.
  http::Result<ConsentRequest> PendingConsent(const http::Principal& person, const std::string& request_id,
                                              std::string_view request_cookie);
  // Allow or deny; the URL the browser goes to next (the portal's redirect URI
  // with the code, or with error=access_denied).
  http::Result<std::string> Decide(const http::Principal& person, const std::string& request_id,
                                   std::string_view request_cookie, bool allow, const std::string& client_address);

  // POST /oauth2/token: authorization_code and refresh_token grants.
  OidcAnswer Token(const ClientRequest& request);
  // GET or POST /oauth2/userinfo with the bearer access token.
  OidcAnswer UserInfo(std::string_view access_token);
  // POST /oauth2/revoke (RFC 7009): an error only for a failed client
  // authentication or a request without a token.
  std::optional<OidcError> Revoke(const ClientRequest& request);

  // Deletes expired codes and tokens (a background job calls it).
  void PurgeExpired();

  const OidcSettings& settings() const { return settings_; }

 private:
  std::int64_t Now() const { return clock_(); }
  // RFC 6749 §2.3.1: client_secret_basic or client_secret_post, not both.
  std::variant<OidcClient, OidcError> AuthenticateClient(store::Connection& connection,
                                                         const ClientRequest& request) const;
  // The redirect URI with the code (and state and iss); the code is stored and the
  // sign-in audited. In the caller's kWrite transaction.
  std::string IssueCode(store::Connection& connection, const PendingRequest& request, const OidcClient& client,
                        const std::string& employee_id, std::int64_t auth_time, const std::string& client_address);
  std::string ErrorRedirect(const std::string& redirect_uri, const std::string& state, const std::string& error,
                            const std::string& description) const;
  OidcAnswer ExchangeCode(store::Connection& connection, const OidcClient& client, const FormBody& form);
  OidcAnswer RefreshGrant(store::Connection& connection, const OidcClient& client, const FormBody& form);
  // A new access token and refresh token (in `family`), and the token response.
  nlohmann::json IssueTokens(store::Connection& connection, const OidcClient& client, const std::string& employee_id,
                             const std::vector<std::string>& scopes, const std::string& family);

  store::Database& database_;
  const audit::AuditLog& audit_;
  OidcKeySet& keys_;
  const PairwiseSubjects subjects_;
  const OidcSettings settings_;
  const Clock clock_;
  PendingRequests pending_;
  mutable std::mutex issuer_mutex_;
  std::string issuer_;  // guarded by issuer_mutex_
};

}  // namespace egovbox::integrations
