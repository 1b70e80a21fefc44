#include "meetings/reminder_scheduler.h"

#include <algorithm>

#include "meetings/meeting_repository.h"
#include "meetings/sofia_time.h"
#include "notify/notification.h"

namespace egovbox::meetings {
namespace {

constexpr std::int64_t kLongestOffset = std::int64_t{30} * 86400;

std::vector<std::string> CandidateMeetings(store::Connection& tx, std::int64_t now) {
  std::vector<std::string> ids;
  for (const auto& row :
       tx.Query("SELECT m.id FROM meetings m WHERE m.status = 'scheduled' AND m.ad_hoc = 0 AND ((m.starts_at <= ?"
                " AND (m.last_ends_at IS NULL OR m.last_ends_at > ?)) OR EXISTS (SELECT 1 FROM meeting_exceptions x"
                " WHERE x.meeting_id = m.id AND x.starts_at <= ? AND x.starts_at > ?))",
                {now + kLongestOffset, now, now + kLongestOffset, now})) {
    ids.push_back(row.Text(0));
  }
  return ids;
}

// Marks the reminder as handled; false when it was already.
bool Claim(store::Connection& tx, const Meeting& meeting, const OccurrenceTime& occurrence,
           const std::string& employee_id, std::int64_t offset, std::int64_t now) {
  tx.Execute(
      "INSERT INTO reminders_sent (meeting_id, occurrence, employee_id, offset_seconds, sent_at)"
      " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      {meeting.id, occurrence.original_start, employee_id, offset, now});
  return tx.ChangedRows() == 1;
}

}  // namespace

ReminderScheduler::ReminderScheduler(store::Database& database, MeetingService& meetings, Messenger& messenger)
    : database_(database), meetings_(meetings), messenger_(messenger) {}

int ReminderScheduler::RunDue() {
  const std::int64_t now = meetings_.Now();
  const auto candidates = database_.InTransaction(store::TransactionMode::kRead,
                                                  [&](store::Connection& tx) { return CandidateMeetings(tx, now); });
  int sent = 0;
  for (const auto& meeting_id : candidates) {
    Messenger::Batch batch;
    database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      const auto meeting = MeetingRepository::FindMeeting(tx, meeting_id);
      if (!meeting || meeting->cancelled()) return;
      for (const auto& occurrence : meeting->Occurrences(now + 1, now + kLongestOffset + 1)) {
        if (occurrence.start <= now) continue;  // started: too late for a reminder
        for (const auto& invitation : meeting->invitations) {
          if (invitation.response == "declined") continue;
          auto offsets = invitation.reminder_offsets.value_or(meeting->reminder_offsets);
          std::sort(offsets.begin(), offsets.end());
          std::vector<std::int64_t> due;
          for (const auto offset : offsets) {
            const std::int64_t due_at = occurrence.start - offset;
            if (due_at <= now && due_at >= invitation.invited_at) due.push_back(offset);
          }
          if (due.empty()) continue;
          // The nearest first: if it is new, it is the one sent; the others are only marked.
          const bool nearest_is_new = Claim(tx, *meeting, occurrence, invitation.person.id, due.front(), now);
          for (std::size_t i = 1; i < due.size(); ++i) {
            Claim(tx, *meeting, occurrence, invitation.person.id, due[i], now);
          }
          if (!nearest_is_new) continue;
          messenger_.Notify(batch, tx, invitation.person.id, notify::kKindMeetingReminder,
                            {{"meeting_id", meeting->id},
                             {"title", meeting->title},
                             {"starts_at", FormatRfc3339Utc(occurrence.start)},
                             {"occurrence", FormatRfc3339Utc(occurrence.original_start)},
                             {"offset_seconds", due.front()}},
                            now);
          messenger_.Mail(batch, tx, *meeting, invitation.person, MailPurpose::kReminder, now, occurrence.start);
          ++sent;
        }
      }
    });
    messenger_.Deliver(batch);
  }
  return sent;
}

}  // namespace egovbox::meetings
