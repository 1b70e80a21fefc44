// The rules of meetings, checked here for every route: who sees a meeting (its
// invitees, and nobody else learns that it exists), who changes it (organiser and
// co-hosts) or cancels it (organiser), when it may be joined (from join_early
// before an occurrence until its end), busy invitees and booked halls, RSVP,
// reminder choices, single occurrences, the media capability, and the iCalendar
// views. Every change notifies the invitees after its transaction commits.
//
// Thread-safe. Blocks on the store: call from worker threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "crypto/capability.h"
#include "http/problem.h"
#include "meetings/meeting.h"
#include "meetings/messenger.h"
#include "store/database.h"

namespace egovbox::meetings {

struct MeetingSettings {
  std::int64_t capability_ttl_seconds = 120;
  std::int64_t join_early_seconds = 600;
  std::vector<std::int64_t> default_reminder_offsets = {86400, 900};
};

struct InviteeInput {
  std::string employee_id;
  std::string role = std::string(kRoleParticipant);
};

struct MeetingInput {
  std::string title;
  std::string agenda;
  std::string kind = "general";
  std::optional<std::string> room_id;  // nullopt: the organiser's personal room
  std::int64_t starts_at = 0;
  std::int64_t ends_at = 0;
  std::optional<Recurrence> recurrence;
  std::vector<InviteeInput> invitees;
  std::vector<std::string> departments;
  std::optional<std::vector<std::int64_t>> reminder_offsets;
  bool allow_conflicts = false;
  std::optional<std::string> meeting_id;  // availability: the meeting being edited
};

struct JoinPass {
  std::string meeting_id;
  std::string capability;
  std::int64_t expires_at = 0;
};

class MeetingService {
 public:
  using Clock = std::function<std::int64_t()>;

  MeetingService(store::Database& database, audit::AuditLog& audit, Messenger& messenger,
                 const crypto::CapabilitySigner& signer, MeetingSettings settings, Clock clock = nullptr);

  http::Result<nlohmann::json> Create(const std::string& actor_id, const MeetingInput& input);
  http::Result<nlohmann::json> Update(const std::string& actor_id, const std::string& meeting_id,
                                      const MeetingInput& input);
  http::Status Cancel(const std::string& actor_id, const std::string& meeting_id);
  http::Result<nlohmann::json> Get(const std::string& actor_id, const std::string& meeting_id);
  http::Result<nlohmann::json> Upcoming(const std::string& actor_id, std::int64_t from, std::int64_t to);
  http::Result<nlohmann::json> Availability(const std::string& actor_id, const MeetingInput& input);
  http::Result<nlohmann::json> Respond(const std::string& actor_id, const std::string& meeting_id,
                                       const std::string& response, const std::string& comment);
  http::Result<nlohmann::json> SetMyReminders(const std::string& actor_id, const std::string& meeting_id,
                                              const std::optional<std::vector<std::int64_t>>& offsets);
  http::Result<nlohmann::json> MoveOccurrence(const std::string& actor_id, const std::string& meeting_id,
                                              std::int64_t occurrence, std::int64_t starts_at, std::int64_t ends_at);
  http::Status CancelOccurrence(const std::string& actor_id, const std::string& meeting_id, std::int64_t occurrence);
  http::Result<JoinPass> Join(const std::string& actor_id, const std::string& meeting_id);
  http::Result<std::string> CalendarFile(const std::string& actor_id, const std::string& meeting_id);

  // The private subscription feed.
  http::Result<nlohmann::json> FeedUrl(const std::string& actor_id);
  http::Result<nlohmann::json> CreateFeed(const std::string& actor_id);
  http::Status RevokeFeed(const std::string& actor_id);
  http::Result<std::string> FeedCalendar(const std::string& token);

  // For rooms and calls: a capability for an invitee of a meeting that is on.
  JoinPass IssuePass(const Meeting& meeting, const std::string& employee_id, std::int64_t now) const;
  // The occurrence of `meeting` that may be joined at `now`, if any.
  std::optional<OccurrenceTime> OccurrenceOn(const Meeting& meeting, std::int64_t now) const;
  // Opens (or finds) the meeting that is on in a personal room: an ad-hoc one
  // with the owner as host when none is. Inside the caller's transaction.
  Meeting EnsureRoomMeeting(store::Connection& tx, const Room& room, const std::string& kind, std::int64_t now);
  // Adds an invitee (accepted) to a meeting in the caller's transaction.
  void AddParticipant(store::Connection& tx, Meeting& meeting, const Person& person, std::int64_t now);
  // A meeting on now in a room that `employee_id` is invited to or was let into by a
  // knock; `calls_too`: one-to-one calls count.
  std::optional<Meeting> MeetingOnInRoomFor(store::Connection& tx, const std::string& room_id,
                                            const std::string& employee_id, std::int64_t now,
                                            bool calls_too = true) const;
  // Let into the occurrence on now by its room's owner (a knock): a guest, not an
  // invitee, whose access ends with that occurrence.
  bool AdmittedGuest(store::Connection& tx, const Meeting& meeting, const std::string& employee_id,
                     std::int64_t now) const;

  const crypto::CapabilitySigner& signer() const { return signer_; }
  std::int64_t Now() const { return clock_(); }
  static nlohmann::json RoomJson(const Room& room);

 private:
  struct Conflicts {
    std::vector<Person> busy;
    bool hall_busy = false;
  };
  http::Result<Meeting> Build(store::Connection& tx, const std::string& actor_id, const MeetingInput& input,
                              std::int64_t now) const;
  Conflicts FindConflicts(store::Connection& tx, const Meeting& meeting) const;
  // Moving or cancelling one occurrence: who may, and whether it is one.
  std::optional<http::Problem> CheckOccurrenceChange(const Meeting& meeting, const std::string& actor_id,
                                                     std::int64_t occurrence) const;
  static void ApplyException(Meeting& meeting, const ExceptionRecord& exception, std::int64_t now);
  static void SaveException(store::Connection& tx, const Meeting& meeting, std::int64_t occurrence);
  std::optional<Meeting> FindVisible(store::Connection& tx, const std::string& meeting_id,
                                     const std::string& actor_id) const;
  nlohmann::json MeetingJson(const Meeting& meeting, const std::string& viewer_id, std::int64_t now) const;
  nlohmann::json OccurrenceJson(const Meeting& meeting, const OccurrenceTime& occurrence,
                                const std::string& viewer_id) const;
  void NotifyInvitees(Messenger::Batch& batch, store::Connection& tx, const Meeting& meeting,
                      const std::vector<Invitation>& who, const char* kind, MailPurpose purpose,
                      const std::string& actor_id, std::int64_t now,
                      std::optional<std::int64_t> occurrence = std::nullopt) const;
  void Audit(store::Connection& tx, const std::string& actor_id, const std::string& action,
             const std::string& meeting_id, nlohmann::json detail = nlohmann::json::object()) const;

  store::Database& database_;
  audit::AuditLog& audit_;
  Messenger& messenger_;
  const crypto::CapabilitySigner& signer_;
  MeetingSettings settings_;
  Clock clock_;
};

}  // namespace egovbox::meetings
