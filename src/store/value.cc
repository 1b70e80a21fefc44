#include "store/value.h"

namespace egovbox::store {

std::int64_t Row::Int(std::size_t column) const {
  const Value& value = values_.at(column);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value)) return static_cast<std::int64_t>(*real);
  if (std::holds_alternative<std::monostate>(value)) return 0;
  throw StoreError(StoreError::Kind::kOther, "column " + std::to_string(column) + " is not an integer");
}

std::string Row::Text(std::size_t column) const {
  const Value& value = values_.at(column);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
  if (std::holds_alternative<std::monostate>(value)) return {};
  throw StoreError(StoreError::Kind::kOther, "column " + std::to_string(column) + " is not text");
}

std::optional<std::string> Row::OptionalText(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::optional<std::int64_t> Row::OptionalInt(std::size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

}  // namespace egovbox::store
