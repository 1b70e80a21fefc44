#include "app/services.h"

#include <sodium.h>
#include <sys/stat.h>

#include "crypto/random.h"
#include "documents/documents_routes.h"
#include "identity/identity_routes.h"
#include "identity/totp.h"
#include "integrations/integrations_routes.h"
#include "integrations/oidc_routes.h"
#include "meetings/meetings_routes.h"
#include "meetings/sofia_time.h"
#include "notify/notify_routes.h"
#include "store/migrator.h"
#include "store/sqlite/sqlite_database.h"

namespace egovbox::app {
namespace {

std::unique_ptr<store::Database> OpenStore(const Config& config, std::size_t connections) {
  std::filesystem::create_directories(config.data_dir);
  chmod(config.data_dir.c_str(), 0700);
  auto database = std::make_unique<store::SqliteDatabase>(config.database_file(), connections);
  chmod(config.database_file().c_str(), 0600);
  store::Migrate(*database);
  return database;
}

// One-time passwords have 80 random bits: the smallest argon2id cost is plenty.
crypto::PasswordHasher::Cost OneTimeCost() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

bool HoldsFiles(const std::filesystem::path& directory) {
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file()) return true;
  }
  return false;
}

// A missing key is made only while nothing is stored: a lost or unmounted key file
// must stop the server, not be replaced by a key that reads none of the files.
documents::DocumentKeyring LoadDocumentKeys(const Config& config) {
  if (!std::filesystem::exists(config.documents_key_file) && HoldsFiles(config.data_dir / "documents" / "blobs")) {
    throw std::runtime_error("the documents key " + config.documents_key_file.string() +
                             " is missing, but documents are stored encrypted under it: restore it from the backup");
  }
  return documents::DocumentKeyring::Load(config.documents_key_file, config.data_dir / "keys" / "documents-retired");
}

std::unique_ptr<documents::ClamdClient> Scanner(const Config& config) {
  if (config.clamd_address.empty()) return nullptr;
  return std::make_unique<documents::ClamdClient>(config.clamd_address, config.clamd_timeout);
}

integrations::OidcSettings OidcSettingsOf(const Config& config) {
  integrations::OidcSettings settings;
  if (config.oidc_code_ttl_seconds > 0) settings.code_ttl_seconds = config.oidc_code_ttl_seconds;
  return settings;
}

}  // namespace

void InitializeLibraries() {
  crypto::InitializeCrypto();
  identity::InitializeTotp();
  identity::RegisterIdentityProblems();
  meetings::InitializeCalendar();
  meetings::RegisterMeetingsProblems();
  notify::RegisterNotifyProblems();
  documents::RegisterDocumentsProblems();
  integrations::RegisterIntegrationsProblems();
  integrations::RegisterOidcProblems();
}

Services::Services(const Config& config, std::size_t connections)
    : database_(OpenStore(config, connections)),
      audit_(*database_),
      password_hasher_(crypto::PasswordHasher::InteractiveCost()),
      one_time_hasher_(OneTimeCost()),
      sessions_(*database_, audit_, password_hasher_, throttle_,
                {config.session_idle_timeout_seconds, config.session_absolute_timeout_seconds}),
      accounts_(*database_, audit_, password_hasher_, sessions_.policy()),
      employees_(*database_, audit_, one_time_hasher_),
      notifications_(*database_, hub_),
      outbox_(*database_, config.mail),
      capability_signer_(crypto::CapabilitySigner::FromKeyFile(config.data_dir / "keys" / "capability.key")),
      messenger_(notifications_, outbox_, hub_, config.public_url),
      meetings_(*database_, audit_, messenger_, capability_signer_,
                {config.capability_ttl_seconds, meetings::MeetingSettings{}.join_early_seconds,
                 meetings::MeetingSettings{}.default_reminder_offsets}),
      rooms_(*database_, audit_, meetings_, messenger_),
      calls_(*database_, meetings_, messenger_, config.call_ring_seconds),
      reminders_(*database_, meetings_, messenger_),
      chat_(*database_, meetings_, hub_),
      blobs_(config.data_dir / "documents", LoadDocumentKeys(config)),
      documents_(*database_, audit_, notifications_, blobs_, file_types_, Scanner(config),
                 {config.documents_max_bytes, config.documents_quota_bytes, config.documents_allowed_types,
                  documents::DocumentSettings{}.restore_seconds}),
      integrations_(*database_, audit_, frame_sources_),
      api_tokens_(*database_, audit_),
      oidc_keys_(config.data_dir / "keys" / "oidc"),
      oidc_(*database_, audit_, oidc_keys_,
            integrations::PairwiseSubjects::FromKeyFile(config.data_dir / "keys" / "oidc" / "pairwise.key"),
            OidcSettingsOf(config)) {
  oidc_.SetIssuer(config.public_url);
}

}  // namespace egovbox::app
