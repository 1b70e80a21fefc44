// What the hosts of a meeting do while it is on (docs/media.md "Host controls"):
// see the lobby, mute one participant or everyone else, stop someone's camera,
// remove someone (their capability is refused from then on, kept in the store),
// lock the meeting, end it for everyone, and take down anyone's raised hand.
//
// Who: the organiser and the invitees with the role host or co-host (a personal
// room's owner organises its meetings). Anyone else who may see the meeting gets
// 403 not-meeting-host; whoever may not see it, 404 meeting-not-found. Every
// action is for the occurrence on now (409 meeting-not-on otherwise) and is
// audited in the transaction that records it; the media side (MeetingMedia, the
// engine) follows after the commit.
//
// Thread-safe. Blocks on the store: call from worker threads.
#pragma once

#include <cstdint>
#include <string>

#include "audit/audit_log.h"
#include "http/problem.h"
#include "http/router.h"
#include "meetings/meeting_media.h"
#include "meetings/meeting_service.h"
#include "meetings/meeting_session.h"
#include "store/database.h"

namespace egovbox::meetings {

class HostControls {
 public:
  HostControls(store::Database& database, audit::AuditLog& audit, MeetingService& meetings, MeetingMedia& media);

  // {on, locked, ended, host (the viewer is one), removed: [{employee_id, name, removed_at}] (hosts only)}:
  // for whoever may see the meeting.
  http::Result<nlohmann::json> State(const std::string& actor_id, const std::string& meeting_id);
  // {waiting: [{knock_id, employee: {id, name}, since}]}, oldest first.
  http::Result<nlohmann::json> Lobby(const std::string& actor_id, const std::string& meeting_id);
  // `source`: "microphone" or "camera". 404 participant-not-found when that tab is
  // not in the meeting's media.
  http::Status Mute(const std::string& actor_id, const std::string& meeting_id, const std::string& participant_id,
                    const std::string& source);
  // {muted: how many}: every participant who is not a host or co-host.
  http::Result<nlohmann::json> MuteAll(const std::string& actor_id, const std::string& meeting_id);
  http::Status Remove(const std::string& actor_id, const std::string& meeting_id, const std::string& employee_id);
  http::Status LetBack(const std::string& actor_id, const std::string& meeting_id, const std::string& employee_id);
  http::Result<nlohmann::json> SetLocked(const std::string& actor_id, const std::string& meeting_id, bool locked);
  http::Status End(const std::string& actor_id, const std::string& meeting_id);
  http::Status LowerHand(const std::string& actor_id, const std::string& meeting_id, const std::string& participant_id);

 private:
  struct Context {
    Meeting meeting;
    OccurrenceTime occurrence;
    SessionState session;
  };
  // The meeting as `actor_id` may run it now: visible, a host, on, not ended.
  http::Result<Context> ForHost(store::Connection& tx, const std::string& actor_id, const std::string& meeting_id,
                                std::int64_t now) const;
  void Audit(store::Connection& tx, const std::string& actor_id, const std::string& action,
             const std::string& meeting_id, nlohmann::json detail = nlohmann::json::object()) const;

  store::Database& database_;
  audit::AuditLog& audit_;
  MeetingService& meetings_;
  MeetingMedia& media_;
};

// The routes under /api/v1/meetings/{id}/ (docs/api/openapi.yaml).
void AddHostControlRoutes(http::Router& router, HostControls& controls);

}  // namespace egovbox::meetings
