// The integrations service and the API-token authenticator on a fresh migrated
// SQLite database, with a clock the test moves by hand, the CSP frame sources
// they set, and employees written straight into identity's tables (an
// administrator, two security officers with the second factor on, one without,
// an employee in a department). Shared by the integrations tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "http/security_headers.h"
#include "identity/employee.h"
#include "integrations/api_token_authenticator.h"
#include "integrations/integration_service.h"
#include "temporary_database.h"

namespace egovbox::integrations::test {

inline constexpr std::int64_t kStart = 1'800'000'000;

class IntegrationsWorld : public ::testing::Test {
 protected:
  IntegrationsWorld()
      : audit_(db_.database()),
        service_(db_.database(), audit_, frames_, [this] { return now_; }),
        tokens_(db_.database(), audit_, 3, [this] { return static_cast<double>(now_); }) {
    Execute("INSERT INTO departments (id, name, created_at) VALUES ('d1', 'Финанси', 0), ('d2', 'Култура', 0)");
    administrator_ = AddEmployee("admin", {"administrator"}, true);
    officer_ = AddEmployee("officer", {"security_officer"}, true);
    other_officer_ = AddEmployee("officer2", {"security_officer"}, true);
    officer_without_totp_ = AddEmployee("officer3", {"security_officer"}, false);
    admin_officer_ = AddEmployee("both", {"administrator", "security_officer"}, true);
    employee_ = AddEmployee("clerk", {"employee"}, false, "d1");
  }

  Actor AddEmployee(const std::string& id, std::vector<std::string> roles, bool totp,
                    const std::string& department = "") {
    Execute(
        "INSERT INTO employees (id, code, name, search_text, email, department_id, status, password_hash,"
        " must_change_password, totp_secret, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, 'active', 'x', 0,"
        " ?, 0, 0)",
        {id, "C" + id, "Име " + id, id + "@example.org", department.empty() ? store::Value{} : store::Value{department},
         totp ? store::Value{std::string("JBSWY3DPEHPK3PXP")} : store::Value{}});
    for (const auto& role : roles) {
      Execute("INSERT INTO employee_roles (employee_id, role) VALUES (?, ?)", {id, role});
    }
    return Actor{id, std::move(roles), "192.0.2.1"};
  }

  void Execute(const std::string& sql, const store::Params& params = {}) {
    db_.database().InTransaction(store::TransactionMode::kWrite,
                                 [&](store::Connection& tx) { tx.Execute(sql, params); });
  }
  std::int64_t Count(const std::string& sql, const store::Params& params = {}) {
    return db_.database().InTransaction(store::TransactionMode::kRead,
                                        [&](store::Connection& tx) { return tx.QueryOne(sql, params)->Int(0); });
  }

  static IntegrationInput EmbedInput(const std::string& origin = "https://gis.sofia.bg") {
    IntegrationInput input;
    input.name = "ГИС";
    input.level = "embed";
    input.owner = "Дирекция ИТ";
    input.purpose = "Карта";
    input.launch_url = origin + "/map";
    input.origins = {origin};
    return input;
  }
  static IntegrationInput SsoInput() {
    IntegrationInput input;
    input.name = "Е-услуги";
    input.level = "sso";
    input.owner = "Отдел е-управление";
    input.purpose = "Вход";
    input.launch_url = "https://e.sofia.bg/";
    input.redirect_uris = {"https://e.sofia.bg/cb"};
    input.scopes = {"openid", "email"};
    return input;
  }
  static IntegrationInput ApiInput() {
    IntegrationInput input;
    input.name = "Деловодство";
    input.level = "api";
    input.owner = "Деловодство ООД";
    input.purpose = "Срещи";
    input.scopes = {"directory:read"};
    return input;
  }

  Integration Requested(IntegrationInput input) {
    auto created = service_.Request(administrator_, std::move(input));
    EXPECT_TRUE(created) << created.problem().slug;
    return *created;
  }
  DecisionOutcome Decided(const std::string& id, Decision decision, const std::string& reason = "причина",
                          const Actor* actor = nullptr) {
    auto outcome = service_.Decide(actor != nullptr ? *actor : officer_, id, decision, reason);
    EXPECT_TRUE(outcome) << outcome.problem().slug;
    return *outcome;
  }
  std::string Policy() const { return *frames_.Policy(); }

  unit_test::TemporaryDatabase db_;
  audit::AuditLog audit_;
  http::FrameSources frames_;
  std::int64_t now_ = kStart;
  IntegrationService service_;
  ApiTokenAuthenticator tokens_;  // 3 calls a minute, to test the limit quickly
  Actor administrator_, officer_, other_officer_, officer_without_totp_, admin_officer_, employee_;
};

}  // namespace egovbox::integrations::test
