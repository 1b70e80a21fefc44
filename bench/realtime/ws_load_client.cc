// A client process of `make bench-realtime`, in C++: holds a share of the
// WebSocket connections and notes when each notification arrives, like
// clients.mjs but at a fraction of its CPU, so that on a small machine the
// figures measure the server more than the clients. One thread, epoll, OpenSSL
// in non-blocking mode. Started by bench.mjs with an IPC channel: Node's
// JSON-lines protocol on the descriptor named by NODE_CHANNEL_FD; the commands
// and replies are those documented in clients.mjs.
//
// Dials only 127.0.0.1. Does not check the server's certificate: it is the
// benchmark's own server on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using nlohmann::json;

std::int64_t MonotonicNanoseconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double CpuMilliseconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

enum class Stage { kConnecting, kHandshaking, kUpgrading, kOpen, kClosed };

struct Connection {
  std::string id;
  int employee = 0;
  std::string phase;
  std::string cookie;
  int fd = -1;
  SSL* ssl = nullptr;
  Stage stage = Stage::kConnecting;
  std::string outbound;                          // bytes for SSL_write
  std::string inbound;                           // plaintext not yet parsed
  std::map<std::string, std::int64_t> arrivals;  // meeting id -> monotonic ns
  std::int64_t deadline = 0;                     // for opening
  bool upgraded = false;                         // the 101 has arrived
  bool closing = false;
};

class LoadClient {
 public:
  explicit LoadClient(int channel) : channel_(channel) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    context_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(context_, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_mode(context_, SSL_MODE_RELEASE_BUFFERS);
    Watch(channel_, EPOLLIN, nullptr);
  }

  void Run() {
    std::vector<epoll_event> events(1024);
    while (!stopping_) {
      const int count = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 20);
      for (int i = 0; i < count; ++i) {
        auto* connection = static_cast<Connection*>(events[i].data.ptr);
        if (connection == nullptr) {
          ReadChannel();
        } else {
          Drive(*connection, events[i].events);
        }
      }
      Tick();
    }
  }

 private:
  void Watch(int fd, std::uint32_t events, Connection* connection) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = connection;
    if (epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &event) != 0) epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
  }

  // --- the IPC channel -------------------------------------------------------

  void ReadChannel() {
    char buffer[65536];
    const ssize_t read = ::read(channel_, buffer, sizeof buffer);
    if (read <= 0) {
      stopping_ = true;  // the parent is gone
      return;
    }
    channel_in_.append(buffer, static_cast<std::size_t>(read));
    for (auto end = channel_in_.find('\n'); end != std::string::npos; end = channel_in_.find('\n')) {
      const std::string line = channel_in_.substr(0, end);
      channel_in_.erase(0, end + 1);
      if (!line.empty()) Handle(json::parse(line));
    }
  }

  void Reply(const json& command, json reply) {
    reply["seq"] = command["seq"];
    const std::string line = reply.dump() + "\n";
    for (std::size_t sent = 0; sent < line.size();) {
      const ssize_t written = ::write(channel_, line.data() + sent, line.size() - sent);
      if (written < 0 && errno != EINTR && errno != EAGAIN) return;
      if (written > 0) sent += static_cast<std::size_t>(written);
    }
  }

  void Handle(const json& command) {
    const std::string type = command.value("type", "");
    if (type == "open") {
      StartOpening(command);
    } else if (type == "collect") {
      collect_ = command;
      collect_deadline_ = MonotonicNanoseconds() + command.value("timeoutMs", 30000) * 1'000'000LL;
    } else if (type == "forget") {
      for (auto& [id, connection] : connections_) connection->arrivals.clear();
      cpu_mark_ = CpuMilliseconds();
      Reply(command, json::object());
    } else if (type == "status") {
      std::size_t open = 0;
      for (auto& [id, connection] : connections_) open += connection->stage == Stage::kOpen ? 1 : 0;
      json codes = json::object();
      for (auto& [code, count] : close_codes_) codes[std::to_string(code)] = count;
      Reply(command,
            {{"open", open}, {"lost", lost_}, {"closeCodes", codes}, {"invalid", invalid_}, {"rssKiB", RssKiB()}});
    } else if (type == "close") {
      CloseAll(command);
    } else {
      Reply(command, {{"error", "unknown command " + type}});
    }
  }

  // --- opening ---------------------------------------------------------------

  void StartOpening(const json& command) {
    opening_ = command;
    port_ = command["port"].get<int>();
    waiting_.clear();
    for (const auto& item : command["items"]) {
      auto connection = std::make_unique<Connection>();
      connection->id = item["id"].get<std::string>();
      connection->employee = item["employee"].get<int>();
      connection->cookie = item["cookie"].get<std::string>();
      connection->phase = command["phase"].get<std::string>();
      waiting_.push_back(std::move(connection));
    }
    opened_ = 0;
    failures_ = json::object();
    in_flight_ = 0;
    OpenMore();
  }

  void OpenMore() {
    const int concurrency = opening_->value("concurrency", 64);
    const std::int64_t timeout = opening_->value("timeoutMs", 30000) * 1'000'000LL;
    while (in_flight_ < concurrency && !waiting_.empty()) {
      auto connection = std::move(waiting_.front());
      waiting_.pop_front();
      connection->deadline = MonotonicNanoseconds() + timeout;
      Connection& placed = *connection;
      connections_[connection->id] = std::move(connection);
      ++in_flight_;
      Connect(placed);
    }
    if (in_flight_ == 0 && waiting_.empty() && opening_) {
      Reply(*opening_, {{"opened", opened_},
                        {"failed", (*opening_)["items"].size() - opened_},
                        {"failures", failures_},
                        {"extensions", nullptr}});
      opening_.reset();
    }
  }

  void Connect(Connection& connection) {
    connection.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(connection.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(connection.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
      OpenFailed(connection, "connect failed");
      return;
    }
    connection.ssl = SSL_new(context_);
    SSL_set_fd(connection.ssl, connection.fd);
    SSL_set_tlsext_host_name(connection.ssl, "localhost");
    SSL_set_connect_state(connection.ssl);
    connection.stage = Stage::kConnecting;
    Watch(connection.fd, EPOLLOUT | EPOLLIN, &connection);
  }

  void OpenFailed(Connection& connection, const std::string& reason) {
    failures_[reason] = failures_.value(reason, 0) + 1;
    Drop(connection);
    --in_flight_;
    OpenMore();
  }

  void Opened(Connection& connection) {
    connection.stage = Stage::kOpen;
    ++opened_;
    --in_flight_;
    OpenMore();
  }

  // --- I/O -------------------------------------------------------------------

  void Drive(Connection& connection, std::uint32_t events) {
    if (connection.stage == Stage::kClosed) return;
    if (connection.stage == Stage::kConnecting) {
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0 || (events & (EPOLLERR | EPOLLHUP)) != 0) {
        OpenFailed(connection, "connect failed");
        return;
      }
      connection.stage = Stage::kHandshaking;
    }
    if (connection.stage == Stage::kHandshaking) {
      ERR_clear_error();
      const int result = SSL_do_handshake(connection.ssl);
      if (result != 1) {
        const int reason = SSL_get_error(connection.ssl, result);
        if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return;
        OpenFailed(connection, "TLS handshake failed");
        return;
      }
      connection.stage = Stage::kUpgrading;
      connection.outbound =
          "GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\nOrigin: https://127.0.0.1:" +
          std::to_string(port_) + "\r\nCookie: " + connection.cookie + "\r\n\r\n";
    }
    Flush(connection);
    if (connection.stage != Stage::kClosed) ReadAll(connection);
  }

  void Flush(Connection& connection) {
    while (!connection.outbound.empty()) {
      ERR_clear_error();
      std::size_t written = 0;
      if (SSL_write_ex(connection.ssl, connection.outbound.data(), connection.outbound.size(), &written) != 1) {
        const int reason = SSL_get_error(connection.ssl, 0);
        if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return;
        Lost(connection, 1006);
        return;
      }
      connection.outbound.erase(0, written);
    }
  }

  void ReadAll(Connection& connection) {
    char buffer[16384];
    for (;;) {
      ERR_clear_error();
      std::size_t read = 0;
      const int result = SSL_read_ex(connection.ssl, buffer, sizeof buffer, &read);
      if (result != 1) {
        const int reason = SSL_get_error(connection.ssl, result);
        if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return;
        if (connection.stage == Stage::kOpen) {
          Lost(connection, 1006);
        } else {
          OpenFailed(connection, "closed before hello");
        }
        return;
      }
      const std::int64_t at = MonotonicNanoseconds();  // first, before any work of ours
      connection.inbound.append(buffer, read);
      if (!connection.upgraded && !ReadUpgrade(connection)) return;
      ParseFrames(connection, at);
      if (connection.stage == Stage::kClosed) return;
    }
  }

  // False while the answer is incomplete, or when the upgrade was refused.
  bool ReadUpgrade(Connection& connection) {
    const auto end = connection.inbound.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    if (connection.inbound.rfind("HTTP/1.1 101", 0) != 0) {
      OpenFailed(connection, "upgrade refused with HTTP " + connection.inbound.substr(9, 3));
      return false;
    }
    connection.inbound.erase(0, end + 4);
    connection.upgraded = true;  // open once hello arrives
    return true;
  }

  void ParseFrames(Connection& connection, std::int64_t at) {
    auto& data = connection.inbound;
    for (;;) {
      if (data.size() < 2) return;
      const auto first = static_cast<unsigned char>(data[0]);
      std::uint64_t length = static_cast<unsigned char>(data[1]) & 0x7f;
      std::size_t header = 2;
      if (length == 126) {
        if (data.size() < 4) return;
        length = (static_cast<unsigned char>(data[2]) << 8) | static_cast<unsigned char>(data[3]);
        header = 4;
      } else if (length == 127) {
        if (data.size() < 10) return;
        length = 0;
        for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<unsigned char>(data[i]);
        header = 10;
      }
      if (data.size() < header + length) return;
      const std::string payload = data.substr(header, length);
      data.erase(0, header + length);
      switch (first & 0x0f) {
        case 1: OnText(connection, payload, at); break;
        case 8:
          Lost(connection, payload.size() >= 2
                               ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
                               : 1005);
          return;
        case 9: SendFrame(connection, 0x0a, payload); break;  // pong
        default: break;
      }
    }
  }

  void OnText(Connection& connection, const std::string& payload, std::int64_t at) {
    const auto message = json::parse(payload, nullptr, false);
    if (!message.is_object()) {
      ++invalid_;
      return;
    }
    const std::string type = message.value("type", "");
    if (type == "hello" && connection.stage == Stage::kUpgrading) {
      Opened(connection);
    } else if (type == "notification") {
      const auto& id = message["notification"]["payload"]["meeting_id"];
      if (id.is_string()) connection.arrivals.try_emplace(id.get<std::string>(), at);
    }
  }

  // Client frames are masked (RFC 6455 §5.3); a zero mask keeps the payload as it is.
  void SendFrame(Connection& connection, unsigned char opcode, const std::string& payload) {
    std::string frame;
    frame.push_back(static_cast<char>(0x80 | opcode));
    frame.push_back(static_cast<char>(0x80 | payload.size()));
    frame.append(4, '\0');
    frame.append(payload);
    connection.outbound += frame;
    Flush(connection);
  }

  void Lost(Connection& connection, int code) {
    if (connection.stage == Stage::kOpen && !connection.closing) {
      ++lost_;
      ++close_codes_[code];
    }
    Drop(connection);
  }

  void Drop(Connection& connection) {
    connection.stage = Stage::kClosed;
    if (connection.ssl != nullptr) SSL_free(connection.ssl);
    connection.ssl = nullptr;
    if (connection.fd >= 0) close(connection.fd);
    connection.fd = -1;
  }

  // --- collecting and closing ------------------------------------------------

  void Tick() {
    const std::int64_t now = MonotonicNanoseconds();
    if (opening_) {
      std::vector<Connection*> late;  // failed after the loop: OpenMore adds to connections_
      for (auto& [id, connection] : connections_) {
        if ((connection->stage == Stage::kConnecting || connection->stage == Stage::kHandshaking ||
             connection->stage == Stage::kUpgrading) &&
            connection->deadline != 0 && now > connection->deadline) {
          connection->deadline = 0;
          late.push_back(connection.get());
        }
      }
      for (Connection* connection : late) OpenFailed(*connection, "no hello in time");
    }
    if (collect_) FinishCollectIfDone(now);
  }

  void FinishCollectIfDone(std::int64_t now) {
    const json& command = *collect_;
    const std::string meeting =
        command["meetingId"].is_string() ? command["meetingId"].get<std::string>() : command["meetingId"].dump();
    const std::string phase = command["phase"].get<std::string>();
    const int organiser = command["organiser"].get<int>();
    const std::int64_t start =
        std::stoll(command["t0"].is_string() ? command["t0"].get<std::string>() : command["t0"].dump());
    std::size_t expected = 0;
    json latencies = json::array();
    for (auto& [id, connection] : connections_) {
      if (connection->phase != phase || connection->stage != Stage::kOpen || connection->employee == organiser)
        continue;
      ++expected;
      const auto arrival = connection->arrivals.find(meeting);
      if (arrival != connection->arrivals.end()) latencies.push_back((arrival->second - start) / 1e6);
    }
    if (latencies.size() < expected && now < collect_deadline_) return;
    Reply(command, {{"expected", expected},
                    {"latencies", latencies},
                    {"missing", expected - latencies.size()},
                    {"cpuMs", CpuMilliseconds() - cpu_mark_}});
    collect_.reset();
  }

  void CloseAll(const json& command) {
    const bool all = !command.contains("phase") || command["phase"].is_null();
    std::size_t closed = 0;
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection& connection = *it->second;
      if (!all && connection.phase != command["phase"].get<std::string>()) {
        ++it;
        continue;
      }
      if (connection.stage == Stage::kOpen) {
        connection.closing = true;
        SendFrame(connection, 0x08, std::string("\x03\xe8", 2));
        ++closed;
      }
      Drop(connection);
      it = connections_.erase(it);
    }
    Reply(command, {{"closed", closed}});
  }

  int channel_;
  int epoll_ = -1;
  SSL_CTX* context_ = nullptr;
  int port_ = 0;
  bool stopping_ = false;
  std::string channel_in_;
  std::unordered_map<std::string, std::unique_ptr<Connection>> connections_;
  std::deque<std::unique_ptr<Connection>> waiting_;
  std::optional<json> opening_;
  std::optional<json> collect_;
  std::int64_t collect_deadline_ = 0;
  int in_flight_ = 0;
  std::size_t opened_ = 0;
  json failures_ = json::object();
  std::size_t lost_ = 0;
  std::size_t invalid_ = 0;
  std::map<int, std::size_t> close_codes_;
  double cpu_mark_ = CpuMilliseconds();
};

}  // namespace

int main() {
  const char* channel = std::getenv("NODE_CHANNEL_FD");
  if (channel == nullptr) {
    std::fprintf(stderr, "ws_load_client: start me from bench.mjs (no NODE_CHANNEL_FD)\n");
    return 2;
  }
  LoadClient client(std::atoi(channel));
  client.Run();
  return 0;
}
