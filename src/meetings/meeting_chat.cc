#include "meetings/meeting_chat.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "crypto/random.h"
#include "http/rfc3339.h"
#include "identity/text_folding.h"
#include "meetings/meeting_repository.h"

namespace egovbox::meetings {
namespace {

using nlohmann::json;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kMaxUtf8Bytes = 4;  // per code point (RFC 3629 §3)
constexpr std::string_view kWhiteSpace = " \t\r\n";

constexpr const char* kSelectMessage =
    "SELECT c.id, c.meeting_id, c.author_id, e.name, c.text, c.sent_at FROM meeting_chat_messages c"
    " JOIN employees e ON e.id = c.author_id ";

http::Problem InvalidText(std::string_view reason) {
  http::Problem problem = http::InvalidField("text");
  problem.extensions["reason"] = reason;
  return problem;
}

http::Problem TooManyMessages(std::int64_t wait_seconds) {
  http::Problem problem = http::MakeProblem(429, "too-many-messages", {{"seconds", wait_seconds}});
  problem.extensions["retry_after"] = wait_seconds;
  problem.headers.emplace_back("Retry-After", std::to_string(wait_seconds));
  return problem;
}

http::Problem NotFound() {
  return http::MakeProblem(404, "meeting-not-found");
}

ChatMessage ReadMessage(const store::Row& row) {
  return ChatMessage{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Int(5)};
}

}  // namespace

json ChatMessageJson(const ChatMessage& message) {
  return {{"id", message.id},
          {"meeting_id", message.meeting_id},
          {"author_id", message.author_id},
          {"author_name", message.author_name},
          {"text", message.text},
          {"sent_at", http::FormatRfc3339Utc(message.sent_at)}};
}

http::Result<std::string> CleanChatText(std::string_view text) {
  std::string kept;
  kept.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '\r' && at + 1 < text.size() && text[at + 1] == '\n') continue;  // CRLF → LF
    kept.push_back(text[at]);
  }
  const auto first = kept.find_first_not_of(kWhiteSpace);
  if (first == std::string::npos) return InvalidText("empty");
  kept = kept.substr(first, kept.find_last_not_of(kWhiteSpace) + 1 - first);
  // A bound before decoding: no valid text this long is short enough.
  if (kept.size() > kMaxChatTextLength * kMaxUtf8Bytes) return InvalidText("too-long");
  if (identity::FirstInvalidUtf8Line(kept)) return InvalidText("not-utf8");
  // IsCleanText allows tab but no line break; line breaks are allowed here.
  std::string flattened = kept;
  std::replace(flattened.begin(), flattened.end(), '\n', ' ');
  if (!identity::IsCleanText(flattened)) return InvalidText("control-character");
  if (identity::CodePointCount(kept) > kMaxChatTextLength) return InvalidText("too-long");
  return kept;
}

std::int64_t ChatRateLimiter::Acquire(const std::string& employee_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const std::int64_t window = policy_.window_seconds;
  // Forget those who have not posted for a window, now and then.
  if (now - last_sweep_ >= window) {
    last_sweep_ = now;
    std::erase_if(recent_,
                  [&](const auto& entry) { return entry.second.empty() || entry.second.back() <= now - window; });
  }
  auto& times = recent_[employee_id];
  while (!times.empty() && times.front() <= now - window) times.pop_front();
  if (times.size() >= policy_.max_messages) {
    // The oldest counted post leaves the window at front + window. The clamp keeps
    // the answer sane if the clock stepped back.
    return std::clamp<std::int64_t>(times.front() + window - now, 1, window);
  }
  times.push_back(now);
  return 0;
}

MeetingChat::MeetingChat(store::Database& database, MeetingService& meetings, realtime::Hub& hub,
                         ChatRateLimiter::Policy rate)
    : database_(database), meetings_(meetings), hub_(hub), limiter_(rate) {}

std::optional<Meeting> MeetingChat::FindVisible(store::Connection& tx, const std::string& meeting_id,
                                                const std::string& actor_id, std::int64_t now) const {
  auto meeting = MeetingRepository::FindMeeting(tx, meeting_id);
  if (!meeting) return std::nullopt;
  if (meeting->InvitationOf(actor_id) == nullptr && !meetings_.AdmittedGuest(tx, *meeting, actor_id, now)) {
    return std::nullopt;
  }
  return meeting;
}

std::vector<std::string> MeetingChat::Audience(store::Connection& tx, const Meeting& meeting, std::int64_t now) const {
  std::vector<std::string> audience;
  for (const auto& invitation : meeting.invitations) audience.push_back(invitation.person.id);
  std::set<std::string> guests;
  for (const auto& row :
       tx.Query("SELECT employee_id FROM knocks WHERE meeting_id = ? AND status = 'admitted'", {meeting.id})) {
    guests.insert(row.Text(0));
  }
  for (const auto& guest : guests) {
    if (meeting.InvitationOf(guest) == nullptr && meetings_.AdmittedGuest(tx, meeting, guest, now)) {
      audience.push_back(guest);
    }
  }
  return audience;
}

http::Result<std::vector<ChatMessage>> MeetingChat::List(const std::string& actor_id, const std::string& meeting_id,
                                                         const std::optional<std::string>& before, int limit) {
  if (limit < 1 || limit > kMaxLimit) return http::InvalidField("limit");
  const std::int64_t now = meetings_.Now();
  return database_.InTransaction(
      store::TransactionMode::kRead, [&](store::Connection& tx) -> http::Result<std::vector<ChatMessage>> {
        if (!FindVisible(tx, meeting_id, actor_id, now)) return NotFound();
        std::vector<store::Row> rows;
        if (before) {
          // Keyset paging on the posting order: stable while new messages arrive.
          const auto cursor = tx.QueryOne("SELECT seq FROM meeting_chat_messages WHERE id = ? AND meeting_id = ?",
                                          {*before, meeting_id});
          if (!cursor) return http::InvalidField("before");
          rows = tx.Query(
              fmt::format("{}WHERE c.meeting_id = ? AND c.seq < ? ORDER BY c.seq DESC LIMIT ?", kSelectMessage),
              {meeting_id, cursor->Int(0), static_cast<std::int64_t>(limit)});
        } else {
          rows = tx.Query(fmt::format("{}WHERE c.meeting_id = ? ORDER BY c.seq DESC LIMIT ?", kSelectMessage),
                          {meeting_id, static_cast<std::int64_t>(limit)});
        }
        std::vector<ChatMessage> messages;
        messages.reserve(rows.size());
        for (auto row = rows.rbegin(); row != rows.rend(); ++row) messages.push_back(ReadMessage(*row));
        return messages;
      });
}

http::Result<ChatMessage> MeetingChat::Post(const std::string& actor_id, const std::string& meeting_id,
                                            std::string_view text) {
  auto clean = CleanChatText(text);
  if (!clean) return clean.problem();
  const std::int64_t now = meetings_.Now();
  if (const std::int64_t wait = limiter_.Acquire(actor_id, now); wait > 0) return TooManyMessages(wait);

  std::vector<std::string> audience;
  auto posted =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<ChatMessage> {
        const auto meeting = FindVisible(tx, meeting_id, actor_id, now);
        if (!meeting) return NotFound();
        if (meeting->cancelled()) return http::MakeProblem(409, "meeting-cancelled");
        ChatMessage message{crypto::RandomToken(kIdBytes), meeting->id, actor_id, "", std::move(*clean), now};
        if (const Invitation* invitation = meeting->InvitationOf(actor_id)) {
          message.author_name = invitation->person.name;
        } else {
          message.author_name = tx.QueryOne("SELECT name FROM employees WHERE id = ?", {actor_id})->Text(0);
        }
        // seq: the writer holds the write lock, so MAX + 1 is unique (the index enforces it).
        tx.Execute(
            "INSERT INTO meeting_chat_messages (id, meeting_id, seq, author_id, text, sent_at) VALUES (?, ?,"
            " (SELECT COALESCE(MAX(seq), 0) + 1 FROM meeting_chat_messages WHERE meeting_id = ?), ?, ?, ?)",
            {message.id, message.meeting_id, message.meeting_id, message.author_id, message.text, message.sent_at});
        audience = Audience(tx, *meeting, now);
        return message;
      });
  if (posted) {
    const json event = {
        {"type", "meeting.chat"}, {"meeting_id", posted->meeting_id}, {"message", ChatMessageJson(*posted)}};
    for (const auto& employee_id : audience) hub_.SendTo(employee_id, event);
  }
  return posted;
}

}  // namespace egovbox::meetings
