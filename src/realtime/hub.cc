#include "realtime/hub.h"

#include <spdlog/spdlog.h>

namespace egovbox::realtime {
namespace {

std::shared_ptr<const std::string> Serialise(const nlohmann::json& message) {
  return std::make_shared<const std::string>(message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::string_view PresenceName(Presence presence) {
  switch (presence) {
    case Presence::kOffline: return "offline";
    case Presence::kOnline: return "online";
    case Presence::kDoNotDisturb: return "do-not-disturb";
    case Presence::kInMeeting: return "in-meeting";
  }
  return "offline";
}

void Hub::OnMessage(const std::string& type, MessageHandler handler) {
  handlers_[type] = std::move(handler);
}

void Hub::Opened(const std::shared_ptr<http::WebSocketPeer>& peer) {
  const std::string& employee_id = peer->principal().subject_id;
  Presence before;
  {
    std::lock_guard lock(mutex_);
    before = PresenceLocked(employee_id);
    employees_[employee_id].peers.push_back(peer);
    ++connections_;
  }
  SendToPeer(*peer, {{"type", "hello"}, {"employee_id", employee_id}});
  AnnounceIfChanged(employee_id, before);
}

void Hub::Received(const std::shared_ptr<http::WebSocketPeer>& peer, std::string_view text) {
  const auto message = nlohmann::json::parse(text, nullptr, false);
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) return;
  const std::string& type = message["type"].get_ref<const std::string&>();
  if (type == "ping") {
    SendToPeer(*peer, {{"type", "pong"}});
    return;
  }
  const auto handler = handlers_.find(type);
  if (handler == handlers_.end()) return;
  // A handler that throws must not end the connection's coroutine: Closed would
  // never run, and the employee would stay online for ever.
  try {
    handler->second(peer, message);
  } catch (const std::exception& error) {
    spdlog::warn("WebSocket message \"{}\" of {} failed: {}", type, peer->principal().subject_id, error.what());
  }
}

void Hub::OnClosed(ClosedHandler handler) {
  closed_handlers_.push_back(std::move(handler));
}

void Hub::Closed(const std::shared_ptr<http::WebSocketPeer>& peer) {
  const std::string& employee_id = peer->principal().subject_id;
  Presence before;
  {
    std::lock_guard lock(mutex_);
    before = PresenceLocked(employee_id);
    const auto state = employees_.find(employee_id);
    if (state == employees_.end()) return;
    auto& peers = state->second.peers;
    const auto found = std::find(peers.begin(), peers.end(), peer);
    if (found == peers.end()) return;
    peers.erase(found);
    state->second.in_meeting.erase(peer.get());
    --connections_;
    if (peers.empty()) employees_.erase(state);
  }
  AnnounceIfChanged(employee_id, before);
  for (const auto& handler : closed_handlers_) {
    try {
      handler(peer);
    } catch (const std::exception& error) {
      spdlog::warn("WebSocket close handler of {} failed: {}", employee_id, error.what());
    }
  }
}

void Hub::SendTo(const std::string& employee_id, const nlohmann::json& message) {
  std::vector<std::shared_ptr<http::WebSocketPeer>> peers;
  {
    std::lock_guard lock(mutex_);
    const auto state = employees_.find(employee_id);
    if (state == employees_.end()) return;
    peers = state->second.peers;
  }
  const auto text = Serialise(message);
  for (const auto& peer : peers) peer->Send(text);
}

void Hub::SendToAll(const nlohmann::json& message) {
  const auto text = Serialise(message);
  for (const auto& peer : AllPeers()) peer->Send(text);
}

void Hub::SendToPeer(http::WebSocketPeer& peer, const nlohmann::json& message) {
  peer.Send(Serialise(message));
}

Presence Hub::PresenceOf(const std::string& employee_id) const {
  std::lock_guard lock(mutex_);
  return PresenceLocked(employee_id);
}

std::size_t Hub::ConnectionCount() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

void Hub::SetDoNotDisturb(const std::string& employee_id, bool on) {
  Presence before;
  {
    std::lock_guard lock(mutex_);
    before = PresenceLocked(employee_id);
    if (on) {
      do_not_disturb_.insert(employee_id);
    } else {
      do_not_disturb_.erase(employee_id);
    }
  }
  AnnounceIfChanged(employee_id, before);
}

void Hub::SetInMeeting(const std::shared_ptr<http::WebSocketPeer>& peer, const std::string& meeting_id) {
  const std::string& employee_id = peer->principal().subject_id;
  Presence before;
  {
    std::lock_guard lock(mutex_);
    before = PresenceLocked(employee_id);
    const auto state = employees_.find(employee_id);
    if (state == employees_.end()) return;  // already closed
    state->second.in_meeting[peer.get()] = meeting_id;
  }
  AnnounceIfChanged(employee_id, before);
}

void Hub::ClearInMeeting(const std::shared_ptr<http::WebSocketPeer>& peer) {
  const std::string& employee_id = peer->principal().subject_id;
  Presence before;
  {
    std::lock_guard lock(mutex_);
    before = PresenceLocked(employee_id);
    const auto state = employees_.find(employee_id);
    if (state == employees_.end()) return;
    state->second.in_meeting.erase(peer.get());
  }
  AnnounceIfChanged(employee_id, before);
}

std::vector<std::string> Hub::SessionIds() const {
  std::set<std::string> ids;
  for (const auto& peer : AllPeers()) ids.insert(peer->principal().session_id);
  return {ids.begin(), ids.end()};
}

void Hub::CloseEndedSessions(const std::vector<std::string>& checked, const std::set<std::string>& still_valid) {
  std::set<std::string> ended;
  for (const auto& id : checked) {
    if (still_valid.count(id) == 0) ended.insert(id);
  }
  if (ended.empty()) return;
  for (const auto& peer : AllPeers()) {
    if (ended.count(peer->principal().session_id) > 0) peer->Close();
  }
}

void Hub::LeaveMeeting(const std::string& employee_id, const std::string& meeting_id) {
  Presence before;
  {
    std::lock_guard lock(mutex_);
    before = PresenceLocked(employee_id);
    const auto state = employees_.find(employee_id);
    if (state == employees_.end()) return;
    std::erase_if(state->second.in_meeting, [&](const auto& entry) { return entry.second == meeting_id; });
  }
  AnnounceIfChanged(employee_id, before);
}

std::set<std::string> Hub::MeetingsOf(const std::string& employee_id) const {
  std::set<std::string> meetings;
  std::lock_guard lock(mutex_);
  const auto state = employees_.find(employee_id);
  if (state == employees_.end()) return meetings;
  for (const auto& [peer, meeting_id] : state->second.in_meeting) meetings.insert(meeting_id);
  return meetings;
}

Presence Hub::PresenceLocked(const std::string& employee_id) const {
  const auto state = employees_.find(employee_id);
  if (state == employees_.end()) return Presence::kOffline;
  if (!state->second.in_meeting.empty()) return Presence::kInMeeting;
  if (do_not_disturb_.count(employee_id) > 0) return Presence::kDoNotDisturb;
  return Presence::kOnline;
}

void Hub::AnnounceIfChanged(const std::string& employee_id, Presence before) {
  const Presence now = PresenceOf(employee_id);
  if (now == before) return;
  SendToAll({{"type", "presence"}, {"employee_id", employee_id}, {"presence", PresenceName(now)}});
}

std::vector<std::shared_ptr<http::WebSocketPeer>> Hub::AllPeers() const {
  std::vector<std::shared_ptr<http::WebSocketPeer>> peers;
  std::lock_guard lock(mutex_);
  peers.reserve(connections_);
  for (const auto& [employee_id, state] : employees_) peers.insert(peers.end(), state.peers.begin(), state.peers.end());
  return peers;
}

}  // namespace egovbox::realtime
