#include "identity/password_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace egovbox::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const PasswordContext kIvan{"K7M4QX2P", "Иван Петров-Стоянов", "стара парола 2023"};

TEST(PasswordPolicyTest, AcceptsALongUnrelatedPassword) {
  EXPECT_THAT(CheckPassword("зелена ябълка на масата", kIvan), IsEmpty());
  EXPECT_THAT(CheckPassword("correct horse battery staple", kIvan), IsEmpty());
}

TEST(PasswordPolicyTest, LengthIsCountedInCharactersNotBytes) {
  // Eleven Cyrillic letters are 22 bytes but still too short; twelve are enough.
  EXPECT_THAT(CheckPassword("жълтакуфарч", {}), ElementsAre("too-short"));
  EXPECT_THAT(CheckPassword("жълтакуфарчо", {}), IsEmpty());
  EXPECT_THAT(CheckPassword("yellow-case", {}), ElementsAre("too-short"));
  EXPECT_THAT(CheckPassword("yellow-cases", {}), IsEmpty());
}

TEST(PasswordPolicyTest, RefusesMoreThan128Characters) {
  std::string latin;
  std::string cyrillic;
  for (int i = 0; i < 128; ++i) {
    latin.push_back("x7kq"[i % 4]);
    cyrillic += i % 2 == 0 ? "ж" : "к";
  }
  EXPECT_THAT(CheckPassword(latin, {}), IsEmpty());
  EXPECT_THAT(CheckPassword(latin + "z", {}), ElementsAre("too-long"));
  EXPECT_THAT(CheckPassword(cyrillic, {}), IsEmpty());  // 256 bytes, 128 characters
  EXPECT_THAT(CheckPassword(cyrillic + "ж", {}), ElementsAre("too-long"));
}

TEST(PasswordPolicyTest, RefusesThePersonalCodeInAnySpellingOfCase) {
  EXPECT_THAT(CheckPassword("my code is k7m4qx2p!", kIvan), ElementsAre("contains-code"));
  EXPECT_THAT(CheckPassword("my code is K7M4-QX2P!", kIvan), ElementsAre("contains-code"));
  EXPECT_THAT(CheckPassword("my code is K7M4 QX2 P!", kIvan), IsEmpty());  // broken up: no longer the code
}

TEST(PasswordPolicyTest, RefusesAnyPartOfTheNameInAnyCase) {
  EXPECT_THAT(CheckPassword("ПЕТРОВ е най-добрият", kIvan), ElementsAre("contains-name"));
  EXPECT_THAT(CheckPassword("обичам стоянов 2024", kIvan), ElementsAre("contains-name"));
  EXPECT_THAT(CheckPassword("иванушка-дурачок", kIvan), ElementsAre("contains-name"));
}

TEST(PasswordPolicyTest, IgnoresNamePartsShorterThanThreeLetters) {
  const PasswordContext context{"", "Ли Бо", ""};
  EXPECT_THAT(CheckPassword("лимонада с бор 2024", context), IsEmpty());
}

TEST(PasswordPolicyTest, RefusesTheCurrentPassword) {
  EXPECT_THAT(CheckPassword("стара парола 2023", kIvan), ElementsAre("same-as-current"));
  // Without a known current password (an administrator's reset) there is nothing to compare.
  EXPECT_THAT(CheckPassword("стара парола 2023", {"K7M4QX2P", "Иван Петров", ""}), IsEmpty());
}

TEST(PasswordPolicyTest, RefusesCommonPasswordsInAnyCase) {
  EXPECT_THAT(CheckPassword("password1234", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("PassWord1234", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("ПАРОЛА123456", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("qwertyuiop12", {}), ElementsAre("too-common"));
}

TEST(PasswordPolicyTest, RefusesOneCharacterRepeated) {
  EXPECT_THAT(CheckPassword("aaaaaaaaaaaa", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("AAAAAAaaaaaa", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("111111111111", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("аааааааааааа", {}), ElementsAre("too-common"));  // Cyrillic а
  EXPECT_THAT(CheckPassword("ЖЖЖЖЖЖжжжжжж", {}), ElementsAre("too-common"));
}

TEST(PasswordPolicyTest, RefusesRunsUpOrDownTheAlphabet) {
  EXPECT_THAT(CheckPassword("abcdefghijkl", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("zyxwvutsrqpo", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("0123456789:;", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("абвгдежзийкл", {}), ElementsAre("too-common"));  // Bulgarian alphabet order
  EXPECT_THAT(CheckPassword("ЛКЙИЗЖЕДГВБА", {}), ElementsAre("too-common"));
  EXPECT_THAT(CheckPassword("abcdefghijkm", {}), IsEmpty());  // one step out of the run
}

TEST(PasswordPolicyTest, ReportsEveryViolationAtOnce) {
  EXPECT_THAT(CheckPassword("иван", kIvan), ElementsAre("too-short", "contains-name"));
  EXPECT_THAT(CheckPassword("aaa", {}), ElementsAre("too-short", "too-common"));
}

}  // namespace
}  // namespace egovbox::identity
