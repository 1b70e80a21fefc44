#include "meetings/meeting_media.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "http/rfc3339.h"
#include "identity/employee_repository.h"
#include "meetings/meeting_repository.h"
#include "meetings/meeting_session.h"

namespace egovbox::meetings {

using nlohmann::json;

namespace {

std::string TextField(const json& message, const char* name) {
  const auto field = message.find(name);
  return field != message.end() && field->is_string() ? field->get<std::string>() : std::string();
}

// media.refused's reason for a problem of CheckEntry.
std::string RefusalReason(const std::string& slug) {
  if (slug == "removed-from-meeting") return "removed";
  if (slug == "meeting-ended") return "ended";
  if (slug == "meeting-locked") return "locked";
  if (slug == "knock-required") return "lobby";
  return "invalid";
}

constexpr std::int64_t kMillisecondsPerSecond = 1000;

std::int64_t UnixMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

MeetingMedia::MeetingMedia(realtime::Hub& hub, MeetingService& meetings, store::Database& database)
    : hub_(hub), meetings_(meetings), database_(database), store_thread_([this] { RunStoreThread(); }) {}

MeetingMedia::~MeetingMedia() {
  Stop();
}

void MeetingMedia::Start(media::Sfu& sfu) {
  sfu_ = &sfu;
  const std::int64_t now = meetings_.Now();
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    tx.Execute("UPDATE meeting_attendance SET left_at = ?, left_reason = 'server-stopped' WHERE left_at IS NULL",
               {now});
  });
  using Peer = std::shared_ptr<http::WebSocketPeer>;
  hub_.OnMessage("media.join", [this](const Peer& peer, const json& message) { Join(peer, message); });
  for (const char* type :
       {"media.publish", "media.subscribe.answer", "media.subscribe.restart", "media.mute", "media.layout"}) {
    hub_.OnMessage(type, [this](const Peer& peer, const json& message) { Forward(peer, message); });
  }
  hub_.OnMessage("media.leave", [this](const Peer& peer, const json&) { LeaveTab(peer); });
  hub_.OnMessage("media.hand", [this](const Peer& peer, const json& message) { RaiseHand(peer, message); });
  hub_.OnClosed([this](const Peer& peer) {
    LeaveTab(peer);
    const std::lock_guard lock(mutex_);
    budgets_.erase(peer.get());
  });
}

void MeetingMedia::Stop() {
  {
    const std::lock_guard lock(queue_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  queue_ready_.notify_one();
  store_thread_.join();
  {
    const std::lock_guard lock(mutex_);
    sfu_ = nullptr;
  }
  // Visits still open end now, not at the next start.
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    tx.Execute("UPDATE meeting_attendance SET left_at = ?, left_reason = 'server-stopped' WHERE left_at IS NULL",
               {meetings_.Now()});
  });
}

bool MeetingMedia::WithinBudget(const http::WebSocketPeer& peer) {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  auto& budget = budgets_[&peer];
  if (now - budget.window_start >= kMessageWindow) {
    budget.window_start = now;
    budget.used = 0;
  }
  return ++budget.used <= kMessagesPerWindow;
}

void MeetingMedia::RefuseOverBudget(http::WebSocketPeer& peer, const json& message) {
  realtime::Hub::SendToPeer(peer, {{"type", "media.error"},
                                   {"meeting_id", TextField(message, "meeting_id")},
                                   {"request", TextField(message, "type")},
                                   {"code", "too-many-messages"},
                                   {"detail", "Too many media messages from this tab; wait a moment."}});
}

void MeetingMedia::Join(const std::shared_ptr<http::WebSocketPeer>& peer, const json& message) {
  if (!WithinBudget(*peer)) return RefuseOverBudget(*peer, message);
  const std::string meeting_id = TextField(message, "meeting_id");
  const std::string& employee_id = peer->principal().subject_id;
  const auto check =
      meetings_.signer().Verify(TextField(message, "capability"), meeting_id, employee_id, meetings_.Now());
  if (check != crypto::CapabilityCheck::kValid) {
    realtime::Hub::SendToPeer(
        *peer, {{"type", "media.refused"}, {"meeting_id", meeting_id}, {"reason", crypto::CapabilityCheckName(check)}});
    return;
  }
  const auto claims = meetings_.signer().Open(TextField(message, "capability"));
  const std::string role = claims ? claims->role : std::string(kRoleParticipant);
  LeaveTab(peer);  // one meeting per tab
  const std::string participant_id = media::Sfu::NewParticipantId();
  {
    const std::lock_guard lock(mutex_);
    members_[participant_id] = {peer, meeting_id, employee_id, role, false, {}};
    tabs_[peer.get()] = participant_id;
  }
  hub_.SetInMeeting(peer, meeting_id);
  // The name and the hosts' decisions come from the store, which this I/O thread
  // must not wait for.
  OnStoreThread([this, meeting_id, employee_id, participant_id, role] {
    // A valid capability of someone removed since, or for a meeting ended or locked
    // since. A store that fails here refuses the tab rather than leave it half-joined.
    std::string refusal;
    std::optional<identity::Employee> employee;
    try {
      refusal = EntryRefusal(meeting_id, employee_id);
      if (refusal.empty()) {
        employee = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
          return identity::EmployeeRepository::FindById(tx, employee_id);
        });
      }
    } catch (const std::exception& error) {
      spdlog::error("media: the entry check of a tab failed: {}", error.what());
      refusal = "unavailable";
    }
    if (!refusal.empty()) {
      std::shared_ptr<http::WebSocketPeer> tab;
      {
        const std::lock_guard lock(mutex_);
        const auto member = members_.find(participant_id);
        if (member == members_.end()) return;
        tab = member->second.peer.lock();
        if (tab) std::erase_if(tabs_, [&](const auto& entry) { return entry.second == participant_id; });
        members_.erase(member);
      }
      if (tab) {
        if (ParticipantOf(*tab).empty()) hub_.ClearInMeeting(tab);
        realtime::Hub::SendToPeer(*tab, {{"type", "media.refused"}, {"meeting_id", meeting_id}, {"reason", refusal}});
      }
      return;
    }
    // Admitted only if the tab has not left meanwhile; under the lock, so a leave
    // that comes later finds the participant in the engine (Join only queues).
    const std::lock_guard lock(mutex_);
    const auto member = members_.find(participant_id);
    if (sfu_ == nullptr || member == members_.end()) return;
    sfu_->Join(meeting_id, participant_id,
               {{"employee_id", employee_id}, {"name", employee ? employee->name : std::string()}, {"role", role}});
    // The hosts' mutes since media.join: queued after the join, on the same worker.
    member->second.in_engine = true;
    for (const auto source : member->second.pending_holds) sfu_->HostMute(participant_id, source);
    member->second.pending_holds.clear();
  });
}

void MeetingMedia::Forward(const std::shared_ptr<http::WebSocketPeer>& peer, const json& message) {
  if (!WithinBudget(*peer)) return RefuseOverBudget(*peer, message);
  const std::string meeting_id = TextField(message, "meeting_id");
  std::string participant_id;
  {
    const std::lock_guard lock(mutex_);
    const auto tab = tabs_.find(peer.get());
    if (tab != tabs_.end() && members_.at(tab->second).meeting_id == meeting_id) participant_id = tab->second;
  }
  if (participant_id.empty()) {
    realtime::Hub::SendToPeer(*peer, {{"type", "media.error"},
                                      {"meeting_id", meeting_id},
                                      {"request", message["type"]},
                                      {"code", "not-joined"},
                                      {"detail", "This tab has not joined that meeting's media."}});
    return;
  }
  const std::lock_guard lock(mutex_);
  if (sfu_ != nullptr) sfu_->HandleMessage(participant_id, message);
}

void MeetingMedia::LeaveTab(const std::shared_ptr<http::WebSocketPeer>& peer) {
  const std::string participant_id = ParticipantOf(*peer);
  if (participant_id.empty()) return;
  std::string meeting_id;
  {
    const std::lock_guard lock(mutex_);
    tabs_.erase(peer.get());
    if (const auto member = members_.find(participant_id); member != members_.end()) {
      meeting_id = member->second.meeting_id;
      members_.erase(member);
    }
    if (sfu_ != nullptr) sfu_->Leave(participant_id);
  }
  hub_.ClearInMeeting(peer);
  ForgetHand(meeting_id, participant_id);
}

void MeetingMedia::LeaveMeeting(const std::string& employee_id, const std::string& meeting_id,
                                std::string_view reason) {
  std::vector<std::shared_ptr<http::WebSocketPeer>> tabs;
  std::vector<std::string> gone;
  {
    const std::lock_guard lock(mutex_);
    for (auto it = members_.begin(); it != members_.end();) {
      if (it->second.employee_id != employee_id || it->second.meeting_id != meeting_id) {
        ++it;
        continue;
      }
      if (auto peer = it->second.peer.lock()) {
        tabs_.erase(peer.get());
        tabs.push_back(std::move(peer));
      }
      if (sfu_ != nullptr) sfu_->Leave(it->first, std::string(reason));
      gone.push_back(it->first);
      it = members_.erase(it);
    }
  }
  hub_.LeaveMeeting(employee_id, meeting_id);
  for (const auto& peer : tabs) {
    realtime::Hub::SendToPeer(*peer, {{"type", "media.left"}, {"meeting_id", meeting_id}, {"reason", reason}});
  }
  for (const auto& participant_id : gone) ForgetHand(meeting_id, participant_id);
}

// ---------------------------------------------------------------------------
// Host controls and raised hands

bool MeetingMedia::InMeeting(const std::string& meeting_id, const std::string& participant_id) const {
  const std::lock_guard lock(mutex_);
  const auto member = members_.find(participant_id);
  return member != members_.end() && member->second.meeting_id == meeting_id;
}

bool MeetingMedia::HostMute(const std::string& meeting_id, const std::string& participant_id,
                            media::TrackSource source) {
  const std::lock_guard lock(mutex_);
  const auto member = members_.find(participant_id);
  if (member == members_.end() || member->second.meeting_id != meeting_id) return false;
  if (!member->second.in_engine) {
    // Admitted, but the store thread has not handed it to the engine yet (Join).
    member->second.pending_holds.push_back(source);
  } else if (sfu_ != nullptr) {
    sfu_->HostMute(participant_id, source);
  }
  return true;
}

std::vector<std::string> MeetingMedia::ParticipantsNotHosting(const std::string& meeting_id) const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> participants;
  for (const auto& [participant_id, member] : members_) {
    if (member.meeting_id != meeting_id || member.role == kRoleHost || member.role == kRoleCoHost) continue;
    participants.push_back(participant_id);
  }
  return participants;
}

void MeetingMedia::EndMeeting(const std::string& meeting_id) {
  std::vector<std::string> employees;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [participant_id, member] : members_) {
      if (member.meeting_id != meeting_id) continue;
      if (std::find(employees.begin(), employees.end(), member.employee_id) == employees.end()) {
        employees.push_back(member.employee_id);
      }
    }
  }
  for (const auto& employee_id : employees) LeaveMeeting(employee_id, meeting_id, "ended");
  const std::lock_guard lock(mutex_);
  hands_.erase(meeting_id);
}

void MeetingMedia::Broadcast(const std::string& meeting_id, const json& message) {
  std::vector<std::shared_ptr<http::WebSocketPeer>> peers;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [participant_id, member] : members_) {
      if (member.meeting_id != meeting_id) continue;
      if (auto peer = member.peer.lock()) peers.push_back(std::move(peer));
    }
  }
  for (const auto& peer : peers) realtime::Hub::SendToPeer(*peer, message);
}

json MeetingMedia::HandsMessage(const std::string& meeting_id) const {
  json hands = json::array();
  if (const auto queue = hands_.find(meeting_id); queue != hands_.end()) {
    for (const auto& hand : queue->second) {
      hands.push_back({{"participant_id", hand.participant_id},
                       {"employee_id", hand.employee_id},
                       {"raised_at", http::FormatRfc3339Utc(hand.raised_at / kMillisecondsPerSecond)}});
    }
  }
  return {{"type", "media.hands"}, {"meeting_id", meeting_id}, {"hands", std::move(hands)}};
}

void MeetingMedia::RaiseHand(const std::shared_ptr<http::WebSocketPeer>& peer, const json& message) {
  if (!WithinBudget(*peer)) return RefuseOverBudget(*peer, message);
  const std::string meeting_id = TextField(message, "meeting_id");
  const auto raised = message.find("raised");
  bool joined = false;
  json update;
  {
    const std::lock_guard lock(mutex_);
    const auto tab = tabs_.find(peer.get());
    const Member* member = tab == tabs_.end() ? nullptr : &members_.at(tab->second);
    // Only once admitted: a tab still being checked may yet be refused.
    joined = member != nullptr && member->meeting_id == meeting_id && member->in_engine;
    if (joined && raised != message.end() && raised->is_boolean()) {
      auto& queue = hands_[meeting_id];
      const bool up =
          std::any_of(queue.begin(), queue.end(), [&](const Hand& hand) { return hand.participant_id == tab->second; });
      if (raised->get<bool>() && !up) queue.push_back({tab->second, member->employee_id, UnixMilliseconds()});
      if (!raised->get<bool>() && up) {
        std::erase_if(queue, [&](const Hand& hand) { return hand.participant_id == tab->second; });
      }
      if (raised->get<bool>() != up) update = HandsMessage(meeting_id);
      if (queue.empty()) hands_.erase(meeting_id);
    }
  }
  if (!joined || raised == message.end() || !raised->is_boolean()) {
    realtime::Hub::SendToPeer(*peer, {{"type", "media.error"},
                                      {"meeting_id", meeting_id},
                                      {"request", "media.hand"},
                                      {"code", joined ? "invalid-message" : "not-joined"},
                                      {"detail", joined ? "media.hand needs raised (true or false)."
                                                        : "This tab has not joined that meeting's media."}});
    return;
  }
  if (!update.is_null()) Broadcast(meeting_id, update);
}

bool MeetingMedia::LowerHand(const std::string& meeting_id, const std::string& participant_id) {
  {
    const std::lock_guard lock(mutex_);
    const auto member = members_.find(participant_id);
    if (member == members_.end() || member->second.meeting_id != meeting_id) return false;
  }
  ForgetHand(meeting_id, participant_id);
  return true;
}

void MeetingMedia::ForgetHand(const std::string& meeting_id, const std::string& participant_id) {
  json update;
  {
    const std::lock_guard lock(mutex_);
    const auto queue = hands_.find(meeting_id);
    if (queue == hands_.end()) return;
    if (std::erase_if(queue->second, [&](const Hand& hand) { return hand.participant_id == participant_id; }) == 0) {
      return;
    }
    update = HandsMessage(meeting_id);
    if (queue->second.empty()) hands_.erase(queue);
  }
  Broadcast(meeting_id, update);
}

std::string MeetingMedia::EntryRefusal(const std::string& meeting_id, const std::string& employee_id) {
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) -> std::string {
    const auto meeting = MeetingRepository::FindMeeting(tx, meeting_id);
    if (!meeting) return "invalid";
    // Out of its time, the capability's short life is the limit, as before.
    const auto occurrence = meetings_.OccurrenceOn(*meeting, now);
    if (!occurrence) return {};
    const auto refused = CheckEntry(tx, *meeting, occurrence->original_start, employee_id,
                                    meetings_.AdmittedGuest(tx, *meeting, employee_id, now), now);
    return refused ? RefusalReason(refused->slug) : std::string();
  });
}

std::string MeetingMedia::ParticipantOf(const http::WebSocketPeer& peer) const {
  const std::lock_guard lock(mutex_);
  const auto tab = tabs_.find(&peer);
  return tab == tabs_.end() ? std::string() : tab->second;
}

// ---------------------------------------------------------------------------
// From the engine

void MeetingMedia::Deliver(const std::string& participant_id, const json& message) {
  std::shared_ptr<http::WebSocketPeer> peer;
  std::string meeting_id;
  {
    const std::lock_guard lock(mutex_);
    const auto member = members_.find(participant_id);
    if (member == members_.end()) return;
    peer = member->second.peer.lock();
    meeting_id = member->second.meeting_id;
  }
  if (!peer) return;
  json addressed = message;
  addressed["meeting_id"] = meeting_id;
  if (turn_.enabled() && message.value("type", "") == "media.joined") {
    addressed["ice_servers"] = IceServers(turn_, participant_id, std::chrono::system_clock::now());
  }
  realtime::Hub::SendToPeer(*peer, addressed);
}

void MeetingMedia::ParticipantJoined(const std::string& room_id, const std::string& participant_id, const json& info) {
  // The hands raised so far, after media.joined (sent before this on the same thread).
  std::shared_ptr<http::WebSocketPeer> newcomer;
  json hands;
  {
    const std::lock_guard lock(mutex_);
    const auto member = members_.find(participant_id);
    if (member != members_.end() && hands_.contains(room_id)) {
      newcomer = member->second.peer.lock();
      hands = HandsMessage(room_id);
    }
  }
  if (newcomer) realtime::Hub::SendToPeer(*newcomer, hands);
  const std::string employee_id = info.value("employee_id", "");
  OnStoreThread([this, room_id, participant_id, employee_id] {
    database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      tx.Execute(
          "INSERT INTO meeting_attendance (participant_id, meeting_id, employee_id, joined_at) VALUES (?, ?, ?, ?)",
          {participant_id, room_id, employee_id, meetings_.Now()});
    });
  });
}

void MeetingMedia::ParticipantLeft(const std::string& room_id, const std::string& participant_id, const json&,
                                   std::string_view reason) {
  // Ended by the engine (silence, a failed connection, a closed room): the tab is told.
  std::shared_ptr<http::WebSocketPeer> peer;
  {
    const std::lock_guard lock(mutex_);
    const auto member = members_.find(participant_id);
    if (member != members_.end()) {
      peer = member->second.peer.lock();
      // The tab's entry is erased only if it is still this participant's.
      if (peer) std::erase_if(tabs_, [&](const auto& tab) { return tab.second == participant_id; });
      members_.erase(member);
    }
  }
  if (peer) {
    if (ParticipantOf(*peer).empty()) hub_.ClearInMeeting(peer);
    realtime::Hub::SendToPeer(*peer, {{"type", "media.left"}, {"meeting_id", room_id}, {"reason", reason}});
  }
  ForgetHand(room_id, participant_id);
  OnStoreThread([this, participant_id, reason = std::string(reason)] {
    database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      tx.Execute(
          "UPDATE meeting_attendance SET left_at = ?, left_reason = ? WHERE participant_id = ? AND left_at IS NULL",
          {meetings_.Now(), reason, participant_id});
    });
  });
}

http::Result<json> MeetingMedia::Attendance(const std::string& actor_id, const std::string& meeting_id) {
  auto meeting = meetings_.Get(actor_id, meeting_id);  // 404 for whoever may not see it
  if (!meeting) return meeting.problem();
  return database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
    json visits = json::array();
    for (const auto& row : tx.Query("SELECT a.employee_id, e.name, a.joined_at, a.left_at, a.left_reason "
                                    "FROM meeting_attendance a JOIN employees e ON e.id = a.employee_id "
                                    "WHERE a.meeting_id = ? ORDER BY a.joined_at, a.participant_id",
                                    {meeting_id})) {
      json visit = {{"employee_id", row.Text(0)},
                    {"name", row.Text(1)},
                    {"joined_at", http::FormatRfc3339Utc(row.Int(2))},
                    {"left_at", nullptr},
                    {"left_reason", nullptr}};
      if (!row.IsNull(3)) {
        visit["left_at"] = http::FormatRfc3339Utc(row.Int(3));
        visit["left_reason"] = row.Text(4);
      }
      visits.push_back(std::move(visit));
    }
    return json{{"attendance", std::move(visits)}};
  });
}

// ---------------------------------------------------------------------------
// The store thread

void MeetingMedia::OnStoreThread(std::function<void()> work) {
  {
    const std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(work));
  }
  queue_ready_.notify_one();
}

void MeetingMedia::RunStoreThread() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      work();
    } catch (const std::exception& error) {
      spdlog::error("meeting media: {}", error.what());
    }
  }
}

}  // namespace egovbox::meetings
