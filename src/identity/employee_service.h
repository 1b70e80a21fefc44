// The colleague directory, and the administration of employees: create, import
// from CSV, suspend, reactivate, reset a password, set roles. Used by the API
// (administrators) and by `egovbox admin` alike. Thread-safe; blocks on the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "crypto/password_hasher.h"
#include "http/problem.h"
#include "identity/employee.h"
#include "identity/employee_repository.h"
#include "store/database.h"

namespace egovbox::identity {

// Who does an administrative action, for the audit log.
struct Actor {
  std::optional<std::string> employee_id;  // nullopt: the command line
  std::string client_address;
  std::string via;  // "api" or "cli"
};

struct NewEmployee {
  std::string name;
  std::string email;
  std::string department;  // by name; created when new; empty for none
  std::string position;
  std::vector<std::string> roles;  // empty means {"employee"}
};

struct CreatedEmployee {
  Employee employee;
  std::string one_time_password;  // shown once; must be changed at first sign-in
};

struct RejectedRow {
  std::size_t line = 0;
  std::vector<std::string> reasons;
};

class EmployeeService {
 public:
  static constexpr int kDirectoryLimit = 50;
  static constexpr std::size_t kMaxImportRows = 5000;

  // `one_time_hasher` hashes the generated one-time passwords: 80 random bits
  // need no slow hash, and an import of thousands must not take minutes.
  EmployeeService(store::Database& database, const audit::AuditLog& audit,
                  const crypto::PasswordHasher& one_time_hasher);

  std::vector<Employee> Search(const std::string& query, const std::optional<std::string>& department_id);
  std::vector<DepartmentSummary> Departments();
  // By personal code (any spelling) or id; not-found (404).
  http::Result<Employee> Find(const std::string& code_or_id);

  // Problems: invalid-employee (400, "reasons"), email-taken (409).
  http::Result<CreatedEmployee> Create(const Actor& actor, const NewEmployee& input);
  // All rows or none. Problems: csv-invalid (400), import-rejected (422, "rejected": [{line, reasons}]).
  http::Result<std::vector<CreatedEmployee>> Import(const Actor& actor, std::string_view csv);
  http::Status Suspend(const Actor& actor, const std::string& employee_id);
  http::Status Reactivate(const Actor& actor, const std::string& employee_id);
  // A new one-time password; every session of the person is signed out.
  http::Result<std::string> ResetPassword(const Actor& actor, const std::string& employee_id);
  // invalid-employee (400) for an unknown role or an empty list.
  http::Status SetRoles(const Actor& actor, const std::string& employee_id, const std::vector<std::string>& roles);

 private:
  CreatedEmployee Insert(store::Connection& connection, const Actor& actor, const NewEmployee& input, std::int64_t now);
  http::Status ChangeStatus(const Actor& actor, const std::string& employee_id, const std::string& status);

  store::Database& database_;
  const audit::AuditLog& audit_;
  const crypto::PasswordHasher& one_time_hasher_;
};

// The reasons a new employee's data is refused ("name-missing", "email-invalid", ...).
std::vector<std::string> ValidateNewEmployee(const NewEmployee& input);
// Sixteen characters in four groups: 80 random bits, easy to read aloud.
std::string GenerateOneTimePassword();

}  // namespace egovbox::identity
