#include "http/json_input.h"

namespace egovbox::http {
namespace {}  // namespace

Result<std::string> RequiredString(const nlohmann::json& body, const std::string& field, std::size_t max_length) {
  auto value = OptionalString(body, field, max_length);
  if (!value) return value.problem();
  if (!value.value()) return InvalidField(field);
  return std::move(**value);
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const std::string& field,
                                                  std::size_t max_length) {
  const auto found = body.find(field);
  if (found == body.end() || found->is_null()) return std::optional<std::string>{};
  if (!found->is_string()) return InvalidField(field);
  const auto& text = found->get_ref<const std::string&>();
  if (text.size() > max_length) return InvalidField(field);
  return std::optional<std::string>(text);
}

}  // namespace egovbox::http
