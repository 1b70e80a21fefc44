// The SQLite backend: one file, WAL journal, synchronous=FULL (a committed
// transaction survives a power cut), foreign keys on, a busy timeout so that two
// writers (the server and an `egovbox admin` command) wait for each other instead
// of failing. The only place that calls the SQLite C API.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <vector>

#include "store/database.h"

namespace egovbox::store {

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the file. Throws StoreError if it cannot.
  // At most `max_connections` connections are open at once; Acquire waits beyond that.
  SqliteDatabase(std::filesystem::path file, std::size_t max_connections);
  ~SqliteDatabase() override;

  ConnectionLease Acquire() override;
  std::string_view Backend() const override { return "sqlite"; }

 private:
  void Release(std::unique_ptr<Connection> connection);

  std::filesystem::path file_;
  std::size_t max_connections_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  std::size_t open_count_ = 0;                     // GUARDED_BY(mutex_)
};

}  // namespace egovbox::store
