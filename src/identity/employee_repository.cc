#include "identity/employee_repository.h"

#include <fmt/format.h>

#include "crypto/random.h"
#include "identity/personal_code.h"
#include "identity/text_folding.h"

namespace egovbox::identity {
namespace {

constexpr const char* kSelectEmployee =
    "SELECT e.id, e.code, e.name, e.email, e.department_id, d.name, e.position, e.status,"
    " e.must_change_password, e.password_hash, e.totp_secret, e.totp_pending_secret, e.totp_last_step"
    " FROM employees e LEFT JOIN departments d ON d.id = e.department_id ";

Employee ReadEmployee(const store::Row& row) {
  Employee employee;
  employee.id = row.Text(0);
  employee.code = row.Text(1);
  employee.name = row.Text(2);
  employee.email = row.Text(3);
  if (!row.IsNull(4)) employee.department = Department{row.Text(4), row.Text(5)};
  employee.position = row.Text(6);
  employee.status = row.Text(7);
  employee.must_change_password = row.Bool(8);
  employee.password_hash = row.Text(9);
  employee.totp_secret = row.OptionalText(10);
  employee.totp_pending_secret = row.OptionalText(11);
  employee.totp_last_step = row.OptionalInt(12);
  return employee;
}

void LoadRoles(store::Connection& connection, Employee& employee) {
  for (const auto& row :
       connection.Query("SELECT role FROM employee_roles WHERE employee_id = ? ORDER BY role", {employee.id})) {
    employee.roles.push_back(row.Text(0));
  }
}

std::optional<Employee> FindOne(store::Connection& connection, const std::string& where, const std::string& value) {
  auto row = connection.QueryOne(kSelectEmployee + where, {value});
  if (!row) return std::nullopt;
  Employee employee = ReadEmployee(*row);
  LoadRoles(connection, employee);
  return employee;
}

// The code goes in both ways it is written: "K7M4QX2Z" and "K7M4-QX2Z".
std::string SearchText(const Employee& employee) {
  return FoldCase(employee.name + " " + employee.position + " " + employee.code + " " +
                  FormatPersonalCode(employee.code));
}

}  // namespace

std::optional<Employee> EmployeeRepository::FindById(store::Connection& connection, const std::string& id) {
  return FindOne(connection, "WHERE e.id = ?", id);
}

std::optional<Employee> EmployeeRepository::FindByCode(store::Connection& connection, const std::string& code) {
  return FindOne(connection, "WHERE e.code = ?", code);
}

bool EmployeeRepository::EmailTaken(store::Connection& connection, const std::string& email) {
  return connection.QueryOne("SELECT 1 FROM employees WHERE lower(email) = lower(?)", {email}).has_value();
}

bool EmployeeRepository::CodeTaken(store::Connection& connection, const std::string& code) {
  return connection.QueryOne("SELECT 1 FROM employees WHERE code = ?", {code}).has_value();
}

void EmployeeRepository::Insert(store::Connection& connection, const Employee& employee, std::int64_t now) {
  connection.Execute(
      "INSERT INTO employees (id, code, name, search_text, email, department_id, position, status,"
      " must_change_password, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {employee.id, employee.code, employee.name, SearchText(employee), employee.email,
       employee.department ? store::Value(employee.department->id) : store::Value(), employee.position, employee.status,
       static_cast<std::int64_t>(employee.must_change_password), employee.password_hash, now, now});
  for (const auto& role : employee.roles) {
    connection.Execute("INSERT INTO employee_roles (employee_id, role) VALUES (?, ?)", {employee.id, role});
  }
}

void EmployeeRepository::UpdatePassword(store::Connection& connection, const std::string& id,
                                        const std::string& password_hash, bool must_change, std::int64_t now) {
  connection.Execute("UPDATE employees SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?",
                     {password_hash, static_cast<std::int64_t>(must_change), now, id});
}

void EmployeeRepository::UpdateStatus(store::Connection& connection, const std::string& id, const std::string& status,
                                      std::int64_t now) {
  connection.Execute("UPDATE employees SET status = ?, updated_at = ? WHERE id = ?", {status, now, id});
}

void EmployeeRepository::ReplaceRoles(store::Connection& connection, const std::string& id,
                                      const std::vector<std::string>& roles, std::int64_t now) {
  connection.Execute("DELETE FROM employee_roles WHERE employee_id = ?", {id});
  for (const auto& role : roles) {
    connection.Execute("INSERT INTO employee_roles (employee_id, role) VALUES (?, ?)", {id, role});
  }
  connection.Execute("UPDATE employees SET updated_at = ? WHERE id = ?", {now, id});
}

void EmployeeRepository::UpdateTotp(store::Connection& connection, const Employee& employee, std::int64_t now) {
  connection.Execute(
      "UPDATE employees SET totp_secret = ?, totp_pending_secret = ?, totp_last_step = ?, updated_at = ?"
      " WHERE id = ?",
      {store::OptionalText(employee.totp_secret), store::OptionalText(employee.totp_pending_secret),
       employee.totp_last_step ? store::Value(*employee.totp_last_step) : store::Value(), now, employee.id});
}

std::vector<Employee> EmployeeRepository::Search(store::Connection& connection, const std::string& query,
                                                 const std::optional<std::string>& department_id, int limit) {
  // instr() rather than LIKE: the query is the user's text and may hold % or _.
  // A NULL department matches every department.
  static const std::string kSql = fmt::format(
      "{}WHERE e.status = 'active' AND instr(e.search_text, ?) > 0"
      " AND (? IS NULL OR e.department_id = ?) ORDER BY e.name LIMIT ?",
      kSelectEmployee);
  const store::Value department = store::OptionalText(department_id);
  const store::Params params = {FoldCase(query), department, department, static_cast<std::int64_t>(limit)};
  std::vector<Employee> employees;
  for (const auto& row : connection.Query(kSql, params)) employees.push_back(ReadEmployee(row));
  return employees;
}

std::vector<DepartmentSummary> EmployeeRepository::Departments(store::Connection& connection) {
  std::vector<DepartmentSummary> departments;
  for (const auto& row :
       connection.Query("SELECT d.id, d.name, (SELECT count(*) FROM employees e WHERE e.department_id = d.id"
                        " AND e.status = 'active') FROM departments d ORDER BY d.name")) {
    departments.push_back({{row.Text(0), row.Text(1)}, row.Int(2)});
  }
  return departments;
}

std::optional<Department> EmployeeRepository::FindDepartmentByName(store::Connection& connection,
                                                                   const std::string& name) {
  auto row = connection.QueryOne("SELECT id, name FROM departments WHERE name = ?", {name});
  if (!row) return std::nullopt;
  return Department{row->Text(0), row->Text(1)};
}

Department EmployeeRepository::CreateDepartment(store::Connection& connection, const std::string& name,
                                                std::int64_t now) {
  Department department{crypto::RandomToken(12), name};
  connection.Execute("INSERT INTO departments (id, name, created_at) VALUES (?, ?, ?)",
                     {department.id, department.name, now});
  return department;
}

}  // namespace egovbox::identity
