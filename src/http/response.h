// The HTTP response as domain code builds it.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "http/problem.h"

namespace egovbox::http {

// A response body produced piece by piece (a file being decrypted), so that it is
// never held whole in memory. Read is called on a worker thread, one call at a time.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Fills up to `out.size()` bytes; returns how many, 0 at the end. Throws on a failure,
  // which closes the connection (the head has gone out already).
  virtual std::size_t Read(std::span<char> out) = 0;
};

struct Response {
  Response() { headers.reserve(16); }  // room for the security headers without regrowing

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Instead of `body`: a body of exactly `streamed_length` bytes, read from the source.
  std::shared_ptr<BodySource> streamed_body;
  std::uint64_t streamed_length = 0;
  // Set when the body is a Problem still to be rendered in the request's language.
  std::optional<Problem> problem;

  static Response Json(int status, const nlohmann::json& body);
  static Response NoContent();
  static Response FromProblem(Problem problem);
  // 200 with the value as JSON, or the problem.
  template <typename T>
  static Response FromResult(const Result<T>& result, int success_status = 200) {
    if (!result.ok()) return FromProblem(result.problem());
    return Json(success_status, nlohmann::json(result.value()));
  }
  static Response FromStatus(const Status& status) { return status.ok() ? NoContent() : FromProblem(status.problem()); }

  Response& SetHeader(std::string name, std::string value);
  std::string_view Header(std::string_view name) const;
};

// Parses a JSON object body. Problems: 415 when the Content-Type is not JSON,
// 400 malformed-json when it does not parse or is not an object.
Result<nlohmann::json> ParseJsonObject(const struct Request& request);

}  // namespace egovbox::http
