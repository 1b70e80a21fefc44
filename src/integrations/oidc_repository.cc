#include "integrations/oidc_repository.h"

#include <nlohmann/json.hpp>

namespace egovbox::integrations {
namespace {

constexpr std::int64_t kRefreshRecordGraceSeconds = std::int64_t{24} * 60 * 60;

std::string ScopesJson(const std::vector<std::string>& scopes) {
  return nlohmann::json(scopes).dump();
}

// A column written by ScopesJson; anything else reads as no scopes.
std::vector<std::string> ReadScopes(const std::string& text) {
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> scopes;
  if (!parsed.is_array()) return scopes;
  for (const auto& scope : parsed) {
    if (scope.is_string()) scopes.push_back(scope.get<std::string>());
  }
  return scopes;
}

}  // namespace

std::optional<PortalDescription> OidcRepository::Describe(store::Connection& connection,
                                                          const std::string& integration_id) {
  const auto row =
      connection.QueryOne("SELECT owner, purpose, launch_url FROM integrations WHERE id = ?", {integration_id});
  if (!row) return std::nullopt;
  return PortalDescription{row->Text(0), row->Text(1), row->Text(2)};
}

std::optional<std::int64_t> OidcRepository::SessionStart(store::Connection& connection, const std::string& session_id) {
  const auto row = connection.QueryOne("SELECT created_at FROM sessions WHERE id = ?", {session_id});
  if (!row) return std::nullopt;
  return row->Int(0);
}

std::optional<std::vector<std::string>> OidcRepository::ConsentedScopes(store::Connection& connection,
                                                                        const std::string& employee_id,
                                                                        const std::string& client_id) {
  const auto row = connection.QueryOne("SELECT scopes FROM oidc_consents WHERE employee_id = ? AND client_id = ?",
                                       {employee_id, client_id});
  if (!row) return std::nullopt;
  return ReadScopes(row->Text(0));
}

void OidcRepository::SaveConsent(store::Connection& connection, const std::string& employee_id,
                                 const std::string& client_id, const std::vector<std::string>& scopes,
                                 std::int64_t now) {
  connection.Execute(
      "INSERT INTO oidc_consents (employee_id, client_id, scopes, granted_at) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (employee_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at",
      {employee_id, client_id, ScopesJson(scopes), now});
}

void OidcRepository::InsertCode(store::Connection& connection, const AuthorizationCode& code) {
  connection.Execute(
      "INSERT INTO oidc_codes (code_hash, client_id, employee_id, redirect_uri, scopes, nonce, code_challenge,"
      " auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {code.code_hash, code.client_id, code.employee_id, code.redirect_uri, ScopesJson(code.scopes),
       store::OptionalText(code.nonce), code.code_challenge, code.auth_time, code.expires_at});
}

std::optional<AuthorizationCode> OidcRepository::FindCode(store::Connection& connection, const std::string& code_hash) {
  const auto row = connection.QueryOne(
      "SELECT code_hash, client_id, employee_id, redirect_uri, scopes, nonce, code_challenge, auth_time, expires_at,"
      " used_at FROM oidc_codes WHERE code_hash = ?",
      {code_hash});
  if (!row) return std::nullopt;
  return AuthorizationCode{row->Text(0),         row->Text(1), row->Text(2), row->Text(3), ReadScopes(row->Text(4)),
                           row->OptionalText(5), row->Text(6), row->Int(7),  row->Int(8),  row->OptionalInt(9)};
}

bool OidcRepository::MarkCodeUsed(store::Connection& connection, const std::string& code_hash, std::int64_t now) {
  connection.Execute("UPDATE oidc_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL", {now, code_hash});
  return connection.ChangedRows() == 1;
}

void OidcRepository::InsertRefreshToken(store::Connection& connection, const RefreshToken& token) {
  connection.Execute(
      "INSERT INTO oidc_refresh_tokens (token_hash, client_id, employee_id, scopes, family, issued_at, expires_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      {token.token_hash, token.client_id, token.employee_id, ScopesJson(token.scopes), token.family, token.issued_at,
       token.expires_at});
}

std::optional<RefreshToken> OidcRepository::FindRefreshToken(store::Connection& connection,
                                                             const std::string& token_hash) {
  const auto row = connection.QueryOne(
      "SELECT token_hash, client_id, employee_id, scopes, family, issued_at, expires_at, used_at, revoked_at"
      " FROM oidc_refresh_tokens WHERE token_hash = ?",
      {token_hash});
  if (!row) return std::nullopt;
  return RefreshToken{row->Text(0), row->Text(1), row->Text(2),        ReadScopes(row->Text(3)), row->Text(4),
                      row->Int(5),  row->Int(6),  row->OptionalInt(7), row->OptionalInt(8)};
}

bool OidcRepository::MarkRefreshTokenUsed(store::Connection& connection, const std::string& token_hash,
                                          std::int64_t now) {
  connection.Execute(
      "UPDATE oidc_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL",
      {now, token_hash});
  return connection.ChangedRows() == 1;
}

void OidcRepository::RevokeRefreshFamily(store::Connection& connection, const std::string& family, std::int64_t now) {
  connection.Execute("UPDATE oidc_refresh_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL",
                     {now, family});
}

void OidcRepository::InsertAccessToken(store::Connection& connection, const AccessToken& token) {
  connection.Execute(
      "INSERT INTO oidc_access_tokens (token_hash, client_id, employee_id, scopes, expires_at) VALUES (?, ?, ?, ?, ?)",
      {token.token_hash, token.client_id, token.employee_id, ScopesJson(token.scopes), token.expires_at});
}

std::optional<AccessToken> OidcRepository::FindAccessToken(store::Connection& connection,
                                                           const std::string& token_hash) {
  const auto row = connection.QueryOne(
      "SELECT token_hash, client_id, employee_id, scopes, expires_at, revoked_at FROM oidc_access_tokens"
      " WHERE token_hash = ?",
      {token_hash});
  if (!row) return std::nullopt;
  return AccessToken{row->Text(0), row->Text(1),       row->Text(2), ReadScopes(row->Text(3)),
                     row->Int(4),  row->OptionalInt(5)};
}

void OidcRepository::RevokeAccessToken(store::Connection& connection, const std::string& token_hash, std::int64_t now) {
  connection.Execute("UPDATE oidc_access_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                     {now, token_hash});
}

void OidcRepository::RevokeAccessTokens(store::Connection& connection, const std::string& client_id,
                                        const std::string& employee_id, std::int64_t now) {
  connection.Execute(
      "UPDATE oidc_access_tokens SET revoked_at = ? WHERE client_id = ? AND employee_id = ? AND revoked_at IS NULL",
      {now, client_id, employee_id});
}

void OidcRepository::PurgeExpired(store::Connection& connection, std::int64_t now) {
  connection.Execute("DELETE FROM oidc_codes WHERE expires_at < ?", {now});
  connection.Execute("DELETE FROM oidc_access_tokens WHERE expires_at < ?", {now});
  connection.Execute("DELETE FROM oidc_refresh_tokens WHERE expires_at < ?", {now - kRefreshRecordGraceSeconds});
}

}  // namespace egovbox::integrations
