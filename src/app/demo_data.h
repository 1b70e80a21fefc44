// The demo organisation, created on the first start with an empty database
// (unless `demo = false`): departments, about twenty employees with Bulgarian
// names, an administrator, a security officer, a clerk and councillors, two
// halls and a few meetings in the coming days.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "identity/employee_service.h"
#include "meetings/meeting_service.h"
#include "meetings/room_service.h"

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
// Also two halls and a few meetings in the coming days.
std::optional<std::vector<DemoAccount>> SeedDemoData(identity::EmployeeService& employees, store::Database& database,
                                                     meetings::RoomService& rooms, meetings::MeetingService& meetings,
                                                     const std::filesystem::path& data_dir);

}  // namespace egovbox::app
