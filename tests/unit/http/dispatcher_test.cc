#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temporary_directory.h"

namespace egovbox::http {
namespace {

// Answers with whatever the test sets, and counts the calls.
class FakeAuthenticator final : public Authenticator {
 public:
  Result<std::optional<Principal>> Authenticate(const Request&) override {
    ++calls;
    return answer;
  }

  std::optional<Principal> AuthenticateWithoutBlocking(const Request&) override { return remembered; }
  void ForgetRemembered() override { ++forgotten; }

  Result<std::optional<Principal>> answer = std::optional<Principal>{};
  std::optional<Principal> remembered;
  int calls = 0;
  int forgotten = 0;
};

Principal SignedIn(std::vector<std::string> roles = {"employee"}) {
  Principal principal;
  principal.subject_id = "e1";
  principal.session_id = "s1";
  principal.csrf_token = "csrf-right";
  principal.roles = std::move(roles);
  return principal;
}

Handler Answer(const std::string& name) {
  return [name](Request& request) {
    nlohmann::json body = {{"route", name}, {"params", request.path_params}};
    if (request.principal) body["subject"] = request.principal->subject_id;
    return Response::Json(200, body);
  };
}

// A web root with only an index page.
std::filesystem::path WithIndex(const std::filesystem::path& root) {
  std::ofstream(root / "index.html") << "<!doctype html><title>app</title>";
  return root;
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    router_.Add({Method::kGet, "/api/v1/health", Access::kPublic, Answer("health")});
    router_.Add({Method::kPost, "/api/v1/session", Access::kPublic, Answer("sign-in")});
    router_.Add({Method::kGet, "/api/v1/me", Access::kSignedIn, Answer("me"), {}, [](Request& request) {
                   if (request.QueryParam("cold")) return std::optional<Response>();
                   return std::optional<Response>(Response::Json(200, {{"route", "me-inline"}}));
                 }});
    router_.Add({Method::kPost, "/api/v1/things/{id}", Access::kSignedIn, Answer("change-thing")});
    router_.Add({Method::kPut, "/api/v1/me/password", Access::kPendingStep, Answer("change-password")});
    router_.Add({Method::kGet, "/api/v1/admin", Access::kSignedIn, Answer("admin"), {"administrator", "clerk"}});
    Route upload{Method::kPost, "/api/v1/things/{id}/files", Access::kSignedIn, Answer("upload")};
    upload.streamed_body_limit = 4096;
    router_.Add(std::move(upload));
    router_.Add({Method::kGet, "/api/v1/boom", Access::kPublic,
                 [](Request&) -> Response { throw std::runtime_error("database on fire"); }});
    router_.Add({Method::kGet, "/api/v1/odd-boom", Access::kPublic, [](Request&) -> Response { throw 42; }});
    router_.Add({Method::kGet, "/api/v1/slow-down", Access::kPublic, [](Request&) {
                   Problem problem = MakeProblem(429, "too-many-attempts", {{"seconds", 30}});
                   problem.extensions["retry_after"] = 30;
                   problem.headers.emplace_back("Retry-After", "30");
                   return Response::FromProblem(problem);
                 }});
  }

  static Request MakeRequest(Method method, const std::string& path, std::map<std::string, std::string> headers,
                             Language language) {
    Request request;
    request.method = method;
    request.method_name = std::string(MethodName(method));
    request.path = path;
    request.target = path;
    request.headers = std::move(headers);
    request.language = language;
    request.headers.emplace("host", "egov.example.bg:8443");
    return request;
  }

  Response Send(Method method, const std::string& path, std::map<std::string, std::string> headers = {},
                Language language = Language::kEnglish) {
    Request request = MakeRequest(method, path, std::move(headers), language);
    return dispatcher_.Handle(request, route_label_);
  }

  std::optional<Response> SendWithoutBlocking(Method method, const std::string& path) {
    Request request = MakeRequest(method, path, {}, Language::kEnglish);
    if (const auto question = path.find('?'); question != std::string::npos) {
      request.path = path.substr(0, question);
      request.query["cold"] = "1";
    }
    return dispatcher_.HandleWithoutBlocking(request, route_label_);
  }

  static nlohmann::json Body(const Response& response) { return nlohmann::json::parse(response.body); }
  static std::string Slug(const Response& response) {
    const auto body = Body(response);
    const std::string type = body.at("type").get<std::string>();
    const std::string prefix = "urn:egovbox:problem:";
    return type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : "(not a problem: " + type + ")";
  }

  unit_test::TemporaryDirectory web_root_;
  Router router_;
  FakeAuthenticator authenticator_;
  StaticFiles static_files_{WithIndex(web_root_.path())};
  Dispatcher dispatcher_{router_, authenticator_, static_files_};
  std::string route_label_;
};

TEST_F(DispatcherTest, OnlyARouteThatStreamsItsBodyHasAStreamedLimit) {
  EXPECT_EQ(dispatcher_.StreamedBodyLimit(Method::kPost, "/api/v1/things/7/files"), 4096U);
  EXPECT_EQ(dispatcher_.StreamedBodyLimit(Method::kPost, "/api/v1/things/7"), std::nullopt);
  EXPECT_EQ(dispatcher_.StreamedBodyLimit(Method::kGet, "/api/v1/things/7/files"), std::nullopt);
  EXPECT_EQ(dispatcher_.StreamedBodyLimit(Method::kPost, "/nowhere"), std::nullopt);
}

TEST_F(DispatcherTest, PublicRouteAnswersWithoutAskingForASession) {
  const Response response = Send(Method::kGet, "/api/v1/health");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(Body(response).at("route"), "health");
  EXPECT_EQ(authenticator_.calls, 0);
  EXPECT_EQ(route_label_, "/api/v1/health");
}

TEST_F(DispatcherTest, SignedInRouteWithoutSessionIsUnauthenticated) {
  const Response response = Send(Method::kGet, "/api/v1/me");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(Slug(response), "unauthenticated");
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(authenticator_.calls, 1);
}

TEST_F(DispatcherTest, ProblemFromTheAuthenticatorIsAnsweredAsIs) {
  authenticator_.answer = MakeProblem(401, "session-expired");
  const Response response = Send(Method::kGet, "/api/v1/me");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(Slug(response), "session-expired");
}

TEST_F(DispatcherTest, SignedInRouteGetsThePrincipalAndPathParams) {
  authenticator_.answer = std::optional<Principal>(SignedIn());
  const Response response = Send(Method::kPost, "/api/v1/things/t-42", {{"x-csrf-token", "csrf-right"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Body(response).at("subject"), "e1");
  EXPECT_EQ(Body(response).at("params").at("id"), "t-42");
  EXPECT_EQ(route_label_, "/api/v1/things/{id}");
}

TEST_F(DispatcherTest, StateChangingRequestWithoutCsrfTokenIsForbidden) {
  authenticator_.answer = std::optional<Principal>(SignedIn());
  const Response response = Send(Method::kPost, "/api/v1/things/t-42");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Slug(response), "csrf-token-invalid");
}

TEST_F(DispatcherTest, StateChangingRequestWithWrongCsrfTokenIsForbidden) {
  authenticator_.answer = std::optional<Principal>(SignedIn());
  for (const char* token : {"csrf-wrong", "csrf-righ", "csrf-right ", ""}) {
    const Response response = Send(Method::kPost, "/api/v1/things/t-42", {{"x-csrf-token", token}});
    EXPECT_EQ(response.status, 403) << token;
    EXPECT_EQ(Slug(response), "csrf-token-invalid") << token;
  }
}

TEST_F(DispatcherTest, ReadingNeedsNoCsrfToken) {
  authenticator_.answer = std::optional<Principal>(SignedIn());
  EXPECT_EQ(Send(Method::kGet, "/api/v1/me").status, 200);
}

TEST_F(DispatcherTest, PendingStepBlocksSignedInRoutesWithItsOwnProblem) {
  Principal principal = SignedIn();
  principal.pending_step = "password-change-required";
  authenticator_.answer = std::optional<Principal>(principal);
  const Response response = Send(Method::kGet, "/api/v1/me");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Slug(response), "password-change-required");
}

TEST_F(DispatcherTest, PendingStepRouteIsOpenToAPersonWithAStepPending) {
  Principal principal = SignedIn();
  principal.pending_step = "password-change-required";
  authenticator_.answer = std::optional<Principal>(principal);
  const Response response = Send(Method::kPut, "/api/v1/me/password", {{"x-csrf-token", "csrf-right"}});
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Body(response).at("route"), "change-password");
  // The CSRF token is still needed there.
  EXPECT_EQ(Send(Method::kPut, "/api/v1/me/password").status, 403);
}

TEST_F(DispatcherTest, PendingStepRouteStillNeedsASession) {
  EXPECT_EQ(Send(Method::kPut, "/api/v1/me/password", {{"x-csrf-token", "csrf-right"}}).status, 401);
}

TEST_F(DispatcherTest, RouteWithRolesIsForbiddenToOthers) {
  authenticator_.answer = std::optional<Principal>(SignedIn({"employee", "councillor"}));
  const Response response = Send(Method::kGet, "/api/v1/admin");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Slug(response), "forbidden");
}

TEST_F(DispatcherTest, RouteWithRolesIsOpenToAnyOneOfThem) {
  authenticator_.answer = std::optional<Principal>(SignedIn({"employee", "clerk"}));
  EXPECT_EQ(Send(Method::kGet, "/api/v1/admin").status, 200);
  authenticator_.answer = std::optional<Principal>(SignedIn({"administrator"}));
  EXPECT_EQ(Send(Method::kGet, "/api/v1/admin").status, 200);
}

TEST_F(DispatcherTest, HandlerExceptionBecomesInternalErrorProblem) {
  Response response;
  ASSERT_NO_THROW(response = Send(Method::kGet, "/api/v1/boom"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(Slug(response), "internal-error");
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  // The exception's text stays in the log, not in the answer.
  EXPECT_EQ(response.body.find("database on fire"), std::string::npos);
}

TEST_F(DispatcherTest, ExceptionOfAnyTypeBecomesInternalErrorProblem) {
  Response response;
  ASSERT_NO_THROW(response = Send(Method::kGet, "/api/v1/odd-boom"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(Slug(response), "internal-error");
}

TEST_F(DispatcherTest, CrossOriginStateChangeIsRefused) {
  const Response response = Send(Method::kPost, "/api/v1/session", {{"origin", "https://evil.example"}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Slug(response), "origin-not-allowed");
  // Same host but another port is another origin.
  EXPECT_EQ(Send(Method::kPost, "/api/v1/session", {{"origin", "https://egov.example.bg"}}).status, 403);
  EXPECT_EQ(Send(Method::kPost, "/api/v1/session", {{"origin", "null"}}).status, 403);
}

TEST_F(DispatcherTest, SameOriginOrNoOriginStateChangeIsAllowed) {
  EXPECT_EQ(Send(Method::kPost, "/api/v1/session", {{"origin", "https://egov.example.bg:8443"}}).status, 200);
  EXPECT_EQ(Send(Method::kPost, "/api/v1/session").status, 200);
}

TEST_F(DispatcherTest, CrossOriginReadIsNotRefusedHere) {
  EXPECT_EQ(Send(Method::kGet, "/api/v1/health", {{"origin", "https://evil.example"}}).status, 200);
}

TEST_F(DispatcherTest, UnknownApiPathIsNotFound) {
  const Response response = Send(Method::kGet, "/api/v1/no-such-thing");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(Slug(response), "not-found");
  EXPECT_EQ(route_label_, "unmatched");
  // Never the web app's page for an API path.
  EXPECT_EQ(response.body.find("<!doctype"), std::string::npos);
}

TEST_F(DispatcherTest, KnownPathWithWrongMethodIsMethodNotAllowed) {
  const Response response = Send(Method::kDelete, "/api/v1/health");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(Slug(response), "method-not-allowed");
  EXPECT_EQ(Body(response).at("detail"), "This address does not accept DELETE.");
}

TEST_F(DispatcherTest, OtherGetPathsServeTheWebApp) {
  const Response response = Send(Method::kGet, "/colleagues");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<!doctype html><title>app</title>");
  EXPECT_EQ(route_label_, "static");
  EXPECT_EQ(Send(Method::kHead, "/").status, 200);
}

TEST_F(DispatcherTest, StateChangeToANonApiPathIsNotFound) {
  const Response response = Send(Method::kPost, "/colleagues");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(Slug(response), "not-found");
}

TEST_F(DispatcherTest, ProblemIsRenderedAsRfc9457InTheRequestLanguage) {
  const Response english = Send(Method::kGet, "/api/v1/nothing", {}, Language::kEnglish);
  const auto body = Body(english);
  EXPECT_EQ(body.at("type"), "urn:egovbox:problem:not-found");
  EXPECT_EQ(body.at("status"), 404);
  EXPECT_EQ(body.at("title"), "Not found");
  EXPECT_EQ(body.at("detail"), "There is no such address or record.");
  EXPECT_EQ(english.Header("Content-Language"), "en");

  const Response bulgarian = Send(Method::kGet, "/api/v1/nothing", {}, Language::kBulgarian);
  EXPECT_EQ(Body(bulgarian).at("title"), "Не е намерено");
  EXPECT_EQ(bulgarian.Header("Content-Language"), "bg");
}

TEST_F(DispatcherTest, ProblemExtensionsAndHeadersAreRendered) {
  const Response response = Send(Method::kGet, "/api/v1/slow-down");
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.Header("Retry-After"), "30");
  EXPECT_EQ(Body(response).at("retry_after"), 30);
  EXPECT_EQ(Body(response).at("status"), 429);
}

TEST_F(DispatcherTest, EveryResponseCarriesTheSecurityHeaders) {
  authenticator_.answer = std::optional<Principal>(SignedIn());
  const std::vector<std::pair<Method, std::string>> requests = {{Method::kGet, "/api/v1/health"},
                                                                {Method::kGet, "/api/v1/me"},
                                                                {Method::kGet, "/api/v1/admin"},
                                                                {Method::kGet, "/api/v1/boom"},
                                                                {Method::kGet, "/api/v1/none"},
                                                                {Method::kDelete, "/api/v1/health"},
                                                                {Method::kGet, "/"},
                                                                {Method::kGet, "/assets/gone.js"}};
  for (const auto& [method, path] : requests) {
    const Response response = Send(method, path);
    SCOPED_TRACE(path + " -> " + std::to_string(response.status));
    EXPECT_EQ(response.Header("Strict-Transport-Security"), "max-age=31536000");
    EXPECT_NE(response.Header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
    EXPECT_NE(response.Header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(response.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(response.Header("Referrer-Policy"), "no-referrer");
    EXPECT_FALSE(response.Header("Permissions-Policy").empty());
  }
}

TEST_F(DispatcherTest, ApiAnswersAreNeverCachedButTheWebAppRevalidates) {
  EXPECT_EQ(Send(Method::kGet, "/api/v1/health").Header("Cache-Control"), "no-store");
  EXPECT_EQ(Send(Method::kGet, "/api/v1/none").Header("Cache-Control"), "no-store");
  EXPECT_EQ(Send(Method::kGet, "/colleagues").Header("Cache-Control"), "no-cache");
}

}  // namespace
}  // namespace egovbox::http

namespace egovbox::http {
namespace {

TEST_F(DispatcherTest, InlineHandlerAnswersARememberedSessionWithoutBlocking) {
  authenticator_.remembered = SignedIn();
  const auto response = SendWithoutBlocking(Method::kGet, "/api/v1/me");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(Body(*response).at("route"), "me-inline");
  EXPECT_FALSE(response->Header("Content-Security-Policy").empty());
  EXPECT_EQ(authenticator_.calls, 0);  // the blocking Authenticate was not needed
}

TEST_F(DispatcherTest, SessionNotRememberedTakesTheBlockingWay) {
  EXPECT_FALSE(SendWithoutBlocking(Method::kGet, "/api/v1/me").has_value());
}

TEST_F(DispatcherTest, InlineHandlerMayDeclineAndLeaveItToTheWorker) {
  authenticator_.remembered = SignedIn();
  EXPECT_FALSE(SendWithoutBlocking(Method::kGet, "/api/v1/me?cold=1").has_value());
}

TEST_F(DispatcherTest, RouteWithoutInlineHandlerTakesTheBlockingWay) {
  authenticator_.remembered = SignedIn({"administrator"});
  EXPECT_FALSE(SendWithoutBlocking(Method::kGet, "/api/v1/admin").has_value());
}

TEST_F(DispatcherTest, StateChangingRequestsAlwaysTakeTheBlockingWayAndForgetRememberedSessions) {
  authenticator_.remembered = SignedIn();
  EXPECT_FALSE(SendWithoutBlocking(Method::kPost, "/api/v1/things/t-1").has_value());
  authenticator_.answer = std::optional<Principal>(SignedIn());
  Send(Method::kPost, "/api/v1/things/t-1", {{"x-csrf-token", "csrf-right"}});
  EXPECT_EQ(authenticator_.forgotten, 1);
  Send(Method::kGet, "/api/v1/me");
  EXPECT_EQ(authenticator_.forgotten, 1);  // reads forget nothing
}

TEST_F(DispatcherTest, StaticFilesAndUnknownRoutesAreAnsweredWithoutBlocking) {
  const auto page = SendWithoutBlocking(Method::kGet, "/colleagues");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 200);
  const auto missing = SendWithoutBlocking(Method::kGet, "/api/v1/nope");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
}

}  // namespace
}  // namespace egovbox::http
