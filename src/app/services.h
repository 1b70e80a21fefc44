// Everything a command needs from the data directory: the store (migrated), the
// audit log, the hub, notifications and mail, and the identity, meetings,
// documents and integrations services, built once and owned here. `serve` and
// `admin` both start from this, so they act on the data the same way.
#pragma once

#include <memory>

#include "app/config.h"
#include "audit/audit_log.h"
#include "crypto/capability.h"
#include "crypto/password_hasher.h"
#include "documents/blob_store.h"
#include "documents/document_service.h"
#include "documents/file_type.h"
#include "identity/account_service.h"
#include "identity/employee_service.h"
#include "identity/login_throttle.h"
#include "identity/session_service.h"
#include "integrations/api_token_authenticator.h"
#include "integrations/integration_service.h"
#include "integrations/oidc_provider.h"
#include "meetings/call_service.h"
#include "meetings/meeting_chat.h"
#include "meetings/meeting_service.h"
#include "meetings/messenger.h"
#include "meetings/reminder_scheduler.h"
#include "meetings/room_service.h"
#include "notify/mail_outbox.h"
#include "notify/notification_centre.h"
#include "realtime/hub.h"
#include "store/database.h"

namespace egovbox::app {

class Services {
 public:
  // Creates the data directory (mode 0700) and the database if needed and applies
  // migrations. Throws on failure.
  Services(const Config& config, std::size_t connections);

  store::Database& database() { return *database_; }
  audit::AuditLog& audit() { return audit_; }
  identity::SessionService& sessions() { return sessions_; }
  identity::AccountService& accounts() { return accounts_; }
  identity::EmployeeService& employees() { return employees_; }
  realtime::Hub& hub() { return hub_; }
  notify::NotificationCentre& notifications() { return notifications_; }
  notify::MailOutbox& outbox() { return outbox_; }
  meetings::Messenger& messenger() { return messenger_; }
  meetings::MeetingService& meetings() { return meetings_; }
  meetings::RoomService& rooms() { return rooms_; }
  meetings::CallService& calls() { return calls_; }
  meetings::ReminderScheduler& reminders() { return reminders_; }
  meetings::MeetingChat& chat() { return chat_; }
  documents::BlobStore& blobs() { return blobs_; }
  documents::DocumentService& documents() { return documents_; }
  // The CSP's frame-src, kept by the integrations service, read by the dispatcher.
  http::FrameSources& frame_sources() { return frame_sources_; }
  integrations::IntegrationService& integrations() { return integrations_; }
  integrations::ApiTokenAuthenticator& api_tokens() { return api_tokens_; }
  integrations::OidcProvider& oidc() { return oidc_; }

 private:
  std::unique_ptr<store::Database> database_;
  audit::AuditLog audit_;
  crypto::PasswordHasher password_hasher_;
  crypto::PasswordHasher one_time_hasher_;
  identity::LoginThrottle throttle_;
  identity::SessionService sessions_;
  identity::AccountService accounts_;
  identity::EmployeeService employees_;
  realtime::Hub hub_;
  notify::NotificationCentre notifications_;
  notify::MailOutbox outbox_;
  crypto::CapabilitySigner capability_signer_;
  meetings::Messenger messenger_;
  meetings::MeetingService meetings_;
  meetings::RoomService rooms_;
  meetings::CallService calls_;
  meetings::ReminderScheduler reminders_;
  meetings::MeetingChat chat_;
  documents::BlobStore blobs_;
  documents::FileTypeDetector file_types_;
  documents::DocumentService documents_;
  http::FrameSources frame_sources_;
  integrations::IntegrationService integrations_;
  integrations::ApiTokenAuthenticator api_tokens_;
  integrations::OidcKeySet oidc_keys_;
  integrations::OidcProvider oidc_;
};

// Call once before anything else: libsodium, liboath, libical, the problem texts.
void InitializeLibraries();

}  // namespace egovbox::app
