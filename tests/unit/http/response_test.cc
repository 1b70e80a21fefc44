#include "http/response.h"

#include <gtest/gtest.h>

#include "http/request.h"

namespace egovbox::http {
namespace {

Request JsonRequest(const std::string& content_type, const std::string& body) {
  Request request;
  request.method = Method::kPost;
  if (!content_type.empty()) request.headers["content-type"] = content_type;
  request.body = body;
  return request;
}

TEST(ResponseTest, ParseJsonObjectReadsAnObject) {
  const auto body = ParseJsonObject(JsonRequest("application/json", R"({"code":"K7M4-QX2P","n":1})"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->at("code"), "K7M4-QX2P");
  EXPECT_EQ(body->at("n"), 1);
}

TEST(ResponseTest, ParseJsonObjectAcceptsACharsetParameter) {
  const auto body = ParseJsonObject(JsonRequest("application/json; charset=utf-8", R"({"име":"Иван"})"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->at("име"), "Иван");
}

TEST(ResponseTest, ParseJsonObjectRefusesOtherMediaTypesWith415) {
  for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x"}) {
    const auto body = ParseJsonObject(JsonRequest(type, R"({"a":1})"));
    ASSERT_FALSE(body.ok()) << type;
    EXPECT_EQ(body.problem().status, 415) << type;
    EXPECT_EQ(body.problem().slug, "unsupported-media-type") << type;
    EXPECT_EQ(body.problem().params.at("expected"), "application/json");
  }
}

TEST(ResponseTest, ParseJsonObjectRefusesSyntaxErrorsWith400) {
  for (const char* text : {"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1} trailing"}) {
    const auto body = ParseJsonObject(JsonRequest("application/json", text));
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.problem().status, 400) << text;
    EXPECT_EQ(body.problem().slug, "malformed-json") << text;
    EXPECT_EQ(body.problem().params.at("reason"), "syntax error") << text;
  }
}

TEST(ResponseTest, ParseJsonObjectRefusesJsonThatIsNotAnObjectWith400) {
  for (const char* text : {"[1,2]", "\"text\"", "42", "null", "true"}) {
    const auto body = ParseJsonObject(JsonRequest("application/json", text));
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.problem().status, 400) << text;
    EXPECT_EQ(body.problem().params.at("reason"), "not an object") << text;
  }
}

TEST(ResponseTest, JsonSetsStatusTypeAndBody) {
  const Response response = Response::Json(201, {{"id", "e1"}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(response.body), (nlohmann::json{{"id", "e1"}}));
  EXPECT_FALSE(response.problem.has_value());
}

TEST(ResponseTest, JsonReplacesInvalidUtf8InsteadOfThrowing) {
  Response response;
  ASSERT_NO_THROW(response = Response::Json(200, {{"name", std::string("bad \xff byte")}}));
  EXPECT_EQ(nlohmann::json::parse(response.body).at("name"), "bad \xEF\xBF\xBD byte");
}

TEST(ResponseTest, SetHeaderReplacesRegardlessOfCase) {
  Response response;
  response.SetHeader("Cache-Control", "no-cache");
  response.SetHeader("cache-control", "no-store");
  EXPECT_EQ(response.headers.size(), 1U);
  EXPECT_EQ(response.Header("CACHE-CONTROL"), "no-store");
  EXPECT_EQ(response.Header("Cache-Contro"), "");
  EXPECT_EQ(response.Header("Missing"), "");
}

TEST(ResponseTest, FromResultAndFromStatusCarryTheProblemOrTheValue) {
  const Result<std::vector<int>> good = std::vector<int>{1, 2};
  EXPECT_EQ(Response::FromResult(good).body, "[1,2]");
  EXPECT_EQ(Response::FromResult(good, 201).status, 201);

  const Result<std::vector<int>> bad = MakeProblem(404, "not-found");
  const Response missing = Response::FromResult(bad);
  EXPECT_EQ(missing.status, 404);
  ASSERT_TRUE(missing.problem.has_value());
  EXPECT_EQ(missing.problem->slug, "not-found");

  EXPECT_EQ(Response::FromStatus(Ok()).status, 204);
  EXPECT_TRUE(Response::FromStatus(Ok()).body.empty());
  EXPECT_EQ(Response::FromStatus(MakeProblem(403, "forbidden")).status, 403);
}

}  // namespace
}  // namespace egovbox::http
