#include "meetings/room_service.h"

#include <algorithm>

#include "crypto/random.h"
#include "meetings/meeting_repository.h"
#include "meetings/meeting_session.h"

namespace egovbox::meetings {
namespace {

using http::MakeProblem;
using nlohmann::json;

constexpr std::size_t kMaxHallName = 120;
constexpr std::size_t kMaxHallDescription = 2000;

struct KnockRecord {
  std::string id;
  std::string room_id;
  std::string employee_id;
  std::string status;
  std::optional<std::string> meeting_id;
};

std::optional<KnockRecord> FindKnock(store::Connection& tx, const std::string& knock_id) {
  const auto row =
      tx.QueryOne("SELECT id, room_id, employee_id, status, meeting_id FROM knocks WHERE id = ?", {knock_id});
  if (!row) return std::nullopt;
  return KnockRecord{row->Text(0), row->Text(1), row->Text(2), row->Text(3), row->OptionalText(4)};
}

// Who answers knocks on `room` for `meeting` (the meeting on in it, if any): a
// personal room's owner, and the hosts and co-hosts of the meeting.
std::vector<std::string> Answerers(const Room& room, const std::optional<Meeting>& meeting) {
  std::vector<std::string> who;
  if (room.personal()) who.push_back(room.owner->id);
  if (!meeting) return who;
  for (const auto& invitation : meeting->invitations) {
    const std::string& id = invitation.person.id;
    if (IsMeetingHost(*meeting, id) && std::find(who.begin(), who.end(), id) == who.end()) who.push_back(id);
  }
  return who;
}

json KnockJson(const KnockRecord& knock) {
  return {{"id", knock.id},
          {"room_id", knock.room_id},
          {"status", knock.status},
          {"meeting_id", knock.meeting_id ? json(*knock.meeting_id) : json()}};
}

http::Status CheckHall(const HallInput& input) {
  if (input.name.empty() || input.name.size() > kMaxHallName) {
    return http::InvalidField("name");
  }
  if (input.description.size() > kMaxHallDescription) {
    return http::InvalidField("description");
  }
  if (input.capacity && (*input.capacity < 1 || *input.capacity > 10000)) {
    return http::InvalidField("capacity");
  }
  return http::Ok();
}

}  // namespace

RoomService::RoomService(store::Database& database, audit::AuditLog& audit, MeetingService& meetings,
                         Messenger& messenger)
    : database_(database), audit_(audit), meetings_(meetings), messenger_(messenger) {}

http::Result<json> RoomService::List(const std::string& actor_id) {
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    json halls = json::array();
    for (const auto& hall : MeetingRepository::Halls(tx)) halls.push_back(MeetingService::RoomJson(hall));
    return json{{"personal", MeetingService::RoomJson(MeetingRepository::PersonalRoomOf(tx, actor_id))},
                {"halls", std::move(halls)}};
  });
}

http::Result<json> RoomService::Get(const std::string& room_id) {
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    const auto room = MeetingRepository::FindRoom(tx, room_id);
    if (!room || room->archived) return MakeProblem(404, "room-not-found");
    return MeetingService::RoomJson(*room);
  });
}

http::Result<json> RoomService::PersonalRoomOf(const std::string& employee_id) {
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    if (!MeetingRepository::FindPerson(tx, employee_id)) return MakeProblem(404, "employee-not-found");
    return MeetingService::RoomJson(MeetingRepository::PersonalRoomOf(tx, employee_id));
  });
}

http::Result<json> RoomService::CreateHall(const std::string& actor_id, const HallInput& input) {
  if (auto invalid = CheckHall(input); !invalid) return invalid.problem();
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
    Room hall;
    hall.id = crypto::RandomToken(12);
    hall.kind = "hall";
    hall.name = input.name;
    hall.description = input.description;
    hall.capacity = input.capacity;
    hall.lobby = input.lobby;
    MeetingRepository::InsertHall(tx, hall, now);
    audit_.Append(tx, {actor_id, "hall.create", hall.id, "", {{"name", hall.name}}});
    return MeetingService::RoomJson(hall);
  });
}

http::Result<json> RoomService::UpdateHall(const std::string& actor_id, const std::string& room_id,
                                           const HallInput& input) {
  if (auto invalid = CheckHall(input); !invalid) return invalid.problem();
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
    auto hall = MeetingRepository::FindRoom(tx, room_id);
    if (!hall || hall->archived || hall->personal()) return MakeProblem(404, "room-not-found");
    hall->name = input.name;
    hall->description = input.description;
    hall->capacity = input.capacity;
    hall->lobby = input.lobby;
    MeetingRepository::UpdateHall(tx, *hall);
    audit_.Append(tx, {actor_id, "hall.update", hall->id, "", {{"name", hall->name}}});
    return MeetingService::RoomJson(*hall);
  });
}

http::Status RoomService::ArchiveHall(const std::string& actor_id, const std::string& room_id) {
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    const auto hall = MeetingRepository::FindRoom(tx, room_id);
    if (!hall || hall->archived || hall->personal()) return MakeProblem(404, "room-not-found");
    // Meetings still to come keep the hall.
    if (!MeetingRepository::MeetingIdsInRoom(tx, room_id, now, now + 10LL * 365 * 86400).empty()) {
      return MakeProblem(409, "room-in-use");
    }
    MeetingRepository::ArchiveHall(tx, room_id, now);
    audit_.Append(tx, {actor_id, "hall.archive", room_id, "", {}});
    return http::Ok();
  });
}

http::Result<JoinPass> RoomService::Enter(const std::string& actor_id, const std::string& room_id) {
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<JoinPass> {
    const auto room = MeetingRepository::FindRoom(tx, room_id);
    if (!room || room->archived) return MakeProblem(404, "room-not-found");
    if (room->personal() && room->owner->id == actor_id) {
      const Meeting meeting = meetings_.EnsureRoomMeeting(tx, *room, "general", now);
      return meetings_.IssuePass(meeting, actor_id, now);
    }
    if (const auto meeting = meetings_.MeetingOnInRoomFor(tx, room_id, actor_id, now)) {
      const auto occurrence = meetings_.OccurrenceOn(*meeting, now);
      if (auto refused = CheckEntry(tx, *meeting, occurrence->original_start, actor_id,
                                    meetings_.AdmittedGuest(tx, *meeting, actor_id, now), now)) {
        return *refused;
      }
      return meetings_.IssuePass(*meeting, actor_id, now);
    }
    return MakeProblem(403, room->personal() ? "knock-required" : "not-invited");
  });
}

http::Result<json> RoomService::Knock(const std::string& actor_id, const std::string& room_id) {
  const std::int64_t now = meetings_.Now();
  Messenger::Batch batch;
  auto knocked =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        const auto room = MeetingRepository::FindRoom(tx, room_id);
        if (!room || room->archived) return MakeProblem(404, "room-not-found");
        // The meeting the knock is for: a hall's, that the knocker is invited to and
        // that has a lobby; or the one on in a personal room, if any.
        std::optional<Meeting> meeting;
        if (!room->personal()) {
          meeting = meetings_.MeetingOnInRoomFor(tx, room_id, actor_id, now);
          if (!meeting) return MakeProblem(403, "not-invited");
          if (!room->lobby || IsMeetingHost(*meeting, actor_id) ||
              meetings_.AdmittedGuest(tx, *meeting, actor_id, now)) {
            return MakeProblem(409, "knock-not-needed");
          }
        } else {
          if (room->owner->id == actor_id || meetings_.MeetingOnInRoomFor(tx, room_id, actor_id, now)) {
            return MakeProblem(409, "knock-not-needed");
          }
          if (messenger_.hub().PresenceOf(room->owner->id) == realtime::Presence::kOffline) {
            return MakeProblem(409, "room-owner-away");
          }
          meeting = meetings_.MeetingOnInRoomFor(tx, room_id, room->owner->id, now, false);
        }
        if (meeting) {
          const auto occurrence = meetings_.OccurrenceOn(*meeting, now);
          if (IsRemoved(tx, meeting->id, occurrence->original_start, actor_id)) {
            return MakeProblem(403, "removed-from-meeting");
          }
        }
        const auto knocker = MeetingRepository::FindPerson(tx, actor_id);
        if (!knocker) return MakeProblem(403, "forbidden");
        // One knock at a time: an earlier pending one is replaced.
        tx.Execute(
            "UPDATE knocks SET status = 'withdrawn', decided_at = ? WHERE room_id = ? AND employee_id = ?"
            " AND status = 'pending'",
            {now, room_id, actor_id});
        // A hall's knock names its meeting from the start; a personal room's, once admitted.
        const std::optional<std::string> for_meeting =
            room->personal() ? std::nullopt : std::optional<std::string>(meeting->id);
        const KnockRecord knock{crypto::RandomToken(12), room_id, actor_id, "pending", for_meeting};
        tx.Execute(
            "INSERT INTO knocks (id, room_id, employee_id, status, meeting_id, created_at)"
            " VALUES (?, ?, ?, 'pending', ?, ?)",
            {knock.id, room_id, actor_id, store::OptionalText(for_meeting), now});
        for (const auto& answerer : Answerers(*room, meeting)) {
          Messenger::Event(batch, answerer,
                           {{"type", "knock"},
                            {"knock",
                             {{"id", knock.id},
                              {"room_id", room_id},
                              {"meeting_id", for_meeting ? json(*for_meeting) : json()},
                              {"employee", {{"id", knocker->id}, {"name", knocker->name}}}}}});
        }
        return KnockJson(knock);
      });
  if (knocked) messenger_.Deliver(batch);
  return knocked;
}

http::Result<json> RoomService::GetKnock(const std::string& actor_id, const std::string& knock_id) {
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    const auto knock = FindKnock(tx, knock_id);
    if (!knock) return MakeProblem(404, "knock-not-found");
    const auto room = MeetingRepository::FindRoom(tx, knock->room_id);
    const bool owner = room->personal() && room->owner->id == actor_id;
    if (knock->employee_id != actor_id && !owner) return MakeProblem(404, "knock-not-found");
    return KnockJson(*knock);
  });
}

http::Result<json> RoomService::AnswerKnock(const std::string& actor_id, const std::string& knock_id, bool admit) {
  const std::int64_t now = meetings_.Now();
  Messenger::Batch batch;
  auto answered =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto knock = FindKnock(tx, knock_id);
        if (!knock) return MakeProblem(404, "knock-not-found");
        const auto room = MeetingRepository::FindRoom(tx, knock->room_id);
        // The owner of a personal room, or a host of the meeting the knock is for.
        const std::optional<Meeting> meeting =
            room->personal() ? meetings_.MeetingOnInRoomFor(tx, room->id, room->owner->id, now, false)
                             : MeetingRepository::FindMeeting(tx, knock->meeting_id.value_or(""));
        const auto answerers = Answerers(*room, meeting);
        if (std::find(answerers.begin(), answerers.end(), actor_id) == answerers.end()) {
          return MakeProblem(404, "knock-not-found");
        }
        if (knock->status != "pending") return MakeProblem(409, "knock-answered");
        if (admit && room->personal()) {
          const auto knocker = MeetingRepository::FindPerson(tx, knock->employee_id);
          if (!knocker) return MakeProblem(409, "knock-answered");
          Meeting entered = meetings_.EnsureRoomMeeting(tx, *room, "general", now);
          // Into an ad-hoc meeting as an invitee; into a scheduled one only as a guest
          // of this occurrence (the knock row says so), never into the whole series.
          if (entered.ad_hoc) meetings_.AddParticipant(tx, entered, *knocker, now);
          knock->meeting_id = entered.id;
        }
        knock->status = admit ? "admitted" : "declined";
        tx.Execute("UPDATE knocks SET status = ?, meeting_id = ?, decided_at = ? WHERE id = ?",
                   {knock->status, store::OptionalText(knock->meeting_id), now, knock->id});
        audit_.Append(
            tx, {actor_id, admit ? "knock.admit" : "knock.decline", knock->id, "", {{"employee", knock->employee_id}}});
        Messenger::Event(batch, knock->employee_id, {{"type", "knock.answered"}, {"knock", KnockJson(*knock)}});
        for (const auto& answerer : answerers) {
          Messenger::Event(batch, answerer, {{"type", "knock.closed"}, {"knock_id", knock->id}});
        }
        return KnockJson(*knock);
      });
  if (answered) messenger_.Deliver(batch);
  return answered;
}

http::Status RoomService::WithdrawKnock(const std::string& actor_id, const std::string& knock_id) {
  const std::int64_t now = meetings_.Now();
  Messenger::Batch batch;
  auto withdrawn = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    const auto knock = FindKnock(tx, knock_id);
    if (!knock || knock->employee_id != actor_id) return MakeProblem(404, "knock-not-found");
    if (knock->status != "pending") return http::Ok();
    tx.Execute("UPDATE knocks SET status = 'withdrawn', decided_at = ? WHERE id = ?", {now, knock_id});
    const auto room = MeetingRepository::FindRoom(tx, knock->room_id);
    const std::optional<Meeting> meeting = room->personal()
                                               ? meetings_.MeetingOnInRoomFor(tx, room->id, room->owner->id, now, false)
                                               : MeetingRepository::FindMeeting(tx, knock->meeting_id.value_or(""));
    for (const auto& answerer : Answerers(*room, meeting)) {
      Messenger::Event(batch, answerer, {{"type", "knock.closed"}, {"knock_id", knock_id}});
    }
    return http::Ok();
  });
  if (withdrawn) messenger_.Deliver(batch);
  return withdrawn;
}

}  // namespace egovbox::meetings
