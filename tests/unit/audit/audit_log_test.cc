#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "temporary_database.h"

namespace egovbox::audit {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void RecordEntries(int count) {
    for (int i = 1; i <= count; ++i) {
      log_.Record({i % 3 == 0 ? std::nullopt : std::optional<std::string>("employee-" + std::to_string(i)),
                   "test.action" + std::to_string(i % 4),
                   "subject-" + std::to_string(i),
                   "10.0.0." + std::to_string(i),
                   {{"n", i}, {"name", "Иван Петров"}}});
    }
  }

  void Execute(const std::string& sql, const store::Params& params = {}) {
    auto connection = database().Acquire();
    connection->Execute(sql, params);
  }

  // Someone with the database file can remove the triggers; the chain must still tell.
  void DropTriggers() {
    auto connection = database().Acquire();
    connection->ExecuteScript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
  }

  std::vector<store::Row> Rows() {
    auto connection = database().Acquire();
    return connection->Query("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq");
  }

  store::Database& database() { return temporary_.database(); }

  unit_test::TemporaryDatabase temporary_;
  AuditLog log_{temporary_.database()};
};

TEST_F(AuditLogTest, EmptyLogIsIntact) {
  const VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.intact);
  EXPECT_EQ(report.entries, 0);
  EXPECT_FALSE(report.first_bad_seq.has_value());
}

TEST_F(AuditLogTest, ChainOfEntriesVerifies) {
  RecordEntries(20);
  const VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.entries, 20);
  EXPECT_FALSE(report.first_bad_seq.has_value());
}

TEST_F(AuditLogTest, EachEntryNamesTheHashOfTheOneBefore) {
  RecordEntries(5);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows[0].Text(1), std::string(64, '0'));  // the first follows a fixed genesis value
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].Int(0), static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(rows[i].Text(2).size(), 64U);
    if (i > 0) {
      EXPECT_EQ(rows[i].Text(1), rows[i - 1].Text(2));
    }
  }
}

TEST_F(AuditLogTest, AppendIsPartOfTheCallersTransaction) {
  EXPECT_THROW(database().InTransaction(store::TransactionMode::kWrite,
                                        [&](store::Connection& connection) {
                                          log_.Append(connection, {std::nullopt, "test.rolled_back", "", "", {}});
                                          throw std::runtime_error("the action failed");
                                        }),
               std::runtime_error);
  EXPECT_EQ(log_.Verify().entries, 0);
  database().InTransaction(store::TransactionMode::kWrite, [&](store::Connection& connection) {
    log_.Append(connection, {std::nullopt, "test.first", "", "", {}});
    log_.Append(connection, {std::nullopt, "test.second", "", "", {}});
  });
  const VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.intact);
  EXPECT_EQ(report.entries, 2);
}

TEST_F(AuditLogTest, UpdateAndDeleteAreRefusedByTheDatabase) {
  RecordEntries(3);
  EXPECT_THROW(Execute("UPDATE audit_log SET subject = 'someone else' WHERE seq = 2"), store::StoreError);
  EXPECT_THROW(Execute("DELETE FROM audit_log WHERE seq = 2"), store::StoreError);
  EXPECT_THROW(Execute("DELETE FROM audit_log"), store::StoreError);
  EXPECT_EQ(Rows().size(), 3U);
  EXPECT_TRUE(log_.Verify().intact);
}

TEST_F(AuditLogTest, ChangingAnyFieldOfARowIsNamedAtThatRow) {
  RecordEntries(10);
  DropTriggers();
  const std::vector<std::pair<std::string, store::Value>> changes = {{"at", std::int64_t{1}},
                                                                     {"actor_id", std::monostate{}},
                                                                     {"actor_id", "someone-else"},
                                                                     {"action", "test.innocent"},
                                                                     {"subject", "subject-8"},
                                                                     {"client_address", "192.168.1.1"},
                                                                     {"detail", R"({"n":7,"name":"Иван Петров "})"}};
  for (const auto& [column, value] : changes) {
    SCOPED_TRACE(column);
    auto connection = database().Acquire();
    const auto original = connection->QueryOne("SELECT " + column + " FROM audit_log WHERE seq = 7");
    connection->Execute("UPDATE audit_log SET " + column + " = ? WHERE seq = 7", {value});
    const VerifyReport report = log_.Verify();
    EXPECT_FALSE(report.intact);
    EXPECT_EQ(report.first_bad_seq, 7);
    EXPECT_NE(report.reason.find("entry 7 was changed"), std::string::npos) << report.reason;

    // Put it back: the chain is whole again.
    const store::Value back = original->IsNull(0) ? store::Value{}
                              : column == "at"    ? store::Value{original->Int(0)}
                                                  : store::Value{original->Text(0)};
    connection->Execute("UPDATE audit_log SET " + column + " = ? WHERE seq = 7", {back});
    EXPECT_TRUE(log_.Verify().intact);
  }
}

TEST_F(AuditLogTest, ReplacingAStoredHashIsNamed) {
  RecordEntries(10);
  DropTriggers();
  Execute("UPDATE audit_log SET hash = ? WHERE seq = 4", {std::string(64, 'a')});
  const VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 4);
}

TEST_F(AuditLogTest, BrokenLinkIsNamedAtTheRowThatNoLongerFollows) {
  RecordEntries(10);
  DropTriggers();
  Execute("UPDATE audit_log SET prev_hash = ? WHERE seq = 8", {std::string(64, 'b')});
  const VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 8);
  EXPECT_NE(report.reason.find("does not follow"), std::string::npos) << report.reason;
}

TEST_F(AuditLogTest, DeletedMiddleRowIsReportedMissing) {
  RecordEntries(10);
  DropTriggers();
  Execute("DELETE FROM audit_log WHERE seq = 5");
  const VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 5);
  EXPECT_EQ(report.reason, "entry 5 is missing");
}

TEST_F(AuditLogTest, DeletedFirstRowIsReportedMissing) {
  RecordEntries(3);
  DropTriggers();
  Execute("DELETE FROM audit_log WHERE seq = 1");
  const VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 1);
}

TEST_F(AuditLogTest, RenumberedRowsAfterADeletionAreCaught) {
  // Delete entry 5 and shift the later ones down to close the gap.
  RecordEntries(10);
  DropTriggers();
  Execute("DELETE FROM audit_log WHERE seq = 5");
  for (std::int64_t seq = 6; seq <= 10; ++seq) Execute("UPDATE audit_log SET seq = ? WHERE seq = ?", {seq - 1, seq});
  const VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_seq, 5);
}

TEST_F(AuditLogTest, DetailWithInvalidUtf8IsStoredAndVerifies) {
  log_.Record({std::nullopt, "test.bad_bytes", "", "", {{"name", std::string("bad \xff byte")}}});
  EXPECT_TRUE(log_.Verify().intact);
}

TEST_F(AuditLogTest, RecordFromManyThreadsKeepsOneUnbrokenChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        log_.Record({std::nullopt, "test.thread", std::to_string(t), "", {{"i", i}}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.entries, 100);
}

}  // namespace
}  // namespace egovbox::audit
