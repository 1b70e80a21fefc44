#include "store/migrator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

#include "store/embedded_file.h"
#include "store/sqlite/sqlite_database.h"
#include "temporary_directory.h"

namespace egovbox::store::migrations {
const std::vector<EmbeddedFile>& EmbeddedFiles();
}

namespace egovbox::store {
namespace {

using ::testing::IsEmpty;

std::vector<std::string> MigrationNames() {
  std::vector<std::string> names;
  for (const auto& file : migrations::EmbeddedFiles()) names.emplace_back(file.name);
  return names;
}

class MigratorTest : public ::testing::Test {
 protected:
  bool TableExists(const std::string& name) {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {name}).has_value();
  }

  unit_test::TemporaryDirectory directory_;
  SqliteDatabase database_{directory_.path() / "egovbox.db", 2};
};

TEST_F(MigratorTest, MigrationsAreInNameOrderStartingWithIdentityAndAudit) {
  const auto names = MigrationNames();
  ASSERT_GE(names.size(), 2U);
  EXPECT_EQ(names[0], "0001_identity.sql");
  EXPECT_EQ(names[1], "0002_audit.sql");
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(MigratorTest, FirstRunAppliesEveryMigrationInOrder) {
  const MigrationReport report = Migrate(database_);
  EXPECT_EQ(report.applied, MigrationNames());
  EXPECT_EQ(report.already_applied, 0U);
  for (const char* table : {"departments", "employees", "employee_roles", "recovery_codes", "sessions", "audit_log"}) {
    EXPECT_TRUE(TableExists(table)) << table;
  }
}

TEST_F(MigratorTest, SecondRunAppliesNone) {
  Migrate(database_);
  const MigrationReport report = Migrate(database_);
  EXPECT_THAT(report.applied, IsEmpty());
  EXPECT_EQ(report.already_applied, MigrationNames().size());
}

TEST_F(MigratorTest, RecordsEachMigrationWithItsTime) {
  const auto before = static_cast<std::int64_t>(std::time(nullptr));
  Migrate(database_);
  const auto after = static_cast<std::int64_t>(std::time(nullptr));
  auto connection = database_.Acquire();
  const auto rows = connection->Query("SELECT name, applied_at FROM schema_migrations ORDER BY name");
  std::vector<std::string> names;
  for (const auto& row : rows) {
    names.push_back(row.Text(0));
    EXPECT_GE(row.Int(1), before);
    EXPECT_LE(row.Int(1), after);
  }
  EXPECT_EQ(names, MigrationNames());
}

TEST_F(MigratorTest, FailedMigrationThrowsAndLeavesTheEarlierOnesApplied) {
  Migrate(database_);
  {
    // Forget that 0002 ran: running it again fails, as its tables exist.
    auto connection = database_.Acquire();
    connection->Execute("DELETE FROM schema_migrations WHERE name = ?", {"0002_audit.sql"});
  }
  EXPECT_THROW(Migrate(database_), StoreError);
  auto connection = database_.Acquire();
  EXPECT_TRUE(
      connection->QueryOne("SELECT 1 FROM schema_migrations WHERE name = ?", {"0001_identity.sql"}).has_value());
  EXPECT_FALSE(connection->QueryOne("SELECT 1 FROM schema_migrations WHERE name = ?", {"0002_audit.sql"}).has_value());
}

TEST_F(MigratorTest, MigratedSchemaRefusesUnknownRolesAndStatuses) {
  Migrate(database_);
  auto connection = database_.Acquire();
  connection->Execute(
      "INSERT INTO employees (id, code, name, search_text, email, status, password_hash, must_change_password,"
      " created_at, updated_at) VALUES ('e1', 'K7M4QX2P', 'Иван', 'иван', 'ivan@example.bg', 'active', 'h', 1, 0, 0)");
  EXPECT_THROW(connection->Execute("INSERT INTO employee_roles (employee_id, role) VALUES ('e1', 'king')"), StoreError);
  EXPECT_THROW(connection->Execute("UPDATE employees SET status = 'gone' WHERE id = 'e1'"), StoreError);
  EXPECT_THROW(
      connection->Execute(
          "INSERT INTO employees (id, code, name, search_text, email, status, password_hash, must_change_password,"
          " created_at, updated_at) VALUES ('e2', 'X', 'И', 'и', 'IVAN@example.bg', 'active', 'h', 1, 0, 0)"),
      StoreError);  // e-mail addresses are unique regardless of case
}

}  // namespace
}  // namespace egovbox::store
