#include "audit/audit_log.h"

#include <ctime>

#include "crypto/digest.h"

namespace egovbox::audit {
namespace {

const std::string kGenesisHash(64, '0');

// The hash covers every stored field, in a fixed order and an unambiguous encoding.
std::string EntryHash(std::int64_t seq, std::int64_t at, const std::optional<std::string>& actor_id,
                      const std::string& action, const std::string& subject, const std::string& client_address,
                      const std::string& detail, const std::string& prev_hash) {
  const nlohmann::json fields = {seq,    at,       actor_id ? nlohmann::json(*actor_id) : nlohmann::json(),
                                 action, subject,  client_address,
                                 detail, prev_hash};
  return crypto::Sha256Hex(fields.dump());
}

}  // namespace

void AuditLog::Append(store::Connection& connection, const AuditEntry& entry) const {
  std::int64_t seq = 1;
  std::string prev_hash = kGenesisHash;
  if (auto last = connection.QueryOne("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
    seq = last->Int(0) + 1;
    prev_hash = last->Text(1);
  }
  const auto at = static_cast<std::int64_t>(std::time(nullptr));
  const std::string detail = entry.detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string hash =
      EntryHash(seq, at, entry.actor_id, entry.action, entry.subject, entry.client_address, detail, prev_hash);
  connection.Execute(
      "INSERT INTO audit_log (seq, at, actor_id, action, subject, client_address, detail, prev_hash, hash)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {seq, at, store::OptionalText(entry.actor_id), entry.action, entry.subject, entry.client_address, detail,
       prev_hash, hash});
}

void AuditLog::Record(const AuditEntry& entry) const {
  database_.InTransaction(store::TransactionMode::kWrite,
                          [&](store::Connection& connection) { Append(connection, entry); });
}

VerifyReport AuditLog::Verify() const {
  VerifyReport report;
  auto connection = database_.Acquire();
  const auto rows = connection->Query(
      "SELECT seq, at, actor_id, action, subject, client_address, detail, prev_hash, hash"
      " FROM audit_log ORDER BY seq");
  std::string expected_prev = kGenesisHash;
  std::int64_t expected_seq = 1;
  for (const auto& row : rows) {
    const std::int64_t seq = row.Int(0);
    ++report.entries;
    if (seq != expected_seq) {
      report = {false, report.entries, expected_seq, "entry " + std::to_string(expected_seq) + " is missing"};
      return report;
    }
    const std::string hash = EntryHash(seq, row.Int(1), row.OptionalText(2), row.Text(3), row.Text(4), row.Text(5),
                                       row.Text(6), row.Text(7));
    if (row.Text(7) != expected_prev) {
      report = {false, report.entries, seq, "entry " + std::to_string(seq) + " does not follow the entry before it"};
      return report;
    }
    if (hash != row.Text(8)) {
      report = {false, report.entries, seq, "entry " + std::to_string(seq) + " was changed"};
      return report;
    }
    expected_prev = row.Text(8);
    ++expected_seq;
  }
  return report;
}

}  // namespace egovbox::audit
