#include "documents/clamd_client.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "clamd_process.h"
#include "temporary_directory.h"

namespace egovbox::documents {
namespace {

using Outcome = ScanVerdict::Outcome;
constexpr std::chrono::milliseconds kTimeout{5000};
constexpr std::size_t kMiB = std::size_t{1024} * 1024;

// A ByteSource over `bytes`, handed out `piece` bytes at a time at most.
ByteSource Bytes(std::string bytes, std::size_t piece = 65536) {
  auto data = std::make_shared<std::string>(std::move(bytes));
  auto offset = std::make_shared<std::size_t>(0);
  return [data, offset, piece](std::span<char> out) {
    const std::size_t count = std::min({out.size(), piece, data->size() - *offset});
    std::memcpy(out.data(), data->data() + *offset, count);
    *offset += count;
    return count;
  };
}

// A Unix socket listening at `path`, for stand-in daemons. Throws when it cannot.
int ListenAt(const std::string& path) {
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener, 4) != 0) {
    throw std::runtime_error("cannot listen at " + path);
  }
  return listener;
}

// One clamd for the whole suite: starting it is the slow part.
test::ClamdProcess* suite_clamd = nullptr;
std::string suite_clamd_error;

class ClamdClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!test::ClamdProcess::Installed()) return;
    try {
      suite_clamd = new test::ClamdProcess();
      std::printf("[          ] clamd answered PING %lld ms after it was started\n",
                  static_cast<long long>(suite_clamd->start_up().count()));
    } catch (const std::exception& error) {
      suite_clamd_error = error.what();
    }
  }
  static void TearDownTestSuite() {
    delete suite_clamd;
    suite_clamd = nullptr;
  }
  void SetUp() override {
    if (!suite_clamd_error.empty()) FAIL() << suite_clamd_error;
    if (suite_clamd == nullptr) GTEST_SKIP() << test::kClamdBinary << " is not installed (Debian: clamav-daemon)";
  }

  ClamdClient Client() const { return ClamdClient(suite_clamd->socket_path(), kTimeout); }
};

TEST_F(ClamdClientTest, AnswersPing) {
  EXPECT_TRUE(Client().Ping());
}

TEST_F(ClamdClientTest, FindsTheEicarTestFile) {
  const ScanVerdict verdict = Client().Scan(Bytes(test::EicarBytes()));
  EXPECT_EQ(verdict.outcome, Outcome::kInfected) << verdict.detail;
  // clamd adds ".UNOFFICIAL" to signatures from databases it does not know.
  EXPECT_TRUE(verdict.detail.starts_with("Eicar-Test-Signature")) << verdict.detail;
}

TEST_F(ClamdClientTest, FindsTheEicarTestFileHandedOutByteByByte) {
  const ScanVerdict verdict = Client().Scan(Bytes(test::EicarBytes(), 1));
  EXPECT_EQ(verdict.outcome, Outcome::kInfected) << verdict.detail;
}

TEST_F(ClamdClientTest, PassesCleanBytes) {
  const ScanVerdict verdict = Client().Scan(Bytes("%PDF-1.4\nnothing to see here\n"));
  EXPECT_EQ(verdict.outcome, Outcome::kClean) << verdict.detail;
  EXPECT_EQ(verdict.detail, "");
}

TEST_F(ClamdClientTest, PassesAnEmptyStream) {
  EXPECT_EQ(Client().Scan(Bytes("")).outcome, Outcome::kClean);
}

TEST_F(ClamdClientTest, PassesCleanBytesOverSeveralChunks) {
  std::string bytes(300 * std::size_t{1024}, 'a');
  for (std::size_t i = 0; i < bytes.size(); i += 97) bytes[i] = static_cast<char>('a' + i % 26);
  const ScanVerdict verdict = Client().Scan(Bytes(bytes));
  EXPECT_EQ(verdict.outcome, Outcome::kClean) << verdict.detail;
}

TEST_F(ClamdClientTest, ReportsTheStreamSizeLimitAsTooLarge) {
  // The suite's clamd has StreamMaxLength 1 MiB: a retry would be refused the same way.
  const ScanVerdict verdict = Client().Scan(Bytes(std::string(3 * kMiB, 'x')));
  EXPECT_EQ(verdict.outcome, Outcome::kTooLarge);
  EXPECT_NE(verdict.detail.find("StreamMaxLength"), std::string::npos) << verdict.detail;
}

TEST_F(ClamdClientTest, ScansFromSeveralThreadsAtOnce) {
  const ClamdClient client = Client();
  std::vector<std::thread> threads;
  std::vector<Outcome> outcomes(8);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    threads.emplace_back(
        [&, i] { outcomes[i] = client.Scan(Bytes(i % 2 == 0 ? test::EicarBytes() : std::string("clean"))).outcome; });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i], i % 2 == 0 ? Outcome::kInfected : Outcome::kClean) << i;
  }
}

// Without a daemon: no clamd is needed for these.

TEST(ClamdClientUnavailableTest, ReportsAMissingSocket) {
  unit_test::TemporaryDirectory directory;
  const ClamdClient client((directory.path() / "no-such.sock").string(), kTimeout);
  EXPECT_FALSE(client.Ping());
  const ScanVerdict verdict = client.Scan(Bytes(test::EicarBytes()));
  EXPECT_EQ(verdict.outcome, Outcome::kUnavailable);
  EXPECT_NE(verdict.detail.find("connect"), std::string::npos) << verdict.detail;
}

TEST(ClamdClientUnavailableTest, ReportsARefusedTcpConnection) {
  // Port 1 on loopback: nothing listens there in a test environment.
  const ClamdClient client("tcp://127.0.0.1:1", kTimeout);
  EXPECT_EQ(client.Scan(Bytes("x")).outcome, Outcome::kUnavailable);
  EXPECT_FALSE(client.Ping());
}

TEST(ClamdClientUnavailableTest, ReportsBadAddresses) {
  for (const std::string& address : std::vector<std::string>{
           "", "tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp://:3310", "/" + std::string(200, 'a')}) {
    const ScanVerdict verdict = ClamdClient(address, kTimeout).Scan(Bytes("x"));
    EXPECT_EQ(verdict.outcome, Outcome::kUnavailable) << address;
    EXPECT_FALSE(verdict.detail.empty()) << address;
  }
}

// A socket that accepts and then neither reads nor answers: the client gives up
// after its timeout instead of hanging.
TEST(ClamdClientUnavailableTest, TimesOutOnASilentDaemon) {
  unit_test::TemporaryDirectory directory;
  const std::string path = (directory.path() / "silent.sock").string();
  const int listener = ListenAt(path);

  const ClamdClient client(path, std::chrono::milliseconds(200));
  const auto started = std::chrono::steady_clock::now();
  const ScanVerdict verdict = client.Scan(Bytes("clean"));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(verdict.outcome, Outcome::kUnavailable);
  EXPECT_NE(verdict.detail.find("timed out"), std::string::npos) << verdict.detail;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  // A large stream fills the socket buffers and times out on sending.
  const ScanVerdict large = client.Scan(Bytes(std::string(8 * kMiB, 'x')));
  EXPECT_EQ(large.outcome, Outcome::kUnavailable);
  EXPECT_NE(large.detail.find("timed out"), std::string::npos) << large.detail;
  ::close(listener);
}

// A daemon that reads the command and closes at once: unavailable, and no SIGPIPE
// ends the test process.
TEST(ClamdClientUnavailableTest, SurvivesADaemonThatHangsUp) {
  unit_test::TemporaryDirectory directory;
  const std::string path = (directory.path() / "rude.sock").string();
  const int listener = ListenAt(path);
  std::thread daemon([listener] {
    const int connection = ::accept(listener, nullptr, nullptr);
    char command[10];
    (void)::recv(connection, command, sizeof command, MSG_WAITALL);
    ::close(connection);
  });

  const ScanVerdict verdict = ClamdClient(path, kTimeout).Scan(Bytes(std::string(4 * kMiB, 'x')));
  daemon.join();
  ::close(listener);
  EXPECT_EQ(verdict.outcome, Outcome::kUnavailable);
  EXPECT_FALSE(verdict.detail.empty());
}

// A reply as clamd ends it after a 'z' command: with a NUL.
std::string Reply(std::string_view text) {
  return std::string(text) + '\0';
}

// A stand-in daemon that reads one INSTREAM to its end and answers `reply`.
class ScriptedDaemon {
 public:
  explicit ScriptedDaemon(std::string reply) : reply_(std::move(reply)) {
    path_ = (directory_.path() / "scripted.sock").string();
    listener_ = ListenAt(path_);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedDaemon() {
    thread_.join();
    ::close(listener_);
  }
  ScriptedDaemon(const ScriptedDaemon&) = delete;
  ScriptedDaemon& operator=(const ScriptedDaemon&) = delete;

  const std::string& path() const { return path_; }
  const std::string& command() const { return command_; }
  std::size_t streamed() const { return streamed_; }

 private:
  void Serve() {
    const int connection = ::accept(listener_, nullptr, nullptr);
    command_.resize(10);
    if (::recv(connection, command_.data(), command_.size(), MSG_WAITALL) == 10) {
      while (true) {
        unsigned char length[4];
        if (::recv(connection, length, 4, MSG_WAITALL) != 4) break;
        const std::size_t size = (std::size_t{length[0]} << 24) | (std::size_t{length[1]} << 16) |
                                 (std::size_t{length[2]} << 8) | std::size_t{length[3]};
        if (size == 0) break;
        std::string chunk(size, '\0');
        if (::recv(connection, chunk.data(), size, MSG_WAITALL) != static_cast<ssize_t>(size)) break;
        streamed_ += size;
      }
    }
    (void)::send(connection, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    ::close(connection);
  }

  unit_test::TemporaryDirectory directory_;
  std::string path_;
  std::string reply_;
  std::string command_;
  std::size_t streamed_ = 0;
  int listener_ = -1;
  std::thread thread_;
};

TEST(ClamdClientProtocolTest, SendsInstreamWithLengthPrefixedChunks) {
  ScriptedDaemon daemon(Reply("stream: OK"));
  const ScanVerdict verdict = ClamdClient(daemon.path(), kTimeout).Scan(Bytes(std::string(200000, 'x'), 3000));
  EXPECT_EQ(verdict.outcome, Outcome::kClean) << verdict.detail;
  EXPECT_EQ(daemon.command(), std::string("zINSTREAM\0", 10));
  EXPECT_EQ(daemon.streamed(), 200000u);
}

TEST(ClamdClientProtocolTest, ReadsTheSignatureName) {
  ScriptedDaemon daemon(Reply("stream: Win.Test.EICAR_HDB-1 FOUND"));
  const ScanVerdict verdict = ClamdClient(daemon.path(), kTimeout).Scan(Bytes("x"));
  EXPECT_EQ(verdict.outcome, Outcome::kInfected);
  EXPECT_EQ(verdict.detail, "Win.Test.EICAR_HDB-1");
}

TEST(ClamdClientProtocolTest, AcceptsAReplyEndedByTheConnectionOrANewline) {
  for (const char* reply : {"stream: OK", "stream: OK\n"}) {
    ScriptedDaemon daemon(reply);
    EXPECT_EQ(ClamdClient(daemon.path(), kTimeout).Scan(Bytes("x")).outcome, Outcome::kClean) << reply;
  }
}

TEST(ClamdClientProtocolTest, TreatsErrorsAndOddAnswersAsUnavailable) {
  for (const std::string& reply :
       {Reply("stream: Can't allocate memory ERROR"), Reply("PONG"), Reply("stream:  FOUND"), std::string()}) {
    ScriptedDaemon daemon(reply);
    const ScanVerdict verdict = ClamdClient(daemon.path(), kTimeout).Scan(Bytes("x"));
    EXPECT_EQ(verdict.outcome, Outcome::kUnavailable) << reply;
    EXPECT_FALSE(verdict.detail.empty()) << reply;
  }
}

}  // namespace
}  // namespace egovbox::documents
