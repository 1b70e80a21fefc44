// Rooms and the way in: halls (administrators and clerks manage them), entering a
// room (a hall with an invitation to a meeting on in it; a personal room as its
// owner or an invitee of the meeting on in it), and knocking on a colleague's
// personal room, which the owner answers in real time.
//
// Thread-safe. Blocks on the store: call from worker threads.
#pragma once

#include "meetings/meeting_service.h"

namespace egovbox::meetings {

struct HallInput {
  std::string name;
  std::string description;
  std::optional<std::int64_t> capacity;
  bool lobby = false;
};

class RoomService {
 public:
  RoomService(store::Database& database, audit::AuditLog& audit, MeetingService& meetings, Messenger& messenger);

  http::Result<nlohmann::json> List(const std::string& actor_id);
  http::Result<nlohmann::json> Get(const std::string& room_id);
  // A colleague's personal room (to enter or knock on it from the directory).
  http::Result<nlohmann::json> PersonalRoomOf(const std::string& employee_id);
  http::Result<nlohmann::json> CreateHall(const std::string& actor_id, const HallInput& input);
  http::Result<nlohmann::json> UpdateHall(const std::string& actor_id, const std::string& room_id,
                                          const HallInput& input);
  http::Status ArchiveHall(const std::string& actor_id, const std::string& room_id);

  http::Result<JoinPass> Enter(const std::string& actor_id, const std::string& room_id);

  http::Result<nlohmann::json> Knock(const std::string& actor_id, const std::string& room_id);
  http::Result<nlohmann::json> GetKnock(const std::string& actor_id, const std::string& knock_id);
  http::Result<nlohmann::json> AnswerKnock(const std::string& actor_id, const std::string& knock_id, bool admit);
  http::Status WithdrawKnock(const std::string& actor_id, const std::string& knock_id);

 private:
  store::Database& database_;
  audit::AuditLog& audit_;
  MeetingService& meetings_;
  Messenger& messenger_;
};

}  // namespace egovbox::meetings
