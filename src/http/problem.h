// RFC 9457 problem details, and Result<T>: what a request handler or a domain
// service returns for a failure it expected (bad input, wrong password, not found).
//
// A Problem names a stable slug ("invalid-credentials"); its type URI is
// "urn:egovbox:problem:<slug>". The human title and detail come from the
// ProblemCatalog in the language of the request, with {placeholders} filled from
// `params`. Extra members (e.g. "violations") go in `extensions`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace egovbox::http {

struct Problem {
  int status = 500;
  std::string slug;
  nlohmann::json params = nlohmann::json::object();          // fills {placeholders} in the detail
  nlohmann::json extensions = nlohmann::json::object();      // extra members of the problem object
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Retry-After
};

Problem MakeProblem(int status, std::string slug, nlohmann::json params = nlohmann::json::object());
// 400 invalid-field: the field (e.g. "recurrence.interval") is missing, of the wrong type or not allowed.
Problem InvalidField(const std::string& field);

// Either a value or a Problem. Cheap to move; access to the wrong side throws
// std::bad_variant_access (a programmer error).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Result(Problem problem) : state_(std::move(problem)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Problem& problem() const { return std::get<Problem>(state_); }

 private:
  std::variant<T, Problem> state_;
};

// For operations that succeed with nothing to return.
struct Done {};
using Status = Result<Done>;
inline Status Ok() {
  return Done{};
}

}  // namespace egovbox::http
