#include "http/language.h"

#include <gtest/gtest.h>

namespace egovbox::http {
namespace {

TEST(LanguageTest, PicksEnglishForAnEnglishBrowser) {
  EXPECT_EQ(NegotiateLanguage("en-US,en;q=0.9"), Language::kEnglish);
  EXPECT_EQ(NegotiateLanguage("en"), Language::kEnglish);
  EXPECT_EQ(NegotiateLanguage("EN-gb"), Language::kEnglish);
}

TEST(LanguageTest, PicksBulgarianForABulgarianBrowser) {
  EXPECT_EQ(NegotiateLanguage("bg"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("bg-BG,bg;q=0.9,en;q=0.8"), Language::kBulgarian);
}

TEST(LanguageTest, FallsBackToBulgarianForOtherLanguages) {
  EXPECT_EQ(NegotiateLanguage(""), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("de"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("de-DE,fr;q=0.8"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("*"), Language::kBulgarian);
}

TEST(LanguageTest, WeightsDecideNotOrder) {
  EXPECT_EQ(NegotiateLanguage("bg;q=0.5, en;q=0.8"), Language::kEnglish);
  EXPECT_EQ(NegotiateLanguage("en;q=0.5, bg;q=0.8"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("de, en;q=0.1"), Language::kEnglish);
}

TEST(LanguageTest, TheFirstOfEqualWeightsWins) {
  EXPECT_EQ(NegotiateLanguage("en, bg"), Language::kEnglish);
  EXPECT_EQ(NegotiateLanguage("bg, en"), Language::kBulgarian);
}

TEST(LanguageTest, ZeroWeightMeansNotAcceptable) {
  EXPECT_EQ(NegotiateLanguage("en;q=0"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("en;q=0, de"), Language::kBulgarian);
}

TEST(LanguageTest, DoesNotMistakeLongerTagsForItsLanguages) {
  // "eng" and "bgx" are not "en" and "bg"; only "en-..." is.
  EXPECT_EQ(NegotiateLanguage("eng"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("enx-US"), Language::kBulgarian);
}

TEST(LanguageTest, MalformedWeightsDoNotThrow) {
  EXPECT_EQ(NegotiateLanguage("en;q=abc"), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage(";;,,;q="), Language::kBulgarian);
  EXPECT_EQ(NegotiateLanguage("e"), Language::kBulgarian);
}

TEST(LanguageTest, TagsAreBgAndEn) {
  EXPECT_EQ(LanguageTag(Language::kBulgarian), "bg");
  EXPECT_EQ(LanguageTag(Language::kEnglish), "en");
}

}  // namespace
}  // namespace egovbox::http
