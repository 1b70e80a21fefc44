#include "store/migrator.h"

#include <ctime>

#include "store/embedded_file.h"

namespace egovbox::store::migrations {
const std::vector<EmbeddedFile>& EmbeddedFiles();
}

namespace egovbox::store {

MigrationReport Migrate(Database& database) {
  {
    auto connection = database.Acquire();
    connection->Execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
  }
  MigrationReport report;
  for (const EmbeddedFile& migration : migrations::EmbeddedFiles()) {
    const std::string name(migration.name);
    const bool applied = database.InTransaction(TransactionMode::kWrite, [&](Connection& connection) {
      if (connection.QueryOne("SELECT 1 FROM schema_migrations WHERE name = ?", {name})) return false;
      connection.ExecuteScript(migration.text);
      connection.Execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                         {name, static_cast<std::int64_t>(std::time(nullptr))});
      return true;
    });
    if (applied) {
      report.applied.push_back(name);
    } else {
      ++report.already_applied;
    }
  }
  return report;
}

}  // namespace egovbox::store
