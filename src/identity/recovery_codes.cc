#include "identity/recovery_codes.h"

#include "crypto/random.h"

namespace egovbox::identity {
namespace {

constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::vector<std::string> GenerateRecoveryCodes() {
  std::vector<std::string> codes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    std::string code;
    for (int group = 0; group < 3; ++group) {
      if (group > 0) code.push_back('-');
      for (int c = 0; c < 5; ++c) code.push_back(kAlphabet[crypto::RandomBelow(kAlphabet.size())]);
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

std::string NormalizeRecoveryCode(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c == '-' || c == ' ') continue;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

}  // namespace egovbox::identity
