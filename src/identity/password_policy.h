// What a new password must be: long enough (length beats composition rules,
// NIST SP 800-63B §5.1.1), not built from the person's own code or name, not
// the password it replaces, not one of the first guesses of any attacker.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace egovbox::identity {

constexpr std::size_t kMinPasswordLength = 12;  // code points
constexpr std::size_t kMaxPasswordLength = 128;

struct PasswordContext {
  std::string_view personal_code;  // normalised
  std::string_view name;
  std::string_view current_password;  // empty when unknown (an administrator's reset)
};

// The violated rules, by stable name: "too-short", "too-long", "contains-code",
// "contains-name", "same-as-current", "too-common". Empty when the password is fine.
std::vector<std::string> CheckPassword(std::string_view password, const PasswordContext& context);

}  // namespace egovbox::identity
