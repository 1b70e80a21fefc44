#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>

#include "temporary_directory.h"

namespace egovbox::store {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  SqliteDatabaseTest() {
    auto connection = database_.Acquire();
    connection->ExecuteScript(
        "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
        "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents(id),"
        " age INTEGER CHECK (age >= 0));"
        "CREATE TABLE items (value);");
  }

  std::int64_t Count(const std::string& table) {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT count(*) FROM " + table)->Int(0);
  }

  // Runs `work` and returns the kind of StoreError it threw; fails the test if it threw none.
  template <typename Work>
  static std::optional<StoreError::Kind> ErrorKind(Work&& work) {
    try {
      work();
    } catch (const StoreError& error) {
      return error.kind();
    }
    ADD_FAILURE() << "no StoreError";
    return std::nullopt;
  }

  unit_test::TemporaryDirectory directory_;
  SqliteDatabase database_{directory_.path() / "test.db", 4};
};

TEST_F(SqliteDatabaseTest, EveryConnectionUsesWalFullSyncAndForeignKeys) {
  // Two leases at once are two connections.
  auto first = database_.Acquire();
  auto second = database_.Acquire();
  for (auto* connection : {&*first, &*second}) {
    EXPECT_EQ(connection->QueryOne("PRAGMA journal_mode")->Text(0), "wal");
    EXPECT_EQ(connection->QueryOne("PRAGMA synchronous")->Int(0), 2);  // FULL
    EXPECT_EQ(connection->QueryOne("PRAGMA foreign_keys")->Int(0), 1);
  }
  EXPECT_EQ(database_.Backend(), "sqlite");
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforced) {
  auto connection = database_.Acquire();
  EXPECT_EQ(ErrorKind([&] { connection->Execute("INSERT INTO children (parent_id) VALUES (?)", {std::int64_t{42}}); }),
            StoreError::Kind::kConstraint);
  connection->Execute("INSERT INTO parents (id, name) VALUES (?, ?)", {std::int64_t{42}, "Мария"});
  connection->Execute("INSERT INTO children (parent_id) VALUES (?)", {std::int64_t{42}});
  EXPECT_EQ(ErrorKind([&] { connection->Execute("DELETE FROM parents WHERE id = 42"); }),
            StoreError::Kind::kConstraint);
}

TEST_F(SqliteDatabaseTest, ConstraintViolationsThrowKindConstraint) {
  auto connection = database_.Acquire();
  connection->Execute("INSERT INTO parents (id, name) VALUES (1, 'a')");
  EXPECT_EQ(ErrorKind([&] { connection->Execute("INSERT INTO parents (id, name) VALUES (2, 'a')"); }),
            StoreError::Kind::kConstraint);  // UNIQUE
  EXPECT_EQ(ErrorKind([&] { connection->Execute("INSERT INTO parents (id, name) VALUES (1, 'b')"); }),
            StoreError::Kind::kConstraint);  // PRIMARY KEY
  EXPECT_EQ(ErrorKind([&] { connection->Execute("INSERT INTO parents (id, name) VALUES (3, NULL)"); }),
            StoreError::Kind::kConstraint);  // NOT NULL
  EXPECT_EQ(ErrorKind([&] { connection->Execute("INSERT INTO children (parent_id, age) VALUES (1, -1)"); }),
            StoreError::Kind::kConstraint);  // CHECK
  // The connection is still good afterwards.
  connection->Execute("INSERT INTO parents (id, name) VALUES (2, 'b')");
  EXPECT_EQ(Count("parents"), 2);
}

TEST_F(SqliteDatabaseTest, OtherErrorsThrowKindOther) {
  auto connection = database_.Acquire();
  EXPECT_EQ(ErrorKind([&] { connection->Execute("INSERT INTO nowhere VALUES (1)"); }), StoreError::Kind::kOther);
  EXPECT_EQ(ErrorKind([&] { connection->Query("SELEC 1"); }), StoreError::Kind::kOther);
  EXPECT_EQ(ErrorKind([&] { connection->ExecuteScript("CREATE TABLE parents (x);"); }), StoreError::Kind::kOther);
}

TEST_F(SqliteDatabaseTest, ParameterCountMismatchThrows) {
  auto connection = database_.Acquire();
  const std::string sql = "INSERT INTO parents (id, name) VALUES (?, ?)";
  EXPECT_EQ(ErrorKind([&] { connection->Execute(sql, {std::int64_t{1}}); }), StoreError::Kind::kOther);
  EXPECT_EQ(ErrorKind([&] { connection->Execute(sql, {std::int64_t{1}, "a", "extra"}); }), StoreError::Kind::kOther);
  EXPECT_EQ(ErrorKind([&] { connection->Query("SELECT 1", {std::int64_t{1}}); }), StoreError::Kind::kOther);
  // Nothing was written, and the same statement works with the right parameters.
  EXPECT_EQ(Count("parents"), 0);
  connection->Execute(sql, {std::int64_t{1}, "a"});
  EXPECT_EQ(Count("parents"), 1);
}

TEST_F(SqliteDatabaseTest, ValuesRoundTrip) {
  auto connection = database_.Acquire();
  const std::string with_nul("a\0b", 3);
  const Params values = {std::numeric_limits<std::int64_t>::max(),
                         std::numeric_limits<std::int64_t>::min(),
                         0.25,
                         std::string("Иван 😀"),
                         with_nul,
                         std::monostate{},
                         std::string()};
  for (const auto& value : values) connection->Execute("INSERT INTO items (value) VALUES (?)", {value});
  const auto rows = connection->Query("SELECT value FROM items ORDER BY rowid");
  ASSERT_EQ(rows.size(), values.size());
  EXPECT_EQ(rows[0].Int(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(rows[1].Int(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(rows[2].Int(0), 0);  // a REAL read as an integer is truncated
  EXPECT_EQ(rows[3].Text(0), "Иван 😀");
  EXPECT_EQ(rows[4].Text(0), with_nul);
  EXPECT_TRUE(rows[5].IsNull(0));
  EXPECT_EQ(rows[5].OptionalText(0), std::nullopt);
  EXPECT_EQ(rows[5].OptionalInt(0), std::nullopt);
  EXPECT_EQ(rows[5].Int(0), 0);
  EXPECT_EQ(rows[5].Text(0), "");
  EXPECT_FALSE(rows[6].IsNull(0));  // the empty string is not NULL
  EXPECT_EQ(rows[6].OptionalText(0), "");
  EXPECT_EQ(rows[0].Text(0), "9223372036854775807");
  EXPECT_THROW((void)rows[3].Int(0), StoreError);
  EXPECT_THROW((void)rows[0].Text(5), std::out_of_range);
}

TEST_F(SqliteDatabaseTest, ChangedRowsCountsTheLastExecute) {
  auto connection = database_.Acquire();
  connection->Execute("INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  EXPECT_EQ(connection->ChangedRows(), 3);
  connection->Execute("UPDATE parents SET name = name || '!' WHERE id > ?", {std::int64_t{1}});
  EXPECT_EQ(connection->ChangedRows(), 2);
  connection->Execute("DELETE FROM parents WHERE id = ?", {std::int64_t{99}});
  EXPECT_EQ(connection->ChangedRows(), 0);
}

TEST_F(SqliteDatabaseTest, TransactionRollsBackWhenDestroyedWithoutCommit) {
  {
    auto connection = database_.Acquire();
    Transaction transaction(*connection, TransactionMode::kWrite);
    connection->Execute("INSERT INTO parents (id, name) VALUES (1, 'a')");
    EXPECT_EQ(connection->QueryOne("SELECT count(*) FROM parents")->Int(0), 1);  // visible inside
  }
  EXPECT_EQ(Count("parents"), 0);
}

TEST_F(SqliteDatabaseTest, CommittedTransactionIsVisibleToOtherConnections) {
  auto reader = database_.Acquire();
  {
    auto connection = database_.Acquire();
    Transaction transaction(*connection, TransactionMode::kWrite);
    connection->Execute("INSERT INTO parents (id, name) VALUES (1, 'a')");
    EXPECT_EQ(reader->QueryOne("SELECT count(*) FROM parents")->Int(0), 0);  // not before the commit
    transaction.Commit();
  }
  EXPECT_EQ(reader->QueryOne("SELECT count(*) FROM parents")->Int(0), 1);
}

TEST_F(SqliteDatabaseTest, InTransactionCommitsAndReturnsTheResult) {
  const std::int64_t id = database_.InTransaction(TransactionMode::kWrite, [](Connection& connection) {
    connection.Execute("INSERT INTO parents (name) VALUES ('a')");
    return connection.QueryOne("SELECT id FROM parents WHERE name = 'a'")->Int(0);
  });
  EXPECT_EQ(id, 1);
  EXPECT_EQ(Count("parents"), 1);
}

TEST_F(SqliteDatabaseTest, InTransactionRollsBackOnExceptionAndRethrows) {
  EXPECT_THROW(database_.InTransaction(TransactionMode::kWrite,
                                       [](Connection& connection) {
                                         connection.Execute("INSERT INTO parents (id, name) VALUES (1, 'a')");
                                         connection.Execute("INSERT INTO parents (id, name) VALUES (2, 'b')");
                                         throw std::runtime_error("changed my mind");
                                       }),
               std::runtime_error);
  EXPECT_EQ(Count("parents"), 0);

  // A failing statement half-way rolls back the statements before it too.
  EXPECT_THROW(database_.InTransaction(TransactionMode::kWrite,
                                       [](Connection& connection) {
                                         connection.Execute("INSERT INTO parents (id, name) VALUES (1, 'a')");
                                         connection.Execute("INSERT INTO parents (id, name) VALUES (2, 'a')");
                                       }),
               StoreError);
  EXPECT_EQ(Count("parents"), 0);

  // Every pooled connection is free of a transaction afterwards.
  for (int i = 0; i < 8; ++i) {
    database_.InTransaction(TransactionMode::kWrite, [&](Connection& connection) {
      connection.Execute("INSERT INTO items (value) VALUES (?)", {std::int64_t{i}});
    });
  }
  EXPECT_EQ(Count("items"), 8);
}

TEST_F(SqliteDatabaseTest, LeaseEndingInsideATransactionDoesNotPassItOn) {
  {
    auto connection = database_.Acquire();
    connection->Begin(TransactionMode::kWrite);
    connection->Execute("INSERT INTO parents (id, name) VALUES (1, 'a')");
    // No Transaction guard, no commit: the lease ends with BEGIN open.
  }
  for (int i = 0; i < 4; ++i) {
    auto connection = database_.Acquire();
    EXPECT_EQ(connection->QueryOne("SELECT count(*) FROM parents")->Int(0), 0);
    Transaction transaction(*connection, TransactionMode::kWrite);  // BEGIN works: none is open
    transaction.Commit();
  }
}

TEST_F(SqliteDatabaseTest, ConcurrentAcquireNeverExceedsThePoolAndLosesNothing) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> leased{0};
  std::atomic<int> most_leased{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        auto connection = database_.Acquire();
        const int now = ++leased;
        int seen = most_leased.load();
        while (now > seen && !most_leased.compare_exchange_weak(seen, now)) {
        }
        {
          Transaction transaction(*connection, i % 2 == 0 ? TransactionMode::kWrite : TransactionMode::kRead);
          if (i % 2 == 0) {
            connection->Execute("INSERT INTO items (value) VALUES (?)", {std::int64_t{t * 1000 + i}});
          } else {
            (void)connection->QueryOne("SELECT count(*) FROM items");
          }
          transaction.Commit();
        }
        --leased;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(Count("items"), kThreads * ((kWritesPerThread + 1) / 2));
  EXPECT_LE(most_leased.load(), 4);
  EXPECT_GE(most_leased.load(), 1);
}

TEST_F(SqliteDatabaseTest, AcquireWaitsForAFreeConnection) {
  SqliteDatabase single(directory_.path() / "single.db", 1);
  auto held = std::make_optional(single.Acquire());
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    auto connection = single.Acquire();
    acquired = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(acquired.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(acquired.load());
}

TEST(SqliteDatabaseOpenTest, UnopenableFileThrowsStoreError) {
  EXPECT_THROW(SqliteDatabase("/nonexistent-directory/egovbox/test.db", 1), StoreError);
}

}  // namespace
}  // namespace egovbox::store
