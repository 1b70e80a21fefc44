#include "identity/employee.h"

#include <algorithm>
#include <array>

#include "identity/personal_code.h"

namespace egovbox::identity {

bool IsKnownRole(std::string_view role) {
  static constexpr std::array kRoles = {kRoleEmployee, kRoleCouncillor, kRoleClerk, kRoleAdministrator,
                                        kRoleSecurityOfficer};
  return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

bool RequiresSecondFactor(const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(), [](const std::string& role) {
    return role == kRoleAdministrator || role == kRoleSecurityOfficer;
  });
}

nlohmann::json DirectoryJson(const Employee& employee) {
  nlohmann::json department;
  if (employee.department) department = {{"id", employee.department->id}, {"name", employee.department->name}};
  return {{"id", employee.id},        {"code", FormatPersonalCode(employee.code)},
          {"name", employee.name},    {"email", employee.email},
          {"department", department}, {"position", employee.position}};
}

nlohmann::json SelfJson(const Employee& employee) {
  nlohmann::json json = DirectoryJson(employee);
  json["roles"] = employee.roles;
  json["status"] = employee.status;
  json["totp_enabled"] = employee.totp_enabled();
  json["must_change_password"] = employee.must_change_password;
  json["must_enroll_totp"] = employee.MustEnrollTotp();
  return json;
}

}  // namespace egovbox::identity
