#include "integrations/oidc_routes.h"

#include <fmt/format.h>

#include <cctype>

#include "http/json_input.h"
#include "identity/session_service.h"

namespace egovbox::integrations {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxRequestId = 64;
constexpr std::size_t kMaxDecision = 16;
constexpr std::string_view kFormType = "application/x-www-form-urlencoded";

// RFC 6749 §5.1: token answers are never cached.
Response NoStore(Response response) {
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("Pragma", "no-cache");
  return response;
}

json ErrorJson(const OidcError& error) {
  return {{"error", error.error}, {"error_description", error.description}};
}

// A quoted-string for WWW-Authenticate (RFC 9110 §5.6.4): the descriptions are
// ours and plain, but a quote or backslash must not end the string early.
std::string Quoted(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

bool IsFormBody(const Request& request) {
  const std::string_view type = request.Header("content-type");
  const auto semicolon = type.find(';');
  std::string bare(type.substr(0, semicolon));
  while (!bare.empty() && bare.back() == ' ') bare.pop_back();
  for (char& c : bare) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return bare == kFormType;
}

// The query exactly as sent, for a parser that sees repeated parameters.
std::string_view RawQuery(const Request& request) {
  const std::string_view target = request.target;
  const auto question = target.find('?');
  return question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
}

bool WantsHtml(const Request& request) {
  return request.Header("accept").find("text/html") != std::string_view::npos;
}

std::string EscapeHtml(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '&': escaped += "&amp;"; break;
      case '"': escaped += "&quot;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

// RFC 6749 §4.1.2.1: the person is told, in a page of its own, and the browser
// goes nowhere. A program (no text/html in Accept) gets the same as JSON.
Response ShownError(const Request& request, const OidcError& error) {
  if (!WantsHtml(request)) return NoStore(Response::Json(error.status, ErrorJson(error)));
  Response response;
  response.status = error.status;
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  response.body = fmt::format(
      "<!doctype html>\n<html lang=\"bg\"><meta charset=\"utf-8\"><title>eGov box</title>\n"
      "<h1>Порталът не може да ви впише</h1>\n"
      "<p>Заявката за вход от външния портал е невалидна или порталът не е одобрен. Затворете този прозорец и се "
      "обърнете към собственика на портала.</p>\n"
      "<h2 lang=\"en\">The portal cannot sign you in</h2>\n"
      "<p lang=\"en\">The sign-in request from the external portal is invalid, or the portal is not approved. Close "
      "this window and contact the portal's owner.</p>\n"
      "<p><code>{}</code>: {}</p>\n",
      EscapeHtml(error.error), EscapeHtml(error.description));
  return NoStore(std::move(response));
}

Response Redirect(const std::string& location) {
  Response response;
  response.status = 302;
  response.SetHeader("Location", location);
  return NoStore(std::move(response));
}

// The request cookie (oidc_provider.h): Lax, so that the SPA's same-origin fetch
// and the portal's next top-level redirect here carry it; it lives as long as the
// request it binds.
std::string RequestCookieHeader(const std::string& value, std::int64_t max_age) {
  return fmt::format("{}={}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}", kRequestCookieName, value, max_age);
}

std::string PresentedRequestCookie(const Request& request) {
  return request.Cookie(kRequestCookieName).value_or("");
}

Response Authorize(OidcProvider& provider, http::Authenticator& authenticator, Request& request) {
  const auto query = ParseFormBody(RawQuery(request));
  if (!query) return ShownError(request, {"invalid_request", "the query does not decode", 400});
  std::optional<http::Principal> person;
  if (request.Cookie(identity::SessionService::kCookieName)) {
    // An expired or revoked session is the same as none: the web app signs in again.
    auto principal = authenticator.Authenticate(request);
    if (principal && principal.value()) person = std::move(*principal.value());
  }
  const AuthorizeAnswer answer =
      provider.Authorize(*query, person, PresentedRequestCookie(request), request.client_address);
  if (answer.shown_error) return ShownError(request, *answer.shown_error);
  Response response = Redirect(answer.location);
  if (!answer.request_cookie.empty()) {
    response.SetHeader("Set-Cookie",
                       RequestCookieHeader(answer.request_cookie, provider.settings().pending_request_ttl_seconds));
  }
  return response;
}

ClientRequest ReadClientRequest(const Request& request, const FormBody& form) {
  return ClientRequest{std::string(request.Header("authorization")), form};
}

// RFC 6749 §5.2: 401 for a failed client authentication, with the challenge of
// the scheme the client tried.
Response TokenError(const Request& request, const OidcError& error) {
  Response response = NoStore(Response::Json(error.status, ErrorJson(error)));
  if (error.status == 401) {
    response.SetHeader("WWW-Authenticate", request.Header("authorization").empty()
                                               ? "Basic realm=\"eGov box\""
                                               : "Basic realm=\"eGov box\", error=\"invalid_client\"");
  }
  return response;
}

std::optional<FormBody> ReadForm(const Request& request, OidcError& error) {
  if (!IsFormBody(request)) {
    error = {"invalid_request", "the body must be application/x-www-form-urlencoded", 400};
    return std::nullopt;
  }
  auto form = ParseFormBody(request.body);
  if (!form) error = {"invalid_request", "the body does not decode", 400};
  return form;
}

Response Token(OidcProvider& provider, Request& request) {
  OidcError error;
  const auto form = ReadForm(request, error);
  if (!form) return TokenError(request, error);
  const OidcAnswer answer = provider.Token(ReadClientRequest(request, *form));
  if (answer.error) return TokenError(request, *answer.error);
  return NoStore(Response::Json(200, answer.body));
}

Response Revoke(OidcProvider& provider, Request& request) {
  OidcError error;
  const auto form = ReadForm(request, error);
  if (!form) return TokenError(request, error);
  if (const auto failed = provider.Revoke(ReadClientRequest(request, *form))) return TokenError(request, *failed);
  // RFC 7009 §2.2: 200, whether the token was known or not.
  return NoStore(Response::Json(200, json::object()));
}

// RFC 6750 §2.1 (header) and §2.2 (form body of a POST).
std::optional<std::string> BearerToken(const Request& request) {
  constexpr std::string_view kScheme = "bearer ";
  const std::string_view header = request.Header("authorization");
  if (!header.empty()) {
    if (header.size() <= kScheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
    }
    return std::string(header.substr(kScheme.size()));
  }
  if (request.method == Method::kPost && IsFormBody(request)) {
    if (const auto form = ParseFormBody(request.body)) return form->Get("access_token");
  }
  return std::nullopt;
}

Response UserInfo(OidcProvider& provider, Request& request) {
  const auto token = BearerToken(request);
  const OidcAnswer answer = provider.UserInfo(token.value_or(""));
  if (!answer.error) return NoStore(Response::Json(200, answer.body));
  // RFC 6750 §3: the error goes in the challenge; the body says it again for people.
  Response response = NoStore(Response::Json(answer.error->status, ErrorJson(*answer.error)));
  std::string challenge = "Bearer realm=\"eGov box\"";
  if (token) {
    challenge += ", error=" + Quoted(answer.error->error) + ", error_description=" + Quoted(answer.error->description);
  }
  response.SetHeader("WWW-Authenticate", challenge);
  return response;
}

json ConsentJson(const ConsentRequest& request) {
  return {{"id", request.id},
          {"client",
           {{"name", request.client_name},
            {"owner", request.owner},
            {"purpose", request.purpose},
            {"launch_url", request.launch_url}}},
          {"scopes", request.scopes},
          {"new_scopes", request.new_scopes},
          {"consent_required", request.consent_required}};
}

const std::string& RequestId(const Request& request) {
  return request.PathParam("id");
}

Response Decide(OidcProvider& provider, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto decision = http::RequiredString(*body, "decision", kMaxDecision);
  if (!decision) return Response::FromProblem(decision.problem());
  if (*decision != "allow" && *decision != "deny") return Response::FromProblem(http::InvalidField("decision"));
  if (RequestId(request).size() > kMaxRequestId)
    return Response::FromProblem(http::MakeProblem(404, "oidc-request-not-found"));
  auto location = provider.Decide(*request.principal, RequestId(request), PresentedRequestCookie(request),
                                  *decision == "allow", request.client_address);
  if (!location) return Response::FromProblem(location.problem());
  return NoStore(Response::Json(200, {{"redirect_to", *location}}));
}

}  // namespace

void AddOidcRoutes(http::Router& router, OidcProvider& provider, http::Authenticator& authenticator) {
  auto& p = provider;
  router.Add({Method::kGet, "/.well-known/openid-configuration", Access::kPublic, [&p](Request&) {
                Response response = Response::Json(200, p.Discovery());
                response.SetHeader("Cache-Control", "max-age=300");
                return response;
              }});
  router.Add({Method::kGet, "/oauth2/jwks", Access::kPublic, [&p](Request&) {
                Response response = Response::Json(200, p.Jwks());
                // Short, so that a rotated key reaches the portals soon.
                response.SetHeader("Cache-Control", "max-age=300");
                return response;
              }});
  router.Add({Method::kGet, "/oauth2/authorize", Access::kPublic,
              [&p, &authenticator](Request& r) { return Authorize(p, authenticator, r); }});
  router.Add({Method::kPost, "/oauth2/token", Access::kPublic, [&p](Request& r) { return Token(p, r); }});
  router.Add({Method::kGet, "/oauth2/userinfo", Access::kPublic, [&p](Request& r) { return UserInfo(p, r); }});
  router.Add({Method::kPost, "/oauth2/userinfo", Access::kPublic, [&p](Request& r) { return UserInfo(p, r); }});
  router.Add({Method::kPost, "/oauth2/revoke", Access::kPublic, [&p](Request& r) { return Revoke(p, r); }});
  router.Add({Method::kGet, "/api/v1/oauth2/requests/{id}", Access::kSignedIn, [&p](Request& r) {
                if (RequestId(r).size() > kMaxRequestId) {
                  return Response::FromProblem(http::MakeProblem(404, "oidc-request-not-found"));
                }
                auto consent = p.PendingConsent(*r.principal, RequestId(r), PresentedRequestCookie(r));
                if (!consent) return Response::FromProblem(consent.problem());
                return NoStore(Response::Json(200, ConsentJson(*consent)));
              }});
  router.Add(
      {Method::kPost, "/api/v1/oauth2/requests/{id}", Access::kSignedIn, [&p](Request& r) { return Decide(p, r); }});
}

}  // namespace egovbox::integrations
