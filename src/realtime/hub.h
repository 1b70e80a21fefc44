// The WebSocket hub: who is connected (every tab of every employee), messages to
// one employee or to everyone, handlers for the few messages a browser sends, and
// presence. In-process; with several nodes, SendTo goes through a shared bus
// (Redis) behind this same interface.
//
// Presence: offline (no tab open), online, do-not-disturb (the person's choice,
// kept by PresenceService), in-meeting (a tab has joined a meeting's media).
// Every change is broadcast as {"type":"presence","employee_id","presence"}.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/websocket.h"

namespace egovbox::realtime {

enum class Presence { kOffline, kOnline, kDoNotDisturb, kInMeeting };
std::string_view PresenceName(Presence presence);

class Hub : public http::WebSocketEndpoint {
 public:
  // Runs on an I/O thread: must not block.
  using MessageHandler = std::function<void(const std::shared_ptr<http::WebSocketPeer>&, const nlohmann::json&)>;

  using ClosedHandler = std::function<void(const std::shared_ptr<http::WebSocketPeer>&)>;

  // Registration happens before serving starts.
  void OnMessage(const std::string& type, MessageHandler handler);
  // Called after a tab's socket closed (its state here is gone already).
  void OnClosed(ClosedHandler handler);

  void Opened(const std::shared_ptr<http::WebSocketPeer>& peer) override;
  void Received(const std::shared_ptr<http::WebSocketPeer>& peer, std::string_view text) override;
  void Closed(const std::shared_ptr<http::WebSocketPeer>& peer) override;

  // Thread-safe; never blocks on a slow client. Serialised once, shared by all tabs.
  void SendTo(const std::string& employee_id, const nlohmann::json& message);
  void SendToAll(const nlohmann::json& message);
  static void SendToPeer(http::WebSocketPeer& peer, const nlohmann::json& message);

  Presence PresenceOf(const std::string& employee_id) const;
  std::size_t ConnectionCount() const;
  void SetDoNotDisturb(const std::string& employee_id, bool on);
  // A tab entered or left a meeting's media.
  void SetInMeeting(const std::shared_ptr<http::WebSocketPeer>& peer, const std::string& meeting_id);
  void ClearInMeeting(const std::shared_ptr<http::WebSocketPeer>& peer);
  // Every tab of the employee leaves that meeting's media.
  void LeaveMeeting(const std::string& employee_id, const std::string& meeting_id);
  // The sessions behind the open sockets, and closing those of sessions that ended.
  std::vector<std::string> SessionIds() const;
  // Closes the sockets of the `checked` sessions that are not `still_valid` (a socket
  // opened since the check is left alone).
  void CloseEndedSessions(const std::vector<std::string>& checked, const std::set<std::string>& still_valid);
  // The meetings an employee's tabs have joined.
  std::set<std::string> MeetingsOf(const std::string& employee_id) const;

 private:
  struct EmployeeState {
    std::vector<std::shared_ptr<http::WebSocketPeer>> peers;
    std::map<http::WebSocketPeer*, std::string> in_meeting;  // peer → meeting id
  };
  Presence PresenceLocked(const std::string& employee_id) const;
  // Broadcasts when the presence differs from `before`; call without the lock held.
  void AnnounceIfChanged(const std::string& employee_id, Presence before);
  std::vector<std::shared_ptr<http::WebSocketPeer>> AllPeers() const;

  std::map<std::string, MessageHandler> handlers_;  // read-only once serving
  std::vector<ClosedHandler> closed_handlers_;      // read-only once serving
  mutable std::mutex mutex_;
  std::unordered_map<std::string, EmployeeState> employees_;  // GUARDED_BY(mutex_)
  std::set<std::string> do_not_disturb_;                      // GUARDED_BY(mutex_)
  std::size_t connections_ = 0;                               // GUARDED_BY(mutex_)
};

}  // namespace egovbox::realtime
