// A tiny SMTP server on 127.0.0.1 for the outbox tests: it speaks just enough of
// RFC 5321 for libcurl (220 greeting, 250 to EHLO/MAIL/RCPT, 354 to DATA, 250 after
// the final ".", 221 to QUIT), keeps what it receives, and can answer 451 to RCPT
// or to the end of the data to exercise the retry path, or never answer the end of
// the data (a stalled server). One connection at a time, several transactions per
// connection.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace egovbox::notify::test {

class SmtpSink {
 public:
  enum class Mode { kAccept, kFailRecipient, kFailData, kStall };

  struct Received {
    std::string from;  // as in "MAIL FROM:<...>"
    std::vector<std::string> recipients;
    std::string data;  // dot-unstuffed, with the CRLF of its last line
  };

  SmtpSink() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(listener_);
      throw std::runtime_error("bind/listen");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~SmtpSink() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  void set_mode(Mode mode) { mode_ = mode; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  int transactions() const { return transactions_; }  // MAIL FROM commands seen
  int connections() const { return connections_; }
  bool stalled() const { return stalled_; }  // holding a message without an answer

 private:
  void Serve() {
    while (!stop_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      ++connections_;
      Talk(connection);
      ::close(connection);
    }
  }

  // The next CRLF-terminated line, without the CRLF; false when the peer is gone.
  bool ReadLine(int connection, std::string& buffer, std::string& line) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      const auto end = buffer.find("\r\n");
      if (end != std::string::npos) {
        line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      if (stop_ || std::chrono::steady_clock::now() > deadline) return false;
      pollfd ready{connection, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::recv(connection, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  static void Reply(int connection, const std::string& text) {
    const std::string line = text + "\r\n";
    (void)::send(connection, line.data(), line.size(), MSG_NOSIGNAL);
  }

  void Talk(int connection) {
    Reply(connection, "220 sink.test ESMTP");
    std::string buffer;
    std::string line;
    Received current;
    while (ReadLine(connection, buffer, line)) {
      const std::string verb = line.substr(0, 4);
      if (verb == "EHLO" || verb == "HELO") {
        Reply(connection, "250 sink.test");
      } else if (verb == "MAIL") {
        ++transactions_;
        current = Received{};
        current.from = line.substr(10);
        Reply(connection, "250 2.1.0 OK");
      } else if (verb == "RCPT") {
        if (mode_ == Mode::kFailRecipient) {
          Reply(connection, "451 4.3.0 Try again later");
        } else {
          current.recipients.push_back(line.substr(8));
          Reply(connection, "250 2.1.5 OK");
        }
      } else if (verb == "DATA") {
        Reply(connection, "354 End data with <CR><LF>.<CR><LF>");
        while (ReadLine(connection, buffer, line) && line != ".") {
          // RFC 5321 §4.5.2: a leading dot was doubled by the client.
          if (!line.empty() && line.front() == '.') line.erase(0, 1);
          current.data += line + "\r\n";
        }
        if (mode_ == Mode::kStall) {
          // Say nothing until the client gives up and closes the connection.
          stalled_ = true;
          char byte;
          while (!stop_) {
            pollfd ready{connection, POLLIN, 0};
            if (::poll(&ready, 1, 50) > 0 && ::recv(connection, &byte, 1, 0) <= 0) break;
          }
          stalled_ = false;
          return;
        }
        if (mode_ == Mode::kFailData) {
          Reply(connection, "451 4.3.0 Mailbox busy");
        } else {
          {
            std::lock_guard lock(mutex_);
            received_.push_back(current);
          }
          Reply(connection, "250 2.0.0 Queued");
        }
      } else if (verb == "QUIT") {
        Reply(connection, "221 2.0.0 Bye");
        return;
      } else {
        Reply(connection, "250 OK");  // RSET, NOOP
      }
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<Mode> mode_{Mode::kAccept};
  std::atomic<int> transactions_{0};
  std::atomic<int> connections_{0};
  std::atomic<bool> stalled_{false};
  std::mutex mutex_;
  std::vector<Received> received_;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace egovbox::notify::test
