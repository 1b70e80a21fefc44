#include "http/problem_catalog.h"

#include <gtest/gtest.h>

#include "http/problem.h"

namespace egovbox::http {
namespace {

TEST(ProblemCatalogTest, KnowsTheHttpLayersOwnProblemsInBothLanguages) {
  const auto& catalog = ProblemCatalog::Instance();
  for (const char* slug : {"not-found", "method-not-allowed", "payload-too-large", "bad-request", "malformed-json",
                           "unsupported-media-type", "invalid-field", "unauthenticated", "session-expired",
                           "csrf-token-invalid", "forbidden", "origin-not-allowed", "internal-error"}) {
    EXPECT_TRUE(catalog.Has(slug)) << slug;
    EXPECT_NE(catalog.Title(slug, Language::kBulgarian), catalog.Title(slug, Language::kEnglish)) << slug;
    EXPECT_NE(catalog.Title(slug, Language::kEnglish), slug) << slug;
  }
  EXPECT_EQ(catalog.Title("not-found", Language::kEnglish), "Not found");
  EXPECT_EQ(catalog.Title("not-found", Language::kBulgarian), "Не е намерено");
}

TEST(ProblemCatalogTest, DetailFillsPlaceholdersFromParams) {
  const auto& catalog = ProblemCatalog::Instance();
  EXPECT_EQ(catalog.Detail("method-not-allowed", Language::kEnglish, {{"method", "PUT"}}),
            "This address does not accept PUT.");
  EXPECT_EQ(catalog.Detail("method-not-allowed", Language::kBulgarian, {{"method", "PUT"}}),
            "Този адрес не приема метод PUT.");
}

TEST(ProblemCatalogTest, DetailWritesNumbersAsJson) {
  EXPECT_EQ(ProblemCatalog::Instance().Detail("payload-too-large", Language::kEnglish, {{"limit", 1048576}}),
            "The request body exceeds 1048576 bytes.");
}

TEST(ProblemCatalogTest, DetailLeavesPlaceholdersWithoutParamsAndIgnoresExtraParams) {
  const auto& catalog = ProblemCatalog::Instance();
  EXPECT_EQ(catalog.Detail("method-not-allowed", Language::kEnglish, nlohmann::json::object()),
            "This address does not accept {method}.");
  EXPECT_EQ(catalog.Detail("not-found", Language::kEnglish, {{"unused", "x"}}), "There is no such address or record.");
}

TEST(ProblemCatalogTest, ParamValuesAreNotReadAsPlaceholders) {
  auto& catalog = ProblemCatalog::Instance();
  catalog.Register("test-two-placeholders", {"", "{a} and {b} and {a}", "", "{a} and {b} and {a}"});
  // A value that itself looks like a placeholder is inserted literally, once.
  EXPECT_EQ(catalog.Detail("test-two-placeholders", Language::kEnglish, {{"a", "{b}"}, {"b", "B"}}),
            "{b} and B and {b}");
  EXPECT_EQ(catalog.Detail("test-two-placeholders", Language::kEnglish, {{"a", "{a}{a}"}}),
            "{a}{a} and {b} and {a}{a}");
}

TEST(ProblemCatalogTest, UnknownSlugFallsBackToTheSlug) {
  const auto& catalog = ProblemCatalog::Instance();
  EXPECT_FALSE(catalog.Has("no-such-problem"));
  EXPECT_EQ(catalog.Title("no-such-problem", Language::kBulgarian), "no-such-problem");
  EXPECT_EQ(catalog.Detail("no-such-problem", Language::kEnglish, {{"x", 1}}), "no-such-problem");
}

TEST(ProblemCatalogTest, RegisterReplacesTheTexts) {
  auto& catalog = ProblemCatalog::Instance();
  catalog.Register("test-replaced", {"А", "Б", "A", "B"});
  catalog.Register("test-replaced", {"В", "Г", "C", "D"});
  EXPECT_EQ(catalog.Title("test-replaced", Language::kEnglish), "C");
  EXPECT_EQ(catalog.Detail("test-replaced", Language::kBulgarian, {}), "Г");
}

TEST(ProblemTest, MakeProblemCarriesStatusSlugAndParams) {
  const Problem problem = MakeProblem(409, "email-taken", {{"email", "a@b.bg"}});
  EXPECT_EQ(problem.status, 409);
  EXPECT_EQ(problem.slug, "email-taken");
  EXPECT_EQ(problem.params.at("email"), "a@b.bg");
  EXPECT_TRUE(problem.extensions.empty());
  EXPECT_TRUE(problem.headers.empty());
}

TEST(ProblemTest, ResultHoldsAValueOrAProblem) {
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  EXPECT_ANY_THROW((void)value.problem());

  Result<int> failed = MakeProblem(404, "not-found");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.problem().status, 404);
  EXPECT_ANY_THROW((void)failed.value());
}

}  // namespace
}  // namespace egovbox::http
