// The plain data of the integrations module (docs/integrations.md): an
// integration request, the security officer's decisions, the levels, the
// statuses and their state machine, and the scopes each level may ask for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::integrations {

inline constexpr std::string_view kLevelLink = "link";
inline constexpr std::string_view kLevelEmbed = "embed";
inline constexpr std::string_view kLevelSso = "sso";
inline constexpr std::string_view kLevelApi = "api";
bool IsLevel(std::string_view level);

inline constexpr std::string_view kStatusPending = "pending";
inline constexpr std::string_view kStatusApproved = "approved";
inline constexpr std::string_view kStatusRejected = "rejected";
inline constexpr std::string_view kStatusSuspended = "suspended";
inline constexpr std::string_view kStatusRevoked = "revoked";

// What a security officer does to an integration; `requested` is the
// administrator's first step and is recorded in the same history.
enum class Decision { kRequested, kApproved, kRejected, kSuspended, kReinstated, kRevoked };
std::string_view DecisionName(Decision decision);  // "approved", ... (integration_decisions.action)
std::optional<Decision> ParseDecision(std::string_view name);

// The state machine: pending → approved | rejected; approved → suspended |
// revoked; suspended → approved (reinstated) | revoked. The status after
// `decision` from `status`, or nullopt when the transition is not allowed
// (rejected and revoked are final; kRequested is never a transition).
std::optional<std::string_view> NextStatus(std::string_view status, Decision decision);
// A decision that widens access (approve, reinstate): never on one's own request.
bool GrantsAccess(Decision decision);
// Reject and revoke need a reason.
bool NeedsReason(Decision decision);

// Scopes an integration of `level` may request: sso the OpenID Connect ones
// (openid required), api the API-token ones, link and embed none.
const std::vector<std::string>& AllowedScopes(std::string_view level);
inline constexpr std::string_view kScopeOpenId = "openid";
inline constexpr std::string_view kScopeDirectoryRead = "directory:read";
inline constexpr std::string_view kScopeMeetingsRead = "meetings:read";
inline constexpr std::string_view kScopeMeetingsWrite = "meetings:write";

// What an administrator asks for (validated by ValidateRequest).
struct IntegrationInput {
  std::string name;
  std::string level;
  std::string owner;
  std::string purpose;
  std::string launch_url;
  std::vector<std::string> origins;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> scopes;
  std::vector<std::string> visible_roles;        // empty: every role
  std::vector<std::string> visible_departments;  // department ids; empty: every department
};

struct PersonRef {
  std::string id;
  std::string name;
};

struct DecisionRecord {
  std::string id;
  std::string action;  // DecisionName
  PersonRef actor;
  std::string reason;
  std::int64_t at = 0;
};

struct ApiTokenInfo {  // never the token or its hash
  std::string id;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

struct Integration {
  std::string id;
  IntegrationInput request;  // as validated and stored
  std::string status = std::string(kStatusPending);
  PersonRef requested_by;
  std::int64_t requested_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::string> client_id;           // sso
  std::optional<std::string> client_secret_hash;  // sso, once approved
  std::vector<DecisionRecord> decisions;          // oldest first; filled where the history is shown
  std::vector<ApiTokenInfo> api_tokens;           // api; filled where the history is shown

  const std::string& level() const { return request.level; }
  bool approved() const { return status == kStatusApproved; }
};

// The secrets an approval makes, shown once to the approving officer.
struct Credentials {
  std::optional<std::string> client_id;      // sso
  std::optional<std::string> client_secret;  // sso
  std::optional<std::string> api_token;      // api: "egbx_..."
  std::optional<std::int64_t> api_token_expires_at;
};

}  // namespace egovbox::integrations
