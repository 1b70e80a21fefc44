// Signing in and out, and recognising a signed-in request: the identity module's
// http::Authenticator. Thread-safe; every call blocks on the store (and, for
// SignIn, on argon2id), so call it from a worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "audit/audit_log.h"
#include "crypto/password_hasher.h"
#include "http/dispatcher.h"
#include "http/problem.h"
#include "identity/login_throttle.h"
#include "identity/session_cache.h"
#include "store/database.h"

namespace egovbox::identity {

struct SessionPolicy {
  std::int64_t idle_timeout_seconds = 3600;       // signed out after this long without a request
  std::int64_t absolute_timeout_seconds = 43200;  // and after this long in any case
};

struct SignInInput {
  std::string code;
  std::string password;
  std::optional<std::string> totp;
  std::optional<std::string> recovery_code;
  std::string client_address;
  std::string user_agent;
};

struct SignInOutcome {
  std::string token;  // goes into the cookie; only its hash is stored
  std::string csrf_token;
  bool must_change_password = false;
  bool must_enroll_totp = false;
};

class SessionService final : public http::Authenticator {
 public:
  // "__Host-": the browser only accepts it Secure, for path /, without a Domain.
  static constexpr const char* kCookieName = "__Host-egov-session";

  SessionService(store::Database& database, const audit::AuditLog& audit, const crypto::PasswordHasher& hasher,
                 LoginThrottle& throttle, SessionPolicy policy);

  // Problems: invalid-personal-code, personal-code-typo (400); invalid-credentials,
  // totp-required, invalid-totp (401); account-suspended (403); too-many-attempts (429).
  // An unknown code costs the same argon2id work as a wrong password and gets the same answer.
  http::Result<SignInOutcome> SignIn(const SignInInput& input);
  void SignOut(const http::Principal& principal, const std::string& client_address);
  http::Result<std::optional<http::Principal>> Authenticate(const http::Request& request) override;
  // From the SessionCache: sessions checked against the store within the last second.
  std::optional<http::Principal> AuthenticateWithoutBlocking(const http::Request& request) override;
  void ForgetRemembered() override { cache_.Forget(); }
  // GET /api/v1/me's body as remembered with the session; nullopt when not remembered.
  std::optional<std::string> RememberedSelfJson(const http::Request& request) const;

  // Of these session ids, those still valid (not revoked, not expired, the person
  // active): open WebSockets of the others are closed.
  std::set<std::string> StillValid(const std::vector<std::string>& session_ids) const;

  static std::string SessionCookie(const std::string& token);
  static std::string ClearedCookie();
  const SessionPolicy& policy() const { return policy_; }

 private:
  http::Problem Fail(const std::string& code, const std::string& client_address, const std::string& reason,
                     const std::string& slug, double attempt_time);
  std::shared_ptr<const SessionCache::Entry> Remembered(const http::Request& request) const;
  bool UseRecoveryCode(store::Connection& connection, const std::string& employee_id, const std::string& code,
                       std::int64_t now);

  store::Database& database_;
  const audit::AuditLog& audit_;
  const crypto::PasswordHasher& hasher_;
  LoginThrottle& throttle_;
  SessionPolicy policy_;
  SessionCache cache_;
};

// Seconds since the epoch, UTC.
std::int64_t NowSeconds();

}  // namespace egovbox::identity
