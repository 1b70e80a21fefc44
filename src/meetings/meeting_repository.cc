#include "meetings/meeting_repository.h"

#include <nlohmann/json.hpp>

namespace egovbox::meetings {
namespace {

constexpr const char* kSelectPerson =
    "SELECT e.id, e.name, e.email, COALESCE(d.name, '') FROM employees e"
    " LEFT JOIN departments d ON d.id = e.department_id ";

Person ReadPerson(const store::Row& row, std::size_t first = 0) {
  return Person{row.Text(first), row.Text(first + 1), row.Text(first + 2), row.Text(first + 3)};
}

// Room columns, then the owner's person columns (NULL for halls).
constexpr const char* kSelectRoom =
    "SELECT r.id, r.kind, r.name, r.description, r.capacity, r.lobby, r.archived_at,"
    " e.id, e.name, e.email, COALESCE(d.name, '') FROM rooms r"
    " LEFT JOIN employees e ON e.id = r.owner_id LEFT JOIN departments d ON d.id = e.department_id ";

Room ReadRoom(const store::Row& row) {
  Room room;
  room.id = row.Text(0);
  room.kind = row.Text(1);
  room.name = row.Text(2);
  room.description = row.Text(3);
  room.capacity = row.OptionalInt(4);
  room.lobby = row.Bool(5);
  room.archived = !row.IsNull(6);
  if (!row.IsNull(7)) {
    room.owner = ReadPerson(row, 7);
    room.name = room.owner->name;
  }
  return room;
}

std::optional<std::vector<std::int64_t>> OptionalOffsets(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return OffsetsFromJson(*text);
}

std::vector<std::string> Ids(const std::vector<store::Row>& rows) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row.Text(0));
  return ids;
}

}  // namespace

std::string OffsetsToJson(const std::vector<std::int64_t>& offsets) {
  return nlohmann::json(offsets).dump();
}

std::vector<std::int64_t> OffsetsFromJson(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::int64_t> offsets;
  if (!json.is_array()) return offsets;
  for (const auto& offset : json) {
    if (offset.is_number_integer()) offsets.push_back(offset.get<std::int64_t>());
  }
  return offsets;
}

std::optional<Person> MeetingRepository::FindPerson(store::Connection& connection, const std::string& employee_id) {
  auto row = connection.QueryOne(std::string(kSelectPerson) + "WHERE e.id = ? AND e.status = 'active'", {employee_id});
  if (!row) return std::nullopt;
  return ReadPerson(*row);
}

std::vector<Person> MeetingRepository::ActiveMembersOf(store::Connection& connection,
                                                       const std::string& department_name) {
  std::vector<Person> people;
  for (const auto& row :
       connection.Query(std::string(kSelectPerson) + "WHERE d.name = ? AND e.status = 'active' ORDER BY e.name",
                        {department_name})) {
    people.push_back(ReadPerson(row));
  }
  return people;
}

bool MeetingRepository::DepartmentExists(store::Connection& connection, const std::string& department_name) {
  return connection.QueryOne("SELECT 1 FROM departments WHERE name = ?", {department_name}).has_value();
}

std::optional<Room> MeetingRepository::FindRoom(store::Connection& connection, const std::string& room_id) {
  auto row = connection.QueryOne(std::string(kSelectRoom) + "WHERE r.id = ?", {room_id});
  if (!row) return std::nullopt;
  return ReadRoom(*row);
}

Room MeetingRepository::PersonalRoomOf(store::Connection& connection, const std::string& employee_id) {
  auto row = connection.QueryOne(std::string(kSelectRoom) + "WHERE r.owner_id = ?", {employee_id});
  if (!row) throw store::StoreError(store::StoreError::Kind::kOther, "employee without a personal room");
  return ReadRoom(*row);
}

std::vector<Room> MeetingRepository::Halls(store::Connection& connection) {
  std::vector<Room> halls;
  for (const auto& row :
       connection.Query(std::string(kSelectRoom) + "WHERE r.kind = 'hall' AND r.archived_at IS NULL ORDER BY r.name")) {
    halls.push_back(ReadRoom(row));
  }
  return halls;
}

void MeetingRepository::InsertHall(store::Connection& connection, const Room& hall, std::int64_t now) {
  connection.Execute(
      "INSERT INTO rooms (id, kind, name, description, capacity, lobby, created_at) VALUES (?, 'hall', ?, ?, ?, ?, ?)",
      {hall.id, hall.name, hall.description,
       hall.capacity ? store::Value(*hall.capacity) : store::Value(std::monostate{}),
       static_cast<std::int64_t>(hall.lobby), now});
}

void MeetingRepository::UpdateHall(store::Connection& connection, const Room& hall) {
  connection.Execute(
      "UPDATE rooms SET name = ?, description = ?, capacity = ?, lobby = ? WHERE id = ? AND kind = 'hall'",
      {hall.name, hall.description, hall.capacity ? store::Value(*hall.capacity) : store::Value(std::monostate{}),
       static_cast<std::int64_t>(hall.lobby), hall.id});
}

void MeetingRepository::ArchiveHall(store::Connection& connection, const std::string& room_id, std::int64_t now) {
  connection.Execute("UPDATE rooms SET archived_at = ? WHERE id = ? AND kind = 'hall'", {now, room_id});
}

std::optional<Meeting> MeetingRepository::FindMeeting(store::Connection& connection, const std::string& meeting_id) {
  auto row = connection.QueryOne(
      "SELECT id, title, agenda, kind, room_id, organiser_id, starts_at, ends_at, recurrence, last_ends_at, status,"
      " sequence, reminder_offsets, ad_hoc, created_at, updated_at FROM meetings WHERE id = ?",
      {meeting_id});
  if (!row) return std::nullopt;
  Meeting meeting;
  meeting.id = row->Text(0);
  meeting.title = row->Text(1);
  meeting.agenda = row->Text(2);
  meeting.kind = row->Text(3);
  meeting.room = *FindRoom(connection, row->Text(4));
  const auto organiser = connection.QueryOne(std::string(kSelectPerson) + "WHERE e.id = ?", {row->Text(5)});
  meeting.organiser = ReadPerson(*organiser);
  meeting.starts_at = row->Int(6);
  meeting.ends_at = row->Int(7);
  if (const auto rule = row->OptionalText(8)) meeting.recurrence = FromRrule(*rule);
  meeting.last_ends_at = row->OptionalInt(9);
  meeting.status = row->Text(10);
  meeting.sequence = row->Int(11);
  meeting.reminder_offsets = OffsetsFromJson(row->Text(12));
  meeting.ad_hoc = row->Bool(13);
  meeting.created_at = row->Int(14);
  meeting.updated_at = row->Int(15);
  for (const auto& invitation : connection.Query(
           "SELECT e.id, e.name, e.email, COALESCE(d.name, ''), i.role, i.response, i.comment, i.reminder_offsets,"
           " i.invited_at FROM invitations i JOIN employees e ON e.id = i.employee_id"
           " LEFT JOIN departments d ON d.id = e.department_id WHERE i.meeting_id = ?"
           " ORDER BY CASE i.role WHEN 'host' THEN 0 WHEN 'co-host' THEN 1 ELSE 2 END, e.name",
           {meeting_id})) {
    meeting.invitations.push_back(Invitation{ReadPerson(invitation), invitation.Text(4), invitation.Text(5),
                                             invitation.Text(6), OptionalOffsets(invitation.OptionalText(7)),
                                             invitation.Int(8)});
  }
  for (const auto& exception : connection.Query(
           "SELECT original_start, starts_at, ends_at, cancelled FROM meeting_exceptions WHERE meeting_id = ?"
           " ORDER BY original_start",
           {meeting_id})) {
    meeting.exceptions.push_back(
        ExceptionRecord{exception.Int(0), exception.OptionalInt(1), exception.OptionalInt(2), exception.Bool(3)});
  }
  return meeting;
}

void MeetingRepository::InsertMeeting(store::Connection& connection, const Meeting& meeting,
                                      const std::string& local_start) {
  connection.Execute(
      "INSERT INTO meetings (id, title, agenda, kind, room_id, organiser_id, starts_at, ends_at, local_start,"
      " recurrence, last_ends_at, status, sequence, reminder_offsets, ad_hoc, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {meeting.id, meeting.title, meeting.agenda, meeting.kind, meeting.room.id, meeting.organiser.id,
       meeting.starts_at, meeting.ends_at, local_start,
       meeting.recurrence ? store::Value(ToRrule(*meeting.recurrence)) : store::Value(std::monostate{}),
       meeting.last_ends_at ? store::Value(*meeting.last_ends_at) : store::Value(std::monostate{}), meeting.status,
       meeting.sequence, OffsetsToJson(meeting.reminder_offsets), static_cast<std::int64_t>(meeting.ad_hoc),
       meeting.created_at, meeting.updated_at});
  for (const auto& invitation : meeting.invitations) InsertInvitation(connection, meeting.id, invitation);
}

void MeetingRepository::UpdateMeeting(store::Connection& connection, const Meeting& meeting,
                                      const std::string& local_start) {
  connection.Execute(
      "UPDATE meetings SET title = ?, agenda = ?, kind = ?, room_id = ?, starts_at = ?, ends_at = ?, local_start = ?,"
      " recurrence = ?, last_ends_at = ?, status = ?, sequence = ?, reminder_offsets = ?, updated_at = ? WHERE id = ?",
      {meeting.title, meeting.agenda, meeting.kind, meeting.room.id, meeting.starts_at, meeting.ends_at, local_start,
       meeting.recurrence ? store::Value(ToRrule(*meeting.recurrence)) : store::Value(std::monostate{}),
       meeting.last_ends_at ? store::Value(*meeting.last_ends_at) : store::Value(std::monostate{}), meeting.status,
       meeting.sequence, OffsetsToJson(meeting.reminder_offsets), meeting.updated_at, meeting.id});
}

void MeetingRepository::InsertInvitation(store::Connection& connection, const std::string& meeting_id,
                                         const Invitation& invitation) {
  connection.Execute(
      "INSERT INTO invitations (meeting_id, employee_id, role, response, comment, reminder_offsets, invited_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      {meeting_id, invitation.person.id, invitation.role, invitation.response, invitation.comment,
       invitation.reminder_offsets ? store::Value(OffsetsToJson(*invitation.reminder_offsets))
                                   : store::Value(std::monostate{}),
       invitation.invited_at});
}

void MeetingRepository::UpdateInvitationRole(store::Connection& connection, const std::string& meeting_id,
                                             const std::string& employee_id, const std::string& role) {
  connection.Execute("UPDATE invitations SET role = ? WHERE meeting_id = ? AND employee_id = ?",
                     {role, meeting_id, employee_id});
}

void MeetingRepository::DeleteInvitation(store::Connection& connection, const std::string& meeting_id,
                                         const std::string& employee_id) {
  connection.Execute("DELETE FROM invitations WHERE meeting_id = ? AND employee_id = ?", {meeting_id, employee_id});
}

void MeetingRepository::SetResponse(store::Connection& connection, const std::string& meeting_id,
                                    const std::string& employee_id, const std::string& response,
                                    const std::string& comment, std::int64_t now) {
  connection.Execute(
      "UPDATE invitations SET response = ?, comment = ?, responded_at = ? WHERE meeting_id = ? AND employee_id = ?",
      {response, comment, now, meeting_id, employee_id});
}

void MeetingRepository::SetReminderOffsets(store::Connection& connection, const std::string& meeting_id,
                                           const std::string& employee_id,
                                           const std::optional<std::vector<std::int64_t>>& offsets) {
  connection.Execute(
      "UPDATE invitations SET reminder_offsets = ? WHERE meeting_id = ? AND employee_id = ?",
      {offsets ? store::Value(OffsetsToJson(*offsets)) : store::Value(std::monostate{}), meeting_id, employee_id});
}

void MeetingRepository::UpsertException(store::Connection& connection, const std::string& meeting_id,
                                        const ExceptionRecord& exception) {
  connection.Execute(
      "INSERT INTO meeting_exceptions (meeting_id, original_start, starts_at, ends_at, cancelled) VALUES (?, ?, ?, ?, "
      "?)"
      " ON CONFLICT (meeting_id, original_start) DO UPDATE SET starts_at = excluded.starts_at,"
      " ends_at = excluded.ends_at, cancelled = excluded.cancelled",
      {meeting_id, exception.original_start,
       exception.start ? store::Value(*exception.start) : store::Value(std::monostate{}),
       exception.end ? store::Value(*exception.end) : store::Value(std::monostate{}),
       static_cast<std::int64_t>(exception.cancelled)});
}

void MeetingRepository::DeleteExceptions(store::Connection& connection, const std::string& meeting_id) {
  connection.Execute("DELETE FROM meeting_exceptions WHERE meeting_id = ?", {meeting_id});
}

std::vector<std::string> MeetingRepository::MeetingIdsOfEmployee(store::Connection& connection,
                                                                 const std::string& employee_id, std::int64_t from,
                                                                 std::int64_t to) {
  return Ids(connection.Query(
      "SELECT m.id FROM meetings m JOIN invitations i ON i.meeting_id = m.id"
      " WHERE i.employee_id = ? AND m.status = 'scheduled' AND ((m.starts_at < ?"
      " AND (m.last_ends_at IS NULL OR m.last_ends_at > ?)) OR EXISTS (SELECT 1 FROM meeting_exceptions x"
      " WHERE x.meeting_id = m.id AND x.starts_at < ? AND x.ends_at > ?))",
      {employee_id, to, from, to, from}));
}

std::vector<std::string> MeetingRepository::MeetingIdsInRoom(store::Connection& connection, const std::string& room_id,
                                                             std::int64_t from, std::int64_t to) {
  return Ids(connection.Query(
      "SELECT m.id FROM meetings m WHERE m.room_id = ? AND m.status = 'scheduled' AND ((m.starts_at < ?"
      " AND (m.last_ends_at IS NULL OR m.last_ends_at > ?)) OR EXISTS (SELECT 1 FROM meeting_exceptions x"
      " WHERE x.meeting_id = m.id AND x.starts_at < ? AND x.ends_at > ?))",
      {room_id, to, from, to, from}));
}

std::vector<std::string> MeetingRepository::AllMeetingIdsOfEmployee(store::Connection& connection,
                                                                    const std::string& employee_id) {
  return Ids(
      connection.Query("SELECT m.id FROM meetings m JOIN invitations i ON i.meeting_id = m.id WHERE i.employee_id = ?"
                       " ORDER BY m.starts_at",
                       {employee_id}));
}

}  // namespace egovbox::meetings
