// Reading fields from a parsed JSON body, with a 400 invalid-field problem for a
// field that is missing, of the wrong type or too long.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/problem.h"

namespace egovbox::http {

Result<std::string> RequiredString(const nlohmann::json& body, const std::string& field, std::size_t max_length);
// nullopt when absent or null; a problem when present but not a string or too long.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const std::string& field,
                                                  std::size_t max_length);

}  // namespace egovbox::http
