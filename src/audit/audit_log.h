// The audit log: append-only, hash-chained. Each entry stores the SHA-256 of the
// entry before it and of its own fields, so changing or removing any row breaks
// the chain at that row, and Verify names it.
//
// Append writes inside the caller's transaction, so an action and its audit entry
// are committed together or not at all; the transaction must be a kWrite one (it
// reads the last entry and appends after it). Record is the same in a transaction
// of its own, for events that change nothing else (a failed sign-in).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/database.h"

namespace egovbox::audit {

struct AuditEntry {
  std::optional<std::string> actor_id;  // employee id; nullopt for the system or the CLI
  std::string action;                   // "session.sign_in", "employee.create", ...
  std::string subject;                  // what it was done to (an employee id, a code)
  std::string client_address;
  nlohmann::json detail = nlohmann::json::object();
};

struct VerifyReport {
  bool intact = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_bad_seq;  // the first entry that was changed, or after which one is missing
  std::string reason;
};

class AuditLog {
 public:
  explicit AuditLog(store::Database& database) : database_(database) {}

  void Append(store::Connection& connection, const AuditEntry& entry) const;
  void Record(const AuditEntry& entry) const;
  VerifyReport Verify() const;

 private:
  store::Database& database_;
};

}  // namespace egovbox::audit
