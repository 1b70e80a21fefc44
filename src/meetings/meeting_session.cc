#include "meetings/meeting_session.h"

namespace egovbox::meetings {

bool IsMeetingHost(const Meeting& meeting, const std::string& employee_id) {
  if (meeting.organiser.id == employee_id) return true;
  const Invitation* invitation = meeting.InvitationOf(employee_id);
  return invitation != nullptr && (invitation->role == kRoleHost || invitation->role == kRoleCoHost);
}

SessionState LoadSession(store::Connection& tx, const std::string& meeting_id, std::int64_t occurrence) {
  const auto row = tx.QueryOne("SELECT locked, ended_at FROM meeting_sessions WHERE meeting_id = ? AND occurrence = ?",
                               {meeting_id, occurrence});
  if (!row) return {};
  return SessionState{row->Int(0) != 0, !row->IsNull(1)};
}

bool IsRemoved(store::Connection& tx, const std::string& meeting_id, std::int64_t occurrence,
               const std::string& employee_id) {
  return tx
      .QueryOne("SELECT 1 FROM meeting_removals WHERE meeting_id = ? AND occurrence = ? AND employee_id = ?",
                {meeting_id, occurrence, employee_id})
      .has_value();
}

namespace {

// In the meeting's media now, or until less than kLockGraceSeconds ago (and not
// sent out by a host).
bool RecentlyInside(store::Connection& tx, const std::string& meeting_id, const std::string& employee_id,
                    std::int64_t now) {
  return tx
      .QueryOne(
          "SELECT 1 FROM meeting_attendance WHERE meeting_id = ? AND employee_id = ? AND (left_at IS NULL OR"
          " (left_at >= ? AND left_reason NOT IN ('removed', 'ended')))",
          {meeting_id, employee_id, now - kLockGraceSeconds})
      .has_value();
}

}  // namespace

std::optional<http::Problem> CheckEntry(store::Connection& tx, const Meeting& meeting, std::int64_t occurrence,
                                        const std::string& employee_id, bool admitted, std::int64_t now) {
  if (IsRemoved(tx, meeting.id, occurrence, employee_id)) return http::MakeProblem(403, "removed-from-meeting");
  const SessionState session = LoadSession(tx, meeting.id, occurrence);
  if (session.ended) return http::MakeProblem(409, "meeting-ended");
  if (IsMeetingHost(meeting, employee_id)) return std::nullopt;
  if (session.locked && !RecentlyInside(tx, meeting.id, employee_id, now)) {
    return http::MakeProblem(409, "meeting-locked");
  }
  if (!meeting.room.personal() && meeting.room.lobby && !admitted) return http::MakeProblem(403, "knock-required");
  return std::nullopt;
}

}  // namespace egovbox::meetings
