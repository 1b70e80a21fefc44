// A real clamd for the scanning tests: /usr/sbin/clamd (Debian's clamav-daemon) in
// the foreground, with its own configuration in a temporary directory, a Unix socket
// there and no TCP, and a database of one line that knows only the EICAR test file
// (no freshclam, no network). Started in the constructor, which waits until it
// answers PING; stopped (SIGTERM, then SIGKILL) in the destructor.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "documents/clamd_client.h"
#include "temporary_directory.h"

extern char** environ;

namespace egovbox::documents::test {

inline constexpr const char* kClamdBinary = "/usr/sbin/clamd";

// The EICAR anti-virus test file (68 bytes), put together here so that this source
// file is not itself taken for it.
inline std::string EicarBytes() {
  return std::string("X5O!P%@AP[4\\PZX54(P^)7CC)7}$") + "EICAR-STANDARD-ANTIVIRUS" + "-TEST-FILE!$H+H*";
}

class ClamdProcess {
 public:
  // `stream_max_bytes`: clamd's StreamMaxLength, small so that the size-limit answer
  // can be tested without sending 25 MiB.
  explicit ClamdProcess(std::size_t stream_max_bytes = std::size_t{1024} * 1024) {
    const auto& dir = directory_.path();
    socket_path_ = (dir / "clamd.sock").string();
    std::filesystem::create_directory(dir / "db");
    // An MD5 signature (.hdb): md5:size:name, the EICAR file's.
    std::ofstream(dir / "db" / "test.hdb") << "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n";
    const auto config = dir / "clamd.conf";
    std::ofstream(config) << "LocalSocket " << socket_path_ << "\n"
                          << "DatabaseDirectory " << (dir / "db").string() << "\n"
                          << "TemporaryDirectory " << dir.string() << "\n"
                          << "LogFile " << (dir / "clamd.log").string() << "\n"
                          << "Foreground yes\n"
                          << "StreamMaxLength " << stream_max_bytes << "\n";

    const std::string output = (dir / "clamd.out").string();
    const std::string config_argument = "--config-file=" + config.string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    char* argv[] = {const_cast<char*>(kClamdBinary), const_cast<char*>(config_argument.c_str()), nullptr};
    const auto started = std::chrono::steady_clock::now();
    const int error = posix_spawn(&pid_, kClamdBinary, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("cannot start clamd");

    const ClamdClient client(socket_path_, std::chrono::milliseconds(1000));
    const auto deadline = started + std::chrono::seconds(60);
    while (!client.Ping()) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("clamd exited at start-up:\n" + Output());
      }
      if (std::chrono::steady_clock::now() > deadline) {
        Stop();
        throw std::runtime_error("clamd did not answer PING within 60 s:\n" + Output());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    start_up_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  }
  ~ClamdProcess() { Stop(); }
  ClamdProcess(const ClamdProcess&) = delete;
  ClamdProcess& operator=(const ClamdProcess&) = delete;

  static bool Installed() { return ::access(kClamdBinary, X_OK) == 0; }

  const std::string& socket_path() const { return socket_path_; }
  std::chrono::milliseconds start_up() const { return start_up_; }

  // What clamd wrote to standard output and error, and its log.
  std::string Output() const {
    std::ostringstream text;
    text << std::ifstream(directory_.path() / "clamd.out").rdbuf()
         << std::ifstream(directory_.path() / "clamd.log").rdbuf();
    return text.str();
  }

 private:
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  unit_test::TemporaryDirectory directory_;
  std::string socket_path_;
  pid_t pid_ = -1;
  std::chrono::milliseconds start_up_{0};
};

}  // namespace egovbox::documents::test
