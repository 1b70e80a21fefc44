#include "integrations/oidc_tokens.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "temporary_database.h"
#include "temporary_directory.h"

namespace egovbox::integrations {
namespace {

class OidcTokensTest : public ::testing::Test {
 protected:
  void SetUp() override { unit_test::InitializeLibrariesOnce(); }
};

TEST_F(OidcTokensTest, ParsesSpaceDelimitedScopesOnceEachInOrder) {
  EXPECT_EQ(ParseScope("openid  profile openid email"), (std::vector<std::string>{"openid", "profile", "email"}));
  EXPECT_EQ(ParseScope(""), std::vector<std::string>{});
  EXPECT_FALSE(ParseScope("openid \"profile\""));  // RFC 6749 §3.3: no DQUOTE
  EXPECT_FALSE(ParseScope("openid\\x"));
  EXPECT_FALSE(ParseScope("open\tid"));
  EXPECT_EQ(JoinScopes({"openid", "email"}), "openid email");
}

TEST_F(OidcTokensTest, TellsWhetherScopesAreWithinAGrant) {
  const std::vector<std::string> granted = {"openid", "profile"};
  EXPECT_TRUE(ScopesWithin({"openid"}, granted));
  EXPECT_TRUE(ScopesWithin({}, granted));
  EXPECT_FALSE(ScopesWithin({"openid", "email"}, granted));
  EXPECT_EQ(MergeScopes(granted, {"email", "openid"}), (std::vector<std::string>{"openid", "profile", "email"}));
}

TEST_F(OidcTokensTest, VerifiesTheRfc7636AppendixBExample) {
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const std::string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  EXPECT_TRUE(IsS256CodeChallenge(challenge));
  EXPECT_TRUE(VerifyCodeChallenge(verifier, challenge));
  EXPECT_FALSE(VerifyCodeChallenge(verifier + "x", challenge));
  EXPECT_FALSE(VerifyCodeChallenge(challenge, challenge));
}

TEST_F(OidcTokensTest, RefusesVerifiersOfTheWrongLengthOrAlphabet) {
  EXPECT_FALSE(VerifyCodeChallenge(std::string(42, 'a'), "x"));
  EXPECT_FALSE(VerifyCodeChallenge(std::string(129, 'a'), "x"));
  EXPECT_FALSE(VerifyCodeChallenge(std::string(42, 'a') + "+", "x"));
  EXPECT_FALSE(IsS256CodeChallenge("short"));
  EXPECT_FALSE(IsS256CodeChallenge(std::string(42, 'a') + "="));
}

TEST_F(OidcTokensTest, PairwiseSubjectsAreStablePerClientAndDifferBetweenClients) {
  const PairwiseSubjects subjects(std::string(32, 'k'));
  const std::string at_a = subjects.Subject("client-a", "employee-1");
  EXPECT_EQ(at_a, subjects.Subject("client-a", "employee-1"));
  EXPECT_NE(at_a, subjects.Subject("client-b", "employee-1"));
  EXPECT_NE(at_a, subjects.Subject("client-a", "employee-2"));
  EXPECT_EQ(at_a.find("employee-1"), std::string::npos);
  EXPECT_EQ(at_a.size(), 43U);
  EXPECT_NE(at_a, PairwiseSubjects(std::string(32, 'j')).Subject("client-a", "employee-1"));
  EXPECT_THROW(PairwiseSubjects("short"), std::invalid_argument);
}

TEST_F(OidcTokensTest, ThePairwiseKeyIsMadeOnceWithMode0600) {
  unit_test::TemporaryDirectory directory;
  const auto file = directory.path() / "oidc" / "pairwise.key";
  const std::string first = PairwiseSubjects::FromKeyFile(file).Subject("c", "e");
  EXPECT_EQ(PairwiseSubjects::FromKeyFile(file).Subject("c", "e"), first);
  struct stat status {};
  ASSERT_EQ(::stat(file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600U);
}

identity::Employee Maria() {
  identity::Employee employee;
  employee.id = "e1";
  employee.name = "Мария Иванова";
  employee.email = "maria@example.org";
  employee.department = identity::Department{"d1", "Дирекция ИТ"};
  employee.roles = {"employee", "clerk"};
  return employee;
}

TEST_F(OidcTokensTest, ReleasesOnlyTheClaimsOfTheGrantedScopes) {
  EXPECT_EQ(PersonClaims(Maria(), {"openid"}), nlohmann::json::object());
  EXPECT_EQ(PersonClaims(Maria(), {"openid", "profile", "email", "department", "roles"}),
            (nlohmann::json{{"name", "Мария Иванова"},
                            {"email", "maria@example.org"},
                            {"department", "Дирекция ИТ"},
                            {"roles", {"employee", "clerk"}}}));
  identity::Employee without_department = Maria();
  without_department.department.reset();
  EXPECT_TRUE(PersonClaims(without_department, {"department"}).at("department").is_null());
}

TEST_F(OidcTokensTest, IdTokenClaimsCarryTheRequiredClaimsAndTheNonce) {
  IdTokenInput input{"https://egov.example", "sub-1", "client-a", 1000, 1600, 900, std::string("n-1")};
  const auto claims = IdTokenClaims(input, Maria(), {"openid", "email"});
  EXPECT_EQ(claims, (nlohmann::json{{"iss", "https://egov.example"},
                                    {"sub", "sub-1"},
                                    {"aud", "client-a"},
                                    {"iat", 1000},
                                    {"exp", 1600},
                                    {"auth_time", 900},
                                    {"nonce", "n-1"},
                                    {"email", "maria@example.org"}}));
  input.nonce.reset();
  EXPECT_FALSE(IdTokenClaims(input, Maria(), {"openid"}).contains("nonce"));
}

}  // namespace
}  // namespace egovbox::integrations
