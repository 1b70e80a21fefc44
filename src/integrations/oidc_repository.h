// SQL of the OpenID Connect provider: consents, authorization codes, refresh and
// access tokens (schema in store/migrations/0008_integrations.sql), and the few
// facts it reads from elsewhere (what the consent page shows of the portal, when
// a session signed in). Codes and tokens are stored only as their SHA-256 (hex).
// Every function runs on the connection it is given, so the caller decides the
// transaction. Throws store::StoreError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace egovbox::integrations {

struct PortalDescription {  // what the consent page shows besides the name
  std::string owner;
  std::string purpose;
  std::string launch_url;
};

struct AuthorizationCode {
  std::string code_hash;
  std::string client_id;
  std::string employee_id;
  std::string redirect_uri;
  std::vector<std::string> scopes;
  std::optional<std::string> nonce;
  std::string code_challenge;
  std::int64_t auth_time = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};

struct RefreshToken {
  std::string token_hash;
  std::string client_id;
  std::string employee_id;
  std::vector<std::string> scopes;
  std::string family;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
  std::optional<std::int64_t> revoked_at;
};

struct AccessToken {
  std::string token_hash;
  std::string client_id;
  std::string employee_id;
  std::vector<std::string> scopes;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

class OidcRepository {
 public:
  static std::optional<PortalDescription> Describe(store::Connection& connection, const std::string& integration_id);
  // When the session signed in (OpenID Connect's auth_time); nullopt for an unknown session.
  static std::optional<std::int64_t> SessionStart(store::Connection& connection, const std::string& session_id);

  static std::optional<std::vector<std::string>> ConsentedScopes(store::Connection& connection,
                                                                 const std::string& employee_id,
                                                                 const std::string& client_id);
  // Replaces the consent with `scopes`.
  static void SaveConsent(store::Connection& connection, const std::string& employee_id, const std::string& client_id,
                          const std::vector<std::string>& scopes, std::int64_t now);

  static void InsertCode(store::Connection& connection, const AuthorizationCode& code);
  static std::optional<AuthorizationCode> FindCode(store::Connection& connection, const std::string& code_hash);
  // False when it was used already.
  static bool MarkCodeUsed(store::Connection& connection, const std::string& code_hash, std::int64_t now);

  static void InsertRefreshToken(store::Connection& connection, const RefreshToken& token);
  static std::optional<RefreshToken> FindRefreshToken(store::Connection& connection, const std::string& token_hash);
  // False when it was used (rotated) or revoked already.
  static bool MarkRefreshTokenUsed(store::Connection& connection, const std::string& token_hash, std::int64_t now);
  static void RevokeRefreshFamily(store::Connection& connection, const std::string& family, std::int64_t now);

  static void InsertAccessToken(store::Connection& connection, const AccessToken& token);
  static std::optional<AccessToken> FindAccessToken(store::Connection& connection, const std::string& token_hash);
  static void RevokeAccessToken(store::Connection& connection, const std::string& token_hash, std::int64_t now);
  // Every access token of this client for this person: a refresh token's
  // revocation or reuse ends the access it gave (RFC 7009 §2.1).
  static void RevokeAccessTokens(store::Connection& connection, const std::string& client_id,
                                 const std::string& employee_id, std::int64_t now);

  // Deletes codes and access tokens past their expiry and refresh tokens a day
  // past theirs (kept that long so that a late reuse is still recognised).
  static void PurgeExpired(store::Connection& connection, std::int64_t now);
};

}  // namespace egovbox::integrations
