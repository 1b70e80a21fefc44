// The store: the one interface through which domain code reads and writes.
//
// A Database hands out pooled Connections; a Connection is used by one thread at a
// time and goes back to the pool when its lease ends. SQL is written once with `?`
// placeholders and the portable subset both SQLite and PostgreSQL accept; a backend
// translates placeholders where it must. Every call blocks: call it from a worker
// thread, never from an I/O thread. Failures throw StoreError (see value.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "store/value.h"

namespace egovbox::store {

// kWrite takes the write lock at BEGIN, so a read-modify-write cannot deadlock or
// fail half-way with "busy" after it has read.
enum class TransactionMode { kRead, kWrite };

class Connection {
 public:
  virtual ~Connection() = default;

  virtual void Execute(std::string_view sql, const Params& params = {}) = 0;
  virtual std::vector<Row> Query(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual void ExecuteScript(std::string_view sql) = 0;
  // Rows changed by the last Execute.
  virtual std::int64_t ChangedRows() = 0;

  virtual void Begin(TransactionMode mode) = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;

  std::optional<Row> QueryOne(std::string_view sql, const Params& params = {}) {
    auto rows = Query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
};

// Returns the connection to its pool when destroyed.
class ConnectionLease {
 public:
  ConnectionLease(std::unique_ptr<Connection> connection, std::function<void(std::unique_ptr<Connection>)> release)
      : connection_(std::move(connection)), release_(std::move(release)) {}
  ConnectionLease(ConnectionLease&&) = default;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  ConnectionLease(const ConnectionLease&) = delete;
  ~ConnectionLease() {
    if (connection_) release_(std::move(connection_));
  }

  Connection* operator->() { return connection_.get(); }
  Connection& operator*() { return *connection_; }

 private:
  std::unique_ptr<Connection> connection_;
  std::function<void(std::unique_ptr<Connection>)> release_;
};

// Rolls back on destruction unless committed, so an exception leaves nothing half-written.
class Transaction {
 public:
  Transaction(Connection& connection, TransactionMode mode) : connection_(connection) { connection_.Begin(mode); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!finished_) {
      try {
        connection_.Rollback();
      } catch (...) {
        // A failed rollback means a broken connection; its next use reports that.
      }
    }
  }
  void Commit() {
    connection_.Commit();
    finished_ = true;
  }

 private:
  Connection& connection_;
  bool finished_ = false;
};

class Database {
 public:
  virtual ~Database() = default;
  // Blocks until a connection is free. Thread-safe.
  virtual ConnectionLease Acquire() = 0;
  // "sqlite" or "postgresql": for the few places SQL must differ, and for /readyz.
  virtual std::string_view Backend() const = 0;

  // Runs `work(connection)` in one transaction: committed when it returns, rolled
  // back when it throws.
  template <typename Work>
  auto InTransaction(TransactionMode mode, Work&& work) {
    auto lease = Acquire();
    Transaction transaction(*lease, mode);
    if constexpr (std::is_void_v<decltype(work(*lease))>) {
      work(*lease);
      transaction.Commit();
    } else {
      auto result = work(*lease);
      transaction.Commit();
      return result;
    }
  }
};

}  // namespace egovbox::store
