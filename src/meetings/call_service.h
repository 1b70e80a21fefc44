// One-to-one calls: the caller rings every tab of the callee; the callee accepts
// (both land in a one-to-one meeting in the caller's personal room) or declines;
// the caller may hang up first; after ring_seconds unanswered the call is missed
// (the callee gets a notification). A callee in a meeting or on do-not-disturb
// answers busy at once. The state is in the store, so a restart loses no call.
//
// Thread-safe. Blocks on the store: call from worker threads.
#pragma once

#include "meetings/meeting_service.h"

namespace egovbox::meetings {

class CallService {
 public:
  CallService(store::Database& database, MeetingService& meetings, Messenger& messenger, std::int64_t ring_seconds);

  http::Result<nlohmann::json> Start(const std::string& caller_id, const std::string& callee_id);
  http::Result<nlohmann::json> Get(const std::string& actor_id, const std::string& call_id);
  http::Result<nlohmann::json> Accept(const std::string& actor_id, const std::string& call_id);
  http::Result<nlohmann::json> Decline(const std::string& actor_id, const std::string& call_id);
  http::Status HangUp(const std::string& actor_id, const std::string& call_id);
  // Marks unanswered calls missed; run every second by the background jobs.
  void ExpireUnanswered();

 private:
  http::Result<nlohmann::json> End(const std::string& actor_id, const std::string& call_id, const std::string& status);

  store::Database& database_;
  MeetingService& meetings_;
  Messenger& messenger_;
  std::int64_t ring_seconds_;
};

}  // namespace egovbox::meetings
