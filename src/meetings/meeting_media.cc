#include "meetings/meeting_media.h"

#include <spdlog/spdlog.h>

#include "http/rfc3339.h"
#include "identity/employee_repository.h"

namespace egovbox::meetings {

using nlohmann::json;

namespace {

std::string TextField(const json& message, const char* name) {
  const auto field = message.find(name);
  return field != message.end() && field->is_string() ? field->get<std::string>() : std::string();
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
  for (const char* type : {"media.publish", "media.subscribe.answer", "media.mute"}) {
    hub_.OnMessage(type, [this](const Peer& peer, const json& message) { Forward(peer, message); });
  }
  hub_.OnMessage("media.leave", [this](const Peer& peer, const json&) { LeaveTab(peer); });
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
  LeaveTab(peer);  // one meeting per tab
  const std::string participant_id = media::Sfu::NewParticipantId();
  {
    const std::lock_guard lock(mutex_);
    members_[participant_id] = {peer, meeting_id, employee_id};
    tabs_[peer.get()] = participant_id;
  }
  hub_.SetInMeeting(peer, meeting_id);
  // The name comes from the store, which this I/O thread must not wait for.
  OnStoreThread([this, meeting_id, employee_id, participant_id] {
    const auto employee = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& tx) {
      return identity::EmployeeRepository::FindById(tx, employee_id);
    });
    // Admitted only if the tab has not left meanwhile; under the lock, so a leave
    // that comes later finds the participant in the engine (Join only queues).
    const std::lock_guard lock(mutex_);
    if (sfu_ == nullptr || !members_.contains(participant_id)) return;
    sfu_->Join(meeting_id, participant_id,
               {{"employee_id", employee_id}, {"name", employee ? employee->name : std::string()}});
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
  {
    const std::lock_guard lock(mutex_);
    tabs_.erase(peer.get());
    members_.erase(participant_id);
    if (sfu_ != nullptr) sfu_->Leave(participant_id);
  }
  hub_.ClearInMeeting(peer);
}

void MeetingMedia::LeaveMeeting(const std::string& employee_id, const std::string& meeting_id) {
  std::vector<std::shared_ptr<http::WebSocketPeer>> tabs;
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
      if (sfu_ != nullptr) sfu_->Leave(it->first);
      it = members_.erase(it);
    }
  }
  hub_.LeaveMeeting(employee_id, meeting_id);
  for (const auto& peer : tabs) {
    realtime::Hub::SendToPeer(*peer, {{"type", "media.left"}, {"meeting_id", meeting_id}, {"reason", "left"}});
  }
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
  realtime::Hub::SendToPeer(*peer, addressed);
}

void MeetingMedia::ParticipantJoined(const std::string& room_id, const std::string& participant_id, const json& info) {
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
