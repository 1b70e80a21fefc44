// Turns a Request into a Response: route lookup, authentication, CSRF and Origin
// checks, role checks, the handler, and problem rendering in the request's
// language. Never throws: an exception from a handler becomes a logged 500.
// Thread-safe (everything it holds is read-only while serving).
#pragma once

#include <optional>
#include <string>

#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/static_files.h"

namespace egovbox::http {

// Implemented by the identity module: who sent this request?
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt when the request carries no session; a problem (session-expired) when it
  // carries one that is no longer valid.
  virtual Result<std::optional<Principal>> Authenticate(const Request& request) = 0;
};

class Dispatcher {
 public:
  Dispatcher(const Router& router, Authenticator& authenticator, const StaticFiles& static_files);

  // `route_label` receives the matched pattern (or "static", "unmatched") for metrics and logs.
  Response Handle(Request& request, std::string& route_label) const;

  // Renders a Response that carries a Problem as application/problem+json.
  static void RenderProblem(Response& response, Language language);

 private:
  Response Route(Request& request, std::string& route_label) const;
  std::optional<Problem> CheckAccess(Request& request, const http::Route& route) const;

  const Router& router_;
  Authenticator& authenticator_;
  const StaticFiles& static_files_;
};

}  // namespace egovbox::http
