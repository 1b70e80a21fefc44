// Rooms, meetings and invitations: the plain data of the meetings module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meetings/recurrence.h"

namespace egovbox::meetings {

inline constexpr std::string_view kRoleHost = "host";
inline constexpr std::string_view kRoleCoHost = "co-host";
inline constexpr std::string_view kRoleParticipant = "participant";

struct Person {
  std::string id;
  std::string name;
  std::string email;
  std::string department;  // name; empty when none
};

struct Room {
  std::string id;
  std::string kind;  // "personal" or "hall"
  std::optional<Person> owner;
  std::string name;  // for a personal room: its owner's name
  std::string description;
  std::optional<std::int64_t> capacity;
  bool lobby = false;
  bool archived = false;

  bool personal() const { return kind == "personal"; }
};

struct Invitation {
  Person person;
  std::string role;
  std::string response = "needs-action";
  std::string comment;
  std::optional<std::vector<std::int64_t>> reminder_offsets;  // nullopt: the meeting's defaults
  std::int64_t invited_at = 0;
};

struct Meeting {
  std::string id;
  std::string title;
  std::string agenda;
  std::string kind;
  Room room;
  Person organiser;
  std::int64_t starts_at = 0;  // first occurrence
  std::int64_t ends_at = 0;
  std::optional<Recurrence> recurrence;
  std::optional<std::int64_t> last_ends_at;
  std::string status = "scheduled";
  std::int64_t sequence = 0;
  std::vector<std::int64_t> reminder_offsets;
  bool ad_hoc = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::vector<Invitation> invitations;
  std::vector<ExceptionRecord> exceptions;

  bool cancelled() const { return status == "cancelled"; }
  std::int64_t duration() const { return ends_at - starts_at; }
  const Invitation* InvitationOf(const std::string& employee_id) const;
  // Occurrences intersecting [from, to), moved ones at their new times.
  std::vector<OccurrenceTime> Occurrences(std::int64_t from, std::int64_t to, bool include_cancelled = false) const;
};

}  // namespace egovbox::meetings
