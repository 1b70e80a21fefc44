#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

namespace egovbox::store {
namespace {

constexpr int kBusyTimeoutMs = 10000;

[[noreturn]] void Fail(sqlite3* db, int code, std::string_view what) {
  const int primary = code & 0xff;
  auto kind = StoreError::Kind::kOther;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) kind = StoreError::Kind::kBusy;
  if (primary == SQLITE_CONSTRAINT) kind = StoreError::Kind::kConstraint;
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw StoreError(kind, message);
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Resets a cached statement when a call is done with it, also on exceptions.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  sqlite3_stmt* statement_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::filesystem::path& file) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int code = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    if (code != SQLITE_OK) {
      std::string message = "cannot open " + file.string();
      sqlite3_close(db_);
      db_ = nullptr;
      Fail(nullptr, code, message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;");
  }

  ~SqliteConnection() override {
    statements_.clear();
    sqlite3_close_v2(db_);
  }

  void Execute(std::string_view sql, const Params& params) override {
    sqlite3_stmt* statement = Prepare(sql, params);
    StatementUse use(statement);
    int code;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (code != SQLITE_DONE) Fail(db_, code, "execute");
  }

  std::vector<Row> Query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* statement = Prepare(sql, params);
    StatementUse use(statement);
    std::vector<Row> rows;
    int code;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) rows.push_back(ReadRow(statement));
    if (code != SQLITE_DONE) Fail(db_, code, "query");
    return rows;
  }

  void ExecuteScript(std::string_view sql) override {
    const std::string text(sql);
    char* error = nullptr;
    const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (code != SQLITE_OK) {
      std::string message = error != nullptr ? error : "script failed";
      sqlite3_free(error);
      throw StoreError(StoreError::Kind::kOther, "script: " + message);
    }
  }

  std::int64_t ChangedRows() override { return sqlite3_changes64(db_); }

  void Begin(TransactionMode mode) override {
    Execute(mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {});
  }
  void Commit() override { Execute("COMMIT", {}); }
  void Rollback() override {
    if (sqlite3_get_autocommit(db_) == 0) Execute("ROLLBACK", {});
  }

 private:
  // Statements are prepared once per connection and kept: the same few SQL texts
  // run again and again.
  sqlite3_stmt* Prepare(std::string_view sql, const Params& params) {
    auto found = statements_.find(std::string(sql));
    sqlite3_stmt* statement;
    if (found != statements_.end()) {
      statement = found->second.get();
    } else {
      const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                          &statement, nullptr);
      if (code != SQLITE_OK) Fail(db_, code, "prepare");
      statements_.emplace(std::string(sql), StatementHandle(statement));
    }
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      throw StoreError(StoreError::Kind::kOther, "wrong parameter count for: " + std::string(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) Bind(statement, static_cast<int>(i) + 1, params[i]);
    return statement;
  }

  void Bind(sqlite3_stmt* statement, int index, const Value& value) {
    int code = SQLITE_OK;
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      code = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      code = sqlite3_bind_double(statement, index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      code = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      code = sqlite3_bind_null(statement, index);
    }
    if (code != SQLITE_OK) Fail(db_, code, "bind");
  }

  static Row ReadRow(sqlite3_stmt* statement) {
    const int columns = sqlite3_column_count(statement);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) {
      switch (sqlite3_column_type(statement, i)) {
        case SQLITE_INTEGER: values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, i))); break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(statement, i)); break;
        case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
          values.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, i))));
        }
      }
    }
    return Row(std::move(values));
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, StatementHandle> statements_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::filesystem::path file, std::size_t max_connections)
    : file_(std::move(file)), max_connections_(max_connections == 0 ? 1 : max_connections) {
  // Open one connection now so that a bad path fails at start, not on the first request.
  Release(std::make_unique<SqliteConnection>(file_));
  open_count_ = 1;
}

SqliteDatabase::~SqliteDatabase() = default;

ConnectionLease SqliteDatabase::Acquire() {
  std::unique_lock lock(mutex_);
  released_.wait(lock, [&] { return !idle_.empty() || open_count_ < max_connections_; });
  std::unique_ptr<Connection> connection;
  if (!idle_.empty()) {
    connection = std::move(idle_.back());
    idle_.pop_back();
  } else {
    ++open_count_;
    lock.unlock();
    try {
      connection = std::make_unique<SqliteConnection>(file_);
    } catch (...) {
      std::lock_guard relock(mutex_);
      --open_count_;
      released_.notify_one();
      throw;
    }
  }
  return ConnectionLease(std::move(connection), [this](std::unique_ptr<Connection> done) { Release(std::move(done)); });
}

void SqliteDatabase::Release(std::unique_ptr<Connection> connection) {
  // A lease that ended inside a transaction (an exception between BEGIN and the
  // Transaction guard) must not hand that transaction to the next user.
  bool usable = true;
  try {
    connection->Rollback();
  } catch (const StoreError&) {
    usable = false;
  }
  {
    std::lock_guard lock(mutex_);
    if (usable) {
      idle_.push_back(std::move(connection));
    } else {
      --open_count_;
    }
  }
  released_.notify_one();
}

}  // namespace egovbox::store
