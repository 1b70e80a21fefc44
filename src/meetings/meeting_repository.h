// SQL for rooms, meetings, invitations and exceptions. Every function runs on the
// connection it is given, so the caller decides the transaction. Throws StoreError.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "meetings/meeting.h"
#include "store/database.h"

namespace egovbox::meetings {

class MeetingRepository {
 public:
  // People (read from the identity module's tables).
  static std::optional<Person> FindPerson(store::Connection& connection, const std::string& employee_id);
  static std::vector<Person> ActiveMembersOf(store::Connection& connection, const std::string& department_name);
  static bool DepartmentExists(store::Connection& connection, const std::string& department_name);

  // Rooms.
  static std::optional<Room> FindRoom(store::Connection& connection, const std::string& room_id);
  static Room PersonalRoomOf(store::Connection& connection, const std::string& employee_id);
  static std::vector<Room> Halls(store::Connection& connection);
  static void InsertHall(store::Connection& connection, const Room& hall, std::int64_t now);
  static void UpdateHall(store::Connection& connection, const Room& hall);
  static void ArchiveHall(store::Connection& connection, const std::string& room_id, std::int64_t now);

  // Meetings, with their room, organiser, invitations and exceptions.
  static std::optional<Meeting> FindMeeting(store::Connection& connection, const std::string& meeting_id);
  static void InsertMeeting(store::Connection& connection, const Meeting& meeting, const std::string& local_start);
  // Everything but the invitations and exceptions.
  static void UpdateMeeting(store::Connection& connection, const Meeting& meeting, const std::string& local_start);
  static void InsertInvitation(store::Connection& connection, const std::string& meeting_id,
                               const Invitation& invitation);
  static void UpdateInvitationRole(store::Connection& connection, const std::string& meeting_id,
                                   const std::string& employee_id, const std::string& role);
  static void DeleteInvitation(store::Connection& connection, const std::string& meeting_id,
                               const std::string& employee_id);
  static void SetResponse(store::Connection& connection, const std::string& meeting_id, const std::string& employee_id,
                          const std::string& response, const std::string& comment, std::int64_t now);
  static void SetReminderOffsets(store::Connection& connection, const std::string& meeting_id,
                                 const std::string& employee_id,
                                 const std::optional<std::vector<std::int64_t>>& offsets);
  static void UpsertException(store::Connection& connection, const std::string& meeting_id,
                              const ExceptionRecord& exception);
  static void DeleteExceptions(store::Connection& connection, const std::string& meeting_id);

  // Ids of scheduled meetings that may have an occurrence in [from, to): those the
  // employee is invited to, or those in a room.
  static std::vector<std::string> MeetingIdsOfEmployee(store::Connection& connection, const std::string& employee_id,
                                                       std::int64_t from, std::int64_t to);
  static std::vector<std::string> MeetingIdsInRoom(store::Connection& connection, const std::string& room_id,
                                                   std::int64_t from, std::int64_t to);
  // Every meeting the employee is invited to, cancelled ones included (calendar feed).
  static std::vector<std::string> AllMeetingIdsOfEmployee(store::Connection& connection,
                                                          const std::string& employee_id);
};

std::string OffsetsToJson(const std::vector<std::int64_t>& offsets);
std::vector<std::int64_t> OffsetsFromJson(const std::string& text);

}  // namespace egovbox::meetings
