// What the loopback SFU tests (sfu_loopback_test.cc, sfu_tcp_test.cc,
// sfu_simulcast_test.cc) share: an Sfu started on 127.0.0.1 with one worker, an
// observer that queues what the SFU says for the test thread to wait on, and the
// signaling messages a browser sends (docs/media.md "Signaling").
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "fake_browser.h"
#include "media/sfu.h"

namespace egovbox::media::test {

// Queues what the SFU says, for the test thread to wait on (up to `wait`).
class SfuMessageQueue final : public SfuObserver {
 public:
  explicit SfuMessageQueue(std::chrono::milliseconds wait = std::chrono::seconds(2)) : wait_(wait) {}

  void Deliver(const std::string& participant_id, const nlohmann::json& message) override {
    const std::lock_guard lock(mutex_);
    messages_.emplace_back(participant_id, message);
    changed_.notify_all();
  }
  void ParticipantJoined(const std::string& room_id, const std::string& participant_id,
                         const nlohmann::json&) override {
    const std::lock_guard lock(mutex_);
    events_.push_back("joined " + room_id + " " + participant_id);
    changed_.notify_all();
  }
  void ParticipantLeft(const std::string& room_id, const std::string& participant_id, const nlohmann::json&,
                       std::string_view reason) override {
    const std::lock_guard lock(mutex_);
    events_.push_back("left " + room_id + " " + participant_id + " " + std::string(reason));
    changed_.notify_all();
  }

  // Takes the first message of `type` for the participant, waiting for it.
  nlohmann::json WaitFor(const std::string& participant_id, const std::string& type) {
    std::unique_lock lock(mutex_);
    std::optional<nlohmann::json> found;
    changed_.wait_for(lock, wait_, [&] {
      for (auto it = messages_.begin(); it != messages_.end(); ++it) {
        if (it->first == participant_id && it->second.value("type", "") == type) {
          found = std::move(it->second);
          messages_.erase(it);
          return true;
        }
      }
      return false;
    });
    if (!found) {
      constexpr std::size_t kShown = 200;
      std::string queued;
      for (const auto& [to, message] : messages_) queued += to + ": " + message.dump().substr(0, kShown) + "\n";
      ADD_FAILURE() << "no " << type << " for " << participant_id << "; queued:\n" << queued;
      return nlohmann::json::object();
    }
    return *found;
  }

  // Waits for a "joined <room> <participant>" or "left <room> <participant> <reason>".
  bool WaitForEvent(const std::string& event) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, wait_,
                             [&] { return std::find(events_.begin(), events_.end(), event) != events_.end(); });
  }

  // Messages of `type` queued for the participant now.
  std::vector<nlohmann::json> Queued(const std::string& participant_id, const std::string& type) {
    const std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> found;
    for (const auto& [to, message] : messages_) {
      if (to == participant_id && message.value("type", "") == type) found.push_back(message);
    }
    return found;
  }

 private:
  const std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<std::string, nlohmann::json>> messages_;  // GUARDED_BY(mutex_)
  std::vector<std::string> events_;                              // GUARDED_BY(mutex_)
};

// An SFU on 127.0.0.1, ports the kernel picks, one worker; null and `error` set on failure.
inline std::unique_ptr<Sfu> StartLoopbackSfu(SfuObserver& observer, std::string* error) {
  SfuOptions options;
  options.bind_address = "127.0.0.1";
  options.first_port = 0;
  options.workers = 1;
  return Sfu::Start(options, observer, error);
}

// media.publish of `sdp` with mid 0 as the microphone and mid 1 as the camera.
inline nlohmann::json PublishMessage(const std::string& sdp) {
  return {{"type", "media.publish"},
          {"sdp", sdp},
          {"tracks", {{{"mid", "0"}, {"source", "microphone"}}, {{"mid", "1"}, {"source", "camera"}}}}};
}

// media.subscribe.answer to `offer` (a media.subscribe.offer) with `sdp`.
inline nlohmann::json SubscribeAnswerMessage(const nlohmann::json& offer, const std::string& sdp) {
  return {{"type", "media.subscribe.answer"}, {"version", offer.value("version", nlohmann::json())}, {"sdp", sdp}};
}

// The mid of the (last) video track of a media.subscribe.offer; empty when none.
inline std::string VideoMidOf(const nlohmann::json& offer) {
  std::string mid;
  for (const nlohmann::json& track : offer.value("tracks", nlohmann::json::array())) {
    if (track["kind"] == "video") mid = track["mid"].get<std::string>();
  }
  return mid;
}

// Points `browser` at the SFU's end in `sdp` (an answer or offer from it), then
// runs the ICE checks and the DTLS handshake; false when any step fails.
inline bool ConnectToSfu(FakeBrowser& browser, std::string_view sdp) {
  const auto server = ServerTransportOf(sdp);
  if (!server) return false;
  browser.SetServer(*server);
  return browser.Check() && browser.Handshake();
}

// The value of counter `name` in Sfu::RenderMetrics' text; 0 and a failure when absent.
inline std::uint64_t Metric(const std::string& metrics, const std::string& name) {
  const std::size_t at = metrics.find("\n" + name + " ");
  if (at == std::string::npos) {
    ADD_FAILURE() << name << " not in\n" << metrics;
    return 0;
  }
  return std::stoull(metrics.substr(at + name.size() + 2));
}

// A test with a running loopback SFU (observer_ outlives it) and the captured
// microphone and camera offer (tests/data/sdp/publish_audio_video.offer.sdp).
class SfuLoopbackFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitializeCrypto(); }

  void SetUp() override {
    std::string error;
    sfu_ = StartLoopbackSfu(observer_, &error);
    ASSERT_TRUE(sfu_) << error;
    offer_ = ReadSdpFile("publish_audio_video.offer.sdp");
    ASSERT_FALSE(offer_.empty());
    ssrcs_ = SsrcsByMid(offer_);
    ASSERT_TRUE(ssrcs_.contains("0") && ssrcs_.contains("1"));
  }

  // Joins `id` into room "r" and takes its media.subscribe.offer.
  nlohmann::json JoinAndTakeSubscribeOffer(const std::string& id) {
    sfu_->Join("r", id, {{"name", id}});
    observer_.WaitFor(id, "media.joined");
    return observer_.WaitFor(id, "media.subscribe.offer");
  }

  SfuMessageQueue observer_;  // outlives the SFU, which calls it until it is gone
  std::unique_ptr<Sfu> sfu_;
  std::string offer_;                           // the captured publish offer
  std::map<std::string, std::uint32_t> ssrcs_;  // its SSRCs by mid
};

}  // namespace egovbox::media::test
