#include "identity/employee_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "crypto/random.h"
#include "identity/csv_reader.h"
#include "identity/personal_code.h"
#include "identity/session_repository.h"
#include "identity/session_service.h"
#include "identity/text_folding.h"

namespace egovbox::identity {
namespace {

bool NamesSecurityOfficer(const std::vector<std::string>& roles) {
  return std::find(roles.begin(), roles.end(), kRoleSecurityOfficer) != roles.end();
}

// Only a security officer (or the operator at the command line) makes, unmakes or
// takes over a security officer: an administrator who could would approve their own
// integration requests through an account of their own making.
bool MayManageSecurityOfficers(store::Connection& connection, const Actor& actor) {
  if (!actor.employee_id) return true;
  const auto employee = EmployeeRepository::FindById(connection, *actor.employee_id);
  return employee && NamesSecurityOfficer(employee->roles);
}

http::Problem SecurityOfficersOnly() {
  return http::MakeProblem(403, "forbidden", {{"reason", "security-officer-role"}});
}

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxTextLength = 200;

bool LooksLikeEmail(const std::string& email) {
  const auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= email.size() || email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  if (email.find_first_of(" \t\r\n,;<>\"") != std::string::npos) return false;
  const auto dot = email.find('.', at);
  return dot != std::string::npos && dot > at + 1 && dot + 1 < email.size();
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The input as it is stored: text without surrounding spaces. Validation and the
// e-mail check look at this, so that "  " is a missing name and " a@b.bg" the
// address a@b.bg.
NewEmployee Trimmed(NewEmployee input) {
  input.name = Trim(input.name);
  input.email = Trim(input.email);
  input.department = Trim(input.department);
  input.position = Trim(input.position);
  return input;
}

// "employee; councillor" or "employee councillor" -> {"employee", "councillor"}.
std::vector<std::string> SplitRoles(const std::string& text) {
  std::vector<std::string> roles;
  std::string current;
  for (char c : text + ";") {
    if (c == ';' || c == ' ' || c == ',' || c == '|') {
      if (!current.empty()) roles.push_back(FoldCase(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return roles;
}

// Column names in English or Bulgarian -> field.
const std::map<std::string, std::string>& ColumnNames() {
  static const std::map<std::string, std::string> kNames = {
      {"name", "name"},          {"име", "name"},
      {"full name", "name"},     {"email", "email"},
      {"e-mail", "email"},       {"имейл", "email"},
      {"e-mail адрес", "email"}, {"department", "department"},
      {"отдел", "department"},   {"дирекция", "department"},
      {"position", "position"},  {"длъжност", "position"},
      {"roles", "roles"},        {"роли", "roles"},
      {"role", "roles"},         {"роля", "roles"},
  };
  return kNames;
}

}  // namespace

std::vector<std::string> ValidateNewEmployee(const NewEmployee& input) {
  std::vector<std::string> reasons;
  if (input.name.empty()) reasons.emplace_back("name-missing");
  if (CodePointCount(input.name) > kMaxNameLength) reasons.emplace_back("name-too-long");
  if (!IsCleanText(input.name) || !IsCleanText(input.position) || !IsCleanText(input.department)) {
    reasons.emplace_back("text-invalid");
  }
  if (input.email.size() > kMaxEmailLength || !LooksLikeEmail(input.email)) reasons.emplace_back("email-invalid");
  if (CodePointCount(input.position) > kMaxTextLength || CodePointCount(input.department) > kMaxTextLength) {
    reasons.emplace_back("text-too-long");
  }
  for (const auto& role : input.roles) {
    if (!IsKnownRole(role)) {
      reasons.emplace_back("role-unknown");
      break;
    }
  }
  return reasons;
}

std::string GenerateOneTimePassword() {
  constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";
  std::string password;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) password.push_back('-');
    for (int i = 0; i < 4; ++i) password.push_back(kAlphabet[crypto::RandomBelow(kAlphabet.size())]);
  }
  return password;
}

EmployeeService::EmployeeService(store::Database& database, const audit::AuditLog& audit,
                                 const crypto::PasswordHasher& one_time_hasher)
    : database_(database), audit_(audit), one_time_hasher_(one_time_hasher) {}

std::vector<Employee> EmployeeService::Search(const std::string& query,
                                              const std::optional<std::string>& department_id) {
  // A whole code is found however it was typed (lower case, spaces, Cyrillic look-alikes).
  const NormalizedCode code = NormalizePersonalCode(query);
  const std::string text = code.check == CodeCheck::kValid ? code.code : Trim(query);
  auto connection = database_.Acquire();
  return EmployeeRepository::Search(*connection, text, department_id, kDirectoryLimit);
}

std::vector<DepartmentSummary> EmployeeService::Departments() {
  auto connection = database_.Acquire();
  return EmployeeRepository::Departments(*connection);
}

http::Result<Employee> EmployeeService::Find(const std::string& code_or_id) {
  auto connection = database_.Acquire();
  const auto normalized = NormalizePersonalCode(code_or_id);
  std::optional<Employee> employee;
  if (normalized.check == CodeCheck::kValid) employee = EmployeeRepository::FindByCode(*connection, normalized.code);
  if (!employee) employee = EmployeeRepository::FindById(*connection, code_or_id);
  if (!employee) return http::MakeProblem(404, "not-found");
  return std::move(*employee);
}

http::Result<CreatedEmployee> EmployeeService::Create(const Actor& actor, const NewEmployee& untrimmed) {
  const NewEmployee input = Trimmed(untrimmed);
  const auto reasons = ValidateNewEmployee(input);
  if (!reasons.empty()) {
    http::Problem problem = http::MakeProblem(400, "invalid-employee");
    problem.extensions["reasons"] = reasons;
    return problem;
  }
  std::optional<CreatedEmployee> created;
  bool refused = false;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    if (NamesSecurityOfficer(input.roles) && !MayManageSecurityOfficers(connection, actor)) {
      refused = true;
      return;
    }
    if (EmployeeRepository::EmailTaken(connection, input.email)) return;
    created = Insert(connection, actor, input, NowSeconds());
  });
  if (refused) return SecurityOfficersOnly();
  if (!created) return http::MakeProblem(409, "email-taken", {{"email", input.email}});
  return std::move(*created);
}

CreatedEmployee EmployeeService::Insert(store::Connection& connection, const Actor& actor, const NewEmployee& input,
                                        std::int64_t now) {
  CreatedEmployee created;
  Employee& employee = created.employee;
  employee.id = crypto::RandomToken(12);
  do {
    employee.code = GeneratePersonalCode();
  } while (EmployeeRepository::CodeTaken(connection, employee.code));
  employee.name = Trim(input.name);
  employee.email = Trim(input.email);
  employee.position = Trim(input.position);
  employee.roles = input.roles.empty() ? std::vector<std::string>{std::string(kRoleEmployee)} : input.roles;
  std::sort(employee.roles.begin(), employee.roles.end());
  employee.roles.erase(std::unique(employee.roles.begin(), employee.roles.end()), employee.roles.end());
  const std::string department = Trim(input.department);
  if (!department.empty()) {
    employee.department = EmployeeRepository::FindDepartmentByName(connection, department);
    if (!employee.department) employee.department = EmployeeRepository::CreateDepartment(connection, department, now);
  }
  created.one_time_password = GenerateOneTimePassword();
  employee.password_hash = one_time_hasher_.Hash(created.one_time_password);
  employee.must_change_password = true;
  EmployeeRepository::Insert(connection, employee, now);
  audit_.Append(connection, {actor.employee_id,
                             "employee.create",
                             employee.id,
                             actor.client_address,
                             {{"code", employee.code}, {"roles", employee.roles}, {"via", actor.via}}});
  return created;
}

http::Result<std::vector<CreatedEmployee>> EmployeeService::Import(const Actor& actor, std::string_view csv) {
  const CsvDocument document = ParseCsv(csv);
  if (document.error) {
    return http::MakeProblem(400, "csv-invalid", {{"line", document.error->line}, {"reason", document.error->reason}});
  }
  if (document.records.size() < 2) return http::MakeProblem(400, "csv-invalid", {{"line", 1}, {"reason", "empty"}});
  if (document.records.size() - 1 > kMaxImportRows) {
    return http::MakeProblem(400, "csv-invalid", {{"line", kMaxImportRows + 2}, {"reason", "too-many-rows"}});
  }

  // The header names the columns, in any order.
  std::map<std::string, std::size_t> columns;
  const auto& header = document.records.front();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const auto found = ColumnNames().find(FoldCase(Trim(header.fields[i])));
    if (found != ColumnNames().end()) columns[found->second] = i;
  }
  if (!columns.count("name") || !columns.count("email")) {
    return http::MakeProblem(400, "csv-invalid", {{"line", 1}, {"reason", "missing-columns"}});
  }
  const auto cell = [&](const CsvRecord& record, const std::string& column) -> std::string {
    const auto found = columns.find(column);
    if (found == columns.end() || found->second >= record.fields.size()) return {};
    return Trim(record.fields[found->second]);
  };

  std::vector<std::pair<std::size_t, NewEmployee>> rows;
  for (std::size_t i = 1; i < document.records.size(); ++i) {
    const auto& record = document.records[i];
    rows.emplace_back(record.line, NewEmployee{cell(record, "name"), cell(record, "email"), cell(record, "department"),
                                               cell(record, "position"), SplitRoles(cell(record, "roles"))});
  }

  std::optional<std::vector<RejectedRow>> rejected;
  std::vector<CreatedEmployee> created;
  bool refused = false;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const bool names_officer =
        std::any_of(rows.begin(), rows.end(), [](const auto& row) { return NamesSecurityOfficer(row.second.roles); });
    if (names_officer && !MayManageSecurityOfficers(connection, actor)) {
      refused = true;
      return;
    }
    std::vector<RejectedRow> problems;
    std::set<std::string> emails_in_file;
    for (const auto& [line, input] : rows) {
      RejectedRow row{line, ValidateNewEmployee(input)};
      const std::string email = FoldCase(input.email);
      if (!emails_in_file.insert(email).second) row.reasons.emplace_back("email-duplicate-in-file");
      if (EmployeeRepository::EmailTaken(connection, input.email)) row.reasons.emplace_back("email-taken");
      if (!row.reasons.empty()) problems.push_back(std::move(row));
    }
    if (!problems.empty()) {
      rejected = std::move(problems);
      return;  // nothing written; the transaction ends with a commit of no changes
    }
    const std::int64_t now = NowSeconds();
    for (const auto& [line, input] : rows) created.push_back(Insert(connection, actor, input, now));
    audit_.Append(connection, {actor.employee_id,
                               "employee.import",
                               "",
                               actor.client_address,
                               {{"rows", created.size()}, {"via", actor.via}}});
  });
  if (refused) return SecurityOfficersOnly();
  if (rejected) {
    http::Problem problem = http::MakeProblem(422, "import-rejected", {{"count", rejected->size()}});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& row : *rejected) list.push_back({{"line", row.line}, {"reasons", row.reasons}});
    problem.extensions["rejected"] = list;
    return problem;
  }
  return created;
}

http::Status EmployeeService::ChangeStatus(const Actor& actor, const std::string& employee_id,
                                           const std::string& status) {
  bool found = false;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const auto employee = EmployeeRepository::FindById(connection, employee_id);
    if (!employee) return;
    found = true;
    const std::int64_t now = NowSeconds();
    EmployeeRepository::UpdateStatus(connection, employee_id, status, now);
    if (status == "suspended") SessionRepository::RevokeAllOf(connection, employee_id, "", now);
    audit_.Append(connection, {actor.employee_id,
                               status == "suspended" ? "employee.suspend" : "employee.reactivate",
                               employee_id,
                               actor.client_address,
                               {{"via", actor.via}}});
  });
  if (!found) return http::MakeProblem(404, "not-found");
  return http::Ok();
}

http::Status EmployeeService::Suspend(const Actor& actor, const std::string& employee_id) {
  return ChangeStatus(actor, employee_id, "suspended");
}

http::Status EmployeeService::Reactivate(const Actor& actor, const std::string& employee_id) {
  return ChangeStatus(actor, employee_id, "active");
}

http::Result<std::string> EmployeeService::ResetPassword(const Actor& actor, const std::string& employee_id) {
  const std::string password = GenerateOneTimePassword();
  const std::string hash = one_time_hasher_.Hash(password);
  bool found = false;
  bool refused = false;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const auto employee = EmployeeRepository::FindById(connection, employee_id);
    if (!employee) return;
    found = true;
    if (NamesSecurityOfficer(employee->roles) && !MayManageSecurityOfficers(connection, actor)) {
      refused = true;
      return;
    }
    const std::int64_t now = NowSeconds();
    EmployeeRepository::UpdatePassword(connection, employee_id, hash, true, now);
    SessionRepository::RevokeAllOf(connection, employee_id, "", now);
    audit_.Append(
        connection,
        {actor.employee_id, "employee.password_reset", employee_id, actor.client_address, {{"via", actor.via}}});
  });
  if (!found) return http::MakeProblem(404, "not-found");
  if (refused) return SecurityOfficersOnly();
  return password;
}

http::Status EmployeeService::SetRoles(const Actor& actor, const std::string& employee_id,
                                       const std::vector<std::string>& roles) {
  std::vector<std::string> wanted = roles;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  const bool known = std::all_of(wanted.begin(), wanted.end(), [](const auto& role) { return IsKnownRole(role); });
  if (wanted.empty() || !known) {
    http::Problem problem = http::MakeProblem(400, "invalid-employee");
    problem.extensions["reasons"] = {"role-unknown"};
    return problem;
  }
  bool found = false;
  bool refused = false;
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    const auto employee = EmployeeRepository::FindById(connection, employee_id);
    if (!employee) return;
    found = true;
    const bool touches_officer = NamesSecurityOfficer(employee->roles) != NamesSecurityOfficer(wanted);
    if (touches_officer && !MayManageSecurityOfficers(connection, actor)) {
      refused = true;
      return;
    }
    EmployeeRepository::ReplaceRoles(connection, employee_id, wanted, NowSeconds());
    audit_.Append(connection, {actor.employee_id,
                               "employee.roles_change",
                               employee_id,
                               actor.client_address,
                               {{"before", employee->roles}, {"after", wanted}, {"via", actor.via}}});
  });
  if (!found) return http::MakeProblem(404, "not-found");
  if (refused) return SecurityOfficersOnly();
  return http::Ok();
}

}  // namespace egovbox::identity
