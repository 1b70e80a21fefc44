// Routes: a method and a path pattern ("/api/v1/meetings/{id}/join") mapped to a
// handler, with the access it needs. Domain modules add their routes at start;
// after that the router is read-only and safe to use from many threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace egovbox::http {

enum class Access {
  kPublic,       // anyone; no session needed (sign-in, health)
  kPendingStep,  // a signed-in person, even one who must first change a password or enrol a second factor
  kSignedIn,     // a signed-in person with nothing pending
};

using Handler = std::function<Response(Request&)>;
// Answers from memory, without blocking, when it can; nullopt sends the request on
// to the route's Handler on a worker thread.
using InlineHandler = std::function<std::optional<Response>(Request&)>;

struct Route {
  Method method;
  std::string pattern;
  Access access;
  Handler handler;
  // Roles of which the person needs at least one; empty means any signed-in person.
  std::vector<std::string> roles = {};
  // Optional fast way for hot read-only routes: runs on the I/O thread.
  InlineHandler inline_handler = nullptr;
  // Non-zero: the body is not read before the handler runs but handed to it as
  // Request::body_stream, up to this many bytes (413 beyond). Zero: the body is read
  // whole first, up to the server's max_body_bytes.
  std::uint64_t streamed_body_limit = 0;
  // Scopes of which an API token (Authorization: Bearer) needs at least one to call
  // this route; empty: API tokens are refused here (403 insufficient-scope).
  std::vector<std::string> scopes = {};
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this path and method
  bool path_exists = false;      // some route has this path (so: 405, not 404)
  std::map<std::string, std::string> params;
};

class Router {
 public:
  void Add(Route route);
  // Lets API tokens with `scope` call the route added for this method and pattern.
  // False when there is no such route. Only before serving, like Add.
  bool AllowScope(Method method, const std::string& pattern, const std::string& scope);
  RouteMatch Match(Method method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace egovbox::http
