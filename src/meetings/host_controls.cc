#include "meetings/host_controls.h"

#include <vector>

#include "http/rfc3339.h"
#include "media/media_kind.h"
#include "meetings/meeting_repository.h"

namespace egovbox::meetings {

using http::MakeProblem;
using nlohmann::json;

namespace {

http::Problem ParticipantNotFound() {
  return MakeProblem(404, "participant-not-found");
}

}  // namespace

HostControls::HostControls(store::Database& database, audit::AuditLog& audit, MeetingService& meetings,
                           MeetingMedia& media)
    : database_(database), audit_(audit), meetings_(meetings), media_(media) {}

http::Result<HostControls::Context> HostControls::ForHost(store::Connection& tx, const std::string& actor_id,
                                                          const std::string& meeting_id, std::int64_t now) const {
  auto meeting = MeetingRepository::FindMeeting(tx, meeting_id);
  if (!meeting ||
      (meeting->InvitationOf(actor_id) == nullptr && !meetings_.AdmittedGuest(tx, *meeting, actor_id, now))) {
    return MakeProblem(404, "meeting-not-found");
  }
  if (!IsMeetingHost(*meeting, actor_id)) return MakeProblem(403, "not-meeting-host");
  if (meeting->cancelled()) return MakeProblem(409, "meeting-cancelled");
  const auto occurrence = meetings_.OccurrenceOn(*meeting, now);
  if (!occurrence) return MakeProblem(409, "meeting-not-on");
  // A host removed from this occurrence runs nothing of it (not even letting themselves back).
  if (IsRemoved(tx, meeting->id, occurrence->original_start, actor_id)) return MakeProblem(403, "removed-from-meeting");
  const SessionState session = LoadSession(tx, meeting->id, occurrence->original_start);
  if (session.ended) return MakeProblem(409, "meeting-ended");
  return Context{std::move(*meeting), *occurrence, session};
}

void HostControls::Audit(store::Connection& tx, const std::string& actor_id, const std::string& action,
                         const std::string& meeting_id, json detail) const {
  audit_.Append(tx, audit::AuditEntry{actor_id, action, meeting_id, "", std::move(detail)});
}

http::Result<json> HostControls::State(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    const auto meeting = MeetingRepository::FindMeeting(tx, meeting_id);
    if (!meeting ||
        (meeting->InvitationOf(actor_id) == nullptr && !meetings_.AdmittedGuest(tx, *meeting, actor_id, now))) {
      return MakeProblem(404, "meeting-not-found");
    }
    const bool host = IsMeetingHost(*meeting, actor_id);
    const auto occurrence = meetings_.OccurrenceOn(*meeting, now);
    json state = {{"on", occurrence.has_value()},
                  {"locked", false},
                  {"ended", false},
                  {"host", host},
                  {"removed", json::array()}};
    if (!occurrence) return state;
    const SessionState session = LoadSession(tx, meeting->id, occurrence->original_start);
    state["locked"] = session.locked;
    state["ended"] = session.ended;
    if (!host) return state;
    for (const auto& row : tx.Query("SELECT r.employee_id, e.name, r.removed_at FROM meeting_removals r"
                                    " JOIN employees e ON e.id = r.employee_id"
                                    " WHERE r.meeting_id = ? AND r.occurrence = ? ORDER BY r.removed_at, e.name",
                                    {meeting->id, occurrence->original_start})) {
      state["removed"].push_back(
          {{"employee_id", row.Text(0)}, {"name", row.Text(1)}, {"removed_at", http::FormatRfc3339Utc(row.Int(2))}});
    }
    return state;
  });
}

http::Result<json> HostControls::Lobby(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<json> {
    auto context = ForHost(tx, actor_id, meeting_id, now);
    if (!context) return context.problem();
    const Meeting& meeting = context->meeting;
    // A hall's knocks name their meeting; a personal room's are for whatever is on in it.
    const bool personal = meeting.room.personal();
    const std::string where = personal ? "k.room_id = ?" : "k.meeting_id = ?";
    json waiting = json::array();
    for (const auto& row : tx.Query("SELECT k.id, k.employee_id, e.name, k.created_at FROM knocks k"
                                    " JOIN employees e ON e.id = k.employee_id WHERE " +
                                        where + " AND k.status = 'pending' ORDER BY k.created_at, k.id",
                                    {personal ? meeting.room.id : meeting.id})) {
      waiting.push_back({{"knock_id", row.Text(0)},
                         {"employee", {{"id", row.Text(1)}, {"name", row.Text(2)}}},
                         {"since", http::FormatRfc3339Utc(row.Int(3))}});
    }
    return json{{"room_id", meeting.room.id}, {"waiting", std::move(waiting)}};
  });
}

http::Status HostControls::Mute(const std::string& actor_id, const std::string& meeting_id,
                                const std::string& participant_id, const std::string& source) {
  const auto named = media::TrackSourceFromName(source);
  if (!named || *named == media::TrackSource::kScreen) return http::InvalidField("source");
  const std::int64_t now = meetings_.Now();
  auto audited = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto context = ForHost(tx, actor_id, meeting_id, now);
    if (!context) return context.problem();
    if (!media_.InMeeting(meeting_id, participant_id)) return ParticipantNotFound();
    Audit(tx, actor_id, "meeting.mute", meeting_id, {{"participant_id", participant_id}, {"source", source}});
    return http::Ok();
  });
  // After the commit, like Remove and End: nothing is muted unaudited. A participant
  // who left in between has nothing left to mute.
  if (audited) media_.HostMute(meeting_id, participant_id, *named);
  return audited;
}

http::Result<json> HostControls::MuteAll(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = meetings_.Now();
  std::vector<std::string> participants;
  auto audited =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto context = ForHost(tx, actor_id, meeting_id, now);
        if (!context) return context.problem();
        // `muted` counts the participants asked: each one's microphone is held, now
        // or from when they publish one (a tab whose engine join is pending included).
        participants = media_.ParticipantsNotHosting(meeting_id);
        Audit(tx, actor_id, "meeting.mute_all", meeting_id, {{"muted", participants.size()}});
        return json{{"muted", participants.size()}};
      });
  if (audited) {
    for (const auto& participant_id : participants) {
      media_.HostMute(meeting_id, participant_id, media::TrackSource::kMicrophone);
    }
  }
  return audited;
}

http::Status HostControls::Remove(const std::string& actor_id, const std::string& meeting_id,
                                  const std::string& employee_id) {
  const std::int64_t now = meetings_.Now();
  auto removed = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto context = ForHost(tx, actor_id, meeting_id, now);
    if (!context) return context.problem();
    if (employee_id == context->meeting.organiser.id) return MakeProblem(403, "cannot-remove-organiser");
    if (!MeetingRepository::FindPerson(tx, employee_id)) return MakeProblem(404, "employee-not-found");
    tx.Execute(
        "INSERT INTO meeting_removals (meeting_id, occurrence, employee_id, removed_at, removed_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id, occurrence, employee_id) DO NOTHING",
        {meeting_id, context->occurrence.original_start, employee_id, now, actor_id});
    Audit(tx, actor_id, "meeting.remove", meeting_id, {{"employee_id", employee_id}});
    return http::Ok();
  });
  // After the commit, so a tab that comes back at once is refused by the store.
  if (removed) media_.LeaveMeeting(employee_id, meeting_id, "removed");
  return removed;
}

http::Status HostControls::LetBack(const std::string& actor_id, const std::string& meeting_id,
                                   const std::string& employee_id) {
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto context = ForHost(tx, actor_id, meeting_id, now);
    if (!context) return context.problem();
    tx.Execute("DELETE FROM meeting_removals WHERE meeting_id = ? AND occurrence = ? AND employee_id = ?",
               {meeting_id, context->occurrence.original_start, employee_id});
    if (tx.ChangedRows() == 0) return MakeProblem(404, "removal-not-found");
    Audit(tx, actor_id, "meeting.let_back", meeting_id, {{"employee_id", employee_id}});
    return http::Ok();
  });
}

http::Result<json> HostControls::SetLocked(const std::string& actor_id, const std::string& meeting_id, bool locked) {
  const std::int64_t now = meetings_.Now();
  auto changed =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<json> {
        auto context = ForHost(tx, actor_id, meeting_id, now);
        if (!context) return context.problem();
        tx.Execute(
            "INSERT INTO meeting_sessions (meeting_id, occurrence, locked) VALUES (?, ?, ?)"
            " ON CONFLICT (meeting_id, occurrence) DO UPDATE SET locked = excluded.locked",
            {meeting_id, context->occurrence.original_start, static_cast<std::int64_t>(locked)});
        if (context->session.locked != locked) {
          Audit(tx, actor_id, locked ? "meeting.lock" : "meeting.unlock", meeting_id);
        }
        return json{{"locked", locked}};
      });
  if (changed)
    media_.Broadcast(meeting_id, {{"type", "media.meeting.state"}, {"meeting_id", meeting_id}, {"locked", locked}});
  return changed;
}

http::Status HostControls::End(const std::string& actor_id, const std::string& meeting_id) {
  const std::int64_t now = meetings_.Now();
  auto ended = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto context = ForHost(tx, actor_id, meeting_id, now);
    if (!context) return context.problem();
    tx.Execute(
        "INSERT INTO meeting_sessions (meeting_id, occurrence, ended_at, ended_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (meeting_id, occurrence) DO UPDATE SET ended_at = excluded.ended_at,"
        " ended_by = excluded.ended_by",
        {meeting_id, context->occurrence.original_start, now, actor_id});
    Audit(tx, actor_id, "meeting.end", meeting_id);
    return http::Ok();
  });
  if (ended) media_.EndMeeting(meeting_id);
  return ended;
}

http::Status HostControls::LowerHand(const std::string& actor_id, const std::string& meeting_id,
                                     const std::string& participant_id) {
  const std::int64_t now = meetings_.Now();
  auto audited = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto context = ForHost(tx, actor_id, meeting_id, now);
    if (!context) return context.problem();
    if (!media_.InMeeting(meeting_id, participant_id)) return ParticipantNotFound();
    Audit(tx, actor_id, "meeting.lower_hand", meeting_id, {{"participant_id", participant_id}});
    return http::Ok();
  });
  if (audited) media_.LowerHand(meeting_id, participant_id);  // after the commit, like the others
  return audited;
}

}  // namespace egovbox::meetings
