// Fuzz target for what a person types at sign-in and at a password change:
// identity::NormalizePersonalCode, the text folding behind name search and the
// password policy. The input is up to four lines: the personal code as typed, a
// new password, the person's name, the current password; the text functions also
// see the whole input. Invariants: a well-formed code is eight characters of the
// alphabet and its check character is the one computed from the other seven; a
// valid code read back from its printed form is itself; folding keeps valid
// UTF-8 valid, is idempotent and keeps its length; the policy's length and
// same-as-current verdicts match what they say.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "identity/password_policy.h"
#include "identity/personal_code.h"
#include "identity/text_folding.h"

namespace {

namespace identity = egovbox::identity;

// The next line of `text`, removed from it; empty when there is none.
std::string_view NextLine(std::string_view& text) {
  const auto end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return line;
}

bool Contains(const std::vector<std::string>& violations, std::string_view rule) {
  return std::find(violations.begin(), violations.end(), rule) != violations.end();
}

void CheckCode(std::string_view typed) {
  const identity::NormalizedCode normalized = identity::NormalizePersonalCode(typed);
  const std::string& code = normalized.code;
  if (normalized.check == identity::CodeCheck::kMalformed) {
    if (!code.empty()) __builtin_trap();
    return;
  }
  if (code.size() != 8 || code.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") != std::string::npos) {
    __builtin_trap();
  }
  const bool check_matches = identity::PersonalCodeCheckCharacter(std::string_view(code).substr(0, 7)) == code[7];
  if (check_matches != (normalized.check == identity::CodeCheck::kValid)) __builtin_trap();
  if (normalized.check == identity::CodeCheck::kValid) {
    const auto again = identity::NormalizePersonalCode(identity::FormatPersonalCode(code));
    if (again.check != identity::CodeCheck::kValid || again.code != code) __builtin_trap();
  }
}

void CheckText(std::string_view text) {
  const auto invalid_line = identity::FirstInvalidUtf8Line(text);
  if (invalid_line &&
      (*invalid_line < 1 || *invalid_line > 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')))) {
    __builtin_trap();
  }
  if (identity::IsCleanText(text) && invalid_line) __builtin_trap();

  // Invalid bytes fold to U+FFFD, so the folded text is always valid UTF-8; the
  // folded letters are as long in UTF-8 as the capitals they replace.
  const std::string folded = identity::FoldCase(text);
  if (identity::FirstInvalidUtf8Line(folded) || identity::FoldCase(folded) != folded) __builtin_trap();
  if (!invalid_line && folded.size() != text.size()) __builtin_trap();
  if (identity::DecodeUtf8(text).size() != identity::CodePointCount(text)) __builtin_trap();

  for (const std::string& part : identity::NameParts(text)) {
    if (part.empty() || identity::FoldCase(part) != part) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view rest = input;
  const std::string_view typed_code = NextLine(rest);
  const std::string_view password = NextLine(rest);
  const std::string_view name = NextLine(rest);
  const std::string_view current_password = NextLine(rest);

  CheckCode(typed_code);
  CheckText(input);

  const auto code = identity::NormalizePersonalCode(typed_code).code;
  const auto violations = identity::CheckPassword(password, {code, name, current_password});
  const std::size_t length = identity::CodePointCount(password);
  if (Contains(violations, "too-short") != (length < identity::kMinPasswordLength)) __builtin_trap();
  if (Contains(violations, "too-long") != (length > identity::kMaxPasswordLength)) __builtin_trap();
  if (Contains(violations, "same-as-current") != (!current_password.empty() && password == current_password)) {
    __builtin_trap();
  }
  return 0;
}
