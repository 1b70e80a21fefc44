// What the meetings module tells people: notifications, e-mails (with their
// iCalendar part) and WebSocket events. Everything is gathered in a Batch inside
// the transaction that makes the change and delivered after it commits, so nobody
// hears of a change that was rolled back.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meetings/calendar_export.h"
#include "meetings/meeting.h"
#include "notify/mail_outbox.h"
#include "notify/notification_centre.h"
#include "realtime/hub.h"

namespace egovbox::meetings {

// kOccurrenceCancelled: one occurrence of a series is off; the words say so, the
// attachment is a REQUEST of the series with a new EXDATE (not a CANCEL of it all).
enum class MailPurpose { kInvited, kRescheduled, kCancelled, kOccurrenceCancelled, kReminder };

class Messenger {
 public:
  struct Batch {
    std::vector<notify::Notification> notifications;
    std::vector<std::pair<std::string, nlohmann::json>> events;  // employee id → message
    bool mail_queued = false;
  };

  Messenger(notify::NotificationCentre& centre, notify::MailOutbox& outbox, realtime::Hub& hub, std::string public_url);

  void Notify(Batch& batch, store::Connection& tx, const std::string& employee_id, const std::string& kind,
              nlohmann::json payload, std::int64_t now);
  // An e-mail about `meeting` to `to`; invitations and changes carry a REQUEST, a
  // cancellation a CANCEL. `occurrence_start`: for a reminder or one cancelled occurrence.
  void Mail(Batch& batch, store::Connection& tx, const Meeting& meeting, const Person& to, MailPurpose purpose,
            std::int64_t now, std::optional<std::int64_t> occurrence_start = std::nullopt);
  static void Event(Batch& batch, const std::string& employee_id, nlohmann::json message);
  // After the commit.
  void Deliver(Batch& batch);

  realtime::Hub& hub() { return hub_; }
  const std::string& public_url() const { return public_url_; }
  // Once the port is bound, before serving (links in e-mails and feeds).
  void SetPublicUrl(std::string public_url) { public_url_ = std::move(public_url); }

 private:
  notify::NotificationCentre& centre_;
  notify::MailOutbox& outbox_;
  realtime::Hub& hub_;
  std::string public_url_;
};

// The meeting as an iCalendar event (invitees as attendees).
CalendarEvent ToCalendarEvent(const Meeting& meeting, const std::string& public_url);

}  // namespace egovbox::meetings
