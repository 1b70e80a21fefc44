// The pieces of the OpenID Connect provider that are pure rules on values: scopes,
// PKCE, the pairwise subject, and the claims of the ID token and of userinfo
// (docs/integrations.md). No store, no HTTP: oidc_provider.cc puts them together.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/employee.h"

namespace egovbox::integrations {

// The scopes of this provider and the claims each one releases.
inline constexpr std::string_view kScopeOpenIdConnect = "openid";
inline constexpr std::string_view kScopeProfile = "profile";        // name
inline constexpr std::string_view kScopeEmail = "email";            // email
inline constexpr std::string_view kScopeDepartment = "department";  // department (its name)
inline constexpr std::string_view kScopeRoles = "roles";            // roles (array of role names)
const std::vector<std::string>& OidcScopes();

// RFC 6749 §3.3: a space-delimited list; nullopt when it holds a character outside
// %x21 / %x23-5B / %x5D-7E. Repeated scopes count once; the order is kept.
std::optional<std::vector<std::string>> ParseScope(std::string_view text);
std::string JoinScopes(const std::vector<std::string>& scopes);
bool HasScope(const std::vector<std::string>& scopes, std::string_view scope);
// Every one of `wanted` is in `granted`.
bool ScopesWithin(const std::vector<std::string>& wanted, const std::vector<std::string>& granted);
// `a` followed by those of `b` it lacks.
std::vector<std::string> MergeScopes(const std::vector<std::string>& a, const std::vector<std::string>& b);

// RFC 7636 §4.2: a code challenge made with S256 is 43 base64url characters.
bool IsS256CodeChallenge(std::string_view challenge);
// RFC 7636 §4.1 and §4.6: the verifier is 43-128 unreserved characters, and
// BASE64URL(SHA256(verifier)) equals the challenge (compared in constant time).
bool VerifyCodeChallenge(std::string_view verifier, std::string_view challenge);

// OpenID Connect Core §8.1 pairwise subjects: each client (its own sector) sees
// a different, stable identifier for the same person, so two portals cannot
// correlate their users. sub = BASE64URL(HMAC-SHA256(key, client_id "\n" employee_id)).
// The 32-byte key lives in keys/oidc/pairwise.key and is never rotated: a new key
// would give every person a new identity at every portal. Thread-safe (read-only).
class PairwiseSubjects {
 public:
  explicit PairwiseSubjects(std::string key);  // 32 bytes; throws std::invalid_argument otherwise
  // Reads the key, creating it (mode 0600) when absent. Throws std::runtime_error.
  static PairwiseSubjects FromKeyFile(const std::filesystem::path& file);
  std::string Subject(std::string_view client_id, std::string_view employee_id) const;

 private:
  std::string key_;
};

// The claims about the person that `scopes` release (OpenID Connect Core §5.4).
nlohmann::json PersonClaims(const identity::Employee& employee, const std::vector<std::string>& scopes);

struct IdTokenInput {
  std::string issuer;
  std::string subject;
  std::string client_id;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t auth_time = 0;
  std::optional<std::string> nonce;
};
// OpenID Connect Core §2: iss, sub, aud, exp, iat, auth_time, nonce, and the
// person's claims for the scopes.
nlohmann::json IdTokenClaims(const IdTokenInput& input, const identity::Employee& employee,
                             const std::vector<std::string>& scopes);

}  // namespace egovbox::integrations
