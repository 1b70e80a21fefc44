// A directory under the system's temporary directory with a random name, removed
// with everything in it when the object goes out of scope. For tests that need
// real files (a database, a web root, a certificate).
#pragma once

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace egovbox::unit_test {

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    do {
      path_ = base / ("egovbox-unit-" + std::to_string(random()) + std::to_string(random()));
    } while (!std::filesystem::create_directory(path_));
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace egovbox::unit_test
