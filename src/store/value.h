// Values that cross the store interface: the few column types both backends share.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace egovbox::store {

// NULL, INTEGER, REAL or TEXT. BLOBs are stored as text (base64) or in the file store.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

// Binds an optional string as TEXT or NULL.
inline Value OptionalText(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return *text;
}

// One result row; columns are addressed by their position in the SELECT list.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  bool IsNull(std::size_t column) const { return std::holds_alternative<std::monostate>(values_.at(column)); }
  std::int64_t Int(std::size_t column) const;
  std::string Text(std::size_t column) const;
  std::optional<std::string> OptionalText(std::size_t column) const;
  std::optional<std::int64_t> OptionalInt(std::size_t column) const;
  bool Bool(std::size_t column) const { return Int(column) != 0; }
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<Value> values_;
};

// Thrown for failures a caller does not expect to handle (disk full, corrupt file,
// a constraint the service should have checked first). kBusy and kConstraint let a
// caller that does expect them (retry, duplicate key) tell them apart.
class StoreError : public std::runtime_error {
 public:
  enum class Kind { kBusy, kConstraint, kOther };
  StoreError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace egovbox::store
