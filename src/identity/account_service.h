// What a signed-in person does with their own account: see it, change the
// password, list and revoke sessions, set up or remove the second factor.
// Thread-safe; blocks on the store and argon2id.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "crypto/password_hasher.h"
#include "http/problem.h"
#include "http/request.h"
#include "identity/employee.h"
#include "identity/session_repository.h"
#include "identity/session_service.h"
#include "store/database.h"

namespace egovbox::identity {

struct TotpEnrollment {
  std::string secret;
  std::string provisioning_uri;
  std::string qr_svg;
};

class AccountService {
 public:
  AccountService(store::Database& database, const audit::AuditLog& audit, const crypto::PasswordHasher& hasher,
                 const SessionPolicy& policy);

  http::Result<Employee> Me(const http::Principal& principal);
  // Problems: wrong-current-password (400), weak-password (400, with "violations").
  // Other sessions of the person are signed out; this one stays.
  http::Status ChangePassword(const http::Principal& principal, const std::string& current,
                              const std::string& replacement, const std::string& client_address);
  http::Result<std::vector<SessionRecord>> ListSessions(const http::Principal& principal);
  // not-found (404) for a session that is not the person's own.
  http::Status RevokeSession(const http::Principal& principal, const std::string& session_id,
                             const std::string& client_address);
  // totp-already-enabled (409).
  http::Result<TotpEnrollment> StartTotp(const http::Principal& principal);
  // invalid-totp (400), totp-not-started (409). Returns the recovery codes, shown once.
  http::Result<std::vector<std::string>> ConfirmTotp(const http::Principal& principal, const std::string& code,
                                                     const std::string& client_address);
  // totp-mandatory (403), wrong-current-password (400).
  http::Status DisableTotp(const http::Principal& principal, const std::string& password,
                           const std::string& client_address);

 private:
  store::Database& database_;
  const audit::AuditLog& audit_;
  const crypto::PasswordHasher& hasher_;
  const SessionPolicy& policy_;
};

}  // namespace egovbox::identity
