// A WebSocket tab for unit tests: keeps every message the hub sends it and counts
// the times it was told to close.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/websocket.h"

namespace egovbox::test {

class RecordingPeer : public http::WebSocketPeer {
 public:
  explicit RecordingPeer(std::string employee_id, std::string session_id = "") {
    principal_.subject_id = std::move(employee_id);
    principal_.session_id = session_id.empty() ? "session-" + principal_.subject_id : std::move(session_id);
  }
  void Send(std::shared_ptr<const std::string> message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(nlohmann::json::parse(*message));
  }
  void Close() override { ++closes_; }
  const http::Principal& principal() const override { return principal_; }

  std::vector<nlohmann::json> Messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  // The messages of one type, in order.
  std::vector<nlohmann::json> Of(const std::string& type) {
    std::vector<nlohmann::json> out;
    for (auto& message : Messages()) {
      if (message.value("type", "") == type) out.push_back(std::move(message));
    }
    return out;
  }
  void Clear() {
    std::lock_guard lock(mutex_);
    messages_.clear();
  }
  int closes() const { return closes_; }

 private:
  http::Principal principal_;
  std::mutex mutex_;
  std::vector<nlohmann::json> messages_;
  std::atomic<int> closes_{0};
};

}  // namespace egovbox::test
