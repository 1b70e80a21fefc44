#include "http/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "crypto/digest.h"
#include "http/problem_catalog.h"
#include "http/security_headers.h"

namespace egovbox::http {
namespace {

bool IsApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0;
}

// The host part of an Origin ("https://host:8443") must be the Host the request was sent to.
bool OriginMatchesHost(std::string_view origin, std::string_view host) {
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  return origin.substr(scheme_end + 3) == host;
}

// The token of "Authorization: Bearer <token>" (RFC 6750 §2.1; the scheme is
// case-insensitive); nullopt for any other or no Authorization header.
std::optional<std::string_view> BearerToken(const Request& request) {
  constexpr std::string_view kScheme = "bearer ";
  const std::string_view value = request.Header("authorization");
  if (value.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  }
  std::string_view token = value.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, Authenticator& authenticator, const StaticFiles& static_files,
                       BearerAuthenticator* bearer, const FrameSources* frame_sources)
    : router_(router),
      authenticator_(authenticator),
      static_files_(static_files),
      bearer_(bearer),
      frame_sources_(frame_sources) {}

Response Dispatcher::Handle(Request& request, std::string& route_label) const {
  Response response = *Guarded(request, route_label, Mode::kBlocking);
  if (ChangesState(request.method)) authenticator_.ForgetRemembered();
  return response;
}

std::optional<Response> Dispatcher::HandleWithoutBlocking(Request& request, std::string& route_label) const {
  // A state-changing request always takes the blocking way, where ForgetRemembered follows it.
  if (ChangesState(request.method)) return std::nullopt;
  return Guarded(request, route_label, Mode::kWithoutBlocking);
}

std::optional<std::uint64_t> Dispatcher::StreamedBodyLimit(Method method, const std::string& path) const {
  const RouteMatch match = router_.Match(method, path);
  if (match.route == nullptr || match.route->streamed_body_limit == 0) return std::nullopt;
  return match.route->streamed_body_limit;
}

Result<Principal> Dispatcher::AuthenticateUpgrade(Request& request) const {
  const std::string_view origin = request.Header("origin");
  if (origin.empty() || !OriginMatchesHost(origin, request.Header("host"))) {
    return MakeProblem(403, "origin-not-allowed");
  }
  try {
    auto principal = authenticator_.Authenticate(request);
    if (!principal) return principal.problem();
    if (!principal.value()) return MakeProblem(401, "unauthenticated");
    if (!principal.value()->pending_step.empty()) return MakeProblem(403, principal.value()->pending_step);
    return std::move(*principal.value());
  } catch (const std::exception& error) {
    spdlog::error("WebSocket authentication failed: {}", error.what());
    return MakeProblem(503, "service-unavailable");
  }
}

Response Dispatcher::RenderedProblem(const Problem& problem, Language language) const {
  Response response = Response::FromProblem(problem);
  RenderProblem(response, language);
  AddSecurityHeaders(response, true, frame_sources_);
  return response;
}

std::optional<Response> Dispatcher::Guarded(Request& request, std::string& route_label, Mode mode) const {
  std::optional<Response> response;
  try {
    response = Route(request, route_label, mode);
  } catch (const std::exception& error) {
    spdlog::error("request {} {} failed: {}", request.method_name, request.path, error.what());
    response = Response::FromProblem(MakeProblem(500, "internal-error"));
  } catch (...) {
    // Not from the standard library, but still no reason to end the thread.
    spdlog::error("request {} {} failed: an exception of unknown type", request.method_name, request.path);
    response = Response::FromProblem(MakeProblem(500, "internal-error"));
  }
  if (!response) return std::nullopt;
  if (response->problem) RenderProblem(*response, request.language);
  AddSecurityHeaders(*response, IsApiPath(request.path) || response->problem.has_value(), frame_sources_);
  return response;
}

std::optional<Response> Dispatcher::Route(Request& request, std::string& route_label, Mode mode) const {
  RouteMatch match = router_.Match(request.method, request.path);
  if (match.route == nullptr) {
    if (match.path_exists) {
      route_label = "unmatched";
      return Response::FromProblem(MakeProblem(405, "method-not-allowed", {{"method", request.method_name}}));
    }
    if (!IsApiPath(request.path) && (request.method == Method::kGet || request.method == Method::kHead)) {
      route_label = "static";
      return static_files_.Serve(request);
    }
    route_label = "unmatched";
    return Response::FromProblem(MakeProblem(404, "not-found"));
  }
  const http::Route& route = *match.route;
  if (mode == Mode::kWithoutBlocking && !route.inline_handler) return std::nullopt;
  route_label = route.pattern;
  request.path_params = std::move(match.params);
  bool undecided = false;
  if (auto problem = CheckAccess(request, route, mode, undecided)) {
    return Recorded(request, route, Response::FromProblem(std::move(*problem)));
  }
  if (undecided) return std::nullopt;
  if (mode == Mode::kWithoutBlocking) return route.inline_handler(request);
  return Recorded(request, route, route.handler(request));
}

Response Dispatcher::Recorded(const Request& request, const http::Route& route, Response response) const {
  if (bearer_ != nullptr && request.principal && request.principal->ViaBearerToken()) {
    bearer_->Record(request, route.pattern, response.problem ? response.problem->status : response.status);
  }
  return response;
}

std::optional<Problem> Dispatcher::CheckBearer(Request& request, const http::Route& route,
                                               std::string_view token) const {
  auto principal = bearer_->AuthenticateBearer(request, token);
  if (!principal) return principal.problem();
  request.principal = std::move(*principal);
  const auto& granted = request.principal->scopes;
  const bool allowed = std::any_of(route.scopes.begin(), route.scopes.end(), [&](const std::string& scope) {
    return std::find(granted.begin(), granted.end(), scope) != granted.end();
  });
  if (!allowed) {
    // RFC 6750 §3.1: insufficient_scope, with the scope the route needs.
    std::string challenge = R"(Bearer error="insufficient_scope")";
    std::string needed;
    for (const auto& scope : route.scopes) needed += (needed.empty() ? "" : " ") + scope;
    if (!needed.empty()) challenge += R"(, scope=")" + needed + '"';
    Problem problem = MakeProblem(403, "insufficient-scope");
    problem.headers.emplace_back("WWW-Authenticate", std::move(challenge));
    return problem;
  }
  // No CSRF check: a bearer request carries no cookie a browser could send for a
  // forged page. Role checks still apply; a token holds no roles.
  if (!route.roles.empty()) return MakeProblem(403, "forbidden");
  return std::nullopt;
}

std::optional<Problem> Dispatcher::CheckAccess(Request& request, const http::Route& route, Mode mode,
                                               bool& undecided) const {
  if (ChangesState(request.method)) {
    const std::string_view origin = request.Header("origin");
    if (!origin.empty() && !OriginMatchesHost(origin, request.Header("host"))) {
      return MakeProblem(403, "origin-not-allowed");
    }
  }
  if (route.access == Access::kPublic) return std::nullopt;

  if (const auto token = BearerToken(request); token && bearer_ != nullptr) {
    if (mode == Mode::kWithoutBlocking) {
      undecided = true;
      return std::nullopt;
    }
    return CheckBearer(request, route, *token);
  }
  if (mode == Mode::kWithoutBlocking) {
    request.principal = authenticator_.AuthenticateWithoutBlocking(request);
    if (!request.principal) {
      undecided = true;
      return std::nullopt;
    }
  } else {
    auto principal = authenticator_.Authenticate(request);
    if (!principal) return principal.problem();
    if (!principal.value()) return MakeProblem(401, "unauthenticated");
    request.principal = std::move(*principal.value());
  }
  const Principal& who = *request.principal;

  if (ChangesState(request.method) && !crypto::ConstantTimeEquals(request.Header("x-csrf-token"), who.csrf_token)) {
    return MakeProblem(403, "csrf-token-invalid");
  }
  if (route.access == Access::kSignedIn && !who.pending_step.empty()) return MakeProblem(403, who.pending_step);
  if (!route.roles.empty()) {
    bool allowed = false;
    for (const auto& role : route.roles) allowed = allowed || who.HasRole(role);
    if (!allowed) return MakeProblem(403, "forbidden");
  }
  return std::nullopt;
}

void Dispatcher::RenderProblem(Response& response, Language language) {
  const Problem& problem = *response.problem;
  const auto& catalog = ProblemCatalog::Instance();
  nlohmann::json body = problem.extensions;
  body["type"] = "urn:egovbox:problem:" + problem.slug;
  body["title"] = catalog.Title(problem.slug, language);
  body["status"] = problem.status;
  body["detail"] = catalog.Detail(problem.slug, language, problem.params);
  // A form shows the message beside the field it names.
  if (problem.params.contains("field") && !body.contains("field")) body["field"] = problem.params["field"];
  response.status = problem.status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.SetHeader("Content-Type", "application/problem+json");
  response.SetHeader("Content-Language", std::string(LanguageTag(language)));
  for (const auto& [name, value] : problem.headers) response.SetHeader(name, value);
}

}  // namespace egovbox::http
