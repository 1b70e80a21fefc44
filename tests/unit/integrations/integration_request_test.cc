#include "integrations/integration_request.h"

#include <gtest/gtest.h>

#include "http/problem_catalog.h"
#include "temporary_database.h"

namespace egovbox::integrations {
namespace {

IntegrationInput Embed() {
  IntegrationInput input;
  input.name = "  ГИС на общината ";
  input.level = "embed";
  input.owner = "Дирекция ИТ, it@sofia.bg";
  input.purpose = "Карта на ремонтите.\nОбновява се ежедневно.";
  input.launch_url = "https://gis.sofia.bg/map?layer=repairs";
  input.origins = {"https://gis.sofia.bg", "https://tiles.sofia.bg", "https://gis.sofia.bg"};
  input.visible_roles = {"employee", "councillor"};
  input.visible_departments = {"d1"};
  return input;
}

IntegrationInput Sso() {
  IntegrationInput input;
  input.name = "Е-услуги";
  input.level = "sso";
  input.owner = "Отдел е-управление";
  input.purpose = "Вход в портала за е-услуги";
  input.launch_url = "https://e.sofia.bg/";
  input.redirect_uris = {"https://e.sofia.bg/oidc/callback"};
  input.scopes = {"openid", "profile", "email"};
  return input;
}

IntegrationInput Api() {
  IntegrationInput input;
  input.name = "Деловодство";
  input.level = "api";
  input.owner = "Деловодство ООД";
  input.purpose = "Насрочва срещи";
  input.scopes = {"meetings:write", "directory:read"};
  return input;
}

class IntegrationRequestTest : public ::testing::Test {
 protected:
  IntegrationRequestTest() { unit_test::InitializeLibrariesOnce(); }

  http::Result<IntegrationInput> Validate(IntegrationInput input) {
    return ValidateRequest(std::move(input), [](const std::string& id) { return id == "d1" || id == "d2"; });
  }

  // The slug and the field of the problem a request gets.
  std::pair<std::string, std::string> Problem(IntegrationInput input) {
    auto result = Validate(std::move(input));
    if (result) return {"ok", ""};
    const auto& problem = result.problem();
    EXPECT_EQ(problem.status, 400);
    EXPECT_TRUE(http::ProblemCatalog::Instance().Has(problem.slug)) << problem.slug;
    return {problem.slug, problem.params.value("field", "")};
  }
};

using Expected = std::pair<std::string, std::string>;

TEST_F(IntegrationRequestTest, AcceptsAWellFormedRequestOfEachLevelTrimmedAndWithoutDuplicates) {
  auto embed = Validate(Embed());
  ASSERT_TRUE(embed) << embed.problem().slug;
  EXPECT_EQ(embed->name, "ГИС на общината");
  EXPECT_EQ(embed->origins, (std::vector<std::string>{"https://gis.sofia.bg", "https://tiles.sofia.bg"}));
  EXPECT_TRUE(Validate(Sso()));
  EXPECT_TRUE(Validate(Api()));
  auto link = Embed();
  link.level = "link";
  link.origins.clear();
  EXPECT_TRUE(Validate(link));
}

TEST_F(IntegrationRequestTest, NamesTheMissingField) {
  auto input = Embed();
  input.name = " \t";
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "name"}));
  input = Embed();
  input.owner.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "owner"}));
  input = Embed();
  input.purpose.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "purpose"}));
  input = Embed();
  input.level.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "level"}));
  input = Embed();
  input.launch_url.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "launch_url"}));
  input = Sso();
  input.redirect_uris.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "redirect_uris"}));
  input = Api();
  input.scopes.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-field-required", "scopes"}));
}

TEST_F(IntegrationRequestTest, RefusesUnknownLevelsOverlongOrControlText) {
  auto input = Embed();
  input.level = "iframe";
  EXPECT_EQ(Problem(input), (Expected{"integration-level-unknown", "level"}));
  input = Embed();
  input.name = std::string(kMaxNameBytes + 1, 'a');
  EXPECT_EQ(Problem(input), (Expected{"invalid-field", "name"}));
  input = Embed();
  input.owner = "ИТ\x07";
  EXPECT_EQ(Problem(input), (Expected{"invalid-field", "owner"}));
  input = Embed();
  input.name = "ред\nдруг ред";  // one line only; the purpose may have several
  EXPECT_EQ(Problem(input), (Expected{"invalid-field", "name"}));
}

TEST_F(IntegrationRequestTest, UrlsMustBeHttps) {
  auto input = Embed();
  input.launch_url = "http://gis.sofia.bg/map";
  EXPECT_EQ(Problem(input), (Expected{"integration-url-invalid", "launch_url"}));
  input = Sso();
  input.redirect_uris = {"https://e.sofia.bg/cb", "http://e.sofia.bg/cb"};
  EXPECT_EQ(Problem(input), (Expected{"integration-url-invalid", "redirect_uris"}));
  input = Sso();
  input.redirect_uris = {"https://e.sofia.bg/cb#fragment"};
  EXPECT_EQ(Problem(input), (Expected{"integration-url-invalid", "redirect_uris"}));
}

TEST_F(IntegrationRequestTest, OriginsMustBeExactAndAnEmbedMustListItsOwn) {
  auto input = Embed();
  input.origins = {"https://gis.sofia.bg/"};
  EXPECT_EQ(Problem(input), (Expected{"integration-origin-invalid", "origins"}));
  input.origins = {"https://*.sofia.bg"};
  EXPECT_EQ(Problem(input), (Expected{"integration-origin-invalid", "origins"}));
  input.origins = {"https://gis.sofia.bg; script-src 'unsafe-inline'"};
  EXPECT_EQ(Problem(input), (Expected{"integration-origin-invalid", "origins"}));
  input.origins = {"https://tiles.sofia.bg"};
  EXPECT_EQ(Problem(input), (Expected{"integration-launch-origin-unlisted", "origins"}));
  input.origins.clear();
  EXPECT_EQ(Problem(input), (Expected{"integration-launch-origin-unlisted", "origins"}));
  input.origins = std::vector<std::string>(kMaxListItems + 1);
  for (std::size_t i = 0; i < input.origins.size(); ++i) input.origins[i] = "https://h" + std::to_string(i) + ".bg";
  EXPECT_EQ(Problem(input), (Expected{"invalid-field", "origins"}));
}

TEST_F(IntegrationRequestTest, FieldsALevelDoesNotUseMustBeEmpty) {
  auto input = Embed();
  input.redirect_uris = {"https://gis.sofia.bg/cb"};
  EXPECT_EQ(Problem(input), (Expected{"integration-field-not-for-level", "redirect_uris"}));
  input = Api();
  input.launch_url = "https://delo.example.org/";
  EXPECT_EQ(Problem(input), (Expected{"integration-field-not-for-level", "launch_url"}));
}

TEST_F(IntegrationRequestTest, ScopesComeFromTheLevelsList) {
  auto input = Sso();
  input.scopes = {"profile", "email"};
  EXPECT_EQ(Problem(input), (Expected{"integration-openid-required", "scopes"}));
  input.scopes = {"openid", "directory:read"};
  EXPECT_EQ(Problem(input), (Expected{"integration-scope-not-allowed", "scopes"}));
  input = Api();
  input.scopes = {"openid"};
  EXPECT_EQ(Problem(input), (Expected{"integration-scope-not-allowed", "scopes"}));
  input.scopes = {"meetings:delete"};
  EXPECT_EQ(Problem(input), (Expected{"integration-scope-not-allowed", "scopes"}));
  input = Embed();
  input.scopes = {"openid"};
  EXPECT_EQ(Problem(input), (Expected{"integration-scope-not-allowed", "scopes"}));
  input = Sso();
  input.scopes = {"openid", "roles", "department", "openid"};
  auto valid = Validate(input);
  ASSERT_TRUE(valid);
  EXPECT_EQ(valid->scopes, (std::vector<std::string>{"openid", "roles", "department"}));
}

TEST_F(IntegrationRequestTest, VisibilityNamesKnownRolesAndExistingDepartments) {
  auto input = Embed();
  input.visible_roles = {"employee", "mayor"};
  EXPECT_EQ(Problem(input), (Expected{"integration-role-unknown", "visible_roles"}));
  input = Embed();
  input.visible_departments = {"d1", "d9"};
  EXPECT_EQ(Problem(input), (Expected{"integration-department-unknown", "visible_departments"}));
}

}  // namespace
}  // namespace egovbox::integrations
