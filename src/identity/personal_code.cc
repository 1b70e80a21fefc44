#include "identity/personal_code.h"

#include <array>
#include <utility>

#include "crypto/random.h"

namespace egovbox::identity {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kRadix = 32;
constexpr std::size_t kDataLength = 7;

// Cyrillic capitals and small letters (UTF-8) that look like a character of the alphabet.
constexpr std::array<std::pair<std::string_view, char>, 24> kLookalikes = {{
    {"А", 'A'}, {"В", 'B'}, {"Е", 'E'}, {"К", 'K'}, {"М", 'M'}, {"Н", 'H'}, {"О", '0'}, {"Р", 'P'},
    {"С", 'C'}, {"Т", 'T'}, {"Х", 'X'}, {"У", 'Y'}, {"а", 'A'}, {"в", 'B'}, {"е", 'E'}, {"к", 'K'},
    {"м", 'M'}, {"н", 'H'}, {"о", '0'}, {"р", 'P'}, {"с", 'C'}, {"т", 'T'}, {"х", 'X'}, {"у", 'Y'},
}};

int ValueOf(char c) {
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Luhn mod N: double every second value from the right, fold, sum.
int LuhnSum(std::string_view text, int first_factor) {
  int factor = first_factor;
  int sum = 0;
  for (auto it = text.rbegin(); it != text.rend(); ++it) {
    int addend = factor * ValueOf(*it);
    factor = factor == 2 ? 1 : 2;
    addend = addend / kRadix + addend % kRadix;
    sum += addend;
  }
  return sum;
}

}  // namespace

char PersonalCodeCheckCharacter(std::string_view data) {
  const int remainder = LuhnSum(data, 2) % kRadix;
  return kAlphabet[static_cast<std::size_t>((kRadix - remainder) % kRadix)];
}

NormalizedCode NormalizePersonalCode(std::string_view input) {
  std::string code;
  std::size_t i = 0;
  while (i < input.size()) {
    const char c = input[i];
    if (c == ' ' || c == '-' || c == '_' || c == '\t') {
      ++i;
      continue;
    }
    bool matched = false;
    for (const auto& [cyrillic, latin] : kLookalikes) {
      if (input.substr(i, cyrillic.size()) == cyrillic) {
        code.push_back(latin);
        i += cyrillic.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (upper == 'O') upper = '0';
    if (upper == 'I' || upper == 'L') upper = '1';
    if (ValueOf(upper) < 0) return {CodeCheck::kMalformed, {}};
    code.push_back(upper);
    ++i;
    if (code.size() > kDataLength + 1) return {CodeCheck::kMalformed, {}};
  }
  if (code.size() != kDataLength + 1) return {CodeCheck::kMalformed, {}};
  if (LuhnSum(code, 1) % kRadix != 0) return {CodeCheck::kCheckMismatch, code};
  return {CodeCheck::kValid, code};
}

std::string GeneratePersonalCode() {
  std::string data;
  for (std::size_t i = 0; i < kDataLength; ++i) data.push_back(kAlphabet[crypto::RandomBelow(kRadix)]);
  data.push_back(PersonalCodeCheckCharacter(data));
  return data;
}

std::string FormatPersonalCode(std::string_view code) {
  if (code.size() != kDataLength + 1) return std::string(code);
  return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

}  // namespace egovbox::identity
