// The demo organisation, created on the first start with an empty database
// (unless `demo = false`): departments, about twenty employees with Bulgarian
// names, an administrator, a security officer, a clerk and councillors.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "identity/employee_service.h"

namespace egovbox::app {

struct DemoAccount {
  std::string role_label;  // "administrator", "employee", ...
  std::string name;
  std::string code;  // formatted
  std::string one_time_password;
};

// Creates the demo data when there are no employees yet; returns the accounts to
// print (and writes them to <data_dir>/demo-credentials.txt, mode 0600), or
// nullopt when the database already had employees.
std::optional<std::vector<DemoAccount>> SeedDemoData(identity::EmployeeService& employees, store::Database& database,
                                                     const std::filesystem::path& data_dir);

}  // namespace egovbox::app
