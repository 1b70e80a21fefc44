#include "identity/password_policy.h"

#include <algorithm>
#include <array>

#include "identity/personal_code.h"
#include "identity/text_folding.h"

namespace egovbox::identity {
namespace {

constexpr std::size_t kMinNamePartLength = 3;

// Long passwords that still come first in every guessing list.
constexpr std::array<std::string_view, 12> kCommonPasswords = {
    "password1234", "password123456", "qwertyuiop12", "qwertyuiopasdf", "123456789012", "1234567890123",
    "parola123456", "парола123456",   "паролапарола", "administrator1", "letmein12345", "iloveyou1234",
};

// One character repeated, or a run up or down the character table ("abcdefghijkl",
// "абвгдежзийкл"). Compares code points, so that Cyrillic counts as well as Latin.
bool IsTrivialPattern(std::string_view folded) {
  const std::u32string text = DecodeUtf8(folded);
  if (text.size() < 2) return true;
  const bool repeated = std::all_of(text.begin(), text.end(), [&](char32_t c) { return c == text.front(); });
  bool ascending = true;
  bool descending = true;
  for (std::size_t i = 1; i < text.size(); ++i) {
    ascending = ascending && text[i] == text[i - 1] + 1;
    descending = descending && text[i] + 1 == text[i - 1];
  }
  return repeated || ascending || descending;
}

}  // namespace

std::vector<std::string> CheckPassword(std::string_view password, const PasswordContext& context) {
  std::vector<std::string> violations;
  const std::size_t length = CodePointCount(password);
  if (length < kMinPasswordLength) violations.emplace_back("too-short");
  if (length > kMaxPasswordLength) violations.emplace_back("too-long");

  const std::string folded = FoldCase(password);
  if (!context.personal_code.empty()) {
    const std::string code = FoldCase(context.personal_code);
    const std::string formatted = FoldCase(FormatPersonalCode(context.personal_code));
    if (folded.find(code) != std::string::npos || folded.find(formatted) != std::string::npos) {
      violations.emplace_back("contains-code");
    }
  }
  for (const std::string& part : NameParts(context.name)) {
    if (CodePointCount(part) >= kMinNamePartLength && folded.find(part) != std::string::npos) {
      violations.emplace_back("contains-name");
      break;
    }
  }
  if (!context.current_password.empty() && password == context.current_password) {
    violations.emplace_back("same-as-current");
  }
  const bool common = std::find(kCommonPasswords.begin(), kCommonPasswords.end(), folded) != kCommonPasswords.end();
  if (common || IsTrivialPattern(folded)) violations.emplace_back("too-common");
  return violations;
}

}  // namespace egovbox::identity
