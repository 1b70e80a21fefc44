#include "app/services.h"

#include <sodium.h>
#include <sys/stat.h>

#include "crypto/random.h"
#include "identity/identity_routes.h"
#include "identity/totp.h"
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

}  // namespace

void InitializeLibraries() {
  crypto::InitializeCrypto();
  identity::InitializeTotp();
  identity::RegisterIdentityProblems();
}

Services::Services(const Config& config, std::size_t connections)
    : database_(OpenStore(config, connections)),
      audit_(*database_),
      password_hasher_(crypto::PasswordHasher::InteractiveCost()),
      one_time_hasher_(OneTimeCost()),
      sessions_(*database_, audit_, password_hasher_, throttle_,
                {config.session_idle_timeout_seconds, config.session_absolute_timeout_seconds}),
      accounts_(*database_, audit_, password_hasher_, sessions_.policy()),
      employees_(*database_, audit_, one_time_hasher_) {}

}  // namespace egovbox::app
