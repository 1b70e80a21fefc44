#include "http/response.h"

#include <strings.h>

#include "http/request.h"

namespace egovbox::http {

Response Response::Json(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.headers.emplace_back("Content-Type", "application/json");
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  return response;
}

Response Response::FromProblem(Problem problem) {
  Response response;
  response.status = problem.status;
  response.problem = std::move(problem);
  return response;
}

Response& Response::SetHeader(std::string name, std::string value) {
  for (auto& [existing, existing_value] : headers) {
    if (strcasecmp(existing.c_str(), name.c_str()) == 0) {
      existing_value = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [existing, value] : headers) {
    if (existing.size() == name.size() && strncasecmp(existing.data(), name.data(), name.size()) == 0) return value;
  }
  return {};
}

Result<nlohmann::json> ParseJsonObject(const Request& request) {
  const std::string_view content_type = request.Header("content-type");
  if (content_type.substr(0, 16) != "application/json") {
    return MakeProblem(415, "unsupported-media-type", {{"expected", "application/json"}});
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return MakeProblem(400, "malformed-json", {{"reason", "syntax error"}});
  if (!body.is_object()) return MakeProblem(400, "malformed-json", {{"reason", "not an object"}});
  return body;
}

}  // namespace egovbox::http
