// Turns a Request into a Response: route lookup, authentication, CSRF and Origin
// checks, role checks, the handler, and problem rendering in the request's
// language. Never throws: an exception from a handler becomes a logged 500.
// Thread-safe (everything it holds is read-only while serving).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/security_headers.h"
#include "http/static_files.h"

namespace egovbox::http {

// Implemented by the identity module: who sent this request?
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt when the request carries no session; a problem (session-expired) when it
  // carries one that is no longer valid.
  virtual Result<std::optional<Principal>> Authenticate(const Request& request) = 0;
  // The principal when it can be told without blocking (from memory); nullopt when
  // it cannot, and the request then takes the blocking way through Authenticate.
  virtual std::optional<Principal> AuthenticateWithoutBlocking(const Request& /*request*/) { return std::nullopt; }
  // Called after every state-changing request: whatever is remembered about who may
  // do what must be looked up afresh.
  virtual void ForgetRemembered() {}
};

// Implemented by the integrations module: requests that carry an API token
// (`Authorization: Bearer ...`, RFC 6750 §2.1) instead of a session. Thread-safe;
// both calls may block on the store.
class BearerAuthenticator {
 public:
  virtual ~BearerAuthenticator() = default;
  // The principal the token stands for (Principal::integration_id and scopes set),
  // or a problem: 401 for a token that is unknown, expired or revoked or whose
  // integration is not approved; 429 when its integration is over its rate.
  virtual Result<Principal> AuthenticateBearer(const Request& request, std::string_view token) = 0;
  // After every request such a principal made on a route, once its status is known
  // (the audit log). Must not throw.
  virtual void Record(const Request& request, const std::string& route_pattern, int status) noexcept = 0;
};

class Dispatcher {
 public:
  // `bearer`: null means bearer tokens are not accepted (such a request is treated
  // as having no session). `frame_sources`: the CSP's frame-src; null, 'none'.
  Dispatcher(const Router& router, Authenticator& authenticator, const StaticFiles& static_files,
             BearerAuthenticator* bearer = nullptr, const FrameSources* frame_sources = nullptr);

  // `route_label` receives the matched pattern (or "static", "unmatched") for metrics and logs.
  // May block (store, hashing): call it on a worker thread.
  Response Handle(Request& request, std::string& route_label) const;
  // The response when it can be made without blocking (a route's inline handler, a
  // static file, an error): safe on an I/O thread. nullopt: call Handle on a worker.
  std::optional<Response> HandleWithoutBlocking(Request& request, std::string& route_label) const;

  // The body limit of the route that streams its body for this method and path
  // (Route::streamed_body_limit); nullopt when the body is to be read whole first.
  std::optional<std::uint64_t> StreamedBodyLimit(Method method, const std::string& path) const;

  // For a WebSocket upgrade: the Origin must be this server's and the person signed
  // in with nothing pending. The principal, or a rendered problem response. May block.
  Result<Principal> AuthenticateUpgrade(Request& request) const;
  Response RenderedProblem(const Problem& problem, Language language) const;

  // Renders a Response that carries a Problem as application/problem+json.
  static void RenderProblem(Response& response, Language language);

 private:
  enum class Mode { kBlocking, kWithoutBlocking };
  // nullopt only in kWithoutBlocking mode, when the request needs the blocking way.
  std::optional<Response> Route(Request& request, std::string& route_label, Mode mode) const;
  std::optional<Response> Guarded(Request& request, std::string& route_label, Mode mode) const;
  // A problem to answer with, or nullopt to go on; `undecided` is set in
  // kWithoutBlocking mode when the principal cannot be told without blocking.
  std::optional<Problem> CheckAccess(Request& request, const http::Route& route, Mode mode, bool& undecided) const;
  // The part of CheckAccess for a request with an API token: the token, then the route's scopes.
  std::optional<Problem> CheckBearer(Request& request, const http::Route& route, std::string_view token) const;
  // Hands a bearer principal's response to BearerAuthenticator::Record; returns it.
  Response Recorded(const Request& request, const http::Route& route, Response response) const;

  const Router& router_;
  Authenticator& authenticator_;
  const StaticFiles& static_files_;
  BearerAuthenticator* bearer_;
  const FrameSources* frame_sources_;
};

}  // namespace egovbox::http
