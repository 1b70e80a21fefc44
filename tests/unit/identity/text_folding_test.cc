#include "identity/text_folding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace egovbox::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TextFoldingTest, FoldsCyrillicCapitals) {
  EXPECT_EQ(FoldCase("ИВАН"), "иван");
  EXPECT_EQ(FoldCase("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ"), "абвгдежзийклмнопрстуфхцчшщъьюя");
  EXPECT_EQ(FoldCase("ЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ"), "ѐёђѓєѕіїјљњћќѝўџ");
}

TEST(TextFoldingTest, FoldsLatinAndLeavesEverythingElse) {
  EXPECT_EQ(FoldCase("Ivan PETROV"), "ivan petrov");
  EXPECT_EQ(FoldCase("Иван Petrov, 42 – №7"), "иван petrov, 42 – №7");
  EXPECT_EQ(FoldCase("уже малки"), "уже малки");
  EXPECT_EQ(FoldCase(""), "");
  EXPECT_EQ(FoldCase("日本 😀"), "日本 😀");
}

TEST(TextFoldingTest, FoldCaseReplacesInvalidBytes) {
  EXPECT_EQ(FoldCase("A\xff"
                     "B"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(TextFoldingTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0U);
  EXPECT_EQ(CodePointCount("Ivan"), 4U);
  EXPECT_EQ(CodePointCount("Иван"), 4U);
  EXPECT_EQ(CodePointCount("日本"), 2U);
  EXPECT_EQ(CodePointCount("😀"), 1U);
  EXPECT_EQ(CodePointCount("\xff\xfe"), 2U);  // invalid bytes count one each
  EXPECT_EQ(CodePointCount("\xD0"), 1U);      // a truncated sequence too
}

TEST(TextFoldingTest, NamePartsAreTheFoldedWords) {
  EXPECT_THAT(NameParts("Иван Петров-Стоянов"), ElementsAre("иван", "петров", "стоянов"));
  EXPECT_THAT(NameParts("  O'Brien,  Mary-Jane "), ElementsAre("o", "brien", "mary", "jane"));
  EXPECT_THAT(NameParts("Zoë Müller"), ElementsAre("zoë", "müller"));
  EXPECT_THAT(NameParts("Иван2Петров"), ElementsAre("иван", "петров"));
  EXPECT_THAT(NameParts(""), IsEmpty());
  EXPECT_THAT(NameParts(" - 42 "), IsEmpty());
}

TEST(TextFoldingTest, CleanTextIsValidUtf8WithoutControls) {
  EXPECT_TRUE(IsCleanText(""));
  EXPECT_TRUE(IsCleanText("Иван Петров"));
  EXPECT_TRUE(IsCleanText("Главен експерт\tОтдел „Човешки ресурси“"));
  EXPECT_TRUE(IsCleanText("日本 😀"));
}

TEST(TextFoldingTest, CleanTextRefusesControlCharacters) {
  EXPECT_FALSE(IsCleanText("two\nlines"));
  EXPECT_FALSE(IsCleanText("carriage\rreturn"));
  EXPECT_FALSE(IsCleanText(std::string("nul\0byte", 8)));
  EXPECT_FALSE(IsCleanText("bell\x07"));
  EXPECT_FALSE(IsCleanText("escape\x1b[31m"));
  EXPECT_FALSE(IsCleanText("delete\x7f"));
  EXPECT_FALSE(IsCleanText("next line\xC2\x85"));  // U+0085, a C1 control
}

TEST(TextFoldingTest, CleanTextRefusesInvalidUtf8) {
  EXPECT_FALSE(IsCleanText("\xff"));
  EXPECT_FALSE(IsCleanText("Ива\xD0"));  // truncated at the end
  EXPECT_FALSE(
      IsCleanText("\xD0"
                  "A"));                              // lead byte without continuation
  EXPECT_FALSE(IsCleanText("\x80"));                  // continuation without lead
  EXPECT_FALSE(IsCleanText("\xE6\x97"));              // three-byte sequence cut short
  EXPECT_FALSE(IsCleanText("\xC0\xAF"));              // overlong "/"
  EXPECT_FALSE(IsCleanText("\xE0\x80\xAF"));          // overlong "/" in three bytes
  EXPECT_FALSE(IsCleanText("\xC1\xBF"));              // overlong
  EXPECT_FALSE(IsCleanText("\xED\xA0\x80"));          // a UTF-16 surrogate
  EXPECT_FALSE(IsCleanText("\xF4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(IsCleanText("\xF8\x88\x80\x80\x80"));  // five-byte form
}

TEST(TextFoldingTest, FirstInvalidUtf8LineNamesTheLine) {
  EXPECT_EQ(FirstInvalidUtf8Line(""), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8Line("име,имейл\nИван,ivan@example.bg\n"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8Line("\xffheader\n"), 1U);
  EXPECT_EQ(FirstInvalidUtf8Line("name\r\nIvan\r\nPetar \xC8vanov\r\n"), 3U);  // Windows-1251 "И"
  EXPECT_EQ(FirstInvalidUtf8Line("a\nb\nc\nd\xC0\xAF\n"), 4U);
  EXPECT_EQ(FirstInvalidUtf8Line("a\n\n\n\xED\xA0\x80"), 4U);
}

}  // namespace
}  // namespace egovbox::identity
