#include "meetings/meeting_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "crypto/digest.h"
#include "crypto/random.h"
#include "meetings/calendar_export.h"
#include "meetings/meeting_repository.h"
#include "meetings/meeting_session.h"
#include "meetings/sofia_time.h"
#include "notify/notification.h"

namespace egovbox::meetings {
namespace {

using http::MakeProblem;
using nlohmann::json;

constexpr std::int64_t kMaxDurationSeconds = std::int64_t{24} * 3600;
constexpr std::int64_t kMaxReminderOffset = std::int64_t{30} * 86400;
constexpr std::size_t kMaxReminderOffsets = 5;
constexpr std::size_t kMaxInvitees = 500;
constexpr std::int64_t kConflictHorizonSeconds =
    std::int64_t{180} * 86400;  // how far ahead recurring meetings are compared
constexpr std::int64_t kAdHocDurationSeconds = 3600;
constexpr std::int64_t kPastStartTolerance = 300;  // a start a few minutes ago is still "now"
constexpr std::int64_t kMaxUpcomingWindow = std::int64_t{62} * 86400;

http::Problem NotFound() {
  return MakeProblem(404, "meeting-not-found");
}

// What an invitee may be; the host is the organiser alone.
bool IsInviteeRole(const std::string& role) {
  return role == kRoleCoHost || role == kRoleParticipant;
}

bool IsKind(const std::string& kind) {
  return kind == "one-to-one" || kind == "operational" || kind == "general";
}

std::string LocalStart(std::int64_t utc) {
  const LocalDateTime local = UtcToSofia(utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", local.year, local.month, local.day, local.hour,
                     local.minute, local.second);
}

json PersonJson(const Person& person) {
  return {{"id", person.id}, {"name", person.name}};
}

bool MayEdit(const Meeting& meeting, const std::string& actor_id) {
  const Invitation* invitation = meeting.InvitationOf(actor_id);
  return meeting.organiser.id == actor_id || (invitation != nullptr && invitation->role == kRoleCoHost);
}

http::Problem BusyProblem(const std::vector<Person>& busy) {
  http::Problem problem = MakeProblem(409, "invitees-busy", {{"count", busy.size()}});
  problem.extensions["busy"] = json::array();
  for (const auto& person : busy) problem.extensions["busy"].push_back(PersonJson(person));
  return problem;
}

bool Overlaps(const OccurrenceTime& a, const OccurrenceTime& b) {
  return a.start < b.end && b.start < a.end;
}

json PayloadOf(const Meeting& meeting, std::int64_t start, std::int64_t end) {
  return {{"meeting_id", meeting.id},
          {"title", meeting.title},
          {"starts_at", FormatRfc3339Utc(start)},
          {"ends_at", FormatRfc3339Utc(end)},
          {"organiser", PersonJson(meeting.organiser)}};
}

std::string FeedToken() {
  return crypto::RandomToken(24);
}

}  // namespace

const Invitation* Meeting::InvitationOf(const std::string& employee_id) const {
  for (const auto& invitation : invitations) {
    if (invitation.person.id == employee_id) return &invitation;
  }
  return nullptr;
}

std::vector<OccurrenceTime> Meeting::Occurrences(std::int64_t from, std::int64_t to, bool include_cancelled) const {
  return ExpandOccurrences(starts_at, duration(), recurrence, exceptions, from, to, include_cancelled);
}

MeetingService::MeetingService(store::Database& database, audit::AuditLog& audit, Messenger& messenger,
                               const crypto::CapabilitySigner& signer, MeetingSettings settings, Clock clock)
    : database_(database),
      audit_(audit),
      messenger_(messenger),
      signer_(signer),
      settings_(std::move(settings)),
      clock_(clock ? std::move(clock) : Clock([] { return static_cast<std::int64_t>(std::time(nullptr)); })) {}

json MeetingService::RoomJson(const Room& room) {
  json out = {{"id", room.id},
              {"kind", room.kind},
              {"name", room.name},
              {"description", room.description},
              {"capacity", room.capacity ? json(*room.capacity) : json()},
              {"lobby", room.lobby},
              {"owner", room.owner ? PersonJson(*room.owner) : json()}};
  return out;
}

std::optional<Meeting> MeetingService::FindVisible(store::Connection& tx, const std::string& meeting_id,
                                                   const std::string& actor_id) const {
  auto meeting = MeetingRepository::FindMeeting(tx, meeting_id);
  if (!meeting) return std::nullopt;
  if (meeting->InvitationOf(actor_id) == nullptr && !AdmittedGuest(tx, *meeting, actor_id, Now())) return std::nullopt;
  return meeting;
}

bool MeetingService::AdmittedGuest(store::Connection& tx, const Meeting& meeting, const std::string& employee_id,
                                   std::int64_t now) const {
  const auto occurrence = OccurrenceOn(meeting, now);
  if (!occurrence) return false;
  return tx
      .QueryOne(
          "SELECT 1 FROM knocks WHERE meeting_id = ? AND employee_id = ? AND status = 'admitted' AND decided_at >= ?",
          {meeting.id, employee_id, occurrence->start - settings_.join_early_seconds})
      .has_value();
}

// Validates the input and makes the meeting it describes (not yet stored).
http::Result<Meeting> MeetingService::Build(store::Connection& tx, const std::string& actor_id,
                                            const MeetingInput& input, std::int64_t now) const {
  Meeting meeting;
  meeting.title = input.title;
  meeting.agenda = input.agenda;
  meeting.kind = input.kind;
  if (!IsKind(meeting.kind)) return http::InvalidField("kind");
  if (input.ends_at <= input.starts_at || input.ends_at - input.starts_at > kMaxDurationSeconds) {
    return http::InvalidField("ends_at");
  }
  meeting.starts_at = input.starts_at;
  meeting.ends_at = input.ends_at;
  meeting.recurrence = input.recurrence;
  if (meeting.recurrence && !IsOccurrence(meeting.starts_at, meeting.recurrence, meeting.starts_at)) {
    return http::InvalidField("recurrence");  // e.g. starts on a Monday, repeats on Tuesdays
  }
  meeting.last_ends_at = LastOccurrenceEnd(meeting.starts_at, meeting.duration(), meeting.recurrence, {});
  meeting.reminder_offsets = input.reminder_offsets.value_or(settings_.default_reminder_offsets);
  if (meeting.reminder_offsets.size() > kMaxReminderOffsets) return http::InvalidField("reminder_offsets");
  for (const auto offset : meeting.reminder_offsets) {
    if (offset < 0 || offset > kMaxReminderOffset) return http::InvalidField("reminder_offsets");
  }
  std::sort(meeting.reminder_offsets.begin(), meeting.reminder_offsets.end());
  meeting.reminder_offsets.erase(std::unique(meeting.reminder_offsets.begin(), meeting.reminder_offsets.end()),
                                 meeting.reminder_offsets.end());

  const auto organiser = MeetingRepository::FindPerson(tx, actor_id);
  if (!organiser) return MakeProblem(403, "forbidden");
  meeting.organiser = *organiser;
  if (input.room_id) {
    const auto room = MeetingRepository::FindRoom(tx, *input.room_id);
    if (!room || room->archived) return MakeProblem(404, "room-not-found");
    if (room->personal() && room->owner->id != actor_id) return MakeProblem(403, "room-not-yours");
    meeting.room = *room;
  } else {
    meeting.room = MeetingRepository::PersonalRoomOf(tx, actor_id);
  }

  // Invitees: the organiser as host, the people named, then whole departments.
  std::map<std::string, Invitation> invitations;
  invitations[actor_id] = Invitation{*organiser, std::string(kRoleHost), "accepted", "", std::nullopt, now};
  for (const auto& invitee : input.invitees) {
    if (!IsInviteeRole(invitee.role)) return http::InvalidField("invitees.role");
    const auto person = MeetingRepository::FindPerson(tx, invitee.employee_id);
    if (!person) return MakeProblem(400, "unknown-invitee", {{"id", invitee.employee_id}});
    if (person->id == actor_id) continue;
    invitations[person->id] = Invitation{*person, invitee.role, "needs-action", "", std::nullopt, now};
  }
  for (const auto& department : input.departments) {
    if (!MeetingRepository::DepartmentExists(tx, department)) {
      return MakeProblem(400, "unknown-department", {{"name", department}});
    }
    for (const auto& person : MeetingRepository::ActiveMembersOf(tx, department)) {
      invitations.try_emplace(person.id,
                              Invitation{person, std::string(kRoleParticipant), "needs-action", "", std::nullopt, now});
    }
  }
  if (invitations.size() > kMaxInvitees) return http::InvalidField("invitees");
  for (auto& [id, invitation] : invitations) meeting.invitations.push_back(std::move(invitation));
  return meeting;
}

MeetingService::Conflicts MeetingService::FindConflicts(store::Connection& tx, const Meeting& meeting) const {
  Conflicts conflicts;
  const std::int64_t from = meeting.starts_at;
  const std::int64_t to = meeting.last_ends_at.value_or(meeting.starts_at + kConflictHorizonSeconds);
  const auto mine = meeting.Occurrences(from, std::min(to, meeting.starts_at + kConflictHorizonSeconds));
  if (mine.empty()) return conflicts;
  const std::int64_t window_from = mine.front().start;
  const std::int64_t window_to = mine.back().end;

  std::map<std::string, std::optional<Meeting>> loaded;
  const auto clashes = [&](const std::string& other_id, const std::string& employee_id) {
    if (other_id == meeting.id) return false;
    auto& other = loaded[other_id];
    if (!other) other = MeetingRepository::FindMeeting(tx, other_id);
    // An ad-hoc meeting (a call, an open room) is booked for an hour but rarely lasts it.
    if (!other || other->ad_hoc) return false;
    if (!employee_id.empty()) {
      const Invitation* invitation = other->InvitationOf(employee_id);
      if (invitation == nullptr || invitation->response == "declined") return false;
    }
    for (const auto& theirs : other->Occurrences(window_from, window_to)) {
      for (const auto& ours : mine) {
        if (Overlaps(ours, theirs)) return true;
      }
    }
    return false;
  };
  for (const auto& invitation : meeting.invitations) {
    for (const auto& other_id :
         MeetingRepository::MeetingIdsOfEmployee(tx, invitation.person.id, window_from, window_to)) {
      if (clashes(other_id, invitation.person.id)) {
        conflicts.busy.push_back(invitation.person);
        break;
      }
    }
  }
  if (!meeting.room.personal()) {
    for (const auto& other_id : MeetingRepository::MeetingIdsInRoom(tx, meeting.room.id, window_from, window_to)) {
      if (clashes(other_id, "")) {
        conflicts.hall_busy = true;
        break;
      }
    }
  }
  return conflicts;
}

http::Result<json> MeetingService::Create(const std::string& actor_id, const MeetingInput& input) {
  const std::int64_t now = Now();
  if (input.starts_at < now - kPastStartTolerance) return http::InvalidField("starts_at");
  Messenger::Batch batch;
  auto created =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto meeting = Build(tx, actor_id, input, now);
        if (!meeting) return meeting.problem();
        meeting->id = crypto::RandomToken(16);
        meeting->created_at = now;
        meeting->updated_at = now;
        const auto conflicts = FindConflicts(tx, *meeting);
        if (conflicts.hall_busy) return MakeProblem(409, "hall-busy");
        if (!conflicts.busy.empty() && !input.allow_conflicts) return BusyProblem(conflicts.busy);
        MeetingRepository::InsertMeeting(tx, *meeting, LocalStart(meeting->starts_at));
        NotifyInvitees(batch, tx, *meeting, meeting->invitations, notify::kKindMeetingInvited, MailPurpose::kInvited,
                       actor_id, now);
        Audit(tx, actor_id, "meeting.create", meeting->id,
              {{"title", meeting->title}, {"invitees", meeting->invitations.size()}});
        return MeetingJson(*meeting, actor_id, now);
      });
  if (created) messenger_.Deliver(batch);
  return created;
}

http::Result<json> MeetingService::Update(const std::string& actor_id, const std::string& meeting_id,
                                          const MeetingInput& input) {
  const std::int64_t now = Now();
  Messenger::Batch batch;
  auto updated =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto current = FindVisible(tx, meeting_id, actor_id);
        if (!current) return NotFound();
        if (!MayEdit(*current, actor_id)) return MakeProblem(403, "not-meeting-host");
        if (current->cancelled()) return MakeProblem(409, "meeting-cancelled");
        // The organiser stays the organiser, whoever edits.
        auto built = Build(tx, current->organiser.id, input, now);
        if (!built) return built.problem();
        Meeting& meeting = *built;
        // Co-hosts edit; roles are the organiser's to give.
        if (actor_id != current->organiser.id) {
          for (const auto& invitation : meeting.invitations) {
            const Invitation* before = current->InvitationOf(invitation.person.id);
            const std::string was = before != nullptr ? before->role : std::string(kRoleParticipant);
            if (invitation.role != was) return MakeProblem(403, "not-meeting-organiser");
          }
        }
        meeting.id = current->id;
        meeting.created_at = current->created_at;
        meeting.updated_at = now;
        meeting.sequence = current->sequence + 1;
        meeting.ad_hoc = current->ad_hoc;
        const bool times_changed = meeting.starts_at != current->starts_at || meeting.ends_at != current->ends_at ||
                                   (meeting.recurrence ? ToRrule(*meeting.recurrence) : "") !=
                                       (current->recurrence ? ToRrule(*current->recurrence) : "");
        if (!times_changed) meeting.exceptions = current->exceptions;
        if (times_changed && meeting.starts_at < now - kPastStartTolerance) return http::InvalidField("starts_at");
        const auto conflicts = FindConflicts(tx, meeting);
        if (conflicts.hall_busy) return MakeProblem(409, "hall-busy");
        // At the old time only those newly invited can be newly busy.
        std::vector<Person> busy;
        for (const auto& person : conflicts.busy) {
          if (times_changed || current->InvitationOf(person.id) == nullptr) busy.push_back(person);
        }
        if (!busy.empty() && !input.allow_conflicts) return BusyProblem(busy);

        // Keep the answers of those who stay (unless the time moved: then they are asked again).
        std::vector<Invitation> added, kept, removed;
        for (auto& invitation : meeting.invitations) {
          const Invitation* before = current->InvitationOf(invitation.person.id);
          if (before == nullptr) {
            added.push_back(invitation);
            MeetingRepository::InsertInvitation(tx, meeting.id, invitation);
            continue;
          }
          invitation.response = before->response;
          invitation.comment = before->comment;
          invitation.reminder_offsets = before->reminder_offsets;
          invitation.invited_at = before->invited_at;
          if (times_changed && invitation.person.id != meeting.organiser.id && invitation.response != "declined") {
            invitation.response = "needs-action";
            MeetingRepository::SetResponse(tx, meeting.id, invitation.person.id, invitation.response,
                                           invitation.comment, now);
          }
          if (before->role != invitation.role) {
            MeetingRepository::UpdateInvitationRole(tx, meeting.id, invitation.person.id, invitation.role);
          }
          kept.push_back(invitation);
        }
        for (const auto& invitation : current->invitations) {
          if (meeting.InvitationOf(invitation.person.id) == nullptr) {
            removed.push_back(invitation);
            MeetingRepository::DeleteInvitation(tx, meeting.id, invitation.person.id);
          }
        }
        if (times_changed) MeetingRepository::DeleteExceptions(tx, meeting.id);
        MeetingRepository::UpdateMeeting(tx, meeting, LocalStart(meeting.starts_at));

        NotifyInvitees(batch, tx, meeting, kept, notify::kKindMeetingRescheduled, MailPurpose::kRescheduled, actor_id,
                       now);
        NotifyInvitees(batch, tx, meeting, added, notify::kKindMeetingInvited, MailPurpose::kInvited, actor_id, now);
        Meeting gone = *current;
        gone.status = "cancelled";
        gone.sequence = meeting.sequence;
        NotifyInvitees(batch, tx, gone, removed, notify::kKindMeetingCancelled, MailPurpose::kCancelled, actor_id, now);
        Audit(tx, actor_id, "meeting.update", meeting.id, {{"sequence", meeting.sequence}});
        return MeetingJson(meeting, actor_id, now);
      });
  if (updated) messenger_.Deliver(batch);
  return updated;
}

http::Status MeetingService::Cancel(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = Now();
  Messenger::Batch batch;
  auto cancelled = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto meeting = FindVisible(tx, meeting_id, actor_id);
    if (!meeting) return NotFound();
    if (meeting->organiser.id != actor_id) return MakeProblem(403, "not-meeting-organiser");
    if (meeting->cancelled()) return http::Ok();
    meeting->status = "cancelled";
    meeting->sequence += 1;
    meeting->updated_at = now;
    MeetingRepository::UpdateMeeting(tx, *meeting, LocalStart(meeting->starts_at));
    NotifyInvitees(batch, tx, *meeting, meeting->invitations, notify::kKindMeetingCancelled, MailPurpose::kCancelled,
                   actor_id, now);
    Audit(tx, actor_id, "meeting.cancel", meeting->id);
    return http::Ok();
  });
  if (cancelled) messenger_.Deliver(batch);
  return cancelled;
}

void MeetingService::NotifyInvitees(Messenger::Batch& batch, store::Connection& tx, const Meeting& meeting,
                                    const std::vector<Invitation>& who, const char* kind, MailPurpose purpose,
                                    const std::string& actor_id, std::int64_t now,
                                    std::optional<std::int64_t> occurrence) const {
  const std::int64_t start = occurrence.value_or(meeting.starts_at);
  json payload = PayloadOf(meeting, start, start + meeting.duration());
  if (std::string_view(kind) == notify::kKindMeetingCancelled) {
    payload["occurrence"] = occurrence ? json(FormatRfc3339Utc(*occurrence)) : json();
  }
  for (const auto& invitation : who) {
    // A notification makes the tabs reload; those who get none are told the meeting changed.
    if (invitation.person.id == actor_id || meeting.ad_hoc) {
      Messenger::Event(batch, invitation.person.id, {{"type", "meeting.changed"}, {"meeting_id", meeting.id}});
      continue;
    }
    messenger_.Notify(batch, tx, invitation.person.id, kind, payload, now);
    messenger_.Mail(batch, tx, meeting, invitation.person, purpose, now, occurrence);
  }
}

void MeetingService::Audit(store::Connection& tx, const std::string& actor_id, const std::string& action,
                           const std::string& meeting_id, json detail) const {
  audit_.Append(tx, audit::AuditEntry{actor_id, action, meeting_id, "", std::move(detail)});
}

http::Result<json> MeetingService::Get(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = Now();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    auto meeting = FindVisible(tx, meeting_id, actor_id);
    if (!meeting) return NotFound();
    return MeetingJson(*meeting, actor_id, now);
  });
}

http::Result<json> MeetingService::Upcoming(const std::string& actor_id, std::int64_t from, std::int64_t to) {
  if (to <= from || to - from > kMaxUpcomingWindow) return http::InvalidField("to");
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    std::vector<std::pair<std::int64_t, json>> found;
    for (const auto& id : MeetingRepository::MeetingIdsOfEmployee(tx, actor_id, from, to)) {
      const auto meeting = MeetingRepository::FindMeeting(tx, id);
      if (!meeting) continue;
      for (const auto& occurrence : meeting->Occurrences(from, to)) {
        found.emplace_back(occurrence.start, OccurrenceJson(*meeting, occurrence, actor_id));
      }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    json occurrences = json::array();
    for (auto& [start, occurrence] : found) occurrences.push_back(std::move(occurrence));
    return json{{"occurrences", std::move(occurrences)}};
  });
}

http::Result<json> MeetingService::Availability(const std::string& actor_id, const MeetingInput& input) {
  const std::int64_t now = Now();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    auto meeting = Build(tx, actor_id, input, now);
    if (!meeting) return meeting.problem();
    if (input.meeting_id) {
      const auto current = FindVisible(tx, *input.meeting_id, actor_id);
      if (!current) return NotFound();
      meeting->id = current->id;
    }
    const auto conflicts = FindConflicts(tx, *meeting);
    json busy = json::array();
    for (const auto& person : conflicts.busy) busy.push_back(PersonJson(person));
    return json{{"busy", std::move(busy)}, {"hall_busy", conflicts.hall_busy}};
  });
}

http::Result<json> MeetingService::Respond(const std::string& actor_id, const std::string& meeting_id,
                                           const std::string& response, const std::string& comment) {
  if (response != "accepted" && response != "declined" && response != "tentative")
    return http::InvalidField("response");
  const std::int64_t now = Now();
  Messenger::Batch batch;
  auto answered =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto meeting = FindVisible(tx, meeting_id, actor_id);
        if (!meeting) return NotFound();
        MeetingRepository::SetResponse(tx, meeting->id, actor_id, response, comment, now);
        for (auto& invitation : meeting->invitations) {
          if (invitation.person.id == actor_id) {
            invitation.response = response;
            invitation.comment = comment;
          }
          Messenger::Event(batch, invitation.person.id, {{"type", "meeting.changed"}, {"meeting_id", meeting->id}});
        }
        Audit(tx, actor_id, "meeting.respond", meeting->id, {{"response", response}});
        return MeetingJson(*meeting, actor_id, now);
      });
  if (answered) messenger_.Deliver(batch);
  return answered;
}

http::Result<json> MeetingService::SetMyReminders(const std::string& actor_id, const std::string& meeting_id,
                                                  const std::optional<std::vector<std::int64_t>>& offsets) {
  if (offsets) {
    if (offsets->size() > kMaxReminderOffsets) return http::InvalidField("offsets");
    for (const auto offset : *offsets) {
      if (offset < 0 || offset > kMaxReminderOffset) return http::InvalidField("offsets");
    }
  }
  const std::int64_t now = Now();
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
    auto meeting = FindVisible(tx, meeting_id, actor_id);
    if (!meeting) return NotFound();
    MeetingRepository::SetReminderOffsets(tx, meeting->id, actor_id, offsets);
    for (auto& invitation : meeting->invitations) {
      if (invitation.person.id == actor_id) invitation.reminder_offsets = offsets;
    }
    return MeetingJson(*meeting, actor_id, now);
  });
}

http::Result<json> MeetingService::MoveOccurrence(const std::string& actor_id, const std::string& meeting_id,
                                                  std::int64_t occurrence, std::int64_t starts_at,
                                                  std::int64_t ends_at) {
  if (ends_at <= starts_at || ends_at - starts_at > kMaxDurationSeconds) return http::InvalidField("ends_at");
  const std::int64_t now = Now();
  Messenger::Batch batch;
  auto moved =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto meeting = FindVisible(tx, meeting_id, actor_id);
        if (!meeting) return NotFound();
        if (auto refused = CheckOccurrenceChange(*meeting, actor_id, occurrence)) return *refused;
        if (starts_at < now - kPastStartTolerance) return http::InvalidField("starts_at");
        ApplyException(*meeting, {occurrence, starts_at, ends_at, false}, now);
        if (FindConflicts(tx, *meeting).hall_busy) return MakeProblem(409, "hall-busy");
        SaveException(tx, *meeting, occurrence);
        NotifyInvitees(batch, tx, *meeting, meeting->invitations, notify::kKindMeetingRescheduled,
                       MailPurpose::kRescheduled, actor_id, now, starts_at);
        Audit(tx, actor_id, "meeting.move_occurrence", meeting->id,
              {{"occurrence", FormatRfc3339Utc(occurrence)}, {"starts_at", FormatRfc3339Utc(starts_at)}});
        return MeetingJson(*meeting, actor_id, now);
      });
  if (moved) messenger_.Deliver(batch);
  return moved;
}

http::Status MeetingService::CancelOccurrence(const std::string& actor_id, const std::string& meeting_id,
                                              std::int64_t occurrence) {
  const std::int64_t now = Now();
  Messenger::Batch batch;
  auto cancelled = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto meeting = FindVisible(tx, meeting_id, actor_id);
    if (!meeting) return NotFound();
    if (auto refused = CheckOccurrenceChange(*meeting, actor_id, occurrence)) return *refused;
    for (const auto& exception : meeting->exceptions) {
      if (exception.original_start == occurrence && exception.cancelled)
        return http::Ok();  // already: nobody is told twice
    }
    ApplyException(*meeting, {occurrence, std::nullopt, std::nullopt, true}, now);
    SaveException(tx, *meeting, occurrence);
    NotifyInvitees(batch, tx, *meeting, meeting->invitations, notify::kKindMeetingCancelled,
                   MailPurpose::kOccurrenceCancelled, actor_id, now, occurrence);
    Audit(tx, actor_id, "meeting.cancel_occurrence", meeting->id, {{"occurrence", FormatRfc3339Utc(occurrence)}});
    return http::Ok();
  });
  if (cancelled) messenger_.Deliver(batch);
  return cancelled;
}

std::optional<http::Problem> MeetingService::CheckOccurrenceChange(const Meeting& meeting, const std::string& actor_id,
                                                                   std::int64_t occurrence) const {
  if (!MayEdit(meeting, actor_id)) return MakeProblem(403, "not-meeting-host");
  if (meeting.cancelled()) return MakeProblem(409, "meeting-cancelled");
  // A single meeting is moved by editing it and cancelled by its organiser only.
  if (!meeting.recurrence) return MakeProblem(409, "meeting-not-recurring");
  if (!IsOccurrence(meeting.starts_at, meeting.recurrence, occurrence)) return MakeProblem(404, "occurrence-not-found");
  return std::nullopt;
}

void MeetingService::ApplyException(Meeting& meeting, const ExceptionRecord& exception, std::int64_t now) {
  std::erase_if(meeting.exceptions, [&](const auto& e) { return e.original_start == exception.original_start; });
  meeting.exceptions.push_back(exception);
  meeting.sequence += 1;
  meeting.updated_at = now;
}

void MeetingService::SaveException(store::Connection& tx, const Meeting& meeting, std::int64_t occurrence) {
  for (const auto& exception : meeting.exceptions) {
    if (exception.original_start == occurrence) MeetingRepository::UpsertException(tx, meeting.id, exception);
  }
  MeetingRepository::UpdateMeeting(tx, meeting, LocalStart(meeting.starts_at));
}

std::optional<OccurrenceTime> MeetingService::OccurrenceOn(const Meeting& meeting, std::int64_t now) const {
  if (meeting.cancelled()) return std::nullopt;
  for (const auto& occurrence : meeting.Occurrences(now, now + settings_.join_early_seconds + 1)) {
    if (occurrence.start - settings_.join_early_seconds <= now && now < occurrence.end) return occurrence;
  }
  return std::nullopt;
}

JoinPass MeetingService::IssuePass(const Meeting& meeting, const std::string& employee_id, std::int64_t now) const {
  const Invitation* invitation = meeting.InvitationOf(employee_id);
  const std::int64_t expires_at = now + settings_.capability_ttl_seconds;
  const std::string role = invitation != nullptr ? invitation->role : std::string(kRoleParticipant);
  return JoinPass{meeting.id, signer_.Sign({meeting.id, employee_id, role, expires_at}), expires_at};
}

http::Result<JoinPass> MeetingService::Join(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = Now();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<JoinPass> {
    auto meeting = FindVisible(tx, meeting_id, actor_id);
    if (!meeting) return NotFound();
    if (meeting->cancelled()) return MakeProblem(409, "meeting-cancelled");
    const auto occurrence = OccurrenceOn(*meeting, now);
    if (!occurrence) return MakeProblem(409, "meeting-not-on");
    // The hosts' decisions: removed, ended, locked, the lobby of a hall.
    if (auto refused = CheckEntry(tx, *meeting, occurrence->original_start, actor_id,
                                  AdmittedGuest(tx, *meeting, actor_id, now), now)) {
      return *refused;
    }
    return IssuePass(*meeting, actor_id, now);
  });
}

std::optional<Meeting> MeetingService::MeetingOnInRoomFor(store::Connection& tx, const std::string& room_id,
                                                          const std::string& employee_id, std::int64_t now,
                                                          bool calls_too) const {
  for (const auto& id : MeetingRepository::MeetingIdsInRoom(tx, room_id, now, now + settings_.join_early_seconds + 1)) {
    auto meeting = MeetingRepository::FindMeeting(tx, id);
    const auto occurrence = meeting ? OccurrenceOn(*meeting, now) : std::nullopt;
    if (!occurrence || (!calls_too && meeting->kind == "one-to-one")) continue;
    // Ended by its host: over for everyone (a personal room then opens a new one).
    if (LoadSession(tx, meeting->id, occurrence->original_start).ended) continue;
    if (meeting->InvitationOf(employee_id) != nullptr || AdmittedGuest(tx, *meeting, employee_id, now)) return meeting;
  }
  return std::nullopt;
}

Meeting MeetingService::EnsureRoomMeeting(store::Connection& tx, const Room& room, const std::string& kind,
                                          std::int64_t now) {
  // A call is private to its two people: nobody else is let into it.
  if (kind != "one-to-one") {
    if (auto meeting = MeetingOnInRoomFor(tx, room.id, room.owner->id, now, false)) return *meeting;
  }
  Meeting meeting;
  meeting.id = crypto::RandomToken(16);
  meeting.title = room.owner->name;
  meeting.kind = kind;
  meeting.room = room;
  meeting.organiser = *room.owner;
  meeting.starts_at = now;
  meeting.ends_at = now + kAdHocDurationSeconds;
  meeting.last_ends_at = meeting.ends_at;
  meeting.ad_hoc = true;
  meeting.created_at = now;
  meeting.updated_at = now;
  meeting.invitations.push_back(Invitation{*room.owner, std::string(kRoleHost), "accepted", "", std::nullopt, now});
  MeetingRepository::InsertMeeting(tx, meeting, LocalStart(meeting.starts_at));
  return meeting;
}

void MeetingService::AddParticipant(store::Connection& tx, Meeting& meeting, const Person& person, std::int64_t now) {
  if (meeting.InvitationOf(person.id) != nullptr) return;
  Invitation invitation{person, std::string(kRoleParticipant), "accepted", "", std::nullopt, now};
  MeetingRepository::InsertInvitation(tx, meeting.id, invitation);
  meeting.invitations.push_back(std::move(invitation));
}

http::Result<std::string> MeetingService::CalendarFile(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = Now();
  return database_.InTransaction(
      store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<std::string> {
        auto meeting = FindVisible(tx, meeting_id, actor_id);
        if (!meeting) return NotFound();
        return BuildCalendar(CalendarMethod::kPublish, {ToCalendarEvent(*meeting, messenger_.public_url())}, now);
      });
}

http::Result<json> MeetingService::FeedUrl(const std::string& actor_id) {
  // Only the hash is kept: an existing URL cannot be shown again, only replaced.
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    const auto row = tx.QueryOne("SELECT created_at FROM calendar_feeds WHERE employee_id = ?", {actor_id});
    if (!row) return json{{"active", false}, {"created_at", json()}};
    return json{{"active", true}, {"created_at", FormatRfc3339Utc(row->Int(0))}};
  });
}

http::Result<json> MeetingService::CreateFeed(const std::string& actor_id) {
  const std::int64_t now = Now();
  const std::string token = FeedToken();
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    tx.Execute(
        "INSERT INTO calendar_feeds (employee_id, token_hash, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT (employee_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        {actor_id, crypto::Sha256Hex(token), now});
    Audit(tx, actor_id, "calendar_feed.create", actor_id);
  });
  return json{{"active", true},
              {"created_at", FormatRfc3339Utc(now)},
              {"url", fmt::format("{}/api/v1/calendar/{}.ics", messenger_.public_url(), token)}};
}

http::Status MeetingService::RevokeFeed(const std::string& actor_id) {
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    tx.Execute("DELETE FROM calendar_feeds WHERE employee_id = ?", {actor_id});
    Audit(tx, actor_id, "calendar_feed.revoke", actor_id);
  });
  return http::Ok();
}

http::Result<std::string> MeetingService::FeedCalendar(const std::string& token) {
  const std::int64_t now = Now();
  return database_.InTransaction(
      store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<std::string> {
        const auto owner = tx.QueryOne(
            "SELECT f.employee_id FROM calendar_feeds f JOIN employees e ON e.id = f.employee_id"
            " WHERE f.token_hash = ? AND e.status = 'active'",
            {crypto::Sha256Hex(token)});
        if (!owner) return MakeProblem(404, "calendar-feed-not-found");
        std::vector<CalendarEvent> events;
        for (const auto& id : MeetingRepository::AllMeetingIdsOfEmployee(tx, owner->Text(0))) {
          const auto meeting = MeetingRepository::FindMeeting(tx, id);
          if (meeting && !meeting->ad_hoc) {
            events.push_back(ToCalendarEvent(*meeting, messenger_.public_url()));
          }
        }
        return BuildCalendar(CalendarMethod::kPublish, events, now);
      });
}

json MeetingService::OccurrenceJson(const Meeting& meeting, const OccurrenceTime& occurrence,
                                    const std::string& viewer_id) const {
  const Invitation* mine = meeting.InvitationOf(viewer_id);
  return {{"meeting_id", meeting.id},
          {"occurrence", FormatRfc3339Utc(occurrence.original_start)},
          {"title", meeting.title},
          {"kind", meeting.kind},
          {"room", {{"id", meeting.room.id}, {"name", meeting.room.name}, {"kind", meeting.room.kind}}},
          {"organiser", PersonJson(meeting.organiser)},
          {"starts_at", FormatRfc3339Utc(occurrence.start)},
          {"ends_at", FormatRfc3339Utc(occurrence.end)},
          {"join_opens_at", FormatRfc3339Utc(occurrence.start - settings_.join_early_seconds)},
          {"my_role", mine != nullptr ? mine->role : ""},
          {"my_response", mine != nullptr ? mine->response : ""},
          {"status", occurrence.cancelled ? "cancelled" : meeting.status},
          {"recurring", meeting.recurrence.has_value()}};
}

json MeetingService::MeetingJson(const Meeting& meeting, const std::string& viewer_id, std::int64_t now) const {
  const Invitation* mine = meeting.InvitationOf(viewer_id);
  json invitees = json::array();
  for (const auto& invitation : meeting.invitations) {
    invitees.push_back({{"employee_id", invitation.person.id},
                        {"name", invitation.person.name},
                        {"department", invitation.person.department},
                        {"role", invitation.role},
                        {"response", invitation.response},
                        {"comment", invitation.comment}});
  }
  json exceptions = json::array();
  for (const auto& exception : meeting.exceptions) {
    exceptions.push_back({{"occurrence", FormatRfc3339Utc(exception.original_start)},
                          {"starts_at", exception.start ? json(FormatRfc3339Utc(*exception.start)) : json()},
                          {"ends_at", exception.end ? json(FormatRfc3339Utc(*exception.end)) : json()},
                          {"cancelled", exception.cancelled}});
  }
  json next;
  json join_opens_at;
  if (!meeting.cancelled()) {
    const auto upcoming = meeting.Occurrences(now, now + std::int64_t{400} * 86400);
    if (!upcoming.empty()) {
      const auto& first = upcoming.front();
      next = {{"occurrence", FormatRfc3339Utc(first.original_start)},
              {"starts_at", FormatRfc3339Utc(first.start)},
              {"ends_at", FormatRfc3339Utc(first.end)}};
      join_opens_at = FormatRfc3339Utc(first.start - settings_.join_early_seconds);
    }
  }
  return {{"id", meeting.id},
          {"title", meeting.title},
          {"agenda", meeting.agenda},
          {"kind", meeting.kind},
          {"room", RoomJson(meeting.room)},
          {"organiser", PersonJson(meeting.organiser)},
          {"starts_at", FormatRfc3339Utc(meeting.starts_at)},
          {"ends_at", FormatRfc3339Utc(meeting.ends_at)},
          {"recurrence", meeting.recurrence ? RecurrenceToJson(*meeting.recurrence) : json()},
          {"status", meeting.status},
          {"sequence", meeting.sequence},
          {"reminder_offsets", meeting.reminder_offsets},
          {"my_role", mine != nullptr ? mine->role : ""},
          {"my_response", mine != nullptr ? mine->response : ""},
          {"my_comment", mine != nullptr ? mine->comment : ""},
          {"my_reminder_offsets",
           mine != nullptr && mine->reminder_offsets ? *mine->reminder_offsets : meeting.reminder_offsets},
          {"invitees", std::move(invitees)},
          {"exceptions", std::move(exceptions)},
          {"next_occurrence", std::move(next)},
          {"join_opens_at", std::move(join_opens_at)}};
}

}  // namespace egovbox::meetings
