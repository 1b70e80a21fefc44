#include "identity/account_service.h"

#include "crypto/digest.h"
#include "identity/employee_repository.h"
#include "identity/password_policy.h"
#include "identity/personal_code.h"
#include "identity/qr_svg.h"
#include "identity/recovery_codes.h"
#include "identity/totp.h"

namespace egovbox::identity {

AccountService::AccountService(store::Database& database, const audit::AuditLog& audit,
                               const crypto::PasswordHasher& hasher, const SessionPolicy& policy)
    : database_(database), audit_(audit), hasher_(hasher), policy_(policy) {}

http::Result<Employee> AccountService::Me(const http::Principal& principal) {
  auto connection = database_.Acquire();
  auto employee = EmployeeRepository::FindById(*connection, principal.subject_id);
  if (!employee) return http::MakeProblem(401, "session-expired");
  return std::move(*employee);
}

http::Status AccountService::ChangePassword(const http::Principal& principal, const std::string& current,
                                            const std::string& replacement, const std::string& client_address) {
  auto employee = Me(principal);
  if (!employee) return employee.problem();
  if (!hasher_.Verify(current, employee->password_hash)) return http::MakeProblem(400, "wrong-current-password");
  const auto violations = CheckPassword(replacement, {employee->code, employee->name, current});
  if (!violations.empty()) {
    http::Problem problem = http::MakeProblem(400, "weak-password");
    problem.extensions["violations"] = violations;
    return problem;
  }
  const std::string hash = hasher_.Hash(replacement);
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const std::int64_t now = NowSeconds();
    EmployeeRepository::UpdatePassword(connection, employee->id, hash, false, now);
    const auto revoked = SessionRepository::RevokeAllOf(connection, employee->id, principal.session_id, now);
    audit_.Append(connection, {employee->id,
                               "employee.password_change",
                               employee->id,
                               client_address,
                               {{"other_sessions_revoked", revoked}}});
  });
  return http::Ok();
}

http::Result<std::vector<SessionRecord>> AccountService::ListSessions(const http::Principal& principal) {
  const std::int64_t now = NowSeconds();
  auto connection = database_.Acquire();
  auto sessions = SessionRepository::ListLive(*connection, principal.subject_id, now);
  std::erase_if(sessions, [&](const SessionRecord& session) {
    return now - session.last_seen_at >= policy_.idle_timeout_seconds;
  });
  return sessions;
}

http::Status AccountService::RevokeSession(const http::Principal& principal, const std::string& session_id,
                                           const std::string& client_address) {
  bool found = false;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const auto session = SessionRepository::FindById(connection, session_id);
    if (!session || session->employee_id != principal.subject_id || session->revoked_at) return;
    found = true;
    SessionRepository::Revoke(connection, session_id, NowSeconds());
    audit_.Append(
        connection,
        {principal.subject_id, "session.revoke", principal.subject_id, client_address, {{"session", session_id}}});
  });
  if (!found) return http::MakeProblem(404, "not-found");
  return http::Ok();
}

http::Result<TotpEnrollment> AccountService::StartTotp(const http::Principal& principal) {
  auto employee = Me(principal);
  if (!employee) return employee.problem();
  if (employee->totp_enabled()) return http::MakeProblem(409, "totp-already-enabled");
  employee->totp_pending_secret = GenerateTotpSecret();
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    EmployeeRepository::UpdateTotp(connection, *employee, NowSeconds());
  });
  const std::string uri = TotpProvisioningUri(*employee->totp_pending_secret, employee->code);
  return TotpEnrollment{*employee->totp_pending_secret, uri, QrCodeSvg(uri)};
}

http::Result<std::vector<std::string>> AccountService::ConfirmTotp(const http::Principal& principal,
                                                                   const std::string& code,
                                                                   const std::string& client_address) {
  auto employee = Me(principal);
  if (!employee) return employee.problem();
  if (employee->totp_enabled()) return http::MakeProblem(409, "totp-already-enabled");
  if (!employee->totp_pending_secret) return http::MakeProblem(409, "totp-not-started");
  const std::int64_t now = NowSeconds();
  const auto step = VerifyTotp(*employee->totp_pending_secret, code, now);
  if (!step) return http::MakeProblem(400, "invalid-totp");

  employee->totp_secret = employee->totp_pending_secret;
  employee->totp_pending_secret.reset();
  employee->totp_last_step = *step;
  auto codes = GenerateRecoveryCodes();
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    EmployeeRepository::UpdateTotp(connection, *employee, now);
    connection.Execute("DELETE FROM recovery_codes WHERE employee_id = ?", {employee->id});
    for (const auto& recovery : codes) {
      connection.Execute("INSERT INTO recovery_codes (employee_id, code_hash) VALUES (?, ?)",
                         {employee->id, crypto::Sha256Hex(NormalizeRecoveryCode(recovery))});
    }
    audit_.Append(connection, {employee->id, "employee.totp_enable", employee->id, client_address, {}});
  });
  return codes;
}

http::Status AccountService::DisableTotp(const http::Principal& principal, const std::string& password,
                                         const std::string& client_address) {
  auto employee = Me(principal);
  if (!employee) return employee.problem();
  if (RequiresSecondFactor(employee->roles)) return http::MakeProblem(403, "totp-mandatory");
  if (!hasher_.Verify(password, employee->password_hash)) return http::MakeProblem(400, "wrong-current-password");
  employee->totp_secret.reset();
  employee->totp_pending_secret.reset();
  employee->totp_last_step.reset();
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    EmployeeRepository::UpdateTotp(connection, *employee, NowSeconds());
    connection.Execute("DELETE FROM recovery_codes WHERE employee_id = ?", {employee->id});
    audit_.Append(connection, {employee->id, "employee.totp_disable", employee->id, client_address, {}});
  });
  return http::Ok();
}

}  // namespace egovbox::identity
