#include "identity/session_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <thread>

#include "crypto/digest.h"
#include "identity/employee_service.h"
#include "identity/personal_code.h"
#include "identity/recovery_codes.h"
#include "identity/totp.h"
#include "temporary_database.h"

namespace egovbox::identity {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

constexpr const char* kAddress = "10.0.0.1";

class SessionServiceTest : public ::testing::Test {
 protected:
  explicit SessionServiceTest(SessionPolicy policy = {})
      : sessions_(temporary_.database(), audit_, hasher_, throttle_, policy) {}

  CreatedEmployee Create(const std::string& email, std::vector<std::string> roles = {}) {
    auto created = employees_.Create(actor_, {"Иван Петров", email, "", "", std::move(roles)});
    if (!created.ok()) throw std::runtime_error("cannot create employee: " + created.problem().slug);
    return created.value();
  }

  http::Result<SignInOutcome> SignIn(const std::string& code, const std::string& password,
                                     std::optional<std::string> totp = std::nullopt,
                                     std::optional<std::string> recovery_code = std::nullopt) {
    return sessions_.SignIn({code, password, std::move(totp), std::move(recovery_code), kAddress, "Firefox"});
  }

  http::Result<std::optional<http::Principal>> Authenticate(const std::string& token) {
    http::Request request;
    request.headers["cookie"] = "theme=dark; " + std::string(SessionService::kCookieName) + "=" + token;
    return sessions_.Authenticate(request);
  }

  // The principal of a live session; fails the test otherwise.
  http::Principal Principal(const std::string& token) {
    auto principal = Authenticate(token);
    if (!principal.ok()) {
      ADD_FAILURE() << "not authenticated: " << principal.problem().slug;
      return {};
    }
    if (!principal.value()) {
      ADD_FAILURE() << "no principal";
      return {};
    }
    return **principal;
  }

  std::string Slug(const http::Result<std::optional<http::Principal>>& result) {
    return result.ok() ? "(authenticated)" : result.problem().slug;
  }

  void Execute(const std::string& sql, const store::Params& params) {
    auto connection = temporary_.database().Acquire();
    connection->Execute(sql, params);
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions;
    auto connection = temporary_.database().Acquire();
    for (const auto& row : connection->Query("SELECT action FROM audit_log ORDER BY seq")) {
      actions.push_back(row.Text(0));
    }
    return actions;
  }

  void EnableTotp(const CreatedEmployee& created, const std::string& secret) {
    auto connection = temporary_.database().Acquire();
    Employee employee = created.employee;
    employee.totp_secret = secret;
    EmployeeRepository::UpdateTotp(*connection, employee, NowSeconds());
  }

  unit_test::TemporaryDatabase temporary_;
  audit::AuditLog audit_{temporary_.database()};
  crypto::PasswordHasher hasher_{{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}};
  LoginThrottle throttle_;
  SessionService sessions_;
  EmployeeService employees_{temporary_.database(), audit_, hasher_};
  Actor actor_{std::nullopt, "127.0.0.1", "cli"};
};

TEST_F(SessionServiceTest, SignInWithTheOneTimePasswordStartsASession) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(FormatPersonalCode(ivan.employee.code), ivan.one_time_password);
  ASSERT_TRUE(outcome.ok()) << outcome.problem().slug;
  EXPECT_EQ(outcome->token.size(), 43U);  // 256 bits
  EXPECT_EQ(outcome->csrf_token.size(), 43U);
  EXPECT_NE(outcome->token, outcome->csrf_token);
  EXPECT_TRUE(outcome->must_change_password);
  EXPECT_FALSE(outcome->must_enroll_totp);

  auto connection = temporary_.database().Acquire();
  const auto rows = connection->Query("SELECT token_hash, employee_id, user_agent, client_address FROM sessions");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].Text(0), crypto::Sha256Hex(outcome->token));  // only the hash is stored
  EXPECT_EQ(rows[0].Text(1), ivan.employee.id);
  EXPECT_EQ(rows[0].Text(2), "Firefox");
  EXPECT_EQ(rows[0].Text(3), kAddress);
  EXPECT_EQ(AuditActions().back(), "session.sign_in");
}

TEST_F(SessionServiceTest, CodeMayBeTypedInAnySpelling) {
  const auto ivan = Create("ivan@example.bg");
  std::string spelled = " " + FormatPersonalCode(ivan.employee.code) + " ";
  for (char& c : spelled) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(SignIn(spelled, ivan.one_time_password).ok());
}

TEST_F(SessionServiceTest, AuthenticateWithTheCookieGivesThePrincipalWithItsPendingStep) {
  const auto ivan = Create("ivan@example.bg", {"clerk"});
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  const http::Principal principal = Principal(outcome->token);
  EXPECT_EQ(principal.subject_id, ivan.employee.id);
  EXPECT_FALSE(principal.session_id.empty());
  EXPECT_EQ(principal.csrf_token, outcome->csrf_token);
  EXPECT_THAT(principal.roles, ElementsAre("clerk"));
  EXPECT_EQ(principal.pending_step, "password-change-required");
}

TEST_F(SessionServiceTest, PendingStepIsTotpEnrolmentOnceThePasswordIsChanged) {
  const auto admin = Create("admin@example.bg", {"administrator"});
  const auto outcome = SignIn(admin.employee.code, admin.one_time_password);
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->must_enroll_totp);
  EXPECT_EQ(Principal(outcome->token).pending_step, "password-change-required");
  Execute("UPDATE employees SET must_change_password = 0 WHERE id = ?", {admin.employee.id});
  EXPECT_EQ(Principal(outcome->token).pending_step, "totp-enrollment-required");
}

TEST_F(SessionServiceTest, NoCookieIsNoPrincipalAndNoProblem) {
  http::Request request;
  const auto none = sessions_.Authenticate(request);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
  request.headers["cookie"] = std::string(SessionService::kCookieName) + "=";
  ASSERT_TRUE(sessions_.Authenticate(request).ok());
  EXPECT_FALSE(sessions_.Authenticate(request).value().has_value());
}

TEST_F(SessionServiceTest, UnknownTokenIsAnExpiredSession) {
  EXPECT_EQ(Slug(Authenticate("made-up-token")), "session-expired");
  EXPECT_EQ(Authenticate("made-up-token").problem().status, 401);
}

TEST_F(SessionServiceTest, WrongPasswordIsRefused) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password + "x");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.problem().status, 401);
  EXPECT_EQ(outcome.problem().slug, "invalid-credentials");
  EXPECT_EQ(AuditActions().back(), "session.sign_in_failed");
}

TEST_F(SessionServiceTest, UnknownCodeGetsTheSameAnswerAsAWrongPassword) {
  Create("ivan@example.bg");
  std::string code;
  do {
    code = GeneratePersonalCode();
  } while (employees_.Find(code).ok());
  const auto outcome = SignIn(code, "whatever password");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.problem().status, 401);
  EXPECT_EQ(outcome.problem().slug, "invalid-credentials");
}

TEST_F(SessionServiceTest, MistypedCodeIsPointedOutWithoutTryingThePassword) {
  const auto ivan = Create("ivan@example.bg");
  std::string typo = ivan.employee.code;
  typo[2] = typo[2] == '7' ? '8' : '7';
  const auto outcome = SignIn(typo, ivan.one_time_password);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.problem().status, 400);
  EXPECT_EQ(outcome.problem().slug, "personal-code-typo");

  const auto malformed = SignIn("K7M4", ivan.one_time_password);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.problem().status, 400);
  EXPECT_EQ(malformed.problem().slug, "invalid-personal-code");

  // Neither is a failed guess: nothing audited, nothing counted.
  EXPECT_THAT(AuditActions(), ElementsAre("employee.create"));
  EXPECT_EQ(throttle_.WaitSeconds(typo, kAddress, NowSeconds()), 0);
}

TEST_F(SessionServiceTest, ThrottledSignInIsTooManyAttemptsWithRetryAfter) {
  const auto ivan = Create("ivan@example.bg");
  for (int i = 0; i < 10; ++i) throttle_.RecordFailure(ivan.employee.code, kAddress, NowSeconds());
  // Even the right password waits.
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_FALSE(outcome.ok());
  const http::Problem& problem = outcome.problem();
  EXPECT_EQ(problem.status, 429);
  EXPECT_EQ(problem.slug, "too-many-attempts");
  ASSERT_EQ(problem.headers.size(), 1U);
  EXPECT_EQ(problem.headers[0].first, "Retry-After");
  const int retry_after = std::stoi(problem.headers[0].second);
  EXPECT_GE(retry_after, 30);  // 32 s after ten failures, less the time this test took
  EXPECT_LE(retry_after, 32);
  EXPECT_EQ(problem.extensions.at("retry_after"), retry_after);
  EXPECT_EQ(problem.params.at("seconds"), retry_after);
}

TEST_F(SessionServiceTest, FailedSignInsFeedTheThrottle) {
  const auto ivan = Create("ivan@example.bg");
  const std::int64_t start = NowSeconds();
  // The first four failures are free; the fifth starts the back-off.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignIn(ivan.employee.code, "wrong password").problem().slug, "invalid-credentials") << i;
  }
  EXPECT_GE(throttle_.WaitSeconds(ivan.employee.code, kAddress, start), 1);
  EXPECT_THAT(AuditActions(), Contains("session.back_off"));
}

TEST_F(SessionServiceTest, SuspendedPersonCannotSignIn) {
  const auto ivan = Create("ivan@example.bg");
  ASSERT_TRUE(employees_.Suspend(actor_, ivan.employee.id).ok());
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.problem().status, 403);
  EXPECT_EQ(outcome.problem().slug, "account-suspended");
  // Without the password, nobody learns that the account is suspended.
  EXPECT_EQ(SignIn(ivan.employee.code, "wrong password").problem().slug, "invalid-credentials");
}

TEST_F(SessionServiceTest, SuspensionEndsALiveSession) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  // Even if the sessions were somehow not revoked, an inactive person is not let in.
  Execute("UPDATE employees SET status = 'suspended' WHERE id = ?", {ivan.employee.id});
  EXPECT_EQ(Slug(Authenticate(outcome->token)), "session-expired");
}

TEST_F(SessionServiceTest, SignedOutSessionIsExpired) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  const http::Principal principal = Principal(outcome->token);
  sessions_.SignOut(principal, kAddress);
  EXPECT_EQ(Slug(Authenticate(outcome->token)), "session-expired");
  EXPECT_EQ(AuditActions().back(), "session.sign_out");
}

http::Request WithCookie(const std::string& token) {
  http::Request request;
  request.headers["cookie"] = std::string(SessionService::kCookieName) + "=" + token;
  return request;
}

TEST_F(SessionServiceTest, SessionIsRememberedOnceCheckedAgainstTheStore) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(sessions_.AuthenticateWithoutBlocking(WithCookie(outcome->token)).has_value());
  const http::Principal principal = Principal(outcome->token);
  const auto remembered = sessions_.AuthenticateWithoutBlocking(WithCookie(outcome->token));
  ASSERT_TRUE(remembered.has_value());
  EXPECT_EQ(remembered->session_id, principal.session_id);
  EXPECT_EQ(remembered->pending_step, "password-change-required");
  const auto me = sessions_.RememberedSelfJson(WithCookie(outcome->token));
  ASSERT_TRUE(me.has_value());
  EXPECT_EQ(nlohmann::json::parse(*me).at("code"), FormatPersonalCode(ivan.employee.code));
  EXPECT_FALSE(sessions_.AuthenticateWithoutBlocking(WithCookie("another-token")).has_value());
}

TEST_F(SessionServiceTest, ForgottenSessionsMustBeCheckedAgainstTheStoreAgain) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  const http::Principal principal = Principal(outcome->token);
  sessions_.SignOut(principal, kAddress);
  sessions_.ForgetRemembered();  // what the dispatcher does after every state-changing request
  EXPECT_FALSE(sessions_.AuthenticateWithoutBlocking(WithCookie(outcome->token)).has_value());
  EXPECT_EQ(Slug(Authenticate(outcome->token)), "session-expired");
}

TEST_F(SessionServiceTest, SessionPastItsAbsoluteExpiryIsExpired) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  Execute("UPDATE sessions SET expires_at = ?", {NowSeconds()});
  EXPECT_EQ(Slug(Authenticate(outcome->token)), "session-expired");
}

TEST_F(SessionServiceTest, UseKeepsASessionAliveByMovingLastSeen) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  // Last seen 59 minutes ago: still within the hour, and the request moves it to now.
  Execute("UPDATE sessions SET last_seen_at = ?", {NowSeconds() - 59 * 60});
  Principal(outcome->token);
  auto connection = temporary_.database().Acquire();
  EXPECT_GE(connection->QueryOne("SELECT last_seen_at FROM sessions")->Int(0), NowSeconds() - 1);
}

TEST_F(SessionServiceTest, SessionIdleForAnHourIsExpired) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  Execute("UPDATE sessions SET last_seen_at = ?", {NowSeconds() - 3600});
  EXPECT_EQ(Slug(Authenticate(outcome->token)), "session-expired");
}

class SessionServiceShortIdleTest : public SessionServiceTest {
 protected:
  SessionServiceShortIdleTest() : SessionServiceTest({1, 43200}) {}
};

TEST_F(SessionServiceShortIdleTest, SessionExpiresAfterTheIdleTimeoutInRealTime) {
  const auto ivan = Create("ivan@example.bg");
  const auto outcome = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_TRUE(outcome.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const auto result = Authenticate(outcome->token);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.problem().status, 401);
  EXPECT_EQ(result.problem().slug, "session-expired");
}

TEST_F(SessionServiceTest, SecondFactorIsAskedForAndChecked) {
  const auto ivan = Create("ivan@example.bg");
  const std::string secret = GenerateTotpSecret();
  EnableTotp(ivan, secret);

  const auto asked = SignIn(ivan.employee.code, ivan.one_time_password);
  ASSERT_FALSE(asked.ok());
  EXPECT_EQ(asked.problem().status, 401);
  EXPECT_EQ(asked.problem().slug, "totp-required");

  const std::string wrong = GenerateTotp(secret, NowSeconds() - 300);
  const auto refused = SignIn(ivan.employee.code, ivan.one_time_password, wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem().slug, "invalid-totp");

  const std::string code = GenerateTotp(secret, NowSeconds());
  EXPECT_TRUE(SignIn(ivan.employee.code, ivan.one_time_password, code).ok());
  // RFC 6238 §5.2: a code is good once.
  const auto replayed = SignIn(ivan.employee.code, ivan.one_time_password, code);
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.problem().slug, "invalid-totp");
}

TEST_F(SessionServiceTest, RecoveryCodeStandsInForTheSecondFactorOnce) {
  const auto ivan = Create("ivan@example.bg");
  EnableTotp(ivan, GenerateTotpSecret());
  const std::string recovery = "k7m4q-x2pz9-3hf8w";
  Execute("INSERT INTO recovery_codes (employee_id, code_hash) VALUES (?, ?)",
          {ivan.employee.id, crypto::Sha256Hex(NormalizeRecoveryCode(recovery))});

  EXPECT_TRUE(SignIn(ivan.employee.code, ivan.one_time_password, std::nullopt, "K7M4Q X2PZ9 3HF8W").ok());
  const auto again = SignIn(ivan.employee.code, ivan.one_time_password, std::nullopt, recovery);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem().slug, "invalid-totp");
}

TEST_F(SessionServiceTest, StillValidKeepsOnlyLiveSessionsOfActivePeople) {
  const auto ivan = Create("ivan@example.bg");
  const auto maria = Create("maria@example.bg");
  const auto georgi = Create("georgi@example.bg");
  // A session's token and its id.
  const auto start = [&](const CreatedEmployee& who) {
    const auto outcome = SignIn(who.employee.code, who.one_time_password);
    EXPECT_TRUE(outcome.ok());
    return std::make_pair(outcome->token, Principal(outcome->token).session_id);
  };
  const auto valid = start(ivan);
  const auto signed_out = start(ivan);
  const auto expired = start(ivan);
  const auto idle = start(ivan);
  const auto also_valid = start(maria);
  const auto suspended = start(georgi);

  sessions_.SignOut(Principal(signed_out.first), kAddress);
  Execute("UPDATE sessions SET expires_at = ? WHERE id = ?", {NowSeconds(), expired.second});
  Execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {NowSeconds() - 3600, idle.second});
  Execute("UPDATE employees SET status = 'suspended' WHERE id = ?", {georgi.employee.id});

  EXPECT_THAT(sessions_.StillValid({valid.second, signed_out.second, expired.second, idle.second, also_valid.second,
                                    suspended.second, "no-such-session"}),
              ElementsAre(std::min(valid.second, also_valid.second), std::max(valid.second, also_valid.second)));
  EXPECT_THAT(sessions_.StillValid({}), ElementsAre());
  EXPECT_THAT(sessions_.StillValid({suspended.second}), ElementsAre());

  // Checked in batches: a long list finds what it holds wherever it is.
  std::vector<std::string> many;
  for (int i = 0; i < 1200; ++i) many.push_back("unknown-" + std::to_string(i));
  many[3] = valid.second;
  many[777] = also_valid.second;
  many[1199] = expired.second;
  EXPECT_EQ(sessions_.StillValid(many).size(), 2U);
  EXPECT_EQ(sessions_.StillValid(many).count(also_valid.second), 1U);
}

TEST(SessionCookieTest, CookieIsHostOnlySecureHttpOnlyAndStrict) {
  EXPECT_EQ(SessionService::SessionCookie("tok"), "__Host-egov-session=tok; Path=/; Secure; HttpOnly; SameSite=Strict");
  EXPECT_EQ(SessionService::ClearedCookie(),
            "__Host-egov-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace egovbox::identity
