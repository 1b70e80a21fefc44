#include "identity/employee_service.h"

#include "identity/text_folding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <regex>
#include <set>

#include "identity/personal_code.h"
#include "identity/session_repository.h"
#include "temporary_database.h"

namespace egovbox::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class EmployeeServiceTest : public ::testing::Test {
 protected:
  std::int64_t Count(const std::string& table) {
    auto connection = database().Acquire();
    return connection->QueryOne("SELECT count(*) FROM " + table)->Int(0);
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions;
    auto connection = database().Acquire();
    for (const auto& row : connection->Query("SELECT action FROM audit_log ORDER BY seq")) {
      actions.push_back(row.Text(0));
    }
    return actions;
  }

  std::optional<Employee> Stored(const std::string& id) {
    auto connection = database().Acquire();
    return EmployeeRepository::FindById(*connection, id);
  }

  CreatedEmployee CreateOk(NewEmployee input) {
    auto created = service_.Create(actor_, input);
    if (!created.ok()) ADD_FAILURE() << "Create failed: " << created.problem().slug;
    return created.ok() ? created.value() : CreatedEmployee{};
  }

  // The "rejected" member of an import-rejected problem, as it should be.
  static nlohmann::json Rejected(std::size_t line, const std::vector<std::string>& reasons) {
    nlohmann::json rows = nlohmann::json::array();
    rows.push_back({{"line", line}, {"reasons", reasons}});
    return rows;
  }

  static std::vector<std::string> Reasons(const http::Problem& problem) {
    return problem.extensions.at("reasons").get<std::vector<std::string>>();
  }

  store::Database& database() { return temporary_.database(); }

  unit_test::TemporaryDatabase temporary_;
  audit::AuditLog audit_{temporary_.database()};
  crypto::PasswordHasher hasher_{{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}};
  EmployeeService service_{temporary_.database(), audit_, hasher_};
  Actor actor_{std::nullopt, "127.0.0.1", "cli"};
};

TEST_F(EmployeeServiceTest, CreateGivesAValidCodeAndAOneTimePasswordThatVerifies) {
  const auto created = CreateOk({"Иван Петров", "ivan@example.bg", "Правна дирекция", "Юрисконсулт", {}});
  const Employee& employee = created.employee;
  EXPECT_EQ(NormalizePersonalCode(employee.code).check, CodeCheck::kValid) << employee.code;
  EXPECT_TRUE(std::regex_match(created.one_time_password, std::regex("([2-9a-z]{4}-){3}[2-9a-z]{4}")))
      << created.one_time_password;

  const auto stored = Stored(employee.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->code, employee.code);
  EXPECT_EQ(stored->name, "Иван Петров");
  EXPECT_EQ(stored->email, "ivan@example.bg");
  EXPECT_EQ(stored->position, "Юрисконсулт");
  ASSERT_TRUE(stored->department.has_value());
  EXPECT_EQ(stored->department->name, "Правна дирекция");
  EXPECT_THAT(stored->roles, ElementsAre("employee"));  // the default role
  EXPECT_TRUE(stored->must_change_password);
  EXPECT_TRUE(stored->active());
  EXPECT_TRUE(hasher_.Verify(created.one_time_password, stored->password_hash));
  EXPECT_FALSE(hasher_.Verify("wrong", stored->password_hash));
  EXPECT_THAT(AuditActions(), ElementsAre("employee.create"));
}

TEST_F(EmployeeServiceTest, CreateTrimsTextAndSortsRoles) {
  const auto created =
      CreateOk({"  Мария Иванова ", " maria@example.bg", " ", " Счетоводител\t", {"clerk", "councillor", "clerk"}});
  const auto stored = Stored(created.employee.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->name, "Мария Иванова");
  EXPECT_EQ(stored->email, "maria@example.bg");
  EXPECT_EQ(stored->position, "Счетоводител");
  EXPECT_FALSE(stored->department.has_value());  // blank means none
  EXPECT_THAT(stored->roles, ElementsAre("clerk", "councillor"));
}

TEST_F(EmployeeServiceTest, CreateRefusesANameOfSpacesOnly) {
  const auto created = service_.Create(actor_, {"   ", "ivan@example.bg", "", "", {}});
  ASSERT_FALSE(created.ok());
  EXPECT_THAT(Reasons(created.problem()), ElementsAre("name-missing"));
  EXPECT_EQ(Count("employees"), 0);
}

TEST_F(EmployeeServiceTest, CreateCanBeFoundByCodeInAnySpellingOrById) {
  const auto created = CreateOk({"Иван Петров", "ivan@example.bg", "", "", {}});
  std::string spelled = FormatPersonalCode(created.employee.code);
  for (char& c : spelled) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto by_code = service_.Find(spelled);
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(by_code->id, created.employee.id);
  const auto by_id = service_.Find(created.employee.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->code, created.employee.code);
  EXPECT_EQ(service_.Find("nobody").problem().status, 404);
}

TEST_F(EmployeeServiceTest, DuplicateEmailIsTakenInAnyCase) {
  CreateOk({"Иван Петров", "ivan@example.bg", "", "", {}});
  const auto again = service_.Create(actor_, {"Иван Петров II", "IVAN@Example.BG", "", "", {}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem().status, 409);
  EXPECT_EQ(again.problem().slug, "email-taken");
  EXPECT_EQ(again.problem().params.at("email"), "IVAN@Example.BG");
  EXPECT_EQ(Count("employees"), 1);
}

TEST_F(EmployeeServiceTest, InvalidInputNamesEveryReason) {
  const auto created = service_.Create(actor_, {"", "not-an-email", "", "", {"employee", "king"}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.problem().status, 400);
  EXPECT_EQ(created.problem().slug, "invalid-employee");
  EXPECT_THAT(Reasons(created.problem()), ElementsAre("name-missing", "email-invalid", "role-unknown"));

  const auto control = service_.Create(actor_, {"Иван\nПетров", "ivan@example.bg", "", "", {}});
  ASSERT_FALSE(control.ok());
  EXPECT_THAT(Reasons(control.problem()), ElementsAre("text-invalid"));
  EXPECT_EQ(Count("employees"), 0);
}

TEST_F(EmployeeServiceTest, EmailMustLookLikeOne) {
  for (const char* email : {"@example.bg", "ivan@", "ivan@example", "ivan@@example.bg", "iv an@example.bg", "ivan@.bg",
                            "ivan@example.", "a@b@c.bg"}) {
    EXPECT_THAT(ValidateNewEmployee({"Иван", email, "", "", {}}), ElementsAre("email-invalid")) << email;
  }
  EXPECT_TRUE(ValidateNewEmployee({"Иван", "ivan.petrov@sofia.example.bg", "", "", {}}).empty());
}

TEST_F(EmployeeServiceTest, ImportCreatesEveryRow) {
  const auto imported = service_.Import(actor_,
                                        "name,email,department,position,roles\n"
                                        "Иван Петров,ivan@example.bg,Деловодство,Деловодител,clerk\n"
                                        "Мария Иванова,maria@example.bg,,Съветник,\"employee, Councillor\"\n");
  ASSERT_TRUE(imported.ok()) << imported.problem().slug;
  ASSERT_EQ(imported->size(), 2U);
  const auto maria = Stored(imported.value()[1].employee.id);
  ASSERT_TRUE(maria.has_value());
  EXPECT_EQ(maria->name, "Мария Иванова");
  EXPECT_THAT(maria->roles, ElementsAre("councillor", "employee"));
  EXPECT_FALSE(maria->department.has_value());
  for (const auto& created : imported.value()) {
    EXPECT_TRUE(hasher_.Verify(created.one_time_password, Stored(created.employee.id)->password_hash));
  }
  EXPECT_THAT(AuditActions(), ElementsAre("employee.create", "employee.create", "employee.import"));
}

TEST_F(EmployeeServiceTest, ImportWithOneBadRowWritesNothingAndNamesTheRow) {
  const auto imported = service_.Import(actor_,
                                        "name,email,department\n"
                                        "Иван Петров,ivan@example.bg,Деловодство\n"
                                        "\n"
                                        "Мария Иванова,maria-at-example.bg,Деловодство\n"
                                        "Георги Георгиев,georgi@example.bg,Финанси\n");
  ASSERT_FALSE(imported.ok());
  const http::Problem& problem = imported.problem();
  EXPECT_EQ(problem.status, 422);
  EXPECT_EQ(problem.slug, "import-rejected");
  EXPECT_EQ(problem.params.at("count"), 1);
  EXPECT_EQ(problem.extensions.at("rejected"), Rejected(4, {"email-invalid"}));
  EXPECT_EQ(Count("employees"), 0);
  EXPECT_EQ(Count("departments"), 0);
  EXPECT_EQ(Count("employee_roles"), 0);
  EXPECT_EQ(Count("audit_log"), 0);
}

TEST_F(EmployeeServiceTest, ImportRejectsAnEmailTwiceInTheFile) {
  const auto imported = service_.Import(actor_,
                                        "name,email\n"
                                        "Иван Петров,ivan@example.bg\n"
                                        "Мария Иванова,maria@example.bg\n"
                                        "Иван Петров,Ivan@Example.bg\n");
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.problem().extensions.at("rejected"), Rejected(4, {"email-duplicate-in-file"}));
  EXPECT_EQ(Count("employees"), 0);
}

TEST_F(EmployeeServiceTest, ImportRejectsAnEmailAlreadyTakenAndReportsEveryBadRow) {
  CreateOk({"Иван Петров", "ivan@example.bg", "", "", {}});
  const auto imported = service_.Import(actor_,
                                        "name,email,roles\n"
                                        "Мария Иванова,maria@example.bg,employee\n"
                                        ",IVAN@example.bg,king\n");
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.problem().extensions.at("rejected"), Rejected(3, {"name-missing", "role-unknown", "email-taken"}));
  EXPECT_EQ(Count("employees"), 1);
}

TEST_F(EmployeeServiceTest, ImportReadsBulgarianHeadersAndCreatesEachDepartmentOnce) {
  const auto imported = service_.Import(actor_,
                                        "\xEF\xBB\xBFИме;Имейл;Отдел;Длъжност;Роли\r\n"
                                        "Иван Петров;ivan@example.bg;Деловодство;Деловодител;clerk employee\r\n"
                                        "Мария Иванова;maria@example.bg;Деловодство;Експерт;\r\n"
                                        "Георги Георгиев;georgi@example.bg; Деловодство ;Експерт;Councillor\r\n"
                                        "Петя Стоянова;petya@example.bg;Финанси;Счетоводител;\r\n");
  ASSERT_TRUE(imported.ok()) << imported.problem().slug << " " << imported.problem().extensions.dump();
  ASSERT_EQ(imported->size(), 4U);
  EXPECT_EQ(Count("departments"), 2);
  const auto ivan = Stored(imported.value()[0].employee.id);
  const auto georgi = Stored(imported.value()[2].employee.id);
  ASSERT_TRUE(ivan && georgi);
  ASSERT_TRUE(ivan->department && georgi->department);
  EXPECT_EQ(ivan->department->id, georgi->department->id);
  EXPECT_EQ(ivan->position, "Деловодител");
  EXPECT_THAT(ivan->roles, ElementsAre("clerk", "employee"));
  EXPECT_THAT(georgi->roles, ElementsAre("councillor"));
  EXPECT_THAT(Stored(imported.value()[1].employee.id)->roles, ElementsAre("employee"));
}

TEST_F(EmployeeServiceTest, ImportUsesAnExistingDepartment) {
  const auto first = CreateOk({"Иван Петров", "ivan@example.bg", "Финанси", "", {}});
  const auto imported = service_.Import(actor_, "name,email,department\nМария,maria@example.bg,Финанси\n");
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(Count("departments"), 1);
  EXPECT_EQ(Stored(imported.value()[0].employee.id)->department->id, first.employee.department->id);
}

TEST_F(EmployeeServiceTest, ImportRefusesFilesItCannotRead) {
  const auto check = [&](std::string_view csv, int line, const std::string& reason) {
    const auto imported = service_.Import(actor_, csv);
    ASSERT_FALSE(imported.ok()) << csv;
    EXPECT_EQ(imported.problem().status, 400) << csv;
    EXPECT_EQ(imported.problem().slug, "csv-invalid") << csv;
    EXPECT_EQ(imported.problem().params.at("line"), line) << csv;
    EXPECT_EQ(imported.problem().params.at("reason"), reason) << csv;
  };
  check("", 1, "empty");
  check("name,email\n", 1, "empty");
  check("name,position\nИван,експерт\n", 1, "missing-columns");
  check("name,email\nИван,ivan@example.bg\n\"Мария,maria@example.bg\n", 3, "unterminated-quote");
  check("name,email\nИван,ivan@example.bg\n\xC8\xE2\xE0\xED,x@example.bg\n", 3, "not-utf8");
  EXPECT_EQ(Count("employees"), 0);
}

TEST_F(EmployeeServiceTest, SetRolesReplacesTheRoles) {
  const auto created = CreateOk({"Иван Петров", "ivan@example.bg", "", "", {}});
  const auto status = service_.SetRoles(actor_, created.employee.id, {"councillor", "clerk", "councillor"});
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(Stored(created.employee.id)->roles, ElementsAre("clerk", "councillor"));
  EXPECT_THAT(AuditActions(), ElementsAre("employee.create", "employee.roles_change"));
}

TEST_F(EmployeeServiceTest, SetRolesRejectsUnknownRolesAndAnEmptyList) {
  const auto created = CreateOk({"Иван Петров", "ivan@example.bg", "", "", {"clerk"}});
  for (const std::vector<std::string>& roles : {std::vector<std::string>{"employee", "king"},
                                                std::vector<std::string>{}, std::vector<std::string>{"Employee"}}) {
    const auto status = service_.SetRoles(actor_, created.employee.id, roles);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.problem().status, 400);
    EXPECT_EQ(status.problem().slug, "invalid-employee");
    EXPECT_THAT(Reasons(status.problem()), ElementsAre("role-unknown"));
  }
  EXPECT_THAT(Stored(created.employee.id)->roles, ElementsAre("clerk"));
  EXPECT_EQ(service_.SetRoles(actor_, "nobody", {"clerk"}).problem().status, 404);
}

class EmployeeServiceSessionTest : public EmployeeServiceTest {
 protected:
  void AddSession(const std::string& id, const std::string& employee_id) {
    SessionRecord session;
    session.id = id;
    session.token_hash = "hash-" + id;
    session.employee_id = employee_id;
    session.csrf_token = "csrf";
    session.created_at = session.last_seen_at = NowSeconds();
    session.expires_at = NowSeconds() + 3600;
    auto connection = database().Acquire();
    SessionRepository::Insert(*connection, session);
  }

  bool Revoked(const std::string& session_id) {
    auto connection = database().Acquire();
    return SessionRepository::FindById(*connection, session_id)->revoked_at.has_value();
  }
};

TEST_F(EmployeeServiceSessionTest, SuspendRevokesEverySessionOfThePerson) {
  const auto ivan = CreateOk({"Иван Петров", "ivan@example.bg", "", "", {}});
  const auto maria = CreateOk({"Мария Иванова", "maria@example.bg", "", "", {}});
  AddSession("s1", ivan.employee.id);
  AddSession("s2", ivan.employee.id);
  AddSession("s3", maria.employee.id);

  ASSERT_TRUE(service_.Suspend(actor_, ivan.employee.id).ok());
  EXPECT_EQ(Stored(ivan.employee.id)->status, "suspended");
  EXPECT_TRUE(Revoked("s1"));
  EXPECT_TRUE(Revoked("s2"));
  EXPECT_FALSE(Revoked("s3"));
  EXPECT_EQ(AuditActions().back(), "employee.suspend");

  ASSERT_TRUE(service_.Reactivate(actor_, ivan.employee.id).ok());
  EXPECT_EQ(Stored(ivan.employee.id)->status, "active");
  EXPECT_TRUE(Revoked("s1"));  // reactivation does not bring sessions back
  EXPECT_EQ(AuditActions().back(), "employee.reactivate");
  EXPECT_EQ(service_.Suspend(actor_, "nobody").problem().status, 404);
}

TEST_F(EmployeeServiceSessionTest, ResetPasswordGivesANewOneTimePasswordAndSignsOut) {
  const auto ivan = CreateOk({"Иван Петров", "ivan@example.bg", "", "", {}});
  AddSession("s1", ivan.employee.id);
  auto password = service_.ResetPassword(actor_, ivan.employee.id);
  ASSERT_TRUE(password.ok());
  const auto stored = Stored(ivan.employee.id);
  EXPECT_TRUE(hasher_.Verify(*password, stored->password_hash));
  EXPECT_FALSE(hasher_.Verify(ivan.one_time_password, stored->password_hash));
  EXPECT_TRUE(stored->must_change_password);
  EXPECT_TRUE(Revoked("s1"));
  EXPECT_EQ(service_.ResetPassword(actor_, "nobody").problem().status, 404);
}

TEST_F(EmployeeServiceTest, SearchFoldsCaseAndSkipsSuspendedPeople) {
  const auto ivan = CreateOk({"Иван Петров", "ivan@example.bg", "Финанси", "Счетоводител", {}});
  CreateOk({"Иванка Димова", "ivanka@example.bg", "", "", {}});
  const auto petar = CreateOk({"Петър Иванов", "petar@example.bg", "", "", {}});
  ASSERT_TRUE(service_.Suspend(actor_, petar.employee.id).ok());

  std::vector<std::string> names;
  for (const auto& employee : service_.Search("ИВАН", std::nullopt)) names.push_back(employee.name);
  EXPECT_THAT(names, ElementsAre("Иван Петров", "Иванка Димова"));  // in name order
  EXPECT_EQ(service_.Search("счетовод", std::nullopt).size(), 1U);
  EXPECT_EQ(service_.Search(ivan.employee.code.substr(0, 5), std::nullopt).size(), 1U);
  // A code is found as shown on a card, and however it was typed.
  const std::string shown = FormatPersonalCode(ivan.employee.code);
  EXPECT_EQ(service_.Search(shown, std::nullopt).size(), 1U);
  EXPECT_EQ(service_.Search(shown.substr(0, 6), std::nullopt).size(), 1U);
  EXPECT_EQ(service_.Search(FoldCase(shown.substr(0, 4) + " " + shown.substr(5)), std::nullopt).size(), 1U);
  EXPECT_EQ(service_.Search("%", std::nullopt).size(), 0U);  // no LIKE wildcards
  EXPECT_EQ(service_.Search("иван", ivan.employee.department->id).size(), 1U);

  const auto departments = service_.Departments();
  ASSERT_EQ(departments.size(), 1U);
  EXPECT_EQ(departments[0].department.name, "Финанси");
  EXPECT_EQ(departments[0].employee_count, 1);
}

TEST(OneTimePasswordTest, SixteenReadableCharactersInFourGroups) {
  unit_test::InitializeLibrariesOnce();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string password = GenerateOneTimePassword();
    EXPECT_TRUE(std::regex_match(password, std::regex("([2-9a-hjkmnp-z]{4}-){3}[2-9a-hjkmnp-z]{4}"))) << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 100U);
}

}  // namespace
}  // namespace egovbox::identity
