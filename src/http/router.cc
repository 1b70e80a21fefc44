#include "http/router.h"

namespace egovbox::http {
namespace {

// The next segment of a path ("/a/b" -> "a", rest "/b"); false when none is left.
bool NextSegment(std::string_view& path, std::string_view& segment) {
  if (path.empty()) return false;
  if (path.front() == '/') path.remove_prefix(1);
  const auto slash = path.find('/');
  segment = path.substr(0, slash);
  path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  return true;
}

// Walks pattern and path side by side, without allocating unless they match.
bool MatchPattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
  std::string_view expected;
  std::string_view actual;
  std::vector<std::pair<std::string_view, std::string_view>> found;
  for (;;) {
    const bool more_expected = NextSegment(pattern, expected);
    const bool more_actual = NextSegment(path, actual);
    if (!more_expected || !more_actual) {
      if (more_expected != more_actual) return false;
      break;
    }
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      if (actual.empty()) return false;
      found.emplace_back(expected.substr(1, expected.size() - 2), actual);
    } else if (expected != actual) {
      return false;
    }
  }
  params.clear();
  for (const auto& [name, value] : found) params.emplace(name, value);
  return true;
}

}  // namespace

void Router::Add(Route route) {
  routes_.push_back(std::move(route));
}

bool Router::AllowScope(Method method, const std::string& pattern, const std::string& scope) {
  for (Route& route : routes_) {
    if (route.method != method || route.pattern != pattern) continue;
    route.scopes.push_back(scope);
    return true;
  }
  return false;
}

RouteMatch Router::Match(Method method, const std::string& path) const {
  RouteMatch match;
  std::map<std::string, std::string> params;
  for (const Route& route : routes_) {
    if (!MatchPattern(route.pattern, path, params)) continue;
    match.path_exists = true;
    // HEAD is answered by the GET handler; the server drops the body.
    if (route.method == method || (method == Method::kHead && route.method == Method::kGet)) {
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
  }
  return match;
}

}  // namespace egovbox::http
