// The dispatcher with API tokens (BearerAuthenticator, Route::scopes) and the
// CSP's frame sources (FrameSources).
#include <gtest/gtest.h>

#include <fstream>

#include "http/dispatcher.h"
#include "http/security_headers.h"
#include "temporary_directory.h"

namespace egovbox::http {
namespace {

class NoSessions final : public Authenticator {
 public:
  Result<std::optional<Principal>> Authenticate(const Request&) override {
    ++calls;
    return std::optional<Principal>{};
  }
  int calls = 0;
};

// Knows one token, "good", with the scope "things:read"; counts and remembers what it records.
class FakeBearer final : public BearerAuthenticator {
 public:
  Result<Principal> AuthenticateBearer(const Request&, std::string_view token) override {
    ++calls;
    last_token = std::string(token);
    if (token == "slow") {
      Problem problem = MakeProblem(429, "too-many-attempts", {{"seconds", 7}});
      problem.headers.emplace_back("Retry-After", "7");
      return problem;
    }
    if (token != "good") return MakeProblem(401, "unauthenticated");
    Principal principal;
    principal.subject_id = "admin-1";
    principal.integration_id = "int-1";
    principal.integration_name = "Деловодство";
    principal.scopes = {"things:read"};
    return principal;
  }
  void Record(const Request&, const std::string& route_pattern, int status) noexcept override {
    recorded.emplace_back(route_pattern, status);
  }

  int calls = 0;
  std::string last_token;
  std::vector<std::pair<std::string, int>> recorded;
};

Handler Answer(const std::string& name) {
  return [name](Request& request) {
    nlohmann::json body = {{"route", name}};
    if (request.principal) body["subject"] = request.principal->subject_id;
    return Response::Json(200, body);
  };
}

class BearerDispatchTest : public ::testing::Test {
 protected:
  BearerDispatchTest() {
    std::ofstream(web_root_.path() / "index.html") << "<!doctype html><title>app</title>";
    router_.Add({Method::kGet, "/api/v1/things", Access::kSignedIn, Answer("list")});
    router_.Add({Method::kPost, "/api/v1/things", Access::kSignedIn, Answer("create")});
    router_.Add({Method::kGet, "/api/v1/secret", Access::kSignedIn, Answer("secret"), {"administrator"}});
    router_.Add({Method::kGet, "/api/v1/open", Access::kPublic, Answer("open")});
    EXPECT_TRUE(router_.AllowScope(Method::kGet, "/api/v1/things", "things:read"));
    EXPECT_TRUE(router_.AllowScope(Method::kPost, "/api/v1/things", "things:write"));
    EXPECT_TRUE(router_.AllowScope(Method::kGet, "/api/v1/secret", "things:read"));
    EXPECT_FALSE(router_.AllowScope(Method::kDelete, "/api/v1/things", "things:write"));
  }

  Response Send(Method method, const std::string& path, const std::string& authorization,
                const Dispatcher* dispatcher = nullptr) {
    Request request;
    request.method = method;
    request.method_name = std::string(MethodName(method));
    request.path = path;
    request.target = path;
    request.language = Language::kEnglish;
    request.headers.emplace("host", "egov.example.bg:8443");
    if (!authorization.empty()) request.headers.emplace("authorization", authorization);
    return (dispatcher != nullptr ? *dispatcher : dispatcher_).Handle(request, label_);
  }
  static std::string Slug(const Response& response) {
    const auto type = nlohmann::json::parse(response.body).at("type").get<std::string>();
    return type.substr(type.rfind(':') + 1);
  }

  unit_test::TemporaryDirectory web_root_;
  Router router_;
  NoSessions sessions_;
  FakeBearer bearer_;
  StaticFiles static_files_{web_root_.path()};
  FrameSources frames_;
  Dispatcher dispatcher_{router_, sessions_, static_files_, &bearer_, &frames_};
  std::string label_;
};

TEST_F(BearerDispatchTest, ATokenWithTheRoutesScopeIsServedWithoutSessionOrCsrfAndRecorded) {
  auto response = Send(Method::kGet, "/api/v1/things", "Bearer good");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(nlohmann::json::parse(response.body).at("subject"), "admin-1");
  EXPECT_EQ(sessions_.calls, 0);
  EXPECT_EQ(bearer_.recorded, (std::vector<std::pair<std::string, int>>{{"/api/v1/things", 200}}));
  // The scheme is case-insensitive (RFC 6750 §2.1 via RFC 7235 §2.1).
  EXPECT_EQ(Send(Method::kGet, "/api/v1/things", "bearer  good ").status, 200);
  EXPECT_EQ(bearer_.last_token, "good");
}

TEST_F(BearerDispatchTest, ARouteOutsideTheTokensScopesIs403WithAChallengeAndIsRecorded) {
  auto response = Send(Method::kPost, "/api/v1/things", "Bearer good");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Slug(response), "insufficient-scope");
  EXPECT_EQ(response.Header("WWW-Authenticate"), R"(Bearer error="insufficient_scope", scope="things:write")");
  EXPECT_EQ(bearer_.recorded.back(), (std::pair<std::string, int>{"/api/v1/things", 403}));
}

TEST_F(BearerDispatchTest, ARouteWithRolesStaysClosedToATokenThatHasNone) {
  auto response = Send(Method::kGet, "/api/v1/secret", "Bearer good");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Slug(response), "forbidden");
}

TEST_F(BearerDispatchTest, TheAuthenticatorsProblemIsAnsweredAndNothingIsRecorded) {
  EXPECT_EQ(Send(Method::kGet, "/api/v1/things", "Bearer bad").status, 401);
  auto slow = Send(Method::kGet, "/api/v1/things", "Bearer slow");
  EXPECT_EQ(slow.status, 429);
  EXPECT_EQ(slow.Header("Retry-After"), "7");
  EXPECT_TRUE(bearer_.recorded.empty());
}

TEST_F(BearerDispatchTest, PublicRoutesAndOtherSchemesIgnoreTheToken) {
  EXPECT_EQ(Send(Method::kGet, "/api/v1/open", "Bearer bad").status, 200);
  EXPECT_EQ(Send(Method::kGet, "/api/v1/things", "Basic Zm9vOmJhcg==").status, 401);
  EXPECT_EQ(Send(Method::kGet, "/api/v1/things", "Bearer").status, 401);
  EXPECT_EQ(bearer_.calls, 0);
  EXPECT_EQ(sessions_.calls, 2);
}

TEST_F(BearerDispatchTest, WithoutABearerAuthenticatorATokenIsNoSession) {
  const Dispatcher plain(router_, sessions_, static_files_);
  auto response = Send(Method::kGet, "/api/v1/things", "Bearer good", &plain);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(Slug(response), "unauthenticated");
  EXPECT_EQ(bearer_.calls, 0);
}

TEST_F(BearerDispatchTest, ATokenRequestNeverTakesTheNonBlockingWay) {
  Request request;
  request.method = Method::kGet;
  request.method_name = "GET";
  request.path = "/api/v1/things";
  request.headers.emplace("authorization", "Bearer good");
  EXPECT_FALSE(dispatcher_.HandleWithoutBlocking(request, label_));
  EXPECT_EQ(bearer_.calls, 0);
}

TEST_F(BearerDispatchTest, FrameSrcIsNoneUntilOriginsAreSetAndThenExactlyThose) {
  auto policy = [this] { return std::string(Send(Method::kGet, "/", "").Header("Content-Security-Policy")); };
  EXPECT_NE(policy().find("frame-src 'none'"), std::string::npos) << policy();
  frames_.Set({"https://gis.sofia.bg", "https://tiles.sofia.bg:8443"});
  EXPECT_NE(policy().find("frame-src https://gis.sofia.bg https://tiles.sofia.bg:8443"), std::string::npos);
  EXPECT_EQ(policy().find("frame-src 'none'"), std::string::npos);
  EXPECT_NE(policy().find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, "/api/v1/open", "").Header("X-Frame-Options"), "DENY");
  // A source that would break out of the directive is left out.
  frames_.Set({"https://a.bg; script-src *", "https://b.bg"});
  EXPECT_NE(policy().find("frame-src https://b.bg"), std::string::npos);
  EXPECT_EQ(policy().find("script-src *"), std::string::npos);
  frames_.Set({});
  EXPECT_NE(policy().find("frame-src 'none'"), std::string::npos);
}

}  // namespace
}  // namespace egovbox::http
