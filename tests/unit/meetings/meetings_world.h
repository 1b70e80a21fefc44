// The meetings services wired as app/services.cc wires them, on a fresh migrated
// SQLite database, with a clock the test moves by hand, e-mail on (queued in
// mail_outbox, never sent: the outbox's thread is not started) and WebSocket tabs
// that record what the hub sends them. Shared by the meetings service tests.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "crypto/capability.h"
#include "crypto/password_hasher.h"
#include "identity/employee_service.h"
#include "meetings/call_service.h"
#include "meetings/meeting_service.h"
#include "meetings/messenger.h"
#include "meetings/reminder_scheduler.h"
#include "meetings/room_service.h"
#include "meetings/sofia_time.h"
#include "notify/mail_outbox.h"
#include "notify/mime_reader.h"
#include "notify/notification_centre.h"
#include "realtime/hub.h"
#include "recording_peer.h"
#include "temporary_database.h"

namespace egovbox::meetings::test {

using nlohmann::json;

inline constexpr std::int64_t kMinute = 60;
inline constexpr std::int64_t kHour = 3600;
inline constexpr std::int64_t kDay = 86400;
// Monday 2 March 2026, 10:00 in Sofia (08:00Z): where every test's clock starts.
inline constexpr std::int64_t kMonday = 1772438400;
inline constexpr std::int64_t kRingSeconds = 30;
inline const std::string kCapabilityKey(32, 'c');

using RecordingPeer = egovbox::test::RecordingPeer;

struct QueuedMail {
  std::string recipient;
  std::string subject;  // decoded
  std::string message;  // as queued
};

class MeetingsTest : public ::testing::Test {
 protected:
  MeetingsTest() = default;
  ~MeetingsTest() override {
    for (const auto& peer : peers_) hub_.Closed(peer);
  }

  // A new active employee; returns the id. `department` is created when new.
  std::string AddEmployee(const std::string& name, const std::string& department = "") {
    const std::string email = "person" + std::to_string(++employee_count_) + "@plovdiv.bg";
    auto created = employees_.Create(actor_, {name, email, department, "", {}});
    if (!created.ok()) throw std::runtime_error("cannot create employee: " + created.problem().slug);
    return created->employee.id;
  }

  std::string EmailOf(const std::string& employee_id) {
    auto connection = temporary_.database().Acquire();
    return connection->QueryOne("SELECT email FROM employees WHERE id = ?", {employee_id})->Text(0);
  }

  std::string PersonalRoomOf(const std::string& employee_id) {
    auto connection = temporary_.database().Acquire();
    return connection->QueryOne("SELECT id FROM rooms WHERE owner_id = ?", {employee_id})->Text(0);
  }

  // Opens a WebSocket tab of the employee on the hub (so they are online).
  std::shared_ptr<RecordingPeer> Connect(const std::string& employee_id) {
    auto peer = std::make_shared<RecordingPeer>(employee_id);
    hub_.Opened(peer);
    peers_.push_back(peer);
    return peer;
  }
  void Disconnect(const std::shared_ptr<RecordingPeer>& peer) {
    hub_.Closed(peer);
    std::erase(peers_, peer);
  }

  // A meeting from `starts_at` for `minutes`, inviting `invitees` as participants.
  static MeetingInput Input(std::int64_t starts_at, std::int64_t minutes, std::vector<std::string> invitees = {},
                            std::string title = "Оперативка") {
    MeetingInput input;
    input.title = std::move(title);
    input.starts_at = starts_at;
    input.ends_at = starts_at + minutes * kMinute;
    for (auto& id : invitees) input.invitees.push_back({std::move(id), std::string(kRoleParticipant)});
    return input;
  }

  // Creates the meeting and returns its id; fails the test when refused.
  std::string CreateMeeting(const std::string& organiser_id, const MeetingInput& input) {
    auto created = meetings_.Create(organiser_id, input);
    if (!created.ok()) {
      ADD_FAILURE() << "meeting refused: " << created.problem().slug;
      return "";
    }
    return created->at("id").get<std::string>();
  }

  // The payloads of the employee's notifications of `kind`, oldest first.
  std::vector<json> Notifications(const std::string& employee_id, const std::string& kind) {
    std::vector<json> out;
    auto connection = temporary_.database().Acquire();
    for (const auto& row : connection->Query(
             "SELECT payload FROM notifications WHERE employee_id = ? AND kind = ? ORDER BY created_at, rowid",
             {employee_id, kind})) {
      out.push_back(json::parse(row.Text(0)));
    }
    return out;
  }
  std::int64_t CountNotifications(const std::string& kind) {
    auto connection = temporary_.database().Acquire();
    return connection->QueryOne("SELECT count(*) FROM notifications WHERE kind = ?", {kind})->Int(0);
  }

  // The e-mails queued for the employee, oldest first.
  std::vector<QueuedMail> MailTo(const std::string& employee_id) {
    std::vector<QueuedMail> out;
    const std::string address = EmailOf(employee_id);
    auto connection = temporary_.database().Acquire();
    for (const auto& row : connection->Query(
             "SELECT recipient, message FROM mail_outbox WHERE recipient = ? ORDER BY created_at, rowid", {address})) {
      const auto entity = notify::test::ParseEntity(row.Text(1));
      out.push_back({row.Text(0), notify::test::DecodeWords(entity.Header("subject")), row.Text(1)});
    }
    return out;
  }

  std::string Slug(const http::Problem& problem) { return std::to_string(problem.status) + " " + problem.slug; }
  template <typename T>
  std::string Slug(const http::Result<T>& result) {
    return result.ok() ? "ok" : Slug(result.problem());
  }

  std::int64_t Now() const { return now_; }

  std::atomic<std::int64_t> now_{kMonday};
  std::int64_t employee_count_ = 0;
  unit_test::TemporaryDatabase temporary_;
  store::Database& database_ = temporary_.database();
  audit::AuditLog audit_{database_};
  crypto::PasswordHasher hasher_{{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}};
  identity::EmployeeService employees_{database_, audit_, hasher_};
  identity::Actor actor_{std::nullopt, "127.0.0.1", "cli"};
  realtime::Hub hub_;
  notify::NotificationCentre notifications_{database_, hub_};
  notify::MailOutbox outbox_{
      database_,
      notify::MailSettings{"smtp://127.0.0.1:9", "", "", false, true, "noreply@plovdiv.bg", "Община Пловдив"},
      [this] { return now_.load(); }};
  crypto::CapabilitySigner signer_{kCapabilityKey};
  Messenger messenger_{notifications_, outbox_, hub_, "https://egov.plovdiv.bg"};
  MeetingService meetings_{database_, audit_, messenger_, signer_, MeetingSettings{}, [this] { return now_.load(); }};
  RoomService rooms_{database_, audit_, meetings_, messenger_};
  CallService calls_{database_, meetings_, messenger_, kRingSeconds};
  ReminderScheduler reminders_{database_, meetings_, messenger_};
  std::vector<std::shared_ptr<RecordingPeer>> peers_;
};

}  // namespace egovbox::meetings::test
