// Meetings' side of the SFU: who may enter a meeting's media room, the
// signaling between a tab's WebSocket and the engine, and attendance.
//
// A tab sends media.join with the capability from POST /meetings/{id}/join;
// the capability is checked here (signature, expiry, this meeting, this
// employee) and only then is the tab admitted into the room named by the
// meeting's id. The engine's messages for a participant go to the tab that
// joined; the tab's media.* messages go to the engine, but only for the
// meeting it joined. The engine's joined/left events are written to
// meeting_attendance (who, when in, when out, why) by a thread of its own,
// since the engine and the WebSocket threads must not wait for the store.
//
// Thread-safe. Attach the engine before serving starts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/problem.h"
#include "media/sfu.h"
#include "meetings/meeting_service.h"
#include "meetings/turn_credentials.h"
#include "realtime/hub.h"
#include "store/database.h"

namespace egovbox::meetings {

class MeetingMedia final : public media::SfuObserver {
 public:
  MeetingMedia(realtime::Hub& hub, MeetingService& meetings, store::Database& database);
  ~MeetingMedia() override;  // finishes the attendance writes queued so far
  MeetingMedia(const MeetingMedia&) = delete;
  MeetingMedia& operator=(const MeetingMedia&) = delete;

  // Closes attendance left open by a server that stopped (a crash) and registers
  // the WebSocket handlers. Before serving starts.
  void Start(media::Sfu& sfu);
  // A TURN server for the pages (docs/turn.md): media.joined then carries
  // ice_servers with time-limited credentials. Before Start.
  void SetTurn(TurnOptions turn) { turn_ = std::move(turn); }

  // Before the engine goes: finishes the queued store work, forgets the engine and
  // ends the visits still open. Idempotent; the destructor calls it too.
  void Stop();

  // Every tab of the employee leaves the meeting's media (POST /meetings/{id}/leave,
  // or "removed" by a host); each tab is told with media.left and `reason`.
  void LeaveMeeting(const std::string& employee_id, const std::string& meeting_id, std::string_view reason = "left");

  // Host controls (HostControls checks who may, and acts after its audit committed).
  // Whether the participant is in that meeting's media (its engine join may be pending).
  bool InMeeting(const std::string& meeting_id, const std::string& participant_id) const;
  // Holds the participant's source muted (media::Room::HostMute): at once, or, while
  // the engine join is still pending, right after it. The hold is the participant's,
  // so a track published later from that source starts held. False when the
  // participant is not in that meeting's media.
  bool HostMute(const std::string& meeting_id, const std::string& participant_id, media::TrackSource source);
  // The participants in the meeting's media who are not a host or co-host: whom
  // mute-all asks (HostMute of each one's microphone).
  std::vector<std::string> ParticipantsNotHosting(const std::string& meeting_id) const;
  // Every tab in the meeting leaves with media.left {reason: "ended"}.
  void EndMeeting(const std::string& meeting_id);
  // Takes the participant's hand down (false: not in that meeting).
  bool LowerHand(const std::string& meeting_id, const std::string& participant_id);
  // A message for every tab in the meeting's media.
  void Broadcast(const std::string& meeting_id, const nlohmann::json& message);
  // GET /meetings/{id}/attendance: for anyone who may see the meeting.
  http::Result<nlohmann::json> Attendance(const std::string& actor_id, const std::string& meeting_id);

  // media::SfuObserver, on the engine's threads.
  void Deliver(const std::string& participant_id, const nlohmann::json& message) override;
  void ParticipantJoined(const std::string& room_id, const std::string& participant_id,
                         const nlohmann::json& info) override;
  void ParticipantLeft(const std::string& room_id, const std::string& participant_id, const nlohmann::json& info,
                       std::string_view reason) override;

 private:
  TurnOptions turn_;  // set before Start, read-only after

  struct Member {
    std::weak_ptr<http::WebSocketPeer> peer;
    std::string meeting_id;
    std::string employee_id;
    std::string role;  // from the capability: host, co-host or participant
    // Until the store thread hands the participant to the engine (Sfu::Join), a
    // host's mutes wait here; they go to the engine right after its join.
    bool in_engine = false;
    std::vector<media::TrackSource> pending_holds;
  };
  // A raised hand: the queue is in the order hands went up.
  struct Hand {
    std::string participant_id;
    std::string employee_id;
    std::int64_t raised_at = 0;  // Unix milliseconds
  };
  // Per tab, at most kMessagesPerWindow media.* messages in kMessageWindow: each one
  // may cost the engine work for every participant of the room.
  static constexpr int kMessagesPerWindow = 40;
  static constexpr std::chrono::seconds kMessageWindow{5};
  struct Budget {
    std::chrono::steady_clock::time_point window_start{};
    int used = 0;
  };
  bool WithinBudget(const http::WebSocketPeer& peer);
  static void RefuseOverBudget(http::WebSocketPeer& peer, const nlohmann::json& message);

  void Join(const std::shared_ptr<http::WebSocketPeer>& peer, const nlohmann::json& message);
  void Forward(const std::shared_ptr<http::WebSocketPeer>& peer, const nlohmann::json& message);
  void LeaveTab(const std::shared_ptr<http::WebSocketPeer>& peer);
  // media.hand {raised}: the tab's own hand up or down.
  void RaiseHand(const std::shared_ptr<http::WebSocketPeer>& peer, const nlohmann::json& message);
  // The participant is gone: its hand too (the others are told).
  void ForgetHand(const std::string& meeting_id, const std::string& participant_id);
  nlohmann::json HandsMessage(const std::string& meeting_id) const;  // under mutex_
  // After media.join was accepted: the hosts' decisions (removed, ended, locked,
  // the lobby), checked in the store; a problem's slug when refused. Store thread.
  std::string EntryRefusal(const std::string& meeting_id, const std::string& employee_id);
  // The participant this tab is in the meeting as, if any.
  std::string ParticipantOf(const http::WebSocketPeer& peer) const;
  // Runs `work` on the store thread, in order.
  void OnStoreThread(std::function<void()> work);
  void RunStoreThread();

  realtime::Hub& hub_;
  MeetingService& meetings_;
  store::Database& database_;
  mutable std::mutex mutex_;
  media::Sfu* sfu_ = nullptr;                        // GUARDED_BY(mutex_) once serving; null after Stop
  std::unordered_map<std::string, Member> members_;  // GUARDED_BY(mutex_) participant id →
  std::unordered_map<const http::WebSocketPeer*, std::string> tabs_;  // GUARDED_BY(mutex_) → participant id
  std::unordered_map<const http::WebSocketPeer*, Budget> budgets_;    // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::vector<Hand>> hands_;  // GUARDED_BY(mutex_) meeting id → raised, oldest first

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(queue_mutex_)
  bool stopping_ = false;                    // GUARDED_BY(queue_mutex_)
  std::thread store_thread_;
};

}  // namespace egovbox::meetings
