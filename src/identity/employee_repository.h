// SQL for employees, departments and roles. Every function runs on the
// connection it is given, so the caller decides the transaction. Throws StoreError.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "identity/employee.h"
#include "store/database.h"

namespace egovbox::identity {

struct DepartmentSummary {
  Department department;
  std::int64_t employee_count = 0;
};

class EmployeeRepository {
 public:
  static std::optional<Employee> FindById(store::Connection& connection, const std::string& id);
  static std::optional<Employee> FindByCode(store::Connection& connection, const std::string& code);
  static bool EmailTaken(store::Connection& connection, const std::string& email);
  static bool CodeTaken(store::Connection& connection, const std::string& code);

  // Inserts the employee and its roles; `employee.id` and `code` must be set.
  static void Insert(store::Connection& connection, const Employee& employee, std::int64_t now);
  static void UpdatePassword(store::Connection& connection, const std::string& id, const std::string& password_hash,
                             bool must_change, std::int64_t now);
  static void UpdateStatus(store::Connection& connection, const std::string& id, const std::string& status,
                           std::int64_t now);
  static void ReplaceRoles(store::Connection& connection, const std::string& id, const std::vector<std::string>& roles,
                           std::int64_t now);
  static void UpdateTotp(store::Connection& connection, const Employee& employee, std::int64_t now);

  // Active employees whose name, position or code contains `query` (folded), in
  // name order; `department_id` narrows it when set.
  static std::vector<Employee> Search(store::Connection& connection, const std::string& query,
                                      const std::optional<std::string>& department_id, int limit);

  static std::vector<DepartmentSummary> Departments(store::Connection& connection);
  static std::optional<Department> FindDepartmentByName(store::Connection& connection, const std::string& name);
  static Department CreateDepartment(store::Connection& connection, const std::string& name, std::int64_t now);
};

}  // namespace egovbox::identity
