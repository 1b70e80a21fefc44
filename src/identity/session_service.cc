#include "identity/session_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "crypto/digest.h"
#include "crypto/random.h"
#include "http/rfc3339.h"
#include "identity/employee_repository.h"
#include "identity/personal_code.h"
#include "identity/recovery_codes.h"
#include "identity/session_repository.h"
#include "identity/totp.h"

namespace egovbox::identity {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::int64_t kMaxTouchIntervalSeconds = 60;

// last_seen_at is written at most this often per session: not a write per request,
// yet precise enough for the idle timeout.
std::int64_t TouchInterval(const SessionPolicy& policy) {
  return std::clamp<std::int64_t>(policy.idle_timeout_seconds / 10, 1, kMaxTouchIntervalSeconds);
}

http::Problem TooManyAttempts(std::int64_t wait_seconds) {
  http::Problem problem = http::MakeProblem(429, "too-many-attempts", {{"seconds", wait_seconds}});
  problem.extensions["retry_after"] = wait_seconds;
  problem.headers.emplace_back("Retry-After", std::to_string(wait_seconds));
  return problem;
}

}  // namespace

std::int64_t NowSeconds() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

SessionService::SessionService(store::Database& database, const audit::AuditLog& audit,
                               const crypto::PasswordHasher& hasher, LoginThrottle& throttle, SessionPolicy policy)
    : database_(database), audit_(audit), hasher_(hasher), throttle_(throttle), policy_(policy) {}

http::Result<SignInOutcome> SessionService::SignIn(const SignInInput& input) {
  const NormalizedCode normalized = NormalizePersonalCode(input.code);
  if (normalized.check == CodeCheck::kMalformed) return http::MakeProblem(400, "invalid-personal-code");
  if (normalized.check == CodeCheck::kCheckMismatch) return http::MakeProblem(400, "personal-code-typo");
  const std::string& code = normalized.code;
  const std::int64_t now = NowSeconds();
  // The back-off counts with the fraction of a second, so its waits are never cut short.
  const double attempt_time =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();

  if (const auto wait = throttle_.WaitSeconds(code, input.client_address, attempt_time); wait > 0) {
    return TooManyAttempts(wait);
  }

  std::optional<Employee> employee;
  {
    auto connection = database_.Acquire();
    employee = EmployeeRepository::FindByCode(*connection, code);
  }
  if (!employee) {
    hasher_.VerifyAgainstDummy(input.password);
    return Fail(code, input.client_address, "unknown-code", "invalid-credentials", attempt_time);
  }
  if (!hasher_.Verify(input.password, employee->password_hash)) {
    // A one-time password's hash is cheap to check (services.cc); pay the full cost
    // anyway, or a wrong password would tell a new account's code from an unknown one.
    if (hasher_.NeedsRehash(employee->password_hash)) hasher_.VerifyAgainstDummy(input.password);
    return Fail(code, input.client_address, "wrong-password", "invalid-credentials", attempt_time);
  }
  if (!employee->active()) {
    audit_.Record(
        {employee->id, "session.sign_in_refused", employee->id, input.client_address, {{"reason", "suspended"}}});
    return http::MakeProblem(403, "account-suspended");
  }

  SessionRecord session;
  session.id = crypto::RandomToken(16);
  session.employee_id = employee->id;
  session.csrf_token = crypto::RandomToken(kTokenBytes);
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + policy_.absolute_timeout_seconds;
  session.user_agent = input.user_agent.substr(0, 300);
  session.client_address = input.client_address;
  const std::string token = crypto::RandomToken(kTokenBytes);
  session.token_hash = crypto::Sha256Hex(token);

  std::string second_factor = "none";
  std::optional<http::Problem> refused;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    if (employee->totp_enabled()) {
      if (input.recovery_code) {
        if (!UseRecoveryCode(connection, employee->id, *input.recovery_code, now)) {
          refused = http::MakeProblem(401, "invalid-totp");
          return;
        }
        second_factor = "recovery_code";
      } else if (!input.totp) {
        refused = http::MakeProblem(401, "totp-required");
        return;
      } else {
        // Read the last accepted step inside the write transaction: two requests with
        // one code cannot both pass.
        const auto last_step =
            connection.QueryOne("SELECT totp_last_step FROM employees WHERE id = ?", {employee->id})->OptionalInt(0);
        const auto step = VerifyTotp(*employee->totp_secret, *input.totp, now);
        if (!step || (last_step && *step <= *last_step)) {
          refused = http::MakeProblem(401, "invalid-totp");
          return;
        }
        employee->totp_last_step = *step;
        EmployeeRepository::UpdateTotp(connection, *employee, now);
        second_factor = "totp";
      }
    }
    SessionRepository::Insert(connection, session);
    audit_.Append(connection, {employee->id,
                               "session.sign_in",
                               employee->id,
                               input.client_address,
                               {{"session", session.id}, {"second_factor", second_factor}}});
  });
  if (refused) {
    // A wrong second factor counts as a failure; a missing one is just the next step.
    if (refused->slug == "invalid-totp")
      return Fail(code, input.client_address, "wrong-second-factor", "invalid-totp", attempt_time);
    return *refused;
  }
  throttle_.RecordSuccess(code, input.client_address);
  return SignInOutcome{token, session.csrf_token, employee->must_change_password, employee->MustEnrollTotp()};
}

http::Problem SessionService::Fail(const std::string& code, const std::string& client_address,
                                   const std::string& reason, const std::string& slug, double attempt_time) {
  const std::int64_t wait = throttle_.RecordFailure(code, client_address, attempt_time);
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    audit_.Append(connection, {std::nullopt, "session.sign_in_failed", code, client_address, {{"reason", reason}}});
    if (wait > 0) {
      audit_.Append(connection, {std::nullopt, "session.back_off", code, client_address, {{"seconds", wait}}});
    }
  });
  return http::MakeProblem(401, slug);
}

bool SessionService::UseRecoveryCode(store::Connection& connection, const std::string& employee_id,
                                     const std::string& code, std::int64_t now) {
  const std::string hash = crypto::Sha256Hex(NormalizeRecoveryCode(code));
  connection.Execute(
      "UPDATE recovery_codes SET used_at = ? WHERE employee_id = ? AND code_hash = ? AND used_at IS NULL",
      {now, employee_id, hash});
  return connection.ChangedRows() == 1;
}

void SessionService::SignOut(const http::Principal& principal, const std::string& client_address) {
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    SessionRepository::Revoke(connection, principal.session_id, NowSeconds());
    audit_.Append(connection, {principal.subject_id,
                               "session.sign_out",
                               principal.subject_id,
                               client_address,
                               {{"session", principal.session_id}}});
  });
}

http::Result<std::optional<http::Principal>> SessionService::Authenticate(const http::Request& request) {
  const auto token = request.Cookie(kCookieName);
  if (!token || token->empty()) return std::optional<http::Principal>{};
  const std::int64_t now = NowSeconds();
  const std::string token_hash = crypto::Sha256Hex(*token);
  const std::uint64_t generation = cache_.generation();
  auto connection = database_.Acquire();
  const auto session = SessionRepository::FindByTokenHash(*connection, token_hash);
  const bool live = session && !session->revoked_at && now < session->expires_at &&
                    now - session->last_seen_at < policy_.idle_timeout_seconds;
  if (!live) return http::MakeProblem(401, "session-expired");
  auto employee = EmployeeRepository::FindById(*connection, session->employee_id);
  if (!employee || !employee->active()) return http::MakeProblem(401, "session-expired");
  std::int64_t last_seen_at = session->last_seen_at;
  if (now - last_seen_at >= TouchInterval(policy_)) {
    SessionRepository::Touch(*connection, session->id, now);
    last_seen_at = now;
  }

  http::Principal principal;
  principal.subject_id = employee->id;
  principal.session_id = session->id;
  principal.csrf_token = session->csrf_token;
  principal.roles = employee->roles;
  if (employee->must_change_password) {
    principal.pending_step = "password-change-required";
  } else if (employee->MustEnrollTotp()) {
    principal.pending_step = "totp-enrollment-required";
  }
  std::string self_json = SelfJson(*employee).dump();
  cache_.Remember(token_hash,
                  {principal, std::make_shared<const Employee>(std::move(*employee)), std::move(self_json),
                   last_seen_at, session->expires_at},
                  generation);
  return std::optional<http::Principal>(std::move(principal));
}

std::shared_ptr<const SessionCache::Entry> SessionService::Remembered(const http::Request& request) const {
  const auto token = request.Cookie(kCookieName);
  if (!token || token->empty()) return nullptr;
  auto entry = cache_.Find(crypto::Sha256Hex(*token));
  if (!entry) return nullptr;
  const std::int64_t now = NowSeconds();
  // Expired, idle, or due for a last_seen_at write: the blocking way decides.
  if (now >= entry->expires_at || now - entry->last_seen_at >= TouchInterval(policy_)) return nullptr;
  return entry;
}

std::optional<http::Principal> SessionService::AuthenticateWithoutBlocking(const http::Request& request) {
  const auto entry = Remembered(request);
  if (!entry) return std::nullopt;
  return entry->principal;
}

std::optional<std::string> SessionService::RememberedSelfJson(const http::Request& request) const {
  const auto entry = Remembered(request);
  if (!entry) return std::nullopt;
  return entry->self_json;
}

std::string SessionService::SessionCookie(const std::string& token) {
  return fmt::format("{}={}; Path=/; Secure; HttpOnly; SameSite=Strict", kCookieName, token);
}

std::string SessionService::ClearedCookie() {
  return fmt::format("{}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0", kCookieName);
}

std::set<std::string> SessionService::StillValid(const std::vector<std::string>& session_ids) const {
  constexpr std::size_t kBatch = 500;
  const std::int64_t now = NowSeconds();
  std::set<std::string> valid;
  auto connection = database_.Acquire();
  for (std::size_t first = 0; first < session_ids.size(); first += kBatch) {
    const std::size_t count = std::min(kBatch, session_ids.size() - first);
    std::string placeholders;
    store::Params params = {now, now - policy_.idle_timeout_seconds};
    for (std::size_t i = 0; i < count; ++i) {
      placeholders += i == 0 ? "?" : ", ?";
      params.emplace_back(session_ids[first + i]);
    }
    for (const auto& row : connection->Query(
             "SELECT s.id FROM sessions s JOIN employees e ON e.id = s.employee_id WHERE s.revoked_at IS NULL"
             " AND s.expires_at > ? AND s.last_seen_at > ? AND e.status = 'active' AND s.id IN (" +
                 placeholders + ")",
             params)) {
      valid.insert(row.Text(0));
    }
  }
  return valid;
}

}  // namespace egovbox::identity
