#include "http/router.h"

namespace egovbox::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return segments;
}

bool MatchPattern(const std::string& pattern, const std::string& path, std::map<std::string, std::string>& params) {
  const auto expected = Segments(pattern);
  const auto actual = Segments(path);
  if (expected.size() != actual.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::string_view part = expected[i];
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      if (actual[i].empty()) return false;
      found.emplace(std::string(part.substr(1, part.size() - 2)), std::string(actual[i]));
    } else if (part != actual[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::Add(Route route) {
  routes_.push_back(std::move(route));
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
