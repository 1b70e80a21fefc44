// Employees, departments and roles: the plain data of the identity module.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::identity {

// Role names as stored and as sent on the wire.
inline constexpr std::string_view kRoleEmployee = "employee";
inline constexpr std::string_view kRoleCouncillor = "councillor";
inline constexpr std::string_view kRoleClerk = "clerk";
inline constexpr std::string_view kRoleAdministrator = "administrator";
inline constexpr std::string_view kRoleSecurityOfficer = "security_officer";

bool IsKnownRole(std::string_view role);
// Administrators and security officers must sign in with a second factor.
bool RequiresSecondFactor(const std::vector<std::string>& roles);

struct Department {
  std::string id;
  std::string name;
};

struct Employee {
  std::string id;
  std::string code;  // normalised personal code
  std::string name;
  std::string email;
  std::optional<Department> department;
  std::string position;
  std::vector<std::string> roles;
  std::string status = "active";  // "active" or "suspended"
  bool must_change_password = true;

  // Credentials: never leave the server.
  std::string password_hash;
  std::optional<std::string> totp_secret;
  std::optional<std::string> totp_pending_secret;
  std::optional<std::int64_t> totp_last_step;

  bool active() const { return status == "active"; }
  bool totp_enabled() const { return totp_secret.has_value(); }
  bool MustEnrollTotp() const { return RequiresSecondFactor(roles) && !totp_enabled(); }
};

// What a colleague may see: the directory entry.
nlohmann::json DirectoryJson(const Employee& employee);
// What the person sees of themselves.
nlohmann::json SelfJson(const Employee& employee);

}  // namespace egovbox::identity
