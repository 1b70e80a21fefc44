// The few POSIX file operations the keyring and the blob store need to write
// files that survive a crash: a file descriptor closed by its destructor, whole
// writes and reads that retry short transfers and EINTR, and fsync of a
// directory (so that a new or renamed entry in it is durable). Errors are
// returned as std::error_code: the callers turn them into their own exceptions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <system_error>

namespace egovbox::documents {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  // Closes now and reports close(2)'s error, which a write-back failure can surface.
  std::error_code Close();

 private:
  int fd_ = -1;
};

// Writes every byte, retrying short writes and EINTR.
std::error_code WriteAll(int fd, std::span<const unsigned char> bytes);
// Reads until `out` is full or the file ends; returns how many bytes it read.
std::size_t ReadFull(int fd, std::span<unsigned char> out, std::error_code& error);
std::error_code SyncFile(int fd);
std::error_code SyncDirectory(const std::filesystem::path& directory);

}  // namespace egovbox::documents
