#include "http/router.h"

#include <gtest/gtest.h>

namespace egovbox::http {
namespace {

Response Named(const std::string& name) {
  return Response::Json(200, {{"route", name}});
}

// Which route answered, told by calling its handler.
std::string Called(const RouteMatch& match) {
  if (match.route == nullptr) return "(none)";
  Request request;
  return nlohmann::json::parse(match.route->handler(request).body).at("route").get<std::string>();
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add(Method::kGet, "/api/v1/employees", "list");
    Add(Method::kPost, "/api/v1/employees", "create");
    Add(Method::kGet, "/api/v1/employees/{id}", "get");
    Add(Method::kPost, "/api/v1/employees/{id}/roles", "roles");
    Add(Method::kGet, "/api/v1/meetings/{meeting}/items/{item}", "item");
    Add(Method::kGet, "/api/v1/me", "me");
  }
  void Add(Method method, const std::string& pattern, const std::string& name) {
    router_.Add({method, pattern, Access::kPublic, [name](Request&) { return Named(name); }});
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPathsByMethod) {
  EXPECT_EQ(Called(router_.Match(Method::kGet, "/api/v1/employees")), "list");
  EXPECT_EQ(Called(router_.Match(Method::kPost, "/api/v1/employees")), "create");
  EXPECT_EQ(Called(router_.Match(Method::kGet, "/api/v1/me")), "me");
}

TEST_F(RouterTest, CapturesPatternParameters) {
  const auto match = router_.Match(Method::kGet, "/api/v1/meetings/m-17/items/3");
  EXPECT_EQ(Called(match), "item");
  EXPECT_EQ(match.params, (std::map<std::string, std::string>{{"meeting", "m-17"}, {"item", "3"}}));

  const auto employee = router_.Match(Method::kGet, "/api/v1/employees/Иван");
  EXPECT_EQ(Called(employee), "get");
  EXPECT_EQ(employee.params.at("id"), "Иван");
}

TEST_F(RouterTest, ALiteralSegmentIsNotAParameter) {
  // "/api/v1/me" is literal: "/api/v1/you" matches nothing.
  const auto match = router_.Match(Method::kGet, "/api/v1/you");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.path_exists);
}

TEST_F(RouterTest, ParametersMustNotBeEmpty) {
  const auto match = router_.Match(Method::kPost, "/api/v1/employees//roles");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.path_exists);
}

TEST_F(RouterTest, SegmentCountMustMatch) {
  EXPECT_EQ(router_.Match(Method::kGet, "/api/v1/employees/a/b").route, nullptr);
  EXPECT_EQ(router_.Match(Method::kGet, "/api/v1").route, nullptr);
  EXPECT_EQ(router_.Match(Method::kGet, "/").route, nullptr);
}

TEST_F(RouterTest, KnownPathWithOtherMethodReportsThatThePathExists) {
  const auto match = router_.Match(Method::kDelete, "/api/v1/employees");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_exists);  // so: 405, not 404

  const auto with_parameter = router_.Match(Method::kGet, "/api/v1/employees/e1/roles");
  EXPECT_EQ(with_parameter.route, nullptr);
  EXPECT_TRUE(with_parameter.path_exists);
}

TEST_F(RouterTest, UnknownPathDoesNotExist) {
  const auto match = router_.Match(Method::kGet, "/api/v1/nothing-here");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_FALSE(match.path_exists);
}

TEST_F(RouterTest, HeadIsAnsweredByTheGetRoute) {
  EXPECT_EQ(Called(router_.Match(Method::kHead, "/api/v1/employees")), "list");
  const auto match = router_.Match(Method::kHead, "/api/v1/employees/e1");
  EXPECT_EQ(Called(match), "get");
  EXPECT_EQ(match.params.at("id"), "e1");
  // ... but HEAD is not POST.
  const auto roles = router_.Match(Method::kHead, "/api/v1/employees/e1/roles");
  EXPECT_EQ(roles.route, nullptr);
  EXPECT_TRUE(roles.path_exists);
}

TEST_F(RouterTest, GetDoesNotMatchAHeadOnlyOrPostRoute) {
  EXPECT_EQ(router_.Match(Method::kGet, "/api/v1/employees/e1/roles").route, nullptr);
}

TEST_F(RouterTest, TheFirstAddedOfOverlappingRoutesWins) {
  Add(Method::kGet, "/api/v1/employees/search", "search");  // after "{id}": never reached
  EXPECT_EQ(Called(router_.Match(Method::kGet, "/api/v1/employees/search")), "get");
}

TEST_F(RouterTest, ParametersOfARouteWithAnotherMethodDoNotLeak) {
  Router router;
  router.Add({Method::kPost, "/x/{a}", Access::kPublic, [](Request&) { return Named("post"); }});
  router.Add({Method::kGet, "/x/{b}", Access::kPublic, [](Request&) { return Named("get"); }});
  const auto match = router.Match(Method::kGet, "/x/1");
  EXPECT_EQ(Called(match), "get");
  EXPECT_EQ(match.params, (std::map<std::string, std::string>{{"b", "1"}}));
}

}  // namespace
}  // namespace egovbox::http
