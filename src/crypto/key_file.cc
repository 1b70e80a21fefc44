#include "crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "crypto/random.h"

namespace egovbox::crypto {
namespace {

void WriteNewKey(const std::filesystem::path& file, std::size_t size) {
  std::filesystem::create_directories(file.parent_path());
  chmod(file.parent_path().c_str(), 0700);
  const auto temporary = file.string() + ".tmp";
  const std::string key = RandomBytes(size);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + temporary);
  const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), file.c_str()) != 0) {
    throw std::runtime_error("cannot write " + file.string());
  }
}

}  // namespace

std::string LoadOrCreateKey(const std::filesystem::path& file, std::size_t size, std::string_view what) {
  if (!std::filesystem::exists(file)) WriteNewKey(file, size);
  std::ifstream in(file, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != size) {
    throw std::runtime_error(std::string(what) + " " + file.string() + " is not " + std::to_string(size) + " bytes");
  }
  return key;
}

}  // namespace egovbox::crypto
