// The in-meeting chat: messages kept with their meeting, for as long as the meeting
// is kept (see docs/meetings.md).
//
// Who: whoever may see the meeting — its invitees (the organiser is one) and, while
// an occurrence is on, those its room's owner let in by a knock — reads and posts.
// To anyone else the chat answers 404 meeting-not-found, as for an id that does not
// exist. A cancelled meeting's chat stays readable; posting to it is 409
// meeting-cancelled.
//
// The text (CleanChatText): CRLF becomes LF, ASCII white space at both ends is
// trimmed, then it must be valid UTF-8 (RFC 3629), 1..2000 code points, with no
// control character but LF and tab. Otherwise 400 invalid-field (field "text")
// with a "reason" member: empty, too-long, not-utf8 or control-character.
//
// Posting is limited per employee (ChatRateLimiter, in memory: one node) to 20
// messages in 10 seconds by default; beyond it 429 too-many-messages with
// Retry-After. A post that passes the text check counts, whatever the store then
// answers. Messages are not written to the audit log one by one.
//
// After a post commits, {"type":"meeting.chat","meeting_id","message":{...}} goes
// over the hub to every invitee (author included: their other tabs) and to the
// guests let in to the occurrence that is on. Best effort: a tab that misses it
// reloads the history over REST.
//
// Thread-safe. Blocks on the store: call from worker threads. Store failures throw
// StoreError. The database, the meeting service and the hub must outlive it.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/problem.h"
#include "meetings/meeting.h"
#include "meetings/meeting_service.h"
#include "realtime/hub.h"
#include "store/database.h"

namespace egovbox::meetings {

struct ChatMessage {
  std::string id;
  std::string meeting_id;
  std::string author_id;
  std::string author_name;
  std::string text;
  std::int64_t sent_at = 0;
};

// {"id", "meeting_id", "author_id", "author_name", "text", "sent_at" (RFC 3339)}
nlohmann::json ChatMessageJson(const ChatMessage& message);

inline constexpr std::size_t kMaxChatTextLength = 2000;  // code points, after trimming

// The text as it is kept, or 400 invalid-field with the reason (see above).
http::Result<std::string> CleanChatText(std::string_view text);

// A sliding window of posts per employee. Thread-safe.
class ChatRateLimiter {
 public:
  struct Policy {
    std::size_t max_messages = 20;
    std::int64_t window_seconds = 10;
  };

  ChatRateLimiter() : ChatRateLimiter(Policy{}) {}
  explicit ChatRateLimiter(Policy policy) : policy_(policy) {}

  // 0: the employee may post at `now` (seconds), and this post is counted.
  // Otherwise the whole seconds to wait (1..window); nothing is counted.
  std::int64_t Acquire(const std::string& employee_id, std::int64_t now);

 private:
  Policy policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::int64_t>> recent_;  // GUARDED_BY(mutex_): times of counted posts
  std::int64_t last_sweep_ = 0;                                       // GUARDED_BY(mutex_)
};

class MeetingChat {
 public:
  static constexpr int kDefaultLimit = 100;
  static constexpr int kMaxLimit = 200;

  MeetingChat(store::Database& database, MeetingService& meetings, realtime::Hub& hub,
              ChatRateLimiter::Policy rate = ChatRateLimiter::Policy{});

  // At most `limit` (1..kMaxLimit) messages, the newest ones older than the message
  // `before` when given (else the newest), oldest first. Problems: 404
  // meeting-not-found; 400 invalid-field "limit", or "before" when it is not a
  // message of this meeting.
  http::Result<std::vector<ChatMessage>> List(const std::string& actor_id, const std::string& meeting_id,
                                              const std::optional<std::string>& before, int limit = kDefaultLimit);

  // Stores the message and sends it to the meeting's people. Problems: 400
  // invalid-field (text), 429 too-many-messages, 404 meeting-not-found, 409
  // meeting-cancelled.
  http::Result<ChatMessage> Post(const std::string& actor_id, const std::string& meeting_id, std::string_view text);

 private:
  // The meeting, when `actor_id` may see it (MeetingService's rule: an invitee, or a
  // guest admitted to the occurrence on now).
  std::optional<Meeting> FindVisible(store::Connection& tx, const std::string& meeting_id, const std::string& actor_id,
                                     std::int64_t now) const;
  // Everyone who may see the meeting at `now`, each once.
  std::vector<std::string> Audience(store::Connection& tx, const Meeting& meeting, std::int64_t now) const;

  store::Database& database_;
  MeetingService& meetings_;
  realtime::Hub& hub_;
  ChatRateLimiter limiter_;
};

}  // namespace egovbox::meetings
