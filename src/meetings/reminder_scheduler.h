// Reminders: each invitee who has not declined is reminded at each of their
// offsets before every occurrence, in the app and by e-mail, exactly once per
// (meeting, occurrence, person, offset). The row in reminders_sent, the
// notification and the queued e-mail are written in one transaction, so a crash
// cannot send one twice or lose one. A reminder that fell due while the server was
// down is still sent if the occurrence has not started; when several of a person's
// reminders for one occurrence are due at once, only the nearest is sent and the
// others are marked done. A reminder due before the person was invited is not sent.
//
// RunDue is called every few seconds by the background jobs.
#pragma once

#include "meetings/meeting_service.h"

namespace egovbox::meetings {

class ReminderScheduler {
 public:
  ReminderScheduler(store::Database& database, MeetingService& meetings, Messenger& messenger);
  // Sends what is due now; returns how many reminders were sent.
  int RunDue();

 private:
  store::Database& database_;
  MeetingService& meetings_;
  Messenger& messenger_;
};

}  // namespace egovbox::meetings
