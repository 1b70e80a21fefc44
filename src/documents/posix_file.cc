#include "documents/posix_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace egovbox::documents {
namespace {

std::error_code LastError() {
  return {errno, std::generic_category()};
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.Release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  Close();
}

int UniqueFd::Release() {
  return std::exchange(fd_, -1);
}

std::error_code UniqueFd::Close() {
  if (fd_ < 0) return {};
  // Linux releases the descriptor even when close fails with EINTR: never retry.
  const int result = ::close(std::exchange(fd_, -1));
  return result == 0 ? std::error_code() : LastError();
}

std::error_code WriteAll(int fd, std::span<const unsigned char> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return LastError();
    }
    // write(2) returns 0 only for a zero-length request; treat it as a full disk rather than spin.
    if (written == 0) return std::make_error_code(std::errc::no_space_on_device);
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return {};
}

std::size_t ReadFull(int fd, std::span<unsigned char> out, std::error_code& error) {
  error.clear();
  std::size_t total = 0;
  while (total < out.size()) {
    const ssize_t got = ::read(fd, out.data() + total, out.size() - total);
    if (got < 0) {
      if (errno == EINTR) continue;
      error = LastError();
      return total;
    }
    if (got == 0) break;
    total += static_cast<std::size_t>(got);
  }
  return total;
}

std::error_code SyncFile(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return LastError();
  }
  return {};
}

std::error_code SyncDirectory(const std::filesystem::path& directory) {
  UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return LastError();
  if (const auto error = SyncFile(fd.get())) return error;
  return fd.Close();
}

}  // namespace egovbox::documents
