#include "http/request.h"

#include <gtest/gtest.h>

namespace egovbox::http {
namespace {

struct ParsedTarget {
  bool ok = false;
  std::string path;
  std::map<std::string, std::string> query;
};

ParsedTarget Parse(std::string_view target) {
  ParsedTarget parsed;
  parsed.ok = ParseTarget(target, parsed.path, parsed.query);
  return parsed;
}

TEST(RequestTest, ParseTargetSplitsPathAndQuery) {
  const auto parsed = Parse("/api/v1/employees?q=ivan&department=d1");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.path, "/api/v1/employees");
  EXPECT_EQ(parsed.query, (std::map<std::string, std::string>{{"q", "ivan"}, {"department", "d1"}}));
}

TEST(RequestTest, ParseTargetDecodesCyrillicPercentEncoding) {
  // "Иван" and "отдел" as a browser sends them: UTF-8, percent-encoded.
  const auto parsed = Parse("/%D0%BE%D1%82%D0%B4%D0%B5%D0%BB?q=%D0%98%D0%B2%D0%B0%D0%BD");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.path, "/отдел");
  EXPECT_EQ(parsed.query.at("q"), "Иван");
}

TEST(RequestTest, ParseTargetAcceptsUpperAndLowerCaseHex) {
  const auto parsed = Parse("/a%2fb%2Fc");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.path, "/a/b/c");
}

TEST(RequestTest, ParseTargetReadsPlusAsSpaceOnlyInTheQuery) {
  const auto parsed = Parse("/a+b?q=Ivan+Petrov&r=1%2B1");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.path, "/a+b");
  EXPECT_EQ(parsed.query.at("q"), "Ivan Petrov");
  EXPECT_EQ(parsed.query.at("r"), "1+1");
}

TEST(RequestTest, ParseTargetRejectsBadPercentEncoding) {
  EXPECT_FALSE(Parse("/a%").ok);
  EXPECT_FALSE(Parse("/a%4").ok);
  EXPECT_FALSE(Parse("/a%zz").ok);
  EXPECT_FALSE(Parse("/a%4g").ok);
  EXPECT_FALSE(Parse("/a?q=%").ok);
  EXPECT_FALSE(Parse("/a?q=%G0").ok);
  EXPECT_FALSE(Parse("/a?%=x").ok);
  // The last possible escape, right at the end, is fine.
  EXPECT_TRUE(Parse("/a%41").ok);
  EXPECT_EQ(Parse("/a%41").path, "/aA");
}

TEST(RequestTest, ParseTargetRejectsNulBytes) {
  EXPECT_FALSE(Parse("/a%00b").ok);
  EXPECT_FALSE(Parse("/a?q=x%00").ok);
}

TEST(RequestTest, ParseTargetRejectsTargetsThatAreNotOriginForm) {
  EXPECT_FALSE(Parse("").ok);
  EXPECT_FALSE(Parse("*").ok);
  EXPECT_FALSE(Parse("https://example.bg/").ok);
  EXPECT_FALSE(Parse("api/v1").ok);
}

TEST(RequestTest, ParseTargetHandlesEmptyAndValuelessParameters) {
  const auto parsed = Parse("/s?&flag&empty=&=nameless&&x=1&x=2");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.query.at("flag"), "");
  EXPECT_EQ(parsed.query.at("empty"), "");
  EXPECT_EQ(parsed.query.at(""), "nameless");
  EXPECT_EQ(parsed.query.at("x"), "2");  // the last of repeated names wins
  EXPECT_EQ(parsed.query.size(), 4U);
}

TEST(RequestTest, ParseTargetKeepsEqualsSignsInValues) {
  const auto parsed = Parse("/s?token=a=b=c");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.query.at("token"), "a=b=c");
}

TEST(RequestTest, ParseTargetWithEmptyQueryHasNoParameters) {
  const auto parsed = Parse("/s?");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.path, "/s");
  EXPECT_TRUE(parsed.query.empty());
}

TEST(RequestTest, CookieFindsTheNamedCookieAmongOthers) {
  Request request;
  request.headers["cookie"] = "theme=dark; __Host-egov-session=abc.DEF_123-x; lang=bg";
  EXPECT_EQ(request.Cookie("__Host-egov-session"), "abc.DEF_123-x");
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("lang"), "bg");
  EXPECT_EQ(request.Cookie("missing"), std::nullopt);
}

TEST(RequestTest, CookieMatchesWholeNamesOnly) {
  Request request;
  request.headers["cookie"] = "xsession=wrong; session_old=wrong2";
  EXPECT_EQ(request.Cookie("session"), std::nullopt);
  request.headers["cookie"] = "xsession=wrong;session=right";
  EXPECT_EQ(request.Cookie("session"), "right");
}

TEST(RequestTest, CookieKeepsEqualsSignsAndEmptyValues) {
  Request request;
  request.headers["cookie"] = "a=; b=x=y==";
  EXPECT_EQ(request.Cookie("a"), "");
  EXPECT_EQ(request.Cookie("b"), "x=y==");
}

TEST(RequestTest, CookieWithoutHeaderOrMalformedPairsIsAbsent) {
  Request request;
  EXPECT_EQ(request.Cookie("a"), std::nullopt);
  request.headers["cookie"] = ";;  ; novalue; ";
  EXPECT_EQ(request.Cookie("novalue"), std::nullopt);
  EXPECT_EQ(request.Cookie(""), std::nullopt);
}

TEST(RequestTest, HeaderAndQueryParamReportAbsence) {
  Request request;
  request.headers["x-csrf-token"] = "t";
  request.query["q"] = "";
  EXPECT_EQ(request.Header("x-csrf-token"), "t");
  EXPECT_EQ(request.Header("origin"), "");
  EXPECT_EQ(request.QueryParam("q"), "");
  EXPECT_EQ(request.QueryParam("other"), std::nullopt);
}

TEST(RequestTest, OnlyPostPutPatchAndDeleteChangeState) {
  EXPECT_TRUE(ChangesState(Method::kPost));
  EXPECT_TRUE(ChangesState(Method::kPut));
  EXPECT_TRUE(ChangesState(Method::kPatch));
  EXPECT_TRUE(ChangesState(Method::kDelete));
  EXPECT_FALSE(ChangesState(Method::kGet));
  EXPECT_FALSE(ChangesState(Method::kHead));
  EXPECT_FALSE(ChangesState(Method::kOptions));
  EXPECT_FALSE(ChangesState(Method::kOther));
  EXPECT_EQ(MethodName(Method::kPatch), "PATCH");
}

TEST(RequestTest, PrincipalHasOnlyItsOwnRoles) {
  Principal principal;
  principal.roles = {"employee", "clerk"};
  EXPECT_TRUE(principal.HasRole("clerk"));
  EXPECT_FALSE(principal.HasRole("administrator"));
  EXPECT_FALSE(principal.HasRole("cler"));
}

}  // namespace
}  // namespace egovbox::http
