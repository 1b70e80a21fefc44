// SQL for server-side sessions. Only the SHA-256 of a session token is stored, so
// a copy of the database does not let anyone sign in. Throws StoreError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace egovbox::identity {

struct SessionRecord {
  std::string id;
  std::string token_hash;
  std::string employee_id;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::string user_agent;
  std::string client_address;
  std::optional<std::int64_t> revoked_at;
};

class SessionRepository {
 public:
  static void Insert(store::Connection& connection, const SessionRecord& session);
  static std::optional<SessionRecord> FindByTokenHash(store::Connection& connection, const std::string& token_hash);
  static std::optional<SessionRecord> FindById(store::Connection& connection, const std::string& id);
  static void Touch(store::Connection& connection, const std::string& id, std::int64_t now);
  static void Revoke(store::Connection& connection, const std::string& id, std::int64_t now);
  // Revokes every live session of the employee except `keep_id` (may be empty); returns how many.
  static std::int64_t RevokeAllOf(store::Connection& connection, const std::string& employee_id,
                                  const std::string& keep_id, std::int64_t now);
  // Sessions not revoked and not past their absolute expiry, newest first.
  static std::vector<SessionRecord> ListLive(store::Connection& connection, const std::string& employee_id,
                                             std::int64_t now);
};

}  // namespace egovbox::identity
