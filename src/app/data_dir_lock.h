// Locks on the data directory (flock on a file in it). On <data>/.lock, `serve`
// and every admin command hold it shared; a command that must run alone (rotating
// the documents key, which re-encrypts files the server would otherwise write
// under the old key) holds it exclusively. On <data>/.serve.lock, `serve` holds it
// exclusively: two servers on one directory would remove each other's files at
// start. Released when the object goes.
#pragma once

#include <filesystem>
#include <optional>

namespace egovbox::app {

class DataDirLock {
 public:
  enum class Mode { kShared, kExclusive };
  // nullopt when the lock is held the other way (without waiting). Throws
  // std::system_error when the lock file cannot be opened.
  static std::optional<DataDirLock> TryAcquire(const std::filesystem::path& data_dir, Mode mode,
                                               const char* file_name = ".lock");

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace egovbox::app
