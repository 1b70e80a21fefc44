// A fresh SQLite database in a temporary directory, migrated to the current
// schema, with the libraries initialised: what the store, identity and audit
// tests run against. Removed when the object goes out of scope.
#pragma once

#include <mutex>

#include "app/services.h"
#include "meetings/sofia_time.h"
#include "store/migrator.h"
#include "store/sqlite/sqlite_database.h"
#include "temporary_directory.h"

namespace egovbox::unit_test {

// libsodium, liboath, libical's Europe/Sofia and the problem texts, once per test process.
inline void InitializeLibrariesOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    app::InitializeLibraries();
    meetings::InitializeCalendar();
  });
}

class TemporaryDatabase {
 public:
  explicit TemporaryDatabase(bool migrate = true, std::size_t max_connections = 4)
      : database_(directory_.path() / "egovbox.db", max_connections) {
    InitializeLibrariesOnce();
    if (migrate) store::Migrate(database_);
  }

  store::SqliteDatabase& database() { return database_; }
  const std::filesystem::path& directory() const { return directory_.path(); }

 private:
  TemporaryDirectory directory_;  // declared first: outlives the database's connections
  store::SqliteDatabase database_;
};

}  // namespace egovbox::unit_test
