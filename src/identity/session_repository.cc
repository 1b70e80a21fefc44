#include "identity/session_repository.h"

namespace egovbox::identity {
namespace {

constexpr const char* kSelectSession =
    "SELECT id, token_hash, employee_id, csrf_token, created_at, last_seen_at, expires_at, user_agent,"
    " client_address, revoked_at FROM sessions ";

SessionRecord ReadSession(const store::Row& row) {
  return SessionRecord{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4),
                       row.Int(5),  row.Int(6),  row.Text(7), row.Text(8), row.OptionalInt(9)};
}

}  // namespace

void SessionRepository::Insert(store::Connection& connection, const SessionRecord& session) {
  connection.Execute(
      "INSERT INTO sessions (id, token_hash, employee_id, csrf_token, created_at, last_seen_at, expires_at,"
      " user_agent, client_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {session.id, session.token_hash, session.employee_id, session.csrf_token, session.created_at,
       session.last_seen_at, session.expires_at, session.user_agent, session.client_address});
}

std::optional<SessionRecord> SessionRepository::FindByTokenHash(store::Connection& connection,
                                                                const std::string& token_hash) {
  auto row = connection.QueryOne(std::string(kSelectSession) + "WHERE token_hash = ?", {token_hash});
  if (!row) return std::nullopt;
  return ReadSession(*row);
}

std::optional<SessionRecord> SessionRepository::FindById(store::Connection& connection, const std::string& id) {
  auto row = connection.QueryOne(std::string(kSelectSession) + "WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return ReadSession(*row);
}

void SessionRepository::Touch(store::Connection& connection, const std::string& id, std::int64_t now) {
  connection.Execute("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", {now, id, now});
}

void SessionRepository::Revoke(store::Connection& connection, const std::string& id, std::int64_t now) {
  connection.Execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, id});
}

std::int64_t SessionRepository::RevokeAllOf(store::Connection& connection, const std::string& employee_id,
                                            const std::string& keep_id, std::int64_t now) {
  connection.Execute("UPDATE sessions SET revoked_at = ? WHERE employee_id = ? AND id <> ? AND revoked_at IS NULL",
                     {now, employee_id, keep_id});
  return connection.ChangedRows();
}

std::vector<SessionRecord> SessionRepository::ListLive(store::Connection& connection, const std::string& employee_id,
                                                       std::int64_t now) {
  std::vector<SessionRecord> sessions;
  for (const auto& row :
       connection.Query(std::string(kSelectSession) + "WHERE employee_id = ? AND revoked_at IS NULL AND expires_at > ?"
                                                      " ORDER BY last_seen_at DESC",
                        {employee_id, now})) {
    sessions.push_back(ReadSession(row));
  }
  return sessions;
}

}  // namespace egovbox::identity
