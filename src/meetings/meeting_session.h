// The state of one occurrence of a meeting under its hosts' control, kept in the
// store (meeting_sessions, meeting_removals): locked, ended, who was removed; and
// the entry check that every way in (POST /meetings/{id}/join, entering a room,
// media.join, a knock) applies before a capability is issued or honoured.
//
// Free functions on the caller's transaction; no state of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/problem.h"
#include "meetings/meeting.h"
#include "store/database.h"

namespace egovbox::meetings {

// The organiser, and invitees with the role host or co-host: they run the meeting.
bool IsMeetingHost(const Meeting& meeting, const std::string& employee_id);

struct SessionState {
  bool locked = false;
  bool ended = false;
};

SessionState LoadSession(store::Connection& tx, const std::string& meeting_id, std::int64_t occurrence);
bool IsRemoved(store::Connection& tx, const std::string& meeting_id, std::int64_t occurrence,
               const std::string& employee_id);

// Whether `employee_id` may come in to the occurrence `occurrence` (its original
// start) at `now`: nullopt if so, else the problem — 403 removed-from-meeting, 409
// meeting-ended, 409 meeting-locked (hosts still come in, and so does whoever was
// inside within kLockGraceSeconds: a tab whose connection dropped), 403
// knock-required (a hall with a lobby, for whoever is not a host and was not let
// in by a knock: `admitted`).
inline constexpr std::int64_t kLockGraceSeconds = 60;
std::optional<http::Problem> CheckEntry(store::Connection& tx, const Meeting& meeting, std::int64_t occurrence,
                                        const std::string& employee_id, bool admitted, std::int64_t now);

}  // namespace egovbox::meetings
