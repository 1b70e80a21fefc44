#include "identity/personal_code.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "crypto/random.h"

namespace egovbox::identity {

// For readable failure messages.
void PrintTo(CodeCheck check, std::ostream* out) {
  *out << (check == CodeCheck::kValid ? "kValid" : check == CodeCheck::kMalformed ? "kMalformed" : "kCheckMismatch");
}

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string WithCheck(const std::string& data) {
  return data + PersonalCodeCheckCharacter(data);
}

CodeCheck Check(std::string_view input) {
  return NormalizePersonalCode(input).check;
}

// Latin letters of the alphabet, written with their Cyrillic lookalikes.
std::string InCyrillic(const std::string& code) {
  static const std::map<char, std::string> kLookalikes = {{'A', "А"}, {'B', "В"}, {'C', "С"}, {'E', "Е"},
                                                          {'H', "Н"}, {'K', "К"}, {'M', "М"}, {'P', "Р"},
                                                          {'T', "Т"}, {'X', "Х"}, {'Y', "У"}, {'0', "О"}};
  std::string out;
  for (char c : code) {
    const auto found = kLookalikes.find(c);
    out += found == kLookalikes.end() ? std::string(1, c) : found->second;
  }
  return out;
}

class PersonalCodeTest : public ::testing::Test {
 protected:
  void SetUp() override { crypto::InitializeCrypto(); }
};

TEST_F(PersonalCodeTest, GeneratedCodesAreValidAndInTheAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::string code = GeneratePersonalCode();
    ASSERT_EQ(code.size(), 8U) << code;
    for (char c : code) ASSERT_NE(kAlphabet.find(c), std::string_view::npos) << code;
    const auto normalized = NormalizePersonalCode(code);
    ASSERT_EQ(normalized.check, CodeCheck::kValid) << code;
    EXPECT_EQ(normalized.code, code);
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 2000U);  // 35 bits of randomness: a repeat here is a broken generator
}

TEST_F(PersonalCodeTest, FormatsWithADashInTheMiddle) {
  EXPECT_EQ(FormatPersonalCode("K7M4QX2P"), "K7M4-QX2P");
  EXPECT_EQ(FormatPersonalCode("SHORT"), "SHORT");  // not a code: left alone
  EXPECT_EQ(FormatPersonalCode(""), "");
}

TEST_F(PersonalCodeTest, NormalisationIgnoresCaseSpacesAndDashes) {
  const std::string code = WithCheck("K7M4QX2");
  const std::string formatted = FormatPersonalCode(code);
  std::string lower = formatted;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string& input :
       {code, formatted, lower, " " + lower + " ",
        code.substr(0, 2) + " " + code.substr(2, 2) + "\t" + code.substr(4, 2) + "_" + code.substr(6),
        "--" + formatted + "--"}) {
    const auto normalized = NormalizePersonalCode(input);
    EXPECT_EQ(normalized.check, CodeCheck::kValid) << input;
    EXPECT_EQ(normalized.code, code) << input;
  }
}

TEST_F(PersonalCodeTest, NormalisationReadsOAsZeroAndIOrLAsOne) {
  const std::string code = WithCheck("K0M1Q12");
  ASSERT_EQ(code.substr(0, 7), "K0M1Q12");
  for (const std::string& input : {std::string("KOM1Q12"), std::string("kom1q12"), std::string("K0MIQL2"),
                                   std::string("K0MiQl2"), std::string("KoMlQi2")}) {
    const auto normalized = NormalizePersonalCode(input + code.substr(7));
    EXPECT_EQ(normalized.check, CodeCheck::kValid) << input;
    EXPECT_EQ(normalized.code, code) << input;
  }
}

TEST_F(PersonalCodeTest, NormalisationReadsCyrillicLookalikesAsLatin) {
  // Typed on a Bulgarian keyboard: "К7М4-ХР2..." with Cyrillic К, М, Х, Р.
  for (const char* data : {"K7M4XP2", "ABCEHKM", "PTXY0AB"}) {
    const std::string code = WithCheck(data);
    const std::string cyrillic = InCyrillic(FormatPersonalCode(code));
    ASSERT_NE(cyrillic, FormatPersonalCode(code));
    const auto normalized = NormalizePersonalCode(cyrillic);
    EXPECT_EQ(normalized.check, CodeCheck::kValid) << cyrillic;
    EXPECT_EQ(normalized.code, code) << cyrillic;

    // Small Cyrillic letters too.
    std::string lower = cyrillic;
    const std::map<std::string, std::string> kSmall = {{"А", "а"}, {"В", "в"}, {"С", "с"}, {"Е", "е"},
                                                       {"Н", "н"}, {"К", "к"}, {"М", "м"}, {"Р", "р"},
                                                       {"Т", "т"}, {"Х", "х"}, {"У", "у"}, {"О", "о"}};
    for (const auto& [capital, small] : kSmall) {
      for (auto at = lower.find(capital); at != std::string::npos; at = lower.find(capital)) {
        lower.replace(at, capital.size(), small);
      }
    }
    EXPECT_EQ(NormalizePersonalCode(lower).code, code) << lower;
  }
}

TEST_F(PersonalCodeTest, OtherCyrillicLettersAreMalformed) {
  const std::string code = WithCheck("K7M4QX2");
  EXPECT_EQ(Check("Ж" + code.substr(1)), CodeCheck::kMalformed);
  EXPECT_EQ(Check(code.substr(0, 7) + "Я"), CodeCheck::kMalformed);
}

TEST_F(PersonalCodeTest, CharactersOutsideTheAlphabetAreMalformed) {
  const std::string code = WithCheck("K7M4QX2");
  for (const char* bad : {"U", "!", "*", "é", "\xff", "\n"}) {
    const auto normalized = NormalizePersonalCode(code.substr(0, 3) + bad + code.substr(4));
    EXPECT_EQ(normalized.check, CodeCheck::kMalformed) << bad;
    EXPECT_TRUE(normalized.code.empty()) << bad;
  }
}

TEST_F(PersonalCodeTest, WrongLengthIsMalformed) {
  const std::string code = WithCheck("K7M4QX2");
  for (const std::string& input :
       {std::string(), std::string("-- --"), code.substr(0, 7), code + "0", code + code, std::string(1000, 'A')}) {
    const auto normalized = NormalizePersonalCode(input);
    EXPECT_EQ(normalized.check, CodeCheck::kMalformed) << input;
    EXPECT_TRUE(normalized.code.empty()) << input;
  }
}

TEST_F(PersonalCodeTest, CatchesEverySingleCharacterTypo) {
  std::vector<std::string> codes = {WithCheck("0000000"), WithCheck("ZZZZZZZ"), WithCheck("K7M4QX2")};
  for (int i = 0; i < 50; ++i) codes.push_back(GeneratePersonalCode());
  for (const std::string& code : codes) {
    for (std::size_t position = 0; position < code.size(); ++position) {
      for (char replacement : kAlphabet) {
        if (replacement == code[position]) continue;
        std::string typo = code;
        typo[position] = replacement;
        ASSERT_EQ(Check(typo), CodeCheck::kCheckMismatch) << code << " -> " << typo;
      }
      std::string outside = code;
      outside[position] = 'U';
      ASSERT_EQ(Check(outside), CodeCheck::kMalformed) << outside;
    }
  }
}

TEST_F(PersonalCodeTest, CatchesEverySwapOfTwoDifferentNeighboursInTheData) {
  // Every pair of characters, at every pair of neighbouring data positions.
  for (std::size_t position = 0; position + 1 < 7; ++position) {
    for (char first : kAlphabet) {
      for (char second : kAlphabet) {
        if (first == second) continue;
        std::string data = "0000000";
        data[position] = first;
        data[position + 1] = second;
        const std::string code = WithCheck(data);
        std::string swapped = code;
        std::swap(swapped[position], swapped[position + 1]);
        ASSERT_NE(Check(swapped), CodeCheck::kValid) << code << " -> " << swapped;
      }
    }
  }
}

TEST_F(PersonalCodeTest, CatchesEverySwapOfTheCheckCharacterWithItsNeighbour) {
  // For each last data character and each check character, find a code that has
  // them (the first character steers the check character), then swap the two.
  for (char last : kAlphabet) {
    for (char check : kAlphabet) {
      if (last == check) continue;
      std::string code;
      for (char first : kAlphabet) {
        const std::string candidate = WithCheck(std::string(1, first) + "00000" + last);
        if (candidate.back() == check) code = candidate;
      }
      ASSERT_FALSE(code.empty()) << "no code ends in " << last << check;
      std::string swapped = code;
      std::swap(swapped[6], swapped[7]);
      ASSERT_NE(Check(swapped), CodeCheck::kValid) << code << " -> " << swapped;
    }
  }
}

TEST_F(PersonalCodeTest, CheckCharacterIsTheGf32WeightedSum) {
  // Fixed values, so that another implementation (a script, the web app) can be
  // checked against this one. "1000000": x^7 = x^4 + x^2 = 20 = 'M' modulo x^5 + x^2 + 1.
  EXPECT_EQ(PersonalCodeCheckCharacter("0000000"), '0');
  EXPECT_EQ(PersonalCodeCheckCharacter("0000001"), '2');
  EXPECT_EQ(PersonalCodeCheckCharacter("1000000"), 'M');
  EXPECT_EQ(PersonalCodeCheckCharacter("ZZZZZZZ"), 'C');
  EXPECT_EQ(PersonalCodeCheckCharacter("K7M4QX2"), 'Z');
  EXPECT_EQ(Check("K7M4-QX2Z"), CodeCheck::kValid);
}

TEST_F(PersonalCodeTest, CheckCharacterDependsOnEveryDataPosition) {
  // The check character is a bijection of each single data character.
  for (std::size_t position = 0; position < 7; ++position) {
    std::set<char> checks;
    for (char c : kAlphabet) {
      std::string data = "K7M4QX2";
      data[position] = c;
      checks.insert(PersonalCodeCheckCharacter(data));
    }
    EXPECT_EQ(checks.size(), kAlphabet.size()) << position;
  }
}

}  // namespace
}  // namespace egovbox::identity
