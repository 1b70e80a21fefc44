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

// Multiplication by x in GF(32) = GF(2)[x] / (x^5 + x^2 + 1); x is a primitive element.
int TimesX(int value) {
  value <<= 1;
  return (value & kRadix) != 0 ? value ^ 0b100101 : value;
}

// Sum over i of x^(n-1-i) * value(text[i]) in GF(32), by Horner's rule; addition is XOR.
// A changed character changes the sum by x^k * (its change), never zero. Neighbours
// a, b swapped change it by x^k * (x + 1) * (a + b), zero only when a == b.
int WeightedSum(std::string_view text) {
  int sum = 0;
  for (char c : text) sum = TimesX(sum) ^ ValueOf(c);
  return sum;
}

}  // namespace

char PersonalCodeCheckCharacter(std::string_view data) {
  // The check character c makes x * sum(data) + c zero, and in GF(32) -v == v.
  return kAlphabet[static_cast<std::size_t>(TimesX(WeightedSum(data)) & (kRadix - 1))];
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
  if (WeightedSum(code) != 0) return {CodeCheck::kCheckMismatch, code};
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
