#include "meetings/messenger.h"

#include <fmt/format.h>

#include "meetings/sofia_time.h"

namespace egovbox::meetings {
namespace {

struct MailTexts {
  std::string subject;
  std::string bulgarian;
  std::string english;
};

MailTexts TextsFor(MailPurpose purpose, const Meeting& meeting, std::int64_t start) {
  const std::string when_bg = FormatForPeople(start, http::Language::kBulgarian);
  const std::string when_en = FormatForPeople(start, http::Language::kEnglish);
  switch (purpose) {
    case MailPurpose::kInvited:
      return {fmt::format("Покана: {}", meeting.title),
              fmt::format("{} ви кани на среща „{}“ на {} ч. ({}).", meeting.organiser.name, meeting.title, when_bg,
                          meeting.room.name),
              fmt::format("{} invites you to the meeting \"{}\" on {} ({}).", meeting.organiser.name, meeting.title,
                          when_en, meeting.room.name)};
    case MailPurpose::kRescheduled:
      return {fmt::format("Промяна: {}", meeting.title),
              fmt::format("Срещата „{}“ е променена: {} ч. ({}).", meeting.title, when_bg, meeting.room.name),
              fmt::format("The meeting \"{}\" has changed: {} ({}).", meeting.title, when_en, meeting.room.name)};
    case MailPurpose::kCancelled:
    case MailPurpose::kOccurrenceCancelled:
      return {fmt::format("Отменена: {}", meeting.title),
              fmt::format("Срещата „{}“ на {} ч. е отменена.", meeting.title, when_bg),
              fmt::format("The meeting \"{}\" on {} is cancelled.", meeting.title, when_en)};
    case MailPurpose::kReminder:
      return {
          fmt::format("Напомняне: {}", meeting.title),
          fmt::format("Напомняне: срещата „{}“ започва на {} ч. ({}).", meeting.title, when_bg, meeting.room.name),
          fmt::format("Reminder: the meeting \"{}\" starts on {} ({}).", meeting.title, when_en, meeting.room.name)};
  }
  return {};
}

}  // namespace

Messenger::Messenger(notify::NotificationCentre& centre, notify::MailOutbox& outbox, realtime::Hub& hub,
                     std::string public_url)
    : centre_(centre), outbox_(outbox), hub_(hub), public_url_(std::move(public_url)) {}

void Messenger::Notify(Batch& batch, store::Connection& tx, const std::string& employee_id, const std::string& kind,
                       nlohmann::json payload, std::int64_t now) {
  batch.notifications.push_back(centre_.Record(tx, employee_id, kind, std::move(payload), now));
}

void Messenger::Mail(Batch& batch, store::Connection& tx, const Meeting& meeting, const Person& to, MailPurpose purpose,
                     std::int64_t now, std::optional<std::int64_t> occurrence_start) {
  if (!outbox_.enabled() || to.email.empty()) return;
  const auto texts = TextsFor(purpose, meeting, occurrence_start.value_or(meeting.starts_at));
  const std::string link = fmt::format("{}/meetings/{}", public_url_, meeting.id);
  notify::MailMessage message;
  message.to_address = to.email;
  message.to_name = to.name;
  message.subject = texts.subject;
  message.text = fmt::format("{}\n{}\n\n{}\n{}\n\n-- \neGov box\n", texts.bulgarian, link, texts.english, link);
  if (purpose != MailPurpose::kReminder) {
    CalendarEvent event = ToCalendarEvent(meeting, public_url_);
    CalendarMethod method = CalendarMethod::kRequest;
    if (purpose == MailPurpose::kCancelled) {
      method = CalendarMethod::kCancel;
      event.cancelled = true;
    }
    const bool cancel = method == CalendarMethod::kCancel;
    message.attachment =
        notify::MailAttachment{cancel ? "cancel.ics" : "invitation.ics",
                               fmt::format("text/calendar; method={}; charset=utf-8", cancel ? "CANCEL" : "REQUEST"),
                               BuildCalendar(method, {event}, now)};
  }
  outbox_.Enqueue(tx, message, now);
  batch.mail_queued = true;
}

void Messenger::Event(Batch& batch, const std::string& employee_id, nlohmann::json message) {
  batch.events.emplace_back(employee_id, std::move(message));
}

void Messenger::Deliver(Batch& batch) {
  centre_.Publish(batch.notifications);
  for (const auto& [employee_id, message] : batch.events) hub_.SendTo(employee_id, message);
  if (batch.mail_queued) outbox_.Wake();
  batch = {};
}

CalendarEvent ToCalendarEvent(const Meeting& meeting, const std::string& public_url) {
  CalendarEvent event;
  event.uid = CalendarUid(meeting.id);
  event.sequence = static_cast<int>(meeting.sequence);
  event.title = meeting.title;
  event.description = meeting.agenda;
  event.location = meeting.room.name;
  event.url = fmt::format("{}/meetings/{}", public_url, meeting.id);
  event.organiser_name = meeting.organiser.name;
  event.organiser_email = meeting.organiser.email;
  for (const auto& invitation : meeting.invitations) {
    event.attendees.push_back(
        CalendarAttendee{invitation.person.name, invitation.person.email, invitation.role, invitation.response});
  }
  event.start = meeting.starts_at;
  event.end = meeting.ends_at;
  event.recurrence = meeting.recurrence;
  event.exceptions = meeting.exceptions;
  event.cancelled = meeting.cancelled();
  event.created = meeting.created_at;
  event.last_modified = meeting.updated_at;
  return event;
}

}  // namespace egovbox::meetings
